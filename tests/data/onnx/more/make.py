"""Make the ONNX files of this folder, and record onnxruntime's outputs beside each.

Not run by the tests (they only read the files it made).  It needs what the project
does not depend on, so run it in a throwaway virtualenv:

    python3 -m venv /tmp/ortvenv
    /tmp/ortvenv/bin/pip install onnx onnxruntime scikit-learn skl2onnx
    /tmp/ortvenv/bin/python tests/data/onnx/more/make.py [NAME ...]

With names, only those files are written (the models are made all the same, in order,
so that each file gets the random numbers it always had).

The files cover what the folder above (real exporter files) does not: skl2onnx's
two-class graphs (Sigmoid, Sub, Concat) with string labels, a StandardScaler pipeline
(ai.onnx.ml Scaler), float64 models (double_data), activation='identity' (an Identity
node after each hidden layer), and hand-written graphs in the
forms the ONNX spec allows (weights as Constant nodes, a Transpose of a constant,
float_data, MatMul without a bias, initializers listed as graph inputs as before IR 4,
an external data file).  Each NAME.json holds, like the folder above, the producer,
the operators, the input rows and onnxruntime's outputs for them.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(names: list) -> None:
    import numpy as np
    import onnx
    import onnxruntime
    import skl2onnx
    import sklearn
    from onnx import TensorProto, helper, numpy_helper
    from skl2onnx import to_onnx
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    rng = np.random.RandomState(0)

    def wanted(name):
        return not names or name in names

    def record(name, model, rows, producer, note):
        if not wanted(name):
            return
        path = os.path.join(HERE, name + ".onnx")
        if name != "handwritten_external_data":  # saved already, with its weights file
            onnx.save(model, path)
        onnx.checker.check_model(path, full_check=True)
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        feed = {session.get_inputs()[0].name: rows}
        outputs = {}
        for info, value in zip(session.get_outputs(), session.run(None, feed)):
            if isinstance(value, list):  # ZipMap: a list of {label: probability}
                outputs[info.name] = [{str(k): float(v) for k, v in row.items()} for row in value]
            else:
                outputs[info.name] = value.tolist()
        saved = {
            "file": name + ".onnx",
            "producer": producer,
            "note": note,
            "opset": [{"domain": o.domain, "version": o.version} for o in model.opset_import],
            "ops": sorted({node.op_type for node in model.graph.node}),
            "input": rows.tolist(),
            "outputs": outputs,
        }
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            json.dump(saved, f, indent=1)
            f.write("\n")

    skl = "skl2onnx %s, scikit-learn %s" % (skl2onnx.__version__, sklearn.__version__)
    X = rng.randn(80, 5).astype(np.float32)
    rows = X[:6]

    # Two classes with string labels: Sigmoid, then Sub(1, p) and Concat; ZipMap on.
    y2 = np.array(["no", "yes"])[(X[:, 0] + X[:, 1] > 0).astype(int)]
    clf = MLPClassifier(hidden_layer_sizes=(6, 4), activation="tanh", max_iter=400,
                        random_state=0).fit(X, y2)
    record("sklearn_binary_strings_tanh_zipmap", to_onnx(clf, X[:1]), rows, skl,
           "MLPClassifier(6, 4) tanh, two classes 'no'/'yes'")
    clf = MLPClassifier(hidden_layer_sizes=(7,), activation="logistic", max_iter=400,
                        random_state=1).fit(X, (X[:, 2] > 0).astype(int))
    record("sklearn_binary_logistic_nozipmap",
           to_onnx(clf, X[:1], options={"zipmap": False}), rows, skl,
           "MLPClassifier(7,) logistic, two classes 0/1, zipmap off")

    # A pipeline: StandardScaler (ai.onnx.ml Scaler) then a three-class MLP.
    X_raw = (X * [1.0, 10.0, 0.1, 3.0, 1.0] + [0.0, 50.0, 2.0, -4.0, 1.0]).astype(np.float32)
    y3 = np.array(["a", "b", "c"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)]
    pipe = make_pipeline(StandardScaler(), MLPClassifier(hidden_layer_sizes=(8,), max_iter=400,
                                                         random_state=2)).fit(X_raw, y3)
    record("sklearn_pipeline_scaler_3_classes",
           to_onnx(pipe, X_raw[:1], options={"zipmap": False}), X_raw[:6], skl,
           "StandardScaler + MLPClassifier(8,) relu, three classes 'a'/'b'/'c'")

    # float64 throughout (double_data), two outputs.
    X64 = X.astype(np.float64)
    reg = MLPRegressor(hidden_layer_sizes=(5,), activation="tanh", max_iter=500,
                       random_state=3).fit(X64, np.c_[X64[:, 0] - X64[:, 1], X64[:, 2]])
    record("sklearn_regressor_float64_2_outputs", to_onnx(reg, X64[:1]), X64[:6], skl,
           "MLPRegressor(5,) tanh, float64, two outputs")

    # Hand-written: Constant nodes, a Transpose of a constant, float_data, LeakyRelu with
    # its default alpha, a MatMul without a bias, a Sigmoid output.
    W1 = rng.randn(3, 4).astype(np.float32)  # stored units x inputs, transposed in the graph
    b1 = rng.randn(3).astype(np.float32)
    W2 = rng.randn(3, 1).astype(np.float32)
    nodes = [
        helper.make_node("Constant", [], ["W1_t"], name="weights1",
                         value=helper.make_tensor("W1_t", TensorProto.FLOAT, [3, 4],
                                                  W1.ravel().tolist())),
        helper.make_node("Transpose", ["W1_t"], ["W1"], name="transpose1", perm=[1, 0]),
        helper.make_node("Constant", [], ["b1"], name="bias1", value_floats=b1.tolist()),
        helper.make_node("MatMul", ["x", "W1"], ["xW1"], name="matmul1"),
        helper.make_node("Add", ["b1", "xW1"], ["z1"], name="add1"),
        helper.make_node("LeakyRelu", ["z1"], ["a1"], name="leaky1"),
        helper.make_node("MatMul", ["a1", "W2"], ["z2"], name="matmul2"),
        helper.make_node("Sigmoid", ["z2"], ["p"], name="sigmoid"),
    ]
    graph = helper.make_graph(
        nodes, "handwritten",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n", 4])],
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, ["n", 1])],
        [helper.make_tensor("W2", TensorProto.FLOAT, [3, 1], W2.ravel().tolist())])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                              producer_name="onnx.helper")
    model.ir_version = 8
    record("handwritten_constants_matmul_leaky", model, rng.randn(5, 4).astype(np.float32),
           "onnx %s helper" % onnx.__version__,
           "[4, 3, 1]: Constant weights, Transpose, MatMul + Add, LeakyRelu, MatMul, Sigmoid")

    # Hand-written, IR 3 style: the initializers are also graph inputs; raw float64 data;
    # Gemm with transB, alpha and beta; Relu; Softmax with the old default axis (opset 11).
    Wa = rng.randn(6, 2)
    ba = rng.randn(6)
    Wb = rng.randn(3, 6)
    bb = rng.randn(3)
    inits = [helper.make_tensor(name, TensorProto.DOUBLE, list(v.shape),
                                v.astype("<f8").tobytes(), raw=True)
             for name, v in (("Wa", Wa), ("ba", ba), ("Wb", Wb), ("bb", bb))]
    nodes = [
        helper.make_node("Gemm", ["x", "Wa", "ba"], ["za"], transB=1, alpha=0.5, beta=2.0),
        helper.make_node("Relu", ["za"], ["aa"]),
        helper.make_node("Gemm", ["aa", "Wb", "bb"], ["zb"], transB=1),
        helper.make_node("Softmax", ["zb"], ["probabilities"]),
    ]
    inputs = [helper.make_tensor_value_info("x", TensorProto.DOUBLE, [None, 2])] + [
        helper.make_tensor_value_info(t.name, TensorProto.DOUBLE, list(t.dims)) for t in inits]
    graph = helper.make_graph(nodes, "old_style", inputs,
                              [helper.make_tensor_value_info("probabilities", TensorProto.DOUBLE,
                                                             [None, 3])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 6
    record("handwritten_initializers_as_inputs_float64", model, rng.randn(5, 2),
           "onnx %s helper" % onnx.__version__,
           "[2, 6, 3] float64: initializers listed as inputs (IR 6), Gemm alpha 0.5 beta 2, "
           "Softmax with opset 11's default axis")

    # Hand-written with its weights in an external data file, at offsets within it.
    Wc = rng.randn(8, 5).astype(np.float32)
    bc = rng.randn(8).astype(np.float32)
    Wd = rng.randn(2, 8).astype(np.float32)
    bd = rng.randn(2).astype(np.float32)
    # Raw data (from_array): onnx moves only raw_data to the external file.
    inits = [numpy_helper.from_array(v, name)
             for name, v in (("Wc", Wc), ("bc", bc), ("Wd", Wd), ("bd", bd))]
    nodes = [
        helper.make_node("Gemm", ["x", "Wc", "bc"], ["zc"], transB=1),
        helper.make_node("Tanh", ["zc"], ["ac"]),
        helper.make_node("Gemm", ["ac", "Wd", "bd"], ["y"], transB=1),
    ]
    graph = helper.make_graph(nodes, "external",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["b", 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["b", 2])],
                              inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    name = "handwritten_external_data"
    if wanted(name):
        for stale in (name + ".onnx", name + ".weights"):
            if os.path.exists(os.path.join(HERE, stale)):
                os.remove(os.path.join(HERE, stale))
        onnx.save_model(model, os.path.join(HERE, name + ".onnx"), save_as_external_data=True,
                        all_tensors_to_one_file=True, location=name + ".weights",
                        size_threshold=0)
        os.chmod(os.path.join(HERE, name + ".weights"), 0o644)
        model = onnx.load(os.path.join(HERE, name + ".onnx"), load_external_data=False)
        record(name, model, X[:5],
               "onnx %s save_model(save_as_external_data=True)" % onnx.__version__,
               "[5, 8, 2] tanh, linear: every weight in %s.weights, at offsets" % name)

    # activation='identity': skl2onnx writes an Identity node after each hidden layer.
    # Its own random numbers, so that the files above stay as they were.
    rng = np.random.RandomState(16)
    X_id = rng.randn(90, 4).astype(np.float32)
    y_id = np.array(["low", "mid", "high"])[(X_id[:, 0] + 0.5 * X_id[:, 1] > -0.4).astype(int)
                                            + (X_id[:, 2] - X_id[:, 3] > 0.3).astype(int)]
    clf = MLPClassifier(hidden_layer_sizes=(6, 3), activation="identity", max_iter=600,
                        random_state=4).fit(X_id, y_id)
    record("sklearn_identity_3_classes_nozipmap",
           to_onnx(clf, X_id[:1], options={"zipmap": False}), X_id[:6], skl,
           "MLPClassifier(6, 3) identity, three classes 'high'/'low'/'mid', zipmap off")
    print("written to", HERE, file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])

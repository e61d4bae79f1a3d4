"""ONNX import and export, and scikit-learn's MLPs, checked without onnx or onnxruntime.

* Import: every file in ``tests/data/onnx`` (made by torch.onnx.export, skl2onnx and
  onnx.helper) predicts what onnxruntime predicted for it, as stored beside it.
* Export: a written file is checked three ways: read back by ``read_onnx``; decoded by the
  small protobuf decoder below, which shares nothing with ``tinynet.protobuf``, against
  the field numbers of ``onnx.proto``; and run by the small graph interpreter below.
* Refusals: hand-built graphs (with the encoder below) and damaged real files must raise
  ``ModelFileError`` naming the problem, never another exception.

The field numbers used here were checked against onnx.proto (github.com/onnx/onnx,
``onnx/onnx.proto``): ModelProto ir_version = 1, producer_name = 2, graph = 7,
opset_import = 8, functions = 25; OperatorSetIdProto domain = 1, version = 2; GraphProto
node = 1, name = 2, initializer = 5, input = 11, output = 12; NodeProto input = 1,
output = 2, name = 3, op_type = 4, attribute = 5, domain = 7; AttributeProto name = 1,
f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, strings = 9, type = 20 (FLOAT = 1,
INT = 2, TENSOR = 4, FLOATS = 6, INTS = 7, STRINGS = 8); TensorProto dims = 1,
data_type = 2 (FLOAT = 1, INT32 = 6, INT64 = 7, STRING = 8, FLOAT16 = 10, DOUBLE = 11),
float_data = 4, int32_data = 5, string_data = 6, int64_data = 7, name = 8, raw_data = 9,
double_data = 10, external_data = 13, data_location = 14 (EXTERNAL = 1);
StringStringEntryProto key = 1, value = 2; ValueInfoProto name = 1, type = 2; TypeProto
tensor_type = 1; TypeProto.Tensor elem_type = 1, shape = 2; TensorShapeProto dim = 1;
Dimension dim_value = 1, dim_param = 2.
"""

import glob
import json
import math
import os
import pathlib
import random
import re
import struct
import warnings

import pytest

import mpy
from tinynet import activations, modelfile
from tinynet.data import StandardScaler
from tinynet.errors import ConfigError, ConvergenceWarning, ModelFileError, NotFittedError
from tinynet.network import NeuralNet
from tinynet import onnx_export, onnx_import
from tinynet.onnx_export import save_onnx, write_onnx
from tinynet.onnx_import import read_onnx
from tinynet.sklearn_bridge import from_sklearn

DATA = os.path.join(mpy.REPO_ROOT, "tests", "data", "onnx")
REAL_FILES = sorted(glob.glob(os.path.join(DATA, "*.onnx")) +
                    glob.glob(os.path.join(DATA, "more", "*.onnx")))

FLOAT, INT32, INT64, STRING, FLOAT16, DOUBLE = 1, 6, 7, 8, 10, 11


# --- an ONNX encoder, independent of tinynet's writer --------------------------------


def _varint(n: int) -> bytes:
    if n < 0:
        n += 1 << 64
    out = b""
    while True:
        low, n = n & 0x7F, n >> 7
        out += bytes([low | (0x80 if n else 0)])
        if not n:
            return out


def f_int(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def f_bytes(number: int, data: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def f_str(number: int, text: str) -> bytes:
    return f_bytes(number, text.encode())


def f_float(number: int, value: float) -> bytes:
    return _varint(number << 3 | 5) + struct.pack("<f", value)


def tensor(name: str, dims: list, values: list, data_type: int = FLOAT,
           storage: str = "raw") -> bytes:
    """A TensorProto, its values stored in ``storage``: raw, typed (packed) or unpacked."""
    parts = [f_bytes(1, b"".join(_varint(d) for d in dims)), f_int(2, data_type), f_str(8, name)]
    codes = {FLOAT: "f", DOUBLE: "d", INT64: "q", INT32: "i", FLOAT16: "e"}
    if storage == "raw":
        parts.append(f_bytes(9, struct.pack("<%d%s" % (len(values), codes[data_type]), *values)))
    elif data_type == FLOAT and storage == "typed":
        parts.append(f_bytes(4, struct.pack("<%df" % len(values), *values)))
    elif data_type == FLOAT and storage == "unpacked":
        parts += [f_float(4, v) for v in values]
    elif data_type == DOUBLE and storage == "typed":
        parts.append(f_bytes(10, struct.pack("<%dd" % len(values), *values)))
    elif data_type in (INT32, INT64):
        parts.append(f_bytes(5 if data_type == INT32 else 7, b"".join(_varint(v) for v in values)))
    elif data_type == STRING:
        parts += [f_str(6, v) for v in values]
    return b"".join(parts)


def attribute(name: str, value: object) -> bytes:
    """An AttributeProto: an int, a float, a list of ints or floats, a tensor or strings."""
    if isinstance(value, bool) or isinstance(value, int):
        return f_str(1, name) + f_int(3, value) + f_int(20, 2)
    if isinstance(value, float):
        return f_str(1, name) + f_float(2, value) + f_int(20, 1)
    if isinstance(value, bytes):  # a TensorProto
        return f_str(1, name) + f_bytes(5, value) + f_int(20, 4)
    if value and isinstance(value[0], str):
        return f_str(1, name) + b"".join(f_str(9, s) for s in value) + f_int(20, 8)
    if value and isinstance(value[0], float):
        return f_str(1, name) + f_bytes(7, struct.pack("<%df" % len(value), *value)) + f_int(20, 6)
    return f_str(1, name) + f_bytes(8, b"".join(_varint(v) for v in value)) + f_int(20, 7)


def node(op: str, inputs: list, outputs: list, name: str = "", domain: str = "",
         **attributes: object) -> bytes:
    parts = [f_str(1, i) for i in inputs] + [f_str(2, o) for o in outputs]
    parts += [f_str(3, name or outputs[0] + "_node"), f_str(4, op)]
    parts += [f_bytes(5, attribute(k, v)) for k, v in sorted(attributes.items())]
    if domain:
        parts.append(f_str(7, domain))
    return b"".join(parts)


def value_info(name: str, shape: list = None, elem_type: int = FLOAT) -> bytes:
    dims = b"".join(f_bytes(1, f_str(2, d) if isinstance(d, str) else f_int(1, d))
                    for d in (shape or []))
    tensor_type = f_int(1, elem_type) + f_bytes(2, dims)
    return f_str(1, name) + f_bytes(2, f_bytes(1, tensor_type))


def model(nodes: list, initializers: list = (), inputs: list = None, outputs: list = None,
          opsets: dict = None, ir_version: int = 8) -> bytes:
    """A ModelProto; by default one input ``x`` (any width) and one output ``y``."""
    graph = b"".join(f_bytes(1, n) for n in nodes) + f_str(2, "test")
    graph += b"".join(f_bytes(5, t) for t in initializers)
    graph += b"".join(f_bytes(11, i) for i in (inputs or [value_info("x", ["N", 0])]))
    graph += b"".join(f_bytes(12, o) for o in (outputs or [value_info("y")]))
    opset_parts = b"".join(f_bytes(8, (f_str(1, domain) if domain else b"") + f_int(2, version))
                           for domain, version in (opsets or {"": 13}).items())
    return f_int(1, ir_version) + f_bytes(7, graph) + opset_parts


def torch_like(W1: list, b1: list, W2: list, b2: list, hidden: str = "Relu",
               head: str = "Softmax", **hidden_attributes: object) -> bytes:
    """What torch.onnx.export writes for Linear, activation, Linear, head: Gemm with
    transB=1 (weights stored units x inputs)."""
    nodes = [node("Gemm", ["x", "W1", "b1"], ["z1"], name="/0/Gemm", transB=1),
             node(hidden, ["z1"], ["a1"], name="/1/" + hidden, **hidden_attributes),
             node("Gemm", ["a1", "W2", "b2"], ["z2" if head else "y"], name="/2/Gemm", transB=1)]
    if head:
        nodes.append(node(head, ["z2"], ["y"], name="/3/" + head))
    inits = [tensor("W1", [len(W1), len(W1[0])], [w for row in W1 for w in row]),
             tensor("b1", [len(b1)], b1),
             tensor("W2", [len(W2), len(W2[0])], [w for row in W2 for w in row]),
             tensor("b2", [len(b2)], b2)]
    return model(nodes, inits)


# Small weights, exact in float32, for hand-built graphs: [2, 3, k] stored torch's way.
W1_T = [[0.5, -1.0], [0.25, 0.75], [-0.5, 2.0]]  # 3 units x 2 inputs
B1 = [0.125, -0.25, 0.5]
W2_T = [[1.0, -0.5, 0.25], [-1.5, 0.5, 1.0]]  # 2 units x 3 inputs
B2 = [0.0, 0.375]
X2 = [[0.5, -1.0], [2.0, 0.25], [-1.5, 1.5], [0.0, 0.0]]


def transposed(rows: list) -> list:
    return [list(column) for column in zip(*rows)]


# --- an ONNX decoder, independent of tinynet's reader ----------------------------------

# Each message: field number -> (name, kind); a kind is a wire-level type or a message.
DIM = {1: ("dim_value", "varint"), 2: ("dim_param", "string")}
TENSOR_TYPE = {1: ("elem_type", "varint"), 2: ("shape", {1: ("dim", DIM)})}
VALUE_INFO = {1: ("name", "string"), 2: ("type", {1: ("tensor_type", TENSOR_TYPE)})}
TENSOR = {1: ("dims", "packed"), 2: ("data_type", "varint"), 6: ("string_data", "string"),
          8: ("name", "string"), 9: ("raw_data", "bytes")}
ATTRIBUTE = {1: ("name", "string"), 2: ("f", "float32"), 3: ("i", "varint"),
             20: ("type", "varint")}
NODE = {1: ("input", "string"), 2: ("output", "string"), 3: ("name", "string"),
        4: ("op_type", "string"), 5: ("attribute", ATTRIBUTE), 7: ("domain", "string")}
GRAPH = {1: ("node", NODE), 2: ("name", "string"), 5: ("initializer", TENSOR),
         11: ("input", VALUE_INFO), 12: ("output", VALUE_INFO)}
OPSET = {1: ("domain", "string"), 2: ("version", "varint")}
MODEL = {1: ("ir_version", "varint"), 2: ("producer_name", "string"), 7: ("graph", GRAPH),
         8: ("opset_import", OPSET)}
WIRE_OF_KIND = {"varint": 0, "float32": 5, "string": 2, "bytes": 2, "packed": 2}


def decode(data: bytes, schema: dict) -> dict:
    """``data`` as {field name: [values]}; fails on any field the schema does not list,
    or a wire type that does not match it."""
    result: dict = {}
    pos = 0

    def varint() -> int:
        nonlocal pos
        value, shift = 0, 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while pos < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        assert number in schema, "unexpected field %d in %r" % (number, schema)
        name, kind = schema[number]
        assert wire == (2 if isinstance(kind, dict) else WIRE_OF_KIND[kind]), (name, wire)
        if wire == 0:
            value = varint()
        elif wire == 5:
            value = struct.unpack("<f", data[pos:pos + 4])[0]
            pos += 4
        else:
            size = varint()
            raw = data[pos:pos + size]
            assert len(raw) == size
            pos += size
            if isinstance(kind, dict):
                value = decode(raw, kind)
            elif kind == "string":
                value = raw.decode("utf-8")
            elif kind == "packed":
                value = decode_packed(raw)
            else:
                value = raw
        result.setdefault(name, []).append(value)
    return result


def decode_packed(raw: bytes) -> list:
    values, value, shift = [], 0, 0
    for byte in raw:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value, shift = 0, 0
    return values


def one(message: dict, name: str, default: object = None) -> object:
    values = message.get(name, [])
    assert len(values) <= 1, name
    return values[0] if values else default


def run_decoded(graph: dict, X: list) -> dict:
    """Run a decoded graph's nodes on rows ``X``: a tiny interpreter of the operators the
    exporter writes, following the ONNX operator definitions.  Returns {output name:
    value}: a list of rows, or a flat list (the labels)."""
    values: dict = {}
    for t in graph["initializer"]:
        data_type = one(t, "data_type")
        if data_type == STRING:
            flat = t["string_data"]
        else:
            code, width = {FLOAT: ("f", 4), DOUBLE: ("d", 8), INT64: ("q", 8)}[data_type]
            raw = one(t, "raw_data")
            flat = list(struct.unpack("<%d%s" % (len(raw) // width, code), raw))
        dims = one(t, "dims", [])
        values[one(t, "name")] = [flat[i * dims[1]:(i + 1) * dims[1]] for i in range(dims[0])] \
            if len(dims) == 2 else flat
    values[one(graph["input"][0], "name")] = [list(row) for row in X]

    def elementwise(a: list, b: list, f: object) -> list:
        """``f(a, b)`` with ONNX broadcasting: each is rows, a row or one number."""
        def at(v: list, i: int, j: int) -> float:
            if isinstance(v[0], list):
                return v[i][j]
            return v[0] if len(v) == 1 else v[j]
        rows = a if isinstance(a[0], list) else b
        return [[f(at(a, i, j), at(b, i, j)) for j in range(len(rows[0]))]
                for i in range(len(rows))]

    binary = {"Sub": lambda a, c: a - c, "Div": lambda a, c: a / c,
              "Mul": lambda a, c: a * c, "Add": lambda a, c: a + c, "Max": max}
    for n in graph["node"]:
        op = one(n, "op_type")
        attrs = {one(a, "name"): one(a, "i", one(a, "f")) for a in n.get("attribute", [])}
        if "axis" in attrs and attrs["axis"] >= 2**63:  # an int64 read as a varint
            attrs["axis"] -= 2**64
        assert one(n, "domain", "") == ("ai.onnx.ml" if op == "ArrayFeatureExtractor" else ""), op
        args = [values[name] for name in n["input"]]
        if op == "Gemm":
            A, B, C = args
            assert attrs.get("transB", 0) == 0 and attrs.get("transA", 0) == 0
            out = [[sum(a * B[k][j] for k, a in enumerate(row)) + C[j] for j in range(len(C))]
                   for row in A]
        elif op in binary:
            out = elementwise(args[0], args[1], binary[op])
        elif op == "Relu":
            out = elementwise(args[0], [0.0], max)
        elif op == "LeakyRelu":
            out = elementwise(args[0], [attrs["alpha"]], lambda a, c: a if a >= 0 else c * a)
        elif op == "Tanh":
            out = elementwise(args[0], [0.0], lambda a, c: math.tanh(a))
        elif op == "Sigmoid":
            out = elementwise(args[0], [0.0], lambda a, c: 1.0 / (1.0 + math.exp(-a)))
        elif op == "Softmax":
            assert attrs.get("axis", -1) in (-1, 1)
            out = []
            for row in args[0]:
                e = [math.exp(a - max(row)) for a in row]
                out.append([v / sum(e) for v in e])
        elif op == "Concat":
            assert attrs["axis"] == 1
            out = [r + s for r, s in zip(args[0], args[1])]
        elif op == "ArgMax":
            # keepdims defaults to 1: one column; ties go to the first index, or the last
            # with select_last_index=1.
            assert attrs["axis"] == 1 and attrs.get("keepdims", 1) == 1
            last = attrs.get("select_last_index", 0)
            out = [[max(range(len(row)), key=lambda j: (row[j], j if last else -j))]
                   for row in args[0]]
        elif op == "ArrayFeatureExtractor":
            out = [[args[0][j] for j in row] for row in args[1]]
        elif op == "Reshape":
            assert args[1] == [-1]
            out = [v for row in args[0] for v in row]
        elif op == "Identity":
            out = args[0]
        else:
            raise AssertionError("the exporter wrote an operator this test does not know: " + op)
        values[one(n, "output")] = out
    return {one(info, "name"): values[one(info, "name")] for info in graph["output"]}


# --- helpers -------------------------------------------------------------------------


def network(d: dict) -> NeuralNet:
    """A NeuralNet from read_onnx's dict: a model file's contents, classes included."""
    return NeuralNet.from_dict(d)


def outputs(net: NeuralNet, X: list) -> list:
    """Probabilities, or a list of values per row for a linear output."""
    if net.output != "linear":
        return net.predict_proba(X).tolist()
    return [row if isinstance(row, list) else [row] for row in net.predict(X)]


def assert_close(got: list, want: list, rel: float, abs_: float = 0.0) -> None:
    assert len(got) == len(want)
    for i, (g_row, w_row) in enumerate(zip(got, want)):
        assert len(g_row) == len(w_row)
        for g, w in zip(g_row, w_row):
            assert abs(g - w) <= rel * abs(w) + abs_, "row %d: %r vs %r" % (i, g_row, w_row)


def trained(output: str, activation: str = "relu", scaled: bool = False) -> NeuralNet:
    """A small network of each output kind, trained a little."""
    X = [[0.5, -1.0, 20.0], [1.5, 0.25, 30.0], [-2.0, 1.0, 25.0], [0.0, 0.5, 10.0],
         [3.0, -2.5, 15.0], [-1.0, -1.0, 35.0]]
    k = {"sigmoid": 1, "softmax": 3, "linear": 2}[output]
    net = NeuralNet(layers=[3, 4, 3, k], activation=activation, output=output, seed=3,
                    iterations=15, learning_rate=0.01)
    y: list = {"sigmoid": [0, 1, 1, 0, 1, 0], "softmax": [0, 1, 2, 1, 0, 2],
               "linear": [[0.5 * r[0] + 100.0, r[1]] for r in X]}[output]
    if scaled:
        net.scaler = StandardScaler().fit(X)
        if output == "linear":
            net.target_scaler = StandardScaler().fit(y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # a few epochs, on purpose
        net.fit(X, y)
    return net


X3 = [[0.25, -0.5, 22.0], [2.0, 1.0, 12.0], [-1.5, 0.0, 31.0], [0.0, 0.0, 0.0]]


# --- import: the real files ---------------------------------------------------------------

# What each file's producer says it holds (tests/data/onnx/README.md, more/make.py).
EXPECTED = {
    "torch_relu_softmax_4_16_3": ([4, 16, 3], "relu", "softmax", None),
    "torch_relu_logits_4_16_3": ([4, 16, 3], "relu", "linear", None),
    "torch_tanh_sigmoid_13_8_1": ([13, 8, 1], "tanh", "sigmoid", None),
    "torch_leaky_sigmoid_30_16_8_1": ([30, 16, 8, 1], "leaky_relu", "sigmoid", None),
    "torch_dynamo_relu_softmax_4_16_3": ([4, 16, 3], "relu", "softmax", None),
    "sklearn_mlpclassifier_iris_zipmap": ([4, 16, 3], "relu", "softmax", [0, 1, 2]),
    "sklearn_mlpclassifier_iris_nozipmap": ([4, 16, 3], "relu", "softmax", [0, 1, 2]),
    "sklearn_mlpregressor_3_16_16_1": ([3, 16, 16, 1], "relu", "linear", None),
    "sklearn_binary_strings_tanh_zipmap": ([5, 6, 4, 1], "tanh", "sigmoid", ["no", "yes"]),
    "sklearn_binary_logistic_nozipmap": ([5, 7, 1], "sigmoid", "sigmoid", [0, 1]),
    "sklearn_pipeline_scaler_3_classes": ([5, 8, 3], "relu", "softmax", ["a", "b", "c"]),
    "sklearn_regressor_float64_2_outputs": ([5, 5, 2], "tanh", "linear", None),
    "handwritten_constants_matmul_leaky": ([4, 3, 1], "leaky_relu", "sigmoid", None),
    "handwritten_initializers_as_inputs_float64": ([2, 6, 3], "relu", "softmax", None),
    "handwritten_external_data": ([5, 8, 2], "tanh", "linear", None),
}


def stem(path: str) -> str:
    return os.path.basename(path)[:-len(".onnx")]


def test_every_data_file_is_listed_with_what_it_holds() -> None:
    assert sorted(stem(p) for p in REAL_FILES) == sorted(EXPECTED)
    assert len(REAL_FILES) == 15


@pytest.mark.parametrize("path", REAL_FILES, ids=stem)
def test_real_file_reads_as_its_producer_describes_it(path) -> None:
    d = read_onnx(path)
    assert (d["layers"], d["activation"], d["output"], d["classes"]) == EXPECTED[stem(path)]
    assert (d["scaler"] is not None) == ("pipeline" in path)
    assert d["format"] == "tinynet-model" and d["version"] == 2


@pytest.mark.parametrize("path", REAL_FILES, ids=stem)
def test_real_file_predicts_what_onnxruntime_predicted(path) -> None:
    with open(path[:-len(".onnx")] + ".json") as f:
        reference = json.load(f)
    d = read_onnx(path)
    net = network(d)
    X = reference["input"]
    got = outputs(net, X)
    # float32 models within 1e-5 relative (the bar); float64 ones far closer.
    rel = 1e-12 if "float64" in path else 1e-5
    compared = 0
    for name, want in reference["outputs"].items():
        if not isinstance(want[0], (list, dict)):  # labels
            # skl2onnx's labels are the network's classes_: predict answers in them.
            assert net.classes_ == d["classes"] is not None
            assert net.predict(X) == want, name
            compared += 1
            continue
        if isinstance(want[0], dict):  # ZipMap: {label: probability}
            want = [[row[str(c)] for c in d["classes"]] for row in want]
        if d["output"] == "sigmoid" and len(want[0]) == 2:  # skl2onnx's [1 - p, p]
            want = [[row[1]] for row in want]
            assert_close([[1.0 - p[0]] for p in got], [[row[0]] for row in
                                                       reference["outputs"][name]]
                         if not isinstance(reference["outputs"][name][0], dict) else
                         [[row[str(d["classes"][0])]] for row in reference["outputs"][name]],
                         rel)
        if len(want) != len(got):  # skl2onnx's regressor output is reshaped: same numbers
            want = [[v for row in want for v in row]]
            got = [[v for row in got for v in row]]
        assert_close(got, want, rel)
        compared += 1
    assert compared == len(reference["outputs"]) >= 1


def test_bytes_and_paths_read_the_same_model(tmp_path) -> None:
    path = os.path.join(DATA, "torch_tanh_sigmoid_13_8_1.onnx")
    with open(path, "rb") as f:
        data = f.read()
    assert read_onnx(data) == read_onnx(path) == read_onnx(pathlib.Path(path))
    assert read_onnx(bytearray(data)) == read_onnx(memoryview(data)) == read_onnx(path)


def test_external_data_is_found_beside_the_model_file_not_the_working_folder(
        tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    d = read_onnx(os.path.join(DATA, "more", "handwritten_external_data.onnx"))
    assert d["layers"] == [5, 8, 2]


def test_external_data_needs_the_models_path(tmp_path) -> None:
    with open(os.path.join(DATA, "more", "handwritten_external_data.onnx"), "rb") as f:
        data = f.read()
    with pytest.raises(ModelFileError, match="external file 'handwritten_external_data.weights': "
                                             "read the model from its path"):
        read_onnx(data)


# --- import: patterns built by hand ---------------------------------------------------------


def test_torch_gemm_weights_are_transposed_into_tinynets_inputs_by_units() -> None:
    d = read_onnx(torch_like(W1_T, B1, W2_T, B2))
    assert d["layers"] == [2, 3, 2]
    assert d["params"] == {"W1": transposed(W1_T), "b1": B1, "W2": transposed(W2_T), "b2": B2}
    assert (d["activation"], d["output"], d["scaler"], d["classes"]) == ("relu", "softmax",
                                                                         None, None)


def test_logits_without_a_final_activation_read_as_a_linear_output() -> None:
    d = read_onnx(torch_like(W1_T, B1, W2_T, B2, head=""))
    assert d["output"] == "linear" and d["layers"] == [2, 3, 2]


def test_gemm_alpha_and_beta_are_multiplied_in_and_transB_0_is_read_as_stored() -> None:
    W = [[1.0, 2.0], [-1.0, 0.5]]  # 2 inputs x 2 units, as Gemm reads B with transB=0
    data = model([node("Gemm", ["x", "W", "b"], ["z"], alpha=2.0, beta=0.5),
                  node("Softmax", ["z"], ["y"], axis=1)],
                 [tensor("W", [2, 2], [1.0, 2.0, -1.0, 0.5]), tensor("b", [1, 2], [4.0, -2.0])])
    d = read_onnx(data)
    assert d["params"] == {"W1": [[2 * w for w in row] for row in W], "b1": [2.0, -1.0]}


@pytest.mark.parametrize("data_type,storage", [
    (FLOAT, "raw"), (FLOAT, "typed"), (FLOAT, "unpacked"), (DOUBLE, "raw"), (DOUBLE, "typed"),
])
def test_every_tensor_storage_reads_the_same_numbers(data_type, storage) -> None:
    W, b = [0.5, -1.25, 2.0, 0.0625], [0.75, -3.0]
    data = model([node("MatMul", ["x", "W"], ["p"]), node("Add", ["p", "b"], ["z"]),
                  node("Softmax", ["z"], ["y"])],
                 [tensor("W", [2, 2], W, data_type, storage),
                  tensor("b", [2], b, data_type, storage)],
                 inputs=[value_info("x", ["N", 2], data_type)])
    d = read_onnx(data)
    assert d["params"] == {"W1": [[0.5, -1.25], [2.0, 0.0625]], "b1": [0.75, -3.0]}


def test_weights_given_as_constant_nodes_and_transposed_constants_are_folded() -> None:
    data = model([node("Constant", [], ["Wt"], value=tensor("v", [3, 2],
                                                          [w for r in W1_T for w in r])),
                  node("Transpose", ["Wt"], ["W"], perm=[1, 0]),
                  node("Constant", [], ["b"], value_floats=B1),
                  node("MatMul", ["x", "W"], ["p"]), node("Add", ["b", "p"], ["z"]),
                  node("Sigmoid", ["z"], ["s"]),
                  node("MatMul", ["s", "W2"], ["y"])],
                 [tensor("W2", [3, 1], [1.0, -1.0, 0.5])])
    d = read_onnx(data)
    assert d["params"]["W1"] == transposed(W1_T) and d["params"]["b1"] == B1
    assert d["params"]["b2"] == [0.0]  # a MatMul without an Add has no bias
    assert (d["activation"], d["output"]) == ("sigmoid", "linear")


def test_input_steps_before_the_first_layer_become_the_scaler() -> None:
    # (x - [1, 2]) / [4, 0.5]: Sub then Div; and skl2onnx's Scaler, (x - offset) * scale.
    layer = [node("Gemm", ["xs", "W", "b"], ["y"], transB=1)]
    inits = [tensor("W", [1, 2], [1.0, 1.0]), tensor("b", [1], [0.0]),
             tensor("m", [2], [1.0, 2.0]), tensor("s", [1, 2], [4.0, 0.5])]
    by_nodes = model([node("Sub", ["x", "m"], ["xc"]), node("Div", ["xc", "s"], ["xs"])] + layer,
                     inits)
    by_scaler = model([node("Scaler", ["x"], ["xs"], domain="ai.onnx.ml", offset=[1.0, 2.0],
                            scale=[0.25, 2.0])] + layer, inits,
                      opsets={"": 13, "ai.onnx.ml": 1})
    for data in (by_nodes, by_scaler):
        assert read_onnx(data)["scaler"] == {"mean": [1.0, 2.0], "scale": [4.0, 0.5]}


def test_leaky_relu_alpha_default_and_float32_rounded_are_tinynets_slope() -> None:
    for attributes in ({}, {"alpha": 0.01}):
        d = read_onnx(torch_like(W1_T, B1, W2_T, B2, hidden="LeakyRelu", **attributes))
        assert d["activation"] == "leaky_relu"


def test_softmax_with_opset_11s_default_axis_is_over_the_rows() -> None:
    data = model([node("Gemm", ["x", "W", "b"], ["z"]), node("Softmax", ["z"], ["y"])],
                 [tensor("W", [2, 2], [1.0, 0.0, 0.0, 1.0]), tensor("b", [2], [0.0, 0.0])],
                 opsets={"": 11}, ir_version=6)
    assert read_onnx(data)["output"] == "softmax"


def test_no_op_reshapes_flattens_casts_and_identities_pass_through() -> None:
    data = model([node("Flatten", ["x"], ["xf"], axis=1),
                  node("Cast", ["xf"], ["xc"], to=FLOAT),
                  node("Gemm", ["xc", "W", "b"], ["z"], transB=1),
                  node("Reshape", ["z", "shape"], ["zr"]),
                  node("Tanh", ["zr"], ["a"]), node("Identity", ["a"], ["ai"]),
                  node("MatMul", ["ai", "W2"], ["y"])],
                 [tensor("W", [2, 2], [1.0, 2.0, 3.0, 4.0]), tensor("b", [2], [0.5, -0.5]),
                  tensor("shape", [2], [-1, 2], INT64, "typed"), tensor("W2", [2, 1], [1.0, 1.0])])
    d = read_onnx(data)
    assert d["layers"] == [2, 2, 1] and d["params"]["W1"] == [[1.0, 3.0], [2.0, 4.0]]


def test_a_single_layer_reads_as_a_network_without_hidden_layers() -> None:
    data = model([node("Gemm", ["x", "W", "b"], ["z"], transB=1), node("Sigmoid", ["z"], ["y"])],
                 [tensor("W", [1, 3], [1.0, -2.0, 0.5]), tensor("b", [1], [0.25])])
    d = read_onnx(data)
    assert d["layers"] == [3, 1] and d["params"]["W1"] == [[1.0], [-2.0], [0.5]]
    assert network(d).predict_proba([[1.0, 1.0, 1.0]]).tolist() == [
        [pytest.approx(1 / (1 + math.exp(0.25)), rel=1e-15)]]


def labelled(head: str, W: list, b: list, classes: list) -> bytes:
    """skl2onnx's pattern for one layer and its labels: MatMul, Add, the head, then
    ArgMax and ArrayFeatureExtractor over ``classes`` (a two-class sigmoid goes through
    [1 - p, p] first)."""
    nodes = [node("MatMul", ["x", "W"], ["z0"]), node("Add", ["z0", "b"], ["z"]),
             node(head, ["z"], ["p"])]
    probabilities = "p"
    if head == "Sigmoid":
        nodes += [node("Sub", ["one", "p"], ["q"]), node("Concat", ["q", "p"], ["pq"], axis=1)]
        probabilities = "pq"
    nodes += [node("ArgMax", [probabilities], ["i"], axis=1),
              node("ArrayFeatureExtractor", ["classes", "i"], ["label"], domain="ai.onnx.ml")]
    inits = [tensor("W", [len(W), len(W[0])], [w for row in W for w in row]),
             tensor("b", [len(b)], b), tensor("one", [], [1.0]),
             tensor("classes", [len(classes)], classes, STRING, storage="strings")]
    return model(nodes, inits, outputs=[value_info("label", elem_type=STRING), value_info("p")],
                 opsets={"": 13, "ai.onnx.ml": 1})


def test_classes_in_another_order_are_sorted_with_the_units() -> None:
    W = [[0.5, -1.0, 0.25], [2.0, 0.875, -0.5]]  # no row ties: tie-breaking follows the order
    b = [0.125, -0.25, 0.5]
    graph_classes = ["pear", "apple", "fig"]
    net = NeuralNet.from_onnx(labelled("Softmax", W, b, graph_classes))
    assert net.classes_ == ["apple", "fig", "pear"]
    for x in X2:
        z = [sum(x[i] * W[i][j] for i in range(2)) + b[j] for j in range(3)]
        e = [math.exp(v) for v in z]
        by_class = {c: v / sum(e) for c, v in zip(graph_classes, e)}
        assert_close(net.predict_proba([x]).tolist(), [[by_class[c] for c in net.classes_]],
                     1e-12)
        assert net.predict([x]) == [max(by_class, key=by_class.get)]
    # One sigmoid unit is P(the second class): sorted, it is P of the other one.
    net = NeuralNet.from_onnx(labelled("Sigmoid", [[1.5], [-0.5]], [0.25], ["yes", "no"]))
    assert net.classes_ == ["no", "yes"]
    for x in X2:
        p_no = 1.0 / (1.0 + math.exp(-(1.5 * x[0] - 0.5 * x[1] + 0.25)))
        assert_close(net.predict_proba([x]).tolist(), [[1.0 - p_no]], 1e-12, 1e-15)
        assert net.predict([x]) == ["no" if p_no > 0.5 else "yes"]


def test_classes_named_twice_are_refused() -> None:
    refused(labelled("Softmax", [[1.0, 2.0, 3.0]] * 2, [0.0] * 3, ["a", "b", "a"]),
            "names a class twice", "'a'")


# --- import: refusals -----------------------------------------------------------------------


def refused(data: bytes, *fragments: str) -> str:
    """read_onnx(data) raises ModelFileError whose message holds every fragment."""
    with pytest.raises(ModelFileError) as caught:
        read_onnx(data)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_another_operator_is_refused_naming_the_node_and_operator() -> None:
    data = model([node("Conv", ["x", "W"], ["y"], name="conv1")], [tensor("W", [1], [1.0])])
    refused(data, "node 'conv1' (Conv)", "has no Conv operator")


def test_a_missing_initializer_is_refused_naming_it() -> None:
    data = model([node("MatMul", ["x", "W_missing"], ["y"], name="mm")])
    refused(data, "node 'mm' (MatMul)", "'W_missing', which is missing")


def test_shapes_that_do_not_chain_are_refused() -> None:
    W2_wrong = [[1.0, 2.0, 3.0, 4.0]]  # 4 inputs, but layer 1 has 3 units
    refused(torch_like(W1_T, B1, W2_wrong, [0.0], head="Sigmoid"),
            "node '/2/Gemm' (Gemm)", "do not chain", "layer 1 has 3 units", "4 rows")


def test_weights_that_do_not_fit_the_declared_input_width_are_refused() -> None:
    data = model([node("Gemm", ["x", "W", "b"], ["y"], transB=1)],
                 [tensor("W", [1, 3], [1.0, 2.0, 3.0]), tensor("b", [1], [0.0])],
                 inputs=[value_info("x", ["N", 4])])
    refused(data, "the input has 4 features", "3 rows")


def test_a_second_graph_input_is_refused() -> None:
    data = model([node("Gemm", ["x", "W", "b"], ["y"])],
                 [tensor("W", [2, 1], [1.0, 2.0])],
                 inputs=[value_info("x", ["N", 2]), value_info("b", [1])])
    refused(data, "2 inputs ('x', 'b')")


def test_mixed_hidden_activations_are_refused() -> None:
    nodes = [node("Gemm", ["x", "W1", "b1"], ["z1"], transB=1),
             node("Relu", ["z1"], ["a1"], name="relu1"),
             node("Gemm", ["a1", "W2", "b2"], ["z2"], transB=1),
             node("Tanh", ["z2"], ["a2"], name="tanh2"),
             node("Gemm", ["a2", "W3", "b3"], ["y"], transB=1)]
    inits = [tensor("W1", [2, 2], [1.0] * 4), tensor("b1", [2], [0.0] * 2),
             tensor("W2", [2, 2], [1.0] * 4), tensor("b2", [2], [0.0] * 2),
             tensor("W3", [1, 2], [1.0] * 2), tensor("b3", [1], [0.0])]
    refused(model(nodes, inits), "node 'tanh2' (Tanh)", "one activation for all hidden layers")


def test_another_leaky_relu_slope_is_refused_naming_the_alpha() -> None:
    refused(torch_like(W1_T, B1, W2_T, B2, hidden="LeakyRelu", alpha=0.2),
            "node '/1/LeakyRelu' (LeakyRelu)", "alpha 0.2", "fixed slope 0.01")


@pytest.mark.parametrize("build,fragments", [
    (lambda: model([node("Gemm", ["x", "W", "b"], ["y"], name="g", transA=1)],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)]),
     ("node 'g' (Gemm)", "transA=1")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z"]),
                    node("Softmax", ["z"], ["y"], name="sm", axis=0)],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)]),
     ("node 'sm' (Softmax)", "axis 0")),
    (lambda: torch_like(W1_T, B1, W2_T, B2, head="Sigmoid"),
     ("node '/3/Sigmoid' (Sigmoid)", "multi-label")),
    (lambda: torch_like(W1_T, B1, W2_T, B2, head="Relu"),
     ("node '/3/Relu' (Relu)", "ends the last layer")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z1"]), node("Gemm", ["z1", "W", "b"],
                                                                  ["y"], name="second")],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)]),
     ("node 'second' (Gemm)", "without an activation")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z1"]), node("Relu", ["z1"], ["a1"]),
                    node("Gemm", ["x", "W", "b"], ["y"], name="branch")],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)]),
     ("node 'branch' (Gemm)", "single chain")),
    (lambda: model([node("FusedGemm", ["x", "W"], ["y"], name="f", domain="com.microsoft")],
                   [tensor("W", [2, 2], [1.0] * 4)], opsets={"": 13, "com.microsoft": 1}),
     ("node 'f' (com.microsoft:FusedGemm)", "domain 'com.microsoft'")),
    (lambda: model([node("Scaler", ["x"], ["y"], name="s", domain="ai.onnx.ml")]),
     ("node 's' (ai.onnx.ml:Scaler)", "does not import")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["y"], name="g")],
                   [tensor("W", [2, 2], [1.0] * 4, FLOAT16), tensor("b", [2], [0.0] * 2)]),
     ("tensor 'W'", "FLOAT16")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["y"])],
                   [tensor("W", [2, 3], [1.0] * 4), tensor("b", [2], [0.0] * 2)]),
     ("tensor 'W' is corrupt", "needs 24 bytes", "has 16")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["y"])],
                   [tensor("W", [2**40, 2**40], [1.0]), tensor("b", [2], [0.0] * 2)]),
     ("tensor 'W' is corrupt",)),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["y"], name="g")],
                   [tensor("W", [2, 2], [1.0, float("nan"), 0.0, 0.0]),
                    tensor("b", [2], [0.0] * 2)]),
     ("node 'g' (Gemm)", "nan", "finite")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["y"])],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)],
                   inputs=[value_info("x", ["N", 2, 2])]),
     ("shape [N, 2, 2]", "[batch, n_features]")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z"])],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)],
                   outputs=[value_info("x")]),
     ("output 'x' is not the network's result",)),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z"])],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)],
                   outputs=[value_info("nowhere")]),
     ("output 'nowhere' is computed by no node",)),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z"]), node("Mul", ["z", "c"], ["s"]),
                    node("Max", ["z", "s"], ["a"], name="mx"),
                    node("Gemm", ["a", "W", "b"], ["y"])],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2),
                    tensor("c", [], [0.2])]),
     ("node 'mx' (Max)", "alpha 0.2")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z"]), node("Relu", ["z"], ["a"]),
                    node("Max", ["a", "z"], ["y"], name="mx")],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)]),
     ("node 'mx' (Max)", "only as Max(Z, Z * 0.01)")),
    (lambda: model([node("Gemm", ["x", "W", "b"], ["z"]), node("Cast", ["z"], ["y"], to=7)],
                   [tensor("W", [2, 2], [1.0] * 4), tensor("b", [2], [0.0] * 2)]),
     ("(Cast)", "change the numbers")),
])
def test_graphs_tinynet_cannot_run_are_refused_naming_the_problem(build, fragments) -> None:
    refused(build(), *fragments)


def test_a_model_local_function_is_refused_with_how_to_inline_it() -> None:
    data = model([node("Linear", ["x"], ["y"], name="call", domain="pkg.torch")],
                 opsets={"": 18, "pkg.torch": 1})
    data += f_bytes(25, f_str(4, "Linear"))  # ModelProto.functions
    refused(data, "node 'call' (pkg.torch:Linear)", "function defined inside the model",
            "inline")


def test_a_field_with_the_wrong_wire_type_is_refused() -> None:
    good = torch_like(W1_T, B1, W2_T, B2)
    refused(f_int(7, 5) + good, "ModelProto.graph", "wire type 0")  # graph as a varint
    bad_tensor = f_bytes(2, b"\x01") + f_str(8, "W")  # data_type as bytes
    refused(model([node("Gemm", ["x", "W"], ["y"])], [bad_tensor]), "TensorProto.data_type",
            "wire type 2")


def test_text_and_other_files_are_refused_as_not_onnx() -> None:
    refused(b'{"format": "tinynet-model"}', "not an ONNX model", "JSON")
    refused(b"", "no graph")
    refused(b"\x89PNG\r\n\x1a\n" + bytes(40), "ONNX")
    refused(b'"""A Python module."""\nimport os\n', "not an ONNX model: it is text")
    refused("# café\n".encode() * 60, "not an ONNX model: it is text")


def test_a_node_name_that_is_not_utf8_is_refused() -> None:
    data = model([f_bytes(3, b"\xff\xfe") + f_str(4, "Relu")])
    refused(data, "NodeProto.name", "UTF-8")


def test_a_missing_file_is_refused_naming_it(tmp_path) -> None:
    refused_path = str(tmp_path / "absent.onnx")
    with pytest.raises(ModelFileError, match="cannot read ONNX file .*absent.onnx"):
        read_onnx(refused_path)


def external_model(location: str, offset: str = "0", length: str = None) -> bytes:
    entries = [("location", location), ("offset", offset)] + (
        [("length", length)] if length is not None else [])
    W = (f_bytes(1, _varint(2) + _varint(2)) + f_int(2, FLOAT) + f_str(8, "W")
         + b"".join(f_bytes(13, f_str(1, k) + f_str(2, v)) for k, v in entries) + f_int(14, 1))
    return model([node("Gemm", ["x", "W", "b"], ["y"], name="g")],
                  [W, tensor("b", [2], [0.0, 0.0])])


def test_external_data_outside_the_models_folder_is_refused(tmp_path) -> None:
    for location in ("../secret.bin", "/etc/passwd", "sub/../../x.bin"):
        path = tmp_path / "m.onnx"
        path.write_bytes(external_model(location))
        with pytest.raises(ModelFileError, match="outside the model's folder"):
            read_onnx(str(path))


def test_external_data_that_is_short_missing_or_mislabelled_is_refused(tmp_path) -> None:
    (tmp_path / "w.bin").write_bytes(struct.pack("<4f", 1.0, 2.0, 3.0, 4.0))
    cases = [
        (external_model("w.bin"), None),  # fine: 16 bytes at offset 0
        (external_model("w.bin", offset="4"), "needs bytes 4 to 20 of the external file"),
        (external_model("absent.bin"), "cannot read its external data file 'absent.bin'"),
        (external_model("w.bin", length="12"), "needs 16 bytes but its external data has length"),
        (external_model("w.bin", offset="-3"), "offset '-3' is not a whole number"),
    ]
    for data, problem in cases:
        (tmp_path / "m.onnx").write_bytes(data)
        if problem is None:
            assert read_onnx(str(tmp_path / "m.onnx"))["params"]["W1"] == [[1.0, 2.0],
                                                                           [3.0, 4.0]]
        else:
            with pytest.raises(ModelFileError, match=problem):
                read_onnx(str(tmp_path / "m.onnx"))


def top_level_field_ends(data: bytes) -> set:
    """Where each field of the ModelProto ends: cut there, the file is shorter but whole."""
    ends, pos = {0}, 0
    while pos < len(data):
        key, pos = decode_varint(data, pos)
        if key & 7 == 0:
            _, pos = decode_varint(data, pos)
        else:  # the ModelProto's fields are varints or length-delimited
            size, pos = decode_varint(data, pos)
            pos += size
        ends.add(pos)
    return ends


def decode_varint(data: bytes, pos: int) -> tuple:
    value, shift = 0, 0
    while True:
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if byte < 0x80:
            return value, pos


def test_real_files_cut_short_anywhere_are_refused_as_truncated() -> None:
    for name in ("torch_relu_softmax_4_16_3.onnx", "sklearn_mlpclassifier_iris_zipmap.onnx"):
        with open(os.path.join(DATA, name), "rb") as f:
            data = f.read()
        whole = top_level_field_ends(data)
        for cut in range(len(data)):
            if cut in whole:  # a shorter message: it may lack its graph or an opset, or not
                try:
                    assert read_onnx(data[:cut]) == read_onnx(data)
                except ModelFileError as error:
                    assert re.search("no graph|no operator set|does not import", str(error))
            else:
                with pytest.raises(ModelFileError, match="truncated"):
                    read_onnx(data[:cut])


def test_real_files_with_random_bytes_changed_load_or_are_refused_cleanly() -> None:
    rng = random.Random(16)
    originals = []
    for path in REAL_FILES:
        with open(path, "rb") as f:
            originals.append((path, f.read()))
    outcomes = {"loaded": 0, "refused": 0}
    for trial in range(600):
        path, data = originals[trial % len(originals)]
        if "external" in path:
            continue  # its weights are in another file, which bytes alone cannot reach
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(damaged))
            kind = rng.randrange(3)  # a byte changed, inserted or removed
            if kind == 0:
                damaged[at] = rng.randrange(256)
            elif kind == 1:
                damaged.insert(at, rng.randrange(256))
            else:
                del damaged[at]
        try:
            d = read_onnx(bytes(damaged))
            # What reads is a whole model: it builds a network that predicts a row.
            net = NeuralNet.from_dict(d)
            net.predict_proba([[0.5] * net.layers[0]]) if net.output_layer.is_classifier \
                else net.predict([[0.5] * net.layers[0]])
        except ModelFileError:
            outcomes["refused"] += 1
            continue
        outcomes["loaded"] += 1
    assert outcomes["refused"] > 200 and outcomes["loaded"] > 20, outcomes


# --- export -----------------------------------------------------------------------------

EXPORT_CASES = [(output, activation, scaled, dtype)
                for output in ("sigmoid", "softmax", "linear")
                for activation, scaled in (("relu", False), ("leaky_relu", True),
                                           ("tanh", True), ("sigmoid", False))
                for dtype in ("float32", "float64")]


@pytest.mark.parametrize("output,activation,scaled,dtype", EXPORT_CASES)
def test_exported_file_reads_back_and_predicts_as_tinynet(output, activation, scaled,
                                                          dtype) -> None:
    net = trained(output, activation, scaled)
    d = read_onnx(write_onnx(modelfile.to_dict(net), dtype))
    assert (d["layers"], d["activation"], d["output"]) == (net.layers, activation, output)
    assert (d["scaler"] is not None) == scaled
    if dtype == "float64" and not (scaled and output == "linear"):
        # Exact: the same float64 weights, and the scaler as it was.
        assert d["params"] == modelfile.to_dict(net)["params"]
        assert d["scaler"] == modelfile.to_dict(net)["scaler"]
    rel = 1e-6 if dtype == "float32" else 1e-12
    assert_close(outputs(network(d), X3), outputs(net, X3), rel, abs_=rel)


@pytest.mark.parametrize("output,activation,scaled,dtype", EXPORT_CASES)
def test_exported_graph_computes_tinynets_outputs_in_an_independent_interpreter(
        output, activation, scaled, dtype) -> None:
    net = trained(output, activation, scaled)
    graph = one(decode(write_onnx(modelfile.to_dict(net), dtype), MODEL), "graph")
    rel = 1e-6 if dtype == "float32" else 1e-12
    results = run_decoded(graph, X3)
    if output == "linear":
        assert list(results) == ["values"]
        assert_close(results["values"], outputs(net, X3), rel, abs_=rel)
    else:
        # skl2onnx's order: the labels, then the probabilities.
        assert list(results) == ["label", "probabilities"]
        assert_close(results["probabilities"], outputs(net, X3), rel, abs_=rel)
        assert results["label"] == net.predict(X3)


def test_exported_file_follows_onnx_proto_field_by_field() -> None:
    net = trained("softmax", "tanh", scaled=True)
    saved = modelfile.to_dict(net)
    m = decode(write_onnx(saved), MODEL)
    assert one(m, "ir_version") == onnx_export.IR_VERSION == 8
    # The default domain has no domain field; ai.onnx.ml is for ArrayFeatureExtractor.
    assert m["opset_import"] == [{"version": [13]}, {"domain": ["ai.onnx.ml"], "version": [1]}]
    assert one(m, "producer_name") == "tinynet"
    graph = one(m, "graph")
    ops = [one(n, "op_type") for n in graph["node"]]
    assert ops == ["Sub", "Div", "Gemm", "Tanh", "Gemm", "Tanh", "Gemm", "Softmax", "ArgMax",
                   "ArrayFeatureExtractor", "Reshape"]
    # The nodes chain: each reads the previous one's output (the classes come first).
    for previous, current in zip(graph["node"], graph["node"][1:]):
        assert current["input"][-1 if one(current, "op_type") == "ArrayFeatureExtractor"
                                else 0] == one(previous, "output")
    assert one(graph["node"][-2], "domain") == "ai.onnx.ml"
    assert one(graph["input"][0], "name") == "x"
    assert [one(info, "name") for info in graph["output"]] == ["label", "probabilities"]
    assert one(graph["output"][0], "name") == one(graph["node"][-1], "output")
    assert one(graph["output"][1], "name") == one(graph["node"][7], "output")
    for info, elem_type, dims in ((graph["input"][0], FLOAT, [3]),
                                  (graph["output"][0], INT64, []),
                                  (graph["output"][1], FLOAT, [3])):
        tensor_type = one(one(info, "type"), "tensor_type")
        assert one(tensor_type, "elem_type") == elem_type
        assert one(tensor_type, "shape")["dim"] == [{"dim_param": ["batch"]}] + [
            {"dim_value": [width]} for width in dims]
    softmax = one(graph["node"][7], "attribute")
    assert (one(softmax, "name"), one(softmax, "type"), one(softmax, "i")) == ("axis", 2,
                                                                            2**64 - 1)  # -1
    initializers = {one(t, "name"): t for t in graph["initializer"]}
    assert sorted(initializers) == ["W1", "W2", "W3", "b1", "b2", "b3", "classes",
                                    "label_shape", "scaler_mean", "scaler_scale"]
    # Without classes the labels are the class indices, as int64.
    classes = initializers["classes"]
    assert (one(classes, "dims"), one(classes, "data_type")) == ([3], INT64)
    assert struct.unpack("<3q", one(classes, "raw_data")) == (0, 1, 2)
    W2 = initializers["W2"]
    assert (one(W2, "dims"), one(W2, "data_type")) == ([4, 3], FLOAT)
    stored = struct.unpack("<12f", one(W2, "raw_data"))
    assert list(stored) == [struct.unpack("<f", struct.pack("<f", w))[0]
                            for row in saved["params"]["W2"] for w in row]


def test_float64_export_stores_doubles_and_writes_leaky_relu_as_a_max() -> None:
    net = trained("sigmoid", "leaky_relu")
    float32_graph = one(decode(write_onnx(modelfile.to_dict(net)), MODEL), "graph")
    float64_graph = one(decode(write_onnx(modelfile.to_dict(net), "float64"), MODEL), "graph")
    labels = ["Sub", "Concat", "ArgMax", "ArrayFeatureExtractor", "Reshape"]
    assert [one(n, "op_type") for n in float32_graph["node"]] == [
        "Gemm", "LeakyRelu", "Gemm", "LeakyRelu", "Gemm", "Sigmoid"] + labels
    leaky = one(float32_graph["node"][1], "attribute")
    assert (one(leaky, "name"), one(leaky, "type")) == ("alpha", 1)
    assert one(leaky, "f") == struct.unpack("<f", struct.pack("<f", 0.01))[0]
    assert [one(n, "op_type") for n in float64_graph["node"]] == [
        "Gemm", "Mul", "Max", "Gemm", "Mul", "Max", "Gemm", "Sigmoid"] + labels
    assert {one(t, "name"): one(t, "data_type") for t in float64_graph["initializer"]
            if one(t, "data_type") != DOUBLE} == {"classes": INT64, "label_shape": INT64}
    W1 = [t for t in float64_graph["initializer"] if one(t, "name") == "W1"][0]
    assert list(struct.unpack("<12d", one(W1, "raw_data"))) == [
        w for row in net.params["W1"].tolist() for w in row]


def test_a_target_scaler_is_undone_in_the_graph() -> None:
    net = trained("linear", scaled=True)
    graph = one(decode(write_onnx(modelfile.to_dict(net)), MODEL), "graph")
    assert [one(n, "op_type") for n in graph["node"]][-2:] == ["Mul", "Add"]
    assert one(graph["output"][0], "name") == "values"
    # Read back, the target scaler is folded into the last layer: same predictions.
    d = read_onnx(write_onnx(modelfile.to_dict(net), "float64"))
    assert d["target_scaler"] is None
    assert_close(outputs(network(d), X3), outputs(net, X3), 1e-12, 1e-9)


def test_save_onnx_writes_the_same_bytes_to_a_file(tmp_path) -> None:
    saved = modelfile.to_dict(trained("sigmoid"))
    save_onnx(saved, tmp_path / "m.onnx")
    assert (tmp_path / "m.onnx").read_bytes() == write_onnx(saved)
    with pytest.raises(ModelFileError, match="cannot write ONNX file"):
        save_onnx(saved, tmp_path / "no_such_folder" / "m.onnx")


def test_export_refuses_what_is_not_a_valid_model() -> None:
    good = modelfile.to_dict(trained("softmax"))

    def changed(**updates: object) -> dict:
        d = json.loads(json.dumps(good))
        d.update(updates)
        return d

    W1_nan = changed()
    W1_nan["params"]["W1"][1][2] = float("nan")
    W2_huge = changed()
    W2_huge["params"]["W2"][0][0] = 1e39
    cases = [
        (changed(version=3), "version 3"),
        (changed(classes=["a", "b"]), "'classes' must be a list of 3 class labels"),
        (changed(classes=["a", "b", None]), "'classes' item 2 is None"),
        (changed(classes=["a", "b", 3]), "mixes text and numbers"),
        (changed(format="other"), "not a tinynet model"),
        (changed(layers=[3, 4, 9, 3]), "W2 must be 4 rows of 9 numbers"),
        (changed(activation="swish"), "unknown activation 'swish'"),
        (changed(target_scaler={"mean": [0.0] * 3, "scale": [1.0] * 3}),
         "target_scaler is only for a linear output"),
        (changed(scaler={"mean": [0.0] * 3, "scale": [1.0, 0.0, 1.0]}), "scale must be positive"),
        (W1_nan, "W1 row 1 position 2 is nan"),
        (W2_huge, "W2 position 0 is 1e+39, too large for a float32: export with dtype='float64'"),
    ]
    for d, problem in cases:
        with pytest.raises(ModelFileError, match=problem.replace("(", r"\(").replace(
                ")", r"\)").replace("+", r"\+")):
            write_onnx(d)
    assert read_onnx(write_onnx(W2_huge, "float64"))["params"]["W2"][0][0] == 1e39
    with pytest.raises(ConfigError, match="dtype must be 'float32' or 'float64'"):
        write_onnx(good, "float16")


# --- scikit-learn ------------------------------------------------------------------------


class FakeArray:
    """Enough of a NumPy array for from_sklearn: ``tolist``."""

    def __init__(self, values: list) -> None:
        self.values = values

    def tolist(self) -> list:
        return json.loads(json.dumps(self.values))


class FakeMLP:
    """What a fitted scikit-learn MLP keeps, for layers [3, 2, k]."""

    def __init__(self, out_activation: str, k: int, classes: list = None,
                 activation: str = "tanh") -> None:
        self.coefs_ = [FakeArray([[0.5, -1.0], [0.25, 0.75], [-0.5, 2.0]]),
                       FakeArray([[0.1 * (j + 1) * (-1) ** i for j in range(k)]
                                  for i in range(2)])]
        self.intercepts_ = [FakeArray([0.125, -0.25]), FakeArray([0.05 * j for j in range(k)])]
        self.activation = activation
        self.out_activation_ = out_activation
        self.n_features_in_ = 3
        if classes is not None:
            self.classes_ = FakeArray(classes)


def sklearn_forward(est: FakeMLP, X: list) -> list:
    """scikit-learn's forward pass (MLP._forward_pass): tanh hidden, then its output."""
    W1, W2 = est.coefs_[0].values, est.coefs_[1].values
    b1, b2 = est.intercepts_[0].values, est.intercepts_[1].values
    result = []
    for x in X:
        a = [math.tanh(sum(x[i] * W1[i][j] for i in range(3)) + b1[j]) for j in range(2)]
        z = [sum(a[i] * W2[i][j] for i in range(2)) + b2[j] for j in range(len(b2))]
        if est.out_activation_ == "softmax":
            e = [math.exp(v - max(z)) for v in z]
            z = [v / sum(e) for v in e]
        elif est.out_activation_ == "logistic":
            z = [1.0 / (1.0 + math.exp(-v)) for v in z]
        result.append(z)
    return result


@pytest.mark.parametrize("out_activation,k,classes,output", [
    ("logistic", 1, ["cat", "dog"], "sigmoid"),
    ("softmax", 3, [2, 5, 7], "softmax"),
    ("identity", 2, None, "linear"),
])
def test_sklearn_mlp_predicts_as_scikit_learn_computes(out_activation, k, classes,
                                                       output) -> None:
    est = FakeMLP(out_activation, k, classes)
    d = from_sklearn(est)
    assert (d["layers"], d["activation"], d["output"], d["classes"]) == ([3, 2, k], "tanh",
                                                                         output, classes)
    assert_close(outputs(network(d), X3), sklearn_forward(est, X3), 1e-12, 1e-15)


def test_sklearn_column_names_become_the_features() -> None:
    est = FakeMLP("softmax", 3, [0, 1, 2], activation="logistic")
    est.feature_names_in_ = FakeArray(["a", "b", "c"])
    d = from_sklearn(est)
    assert d["features"] == ["a", "b", "c"] and d["activation"] == "sigmoid"
    assert network(d).feature_names == ["a", "b", "c"]


def test_sklearn_identity_hidden_layers_read_as_tinynet_identity() -> None:
    est = FakeMLP("identity", 1, activation="identity")
    d = from_sklearn(est)
    assert d["activation"] == "identity"
    W1, W2 = est.coefs_[0].values, est.coefs_[1].values
    b1, b2 = est.intercepts_[0].values, est.intercepts_[1].values
    expected = []
    for x in X3:  # no activation between the layers: (x W1 + b1) W2 + b2
        a = [sum(x[i] * W1[i][j] for i in range(3)) + b1[j] for j in range(2)]
        expected.append([sum(a[i] * W2[i][0] for i in range(2)) + b2[0]])
    assert_close(outputs(network(d), X3), expected, 1e-12, 1e-15)


class FakeScaler:
    """What a fitted StandardScaler keeps (None for a part turned off)."""

    def __init__(self, mean: list = None, scale: list = None) -> None:
        self.mean_ = None if mean is None else FakeArray(mean)
        self.scale_ = None if scale is None else FakeArray(scale)


class FakePipeline:
    def __init__(self, *steps: object) -> None:
        self.steps = [("step%d" % i, step) for i, step in enumerate(steps)]


def test_an_sklearn_pipeline_with_a_standard_scaler_keeps_the_scaler() -> None:
    est = FakeMLP("softmax", 3, ["a", "b", "c"])
    mean, scale = [1.0, -2.0, 0.5], [2.0, 0.5, 4.0]
    scaler = FakeScaler(mean, scale)
    scaler.feature_names_in_ = FakeArray(["p", "q", "r"])
    d = from_sklearn(FakePipeline(scaler, "passthrough", est))
    assert d["scaler"] == {"mean": mean, "scale": scale} and d["features"] == ["p", "q", "r"]
    scaled = [[(x[j] - mean[j]) / scale[j] for j in range(3)] for x in X3]
    assert_close(outputs(network(d), X3), sklearn_forward(est, scaled), 1e-12, 1e-15)
    # with_mean=False / with_std=False leave a part unused; a pipeline of the MLP alone has none.
    assert from_sklearn(FakePipeline(FakeScaler(None, scale), est))["scaler"] == {
        "mean": [0.0] * 3, "scale": scale}
    assert from_sklearn(FakePipeline(est))["scaler"] is None
    min_max = FakeArray([1.0])  # has no mean_ and scale_: not a StandardScaler
    for pipeline, problem in [
            (FakePipeline(min_max, est), "step 'step0' (FakeArray) is not the one StandardScaler"),
            (FakePipeline(scaler, scaler, est), "step 'step1' (FakeScaler)"),
            (FakePipeline(FakeScaler(mean[:2], scale[:2]), est), "mean_ has 2 values but the "
                                                                    "network takes 3 inputs"),
            (FakePipeline(FakeScaler(mean, [1.0, 0.0, 1.0]), est), "scale_ position 1 is 0.0"),
            (FakePipeline("passthrough"), "no MLP")]:
        with pytest.raises(ModelFileError, match=re.escape(problem)):
            from_sklearn(pipeline)


def test_sklearn_models_tinynet_cannot_run_are_refused() -> None:
    swish = FakeMLP("softmax", 3, [0, 1, 2], activation="swish")
    multilabel = FakeMLP("logistic", 2, [0, 1])
    poisson = FakeMLP("exp", 1)
    unchained = FakeMLP("identity", 1)
    unchained.coefs_[1] = FakeArray([[1.0], [2.0], [3.0]])
    wrong_width = FakeMLP("identity", 1)
    wrong_width.n_features_in_ = 4
    nan = FakeMLP("identity", 1)
    nan.intercepts_[0] = FakeArray([0.0, float("nan")])
    cases = [(swish, "activation 'swish'"), (multilabel, "multi-label"),
             (poisson, "out_activation_ 'exp'"), (unchained, "do not chain"),
             (wrong_width, "n_features_in_ is 4"), (nan, r"intercepts_\[0\] position 1 is nan")]
    for est, problem in cases:
        with pytest.raises(ModelFileError, match=problem):
            from_sklearn(est)
    with pytest.raises(NotFittedError, match="fit it first"):
        from_sklearn(object())


@pytest.mark.parametrize("out_activation,k,classes", [
    ("softmax", 3, ["x", "y", "z"]), ("softmax", 3, [-1, 0, 5]), ("logistic", 1, [0.5, 2.5]),
    ("logistic", 1, ["no", "yes"])])
def test_an_sklearn_model_exports_to_onnx_with_its_labels(out_activation, k, classes) -> None:
    est = FakeMLP(out_activation, k, classes)
    d = from_sklearn(est)
    data = write_onnx(d, "float64")
    back = read_onnx(data)
    assert back["params"] == d["params"] and back["classes"] == classes
    graph = one(decode(data, MODEL), "graph")
    label_type = one(one(one(graph["output"][0], "type"), "tensor_type"), "elem_type")
    assert label_type == {str: STRING, int: INT64, float: DOUBLE}[type(classes[0])]
    # The labels the graph computes are scikit-learn's: the most probable class.
    probabilities = sklearn_forward(est, X3)
    expected = [classes[int(row[0] >= 0.5)] if k == 1 else classes[row.index(max(row))]
                for row in probabilities]
    assert run_decoded(graph, X3)["label"] == expected


@pytest.mark.parametrize("module", ["onnx_values", "onnx_import", "onnx_export",
                                    "sklearn_bridge"])
def test_docstring_examples_run(module) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("tinynet." + module))
    assert result.failed == 0 and result.attempted > 0


# --- MicroPython ----------------------------------------------------------------------------


def test_reader_and_writer_give_the_same_results_on_micropython(tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    names = ["torch_relu_softmax_4_16_3", "torch_tanh_sigmoid_13_8_1"]
    printed = mpy.run_micropython(
        """
        import json
        from tinynet.network import NeuralNet
        from tinynet.onnx_import import read_onnx
        for name in %r:
            d = read_onnx("/data/" + name + ".onnx")
            print(json.dumps([d["layers"], d["activation"], d["output"], d["params"]]))
            NeuralNet.from_dict(d).to_onnx("/" + name + "_out.onnx")
        """ % names,
        files={"/data/%s.onnx" % n: os.path.join(DATA, n + ".onnx") for n in names},
        out={"/%s_out.onnx" % n: tmp_path / (n + ".onnx") for n in names},
    )
    lines = printed.splitlines()
    assert len(lines) == 2
    for name, line in zip(names, lines):
        here = read_onnx(os.path.join(DATA, name + ".onnx"))
        # The WebAssembly build has double floats: the same numbers, bit for bit.
        assert json.loads(line) == [here["layers"], here["activation"], here["output"],
                                    here["params"]]
        assert (tmp_path / (name + ".onnx")).read_bytes() == write_onnx(here)


# The two files the issue names for boards: PyTorch's [4, 16, 3] softmax and [13, 8, 1] sigmoid.
BOARD_FILES = ["torch_relu_softmax_4_16_3", "torch_tanh_sigmoid_13_8_1"]

# Read the model and predict its reference rows there; print the probabilities as JSON.
BOARD_JOB = """
import json
from tinynet.network import NeuralNet
net = NeuralNet.from_onnx(%r)
print(json.dumps(net.predict_proba(%r).tolist()))
"""

# Heaps that pass with room to spare: the smallest measured for these jobs were 225 KB
# (.py) and 129 KB (.mpy), for [13, 8, 1] (python tests/board.py, the job in a file).
BOARD_HEAP_KB = {"py": 320, "mpy": 192}


def assert_like_onnxruntime(printed: str, name: str) -> None:
    """The probabilities printed match onnxruntime's stored ones within 1e-5 relative."""
    with open(os.path.join(DATA, name + ".json")) as f:
        reference = json.load(f)
    assert_close(json.loads(printed), list(reference["outputs"].values())[0], 1e-5)


def reference_rows(name: str) -> list:
    with open(os.path.join(DATA, name + ".json")) as f:
        return json.load(f)["input"]


@pytest.mark.parametrize("name", BOARD_FILES)
def test_a_webassembly_micropython_predicts_what_onnxruntime_did(name) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    printed = mpy.run_micropython(BOARD_JOB % ("/m.onnx", reference_rows(name)),
                                  files={"/m.onnx": os.path.join(DATA, name + ".onnx")})
    assert_like_onnxruntime(printed, name)


@pytest.mark.parametrize("form", ["py", "mpy"])
@pytest.mark.parametrize("name", BOARD_FILES)
def test_a_board_predicts_what_onnxruntime_did_in_single_precision(name, form) -> None:
    import board

    board.require_board(form)
    printed = board.run_board(BOARD_JOB % ("m.onnx", reference_rows(name)), BOARD_HEAP_KB[form],
                              form, files={"m.onnx": os.path.join(DATA, name + ".onnx")})
    assert_like_onnxruntime(printed, name)


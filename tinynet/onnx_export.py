"""Writing a tinynet model as an ONNX file, for onnxruntime and the rest.

``write_onnx(model)`` turns a model dict (``tinynet.modelfile.to_dict``,
or a model file's parsed JSON) into the bytes of an ONNX model;
``save_onnx(model, path)`` writes them to a file, whole or not at all.
``NeuralNet.to_onnx(path)`` and ``tinynet export model.json --to onnx``
call these.

The file targets **ONNX IR version 8** and **opset 13** of the standard
operators, plus version 1 of ``ai.onnx.ml`` for a classifier's labels
(onnxruntime 1.10 and later, onnx 1.10 and later, and every recent
converter read them).  Its graph::

    input   x: [batch, n0]              float32 (or float64 with dtype="float64")
    scaler  Sub(x, scaler_mean) -> Div(., scaler_scale)      (when there is one)
    layer   Gemm(A, Wl, bl) -> Zl        (Wl stored inputs x units, transB=0)
            Relu / LeakyRelu(alpha=0.01) / Tanh / Sigmoid / Identity (Zl) -> Al
            (float64 leaky ReLU: Max(Zl, Mul(Zl, 0.01)), which onnxruntime runs)
    output  what the output kind writes (``OUTPUT_GRAPHS``, one row per kind):

    sigmoid  label: [batch]           ArgMax over [1 - p, p] (ties: class 1),
                                      then the class labels (ArrayFeatureExtractor)
             probabilities: [batch, 1]   Sigmoid(ZL): P(the second class)
    softmax  label: [batch]           ArgMax over the probabilities, then the labels
             probabilities: [batch, k]   Softmax(ZL, axis=-1)
    linear   values: [batch, nL]      ZL, with Mul(., target_scale) and
                                      Add(., target_mean) when there is a target scaler

* **Outputs as skl2onnx writes them**: a classifier's ``label`` first, then
  its ``probabilities``, so code written for scikit-learn's ONNX files runs
  tinynet's.  ``probabilities`` are exactly what ``NeuralNet.predict_proba``
  gives, so a two-class (sigmoid) network's has one column, P(class 1),
  where skl2onnx writes two, ``[1 - p, p]``.  ``label`` holds the network's
  ``classes`` (int64 for whole numbers and true/false, double for other
  numbers, string for text), or the class indices ``0..k-1`` when it has
  none.  A regressor's output is ``values``, as ``predict`` gives them.
* **The identity hidden activation is an Identity node**, as skl2onnx writes
  scikit-learn's ``activation='identity'``: every hidden layer then ends in
  a node named ``Al``, and the graph says that the layers are meant to be
  joined without an activation (onnxruntime removes the node when it
  optimizes the graph).  tinynet's reader takes both forms.
* **The scalers are nodes**, not folded into ``W1``: the weights stay the
  ones tinynet trained, bit for bit in float64, and reading the file back
  (``tinynet.onnx_import``) gives the scaler back.
* **Weights** are stored as raw little-endian bytes; float32 rounds each to
  the nearest float32 (relative change at most 6e-8).

>>> model = {"format": "tinynet-model", "version": 1, "layers": [2, 1],
...          "activation": "relu", "output": "sigmoid",
...          "params": {"W1": [[0.5], [-2.0]], "b1": [0.25]}}
>>> data = write_onnx(model)
>>> data[:2]  # field 1 (ir_version), a varint: 8
b'\\x08\\x08'
"""

import math

from . import files
from .activations import LEAKY_SLOPE
from .errors import ConfigError, ModelFileError
from .onnx_proto import (
    DOUBLE,
    FLOAT,
    INT64,
    STRING,
    Graph,
    Model,
    Node,
    Tensor,
    ValueInfo,
    write_model,
)
from .outputs import OUTPUT_LAYERS, OUTPUT_NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    from .files import Path

IR_VERSION = 8
OPSET = 13
ML_OPSET = 1  # ai.onnx.ml, for ArrayFeatureExtractor
ML = "ai.onnx.ml"

DTYPES = {"float32": FLOAT, "float64": DOUBLE}

# tinynet's hidden activation, and the operator written after each hidden layer.
HIDDEN_OPERATORS = {"relu": "Relu", "leaky_relu": "LeakyRelu", "tanh": "Tanh",
                    "sigmoid": "Sigmoid", "identity": "Identity"}

# The largest finite float32: a weight beyond it would become infinity.
FLOAT32_MAX = 3.4028234663852886e38


def write_onnx(model: "Dict[str, Any]", dtype: str = "float32") -> bytes:
    """The ONNX bytes of the network described by the model dict ``model``.

    ``dtype`` is ``"float32"`` (the default: what onnxruntime and phones run
    fastest) or ``"float64"``.  Raises ``ModelFileError`` when ``model`` is
    not a valid tinynet model (naming the problem), or a weight does not fit
    in a float32, and ``ConfigError`` for another ``dtype``.
    """
    if dtype not in DTYPES:
        raise ConfigError("dtype must be 'float32' or 'float64', got %r" % (dtype,))
    net = _checked(model)
    builder = GraphBuilder(DTYPES[dtype])
    return write_model(builder.build(net))


def save_onnx(model: "Dict[str, Any]", path: "Path", dtype: str = "float32") -> bytes:
    """Write ``write_onnx(model, dtype)`` to the file ``path``, whole or not at
    all, and return those bytes.

    The bytes are built first, so a model that cannot be written touches no
    file; then ``tinynet.files.write_atomically`` writes them beside ``path``
    and renames them over it, so a failure leaves the old file (or none).
    Raises ``ModelFileError`` when the file cannot be written.
    """
    data = write_onnx(model, dtype)
    name = files.path_text(path)
    if name is None:
        raise ModelFileError("an ONNX file's path must be a str or os.PathLike, got %r"
                             % (path,))
    try:
        files.write_atomically(name, data)
    except OSError as error:
        raise ModelFileError("cannot write ONNX file %r: %s"
                             % (name, files.reason(error, files.folder(name))))
    return data


class GraphBuilder:
    """Adds nodes and initializers to a graph, each value named once."""

    def __init__(self, data_type: int) -> None:
        self.data_type = data_type
        self.graph = Graph()
        self.graph.name = "tinynet"
        self.opsets = {"": OPSET}

    def constant(self, name: str, values: "List[Any]", dims: "List[int]",
                 data_type: int = 0) -> str:
        """An initializer holding ``values`` (row-major) with shape ``dims``, of
        the graph's number type unless ``data_type`` says otherwise."""
        data_type = data_type or self.data_type
        if data_type == FLOAT:
            _check_float32(values, name)
        tensor = Tensor(name, dims, data_type)
        tensor.values = values
        self.graph.initializers.append(tensor)
        return name

    def node(self, op_type: str, inputs: "List[str]", output: str, domain: str = "",
             **attributes: "Any") -> str:
        """A node ``output = op_type(inputs)``, named after its output."""
        node = Node()
        node.name = output
        node.op_type = op_type
        node.domain = domain
        node.inputs = inputs
        node.outputs = [output]
        node.attributes = attributes
        self.graph.nodes.append(node)
        if domain:
            self.opsets[domain] = ML_OPSET
        return output

    def output(self, name: str, shape: "List[Any]", elem_type: int = 0) -> None:
        """Declare ``name`` a graph output (of the graph's number type unless
        ``elem_type`` says otherwise); ``"batch"`` leaves the row count open."""
        info = ValueInfo(name)
        info.elem_type = elem_type or self.data_type
        info.shape = shape
        self.graph.outputs.append(info)

    def build(self, net: "Dict[str, Any]") -> Model:
        layers = net["layers"]
        A = "x"
        x = ValueInfo(A)
        x.elem_type = self.data_type
        x.shape = ["batch", layers[0]]
        self.graph.inputs.append(x)
        scaler = net["scaler"]
        if scaler is not None:
            # (x - mean) / scale, as StandardScaler.transform computes it.
            mean = self.constant("scaler_mean", scaler["mean"], [layers[0]])
            scale = self.constant("scaler_scale", scaler["scale"], [layers[0]])
            A = self.node("Sub", [A, mean], "x_centered")
            A = self.node("Div", [A, scale], "x_scaled")
        n_layers = len(layers) - 1
        for l in range(1, n_layers + 1):
            W, b = net["params"]["W%d" % l], net["params"]["b%d" % l]
            W_name = self.constant("W%d" % l, [w for row in W for w in row],
                                   [layers[l - 1], layers[l]])
            b_name = self.constant("b%d" % l, b, [layers[l]])
            Z = self.node("Gemm", [A, W_name, b_name], "Z%d" % l)
            if l < n_layers:
                A = self._hidden_activation(net["activation"], Z, "A%d" % l)
        OUTPUT_GRAPHS[net["output"]].write(self, net, Z)
        model = Model()
        model.ir_version = IR_VERSION
        model.producer = "tinynet"
        model.opsets = self.opsets
        model.graph = self.graph
        return model

    def _hidden_activation(self, activation: str, Z: str, A: str) -> str:
        """The node(s) computing the hidden activation ``A = g(Z)``.

        Leaky ReLU in float64 is written ``Max(Z, 0.01 * Z)`` (the same
        numbers, since the slope is below 1): onnxruntime has no float64
        LeakyRelu kernel.
        """
        operator = HIDDEN_OPERATORS[activation]
        if operator != "LeakyRelu":
            return self.node(operator, [Z], A)
        if self.data_type == FLOAT:
            return self.node("LeakyRelu", [Z], A, alpha=LEAKY_SLOPE)
        if "leaky_slope" not in [tensor.name for tensor in self.graph.initializers]:
            self.constant("leaky_slope", [LEAKY_SLOPE], [])
        scaled = self.node("Mul", [Z, "leaky_slope"], A + "_negative_part")
        return self.node("Max", [Z, scaled], A)

    def labels(self, indices: str, net: "Dict[str, Any]") -> None:
        """The ``label`` output: ``classes[index]`` for each row's class index,
        as skl2onnx writes it (ArrayFeatureExtractor, then a Reshape to one
        label per row)."""
        data_type, classes = label_tensor(net["classes"], net["n_classes"])
        self.constant("classes", classes, [len(classes)], data_type)
        self.constant("label_shape", [-1], [1], INT64)
        found = self.node("ArrayFeatureExtractor", ["classes", indices], "label_found",
                          domain=ML)
        self.node("Reshape", [found, "label_shape"], "label")
        self.output("label", ["batch"], data_type)


# --- the output kinds: one row of OUTPUT_GRAPHS each ------------------------------------


class OutputGraph:
    """What one output kind writes after the last layer's ``Z``: its nodes and outputs."""

    def write(self, builder: GraphBuilder, net: "Dict[str, Any]", Z: str) -> None:
        raise ModelFileError("an output kind with no ONNX graph")


class _SigmoidGraph(OutputGraph):
    """``probabilities = Sigmoid(Z)``, one column; the label from ``[1 - p, p]``."""

    def write(self, builder: GraphBuilder, net: "Dict[str, Any]", Z: str) -> None:
        p = builder.node("Sigmoid", [Z], "probabilities")
        # skl2onnx's two columns, for ArgMax; on a tie (p = 0.5) the last
        # index wins, as tinynet predicts class 1 when p >= 0.5.
        builder.constant("one", [1.0], [])
        q = builder.node("Sub", ["one", p], "probability_of_class_0")
        both = builder.node("Concat", [q, p], "both_probabilities", axis=1)
        index = builder.node("ArgMax", [both], "class_index", axis=1, select_last_index=1)
        builder.labels(index, net)
        builder.output(p, ["batch", 1])


class _SoftmaxGraph(OutputGraph):
    """``probabilities = Softmax(Z)`` over each row; the label of the largest."""

    def write(self, builder: GraphBuilder, net: "Dict[str, Any]", Z: str) -> None:
        p = builder.node("Softmax", [Z], "probabilities", axis=-1)
        index = builder.node("ArgMax", [p], "class_index", axis=1)
        builder.labels(index, net)
        builder.output(p, ["batch", net["layers"][-1]])


class _LinearGraph(OutputGraph):
    """``values = Z`` in the targets' units: ``Z * scale + mean`` with a target scaler."""

    def write(self, builder: GraphBuilder, net: "Dict[str, Any]", Z: str) -> None:
        n_out = net["layers"][-1]
        target_scaler = net["target_scaler"]
        if target_scaler is None:
            values = builder.node("Identity", [Z], "values")
        else:
            # StandardScaler.inverse_transform: z * scale + mean.
            scale = builder.constant("target_scale", target_scaler["scale"], [n_out])
            mean = builder.constant("target_mean", target_scaler["mean"], [n_out])
            scaled = builder.node("Mul", [Z, scale], "values_scaled")
            values = builder.node("Add", [scaled, mean], "values")
        builder.output(values, ["batch", n_out])


# What each output kind (tinynet.outputs.OUTPUT_NAMES) writes after the last layer.
OUTPUT_GRAPHS: "Dict[str, OutputGraph]" = {
    "sigmoid": _SigmoidGraph(), "softmax": _SoftmaxGraph(), "linear": _LinearGraph()}


def label_tensor(classes: "Optional[List[Any]]", n_classes: int) -> "Tuple[int, List[Any]]":
    """The ONNX type and values of a ``classes`` list, for the label output.

    Whole numbers and true/false (as 1/0) are INT64, other numbers DOUBLE,
    text STRING: the types ArrayFeatureExtractor takes.  Without classes the
    labels are the class indices ``0..k-1``.
    """
    if classes is None:
        return INT64, list(range(n_classes))
    if all(isinstance(c, str) for c in classes):
        return STRING, list(classes)
    if all(isinstance(c, int) for c in classes):  # bools are ints: True is 1
        return INT64, [int(c) for c in classes]
    if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in classes):
        return DOUBLE, [float(c) for c in classes]
    raise ModelFileError("'classes' %r mixes text and numbers; an ONNX label output holds "
                         "one type" % (classes,))


# --- checking the model dict ---------------------------------------------------------


def _checked(model: "Any") -> "Dict[str, Any]":
    """The parts of ``model`` the graph needs, checked; ModelFileError names a problem."""
    if not isinstance(model, dict) or model.get("format") != "tinynet-model":
        raise ModelFileError("not a tinynet model dict (its 'format' must be 'tinynet-model')")
    version = model.get("version")
    if version not in (1, 2) or isinstance(version, bool):
        raise ModelFileError("tinynet model version %r: this writer knows versions 1 and 2"
                             % (version,))
    layers = model.get("layers")
    if not isinstance(layers, list) or len(layers) < 2 or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in layers):
        raise ModelFileError("'layers' must be a list of at least 2 layer sizes >= 1, got %r"
                             % (layers,))
    activation, output = model.get("activation"), model.get("output")
    if activation not in HIDDEN_OPERATORS:
        raise ModelFileError("unknown activation %r: one of %s"
                             % (activation, ", ".join(sorted(HIDDEN_OPERATORS))))
    if output not in OUTPUT_GRAPHS:
        raise ModelFileError("unknown output %r: one of %s" % (output, ", ".join(OUTPUT_NAMES)))
    kind = OUTPUT_LAYERS[output]
    params = model.get("params")
    if not isinstance(params, dict):
        raise ModelFileError("'params' must be a dict holding W1, b1, ...")
    checked: "Dict[str, Any]" = {}
    for l in range(1, len(layers)):
        W, b = params.get("W%d" % l), params.get("b%d" % l)
        n_in, n_out = layers[l - 1], layers[l]
        if not isinstance(W, list) or len(W) != n_in or not all(
                isinstance(row, list) and len(row) == n_out for row in W):
            raise ModelFileError("W%d must be %d rows of %d numbers, for layers %r"
                                 % (l, n_in, n_out, layers))
        if not isinstance(b, list) or len(b) != n_out:
            raise ModelFileError("b%d must be a list of %d numbers" % (l, n_out))
        checked["W%d" % l] = [_numbers(row, "W%d row %d" % (l, i)) for i, row in enumerate(W)]
        checked["b%d" % l] = _numbers(b, "b%d" % l)
    if model.get("target_scaler") is not None and kind.is_classifier:
        raise ModelFileError("a target_scaler is only for a linear output, not %s" % output)
    try:
        kind.check_units(layers[-1])
    except ConfigError as error:
        raise ModelFileError(str(error))
    n_classes = kind.n_classes(layers[-1]) if kind.is_classifier else 0
    return {
        "layers": layers,
        "activation": activation,
        "output": output,
        "n_classes": n_classes,
        "classes": _classes(model.get("classes"), n_classes, output),
        "params": checked,
        "scaler": _scaler(model.get("scaler"), "scaler", layers[0]),
        "target_scaler": _scaler(model.get("target_scaler"), "target_scaler", layers[-1]),
    }


def _classes(saved: "Any", n_classes: int, output: str) -> "Optional[List[Any]]":
    """The class labels (``"classes"``, null or one per class), or ModelFileError."""
    if saved is None:
        return None
    if not n_classes:
        raise ModelFileError("'classes' names class labels, but a %s output is a regression"
                             % output)
    if not isinstance(saved, list) or len(saved) != n_classes:
        raise ModelFileError("'classes' must be a list of %d class labels for a %s output, "
                             "got %r" % (n_classes, output, saved))
    for j, label in enumerate(saved):
        if not isinstance(label, (str, int, float)) or (
                isinstance(label, float) and not math.isfinite(label)):
            raise ModelFileError("'classes' item %d is %r: a class label is text or a finite "
                                 "number" % (j, label))
    return list(saved)


def _scaler(saved: "Any", key: str, n_columns: int) -> "Optional[Dict[str, List[float]]]":
    if saved is None:
        return None
    if not isinstance(saved, dict):
        raise ModelFileError("'%s' must be null or a dict with 'mean' and 'scale'" % key)
    result = {}
    for part in ("mean", "scale"):
        values = saved.get(part)
        if not isinstance(values, list) or len(values) != n_columns:
            raise ModelFileError("'%s' %s must be a list of %d numbers" % (key, part, n_columns))
        result[part] = _numbers(values, "%s %s" % (key, part))
    for j, s in enumerate(result["scale"]):
        if s <= 0.0:
            raise ModelFileError("'%s' scale position %d is %r; a scale must be positive"
                                 % (key, j, s))
    return result


def _numbers(values: "List[Any]", where: str) -> "List[float]":
    """``values`` as finite floats that a float32 can hold, or ModelFileError."""
    result = []
    for j, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ModelFileError("%s position %d is %r, not a number" % (where, j, v))
        if not _fits_a_float(v) or not math.isfinite(float(v)):
            raise ModelFileError("%s position %d is %r; weights must be finite" % (where, j, v))
        result.append(float(v))
    return result


def _fits_a_float(value: "Any") -> bool:
    """False for an int too large to convert (10**400): CPython raises OverflowError."""
    try:
        float(value)
    except OverflowError:
        return False
    return True


def _check_float32(values: "List[float]", where: str) -> None:
    """ModelFileError naming the first value too large for a float32."""
    for j, v in enumerate(values):
        if abs(v) > FLOAT32_MAX:
            raise ModelFileError("%s position %d is %r, too large for a float32: export with "
                                 "dtype='float64'" % (where, j, v))


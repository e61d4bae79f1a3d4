"""Writing a tinynet model as an ONNX file, for onnxruntime and the rest.

``write_onnx(model)`` turns a model dict (``tinynet.modelfile.to_dict``,
or a model file's parsed JSON) into the bytes of an ONNX model;
``save_onnx(model, path)`` writes them to a file.

The file targets **ONNX IR version 8** and **opset 13** of the standard
operators (onnxruntime 1.10 and later, onnx 1.10 and later, and every
recent converter read them).  Its graph::

    input   x: [batch, n0]              float32 (or float64 with dtype="float64")
    scaler  Sub(x, scaler_mean) -> Div(., scaler_scale)      (when there is one)
    layer   Gemm(A, Wl, bl) -> Zl        (Wl stored inputs x units, transB=0)
            Relu / LeakyRelu(alpha=0.01) / Tanh / Sigmoid (Zl) -> Al
            (float64 leaky ReLU: Max(Zl, Mul(Zl, 0.01)), which onnxruntime runs)
    output  Sigmoid(ZL) or Softmax(ZL, axis=-1) -> probabilities: [batch, nL]
            or, linear: ZL -> values: [batch, nL], with Mul(., target_scale)
            and Add(., target_mean) when there is a target scaler

* **One output.**  A classifier's output is ``probabilities``, exactly what
  ``NeuralNet.predict_proba`` gives (one column, P(class 1), for a sigmoid
  output); a regressor's is ``values``, as ``predict`` gives them.  No label
  output is written: the label is the column of the largest probability
  (``argmax``), or ``p >= 0.5`` for a sigmoid output.
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

from .errors import ConfigError, ModelFileError
from .onnx_proto import DOUBLE, FLOAT, Graph, Model, Node, Tensor, ValueInfo, write_model

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any, Dict, List, Optional, Union

IR_VERSION = 8
OPSET = 13

DTYPES = {"float32": FLOAT, "float64": DOUBLE}

HIDDEN_OPERATORS = {"relu": "Relu", "leaky_relu": "LeakyRelu", "tanh": "Tanh",
                    "sigmoid": "Sigmoid"}
OUTPUT_OPERATORS = {"sigmoid": "Sigmoid", "softmax": "Softmax", "linear": None}

# tinynet's leaky ReLU slope (``tinynet.activations.LEAKY_SLOPE``).
LEAKY_SLOPE = 0.01

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


def save_onnx(model: "Dict[str, Any]", path: "Union[str, PathLike[str]]",
              dtype: str = "float32") -> None:
    """Write ``write_onnx(model, dtype)`` to the file ``path``.

    The bytes are built first, so a model that cannot be written touches no
    file.  Raises ``ModelFileError`` when the file cannot be written.
    """
    data = write_onnx(model, dtype)
    fspath = getattr(path, "__fspath__", None)
    name = fspath() if fspath is not None else path
    try:
        with open(name, "wb") as f:
            f.write(data)
    except OSError as error:
        raise ModelFileError("cannot write ONNX file %r: %s" % (name, error))


class GraphBuilder:
    """Adds nodes and initializers to a graph, each value named once."""

    def __init__(self, data_type: int) -> None:
        self.data_type = data_type
        self.graph = Graph()
        self.graph.name = "tinynet"

    def constant(self, name: str, values: "List[float]", dims: "List[int]") -> str:
        """An initializer holding ``values`` (row-major) with shape ``dims``."""
        if self.data_type == FLOAT:
            _check_float32(values, name)
        tensor = Tensor(name, dims, self.data_type)
        tensor.values = values
        self.graph.initializers.append(tensor)
        return name

    def node(self, op_type: str, inputs: "List[str]", output: str,
             **attributes: "Any") -> str:
        """A node ``output = op_type(inputs)``, named after its output."""
        node = Node()
        node.name = output
        node.op_type = op_type
        node.inputs = inputs
        node.outputs = [output]
        node.attributes = attributes
        self.graph.nodes.append(node)
        return output

    def tensor_info(self, name: str, n_columns: int) -> ValueInfo:
        """A ``[batch, n_columns]`` tensor of this graph's type (batch left open)."""
        info = ValueInfo(name)
        info.elem_type = self.data_type
        info.shape = ["batch", n_columns]
        return info

    def build(self, net: "Dict[str, Any]") -> Model:
        layers = net["layers"]
        A = "x"
        self.graph.inputs.append(self.tensor_info(A, layers[0]))
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
        output = self._output(net, Z, layers[-1])
        self.graph.outputs.append(self.tensor_info(output, layers[-1]))
        model = Model()
        model.ir_version = IR_VERSION
        model.producer = "tinynet"
        model.opsets = {"": OPSET}
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

    def _output(self, net: "Dict[str, Any]", Z: str, n_out: int) -> str:
        """The output node(s) after the last layer's ``Z``; returns the output's name."""
        if net["output"] == "sigmoid":
            return self.node("Sigmoid", [Z], "probabilities")
        if net["output"] == "softmax":
            return self.node("Softmax", [Z], "probabilities", axis=-1)
        target_scaler = net["target_scaler"]
        if target_scaler is None:
            return self.node("Identity", [Z], "values")
        # Back to the targets' units: z * scale + mean (StandardScaler.inverse_transform).
        scale = self.constant("target_scale", target_scaler["scale"], [n_out])
        mean = self.constant("target_mean", target_scaler["mean"], [n_out])
        scaled = self.node("Mul", [Z, scale], "values_scaled")
        return self.node("Add", [scaled, mean], "values")


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
    if output not in OUTPUT_OPERATORS:
        raise ModelFileError("unknown output %r: one of sigmoid, softmax, linear" % (output,))
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
    if model.get("target_scaler") is not None and output != "linear":
        raise ModelFileError("a target_scaler is only for a linear output, not %s" % output)
    return {
        "layers": layers,
        "activation": activation,
        "output": output,
        "params": checked,
        "scaler": _scaler(model.get("scaler"), "scaler", layers[0]),
        "target_scaler": _scaler(model.get("target_scaler"), "target_scaler", layers[-1]),
    }


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


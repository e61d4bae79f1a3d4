"""Reading a multilayer perceptron out of an ONNX file.

``read_onnx(path_or_bytes)`` returns the network as a tinynet model
dictionary (the contents of a model file of version 2, ``tinynet.modelfile``),
whose ``"classes"`` are the class labels when the file names them (skl2onnx
classifiers do), else None.

>>> from tinynet.onnx_export import write_onnx
>>> model = {"format": "tinynet-model", "version": 1, "layers": [2, 1],
...          "activation": "relu", "output": "sigmoid",
...          "params": {"W1": [[0.5], [-2.0]], "b1": [0.25]}}
>>> d = read_onnx(write_onnx(model))
>>> d["layers"], d["output"], d["params"]["W1"]
([2, 1], 'sigmoid', [[0.5], [-2.0]])
>>> d["classes"]  # the labels tinynet's export writes: here the class indices
[0, 1]

How the graph is read
---------------------
An ONNX graph is a list of nodes in execution order; each reads named
values and writes new ones.  The reader walks the nodes once, keeping for
every value either its numbers (a constant) or what it stands for in the
network (a stream computed from the graph's one input, at a stage such as
"a layer" or "a layer's activation": ``tinynet.onnx_values``).

Each node moves a stream one stage on (MatMul: from the features or an
activation to a product; Add: to a layer; Relu: to an activation; ...), and
the layers it meets become ``W1, b1, W2, b2, ...``.  The network must be one
chain: a node may only extend the newest layer.  Which function reads which
operator is the table ``OPERATORS`` at the end of this module; the functions
live by job:

=======================  ===================================================
module                   operators
=======================  ===================================================
``onnx_layers``          Gemm, MatMul; Relu, LeakyRelu, Tanh, Sigmoid,
                         Softmax; Max as a leaky ReLU; a layer read directly
                         by the next one as the identity activation
``onnx_scaling``         Add, Sub, Mul, Div by constants: a bias, the input
                         scaler (and ai.onnx.ml's Scaler), or folded into a
                         layer
``onnx_labels``          after the network: skl2onnx's [1 - p, p] (Sub,
                         Concat), ArgMax, ArrayFeatureExtractor, ZipMap, and
                         Identity, Cast, Reshape, Flatten
``onnx_values``          Constant, Identity, Cast, Transpose, Reshape of
                         constants, computed as they are met
=======================  ===================================================

Anything else is refused with a ``ModelFileError`` that names the node and
its operator.  At the end the layers are checked against what a tinynet
network is: one hidden activation for all hidden layers (nothing between
two layers, or an Identity node, is the identity activation), and an output
that is a Sigmoid over one unit, a Softmax, or nothing (linear).
"""

import math

from . import files
from .errors import ConfigError, ModelFileError
from .onnx_labels import (
    argmax,
    array_feature_extractor,
    concat,
    in_sorted_order,
    pass_through,
    zipmap,
)
from .onnx_layers import (
    ACTIVATION_TEXT,
    HIDDEN_ACTIVATIONS,
    OUTPUT_KINDS,
    activation,
    gemm,
    matmul,
    maximum,
)
from .onnx_proto import (
    DOUBLE,
    FLOAT,
    INT32,
    INT64,
    Model,
    Node,
    Tensor,
    read_model,
    tensor_values,
    type_name,
)
from .onnx_scaling import affine, scaler
from .onnx_values import ML, STANDARD, Constant, Layer, Stream, fold, stage_text, widen
from .outputs import output_layer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any, Callable, Dict, List, Optional, Tuple, Union

    Source = Union[str, "PathLike[str]", bytes, bytearray, memoryview]
    Handler = Callable[["GraphReader", Node, "List[Any]"], Stream]


def read_onnx(source: "Source") -> "Dict[str, Any]":
    """The network in an ONNX file (a path) or ONNX bytes, as a model dict.

    The dict is a tinynet model file's contents (version 2), whose
    ``"classes"`` are the class labels when the file gives them (sorted, the
    last layer's units with them), else None.  A tensor kept in an external
    data file is read from the model's folder, so it needs a path, not bytes.

    Raises ``ModelFileError`` naming the problem: bytes that are not a
    well-formed ONNX model, or a graph that is not a multilayer perceptron
    tinynet can run (naming the node and its operator).
    """
    data, folder = _read_source(source)
    if folder is None:
        return GraphReader(read_model(data), folder).read()
    try:
        return GraphReader(read_model(data), folder).read()
    except ModelFileError as error:
        raise ModelFileError("ONNX file %r: %s" % (_path_text(source), error))


def _path_text(source: "Any") -> str:
    fspath = getattr(source, "__fspath__", None)
    path = fspath() if fspath is not None else source
    if not isinstance(path, str):
        raise ModelFileError("an ONNX model is a path (str or os.PathLike) or bytes, got %s"
                             % type(source).__name__)
    return path


def _read_source(source: "Source") -> "Tuple[Any, Optional[str]]":
    """The model's bytes, and the folder holding it (None for bytes given directly)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return source, None
    path = _path_text(source)
    try:
        data = files.read_bytes(path)
    except OSError as error:
        raise ModelFileError("cannot read ONNX file %r: %s" % (path, files.reason(error, path)))
    cut = max(path.rfind("/"), path.rfind("\\"))
    return data, (path[:cut] if cut > 0 else ("/" if cut == 0 else "."))


class GraphReader:
    """One walk over a graph, building the network as it goes.

    The operators' functions (``OPERATORS``) read and change what it keeps:
    ``layers`` so far, ``step`` (the newest change to the network), the
    input scaling ``mean`` and ``scale``, and the ``classes``.
    """

    def __init__(self, model: Model, folder: "Optional[str]") -> None:
        self.model = model
        self.graph = model.graph
        self.folder = folder
        self.tensors: "Dict[str, Tensor]" = {}  # initializers, read when first used
        self.constants: "Dict[str, Constant]" = {}
        self.streams: "Dict[str, Stream]" = {}
        self.layers: "List[Layer]" = []
        self.step = 0
        self.n_inputs = 0
        # The input scaling, as (x - mean) / scale, per column (or one for all).
        self.mean: "List[float]" = [0.0]
        self.scale: "List[float]" = [1.0]
        self.classes: "Optional[List[Any]]" = None
        self.n_probabilities = 0  # columns of the probabilities the classes label

    # --- the walk ---------------------------------------------------------

    def read(self) -> "Dict[str, Any]":
        for tensor in self.graph.initializers:
            self.tensors[tensor.name] = tensor
        self._read_input()
        for node in self.graph.nodes:
            self._read_node(node)
        self._check_outputs()
        return self._model_dict()

    def _read_input(self) -> None:
        """The graph's one input: rows of features, ``[batch, n_features]``."""
        # Files from before IR version 4 list the initializers as inputs too.
        inputs = [info for info in self.graph.inputs if info.name not in self.tensors]
        if len(inputs) != 1:
            raise ModelFileError(
                "the graph has %d inputs (%s); a tinynet network takes one table of features"
                % (len(inputs), ", ".join(repr(info.name) for info in inputs) or "none"))
        info = inputs[0]
        if info.elem_type not in (FLOAT, DOUBLE, INT32, INT64, None, 0):
            raise ModelFileError("the graph's input %r holds %s values; a network reads numbers"
                                 % (info.name, type_name(info.elem_type)))
        if info.elem_type is None:
            raise ModelFileError("the graph's input %r is not a tensor" % info.name)
        width = 0
        if info.shape is not None:
            if len(info.shape) != 2:
                raise ModelFileError("the graph's input %r has shape %s; a tinynet network reads "
                                     "rows of features, shape [batch, n_features]"
                                     % (info.name, _shape_text(info.shape)))
            if isinstance(info.shape[1], int):
                width = info.shape[1]
        self.n_inputs = width  # 0: not given; the first layer's rows tell
        self.streams[info.name] = Stream("features", 0, width)

    def _read_node(self, node: Node) -> None:
        """Read one node: compute it if its inputs are all constants, else
        let its operator's function say what its output stands for."""
        values: "List[Any]" = []
        for name in node.inputs:
            values.append(None if name == "" else self._value(name, node))
        if all(value is None or isinstance(value, Constant) for value in values):
            result: "Union[Constant, Stream]" = fold(node, values)
        else:
            result = self._handler(node)(self, node, values)
        if not node.outputs or not node.outputs[0]:
            raise ModelFileError("%s has no output" % node.label())
        # Only the first output is kept: the operators read here have one.
        name = node.outputs[0]
        if name in self.streams or name in self.constants or name in self.tensors:
            raise ModelFileError("%s writes %r, which already has a value: an ONNX value "
                                 "is written once" % (node.label(), name))
        if isinstance(result, Constant):
            self.constants[name] = result
        else:
            self.streams[name] = result

    def _handler(self, node: Node) -> "Handler":
        """The function that reads ``node``'s operator, or ModelFileError."""
        domain = "" if node.domain == "ai.onnx" else node.domain
        imported = self.model.opsets or {"": 1}  # before IR 3 there were no opsets
        if domain not in imported and not (domain == "" and "ai.onnx" in imported):
            raise ModelFileError("%s is from the operator domain %r, which the model does not "
                                 "import (ModelProto.opset_import)" % (node.label(), domain))
        if node.domain in STANDARD and node.op_type in OPERATORS:
            return OPERATORS[node.op_type]
        if node.domain == ML and node.op_type in ML_OPERATORS:
            return ML_OPERATORS[node.op_type]
        if node.domain not in STANDARD and node.domain != ML:
            if self.model.n_functions:
                raise ModelFileError(
                    "%s calls a function defined inside the model (domain %r); tinynet reads "
                    "plain graphs: export again with the functions inlined (for example with "
                    "onnx.inliner.inline_local_functions)" % (node.label(), node.domain))
            raise ModelFileError("%s is from the operator domain %r, which tinynet does not read"
                                 % (node.label(), node.domain))
        raise ModelFileError(
            "%s: tinynet reads multilayer perceptrons (Gemm, or MatMul and Add, with Relu, "
            "LeakyRelu, Tanh, Sigmoid or nothing between layers and Softmax or Sigmoid at the "
            "end) and has no %s operator" % (node.label(), node.op_type))

    def _value(self, name: str, node: Node) -> "Any":
        """The Constant or Stream named ``name``, read by ``node``."""
        if name in self.streams:
            return self.streams[name]
        if name in self.constants:
            return self.constants[name]
        if name in self.tensors:
            constant = self._constant(self.tensors[name])
            self.constants[name] = constant
            return constant
        if name in self.graph.sparse_initializers:
            raise ModelFileError("%s reads %r, a sparse initializer, which tinynet does not read"
                                 % (node.label(), name))
        raise ModelFileError("%s reads %r, which is missing: no initializer, graph input or "
                             "earlier node gives it" % (node.label(), name))

    def _constant(self, tensor: Tensor) -> Constant:
        raw = self._external_data(tensor) if tensor.external is not None else None
        values = tensor_values(tensor, raw)
        return Constant(tensor.dims, values, tensor.data_type)

    def _external_data(self, tensor: Tensor) -> bytes:
        """The bytes of a tensor kept in another file, next to the model file.

        The file is named relative to the model's folder; a name that leaves
        that folder is refused, and only the bytes the tensor needs are read,
        after checking that the file holds them.
        """
        external = tensor.external or {}
        location = external.get("location", "")
        name = "tensor %r" % tensor.name
        if self.folder is None:
            raise ModelFileError("%s keeps its data in the external file %r: read the model "
                                 "from its path, not from bytes" % (name, location))
        parts = location.replace("\\", "/").split("/")
        if not location or location.startswith("/") or ":" in location or ".." in parts:
            raise ModelFileError("%s names the external file %r, outside the model's folder"
                                 % (name, location))
        width = {FLOAT: 4, DOUBLE: 8, INT64: 8, INT32: 4}.get(tensor.data_type)
        if width is None:
            raise ModelFileError("%s holds %s numbers; tinynet reads FLOAT and DOUBLE weights"
                                 % (name, type_name(tensor.data_type)))
        needed = tensor.size() * width
        offset = _whole_number(external.get("offset", "0"), name, "offset")
        if "length" in external and _whole_number(external["length"], name, "length") != needed:
            raise ModelFileError("%s: its shape %r needs %d bytes but its external data has "
                                 "length %s" % (name, tensor.dims, needed, external["length"]))
        path = self.folder + "/" + location
        try:
            with open(path, "rb") as f:
                f.seek(0, 2)
                size = f.tell()
                if offset + needed > size:
                    raise ModelFileError(
                        "%s needs bytes %d to %d of the external file %r, which has %d bytes"
                        % (name, offset, offset + needed, location, size))
                f.seek(offset)
                data = f.read(needed)
        except OSError as error:
            raise ModelFileError("%s: cannot read its external data file %r: %s"
                                 % (name, location, files.reason(error, path)))
        return bytes(data)

    # --- for the operators' functions ------------------------------------------

    def weights(self, value: "Any", node: Node, what: str) -> Constant:
        """``value`` as a constant of finite numbers, or ModelFileError."""
        if not isinstance(value, Constant):
            raise ModelFileError("%s: its %s must be a constant (an initializer), but it is "
                                 "computed from the input" % (node.label(), what))
        if value.data_type not in (FLOAT, DOUBLE):
            raise ModelFileError("%s: its %s holds %s values; tinynet reads FLOAT or DOUBLE "
                                 "weights" % (node.label(), what, type_name(value.data_type)))
        for j, v in enumerate(value.values):
            if not math.isfinite(v):
                raise ModelFileError("%s: its %s holds %r at position %d; weights must be "
                                     "finite" % (node.label(), what, v, j))
        return value

    def newest(self, stream: "Any", node: Node, stages: "Tuple[str, ...]") -> Stream:
        """``stream`` if it is a stream at one of ``stages`` of the newest step."""
        if not isinstance(stream, Stream):
            raise ModelFileError("%s: its first input must be computed from the graph's input, "
                                 "not a constant" % node.label())
        if stream.step != self.step:
            raise ModelFileError("%s reads a value from before the newest layer: the graph "
                                 "branches, and a tinynet network is a single chain of layers"
                                 % node.label())
        if stream.stage not in stages:
            raise ModelFileError("%s comes after %s; tinynet expects it after %s"
                                 % (node.label(), stage_text(stream.stage), " or ".join(
                                     stage_text(stage) for stage in stages)))
        return stream

    def next_stream(self, stage: str, width: int) -> Stream:
        """A stream at ``stage`` of a new step."""
        self.step += 1
        return Stream(stage, self.step, width)

    def new_layer(self, stream: Stream, W: "List[List[float]]", node: Node) -> Stream:
        """A layer ``A @ W`` on ``stream``, after checking that the shapes chain."""
        n_in, n_out = len(W), len(W[0]) if W else 0
        if n_in == 0 or n_out == 0:
            raise ModelFileError("%s: its weights have shape %dx%d" % (node.label(), n_in, n_out))
        if stream.width and stream.width != n_in:
            if stream.stage == "features":
                where = "the input has %d features" % stream.width
            else:
                where = "layer %d has %d units" % (len(self.layers), stream.width)
            raise ModelFileError("%s: the shapes do not chain: %s but the weights have %d rows "
                                 "(%dx%d)" % (node.label(), where, n_in, n_in, n_out))
        if stream.stage == "features":
            self.n_inputs = n_in
        self.layers.append(Layer(W, node))
        return self.next_stream("product", n_out)

    def row(self, constant: Constant, width: int, node: Node, what: str) -> "List[float]":
        """A constant that adds to (or scales) each row: ``width`` numbers
        (shape ``[width]`` or ``[1, width]``), or one number for all.
        ``width`` 0 stands for a row whose width is not known yet."""
        values = constant.values
        if len(values) == 1:
            return [float(values[0])] * max(width, 1)
        n = constant.dims[-1] if constant.dims else 1
        if len(constant.dims) <= 2 and len(values) == n and width in (0, n):
            return [float(v) for v in values]
        raise ModelFileError("%s: its %s has shape %r, which does not fit rows of %d values"
                             % (node.label(), what, constant.dims, width))

    # --- the end of the walk ------------------------------------------------------

    def _check_outputs(self) -> None:
        """Every graph output must be the network's result, or labels derived from it."""
        if not self.layers:
            raise ModelFileError("the graph has no layer (no Gemm or MatMul on its input)")
        for info in self.graph.outputs:
            stream = self.streams.get(info.name)
            if stream is None:
                where = "a constant" if (info.name in self.constants or
                                         info.name in self.tensors) else "computed by no node"
                raise ModelFileError("the graph's output %r is %s" % (info.name, where))
            if stream.step != self.step or stream.stage in ("features", "complement"):
                raise ModelFileError("the graph's output %r is not the network's result (it "
                                     "comes before the last layer's output)" % info.name)
        if not self.graph.outputs:
            raise ModelFileError("the graph has no output")

    def _model_dict(self) -> "Dict[str, Any]":
        """The layers met, checked, as a tinynet model dict."""
        hidden = self._hidden_activation()
        output = self._output_kind()
        classes = in_sorted_order(self)
        layers = [self.n_inputs] + [len(layer.W[0]) for layer in self.layers]
        params: "Dict[str, Any]" = {}
        for l, layer in enumerate(self.layers, start=1):
            # A layer read without a bias (MatMul alone) has b = 0.
            b = layer.b if layer.b is not None else [0.0] * len(layer.W[0])
            params["W%d" % l] = layer.W
            params["b%d" % l] = b
            for name, rows in (("W%d" % l, layer.W), ("b%d" % l, [b])):
                for row in rows:
                    for v in row:
                        if not math.isfinite(v):
                            raise ModelFileError("%s: %s holds %r once alpha, beta and the "
                                                 "constants are multiplied in"
                                                 % (layer.node.label(), name, v))
        return {
            "format": "tinynet-model",
            "version": 2,
            "layers": layers,
            "activation": hidden,
            "output": output,
            "training": {},
            "params": params,
            "scaler": self._scaler(),
            "target_scaler": None,
            "features": None,
            "target": None,
            "classes": classes,
        }

    def _hidden_activation(self) -> str:
        """tinynet's name for the one activation after every hidden layer."""
        hidden = [layer.activation for layer in self.layers[:-1]]
        for layer in self.layers[:-1]:
            if layer.activation not in HIDDEN_ACTIVATIONS:
                raise ModelFileError("%s comes between layers; tinynet's hidden activation is "
                                     "Relu, LeakyRelu, Tanh, Sigmoid or none (identity)"
                                     % layer.ending().label())
            if layer.activation != hidden[0]:
                raise ModelFileError(
                    "%s uses %s after a hidden layer, but an earlier one uses %s: tinynet has "
                    "one activation for all hidden layers"
                    % (layer.ending().label(), _activation_text(layer.activation),
                       _activation_text(hidden[0])))
        # With no hidden layer the activation is never used; relu is tinynet's default.
        return HIDDEN_ACTIVATIONS[hidden[0]] if hidden and hidden[0] else "relu"

    def _output_kind(self) -> str:
        """The output kind (``tinynet.outputs``) the last layer's ending makes."""
        last = self.layers[-1]
        if last.activation not in OUTPUT_KINDS:
            raise ModelFileError("%s ends the last layer; tinynet's output is Sigmoid, Softmax "
                                 "or none (linear)" % last.ending().label())
        output = OUTPUT_KINDS[last.activation]
        try:
            output_layer(output, len(last.W[0]))
        except ConfigError as error:
            raise ModelFileError("%s ends a layer of %d units, which is not a tinynet output "
                                 "(a multi-label sigmoid, or a softmax over one unit): %s"
                                 % (last.ending().label(), len(last.W[0]), error))
        return output

    def _scaler(self) -> "Optional[Dict[str, List[float]]]":
        """The input scaling as a tinynet scaler, or None when there is none."""
        if self.mean == [0.0] and self.scale == [1.0]:
            return None
        mean, scale = widen(self.mean, self.n_inputs), widen(self.scale, self.n_inputs)
        for j, (m, s) in enumerate(zip(mean, scale)):
            if not (math.isfinite(m) and math.isfinite(s) and s > 0.0):
                raise ModelFileError("the input scaling of column %d is (x - %r) / %r; a "
                                     "tinynet scaler needs a positive finite scale" % (j, m, s))
        return {"mean": mean, "scale": scale}


# --- the operator tables ----------------------------------------------------------

# The standard operators (domain "" or "ai.onnx") and the function reading each.
OPERATORS: "Dict[str, Handler]" = {
    "Gemm": gemm,
    "MatMul": matmul,
    "Relu": activation,
    "LeakyRelu": activation,
    "Tanh": activation,
    "Sigmoid": activation,
    "Softmax": activation,
    "Max": maximum,
    "Add": affine,
    "Sub": affine,
    "Mul": affine,
    "Div": affine,
    "Concat": concat,
    "ArgMax": argmax,
    "Identity": pass_through,
    "Cast": pass_through,
    "Reshape": pass_through,
    "Flatten": pass_through,
}

# The ai.onnx.ml operators skl2onnx writes around a network.
ML_OPERATORS: "Dict[str, Handler]" = {
    "Scaler": scaler,
    "ArrayFeatureExtractor": array_feature_extractor,
    "ZipMap": zipmap,
}


# --- small helpers -----------------------------------------------------------------


def _whole_number(text: str, name: str, key: str) -> int:
    if not text.isdigit():
        raise ModelFileError("%s: its external data %s %r is not a whole number"
                             % (name, key, text))
    return int(text)


def _activation_text(op: "Optional[str]") -> str:
    """An activation operator as messages name it (``onnx_layers.ACTIVATION_TEXT``)."""
    return ACTIVATION_TEXT.get(op, op) if op is not None else "none"


def _shape_text(shape: "List[Any]") -> str:
    return "[%s]" % ", ".join("?" if d is None else str(d) for d in shape)

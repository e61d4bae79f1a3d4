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
>>> d["layers"], d["output"], d["params"]["W1"], d["classes"]
([2, 1], 'sigmoid', [[0.5], [-2.0]], None)

How the graph is read
---------------------
An ONNX graph is a list of nodes in execution order; each reads named
values and writes new ones.  The reader walks the nodes once, keeping for
every value either its numbers (a *constant*: an initializer, a Constant
node, or a Transpose/Reshape/Cast/Identity of constants) or what it stands
for in the network (a *stream*, computed from the graph's one input):

==================  =========================================================
stream stage        meaning
==================  =========================================================
``features``        the input rows, perhaps scaled: ``(x - mean) / scale``
``product``         ``A @ W`` of a new layer, its bias still to come
``layer``           ``Z = A @ W + b``: a whole layer
``activated``       ``g(Z)``: the layer after its activation
``complement``      ``1 - p`` of a one-unit sigmoid layer
``probabilities``   ``[1 - p, p]``: skl2onnx's two columns for two classes
``indices``         the column of the largest probability (ArgMax)
``labels``          those columns looked up in the list of classes
``reshaped``        the network's result laid out in another shape
==================  =========================================================

Each node moves a stream one stage on (MatMul: features or activated to
product; Add: product to layer; Relu: layer to activated; ...), and the
layers it meets become ``W1, b1, W2, b2, ...``.  The network must be one
chain: a node may only extend the newest layer.  Anything the table of
operators below does not list is refused with a ``ModelFileError`` that
names the node and its operator.

==========================  =================================================
operators                   read as
==========================  =================================================
Gemm; MatMul then Add       a layer; Gemm's ``transB=1`` (PyTorch stores
                            ``W`` as units x inputs) is undone, ``alpha`` and
                            ``beta`` are multiplied in; ``transA=1`` refused
Relu, LeakyRelu, Tanh,      the activation after a layer: the hidden one
Sigmoid                     (the same after every hidden layer), or, after
                            the last layer, Sigmoid as the output
Softmax                     the output, over the last axis only
Sub, Div, Mul, Add by       before the first layer: the input scaler;
constants; ai.onnx.ml       after a layer: folded into its ``W`` and ``b``
Scaler
Sub(1, p), Concat           skl2onnx's two-class probabilities ``[1 - p, p]``
ArgMax,                     labels, and the list of classes
ArrayFeatureExtractor,
ZipMap
Identity, Cast, Reshape,    passed through where they keep the rows and
Flatten                     columns as they were; a Reshape of the result
                            (skl2onnx's regressors) is allowed at the end
==========================  =================================================

LeakyRelu's ``alpha`` must be tinynet's slope, 0.01 (as float32 rounds it);
any other is refused, since tinynet has one fixed slope.
"""

import math

from .errors import ModelFileError
from .onnx_proto import (
    DOUBLE,
    FLOAT,
    INT32,
    INT64,
    STRING,
    Model,
    Node,
    Tensor,
    read_model,
    tensor_values,
    type_name,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike
    from typing import Any, Callable, Dict, List, Optional, Tuple, Union

    Source = Union[str, "PathLike[str]", bytes, bytearray, memoryview]
    Handler = Callable[["GraphReader", Node, "List[Any]"], "Any"]

# tinynet's leaky ReLU slope (``tinynet.activations.LEAKY_SLOPE``; a test
# checks that the two agree).
LEAKY_SLOPE = 0.01

# How far a LeakyRelu alpha may be from LEAKY_SLOPE: float32 keeps 24 bits,
# so 0.01 arrives as 0.009999999776..., 2.2e-8 off.
SLOPE_TOLERANCE = 1e-7

HIDDEN_ACTIVATIONS = {"Relu": "relu", "LeakyRelu": "leaky_relu", "Tanh": "tanh",
                      "Sigmoid": "sigmoid"}
OUTPUT_ACTIVATIONS = {"Sigmoid": "sigmoid", "Softmax": "softmax", None: "linear"}

STANDARD = ("", "ai.onnx")  # the domain of the standard operators
ML = "ai.onnx.ml"  # the classic machine-learning operators (skl2onnx uses a few)


def read_onnx(source: "Source") -> "Dict[str, Any]":
    """The network in an ONNX file (a path) or ONNX bytes, as a model dict.

    The dict has the keys of a tinynet model file (version 2), whose
    ``"classes"`` are the class labels when the file gives them, else None.  A tensor kept in an external data file is read from the model's
    folder, so it needs a path, not bytes.

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
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        raise ModelFileError("cannot read ONNX file %r: %s" % (path, error))
    cut = max(path.rfind("/"), path.rfind("\\"))
    return data, (path[:cut] if cut > 0 else ("/" if cut == 0 else "."))


class Constant:
    """A value known from the file alone: its shape and its elements, row-major."""

    def __init__(self, dims: "List[int]", values: "List[Any]", data_type: int) -> None:
        self.dims = dims
        self.values = values
        self.data_type = data_type

    def is_number(self) -> bool:
        return self.data_type in (FLOAT, DOUBLE, INT32, INT64)

    def rows(self) -> "List[List[float]]":
        """A 2-D constant as a list of rows."""
        n_cols = self.dims[1]
        return [[float(v) for v in self.values[i * n_cols:(i + 1) * n_cols]]
                for i in range(self.dims[0])]


class Stream:
    """A value computed from the graph's input: what it stands for.

    ``stage`` is one of the stages in the module docstring; ``step`` counts
    the changes made to the network when it was computed (a node may only
    build on the newest step: the layers form one chain); ``width`` is its
    number of columns.
    """

    def __init__(self, stage: str, step: int, width: int) -> None:
        self.stage = stage
        self.step = step
        self.width = width
        # For ``Z * c`` folded into the layer: (Z, c, the layer's W and b
        # before), so that ``Max(Z, Z * c)`` (a leaky ReLU) can undo the fold.
        self.scaled_from: "Optional[Tuple[Stream, List[float], Any, Any]]" = None


class Layer:
    """One layer met in the graph: ``W`` (inputs x units rows), ``b``, and
    the activation that followed it (an operator name, or None)."""

    def __init__(self, W: "List[List[float]]", node: Node) -> None:
        self.W = W
        self.b: "Optional[List[float]]" = None
        self.activation: "Optional[str]" = None
        self.activation_node: "Optional[Node]" = None
        self.node = node


class GraphReader:
    """One walk over a graph, building the network as it goes."""

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
        let its operator's handler say what its output stands for."""
        values: "List[Any]" = []
        for name in node.inputs:
            values.append(None if name == "" else self._value(name, node))
        if all(value is None or isinstance(value, Constant) for value in values):
            result = self._fold(node, values)
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
            "LeakyRelu, Tanh or Sigmoid between layers and Softmax or Sigmoid at the end) and "
            "has no %s operator" % (node.label(), node.op_type))

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
                                 % (name, location, error))
        return bytes(data)

    # --- constants --------------------------------------------------------

    def _fold(self, node: Node, values: "List[Any]") -> Constant:
        """A node whose inputs are all constants, computed now."""
        op = node.op_type
        if node.domain not in STANDARD or op not in FOLDABLE:
            raise ModelFileError("%s computes on constants only, and tinynet folds only %s "
                                 "nodes on constants" % (node.label(), ", ".join(FOLDABLE)))
        if op == "Constant":
            return _constant_node(node)
        first: Constant = _required(values, 0, node)
        if op in ("Identity", "Cast"):
            if op == "Cast" and first.is_number():
                to = _attribute(node, "to", 0, "int")
                if to in (FLOAT, DOUBLE):
                    return Constant(first.dims, [float(v) for v in first.values], to)
                if to in (INT32, INT64):
                    return Constant(first.dims, [int(v) for v in first.values], to)
            return first
        if op == "Transpose":
            perm = _attribute(node, "perm", [1, 0], "ints")
            if len(first.dims) != 2 or list(perm) != [1, 0]:
                raise ModelFileError("%s: tinynet transposes 2-D constants only, got shape %r "
                                     "with perm %r" % (node.label(), first.dims, perm))
            rows = first.dims[0]
            cols = first.dims[1]
            values_t = [first.values[i * cols + j] for j in range(cols) for i in range(rows)]
            return Constant([cols, rows], values_t, first.data_type)
        # Reshape
        shape = _required(values, 1, node)
        dims = _reshaped(first.dims, [int(v) for v in shape.values], node)
        return Constant(dims, first.values, first.data_type)

    def _weights(self, value: "Any", node: Node, what: str) -> Constant:
        """``value`` as a constant of numbers, or ModelFileError."""
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

    # --- streams ----------------------------------------------------------

    def _newest(self, stream: "Any", node: Node, stages: "Tuple[str, ...]") -> Stream:
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
                                 % (node.label(), _stage_text(stream), " or ".join(
                                     STAGE_TEXT[stage] for stage in stages)))
        return stream

    def _next(self, stage: str, width: int) -> Stream:
        """A stream at ``stage`` of a new step."""
        self.step += 1
        return Stream(stage, self.step, width)

    def _new_layer(self, stream: Stream, W: "List[List[float]]", node: Node) -> Stream:
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
        return self._next("product", n_out)

    def _row(self, constant: Constant, width: int, node: Node, what: str) -> "List[float]":
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

    # --- the affine steps: Add, Sub, Mul, Div by a constant ---------------------

    def affine(self, node: Node, values: "List[Any]", op: str) -> Stream:
        """``x + c``, ``x - c``, ``x * c`` or ``x / c`` with a constant row ``c``.

        Before the first layer they build the input scaler; on ``A @ W`` the
        first Add is the bias; after that they fold into the layer, since
        ``(A @ W + b) * c = A @ (W * c) + b * c``.
        """
        a, b = _required(values, 0, node), _required(values, 1, node)
        if isinstance(a, Constant) and op in ("Add", "Mul"):
            a, b = b, a  # both commute
        if isinstance(a, Constant) and op == "Sub":
            return self._complement(node, a, b)
        stream = self._newest(a, node, ("features", "product", "layer"))
        c = self._row(self._weights(b, node, "constant"), stream.width, node, "constant")
        if stream.stage == "features":
            self._scale_inputs(node, op, c)
            return self._next("features", stream.width or (len(c) if len(c) > 1 else 0))
        layer = self.layers[-1]
        if stream.stage == "product" and op in ("Add", "Sub"):
            layer.b = c if op == "Add" else [-v for v in c]
            return self._next("layer", stream.width)
        before = (stream, c, layer.W, layer.b)
        if op in ("Mul", "Div"):
            if op == "Div" and 0.0 in c:
                raise ModelFileError("%s divides by zero" % node.label())
            factors = c if op == "Mul" else [1.0 / v for v in c]
            layer.W = [[w * f for w, f in zip(row, factors)] for row in layer.W]
            if layer.b is not None:
                layer.b = [v * f for v, f in zip(layer.b, factors)]
        else:
            sign = 1.0 if op == "Add" else -1.0
            layer.b = [v + sign * d for v, d in zip(layer.b or [0.0] * stream.width, c)]
        result = self._next(stream.stage, stream.width)
        if op == "Mul" and stream.stage == "layer":
            result.scaled_from = before
        return result

    def _scale_inputs(self, node: Node, op: str, c: "List[float]") -> None:
        """Fold one step into the input scaling ``x' = (x - mean) / scale``.

        ``x' - c = (x - (mean + c * scale)) / scale`` and
        ``x' / c = (x - mean) / (scale * c)``; Add and Mul are the inverses.
        """
        mean, scale = _widen(self.mean, len(c)), _widen(self.scale, len(c))
        if op in ("Sub", "Add"):
            sign = 1.0 if op == "Sub" else -1.0
            self.mean = [m + sign * v * s for m, v, s in zip(mean, c, scale)]
            self.scale = scale
        else:
            if 0.0 in c:
                raise ModelFileError("%s scales an input column by zero" % node.label())
            self.scale = [s * v if op == "Div" else s / v for s, v in zip(scale, c)]
            self.mean = mean

    def _complement(self, node: Node, one: Constant, stream: "Any") -> Stream:
        """``1 - p`` of a one-unit sigmoid output (skl2onnx's two-class pattern)."""
        stream = self._newest(stream, node, ("activated",))
        layer = self.layers[-1]
        if (layer.activation != "Sigmoid" or stream.width != 1 or len(one.values) != 1
                or one.values[0] != 1):
            raise ModelFileError("%s: tinynet reads a constant minus a value only as 1 - p of a "
                                 "one-unit Sigmoid output" % node.label())
        return Stream("complement", self.step, 1)

    # --- the layers and their activations ----------------------------------------

    def matmul(self, node: Node, values: "List[Any]") -> Stream:
        """``A @ W``: a new layer, its bias to come from an Add."""
        stream = self._layer_input(_required(values, 0, node), node)
        W = self._weights(_required(values, 1, node), node, "weights")
        if len(W.dims) != 2:
            raise ModelFileError("%s: its weights have shape %r; tinynet reads 2-D weights"
                                 % (node.label(), W.dims))
        return self._new_layer(stream, W.rows(), node)

    def gemm(self, node: Node, values: "List[Any]") -> Stream:
        """``alpha * A @ B + beta * C``, with ``B`` transposed when ``transB=1``.

        PyTorch keeps a Linear layer's weight as units x inputs and writes
        ``transB=1``; tinynet's ``W`` is inputs x units, so it is transposed
        back here.  ``alpha`` and ``beta`` are multiplied into ``W`` and ``b``.
        """
        if _attribute(node, "transA", 0, "int"):
            raise ModelFileError("%s has transA=1: it would multiply the transposed batch, "
                                 "which is not a layer" % node.label())
        stream = self._layer_input(_required(values, 0, node), node)
        B = self._weights(_required(values, 1, node), node, "weights B")
        if len(B.dims) != 2:
            raise ModelFileError("%s: its weights B have shape %r; Gemm takes 2-D weights"
                                 % (node.label(), B.dims))
        alpha = _attribute(node, "alpha", 1.0, "float")
        beta = _attribute(node, "beta", 1.0, "float")
        rows = B.rows()
        if _attribute(node, "transB", 0, "int"):
            rows = [list(column) for column in zip(*rows)]
        if alpha != 1.0:
            rows = [[alpha * w for w in row] for row in rows]
        result = self._new_layer(stream, rows, node)
        C = values[2] if len(values) > 2 else None
        if C is None:
            return result  # the bias may follow as an Add
        bias = self._row(self._weights(C, node, "bias C"), result.width, node, "bias C")
        self.layers[-1].b = [beta * v for v in bias]
        return Stream("layer", self.step, result.width)

    def _layer_input(self, stream: "Any", node: Node) -> Stream:
        """The stream a new layer reads: the features, or an activated layer."""
        if isinstance(stream, Stream) and stream.stage in ("layer", "product") and \
                stream.step == self.step:
            raise ModelFileError(
                "%s follows layer %d without an activation between them; tinynet's hidden "
                "layers each end in the same activation (relu, leaky_relu, tanh or sigmoid)"
                % (node.label(), len(self.layers)))
        return self._newest(stream, node, ("features", "activated"))

    def activation(self, node: Node, values: "List[Any]") -> Stream:
        """Relu, LeakyRelu, Tanh, Sigmoid or Softmax after the newest layer."""
        stream = self._newest(_required(values, 0, node), node, ("layer", "product"))
        op = node.op_type
        if op == "LeakyRelu":
            self._check_slope(node, _attribute(node, "alpha", 0.01, "float"))
        return self._activate(node, op, stream)

    def maximum(self, node: Node, values: "List[Any]") -> Stream:
        """``Max(Z, Z * c)``: a leaky ReLU with slope ``c`` written without LeakyRelu
        (tinynet's float64 export does this: onnxruntime has no float64 LeakyRelu)."""
        if len(values) == 2:
            for Z, scaled in ((values[0], values[1]), (values[1], values[0])):
                source = getattr(scaled, "scaled_from", None)
                if source is not None and source[0] is Z and scaled.step == self.step:
                    Z, factors, W, b = source
                    self._check_slope(node, factors[0])
                    if factors != [factors[0]] * len(factors):
                        break
                    self.layers[-1].W, self.layers[-1].b = W, b  # undo the fold
                    return self._activate(node, "LeakyRelu", Z)
        raise ModelFileError("%s: tinynet reads Max only as Max(Z, Z * 0.01), a leaky ReLU"
                             % node.label())

    def _check_slope(self, node: Node, alpha: float) -> None:
        if abs(alpha - LEAKY_SLOPE) > SLOPE_TOLERANCE * LEAKY_SLOPE:
            raise ModelFileError("%s has alpha %r; tinynet's leaky_relu has the fixed slope %r"
                                 % (node.label(), alpha, LEAKY_SLOPE))

    def _activate(self, node: Node, op: str, stream: Stream) -> Stream:
        """The newest layer followed by the activation ``op``."""
        layer = self.layers[-1]
        if layer.b is None:
            layer.b = [0.0] * stream.width  # a layer written without a bias
        if op == "Softmax":
            axis = _attribute(node, "axis", 1 if self._opset() < 13 else -1, "int")
            if axis not in (1, -1):
                raise ModelFileError("%s has axis %r; tinynet's softmax runs over the last "
                                     "axis (1 or -1) of each row" % (node.label(), axis))
        layer.activation = op
        layer.activation_node = node
        return self._next("activated", stream.width)

    def _opset(self) -> int:
        return max(self.model.opsets.get("", 0), self.model.opsets.get("ai.onnx", 0))

    # --- after the network: probabilities, labels, reshaping ------------------------

    def concat(self, node: Node, values: "List[Any]") -> Stream:
        """skl2onnx's two-class probabilities: ``Concat([1 - p, p], axis=1)``."""
        axis = _attribute(node, "axis", None, "int")
        if (len(values) == 2 and isinstance(values[0], Stream) and isinstance(values[1], Stream)
                and axis in (1, -1)):
            first = self._newest(values[0], node, ("complement",))
            self._newest(values[1], node, ("activated",))
            return Stream("probabilities", self.step, 2 * first.width)
        raise ModelFileError("%s: tinynet reads Concat only as the two-class probabilities "
                             "[1 - p, p] along axis 1" % node.label())

    def argmax(self, node: Node, values: "List[Any]") -> Stream:
        """The most probable class's column, from probabilities."""
        stream = self._newest(_required(values, 0, node), node, ("activated", "probabilities"))
        if stream.stage == "activated" and self.layers[-1].activation != "Softmax":
            raise ModelFileError("%s: tinynet reads ArgMax only over probabilities (a Softmax, "
                                 "or two-class [1 - p, p])" % node.label())
        axis = _attribute(node, "axis", 0, "int")
        if axis not in (1, -1):
            raise ModelFileError("%s has axis %r; labels come from ArgMax over axis 1"
                                 % (node.label(), axis))
        self.n_probabilities = stream.width
        return Stream("indices", self.step, 1)

    def array_feature_extractor(self, node: Node, values: "List[Any]") -> Stream:
        """``classes[index]``: skl2onnx's labels from ArgMax's columns."""
        classes = _required(values, 0, node)
        stream = values[1] if len(values) > 1 else None
        if not isinstance(classes, Constant) or not isinstance(stream, Stream):
            raise ModelFileError("%s: tinynet reads it only as a constant list of classes "
                                 "indexed by ArgMax" % node.label())
        self._newest(stream, node, ("indices",))
        self._set_classes(list(classes.values), node)
        return Stream("labels", self.step, 1)

    def zipmap(self, node: Node, values: "List[Any]") -> Stream:
        """skl2onnx's ``{label: probability}`` per row; its labels are the classes."""
        stream = self._newest(_required(values, 0, node), node, ("activated", "probabilities"))
        if stream.stage == "activated" and self.layers[-1].activation != "Softmax":
            raise ModelFileError("%s: tinynet reads ZipMap only over probabilities (a Softmax, "
                                 "or two-class [1 - p, p])" % node.label())
        labels = _attribute(node, "classlabels_int64s", None, "ints") or \
            _attribute(node, "classlabels_strings", None, "strings")
        if labels:
            self.n_probabilities = stream.width
            self._set_classes(list(labels), node)
        return Stream("probabilities", self.step, stream.width)

    def _set_classes(self, classes: "List[Any]", node: Node) -> None:
        if self.classes is not None and self.classes != classes:
            raise ModelFileError("%s names the classes %r, but an earlier node named %r"
                                 % (node.label(), classes, self.classes))
        if len(classes) != self.n_probabilities:
            raise ModelFileError("%s names %d classes for %d probabilities"
                                 % (node.label(), len(classes), self.n_probabilities))
        self.classes = classes

    def scaler(self, node: Node, values: "List[Any]") -> Stream:
        """ai.onnx.ml's Scaler, ``(x - offset) * scale``: the input scaler."""
        stream = self._newest(_required(values, 0, node), node, ("features",))
        offset = _attribute(node, "offset", None, "floats") or [0.0]
        factor = _attribute(node, "scale", None, "floats") or [1.0]
        for what, row in (("offset", offset), ("scale", factor)):
            if stream.width and len(row) not in (1, stream.width):
                raise ModelFileError("%s: its %s has %d values for %d input columns"
                                     % (node.label(), what, len(row), stream.width))
        self._scale_inputs(node, "Sub", offset)
        self._scale_inputs(node, "Mul", factor)
        width = max(len(offset), len(factor))
        return self._next("features", stream.width or (width if width > 1 else 0))

    def pass_through(self, node: Node, values: "List[Any]") -> Stream:
        """Identity, Cast, Reshape, Flatten: the same numbers, perhaps reshaped.

        Within the network they must keep the rows and columns as they are
        (a Cast only to FLOAT or DOUBLE); on labels and probabilities, after
        the network, anything goes.
        """
        stream = _required(values, 0, node)
        if not isinstance(stream, Stream):
            raise ModelFileError("%s: its first input must be computed from the graph's input"
                                 % node.label())
        if stream.stage in ("indices", "labels", "probabilities", "complement", "reshaped"):
            return stream
        op = node.op_type
        keeps = True
        if op == "Cast":
            keeps = _attribute(node, "to", 0, "int") in (FLOAT, DOUBLE)
        elif op == "Flatten":
            keeps = _attribute(node, "axis", 1, "int") == 1
        elif op == "Reshape":
            shape = values[1] if len(values) > 1 else None
            target = [int(v) for v in shape.values] if isinstance(shape, Constant) else None
            keeps = target in ([-1, stream.width], [0, stream.width]) or (
                target == [-1] and stream.width == 1) or (target is not None and
                                                          stream.width == 0 and len(target) == 2)
        if keeps:
            return stream
        if op in ("Reshape", "Flatten") and stream.stage in ("layer", "activated"):
            # The same numbers in the same order, laid out otherwise: fine for the
            # network's result (skl2onnx reshapes a regressor's output), but no
            # layer may follow.
            return Stream("reshaped", stream.step, stream.width)
        raise ModelFileError("%s would change the numbers or the rows and columns of the "
                             "network's values; tinynet reads it only as a no-op there"
                             % node.label())

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
        last = self.layers[-1]
        hidden = [layer.activation for layer in self.layers[:-1]]
        for layer in self.layers[:-1]:
            if layer.activation not in HIDDEN_ACTIVATIONS:
                raise ModelFileError("%s comes between layers; tinynet's hidden activation is "
                                     "Relu, LeakyRelu, Tanh or Sigmoid"
                                     % (layer.activation_node or layer.node).label())
            if layer.activation != hidden[0]:
                raise ModelFileError(
                    "%s uses %s after a hidden layer, but an earlier one uses %s: tinynet has "
                    "one activation for all hidden layers" % (
                        (layer.activation_node or layer.node).label(), layer.activation,
                        hidden[0]))
        if last.activation not in OUTPUT_ACTIVATIONS:
            raise ModelFileError("%s ends the last layer; tinynet's output is Sigmoid, Softmax "
                                 "or none (linear)" % (last.activation_node or last.node).label())
        output = OUTPUT_ACTIVATIONS[last.activation]
        n_out = len(last.W[0])
        if output == "sigmoid" and n_out != 1:
            raise ModelFileError("%s: a sigmoid over %d units (multi-label) is not a tinynet "
                                 "output; tinynet's sigmoid output has one unit"
                                 % ((last.activation_node or last.node).label(), n_out))
        if output == "softmax" and n_out < 2:
            raise ModelFileError("%s: a softmax over one unit is always 1"
                                 % (last.activation_node or last.node).label())
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
            # With no hidden layer the activation is never used; relu is tinynet's default.
            "activation": HIDDEN_ACTIVATIONS[hidden[0]] if hidden and hidden[0] else "relu",
            "output": output,
            "training": {},
            "params": params,
            "scaler": self._scaler(),
            "target_scaler": None,
            "features": None,
            "target": None,
            "classes": self.classes,
        }

    def _scaler(self) -> "Optional[Dict[str, List[float]]]":
        """The input scaling as a tinynet scaler, or None when there is none."""
        if self.mean == [0.0] and self.scale == [1.0]:
            return None
        mean, scale = _widen(self.mean, self.n_inputs), _widen(self.scale, self.n_inputs)
        for j, (m, s) in enumerate(zip(mean, scale)):
            if not (math.isfinite(m) and math.isfinite(s) and s > 0.0):
                raise ModelFileError("the input scaling of column %d is (x - %r) / %r; a "
                                     "tinynet scaler needs a positive finite scale" % (j, m, s))
        return {"mean": mean, "scale": scale}


# --- the operator tables ----------------------------------------------------------


def _affine_handler(op: str) -> "Handler":
    def handler(reader: GraphReader, node: Node, values: "List[Any]") -> Stream:
        return reader.affine(node, values, op)
    return handler


OPERATORS: "Dict[str, Handler]" = {
    "Gemm": GraphReader.gemm,
    "MatMul": GraphReader.matmul,
    "Add": _affine_handler("Add"),
    "Sub": _affine_handler("Sub"),
    "Mul": _affine_handler("Mul"),
    "Div": _affine_handler("Div"),
    "Relu": GraphReader.activation,
    "LeakyRelu": GraphReader.activation,
    "Tanh": GraphReader.activation,
    "Sigmoid": GraphReader.activation,
    "Softmax": GraphReader.activation,
    "Max": GraphReader.maximum,
    "Concat": GraphReader.concat,
    "ArgMax": GraphReader.argmax,
    "Identity": GraphReader.pass_through,
    "Cast": GraphReader.pass_through,
    "Reshape": GraphReader.pass_through,
    "Flatten": GraphReader.pass_through,
}

ML_OPERATORS: "Dict[str, Handler]" = {
    "ArrayFeatureExtractor": GraphReader.array_feature_extractor,
    "ZipMap": GraphReader.zipmap,
    "Scaler": GraphReader.scaler,
}

# Operators computed right away when all their inputs are constants.
FOLDABLE = ("Constant", "Identity", "Cast", "Transpose", "Reshape")

STAGE_TEXT = {
    "features": "the input features",
    "product": "a MatMul (a layer without its bias)",
    "layer": "a layer",
    "activated": "a layer's activation",
    "complement": "1 - p",
    "probabilities": "the probabilities",
    "indices": "an ArgMax",
    "labels": "the labels",
    "reshaped": "the network's values, reshaped",
}


def _stage_text(stream: Stream) -> str:
    return STAGE_TEXT.get(stream.stage, stream.stage)


# --- small helpers -----------------------------------------------------------------


def _constant_node(node: Node) -> Constant:
    """The value of a Constant node: a tensor, or one or more floats or ints."""
    attributes = node.attributes
    if isinstance(attributes.get("value"), Tensor):
        tensor = attributes["value"]
        return Constant(tensor.dims, tensor_values(tensor), tensor.data_type)
    for name, data_type, kind in (("value_float", FLOAT, "float"),
                                  ("value_floats", FLOAT, "floats"),
                                  ("value_int", INT64, "int"), ("value_ints", INT64, "ints"),
                                  ("value_strings", STRING, "strings")):
        if name in attributes:
            value = _attribute(node, name, None, kind)
            if isinstance(value, list):
                return Constant([len(value)], value, data_type)
            return Constant([], [value], data_type)
    raise ModelFileError("%s has no value tinynet reads (value, value_float(s), value_int(s))"
                         % node.label())


# What each kind of attribute value must be, checked by ``_attribute``.
ATTRIBUTE_KINDS = {"int": "a whole number", "float": "a number", "ints": "a list of whole numbers",
                   "floats": "a list of numbers", "strings": "a list of strings"}


def _attribute(node: Node, name: str, default: "Any", kind: str) -> "Any":
    """``node``'s attribute ``name`` (``default`` when it has none), checked to be
    of ``kind`` (a key of ATTRIBUTE_KINDS); a float attribute comes back a float."""
    if name not in node.attributes:
        return default
    value = node.attributes[name]
    if kind in ("int", "float"):
        ok = isinstance(value, int) or (kind == "float" and isinstance(value, float))
        items = [value]
    else:
        ok = isinstance(value, list)
        items = value if ok else []
    for item in items:
        if kind in ("int", "ints"):
            ok = ok and isinstance(item, int)
        elif kind in ("float", "floats"):
            ok = ok and isinstance(item, (int, float))
        else:
            ok = ok and isinstance(item, str)
    if not ok:
        raise ModelFileError("%s: its attribute %r must be %s, got %r"
                             % (node.label(), name, ATTRIBUTE_KINDS[kind], value))
    if kind == "float":
        return float(value)
    if kind == "floats":
        return [float(v) for v in value]
    return value


def _required(values: "List[Any]", index: int, node: Node) -> "Any":
    if index >= len(values) or values[index] is None:
        raise ModelFileError("%s is missing its input %d" % (node.label(), index + 1))
    return values[index]


def _reshaped(dims: "List[int]", shape: "List[int]", node: Node) -> "List[int]":
    """ONNX Reshape's new dims: 0 copies a dimension, one -1 takes what is left."""
    size = 1
    for d in dims:
        size *= d
    new = [dims[i] if d == 0 and i < len(dims) else d for i, d in enumerate(shape)]
    known = 1
    for d in new:
        if d != -1:
            known *= d
    if new.count(-1) == 1 and known > 0 and size % known == 0:
        new[new.index(-1)] = size // known
    product = 1
    for d in new:
        product *= d
    if product != size or min(new + [0]) < 0:
        raise ModelFileError("%s cannot reshape %r to %r" % (node.label(), dims, shape))
    return new


def _widen(row: "List[float]", width: int) -> "List[float]":
    """A one-value row repeated to ``width`` values; a full row as it is."""
    return row * width if len(row) == 1 and width > 1 else list(row)


def _whole_number(text: str, name: str, key: str) -> int:
    if not text.isdigit():
        raise ModelFileError("%s: its external data %s %r is not a whole number"
                             % (name, key, text))
    return int(text)


def _shape_text(shape: "List[Any]") -> str:
    return "[%s]" % ", ".join("?" if d is None else str(d) for d in shape)

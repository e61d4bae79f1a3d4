"""Reading an ONNX graph's layers: Gemm or MatMul, then an activation.

Each function here reads one operator for ``tinynet.onnx_import``'s walk
over a graph: it is handed the reader, the node and the node's inputs (each
a ``Constant`` or a ``Stream``, ``tinynet.onnx_values``) and returns what
the node's output stands for.

==========================  =================================================
operator                    read as
==========================  =================================================
``MatMul``                  ``A @ W``: a new layer, its bias to come (Add)
``Gemm``                    ``alpha * A @ B + beta * C``: a whole layer;
                            ``transB=1`` (PyTorch keeps ``W`` as units x
                            inputs) is undone, ``alpha`` and ``beta`` are
                            multiplied in; ``transA=1`` is refused
``Relu``, ``LeakyRelu``,    the activation after a layer: the hidden one,
``Tanh``, ``Sigmoid``,      or, after the last layer, the output
``Softmax``
``Max(Z, Z * 0.01)``        a leaky ReLU written without LeakyRelu (tinynet
                            writes float64 models so)
a layer read by the next    the hidden activation ``identity`` (``A = Z``):
one (Gemm -> Gemm, MatMul   nothing between two layers, or only an
or Add -> MatMul)           ``Identity`` node, which passes values through
==========================  =================================================

Which activation means what is in two tables: ``HIDDEN_ACTIVATIONS`` (an
operator to tinynet's hidden activation) and ``OUTPUT_KINDS`` (the operator
ending the last layer, or None, to tinynet's output kind,
``tinynet.outputs``).  A layer with nothing after it is therefore read by
where it stands: before another layer it has the identity activation
(recorded as the operator ``Identity``, which computes the same), at the
end of the graph it is the linear output.

LeakyRelu's ``alpha`` must be tinynet's slope, 0.01 (as float32 rounds it):
any other is refused, since tinynet's leaky ReLU has one fixed slope.
"""

from .activations import LEAKY_SLOPE
from .errors import ModelFileError
from .onnx_values import attribute, required

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional

    from .onnx_import import GraphReader
    from .onnx_proto import Node
    from .onnx_values import Stream

# An ONNX operator after a hidden layer, and tinynet's name for it.
HIDDEN_ACTIVATIONS = {"Relu": "relu", "LeakyRelu": "leaky_relu", "Tanh": "tanh",
                      "Sigmoid": "sigmoid", "Identity": "identity"}

# A hidden layer that the next layer reads directly counts as followed by this
# operator: A = Z is what Identity computes.
NO_ACTIVATION = "Identity"

# How messages name an activation operator, where its name alone would mislead.
ACTIVATION_TEXT = {"Identity": "no activation (identity)"}

# The operator ending the last layer (None: nothing, the logits), and the
# output kind it makes (a row of tinynet.outputs.OUTPUT_LAYERS).
OUTPUT_KINDS = {"Sigmoid": "sigmoid", "Softmax": "softmax", None: "linear"}

# How far a LeakyRelu alpha may be from LEAKY_SLOPE: float32 keeps 24 bits,
# so 0.01 arrives as 0.009999999776..., 2.2e-8 off.
SLOPE_TOLERANCE = 1e-7


def matmul(reader: "GraphReader", node: "Node", values: "List[Any]") -> "Stream":
    """``A @ W``: a new layer, its bias to come from an Add."""
    stream = _layer_input(reader, required(values, 0, node), node)
    W = reader.weights(required(values, 1, node), node, "weights")
    if len(W.dims) != 2:
        raise ModelFileError("%s: its weights have shape %r; tinynet reads 2-D weights"
                             % (node.label(), W.dims))
    return reader.new_layer(stream, W.rows(), node)


def gemm(reader: "GraphReader", node: "Node", values: "List[Any]") -> "Stream":
    """``alpha * A @ B + beta * C``, with ``B`` transposed when ``transB=1``.

    PyTorch keeps a Linear layer's weight as units x inputs and writes
    ``transB=1``; tinynet's ``W`` is inputs x units, so it is transposed
    back here.  ``alpha`` and ``beta`` are multiplied into ``W`` and ``b``.
    """
    if attribute(node, "transA", 0, "int"):
        raise ModelFileError("%s has transA=1: it would multiply the transposed batch, "
                             "which is not a layer" % node.label())
    stream = _layer_input(reader, required(values, 0, node), node)
    B = reader.weights(required(values, 1, node), node, "weights B")
    if len(B.dims) != 2:
        raise ModelFileError("%s: its weights B have shape %r; Gemm takes 2-D weights"
                             % (node.label(), B.dims))
    alpha = attribute(node, "alpha", 1.0, "float")
    beta = attribute(node, "beta", 1.0, "float")
    rows = B.rows()
    if attribute(node, "transB", 0, "int"):
        rows = [list(column) for column in zip(*rows)]
    if alpha != 1.0:
        rows = [[alpha * w for w in row] for row in rows]
    result = reader.new_layer(stream, rows, node)
    C = values[2] if len(values) > 2 else None
    if C is None:
        return result  # the bias may follow as an Add
    bias = reader.row(reader.weights(C, node, "bias C"), result.width, node, "bias C")
    reader.layers[-1].b = [beta * v for v in bias]
    result.stage = "layer"
    return result


def _layer_input(reader: "GraphReader", stream: "Any", node: "Node") -> "Stream":
    """The stream a new layer reads: the features, or an activated layer.

    A layer that the new one reads directly (``Z`` itself, or ``A @ W``
    still without its bias) had no activation: it gets the identity, and a
    missing bias becomes zeros, as for any layer written without one.
    """
    read = reader.newest(stream, node, ("features", "activated", "layer", "product"))
    if read.stage in ("layer", "product"):
        return _activate(reader, None, NO_ACTIVATION, read)
    return read


def activation(reader: "GraphReader", node: "Node", values: "List[Any]") -> "Stream":
    """Relu, LeakyRelu, Tanh, Sigmoid or Softmax after the newest layer."""
    stream = reader.newest(required(values, 0, node), node, ("layer", "product"))
    op = node.op_type
    if op == "LeakyRelu":
        _check_slope(node, attribute(node, "alpha", 0.01, "float"))
    if op == "Softmax":
        opset = max(reader.model.opsets.get("", 0), reader.model.opsets.get("ai.onnx", 0))
        axis = attribute(node, "axis", 1 if opset < 13 else -1, "int")
        if axis not in (1, -1):
            raise ModelFileError("%s has axis %r; tinynet's softmax runs over the last "
                                 "axis (1 or -1) of each row" % (node.label(), axis))
    return _activate(reader, node, op, stream)


def maximum(reader: "GraphReader", node: "Node", values: "List[Any]") -> "Stream":
    """``Max(Z, Z * c)``: a leaky ReLU with slope ``c`` written without LeakyRelu
    (tinynet's float64 export does this: onnxruntime has no float64 LeakyRelu).

    The Mul was read first, and folded into the layer as any Mul after a
    layer is; its stream remembers the layer as it was, so the fold is undone.
    """
    if len(values) == 2:
        for Z, scaled in ((values[0], values[1]), (values[1], values[0])):
            source = getattr(scaled, "scaled_from", None)
            if source is not None and source[0] is Z and scaled.step == reader.step:
                Z, factors, W, b = source
                _check_slope(node, factors[0])
                if factors != [factors[0]] * len(factors):
                    break
                reader.layers[-1].W, reader.layers[-1].b = W, b  # undo the fold
                return _activate(reader, node, "LeakyRelu", Z)
    raise ModelFileError("%s: tinynet reads Max only as Max(Z, Z * 0.01), a leaky ReLU"
                         % node.label())


def _check_slope(node: "Node", alpha: float) -> None:
    if abs(alpha - LEAKY_SLOPE) > SLOPE_TOLERANCE * LEAKY_SLOPE:
        raise ModelFileError("%s has alpha %r; tinynet's leaky_relu has the fixed slope %r"
                             % (node.label(), alpha, LEAKY_SLOPE))


def _activate(reader: "GraphReader", node: "Optional[Node]", op: str, stream: "Stream"
              ) -> "Stream":
    """The newest layer followed by the activation ``op`` (computed by ``node``;
    None when no node computes it: the identity between two layers)."""
    layer = reader.layers[-1]
    if layer.b is None:
        layer.b = [0.0] * stream.width  # a layer written without a bias
    layer.activation = op
    layer.activation_node = node
    return reader.next_stream("activated", stream.width)

"""Reading Add, Sub, Mul and Div by constants: a bias, the input scaler, or a fold.

A tinynet network is ``x -> (x - mean) / scale -> layers``, and every
elementwise step by a constant row ``c`` that an ONNX graph holds finds a
place in it, decided by where it comes:

======================  ========================================================
where                   what it becomes
======================  ========================================================
before the first layer  part of the input scaler, kept as ``(x - mean) / scale``
                        (``scale_inputs`` says how each step changes the two)
right after ``A @ W``   the layer's bias ``b`` (Add; Sub adds ``-c``)
after a whole layer     folded into the layer, since
                        ``(A @ W + b) * c = A @ (W * c) + b * c`` and
                        ``(A @ W + b) + c = A @ W + (b + c)``
======================  ========================================================

So skl2onnx's StandardScaler (an ``ai.onnx.ml`` Scaler, or Sub and Div)
becomes tinynet's scaler, a target scaler's ``z * scale + mean`` after the
last layer folds into it, and MatMul then Add is one layer.

``Sub(1, p)`` is not a scaling: it is skl2onnx's ``1 - p`` of a two-class
sigmoid, read by ``tinynet.onnx_labels``.
"""

from .errors import ModelFileError
from .onnx_labels import complement
from .onnx_values import Constant, attribute, required, widen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List

    from .onnx_import import GraphReader
    from .onnx_proto import Node
    from .onnx_values import Stream


def affine(reader: "GraphReader", node: "Node", values: "List[Any]") -> "Stream":
    """``x + c``, ``x - c``, ``x * c`` or ``x / c`` with a constant row ``c``."""
    op = node.op_type
    a, b = required(values, 0, node), required(values, 1, node)
    if isinstance(a, Constant) and op in ("Add", "Mul"):
        a, b = b, a  # both commute
    if isinstance(a, Constant) and op == "Sub":
        return complement(reader, node, a, b)
    stream = reader.newest(a, node, ("features", "product", "layer"))
    c = reader.row(reader.weights(b, node, "constant"), stream.width, node, "constant")
    if stream.stage == "features":
        scale_inputs(reader, node, op, c)
        return reader.next_stream("features", stream.width or (len(c) if len(c) > 1 else 0))
    layer = reader.layers[-1]
    if stream.stage == "product" and op in ("Add", "Sub"):
        layer.b = c if op == "Add" else [-v for v in c]
        return reader.next_stream("layer", stream.width)
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
    result = reader.next_stream(stream.stage, stream.width)
    if op == "Mul" and stream.stage == "layer":
        result.scaled_from = before  # Max(Z, Z * c) may undo this: a leaky ReLU
    return result


def scaler(reader: "GraphReader", node: "Node", values: "List[Any]") -> "Stream":
    """ai.onnx.ml's Scaler, ``(x - offset) * scale``: the input scaler."""
    stream = reader.newest(required(values, 0, node), node, ("features",))
    offset = attribute(node, "offset", None, "floats") or [0.0]
    factor = attribute(node, "scale", None, "floats") or [1.0]
    for what, row in (("offset", offset), ("scale", factor)):
        if stream.width and len(row) not in (1, stream.width):
            raise ModelFileError("%s: its %s has %d values for %d input columns"
                                 % (node.label(), what, len(row), stream.width))
    scale_inputs(reader, node, "Sub", offset)
    scale_inputs(reader, node, "Mul", factor)
    width = max(len(offset), len(factor))
    return reader.next_stream("features", stream.width or (width if width > 1 else 0))


def scale_inputs(reader: "GraphReader", node: "Node", op: str, c: "List[float]") -> None:
    """Fold one step into the input scaling ``x' = (x - mean) / scale``.

    ``x' - c = (x - (mean + c * scale)) / scale`` and
    ``x' / c = (x - mean) / (scale * c)``; Add and Mul are the inverses.
    """
    mean, scale = widen(reader.mean, len(c)), widen(reader.scale, len(c))
    if op in ("Sub", "Add"):
        sign = 1.0 if op == "Sub" else -1.0
        reader.mean = [m + sign * v * s for m, v, s in zip(mean, c, scale)]
        reader.scale = scale
    else:
        if 0.0 in c:
            raise ModelFileError("%s scales an input column by zero" % node.label())
        reader.scale = [s * v if op == "Div" else s / v for s, v in zip(scale, c)]
        reader.mean = mean

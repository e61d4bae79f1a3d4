"""What the ONNX reader knows about each value of a graph, and the constants it computes.

``tinynet.onnx_import`` walks a graph's nodes once.  Every value a node
reads or writes is one of two things:

==============  ================================================================
``Constant``    numbers known from the file alone: an initializer, a Constant
                node, or a Transpose, Reshape, Cast or Identity of constants
                (``fold`` computes those as they are met)
``Stream``      a value computed from the graph's input; its ``stage`` says
                what it stands for in the network (the table below)
==============  ================================================================

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

The layers met on the way are ``Layer`` objects: ``W`` (inputs x units, as
tinynet stores it), ``b``, and the activation that followed.

The small helpers every operator's reader uses are here too: ``attribute``
(a node's attribute, checked), ``required`` (a node's input, present).

>>> c = Constant([2, 3], [1, 2, 3, 4, 5, 6], FLOAT)
>>> c.rows()
[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
>>> reshaped([2, 3], [0, -1], None)
[2, 3]
"""

from .errors import ModelFileError
from .onnx_proto import DOUBLE, FLOAT, INT32, INT64, STRING, Node, Tensor, tensor_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Tuple

STANDARD = ("", "ai.onnx")  # the domain of the standard operators
ML = "ai.onnx.ml"  # the classic machine-learning operators (skl2onnx uses a few)

NUMBER_TYPES = (FLOAT, DOUBLE, INT32, INT64)


class Constant:
    """A value known from the file alone: its shape and its elements, row-major."""

    def __init__(self, dims: "List[int]", values: "List[Any]", data_type: int) -> None:
        self.dims = dims
        self.values = values
        self.data_type = data_type

    def is_number(self) -> bool:
        return self.data_type in NUMBER_TYPES

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
    number of columns (0 while unknown).
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

    def ending(self) -> Node:
        """The node that ends this layer: its activation, else the layer's own."""
        return self.activation_node or self.node


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


def stage_text(stage: str) -> str:
    return STAGE_TEXT.get(stage, stage)


# --- a node's inputs and attributes ------------------------------------------------


def required(values: "List[Any]", index: int, node: Node) -> "Any":
    """``node``'s input ``index`` (from 0), or ModelFileError when it has none."""
    if index >= len(values) or values[index] is None:
        raise ModelFileError("%s is missing its input %d" % (node.label(), index + 1))
    return values[index]


# What each kind of attribute value must be, checked by ``attribute``.
ATTRIBUTE_KINDS = {"int": "a whole number", "float": "a number", "ints": "a list of whole numbers",
                   "floats": "a list of numbers", "strings": "a list of strings"}


def attribute(node: Node, name: str, default: "Any", kind: str) -> "Any":
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


# --- constants: computed when met ------------------------------------------------------

# Operators computed right away when all their inputs are constants.
FOLDABLE = ("Constant", "Identity", "Cast", "Transpose", "Reshape")


def fold(node: Node, values: "List[Any]") -> Constant:
    """A node whose inputs are all constants, computed now."""
    op = node.op_type
    if node.domain not in STANDARD or op not in FOLDABLE:
        raise ModelFileError("%s computes on constants only, and tinynet folds only %s "
                             "nodes on constants" % (node.label(), ", ".join(FOLDABLE)))
    if op == "Constant":
        return constant_node(node)
    first: Constant = required(values, 0, node)
    if op == "Identity":
        return first
    if op == "Cast":
        to = attribute(node, "to", 0, "int")
        if first.is_number() and to in (FLOAT, DOUBLE):
            return Constant(first.dims, [float(v) for v in first.values], to)
        if first.is_number() and to in (INT32, INT64):
            return Constant(first.dims, [int(v) for v in first.values], to)
        return first
    if op == "Transpose":
        perm = attribute(node, "perm", [1, 0], "ints")
        if len(first.dims) != 2 or list(perm) != [1, 0]:
            raise ModelFileError("%s: tinynet transposes 2-D constants only, got shape %r "
                                 "with perm %r" % (node.label(), first.dims, perm))
        rows, cols = first.dims
        values_t = [first.values[i * cols + j] for j in range(cols) for i in range(rows)]
        return Constant([cols, rows], values_t, first.data_type)
    shape = required(values, 1, node)  # Reshape
    dims = reshaped(first.dims, [int(v) for v in shape.values], node)
    return Constant(dims, first.values, first.data_type)


def constant_node(node: Node) -> Constant:
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
            value = attribute(node, name, None, kind)
            if isinstance(value, list):
                return Constant([len(value)], value, data_type)
            return Constant([], [value], data_type)
    raise ModelFileError("%s has no value tinynet reads (value, value_float(s), value_int(s))"
                         % node.label())


def reshaped(dims: "List[int]", shape: "List[int]", node: "Optional[Node]") -> "List[int]":
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
        raise ModelFileError("%s cannot reshape %r to %r"
                             % (node.label() if node else "Reshape", dims, shape))
    return new


def widen(row: "List[float]", width: int) -> "List[float]":
    """A one-value row repeated to ``width`` values; a full row as it is."""
    return row * width if len(row) == 1 and width > 1 else list(row)

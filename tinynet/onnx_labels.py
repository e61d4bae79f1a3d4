"""Reading what comes after the network in an ONNX graph: probabilities and labels.

skl2onnx ends a classifier's graph with nodes that turn the probabilities
into labels, and tinynet writes the same ones (``tinynet.onnx_export``).
None of them changes the network; the reader checks that they do what
they say, and takes the list of classes from them:

===========================  ===================================================
operators                    read as
===========================  ===================================================
``Sub(1, p)``, ``Concat``    a two-class sigmoid's probabilities ``[1 - p, p]``
``ArgMax``                   the column of the largest probability
``ArrayFeatureExtractor``    ``classes[column]``: the labels; its constant
                             ``classes`` become the network's classes
``ZipMap``                   ``{label: probability}`` per row; its labels are
                             the classes too (sorted by ``in_sorted_order``,
                             the network's last layer with them)
``Identity``, ``Cast``,      passed through: after the network anything goes;
``Reshape``, ``Flatten``     within it, only where they change nothing
===========================  ===================================================
"""

from .errors import DataError, ModelFileError
from .labels import show_labels, sorted_distinct
from .onnx_proto import DOUBLE, FLOAT
from .onnx_values import Constant, Stream, attribute, required

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional

    from .onnx_import import GraphReader
    from .onnx_proto import Node

# The stages that come after the network's result (tinynet.onnx_values).
AFTER_THE_NETWORK = ("indices", "labels", "probabilities", "complement", "reshaped")


def complement(reader: "GraphReader", node: "Node", one: Constant, stream: "Any") -> Stream:
    """``1 - p`` of a one-unit sigmoid output (skl2onnx's two-class pattern)."""
    stream = reader.newest(stream, node, ("activated",))
    layer = reader.layers[-1]
    if (layer.activation != "Sigmoid" or stream.width != 1 or len(one.values) != 1
            or one.values[0] != 1):
        raise ModelFileError("%s: tinynet reads a constant minus a value only as 1 - p of a "
                             "one-unit Sigmoid output" % node.label())
    return Stream("complement", reader.step, 1)


def concat(reader: "GraphReader", node: "Node", values: "List[Any]") -> Stream:
    """skl2onnx's two-class probabilities: ``Concat([1 - p, p], axis=1)``."""
    axis = attribute(node, "axis", None, "int")
    if (len(values) == 2 and isinstance(values[0], Stream) and isinstance(values[1], Stream)
            and axis in (1, -1)):
        first = reader.newest(values[0], node, ("complement",))
        reader.newest(values[1], node, ("activated",))
        return Stream("probabilities", reader.step, 2 * first.width)
    raise ModelFileError("%s: tinynet reads Concat only as the two-class probabilities "
                         "[1 - p, p] along axis 1" % node.label())


def _probabilities(reader: "GraphReader", node: "Node", values: "List[Any]") -> Stream:
    """The node's first input, which must be probabilities: a Softmax, or ``[1 - p, p]``."""
    stream = reader.newest(required(values, 0, node), node, ("activated", "probabilities"))
    if stream.stage == "activated" and reader.layers[-1].activation != "Softmax":
        raise ModelFileError("%s: tinynet reads %s only over probabilities (a Softmax, or "
                             "two-class [1 - p, p])" % (node.label(), node.op_type))
    return stream


def argmax(reader: "GraphReader", node: "Node", values: "List[Any]") -> Stream:
    """The most probable class's column, from probabilities.

    Its ``select_last_index`` only decides ties, which tinynet's own rule
    decides (the first most probable class; for a sigmoid, ``p >= 0.5``).
    """
    stream = _probabilities(reader, node, values)
    axis = attribute(node, "axis", 0, "int")
    if axis not in (1, -1):
        raise ModelFileError("%s has axis %r; labels come from ArgMax over axis 1"
                             % (node.label(), axis))
    reader.n_probabilities = stream.width
    return Stream("indices", reader.step, 1)


def array_feature_extractor(reader: "GraphReader", node: "Node", values: "List[Any]"
                            ) -> Stream:
    """``classes[index]``: skl2onnx's labels from ArgMax's columns."""
    classes = required(values, 0, node)
    stream = values[1] if len(values) > 1 else None
    if not isinstance(classes, Constant) or not isinstance(stream, Stream):
        raise ModelFileError("%s: tinynet reads it only as a constant list of classes "
                             "indexed by ArgMax" % node.label())
    reader.newest(stream, node, ("indices",))
    set_classes(reader, list(classes.values), node)
    return Stream("labels", reader.step, 1)


def zipmap(reader: "GraphReader", node: "Node", values: "List[Any]") -> Stream:
    """skl2onnx's ``{label: probability}`` per row; its labels are the classes."""
    stream = _probabilities(reader, node, values)
    labels = attribute(node, "classlabels_int64s", None, "ints") or \
        attribute(node, "classlabels_strings", None, "strings")
    if labels:
        reader.n_probabilities = stream.width
        set_classes(reader, list(labels), node)
    return Stream("probabilities", reader.step, stream.width)


def set_classes(reader: "GraphReader", classes: "List[Any]", node: "Node") -> None:
    """Keep the classes a node names: one per probability, the same in every node."""
    if reader.classes is not None and reader.classes != classes:
        raise ModelFileError("%s names the classes %r, but an earlier node named %r"
                             % (node.label(), classes, reader.classes))
    if len(classes) != reader.n_probabilities:
        raise ModelFileError("%s names %d classes for %d probabilities"
                             % (node.label(), len(classes), reader.n_probabilities))
    reader.classes = classes


def in_sorted_order(reader: "GraphReader") -> "Optional[List[Any]]":
    """The classes the graph names, sorted as a tinynet model keeps them, with the
    last layer's units put in the same order (None when the graph names none).

    skl2onnx writes scikit-learn's ``classes_``, already sorted; a graph made
    otherwise may list them in any order.  For a softmax the columns of the
    last ``W`` and ``b`` are reordered; for a sigmoid, whose unit is the
    probability of the second class, ``W`` and ``b`` change sign, since
    ``sigmoid(-z) = 1 - sigmoid(z)``.
    """
    classes = reader.classes
    if classes is None:
        return None
    try:
        ordered = sorted_distinct(classes, "the classes the ONNX graph names")
    except DataError as error:
        raise ModelFileError(str(error))
    if len(ordered) != len(classes):
        raise ModelFileError("the ONNX graph names a class twice: %s" % show_labels(classes))
    if ordered == classes:
        return classes
    last = reader.layers[-1]
    b = last.b if last.b is not None else [0.0] * len(last.W[0])
    if len(last.W[0]) == 1:
        last.W = [[-w for w in row] for row in last.W]
        last.b = [-v for v in b]
    else:
        order = [classes.index(label) for label in ordered]
        last.W = [[row[j] for j in order] for row in last.W]
        last.b = [b[j] for j in order]
    return ordered


def pass_through(reader: "GraphReader", node: "Node", values: "List[Any]") -> Stream:
    """Identity, Cast, Reshape, Flatten: the same numbers, perhaps reshaped.

    Within the network they must keep the rows and columns as they are
    (a Cast only to FLOAT or DOUBLE); on labels and probabilities, after
    the network, anything goes.
    """
    stream = required(values, 0, node)
    if not isinstance(stream, Stream):
        raise ModelFileError("%s: its first input must be computed from the graph's input"
                             % node.label())
    if stream.stage in AFTER_THE_NETWORK:
        return stream
    op = node.op_type
    keeps = True
    if op == "Cast":
        keeps = attribute(node, "to", 0, "int") in (FLOAT, DOUBLE)
    elif op == "Flatten":
        keeps = attribute(node, "axis", 1, "int") == 1
    elif op == "Reshape":
        shape = values[1] if len(values) > 1 else None
        target = [int(v) for v in shape.values] if isinstance(shape, Constant) else None
        keeps = target in ([-1, stream.width], [0, stream.width]) or (
            target == [-1] and stream.width == 1) or (
                target is not None and stream.width == 0 and len(target) == 2)
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

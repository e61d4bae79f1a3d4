"""ONNX's messages, read from and written to the protobuf wire format.

An ONNX file is a ``ModelProto`` message, described in ``onnx.proto`` (the
ONNX specification).  This module applies that schema to the wire format of
``tinynet.protobuf``: it turns a file's bytes into small plain objects, and
those objects back into bytes.  It keeps only what a multilayer perceptron
needs, and steps over every other field.

=========================  ===================================================
``read_model(data)``       a ``Model`` from the bytes of an ``.onnx`` file
``write_model(model)``     the bytes of a ``Model``
``tensor_values(t, raw)``  a tensor's numbers (or strings) from its raw bytes
=========================  ===================================================

The messages, with the field numbers that ``onnx.proto`` gives them (only
the fields used here; the others are skipped when reading)::

    ModelProto        ir_version = 1, producer_name = 2, graph = 7,
                      opset_import = 8, functions = 25
    OperatorSetIdProto  domain = 1, version = 2
    GraphProto        node = 1, name = 2, initializer = 5, input = 11,
                      output = 12, sparse_initializer = 15
    NodeProto         input = 1, output = 2, name = 3, op_type = 4,
                      attribute = 5, domain = 7
    AttributeProto    name = 1, f = 2, i = 3, s = 4, t = 5, g = 6, floats = 7,
                      ints = 8, strings = 9, type = 20
    TensorProto       dims = 1, data_type = 2, float_data = 4,
                      int32_data = 5, string_data = 6, int64_data = 7,
                      name = 8, raw_data = 9, double_data = 10,
                      external_data = 13, data_location = 14
    StringStringEntryProto  key = 1, value = 2
    ValueInfoProto    name = 1, type = 2
    TypeProto         tensor_type = 1 (TypeProto.Tensor: elem_type = 1,
                      shape = 2)
    TensorShapeProto  dim = 1 (Dimension: dim_value = 1, dim_param = 2)

A tensor's numbers are stored either in ``raw_data`` (little-endian bytes,
4 per float32, 8 per float64 or int64), in the typed lists (``float_data``,
``double_data``, ``int64_data``, ...) or, for large models, in another file
named by ``external_data`` (``location``, ``offset``, ``length``).  The
reader takes all three; external data is loaded by ``tinynet.onnx_import``,
which knows where the model file is.
"""

import struct

from .errors import ModelFileError
from .protobuf import (
    I32,
    LEN,
    VARINT,
    Writer,
    double_list,
    expect,
    fields,
    float_list,
    text,
    to_int64,
    unpack_floats,
    varint_list,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple, Union

    from .protobuf import Value

    Dim = Union[int, str, None]

# TensorProto.DataType: the element types used here, and their names for messages.
FLOAT = 1
INT32 = 6
INT64 = 7
STRING = 8
DOUBLE = 11
DATA_TYPE_NAMES = {
    0: "UNDEFINED", 1: "FLOAT", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 6: "INT32",
    7: "INT64", 8: "STRING", 9: "BOOL", 10: "FLOAT16", 11: "DOUBLE", 12: "UINT32",
    13: "UINT64", 14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16",
}

# AttributeProto.AttributeType
ATTR_FLOAT = 1
ATTR_INT = 2
ATTR_STRING = 3
ATTR_TENSOR = 4
ATTR_GRAPH = 5
ATTR_FLOATS = 6
ATTR_INTS = 7
ATTR_STRINGS = 8

# TensorProto.DataLocation
EXTERNAL = 1


def type_name(data_type: int) -> str:
    """``FLOAT``, ``DOUBLE``, ... for a TensorProto data type number."""
    return DATA_TYPE_NAMES.get(data_type, "type %d" % data_type)


class Tensor:
    """A constant tensor: an initializer, or a Constant node's value.

    ``values`` lists its elements in row-major order (floats, ints or
    strings), or is None when they are still in ``raw`` bytes or in an
    external file (``external`` then holds ``location``, ``offset``,
    ``length``).  ``tensor_values`` turns raw bytes into values.
    """

    def __init__(self, name: str, dims: "List[int]", data_type: int) -> None:
        self.name = name
        self.dims = dims
        self.data_type = data_type
        self.values: "Optional[List[Any]]" = None
        self.raw: "Optional[memoryview]" = None
        self.external: "Optional[Dict[str, str]]" = None

    def size(self) -> int:
        """The number of elements that ``dims`` calls for (1 for a scalar)."""
        count = 1
        for d in self.dims:
            count *= d
        return count


class ValueInfo:
    """A graph input or output: its name, element type and shape.

    ``shape`` holds a number, a symbolic name (``"batch"``) or None per
    dimension, and is None when the file gives no shape; ``elem_type`` is None
    when the value is not a tensor (skl2onnx's ZipMap output is a sequence
    of maps).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.elem_type: "Optional[int]" = None
        self.shape: "Optional[List[Dim]]" = None


class Node:
    """One operation: ``outputs = op_type(inputs)``, tuned by ``attributes``.

    ``attributes`` maps each attribute's name to its value: a float, an int,
    a string, a ``Tensor``, or a list of floats, ints or strings (None for
    the kinds not used here, such as subgraphs).
    """

    def __init__(self) -> None:
        self.name = ""
        self.op_type = ""
        self.domain = ""
        self.inputs: "List[str]" = []
        self.outputs: "List[str]" = []
        self.attributes: "Dict[str, Any]" = {}

    def label(self) -> str:
        """How error messages name this node: ``node '/0/Gemm' (Gemm)``."""
        op = self.op_type if self.domain in ("", "ai.onnx") else "%s:%s" % (self.domain,
                                                                              self.op_type)
        if self.name:
            return "node %r (%s)" % (self.name, op)
        return "the %s node computing %r" % (op, self.outputs[0] if self.outputs else "")


class Graph:
    """The computation: ``nodes`` in execution order, the ``initializers``
    (named constant tensors: the weights), and the graph's ``inputs`` and
    ``outputs``."""

    def __init__(self) -> None:
        self.name = ""
        self.nodes: "List[Node]" = []
        self.initializers: "List[Tensor]" = []
        self.sparse_initializers: "List[str]" = []
        self.inputs: "List[ValueInfo]" = []
        self.outputs: "List[ValueInfo]" = []


class Model:
    """The whole file: format version, operator sets and the graph.

    ``opsets`` maps an operator domain (``""`` for the standard operators,
    ``"ai.onnx.ml"`` for the classic machine-learning ones) to its version.
    """

    def __init__(self) -> None:
        self.ir_version = 0
        self.producer = ""
        self.opsets: "Dict[str, int]" = {}
        self.graph = Graph()
        self.n_functions = 0


# --- reading -----------------------------------------------------------------
#
# Each ``_read_*`` function walks the fields of one message and keeps the
# ones it knows, checking each wire type against the schema.


def read_model(data: "Union[bytes, bytearray, memoryview]") -> Model:
    """The ``Model`` held by the bytes of an ONNX file.

    Raises ``ModelFileError`` for bytes that are not a well-formed ONNX
    model (truncated, a field with the wrong wire type, text that is not
    UTF-8, a model without a graph).
    """
    if bytes(data[:1]) == b"{":
        # 0x7b would be field 15 as a "group", which ONNX never uses: this is JSON.
        raise ModelFileError("not an ONNX model: it starts like JSON text (a tinynet model "
                             "file?)")
    if _looks_like_text(bytes(data[:256])):
        raise ModelFileError("not an ONNX model: it is text, and an ONNX model is binary")
    model = Model()
    has_graph = False
    what = "the ONNX data"
    for number, wire, value in fields(data, what):
        if number == 1:
            expect(wire, VARINT, "ModelProto.ir_version")
            model.ir_version = _int(value)
        elif number == 2:
            expect(wire, LEN, "ModelProto.producer_name")
            model.producer = text(value, "ModelProto.producer_name")
        elif number == 7:
            expect(wire, LEN, "ModelProto.graph")
            model.graph = _read_graph(_bytes(value))
            has_graph = True
        elif number == 8:
            expect(wire, LEN, "ModelProto.opset_import")
            domain, version = _read_opset(_bytes(value))
            model.opsets[domain] = version
        elif number == 25:
            model.n_functions += 1
    if not has_graph:
        raise ModelFileError("not an ONNX model: there is no graph (ModelProto field 7); "
                             "is this an .onnx file?")
    if not model.opsets and model.ir_version >= 3:
        # Since IR version 3 a model must say which operator set its nodes mean.
        raise ModelFileError("the ONNX model imports no operator set (ModelProto.opset_import)")
    return model


def _looks_like_text(start: bytes) -> bool:
    """True for bytes that are printable text: an ONNX model starts with binary
    field keys and lengths (its first byte is 0x08, ir_version, in practice)."""
    if len(start) < 8:
        return False
    for byte in start:
        if byte < 0x20 and byte not in (0x09, 0x0A, 0x0D):
            return False
    try:
        start.decode("utf-8")
    except UnicodeError:
        return start[-1] >= 0x80  # cut inside a character: still text
    return True


def _read_opset(data: memoryview) -> "Tuple[str, int]":
    domain, version = "", 0
    for number, wire, value in fields(data, "OperatorSetIdProto"):
        if number == 1:
            expect(wire, LEN, "OperatorSetIdProto.domain")
            domain = text(value, "OperatorSetIdProto.domain")
        elif number == 2:
            expect(wire, VARINT, "OperatorSetIdProto.version")
            version = _int(value)
    return domain, version


def _read_graph(data: memoryview) -> Graph:
    graph = Graph()
    for number, wire, value in fields(data, "GraphProto"):
        if number == 1:
            expect(wire, LEN, "GraphProto.node")
            graph.nodes.append(_read_node(_bytes(value)))
        elif number == 2:
            expect(wire, LEN, "GraphProto.name")
            graph.name = text(value, "GraphProto.name")
        elif number == 5:
            expect(wire, LEN, "GraphProto.initializer")
            graph.initializers.append(_read_tensor(_bytes(value), "an initializer"))
        elif number == 11:
            expect(wire, LEN, "GraphProto.input")
            graph.inputs.append(_read_value_info(_bytes(value), "GraphProto.input"))
        elif number == 12:
            expect(wire, LEN, "GraphProto.output")
            graph.outputs.append(_read_value_info(_bytes(value), "GraphProto.output"))
        elif number == 15:
            # SparseTensorProto: values = 1 (a TensorProto, which carries the name).
            expect(wire, LEN, "GraphProto.sparse_initializer")
            for n, w, v in fields(_bytes(value), "SparseTensorProto"):
                if n == 1:
                    expect(w, LEN, "SparseTensorProto.values")
                    graph.sparse_initializers.append(
                        _read_tensor(_bytes(v), "a sparse initializer").name)
    return graph


def _read_node(data: memoryview) -> Node:
    node = Node()
    for number, wire, value in fields(data, "NodeProto"):
        if number == 1:
            expect(wire, LEN, "NodeProto.input")
            node.inputs.append(text(value, "NodeProto.input"))
        elif number == 2:
            expect(wire, LEN, "NodeProto.output")
            node.outputs.append(text(value, "NodeProto.output"))
        elif number == 3:
            expect(wire, LEN, "NodeProto.name")
            node.name = text(value, "NodeProto.name")
        elif number == 4:
            expect(wire, LEN, "NodeProto.op_type")
            node.op_type = text(value, "NodeProto.op_type")
        elif number == 5:
            expect(wire, LEN, "NodeProto.attribute")
            name, attribute = _read_attribute(_bytes(value))
            node.attributes[name] = attribute
        elif number == 7:
            expect(wire, LEN, "NodeProto.domain")
            node.domain = text(value, "NodeProto.domain")
    return node


def _read_attribute(data: memoryview) -> "Tuple[str, Any]":
    """An attribute's name and value.

    Since IR version 2 the ``type`` field says which value field is used;
    older files leave it out, and then the value field present decides.
    """
    name = ""
    kind = 0
    found: "Dict[int, Any]" = {}  # AttributeType -> value
    lists: "Dict[int, List[Any]]" = {ATTR_FLOATS: [], ATTR_INTS: [], ATTR_STRINGS: []}
    for number, wire, value in fields(data, "AttributeProto"):
        if number == 1:
            expect(wire, LEN, "AttributeProto.name")
            name = text(value, "AttributeProto.name")
        elif number == 20:
            expect(wire, VARINT, "AttributeProto.type")
            kind = _int(value)
        elif number == 2:
            expect(wire, I32, "AttributeProto.f")
            found[ATTR_FLOAT] = struct.unpack("<f", _bytes(value))[0]
        elif number == 3:
            expect(wire, VARINT, "AttributeProto.i")
            found[ATTR_INT] = to_int64(_int(value))
        elif number == 4:
            expect(wire, LEN, "AttributeProto.s")
            found[ATTR_STRING] = text(value, "AttributeProto.s")
        elif number == 5:
            expect(wire, LEN, "AttributeProto.t")
            found[ATTR_TENSOR] = _read_tensor(_bytes(value), "an attribute's tensor")
        elif number == 6:
            found[ATTR_GRAPH] = None  # a subgraph (If, Loop): not read
        elif number == 7:
            lists[ATTR_FLOATS] += float_list(wire, value, "AttributeProto.floats")
            found[ATTR_FLOATS] = lists[ATTR_FLOATS]
        elif number == 8:
            lists[ATTR_INTS] += [to_int64(v) for v in varint_list(wire, value,
                                                                  "AttributeProto.ints")]
            found[ATTR_INTS] = lists[ATTR_INTS]
        elif number == 9:
            expect(wire, LEN, "AttributeProto.strings")
            lists[ATTR_STRINGS].append(text(value, "AttributeProto.strings"))
            found[ATTR_STRINGS] = lists[ATTR_STRINGS]
    if kind in found:
        return name, found[kind]
    if kind == 0 and len(found) == 1:
        for only in found.values():
            return name, only
    if kind in lists:  # an empty list is sent as no field at all
        return name, []
    return name, None


def _read_tensor(data: memoryview, what: str) -> Tensor:
    """A TensorProto: its name, shape, type and data (values, raw bytes, or
    where the external file keeps them)."""
    tensor = Tensor("", [], 0)
    values: "List[Any]" = []
    external: "Dict[str, str]" = {}
    location = 0
    for number, wire, value in fields(data, "TensorProto"):
        if number == 1:
            tensor.dims += [to_int64(d) for d in varint_list(wire, value, "TensorProto.dims")]
        elif number == 2:
            expect(wire, VARINT, "TensorProto.data_type")
            tensor.data_type = _int(value)
        elif number == 8:
            expect(wire, LEN, "TensorProto.name")
            tensor.name = text(value, "TensorProto.name")
        elif number == 9:
            expect(wire, LEN, "TensorProto.raw_data")
            tensor.raw = _bytes(value)
        elif number == 4:
            values += float_list(wire, value, "TensorProto.float_data")
        elif number == 10:
            values += double_list(wire, value, "TensorProto.double_data")
        elif number in (5, 7):  # int32_data, int64_data: varints, negatives sign-extended
            values += [to_int64(v) for v in varint_list(wire, value, "TensorProto int data")]
        elif number == 6:
            expect(wire, LEN, "TensorProto.string_data")
            values.append(text(value, "TensorProto.string_data"))
        elif number == 13:
            expect(wire, LEN, "TensorProto.external_data")
            key, entry = _read_entry(_bytes(value))
            external[key] = entry
        elif number == 14:
            expect(wire, VARINT, "TensorProto.data_location")
            location = _int(value)
    name = "tensor %r" % tensor.name if tensor.name else what
    for d in tensor.dims:
        if d < 0:
            raise ModelFileError("%s has a negative dimension in its shape %r"
                                 % (name, tensor.dims))
    if location == EXTERNAL:
        if "location" not in external:
            raise ModelFileError("%s keeps its data in an external file but does not say "
                                 "which (no 'location' in external_data)" % name)
        tensor.external = external
    elif tensor.raw is None:
        tensor.values = values
        _check_size(tensor, len(values), name)
    return tensor


def _read_entry(data: memoryview) -> "Tuple[str, str]":
    key, value = "", ""
    for number, wire, field in fields(data, "StringStringEntryProto"):
        if number == 1:
            expect(wire, LEN, "StringStringEntryProto.key")
            key = text(field, "StringStringEntryProto.key")
        elif number == 2:
            expect(wire, LEN, "StringStringEntryProto.value")
            value = text(field, "StringStringEntryProto.value")
    return key, value


def _read_value_info(data: memoryview, what: str) -> ValueInfo:
    info = ValueInfo("")
    for number, wire, value in fields(data, "ValueInfoProto"):
        if number == 1:
            expect(wire, LEN, "ValueInfoProto.name")
            info.name = text(value, "ValueInfoProto.name")
        elif number == 2:
            expect(wire, LEN, "ValueInfoProto.type")
            for n, w, v in fields(_bytes(value), "TypeProto"):
                if n == 1:  # tensor_type; the other kinds leave elem_type None
                    expect(w, LEN, "TypeProto.tensor_type")
                    _read_tensor_type(_bytes(v), info)
    return info


def _read_tensor_type(data: memoryview, info: ValueInfo) -> None:
    info.elem_type = 0
    for number, wire, value in fields(data, "TypeProto.Tensor"):
        if number == 1:
            expect(wire, VARINT, "TypeProto.Tensor.elem_type")
            info.elem_type = _int(value)
        elif number == 2:
            expect(wire, LEN, "TypeProto.Tensor.shape")
            info.shape = []
            for n, w, v in fields(_bytes(value), "TensorShapeProto"):
                if n == 1:
                    expect(w, LEN, "TensorShapeProto.dim")
                    info.shape.append(_read_dim(_bytes(v)))


def _read_dim(data: memoryview) -> "Dim":
    dim: "Dim" = None
    for number, wire, value in fields(data, "TensorShapeProto.Dimension"):
        if number == 1:
            expect(wire, VARINT, "Dimension.dim_value")
            dim = to_int64(_int(value))
        elif number == 2:
            expect(wire, LEN, "Dimension.dim_param")
            dim = text(value, "Dimension.dim_param")
    return dim


def _int(value: "Value") -> int:
    # ``expect`` has checked the wire type; this narrows the type for mypy.
    if not isinstance(value, int):
        raise ModelFileError("the ONNX model is corrupt: a number field holds bytes")
    return value


def _bytes(value: "Value") -> memoryview:
    if isinstance(value, int):
        raise ModelFileError("the ONNX model is corrupt: a bytes field holds a number")
    return value


# --- a tensor's values ---------------------------------------------------------

# The struct code and width of each data type that raw_data may hold here.
RAW_FORMATS = {FLOAT: ("f", 4), DOUBLE: ("d", 8), INT64: ("q", 8), INT32: ("i", 4)}


def tensor_values(tensor: Tensor, raw: "Optional[Union[bytes, memoryview]]" = None
                  ) -> "List[Any]":
    """The elements of ``tensor`` in row-major order.

    ``raw`` is the bytes of its data when they come from an external file;
    otherwise the tensor's own ``raw_data`` or typed lists are used.  Raises
    ``ModelFileError`` for a data type other than FLOAT, DOUBLE, INT32,
    INT64 or STRING, or when the number of elements does not match ``dims``.
    """
    name = "tensor %r" % tensor.name
    if raw is None:
        raw = tensor.raw
    if raw is None:
        if tensor.values is None:
            raise ModelFileError("%s has no data" % name)
        return tensor.values
    if tensor.data_type not in RAW_FORMATS:
        raise ModelFileError("%s holds %s numbers; tinynet reads FLOAT, DOUBLE, INT32 and INT64"
                             % (name, type_name(tensor.data_type)))
    code, width = RAW_FORMATS[tensor.data_type]
    if len(raw) != tensor.size() * width:
        raise ModelFileError("%s is corrupt: its shape %r needs %d bytes of %s but it has %d"
                             % (name, tensor.dims, tensor.size() * width,
                                type_name(tensor.data_type), len(raw)))
    if code in ("f", "d"):
        return unpack_floats(raw, code, name)
    return list(struct.unpack("<%d%s" % (len(raw) // width, code), raw))


def _check_size(tensor: Tensor, count: int, name: str) -> None:
    if count != tensor.size():
        raise ModelFileError("%s is corrupt: its shape %r holds %d values but it has %d"
                             % (name, tensor.dims, tensor.size(), count))


# --- writing -----------------------------------------------------------------


def write_model(model: Model) -> bytes:
    """The bytes of ``model`` as an ONNX file (fields in schema order)."""
    w = Writer()
    w.varint(1, model.ir_version)
    if model.producer:
        w.text(2, model.producer)
    w.message(7, _write_graph(model.graph))
    for domain in sorted(model.opsets):
        opset = Writer()
        if domain:
            opset.text(1, domain)
        opset.varint(2, model.opsets[domain])
        w.message(8, opset.bytes())
    return w.bytes()


def _write_graph(graph: Graph) -> bytes:
    w = Writer()
    for node in graph.nodes:
        w.message(1, _write_node(node))
    w.text(2, graph.name)
    for tensor in graph.initializers:
        w.message(5, write_tensor(tensor))
    for info in graph.inputs:
        w.message(11, _write_value_info(info))
    for info in graph.outputs:
        w.message(12, _write_value_info(info))
    return w.bytes()


def _write_node(node: Node) -> bytes:
    w = Writer()
    for name in node.inputs:
        w.text(1, name)
    for name in node.outputs:
        w.text(2, name)
    w.text(3, node.name)
    w.text(4, node.op_type)
    for name in sorted(node.attributes):
        w.message(5, _write_attribute(name, node.attributes[name]))
    if node.domain:
        w.text(7, node.domain)
    return w.bytes()


def _write_attribute(name: str, value: object) -> bytes:
    """An INT or FLOAT attribute (the only kinds the exporter uses)."""
    w = Writer()
    w.text(1, name)
    if isinstance(value, int):
        w.varint(3, value)
        w.varint(20, ATTR_INT)
    elif isinstance(value, float):
        w.float32(2, value)
        w.varint(20, ATTR_FLOAT)
    else:
        raise TypeError("attribute %r: only ints and floats are written" % name)
    return w.bytes()


def write_tensor(tensor: Tensor) -> bytes:
    """A FLOAT, DOUBLE or INT64 tensor, its values stored as raw little-endian
    bytes, or a STRING tensor, its values as UTF-8 in ``string_data``."""
    w = Writer()
    if tensor.dims:
        w.packed_varints(1, tensor.dims)
    w.varint(2, tensor.data_type)
    values = tensor.values or []
    if tensor.data_type == STRING:
        for value in values:
            w.text(6, value)
    w.text(8, tensor.name)
    if tensor.data_type != STRING:
        code = RAW_FORMATS[tensor.data_type][0]
        w.raw(9, struct.pack("<%d%s" % (len(values), code), *values))
    return w.bytes()


def _write_value_info(info: ValueInfo) -> bytes:
    """A tensor's name, element type and shape (numbers or symbolic names)."""
    shape = Writer()
    for dim in info.shape or []:
        d = Writer()
        if isinstance(dim, int):
            d.varint(1, dim)
        elif isinstance(dim, str):
            d.text(2, dim)
        shape.message(1, d.bytes())
    tensor_type = Writer()
    tensor_type.varint(1, info.elem_type or 0)
    tensor_type.message(2, shape.bytes())
    type_proto = Writer()
    type_proto.message(1, tensor_type.bytes())
    w = Writer()
    w.text(1, info.name)
    w.message(2, type_proto.bytes())
    return w.bytes()

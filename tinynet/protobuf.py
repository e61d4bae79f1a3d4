"""The protocol buffers wire format: just enough to read and write ONNX files.

An ONNX file is one protobuf message.  A message is a run of *fields*, each
a key followed by a value.  The key is a varint holding
``field_number << 3 | wire_type``; the wire type says how the value is laid
out, so a reader can step over fields it does not know:

=========  ==============  ================================================
wire type  name            the value
=========  ==============  ================================================
0          ``VARINT``      an integer, 7 bits per byte, low bits first; a
                           byte's top bit set means "another byte follows"
1          ``I64``         8 bytes, little-endian: a double (or an int64)
2          ``LEN``         a varint length, then that many bytes: text,
                           bytes, a nested message, or a packed list of
                           numbers
5          ``I32``         4 bytes, little-endian: a float
=========  ==============  ================================================

(Wire types 3 and 4, the long-deprecated "groups", are not used by ONNX and
are refused, as are 6 and 7, which do not exist.)

Which field number means what is not in the bytes: it comes from the
message's ``.proto`` schema (``onnx.proto`` for ONNX).  This module knows
nothing of ONNX; ``tinynet.onnx_proto`` applies the schema.

==============================  ============================================
``fields(data, what)``          the fields of one message, as
                                ``(number, wire_type, value)``
``varint_list(wire, value)``    a repeated integer field's values, packed
                                or not (likewise ``float_list``,
                                ``double_list``)
``text(value, what)``           a string field's bytes as text
``Writer``                      builds a message field by field
==============================  ============================================

>>> w = Writer()
>>> w.varint(1, 300)             # field 1 = 300
>>> w.text(2, "hi")              # field 2 = "hi"
>>> data = w.bytes()
>>> data.hex()
'08ac0212026869'
>>> [(number, wire, value if wire == VARINT else bytes(value)) for number, wire, value
...  in fields(data, "example")]
[(1, 0, 300), (2, 2, b'hi')]

300 is ``0b10_0101100``: the low 7 bits ``0101100`` go first with the top bit
set (``0xac``), then the remaining ``10`` (``0x02``).

Bad input
---------
A file may be cut short, corrupted or hostile, so every read checks that
the bytes it needs are there *before* it takes them: a length prefix larger
than what remains is refused without allocating anything, a varint may have
at most 10 bytes (64 bits), and text must be valid UTF-8.  Each problem is a
``ModelFileError`` naming the message (``what``) and the position in it.
"""

import struct

from .errors import ModelFileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator, List, Tuple, Union

    Buffer = Union[bytes, bytearray, memoryview]
    # A field's value: an int for VARINT, the raw bytes for I64, LEN and I32.
    Value = Union[int, memoryview]

VARINT = 0
I64 = 1
LEN = 2
I32 = 5

WIRE_NAMES = {VARINT: "varint", I64: "fixed64", LEN: "length-delimited", I32: "fixed32"}

# A varint carries at most 64 bits: 10 bytes of 7 bits.
MAX_VARINT_BYTES = 10


# --- reading -----------------------------------------------------------------


def read_varint(data: "Buffer", pos: int, what: str) -> "Tuple[int, int]":
    """The varint starting at ``data[pos]``, and the position just after it.

    Each byte gives 7 more bits, least significant first; a byte below 0x80
    is the last one.  ``value |= (byte & 0x7F) << shift`` builds the number.
    """
    value = 0
    shift = 0
    start = pos
    while True:
        if pos >= len(data):
            raise ModelFileError("%s is truncated: the number at byte %d of it is cut off"
                                 % (what, start))
        if pos - start >= MAX_VARINT_BYTES:
            raise ModelFileError("%s is corrupt: the number at byte %d of it is longer than "
                                 "10 bytes" % (what, start))
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


def fields(data: "Buffer", what: str) -> "Iterator[Tuple[int, int, Value]]":
    """Each field of the message ``data`` as ``(field_number, wire_type, value)``.

    ``value`` is an int for a varint, and a ``memoryview`` of the value's bytes
    for the other wire types (no copy is made: a nested message is read from
    the same buffer).  ``what`` names the message in errors, which give
    positions counted from the start of ``data``.
    """
    view = memoryview(data)
    pos = 0
    end = len(view)
    while pos < end:
        key_at = pos
        key, pos = read_varint(view, pos, what)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise ModelFileError("%s is corrupt: field number 0 at byte %d of it"
                                 % (what, key_at))
        if wire_type == VARINT:
            value, pos = read_varint(view, pos, what)
            yield number, wire_type, value
            continue
        if wire_type == LEN:
            size, pos = read_varint(view, pos, what)
        elif wire_type == I64:
            size = 8
        elif wire_type == I32:
            size = 4
        else:
            raise ModelFileError("%s is corrupt: field %d at byte %d of it has wire type %d, "
                                 "which is not one of 0 (varint), 1 (fixed64), 2 "
                                 "(length-delimited) or 5 (fixed32)"
                                 % (what, number, key_at, wire_type))
        if size > end - pos:
            raise ModelFileError("%s is truncated: field %d at byte %d of it needs %d bytes but "
                                 "only %d remain" % (what, number, key_at, size, end - pos))
        yield number, wire_type, view[pos:pos + size]
        pos += size


def varint_list(wire_type: int, value: "Value", what: str) -> "List[int]":
    """A repeated integer field's values: one varint, or a packed run of them."""
    if isinstance(value, int):  # wire type VARINT: a single value
        return [value]
    if wire_type != LEN:
        raise wrong_wire_type(what, wire_type, "varint or length-delimited")
    numbers = []
    pos = 0
    while pos < len(value):
        number, pos = read_varint(value, pos, what)
        numbers.append(number)
    return numbers


def float_list(wire_type: int, value: "Value", what: str) -> "List[float]":
    """A repeated ``float`` field's values: one fixed32, or a packed run of them."""
    if isinstance(value, int) or wire_type not in (I32, LEN):
        raise wrong_wire_type(what, wire_type, "fixed32 or length-delimited")
    return unpack_floats(value, "f", what)


def double_list(wire_type: int, value: "Value", what: str) -> "List[float]":
    """A repeated ``double`` field's values: one fixed64, or a packed run of them."""
    if isinstance(value, int) or wire_type not in (I64, LEN):
        raise wrong_wire_type(what, wire_type, "fixed64 or length-delimited")
    return unpack_floats(value, "d", what)


def unpack_floats(data: "Buffer", code: str, what: str) -> "List[float]":
    """Little-endian floats (``code`` ``"f"``, 4 bytes) or doubles (``"d"``, 8 bytes)."""
    size = 4 if code == "f" else 8
    count = len(data) // size
    if count * size != len(data):
        raise ModelFileError("%s is corrupt: %d bytes is not a whole number of %d-byte values"
                             % (what, len(data), size))
    return list(struct.unpack("<%d%s" % (count, code), data))


def to_int64(value: int) -> int:
    """A varint read as a signed 64-bit integer: negative numbers are sent as
    their two's complement, ``2**64 + n``, so ``-1`` arrives as ``2**64 - 1``."""
    value &= 0xFFFFFFFFFFFFFFFF
    return value - (1 << 64) if value >= (1 << 63) else value


def text(value: "Value", what: str) -> str:
    """A string field's bytes as text, or ModelFileError unless valid UTF-8."""
    if not isinstance(value, memoryview):
        raise wrong_wire_type(what, VARINT, "length-delimited")
    try:
        return bytes(value).decode("utf-8")
    except UnicodeError:
        raise ModelFileError("%s is not valid UTF-8 text" % what)


def wrong_wire_type(what: str, wire_type: int, expected: str) -> ModelFileError:
    """The error for a known field sent with the wrong wire type."""
    return ModelFileError("%s is corrupt: it has wire type %d (%s), expected %s"
                          % (what, wire_type, WIRE_NAMES.get(wire_type, "unknown"), expected))


def expect(wire_type: int, expected: int, what: str) -> None:
    """ModelFileError unless a field came with the wire type its schema gives."""
    if wire_type != expected:
        raise wrong_wire_type(what, wire_type, WIRE_NAMES[expected])


# --- writing -----------------------------------------------------------------


def encode_varint(value: int) -> bytes:
    """``value`` as a varint; a negative one as its 64-bit two's complement (10 bytes)."""
    if value < 0:
        value += 1 << 64
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


class Writer:
    """Builds one message: call a method per field, in field order, then ``bytes()``.

    A nested message is written by building it with its own ``Writer`` and
    passing that writer's ``bytes()`` to ``message``.
    """

    def __init__(self) -> None:
        self.parts: "List[bytes]" = []

    def _key(self, number: int, wire_type: int) -> None:
        self.parts.append(encode_varint(number << 3 | wire_type))

    def varint(self, number: int, value: int) -> None:
        """An integer field (int32, int64, enum, bool)."""
        self._key(number, VARINT)
        self.parts.append(encode_varint(value))

    def raw(self, number: int, data: bytes) -> None:
        """A length-delimited field: bytes, a nested message, a packed list."""
        self._key(number, LEN)
        self.parts.append(encode_varint(len(data)))
        self.parts.append(data)

    def text(self, number: int, value: str) -> None:
        """A string field, as UTF-8."""
        self.raw(number, value.encode("utf-8"))

    def message(self, number: int, data: bytes) -> None:
        """A nested message, already built."""
        self.raw(number, data)

    def float32(self, number: int, value: float) -> None:
        """A single ``float`` field (fixed32)."""
        self._key(number, I32)
        self.parts.append(struct.pack("<f", value))

    def packed_varints(self, number: int, values: "List[int]") -> None:
        """A repeated integer field, packed into one length-delimited value."""
        self.raw(number, b"".join(encode_varint(v) for v in values))

    def bytes(self) -> bytes:
        """The message so far."""
        return b"".join(self.parts)

"""The protobuf wire format: the encoding guide's own examples, and bytes that must be refused.

The expected bytes come from the protobuf encoding guide
(https://protobuf.dev/programming-guides/encoding/): 150 is ``96 01``, field 1 = 150 is
``08 96 01``, field 2 = "testing" is ``12 07 74 65 73 74 69 6e 67``, and -1 as an int64
is ten bytes, ``ff ff ff ff ff ff ff ff ff 01``.
"""

import struct

import pytest

from tinynet import protobuf
from tinynet.errors import ModelFileError


def decoded(data: bytes) -> list:
    """Every field of ``data``, with bytes values copied out of their memoryview."""
    return [(number, wire, value if isinstance(value, int) else bytes(value))
            for number, wire, value in protobuf.fields(data, "test message")]


# --- the guide's examples ---------------------------------------------------------


@pytest.mark.parametrize("value,encoded", [
    (0, "00"), (1, "01"), (127, "7f"), (128, "8001"), (150, "9601"), (300, "ac02"),
    (2**32, "8080808010"), (2**64 - 1, "ffffffffffffffffff01"),
])
def test_varints_encode_as_the_guide_shows_and_read_back(value, encoded) -> None:
    assert protobuf.encode_varint(value).hex() == encoded
    assert protobuf.read_varint(bytes.fromhex(encoded), 0, "x") == (value, len(encoded) // 2)


def test_a_negative_int64_is_ten_bytes_of_twos_complement() -> None:
    assert protobuf.encode_varint(-1).hex() == "ffffffffffffffffff01"
    raw, _ = protobuf.read_varint(bytes.fromhex("ffffffffffffffffff01"), 0, "x")
    assert protobuf.to_int64(raw) == -1
    assert protobuf.to_int64(2**63 - 1) == 2**63 - 1
    assert protobuf.to_int64(2**63) == -2**63


def test_fields_of_the_guides_messages() -> None:
    assert decoded(bytes.fromhex("089601")) == [(1, 0, 150)]
    assert decoded(bytes.fromhex("120774657374696e67")) == [(2, 2, b"testing")]


def test_fixed_width_fields_and_packed_lists() -> None:
    # field 3 as fixed32 (key 3 << 3 | 5 = 0x1d), field 4 as fixed64 (0x21),
    # field 5 a packed run of two floats (0x2a, length 8), field 6 two varints (0x32).
    message = (b"\x1d" + struct.pack("<f", 1.5) + b"\x21" + struct.pack("<d", -0.25)
               + b"\x2a\x08" + struct.pack("<2f", 2.0, 3.0) + b"\x32\x03\x01\xac\x02")
    fields = list(protobuf.fields(message, "m"))
    assert [(n, w) for n, w, _ in fields] == [(3, 5), (4, 1), (5, 2), (6, 2)]
    assert protobuf.float_list(fields[0][1], fields[0][2], "f") == [1.5]
    assert protobuf.double_list(fields[1][1], fields[1][2], "d") == [-0.25]
    assert protobuf.float_list(fields[2][1], fields[2][2], "f") == [2.0, 3.0]
    assert protobuf.varint_list(fields[3][1], fields[3][2], "v") == [1, 300]
    assert protobuf.varint_list(0, 7, "v") == [7]  # one unpacked value


def test_the_writer_writes_the_guides_bytes() -> None:
    w = protobuf.Writer()
    w.varint(1, 150)
    w.text(2, "testing")
    w.float32(3, 1.5)
    w.packed_varints(6, [1, 300])
    assert w.bytes() == (bytes.fromhex("089601120774657374696e67") + b"\x1d"
                         + struct.pack("<f", 1.5) + b"\x32\x03\x01\xac\x02")


# --- bytes that must be refused ------------------------------------------------------


def test_a_message_cut_anywhere_inside_a_field_is_refused_as_truncated() -> None:
    message = bytes.fromhex("089601120774657374696e67")
    boundaries = {0, 3, len(message)}  # where a field starts or ends: a valid, shorter message
    for cut in range(len(message)):
        if cut in boundaries:
            continue
        with pytest.raises(ModelFileError, match="truncated"):
            decoded(message[:cut])


@pytest.mark.parametrize("wire_type", [3, 4, 6, 7])
def test_wire_types_that_onnx_does_not_use_are_refused(wire_type) -> None:
    with pytest.raises(ModelFileError, match="wire type %d" % wire_type):
        decoded(bytes([1 << 3 | wire_type, 0]))


def test_a_varint_longer_than_ten_bytes_is_refused() -> None:
    with pytest.raises(ModelFileError, match="longer than 10 bytes"):
        decoded(b"\x08" + b"\xff" * 10 + b"\x01")


def test_a_huge_declared_length_is_refused_before_anything_is_allocated() -> None:
    # field 1, length-delimited, length 2**62: far more than the 2 bytes that follow.
    with pytest.raises(ModelFileError, match="needs 4611686018427387904 bytes but only 2"):
        decoded(b"\x0a" + protobuf.encode_varint(2**62) + b"ab")


def test_field_number_zero_is_refused() -> None:
    with pytest.raises(ModelFileError, match="field number 0"):
        decoded(b"\x00\x01")


def test_text_that_is_not_utf8_is_refused() -> None:
    (_, _, value), = protobuf.fields(b"\x0a\x02\xff\xfe", "m")
    with pytest.raises(ModelFileError, match="not valid UTF-8"):
        protobuf.text(value, "NodeProto.name")


def test_packed_floats_that_are_not_whole_values_are_refused() -> None:
    (number, wire, value), = protobuf.fields(b"\x0a\x05" + b"\x00" * 5, "m")
    with pytest.raises(ModelFileError, match="5 bytes is not a whole number of 4-byte values"):
        protobuf.float_list(wire, value, "TensorProto.float_data")


def test_a_known_field_with_the_wrong_wire_type_is_refused() -> None:
    with pytest.raises(ModelFileError, match="wire type 2 .length-delimited., expected varint"):
        protobuf.expect(2, protobuf.VARINT, "TensorProto.data_type")
    with pytest.raises(ModelFileError, match="wire type 0"):
        protobuf.float_list(0, 5, "TensorProto.float_data")

"""The piece-at-a-time JSON reader (``tinynet.jsonreader``) against the ``json`` module.

Every document is read with several chunk sizes, down to one byte, so that each
token is also split across chunks; ``json.loads`` is the reference.
"""

import io
import json

import pytest

from tinynet import jsonreader
from tinynet.jsonreader import JsonError, JsonReader

CHUNK_SIZES = [1, 2, 3, 7, 128]

DOCUMENTS = [
    '{"a": [1, 2.5, -0.0, 1e-300, 6.02E+23, -7e5], "b": {"c": null, "d": [true, false]}}',
    '  {"weights" : [[0.25,-1],[3 , 4.5e-1]] ,"empty": [], "none": {}}  \n',
    '{"text": "quote \\" slash \\\\ / \\/ tab\\t new\\nline \\u00e9 \\ud83d\\ude00 caf\u00e9"}',
    '{"key with \\"quotes\\"": "value", "": ""}',
    '[1, [2, [3, [4]]], {"x": [{"y": []}]}]',
    '"just a string"',
    '-12345678901234567890123',
    '\t[\r\n1\r\n]\r\n',
]


def read_all(text: str, chunk_size: int, monkeypatch) -> object:
    monkeypatch.setattr(jsonreader, "CHUNK_SIZE", chunk_size)
    reader = JsonReader(io.BytesIO(text.encode("utf-8")))
    value = reader.value()
    reader.end()
    return value


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
@pytest.mark.parametrize("text", DOCUMENTS)
def test_a_document_reads_as_json_builds_it(text, chunk_size, monkeypatch) -> None:
    value = read_all(text, chunk_size, monkeypatch)
    assert value == json.loads(text)
    assert json.dumps(value) == json.dumps(json.loads(text))  # the same types too (1 vs 1.0)


@pytest.mark.parametrize("chunk_size", CHUNK_SIZES)
def test_keys_and_items_walk_a_document_one_value_at_a_time(chunk_size, monkeypatch) -> None:
    monkeypatch.setattr(jsonreader, "CHUNK_SIZE", chunk_size)
    reader = JsonReader(io.BytesIO(b'{"rows": [[1, 2], [3, 4]], "name": "n"}'))
    seen = []
    for key in reader.keys():
        if key == "rows":
            for _ in reader.items():
                seen.append(("row", reader.value()))
        else:
            seen.append((key, reader.value()))
    reader.end()
    assert seen == [("row", [1, 2]), ("row", [3, 4]), ("name", "n")]


BAD_DOCUMENTS = [
    ("", "expected a value, found the end of the text"),
    ("{", "found the end of the text"),
    ('{"a": [1, 2', "expected ',' or ']'"),
    ('{"a": 1,}', "a key"),
    ("[1, 2,]", "is not a JSON value"),
    ("[1 2]", "expected ',' or ']'"),
    ('{"a" 1}', "expected ':'"),
    ("{'a': 1}", "a key"),
    ("[01]", "is not a JSON value"),
    ("[.5]", "is not a JSON value"),
    ("[+1]", "is not a JSON value"),
    ("[NaM]", "is not a JSON value"),
    ("[tru]", "is not a JSON value"),
    ('["unterminated]', "ends inside a string"),
    ('["a\nb"]', "is not a JSON value"),
    ('["\\x"]', "is not a JSON value"),
    ("[1] [2]", "the end of the text"),
    ("{} x", "the end of the text"),
]


@pytest.mark.parametrize("chunk_size", [1, 128])
@pytest.mark.parametrize("text,fragment", BAD_DOCUMENTS)
def test_text_that_is_not_json_raises_json_error(text, fragment, chunk_size, monkeypatch) -> None:
    with pytest.raises(ValueError):
        json.loads(text)  # the reference refuses it too
    with pytest.raises(JsonError, match=fragment.replace("[", "\\[").replace("(", "\\(")):
        read_all(text, chunk_size, monkeypatch)


def test_nesting_deeper_than_the_limit_is_refused_rather_than_recursed_into(monkeypatch) -> None:
    depth = jsonreader.MAX_DEPTH
    assert read_all("[" * depth + "]" * depth, 128, monkeypatch) == json.loads("[" * depth + "]" * depth)
    with pytest.raises(JsonError, match="nested more than %d deep" % depth):
        read_all("[" * (depth + 1) + "]" * (depth + 1), 128, monkeypatch)


def test_bytes_that_are_not_utf8_raise_json_error() -> None:
    reader = JsonReader(io.BytesIO(b'["caf\xe9"]'))
    with pytest.raises(JsonError, match="not a JSON value"):
        reader.value()


def test_json_error_is_a_value_error() -> None:
    assert issubclass(JsonError, ValueError)


@pytest.mark.parametrize("text", ['{"a": 1, "a": 2}', '{"a": {"b": 1, "c": 2, "b": 3}}',
                                  '[{"x": 1}, {"y": 2, "y": 2}]'])
def test_an_object_naming_a_key_twice_is_refused(text) -> None:
    with pytest.raises(JsonError, match="appears twice in one object"):
        JsonReader(io.BytesIO(text.encode())).value()


def test_the_same_key_in_two_objects_is_not_a_repeat() -> None:
    text = '[{"x": 1}, {"x": 2}, {"x": {"x": 3}}]'
    assert JsonReader(io.BytesIO(text.encode())).value() == json.loads(text)

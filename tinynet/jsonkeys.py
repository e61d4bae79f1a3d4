"""Reading JSON in which every object names each key once.

JSON does not forbid ``{"W1": [...], "W1": [...]}``, and Python's ``json``
keeps the last value without a word.  For a model file that is a silent
wrong answer (which ``W1`` did the writer mean?), so a model file with a
repeated key is refused instead:

==========================  ================================================
``loads(text)``             ``json.loads(text)``, or a ``ModelFileError``
                            naming the first key an object repeats
``repeated_key(text)``      that key, found by reading the text itself
==========================  ================================================

>>> loads('{"a": 1, "b": {"a": 2}}')
{'a': 1, 'b': {'a': 2}}
>>> loads('{"a": 1, "b": {"c": 2, "c": 3}}')
Traceback (most recent call last):
...
tinynet.errors.ModelFileError: the key 'c' appears twice in one object
>>> repeated_key('[{"x": 1}, {"x": 2}]') is None     # two objects, one x each
True

CPython's ``json`` can hand every object's key-value pairs to a function
(``object_pairs_hook``), which sees the repeats.  MicroPython's ``json``
cannot, so there ``repeated_key`` reads the text after ``json`` has parsed
it: it jumps from string to string with ``bytes.find`` (numbers, the bulk
of a model file, are skipped in C), and keeps one set of keys per open
object.
"""

import json

from .errors import ModelFileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Set, Tuple, Union


def _repeated(key: str) -> ModelFileError:
    return ModelFileError("the key %r appears twice in one object" % (key,))


def _unique_pairs(pairs: "List[Tuple[str, Any]]") -> "dict[str, Any]":
    """``object_pairs_hook``: the object as a dict, unless a key repeats."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: "Set[str]" = set()
        for key, _ in pairs:
            if key in seen:
                raise _repeated(key)
            seen.add(key)
    return result


def _has_pairs_hook() -> bool:
    try:
        json.loads("{}", object_pairs_hook=_unique_pairs)
    except TypeError:  # MicroPython: "function doesn't take keyword arguments"
        return False
    return True


HAS_PAIRS_HOOK = _has_pairs_hook()


def loads(text: str, data: "Optional[bytes]" = None) -> "Any":
    """``json.loads(text)``, refusing an object that repeats a key (ModelFileError).

    Text that is not JSON raises what ``json.loads`` raises (a ValueError;
    catch ModelFileError first, as it is one too).  ``data``, when given, is
    the same text as UTF-8 bytes (as read from a file), which the scan
    without a hook then need not make again.
    """
    if HAS_PAIRS_HOOK:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    value = json.loads(text)
    key = repeated_key(text if data is None else data)
    if key is not None:
        raise _repeated(key)
    return value


def repeated_key(text: "Union[str, bytes]") -> "Optional[str]":
    """The first key that an object in ``text`` (valid JSON) names twice, or None.

    Keys are compared as JSON reads them, so ``"a"`` and ``"\\u0061"`` are
    the same key.  Between two strings there are only numbers, brackets,
    commas, colons and spaces; of those only ``{`` and ``}`` matter (an
    object opens or closes).  A string followed by ``:`` is a key of the
    innermost open object.

    The scan runs over bytes: MicroPython finds a position in a str by
    walking it from the start, which would make each jump cost the length
    of the text.
    """
    data = text.encode() if isinstance(text, str) else text
    open_objects: "List[Set[str]]" = []  # the keys seen in each open object, innermost last
    position, end = 0, len(data)
    while True:
        start = data.find(b'"', position)
        _braces(data, position, end if start < 0 else start, open_objects)
        if start < 0:
            return None
        stop = _string_end(data, start)
        if stop < 0:
            return None  # not JSON; json.loads has said so already
        after = stop + 1
        while after < end and data[after] in WHITESPACE:
            after += 1
        if after < end and data[after] == COLON and open_objects:
            key = json.loads(data[start:stop + 1].decode())
            keys = open_objects[-1]
            if key in keys:
                return str(key)
            keys.add(key)
        position = stop + 1


# Bytes as ints, the way indexing a bytes object gives them.
WHITESPACE = b" \t\r\n"
COLON, BACKSLASH = 0x3A, 0x5C


def _braces(data: bytes, start: int, stop: int, open_objects: "List[Set[str]]") -> None:
    """Open and close objects for each ``{`` and ``}`` in ``data[start:stop]``, in order."""
    opening = data.find(b"{", start, stop)
    closing = data.find(b"}", start, stop)
    while opening >= 0 or closing >= 0:
        if closing < 0 or 0 <= opening < closing:
            open_objects.append(set())
            opening = data.find(b"{", opening + 1, stop)
        else:
            if open_objects:
                open_objects.pop()
            closing = data.find(b"}", closing + 1, stop)


def _string_end(data: bytes, start: int) -> int:
    """Where the string opened by the quote at ``start`` closes, or -1.

    A quote preceded by an odd number of backslashes is escaped (``\\"``),
    part of the string.
    """
    position = start + 1
    while True:
        quote = data.find(b'"', position)
        if quote < 0:
            return -1
        backslashes = 0
        while data[quote - 1 - backslashes] == BACKSLASH:
            backslashes += 1
        if backslashes % 2 == 0:
            return quote
        position = quote + 1

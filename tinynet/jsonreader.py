"""Reading a JSON file a piece at a time, for machines with little memory.

``json.load`` builds the whole document at once: a [64, 32, 10] model file
becomes 2410 float objects in 107 lists, about 50 KB on a microcontroller
that may have 100 KB in all.  ``JsonReader`` walks the file's arrays and
objects itself, 128 bytes at a time, and hands each string, number, true,
false or null to ``json.loads`` alone, so the caller keeps what it needs and
drops the rest: ``tinynet.modelreader`` copies each row of weights into a
compact ``array`` and lets the row go.

====================  =========================================================
``reader.keys()``     iterate over an object: yields each key, and the caller
                      reads that key's value before asking for the next one
``reader.items()``    iterate over an array the same way (yields None)
``reader.value()``    the next value, built as ``json`` builds it
``reader.peek()``     the next byte that is not whitespace (-1 at the end)
``reader.end()``      check that nothing but whitespace follows
====================  =========================================================

>>> import io
>>> reader = JsonReader(io.BytesIO(b'{"a": [1, 2.5], "b": {"c": null}}'))
>>> for key in reader.keys():
...     print(key, reader.value())
a [1, 2.5]
b {'c': None}
>>> reader.end()

Text that is not JSON raises ``JsonError``, a ``ValueError``, and so does an
object that names a key twice (``json`` would keep the last value silently;
a model file with two ``W1`` must not load either one).  The brackets,
commas and colons are checked here; each string and number is checked by the
interpreter's ``json`` module (on MicroPython a little more leniently than on
CPython: it reads ``01`` as 1).
"""

import json

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, Iterator, Optional

# Indexing bytes gives ints, so the punctuation is compared as numbers, named
# in a comment where it is used: 0x22 is '"', 0x5C '\\', 0x2C ',', 0x3A ':',
# 0x7B '{', 0x7D '}', 0x5B '[' and 0x5D ']'.  (Not as named constants: on a
# board every module-level name is memory held for good.)
WHITESPACE = b" \t\n\r"
# What ends a number, true, false or null.
AFTER_SCALAR = b" \t\n\r,:[]{}\""

# Arrays and objects nested deeper than this are refused: no model file comes
# near it, and a board's stack is small.
MAX_DEPTH = 20

CHUNK_SIZE = 128


class JsonError(ValueError):
    """Text that is not valid JSON, or that ends before the document does."""


class JsonReader:
    """JSON values from a binary file (anything with ``read(n)`` giving bytes)."""

    def __init__(self, handle: "IO[bytes]") -> None:
        self._read = handle.read
        self._buffer = b""
        self._pos = 0  # the next byte to look at, in _buffer

    def _more(self) -> bool:
        """Keep the unread part of the buffer and add the next chunk of the file."""
        chunk = self._read(CHUNK_SIZE)
        if not chunk:
            return False
        self._buffer = self._buffer[self._pos:] + chunk
        self._pos = 0
        return True

    def peek(self) -> int:
        """The next byte that is not whitespace, left in place (-1 at the end)."""
        while True:
            buffer, pos = self._buffer, self._pos
            while pos < len(buffer):
                if buffer[pos] not in WHITESPACE:
                    self._pos = pos
                    return buffer[pos]
                pos += 1
            self._pos = pos
            if not self._more():
                return -1

    def _fail(self, expected: str) -> JsonError:
        """A JsonError saying what was expected where the reader stands."""
        byte = self.peek()
        return JsonError("expected %s, found %s" % (
            expected, "the end of the text" if byte < 0 else repr(chr(byte))))

    def _take(self, byte: int, expected: str) -> None:
        if self.peek() != byte:
            raise self._fail(expected)
        self._pos += 1

    def keys(self) -> "Iterator[str]":
        """Iterate over an object's keys; read each key's value before the next."""
        return self._members(0x7B, 0x7D)  # type: ignore[return-value]  # { }

    def items(self) -> "Iterator[None]":
        """Iterate over an array; read each item before the next."""
        return self._members(0x5B, 0x5D)  # type: ignore[return-value]  # [ ]

    def _members(self, opening: int, closing: int) -> "Iterator[Optional[str]]":
        self._take(opening, "'%s'" % chr(opening))
        if self.peek() == closing:
            self._pos += 1
            return
        seen = set()  # an object's keys so far: a key named twice is refused
        while True:
            key = None
            if opening == 0x7B:  # {
                if self.peek() != 0x22:  # "
                    raise self._fail("a key (a string in double quotes)")
                key = self._scalar()
                if key in seen:
                    raise JsonError("the key %r appears twice in one object" % (key,))
                seen.add(key)
                self._take(0x3A, "':' after the key %r" % key)  # :
            yield key
            byte = self.peek()
            if byte != 0x2C and byte != closing:  # ,
                raise self._fail("',' or '%s'" % chr(closing))
            self._pos += 1
            if byte == closing:
                return

    def value(self, depth: int = 0) -> "Any":
        """The next value: arrays and objects built here, the rest by ``json.loads``.

        ``depth`` counts the arrays and objects the caller is inside.
        """
        byte = self.peek()
        if byte != 0x5B and byte != 0x7B:  # [ {
            return self._scalar()
        if depth >= MAX_DEPTH:
            raise JsonError("arrays and objects are nested more than %d deep" % MAX_DEPTH)
        if byte == 0x5B:  # [
            return [self.value(depth + 1) for _ in self.items()]
        result = {}
        for key in self.keys():
            result[key] = self.value(depth + 1)
        return result

    def _scalar(self) -> "Any":
        """The next string, number, true, false or null, parsed by ``json.loads``."""
        if self.peek() < 0:
            raise self._fail("a value")
        end = self._scalar_end()  # may read on, moving the scalar to the buffer's start
        text = self._buffer[self._pos:end]
        self._pos = end
        try:
            return json.loads(text)
        except ValueError as error:  # a syntax error, or bytes that are not UTF-8
            raise JsonError("%r is not a JSON value (%s)" % (text[:40], error))

    def _scalar_end(self) -> int:
        """Where the scalar at ``_pos`` ends, reading on until it does.

        A string ends after its closing quote (a quote after a backslash is
        part of it); anything else before a space or a delimiter.
        """
        in_string = self._buffer[self._pos] == 0x22  # "
        pos = self._pos + 1
        escaped = False
        while True:
            buffer = self._buffer
            while pos < len(buffer):
                byte = buffer[pos]
                if not in_string:
                    if byte in AFTER_SCALAR:
                        return pos
                elif escaped:
                    escaped = False
                elif byte == 0x5C:  # \\
                    escaped = True
                elif byte == 0x22:  # "
                    return pos + 1
                pos += 1
            pos -= self._pos  # where the buffer will start after _more
            if not self._more():
                if in_string:
                    raise JsonError("the text ends inside a string")
                return len(self._buffer)

    def end(self) -> None:
        """Check that only whitespace is left."""
        if self.peek() != -1:
            raise self._fail("the end of the text after the JSON value")

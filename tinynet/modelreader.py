"""Reading a model file in little memory: the JSON values, weights in ``array``s.

``read(path)`` returns the file's top-level object as a dict, as ``json.load``
would, except in three places where a model file holds its numbers: under
``params``, ``scaler`` and ``target_scaler``, each list of numbers is an
``array`` of floats, and each list of such lists (a weight matrix) a list of
them.  The file is read 128 bytes at a time (``tinynet.jsonreader``) and each
row goes into its array as soon as it is read, so neither the file nor its
weights as float objects are ever in memory whole.  The ``training``
settings are read and dropped: they do not change a prediction.

Here a file is refused (``ModelFileError``, naming the path) when it is
missing or unreadable, empty, not JSON (or cut short), not a JSON object, not
a tinynet model (its ``format``), of an unknown or newer ``version`` (1 and 2
are read here; 2 adds ``classes``), without a required key or with a key the
format does not have, or with a weight that is not a finite number.  Whether
the rest describes a network is ``tinynet.modelcheck``'s question.
"""

import gc
import math
import sys
from array import array

from .errors import ModelFileError
from .jsonreader import JsonError, JsonReader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict

# Weights are kept in the interpreter's own float width: "d" (8 bytes) where a
# float is a double, "f" (4 bytes) on a single-precision board, where a double
# array would hold the same numbers in twice the room.
FLOAT_CODE = "d" if 1.0 + 2.0 ** -40 != 1.0 else "f"

# MicroPython collects garbage only when its heap is full, and whatever is in
# use then stays where it was put: rows of weights read that way end up spread
# over the whole heap, leaving no room in one piece for the code that comes
# next.  Collecting after each row keeps them packed.  (CPython frees memory
# as it goes, and calling its collector this often would only be slow.)
collect_garbage = gc.collect if sys.implementation.name == "micropython" else lambda: None

FORMAT = "tinynet-model"
NEWEST_VERSION = 2  # version 2 adds "classes"
KEYS = ("format", "version", "layers", "activation", "output", "training", "params", "scaler",
        "target_scaler", "features", "target", "classes")
REQUIRED_KEYS = ("format", "version", "layers", "activation", "output", "params")

# The top-level objects whose lists of numbers are read into arrays.
NUMBER_OBJECTS = ("params", "scaler", "target_scaler")

OPEN_OBJECT, OPEN_ARRAY = 0x7B, 0x5B


def read(path: str) -> "Dict[str, Any]":
    """The top-level object of the model file ``path``, its weights in arrays."""
    path = str(path)  # a pathlib.Path, on CPython
    try:
        with open(path, "rb") as handle:
            return _read(JsonReader(handle))
    except JsonError as error:
        raise ModelFileError("%s: not valid JSON, so not a tinynet model (is the file truncated "
                             "or corrupt?): %s" % (path, error))
    except ModelFileError as error:
        raise ModelFileError("%s: %s" % (path, error))
    except OSError as error:
        # ENOENT is 2; MicroPython's WebAssembly port gives the host's 44, with no text.
        code = error.args[0] if error.args else None
        if code == 2 or (code == 44 and len(error.args) == 1):
            raise ModelFileError("%s: no such model file" % path)
        raise ModelFileError("%s: cannot read the model file: %s" % (
            path, getattr(error, "strerror", None) or "the system refused without saying why"))


def _read(reader: JsonReader) -> "Dict[str, Any]":
    if reader.peek() < 0:
        raise ModelFileError("the model file is empty")
    if reader.peek() != OPEN_OBJECT:
        found = reader.value()
        reader.end()
        raise ModelFileError("a tinynet model must be a JSON object, got %s" % _show(found))
    values: "Dict[str, Any]" = {}
    for key in reader.keys():
        collect_garbage()
        if key in NUMBER_OBJECTS and reader.peek() == OPEN_OBJECT:
            numbers = values[key] = {}
            for name in reader.keys():
                if key == "params":
                    numbers[name] = _numbers(reader, name, True)
                else:
                    numbers[name] = _numbers(reader, "'%s' %s" % (key, name), False)
        elif key == "training" and reader.peek() == OPEN_OBJECT:
            for _ in reader.keys():  # each setting read, which checks the JSON, and let go
                reader.value(1)
            values[key] = {}
        else:
            values[key] = reader.value()
    reader.end()
    _check_format(values)
    return values


def _check_format(values: "Dict[str, Any]") -> None:
    """ModelFileError unless ``values`` are a tinynet model file's, of a version read here."""
    found = values.get("format")
    if found != FORMAT:
        raise ModelFileError("not a tinynet model: 'format' is %s, expected %r"
                             % (_show(found), FORMAT))
    version = values.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ModelFileError("'version' must be a whole number >= 1, got %s" % _show(version))
    if version > NEWEST_VERSION:
        raise ModelFileError("the model file is version %d, written by a newer tinynet; this "
                             "one reads versions up to %d: upgrade tinynet to read it"
                             % (version, NEWEST_VERSION))
    missing = [key for key in REQUIRED_KEYS if key not in values]
    if missing:
        raise ModelFileError("the model is missing the key(s) %s" % ", ".join(map(repr, missing)))
    allowed = KEYS if version >= 2 else KEYS[:-1]  # "classes" came with version 2
    unexpected = sorted(key for key in values if key not in allowed)
    if unexpected:
        raise ModelFileError("the model has unexpected key(s) %s"
                             % ", ".join(map(repr, unexpected)))


def _numbers(reader: JsonReader, where: str, rows_allowed: bool) -> "Any":
    """The next value: a list of numbers as an array, a list of rows as a list of arrays.

    Anything that is not a list is left as ``json`` builds it, for
    ``tinynet.modelcheck`` to say what it should be.  ``where`` names the
    list in messages.
    """
    if reader.peek() != OPEN_ARRAY:
        return reader.value(1)
    numbers: "array[float]" = array(FLOAT_CODE)
    rows = []
    for i, _ in enumerate(reader.items()):
        if rows_allowed and not numbers and reader.peek() == OPEN_ARRAY:
            rows.append(_numbers(reader, "%s row %d" % (where, i), False))
            collect_garbage()
            continue
        value = reader.value(2)
        if rows:
            raise ModelFileError("%s item %d is %s, but the items before it are rows (lists)"
                                 % (where, i, _show(value)))
        numbers.append(_finite(value, "%s, item %d" % (where, i)))
    return rows or numbers


def _finite(value: object, where: str) -> float:
    """A JSON number as a finite float, or ModelFileError naming ``where``."""
    number = None
    if not isinstance(value, bool) and isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:  # a whole number with hundreds of digits
            pass
    if number is None or not math.isfinite(number):
        raise ModelFileError("%s is %s: weights must be finite numbers" % (where, _show(value)))
    return number


def _show(value: object) -> str:
    """A value for a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."

"""Argument checks: one set of rules for what tinynet accepts, and one way to say what was wrong.

Every value a user hands to tinynet is checked by a function here before it
is used, so a rule (what counts as a whole number, a size, a rate, a
fraction) is the same in every module, and so is the way a bad value is
shown in the message.

=================================  ==============================================
``describe(value)``                a bad value as messages show it:
                                   ``'abc' (str)``, ``2.5 (float)``
``describe(value, json=True)``     the same in JSON's words, for model files:
                                   ``the string 'abc'``, ``null``
``quote(text)``                    a name or a cell from the user's file:
                                   ``'sepal length'``
``as_float``, ``float_list``       numbers in data, as floats
``is_scalar(value)``               a number arithmetic takes as a scalar
``scalar_float(value, doing)``     such a scalar as a float
``whole_number(value)``            an int (NumPy's ``int64`` too), never a bool
``check_int``, ``check_size``      whole numbers with a minimum; sizes >= 1
``check_positive``,                finite numbers > 0 or >= 0; fractions in
``check_non_negative``,            ``(0, 1)`` or ``[0, 1)``
``check_fraction``
``check_bool``, ``check_choice``   exactly True or False; one name of a list
``class_index(label, where)``      a class label as an int >= 0
``iterate``, ``is_sized``          a sequence of numbers (not a string, a set
                                   or a dict)
``first_non_finite(rows)``         where the first NaN or infinity is
``check_count(what, count)``       a number of values to build, within
                                   ``MAX_VALUES`` and the memory there is
=================================  ==============================================

>>> describe("abc"), describe(2.5), describe(None)
("'abc' (str)", '2.5 (float)', 'None (NoneType)')
>>> describe("abc", json=True), describe(None, json=True), describe([1, 2], json=True)
("the string 'abc'", 'null', 'a list of 2 items')
>>> check_int("iterations", 10, 1)
10
>>> check_fraction("momentum", 1.0, allow_zero=True)
Traceback (most recent call last):
...
tinynet.errors.ConfigError: momentum must be a number in [0, 1), got 1.0 (float)

The rules
---------
* **Numbers** in data are ints and floats, and other number types that know
  how to become a float (``fractions.Fraction``, ``decimal.Decimal``, NumPy
  scalars).  Strings, ``None`` and bools are refused: ``True == 1``, but a
  ``True`` inside a data set is almost always a bug (a mask passed in by
  mistake), and MicroPython does not even treat it as an ``int``.  A whole
  number too large for a float (``10**400``) is refused too: CPython raises
  ``OverflowError`` converting it, and MicroPython quietly makes it infinite.
* **Sequences** of numbers or rows are lists, tuples, Vectors, generators...
  but not strings (their characters are not numbers), and not sets or dicts:
  a set has no order to keep (``{30, 1, 2}`` iterates as 1, 2, 30) and a dict
  iterates over its keys.
* **Whole numbers** (sizes, counts, seeds, indices) are ints and integer
  types from other libraries, such as NumPy's ``int64``: they implement
  ``__index__``, the protocol Python itself uses to accept a list index.
  Floats are not, even ``2.0``; bools are not.
* **Settings** that are rates or fractions are numbers as above, and must be
  finite and in range.
"""

import math
import sys

from .errors import ConfigError, DataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Tuple, Type

# A value shown in a message is cut to this many characters, so a huge list
# or string cannot bury the message.
SHOWN_CHARACTERS = 40


def _shorten(text: str) -> str:
    if len(text) > SHOWN_CHARACTERS:
        return text[:SHOWN_CHARACTERS - 3] + "..."
    return text


def fits_a_float(value: object) -> bool:
    """False for an int too large to become a float (``10**400``): float() raises OverflowError."""
    if not isinstance(value, int):
        return True
    try:
        float(value)
    except OverflowError:
        return False
    return True


def describe(value: object, json: bool = False) -> str:
    """A value as an error message shows it: short, safe, and saying what it is.

    In Python's words, its ``repr`` (shortened) and its type: ``'abc' (str)``.
    With ``json=True``, in JSON's words, for a value read from a JSON file,
    whose reader thinks in JSON types: ``null``, ``true``, ``the number 2.5``,
    ``the string 'abc'``, ``a list of 3 items``, ``an object``.
    """
    if json:
        return _json_words(value)
    try:
        text = repr(value)
    except ValueError:  # CPython refuses to print an int of over 4300 digits
        text = "a whole number of thousands of digits"
    except RuntimeError:  # RecursionError: lists in lists thousands deep
        text = "nested too deeply to show"
    return "%s (%s)" % (_shorten(text), type(value).__name__)


def _json_words(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if not fits_a_float(value):
            # Not the digits themselves: hundreds of them, and CPython
            # refuses to print more than 4300.
            return "too large to be a float (a whole number with over 300 digits)"
        return "the number %r" % value
    if isinstance(value, str):
        return "the string %r" % _shorten(value)
    if isinstance(value, list):
        return "a list of %d item%s" % (len(value), "" if len(value) == 1 else "s")
    if isinstance(value, dict):
        return "an object"
    return "a %s" % type(value).__name__


def quote(text: str) -> str:
    """Text from the user (a column name, a CSV cell) in quotes, shortened: ``'sepal length'``."""
    return repr(_shorten(text))


# --- numbers ------------------------------------------------------------------


def as_float(value: object, where: str) -> float:
    """Return ``value`` as a float, or raise DataError naming ``where``."""
    kind = type(value)
    if kind is float:
        return value  # type: ignore[return-value]
    if kind is int:
        return _whole_to_float(value, where)
    if isinstance(value, (bool, str, bytes, bytearray)) or value is None:
        raise DataError("%s holds %s, not a number" % (where, describe(value)))
    if whole_number(value) is not None:  # an int subclass, NumPy's int64
        return _whole_to_float(value, where)
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:  # fractions.Fraction(10**400, 1)
        raise DataError("%s holds %s, too large for a float" % (where, describe(value)))
    except (TypeError, ValueError):
        raise DataError("%s holds %s, not a number" % (where, describe(value)))


def _whole_to_float(value: object, where: str) -> float:
    """A whole number as a float, or DataError when it is beyond the float range.

    CPython raises ``OverflowError`` for ``float(10**400)``; MicroPython
    returns infinity instead (and on a board with single-precision floats
    already for ``10**39``), so both are checked.
    """
    try:
        result = float(value)  # type: ignore[arg-type]
    except OverflowError:
        result = math.inf
    if result - result != 0.0:  # infinite: a whole number never is
        raise DataError("%s holds %s, a whole number too large for a float"
                        % (where, describe(value)))
    return result


def float_list(values: "Iterable[object]", what: str, row: int = -1) -> "List[float]":
    """Convert an iterable of numbers to a list of floats.

    ``what`` names the container in error messages ("Vector", "Matrix row"),
    followed by ``row`` when it is given.  The message is only put together
    when something is wrong, so the common all-float case costs one type
    check per value.
    """
    result = []
    for value in values:
        if type(value) is float:
            result.append(value)
        else:
            name = what if row < 0 else "%s %d" % (what, row)
            result.append(as_float(value, "%s, position %d" % (name, len(result))))
    return result


def whole_number(value: object) -> "Optional[int]":
    """``value`` as an int if it is a whole-number type other than bool, else None.

    Plain ints (and their subclasses) qualify, and so do integer types from
    other libraries, such as NumPy's ``int64``: they implement
    ``__index__``.  Floats do not (``2.0`` is a float that happens to be
    whole; callers that accept it say so).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value)
    index = getattr(value, "__index__", None)
    if index is None:
        return None
    try:
        result = index()
    except (TypeError, ValueError):  # e.g. a NumPy array of several values
        return None
    if isinstance(result, bool) or not isinstance(result, int):
        return None
    return result


def is_scalar(value: object) -> bool:
    """True for a number that arithmetic accepts as a scalar.

    That is an int or a float (subclasses such as NumPy's ``float64``
    included) or another whole-number type (NumPy's ``int64``), but not a
    bool.
    """
    kind = type(value)
    if kind is float or kind is int:  # the common case, checked first
        return True
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float)) or whole_number(value) is not None


def scalar_float(value: object, doing: str) -> float:
    """A scalar operand (``is_scalar(value)`` is true) as a float.

    DataError when it is a whole number too large for a float; ``doing``
    names the operation in the message (``cannot multiply 2x2 by it``).
    A float is taken as it is, infinity and NaN included: they are floats,
    and arithmetic with them follows IEEE 754.
    """
    if isinstance(value, float):
        return float(value)
    try:
        return _whole_to_float(value, "the scalar")
    except DataError:
        raise DataError("%s: the scalar %s is too large for a float" % (doing, describe(value)))


def _number(value: object) -> "Optional[float]":
    """A setting's value as a float, or None when it is not a number.

    An int too large for a float counts as infinite: no setting may be that.
    """
    if isinstance(value, (bool, str, bytes, bytearray)) or value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        return math.inf
    except (TypeError, ValueError):
        return None


# --- settings ---------------------------------------------------------------------


def check_int(name: str, value: object, minimum: int, error: "Type[Exception]" = ConfigError,
              wanted: str = "") -> int:
    """``value`` as an int >= ``minimum``, or ``error`` naming ``name`` and the value.

    ``wanted`` words the rule in the message (default ``a whole number >= minimum``).
    """
    whole = whole_number(value)
    if whole is None or whole < minimum:
        raise error("%s must be %s, got %s"
                    % (name, wanted or "a whole number >= %d" % minimum, describe(value)))
    return whole


def check_size(name: str, value: object, error: "Type[Exception]" = ConfigError) -> int:
    """``value`` as a positive int: a number of rows, columns, units or classes."""
    return check_int(name, value, 1, error, "a positive int")


def _check_number(name: str, value: object, in_range: "Callable[[float], bool]",
                  wanted: str) -> float:
    """``value`` as a float for which ``in_range`` is true, or ConfigError saying
    that it must be a number, or that it must be ``wanted``."""
    number = _number(value)
    if number is None:
        raise ConfigError("%s must be a number, got %s" % (name, describe(value)))
    if not in_range(number):
        raise ConfigError("%s must be %s, got %s" % (name, wanted, describe(value)))
    return number


def check_positive(name: str, value: object) -> float:
    """``value`` as a finite float > 0 (a learning rate, an epsilon), or ConfigError."""
    return _check_number(name, value, lambda x: math.isfinite(x) and x > 0.0,
                         "a finite number > 0")


def check_non_negative(name: str, value: object) -> float:
    """``value`` as a finite float >= 0 (a penalty, a tolerance), or ConfigError."""
    return _check_number(name, value, lambda x: math.isfinite(x) and x >= 0.0,
                         "a finite number >= 0")


def check_fraction(name: str, value: object, allow_zero: bool = False, wanted: str = "") -> float:
    """``value`` as a float in ``(0, 1)`` (``[0, 1)`` with ``allow_zero``), or ConfigError."""
    if allow_zero:
        return _check_number(name, value, lambda x: 0.0 <= x < 1.0, wanted or "a number in [0, 1)")
    return _check_number(name, value, lambda x: 0.0 < x < 1.0, wanted or "a number in (0, 1)")


def check_bool(name: str, value: object) -> bool:
    """``value`` if it is True or False, else ConfigError (``"no"`` is not False)."""
    if value is not True and value is not False:
        raise ConfigError("%s must be True or False, got %s" % (name, describe(value)))
    return value


def check_choice(what: str, value: object, choices: "Sequence[str]") -> str:
    """``value`` if it is one of the names ``choices``, else ConfigError listing them."""
    if not isinstance(value, str) or value not in choices:
        raise ConfigError("unknown %s %s: choose one of %s"
                          % (what, describe(value), ", ".join(choices)))
    return value


# --- labels ---------------------------------------------------------------------


def class_index(label: object, where: str) -> int:
    """A class label as an int >= 0, or a DataError naming ``where`` and the value.

    Whole floats (``2.0``) are accepted, since labels read from a file or
    computed as floats often look like that; ``2.5``, NaN, ``True`` and
    strings are refused.
    """
    whole = whole_number(label)
    if whole is not None:
        label = whole
    elif isinstance(label, bool) or not isinstance(label, (int, float)):
        raise DataError("%s is %s: class labels must be whole numbers 0, 1, 2, ..."
                        % (where, describe(label)))
    if isinstance(label, float):
        if not (math.isfinite(label) and label == math.floor(label)):
            raise DataError("%s is %r: class labels must be whole numbers 0, 1, 2, ..."
                            % (where, label))
    if label < 0:
        raise DataError("%s is %r: class labels cannot be negative" % (where, label))
    return int(label)


# --- sequences ------------------------------------------------------------------


# Containers that iterate but are not sequences: a set has no order (and
# MicroPython may lack frozenset), a dict iterates over its keys.
UNORDERED: "Tuple[type, ...]"
try:
    UNORDERED = (set, frozenset, dict)
except NameError:
    UNORDERED = (set, dict)


def iterate(values: object) -> "Optional[Iterator[object]]":
    """``iter(values)``, or None when ``values`` is not a sequence of numbers.

    Strings and bytes do iterate, into characters and byte codes that are
    never meant as numbers, so they are refused too; and so are sets and
    dicts (see ``UNORDERED``).  Callers turn None into a DataError in their
    own words, naming the type, rather than letting Python's "'NoneType'
    object is not iterable" escape as a TypeError.
    """
    if isinstance(values, (str, bytes, bytearray)) or isinstance(values, UNORDERED):
        return None
    try:
        return iter(values)  # type: ignore[call-overload,no-any-return]
    except TypeError:
        return None


def is_sized(value: object) -> bool:
    """True for a list-like value with a length; strings, bytes, sets and dicts do not count.

    (``hasattr(value, "__len__")`` would be shorter, but MicroPython's
    built-in types do not show their special methods as attributes.)
    """
    if isinstance(value, (str, bytes, bytearray)) or isinstance(value, UNORDERED):
        return False
    try:
        len(value)  # type: ignore[arg-type]
    except TypeError:
        return False
    return True


def first_non_finite(rows: "Iterable[Iterable[float]]") -> "Optional[Tuple[int, int, float]]":
    """Position and value of the first NaN or infinity in ``rows``, if any."""
    isfinite = math.isfinite
    for i, row in enumerate(rows):
        if all(map(isfinite, row)):  # the usual case, checked in one pass
            continue
        for j, value in enumerate(row):
            if not isfinite(value):
                return i, j, value
    return None


# --- sizes ---------------------------------------------------------------------------

# The most numbers tinynet builds in one Matrix or one network's weights and
# biases: 2**26, about 67 million.  As Python floats in lists that is about
# 2 GB on a 64-bit CPython (a pointer and a float object, 32 bytes, each), and
# a pure-Python network of that size would take minutes per sample anyway.
MAX_VALUES = 2 ** 26

# Below this many values nothing is checked against the memory there is: a
# few megabytes fit on any computer, and the check reads a file.  (A board's
# heap is smaller still; there a network too large raises MemoryError at once.)
_ALWAYS_FITS = 2 ** 20

# Bytes one value costs in a list: a pointer and a float object.
BYTES_PER_VALUE = 32 if sys.maxsize > 2 ** 32 else 16


def memory_available() -> "Optional[int]":
    """Bytes of memory the system says are free, or None where it does not say.

    Linux says in ``/proc/meminfo`` (``MemAvailable``), MicroPython in
    ``gc.mem_free()``; other systems give no answer here.
    """
    if sys.implementation.name == "micropython":
        import gc

        return int(gc.mem_free())  # type: ignore[attr-defined]
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # given in kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def check_count(what: str, count: int, error: "Type[Exception]" = ConfigError,
                noun: str = "numbers") -> int:
    """``count`` (a number of floats to build) if it is within ``MAX_VALUES``
    and the memory the system says is free; else ``error`` naming it.

    ``what`` says what would hold them: ``Matrix.zeros(100000, 100000)``;
    ``noun`` what they are.
    This runs before anything is allocated, so an impossible size fails at
    once instead of swapping for minutes or ending in a MemoryError.
    """
    if count <= _ALWAYS_FITS:
        return count
    if count > MAX_VALUES:
        raise error("%s would hold %d %s; tinynet builds at most %d numbers at once "
                    "(MAX_VALUES, about %d MB as Python floats)"
                    % (what, count, noun, MAX_VALUES, MAX_VALUES * BYTES_PER_VALUE // 2 ** 20))
    available = memory_available()
    if available is not None and count * BYTES_PER_VALUE > available:
        raise error("%s would hold %d %s, about %d MB as Python floats, but only %d MB "
                    "of memory is free" % (what, count, noun, count * BYTES_PER_VALUE // 2 ** 20,
                                           available // 2 ** 20))
    return count

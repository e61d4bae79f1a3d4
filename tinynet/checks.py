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
``whole_number(value)``            an int (NumPy's ``int64`` too), never a bool
``check_int``, ``check_size``      whole numbers with a minimum; sizes >= 1
``check_positive``,                finite numbers > 0 or >= 0; fractions in
``check_non_negative``,            ``(0, 1)`` or ``[0, 1)``
``check_fraction``
``check_bool``, ``check_choice``   exactly True or False; one name of a list
``class_index(label, where)``      a class label as an int >= 0
``iterate``, ``is_sized``          a sequence of numbers (not a string)
``first_non_finite(rows)``         where the first NaN or infinity is
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
  mistake), and MicroPython does not even treat it as an ``int``.
* **Whole numbers** (sizes, counts, seeds, indices) are ints and integer
  types from other libraries, such as NumPy's ``int64``: they implement
  ``__index__``, the protocol Python itself uses to accept a list index.
  Floats are not, even ``2.0``; bools are not.
* **Settings** that are rates or fractions are numbers as above, and must be
  finite and in range.
"""

import math

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
        return float(value)  # type: ignore[arg-type]
    if isinstance(value, (bool, str, bytes, bytearray)) or value is None:
        raise DataError("%s holds %s, not a number" % (where, describe(value)))
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise DataError("%s holds %s, not a number" % (where, describe(value)))


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


def iterate(values: object) -> "Optional[Iterator[object]]":
    """``iter(values)``, or None when ``values`` is not a sequence of numbers.

    Strings and bytes do iterate, into characters and byte codes that are
    never meant as numbers, so they are refused too.  Callers turn None into
    a DataError in their own words, rather than letting Python's
    "'NoneType' object is not iterable" escape as a TypeError.
    """
    if isinstance(values, (str, bytes, bytearray)):
        return None
    try:
        return iter(values)  # type: ignore[call-overload,no-any-return]
    except TypeError:
        return None


def is_sized(value: object) -> bool:
    """True for a list-like value with a length; strings and bytes do not count.

    (``hasattr(value, "__len__")`` would be shorter, but MicroPython's
    built-in types do not show their special methods as attributes.)
    """
    if isinstance(value, (str, bytes, bytearray)):
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

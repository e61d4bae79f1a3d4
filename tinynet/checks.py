"""Turning user input into floats, with errors that say exactly what is wrong.

Both ``Vector`` and ``Matrix`` store plain Python floats.  Anything else a
user hands in is converted here, once, at the door: ints become floats, other
number types that know how to become a float (``fractions.Fraction``,
``decimal.Decimal``, NumPy scalars) are converted, and everything else is
refused with a ``DataError`` that names the position and the value.

``bool`` is refused on purpose even though ``True == 1``: a ``True`` inside a
data set is almost always a bug (a mask passed in by mistake), and MicroPython
does not even treat it as an ``int``.
"""

import math

from .errors import DataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Iterator, List, Optional


def describe(value: object) -> str:
    """A short, safe description of a value for an error message."""
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return "%s (%s)" % (text, type(value).__name__)


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


def whole_number(value: object) -> "Optional[int]":
    """``value`` as an int if it is a whole-number type other than bool, else None.

    Plain ints qualify, and so do integer types from other libraries, such as
    NumPy's ``int64``: they implement ``__index__``, the protocol Python
    itself uses to accept something as a list index.  Floats do not (``2.0``
    is a float that happens to be whole; callers that accept it say so).
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


def first_non_finite(rows: "Iterable[Iterable[float]]") -> "tuple[int, int, float] | None":
    """Position and value of the first NaN or infinity in ``rows``, if any."""
    isfinite = math.isfinite
    for i, row in enumerate(rows):
        if all(map(isfinite, row)):  # the usual case, checked in one pass
            continue
        for j, value in enumerate(row):
            if not isfinite(value):
                return i, j, value
    return None

"""How a ``Vector`` and a ``Matrix`` print: ``repr`` and ``str``.

``Vector.__repr__``, ``Matrix.__str__`` and the rest load this module the
first time something is printed.  Training and predicting never print, so
on a microcontroller this code does not take heap while they run.

==============================  ===============================================
``float_repr(x)``               ``repr(x)``, with NaN and the infinities written
                                as ``float('nan')``, ``float('inf')``...
``values_repr(values)``         a list of floats as ``repr`` writes it, each
                                value by ``float_repr``
``format_value(x)``             four significant digits, ``2.0`` not ``2``
``vector_repr``, ``vector_str``  a Vector's data as ``repr`` and ``str`` show it
``matrix_repr``, ``matrix_str``  a Matrix's rows as ``repr`` and ``str`` show them
==============================  ===============================================

>>> float_repr(float("inf")), values_repr([1.0, float("nan")]), format_value(2)
("float('inf')", "[1.0, float('nan')]", '2.0')
"""

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List

# Printing shows at most this many values, rows or columns in full; more are
# shortened to their first and last three with "..." between.
PRINT_LIMIT = 10


def float_repr(value: float) -> str:
    """``repr(value)``, except that NaN and the infinities are written as
    ``float('nan')``, ``float('inf')`` and ``-float('inf')``: Python source
    that evaluates back to them, where ``nan`` and ``inf`` alone would not."""
    if value - value == 0.0:  # finite (NaN and infinities give NaN)
        return repr(value)
    if value != value:
        return "float('nan')"
    return "float('inf')" if value > 0.0 else "-float('inf')"


def values_repr(values: "List[float]") -> str:
    """A list of floats as ``repr`` writes it, with ``float_repr`` for each value."""
    if all(map(math.isfinite, values)):  # the usual case, in one pass
        return repr(values)
    return "[" + ", ".join(float_repr(x) for x in values) + "]"


def format_value(value: float) -> str:
    """Four significant digits for printing; whole numbers keep a ``.0`` so
    they still read as floats (``2.0``, not ``2``)."""
    text = "%.4g" % value
    if text.lstrip("-").isdigit():
        text += ".0"
    return text


def shorten(cells: "List[str]") -> "List[str]":
    """The first and last three cells with "..." between, when there are too many."""
    if len(cells) <= PRINT_LIMIT:
        return cells
    return cells[:3] + ["..."] + cells[-3:]


def vector_repr(values: "List[float]") -> str:
    """``Vector([1.0, 2.0])``, which evaluates back to an equal Vector; past
    ``PRINT_LIMIT`` values ``<Vector of 303: [...]>``, which does not."""
    if len(values) <= PRINT_LIMIT:
        return "Vector(%s)" % values_repr(values)
    head = ", ".join(float_repr(x) for x in values[:3])
    tail = ", ".join(float_repr(x) for x in values[-3:])
    return "<Vector of %d: [%s, ..., %s]>" % (len(values), head, tail)


def vector_str(values: "List[float]") -> str:
    """``[1.0  -2.5  0.25]``: four significant digits, long vectors shortened."""
    if len(values) > PRINT_LIMIT:  # only the values shown are formatted
        cells = [format_value(x) for x in values[:3]] + ["..."]
        cells += [format_value(x) for x in values[-3:]]
    else:
        cells = [format_value(x) for x in values]
    return "[" + "  ".join(cells) + "]"


def matrix_repr(rows: "List[List[float]]", n_cols: int) -> str:
    """``Matrix([[1.0, 2.0], [3.0, 4.0]])``, which evaluates back to an equal
    Matrix; past ``PRINT_LIMIT`` rows or columns ``<Matrix 303x13 [...]>``,
    which does not."""
    if len(rows) <= PRINT_LIMIT and n_cols <= PRINT_LIMIT:
        return "Matrix([%s])" % ", ".join(values_repr(row) for row in rows)
    lines = ["[" + ", ".join(shorten([float_repr(x) for x in row])) + "]" for row in rows]
    return "<Matrix %dx%d [%s]>" % (len(rows), n_cols, ", ".join(shorten(lines)))


def matrix_str(rows: "List[List[float]]") -> str:
    """An aligned grid with four significant digits, long sides shortened."""
    shown = rows[:3] + rows[-3:] if len(rows) > PRINT_LIMIT else rows
    table = [shorten([format_value(x) for x in row]) for row in shown]
    if len(rows) > PRINT_LIMIT:
        table.insert(3, ["..."] * len(table[0]))
    widths = [max(len(row[j]) for row in table) for j in range(len(table[0]))]
    lines = [" [" + "  ".join("%*s" % (width, cell) for cell, width in zip(row, widths)) + "]"
             for row in table]
    return "[" + "\n".join(lines)[1:] + "]"

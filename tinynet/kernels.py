"""The hot loops, and which way of running them is fastest on this interpreter.

A matrix product is ``rows x columns`` dot products, so most of tinynet's
time is spent in the few lines below.  Which way of writing a dot product
is fastest depends on the interpreter, and so does how a network's
one-row prediction and training step are best written out as code
(``tinynet.fastpredict``, ``tinynet.faststep``).  All of it is chosen here,
once, when this module is imported:

================  =====================  ====================  ===================
interpreter       dot product (and       one-row predict:      training step of
                  small products)        layers written as     a small network
================  =====================  ====================  ===================
CPython >= 3.12   ``math.sumprod``:      names; wide:          a loop over the
                  one C call             columns               samples (small
                                                               layers)
CPython < 3.12    ``sum(map(mul, ..))``  names; wide:          a loop over the
                  (small: loops over     columns               samples (up to
                  B's rows)                                    128-unit layers)
PyPy              ``sum(map(mul, ..))``  indexed; wide:        a loop over the
                  (small: loops over     blocks; huge:         samples per unit
                  B's rows)              columns               (small layers)
MicroPython       index loops: no        the Matrix path (no   the textbook step
                  ``operator.mul``       code is compiled on   (no code is
                  there                  a board)              compiled)
================  =====================  ====================  ===================

On PyPy a plain loop over the samples, the rows or the columns can be two to
three times faster than ``map``, but the JIT's code for a loop depends on
where it is entered from and on the shapes it has met: in the benchmark a
loop-based product of 256x128 @ 128x64 ran at 7 to 18 ms, ``map`` at 5 to 8
(and 3.5 ms, the loop, in a script of its own).  So PyPy multiplies
matrices with ``map``, and keeps its loops to code written for one network,
where every loop has one shape.  ``examples/benchmark.py`` times the
choices side by side on the running interpreter, so the table can be checked
rather than believed.

Every dot-product kernel takes the right-hand operand of a matrix product as
its *columns* (the rows of its transpose): the dot product of a row with a
column then walks two plain sequences in step, which is what the fast idioms
need.  A product of at most ``SMALL_PRODUCT`` multiply-adds instead walks the
rows of the right-hand operand (``small_matmul``): for a 1x2 @ 2x5 product,
transposing and calling a function per entry cost more than the arithmetic.

Note on precision: ``math.sumprod`` adds with extra precision (and so does
``sum`` on CPython 3.12+), so there the last bits of a product can differ
from other interpreters.  Results agree to about 1e-15 relative; tests
compare with a tolerance.  Code that adds term by term (the small products
elsewhere, the written-out prediction and training step everywhere) gives
the same bits on every interpreter.
"""

import math
import sys

try:
    import operator
except ImportError:  # stock MicroPython firmware has no operator module
    operator = None  # type: ignore[assignment]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, Iterable, List, Optional, Sequence

    Row = Sequence[float]
    Rows = Sequence[Sequence[float]]
    BinaryOp = Callable[[float, float], float]


def _add(a: float, b: float) -> float:
    return a + b


def _sub(a: float, b: float) -> float:
    return a - b


def _mul(a: float, b: float) -> float:
    return a * b


def _truediv(a: float, b: float) -> float:
    return a / b


# Elementwise operators for ``map``.  ``operator.add`` and friends run in C on
# CPython.  MicroPython's firmware has no ``operator`` module at all, and the
# copy some builds carry lacks most of them, so plain functions stand in there.
add: "BinaryOp" = getattr(operator, "add", _add)
sub: "BinaryOp" = getattr(operator, "sub", _sub)
mul: "BinaryOp" = getattr(operator, "mul", _mul)
truediv: "BinaryOp" = getattr(operator, "truediv", _truediv)


# --- CPython 3.12+: math.sumprod -------------------------------------------

def _matmul_sumprod(rows: "Rows", cols: "Rows") -> "List[List[float]]":
    sumprod = math.sumprod  # type: ignore[attr-defined,unused-ignore]
    return [[sumprod(row, col) for col in cols] for row in rows]


def _matmul_add_sumprod(rows: "Rows", cols: "Iterable[Row]", bias: "Row") -> "List[List[float]]":
    sumprod = math.sumprod  # type: ignore[attr-defined,unused-ignore]
    pairs = list(zip(cols, bias))
    return [[sumprod(row, col) + b for col, b in pairs] for row in rows]


def _dot_sumprod(a: "Row", b: "Row") -> float:
    return float(math.sumprod(a, b))  # type: ignore[attr-defined,unused-ignore]


# --- CPython < 3.12 and PyPy: sum(map(mul, ...)) ----------------------------

def _matmul_map(rows: "Rows", cols: "Rows") -> "List[List[float]]":
    return [[sum(map(mul, row, col)) for col in cols] for row in rows]


def _matmul_add_map(rows: "Rows", cols: "Iterable[Row]", bias: "Row") -> "List[List[float]]":
    pairs = list(zip(cols, bias))
    return [[sum(map(mul, row, col)) + b for col, b in pairs] for row in rows]


def _dot_map(a: "Row", b: "Row") -> float:
    return sum(map(mul, a, b))


# --- MicroPython: index loops -------------------------------------------------

def _matmul_indexed(rows: "Rows", cols: "Rows") -> "List[List[float]]":
    result = []
    for row in rows:
        n = len(row)
        out_row = []
        for col in cols:
            total = 0.0
            for k in range(n):
                total += row[k] * col[k]
            out_row.append(total)
        result.append(out_row)
    return result


def _matmul_add_indexed(rows: "Rows", cols: "Iterable[Row]", bias: "Row") -> "List[List[float]]":
    pairs = list(zip(cols, bias))
    result = []
    for row in rows:
        n = len(row)
        out_row = []
        for col, b in pairs:
            total = 0.0
            for k in range(n):
                total += row[k] * col[k]
            out_row.append(total + b)
        result.append(out_row)
    return result


def _dot_indexed(a: "Row", b: "Row") -> float:
    total = 0.0
    for k in range(len(a)):
        total += a[k] * b[k]
    return total


# --- small products: loops over the rows of B -------------------------------------

def _small_matmul(rows: "Rows", b_rows: "Rows", width: int) -> "List[List[float]]":
    """``rows @ b_rows`` for a product of a few dozen multiply-adds, walking the
    rows of ``b_rows`` ("axpy"): no transposed copy, no call per dot product,
    which for a 1 x 2 @ 2 x 5 product cost more than the arithmetic.

    Entry j of a result row starts at 0.0 and gets ``row[k] * b_rows[k][j]``
    for k = 0, 1, ... in turn: the sum a dot product with column j makes, in
    its order, so the numbers of the ``map`` and ``indexed`` kernels.
    """
    columns = range(width)
    result = []
    for row in rows:
        out = [0.0] * width
        for x, b_row in zip(row, b_rows):
            for j in columns:
                out[j] += x * b_row[j]
        result.append(out)
    return result


KERNELS = {
    "sumprod": (_dot_sumprod, _matmul_sumprod),
    "map": (_dot_map, _matmul_map),
    "indexed": (_dot_indexed, _matmul_indexed),
}


def choose_kernel() -> str:
    """Name the fastest kernel for the running interpreter (see the table)."""
    name = sys.implementation.name
    if name == "micropython":
        return "indexed"
    if name == "pypy":
        return "map"
    if hasattr(math, "sumprod"):
        return "sumprod"
    return "map"


# A layer's Z = A @ W + b in one pass: each dot product gets its bias as it is
# made, so there is no intermediate matrix and no second pass to add b.  The
# sum is the same (the bias is added last), so are the numbers.
MATMUL_ADD = {
    "sumprod": _matmul_add_sumprod,
    "map": _matmul_add_map,
    "indexed": _matmul_add_indexed,
}

KERNEL = choose_kernel()

# The two other columns of the table.  ROW_LAYERS: how each size of layer is
# written in a network's one-row prediction (tinynet.fastpredict);
# STEP_LAYOUT: how a small network's training step is (tinynet.faststep).
# None: no code is written, as on a board, where compiling costs RAM.
# STEP_SIZES: the largest network whose step is written out (inputs and units
# of any one layer, weights in all).  Past it the textbook step runs: on
# CPython 3.12+ sumprod's C loops beat written-out code once layers are wide
# (a digits-sized [64, 32, 10] fit took 2.6-2.9 s against 1.5-2.1 s), and on
# PyPy the units layout's many loops stop paying soon after 16 inputs.
ROW_LAYERS: "Optional[Dict[str, str]]"
STEP_LAYOUT: "Optional[str]"
SMALL_STEP = (16, 64, 1024)
if sys.implementation.name == "micropython":
    ROW_LAYERS, STEP_LAYOUT, STEP_SIZES = None, None, SMALL_STEP
elif sys.implementation.name == "pypy":
    ROW_LAYERS = {"small": "indexed", "wide": "blocks", "huge": "columns"}
    STEP_LAYOUT, STEP_SIZES = "units", SMALL_STEP
else:
    ROW_LAYERS = {"small": "names", "wide": "columns", "huge": "columns"}
    # Below 3.12 the written-out step beats the Matrix operations up to
    # [64, 32, 10] and beyond (digits: 2.2-2.7 s against 3.3-3.8 s).
    STEP_LAYOUT, STEP_SIZES = "samples", SMALL_STEP if KERNEL == "sumprod" else (128, 128, 4096)

# dot(a, b): sum of a[k] * b[k] over two equally long sequences.
# matmul(rows, cols): entry (i, j) is dot(rows[i], cols[j]).
# matmul_add(rows, cols, bias): entry (i, j) is dot(rows[i], cols[j]) + bias[j];
#     here cols may be any iterable, such as zip(*W) (each is paired with its bias once).
dot, matmul = KERNELS[KERNEL]
matmul_add = MATMUL_ADD[KERNEL]

# A @ B with at most this many multiply-adds (rows x inner size x columns) goes
# through _small_matmul, with the map kernel only.  Not with sumprod, which
# rounds each dot product once: loops that round after every term would change
# its numbers.  Not with MicroPython's index loops, which are faster there
# (board-like build: 1x2 @ 2x5 in 9.5 us, against 21.8 us through
# _small_matmul; 8x2 @ 2x8 in 75 us against 87 us).
SMALL_PRODUCT = 64 if KERNEL == "map" else 0
small_matmul = _small_matmul

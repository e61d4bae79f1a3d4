"""``Matrix``: a two-dimensional table of floats, kept as a list of row lists.

>>> X = Matrix([[1, 2], [3, 4], [5, 6]])       # 3 samples, 2 features
>>> W = Matrix([[1, 0, 1], [0, 1, 1]])         # 2 inputs -> 3 units
>>> b = Vector([0.5, 0.5, 0.5])
>>> X @ W + b                                  # the layer's Z = X @ W + b
Matrix([[1.5, 2.5, 3.5], [3.5, 4.5, 7.5], [5.5, 6.5, 11.5]])
>>> (X @ W).shape
(3, 3)
>>> X.T
Matrix([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
>>> X.sum(axis=0)                              # column sums
Vector([9.0, 12.0])

Conventions, all as in NumPy:

* rows are samples, so ``Z = X @ W + b`` has one row per sample;
* ``A @ B`` is the matrix product, ``A * B`` is elementwise;
* a ``Vector`` in ``+ - * /`` is *broadcast*: it is applied to every row, so
  its length must equal the number of columns (that is the bias add);
* ``M @ v`` treats ``v`` as a column and ``v @ M`` as a row;
* ``sum(axis=0)`` adds down the columns, ``sum(axis=1)`` along the rows.

How the operators dispatch: every binary operator first looks at the other
operand.  A plain int or float is a scalar; a Vector is broadcast; a Matrix
must have the same shape.  Anything else returns ``NotImplemented``, Python's
way of saying "not mine", so the other operand's reflected method gets a
turn and, failing that, Python raises ``TypeError``.  A Vector on the *left*
(``b + Z``, ``v @ M``) reaches the reflected methods here.

Shape errors are ``ShapeError`` (a ``ValueError``) naming the operation and
both shapes: ``cannot multiply 3x2 by 3x4``.
"""

import math

from . import kernels
from .checks import (
    as_float,
    check_count,
    check_size,
    describe,
    float_list,
    is_scalar,
    iterate,
    scalar_float,
    whole_number,
)
from .errors import DataError, ShapeError
from .rng import Random
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import (
        Callable, Iterable, Iterator, List, Optional, Sequence, Tuple, Union, overload,
    )

    Number = Union[int, float]
    BinaryOp = Callable[[float, float], float]

def shape_text(operand: object) -> str:
    """How an operand's shape reads in an error message: ``3x2`` or ``vector of length 3``."""
    if isinstance(operand, Matrix):
        return "%dx%d" % operand.shape
    if isinstance(operand, Vector):
        return "a vector of length %d" % len(operand)
    return "a scalar"


class Matrix:
    """A matrix of floats; see the module docstring for a tour."""

    __slots__ = ("rows", "n_cols")
    rows: "List[List[float]]"
    n_cols: int

    def __init__(self, rows: "Iterable[Iterable[Number]]") -> None:
        if isinstance(rows, Matrix):
            rows = rows.rows
        row_items = None if isinstance(rows, Vector) else iterate(rows)
        if row_items is None:
            raise DataError("Matrix needs a sequence of rows, got %s" % describe(rows))
        table: "List[List[float]]" = []
        for i, row in enumerate(row_items):
            # A list or tuple needs no check before its values are converted.
            items = row if isinstance(row, (list, tuple)) else iterate(row)
            if items is None:
                raise DataError("Matrix row %d is %s, not a sequence of numbers" % (i, describe(row)))
            values = float_list(items, "Matrix row", i)
            if table and len(values) != len(table[0]):
                raise ShapeError(
                    "ragged rows: Matrix row %d has %d values but row 0 has %d"
                    % (i, len(values), len(table[0]))
                )
            table.append(values)
        if not table:
            raise ShapeError("Matrix needs at least one row")
        if not table[0]:
            raise ShapeError("Matrix rows need at least one value")
        self.rows = table
        self.n_cols = len(table[0])

    @classmethod
    def wrap(cls, rows: "List[List[float]]", n_cols: "Optional[int]" = None) -> "Matrix":
        """Wrap a list of equally long float lists without copying or checking.

        For tinynet's own hot paths, whose results are rectangular and float
        by construction.  The Matrix takes ownership of ``rows``.
        """
        matrix = object.__new__(cls)
        matrix.rows = rows
        matrix.n_cols = len(rows[0]) if n_cols is None else n_cols
        return matrix

    # --- building -----------------------------------------------------------

    @classmethod
    def full(cls, n_rows: int, n_cols: int, value: float) -> "Matrix":
        """An ``n_rows x n_cols`` Matrix filled with ``value``."""
        return cls._filled(n_rows, n_cols, value, "Matrix.full")

    @classmethod
    def zeros(cls, n_rows: int, n_cols: int) -> "Matrix":
        """An ``n_rows x n_cols`` Matrix of zeros."""
        return cls._filled(n_rows, n_cols, 0.0, "Matrix.zeros")

    @classmethod
    def ones(cls, n_rows: int, n_cols: int) -> "Matrix":
        """An ``n_rows x n_cols`` Matrix of ones."""
        return cls._filled(n_rows, n_cols, 1.0, "Matrix.ones")

    @classmethod
    def _filled(cls, n_rows: object, n_cols: object, value: object, building: str) -> "Matrix":
        n_rows, n_cols = _sizes(n_rows, n_cols, building)
        fill = as_float(value, "%s value" % building)
        return cls.wrap([[fill] * n_cols for _ in range(n_rows)], n_cols)

    @classmethod
    def identity(cls, size: int) -> "Matrix":
        """The ``size x size`` identity: ones on the diagonal, zeros elsewhere."""
        size = check_size("size", size, ShapeError)
        check_count("Matrix.identity(%d)" % size, size * size, ShapeError)
        return cls.wrap(
            [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)], size
        )

    @classmethod
    def random_normal(
        cls,
        n_rows: int,
        n_cols: int,
        mean: float = 0.0,
        std: float = 1.0,
        seed: "Union[int, Random]" = 0,
    ) -> "Matrix":
        """Normally distributed entries, drawn row by row from tinynet's generator.

        ``seed`` is an int (the same int gives the same matrix on every
        interpreter) or a ``Random`` to continue drawing from.
        """
        n_rows, n_cols = _sizes(n_rows, n_cols, "Matrix.random_normal")
        rng = seed if isinstance(seed, Random) else Random(seed)
        normal = rng.normal
        return cls.wrap(
            [[normal(mean, std) for _ in range(n_cols)] for _ in range(n_rows)], n_cols
        )

    @classmethod
    def random_uniform(
        cls,
        n_rows: int,
        n_cols: int,
        low: float = 0.0,
        high: float = 1.0,
        seed: "Union[int, Random]" = 0,
    ) -> "Matrix":
        """Entries uniform in ``[low, high)``, drawn row by row; ``seed`` as in ``random_normal``."""
        n_rows, n_cols = _sizes(n_rows, n_cols, "Matrix.random_uniform")
        rng = seed if isinstance(seed, Random) else Random(seed)
        uniform = rng.uniform
        return cls.wrap(
            [[uniform(low, high) for _ in range(n_cols)] for _ in range(n_rows)], n_cols
        )

    # --- reading --------------------------------------------------------------

    @property
    def shape(self) -> "Tuple[int, int]":
        """``(number of rows, number of columns)``."""
        return (len(self.rows), self.n_cols)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> "Iterator[Vector]":
        """Iterating a Matrix yields its rows, each as a new Vector."""
        for row in self.rows:
            yield Vector.wrap(list(row))

    # The overloads tell a type checker which result goes with which argument
    # (``m[i, j]`` is a float, ``m[i]`` a Vector).  They exist only for the
    # checker: TYPE_CHECKING is False when the code runs.
    if TYPE_CHECKING:
        @overload
        def __getitem__(self, key: int) -> "Vector": ...
        @overload
        def __getitem__(self, key: "Tuple[int, int]") -> float: ...

    def __getitem__(self, key: "Union[int, Tuple[int, int]]") -> "Union[Vector, float]":
        """``m[i]`` is row ``i`` (a copy, as a Vector); ``m[i, j]`` is one entry.

        Only ints are indices.  NumPy's ``m[:, j]`` would otherwise quietly
        give row 0 (``rows[:][j]``), so slices are refused: ``column(j)``
        is the way to a column.
        """
        try:
            if isinstance(key, tuple):
                i, j = _entry_key(key)
                return self.rows[i][j]
            return Vector.wrap(list(self.rows[_row_key(key)]))
        except IndexError:
            raise IndexError("Matrix index %r is out of range for %dx%d" % ((key,) + self.shape))

    def __setitem__(self, key: "Union[int, Tuple[int, int]]", value: object) -> None:
        """``m[i, j] = x`` sets one entry; ``m[i] = values`` replaces a whole row."""
        if isinstance(key, tuple):
            i, j = _entry_key(key)
            self.rows[i][j] = as_float(value, "Matrix entry %r" % (key,))
            return
        i = _row_key(key)
        items = iterate(value)
        if items is None:
            raise DataError("Matrix row %d cannot be set to %s, not a sequence of numbers"
                            % (i, describe(value)))
        values = float_list(items, "Matrix row %d" % i)
        if len(values) != self.n_cols:
            raise ShapeError(
                "cannot set a row of %dx%d to %d values" % (len(self.rows), self.n_cols, len(values))
            )
        self.rows[i] = values

    @property
    def T(self) -> "Matrix":
        """The transpose: row ``i`` of ``M.T`` is column ``i`` of ``M``."""
        return Matrix.wrap([list(col) for col in zip(*self.rows)], len(self.rows))

    def column(self, j: int) -> "Vector":
        """Column ``j`` as a Vector."""
        return Vector.wrap([row[j] for row in self.rows])

    def tolist(self) -> "List[List[float]]":
        """A new plain list of row lists."""
        return [list(row) for row in self.rows]

    def copy(self) -> "Matrix":
        """An independent copy."""
        return Matrix.wrap([list(row) for row in self.rows], self.n_cols)

    def __repr__(self) -> str:
        """``Matrix([[1.0, 2.0], [3.0, 4.0]])``, which evaluates back to an equal Matrix.

        NaN and infinities are written ``float('nan')``, ``float('inf')`` and
        ``-float('inf')`` so that they evaluate back too.  Past
        ``PRINT_LIMIT`` (``tinynet.printing``) rows or columns it is shortened
        to ``<Matrix 303x13 [...]>``, which deliberately does not evaluate.
        """
        from .printing import matrix_repr  # here: training and predicting never print

        return matrix_repr(self.rows, self.n_cols)

    def __str__(self) -> str:
        """An aligned grid with four significant digits, long sides shortened::

            [[ 1.0  -2.5]
             [30.0  0.25]]
        """
        from .printing import matrix_str

        return matrix_str(self.rows)

    # --- comparison ------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        """Exact equality of shape and every entry."""
        if isinstance(other, Matrix):
            return self.rows == other.rows
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, so not hashable

    # Tells NumPy not to handle ``numpy_scalar * matrix`` itself (it would
    # build an array) but to hand it to our reflected methods, as Python does.
    __array_ufunc__ = None

    def allclose(self, other: "Matrix", rel_tol: float = 1e-9, abs_tol: float = 1e-12) -> bool:
        """True when shapes match and every entry agrees within ``math.isclose`` tolerances."""
        if not isinstance(other, Matrix):
            raise TypeError("allclose needs a Matrix, got %s" % describe(other))
        if other.shape != self.shape:
            return False
        isclose = math.isclose
        return all(
            isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
            for row, other_row in zip(self.rows, other.rows)
            for a, b in zip(row, other_row)
        )

    # --- products ------------------------------------------------------------------

    if TYPE_CHECKING:
        @overload
        def __matmul__(self, other: "Matrix") -> "Matrix": ...
        @overload
        def __matmul__(self, other: "Vector") -> "Vector": ...

    def __matmul__(self, other: object) -> "Union[Matrix, Vector]":
        """``A @ B``: entry (i, j) is the dot product of row i of A and column j of B."""
        if isinstance(other, Matrix):
            rows, b_rows, width = self.rows, other.rows, other.n_cols
            if self.n_cols != len(b_rows):
                raise ShapeError(
                    "cannot multiply %dx%d by %dx%d: inner sizes %d and %d differ"
                    % (len(rows), self.n_cols, len(b_rows), width, self.n_cols, len(b_rows))
                )
            if len(rows) * len(b_rows) * width <= kernels.SMALL_PRODUCT:
                return Matrix.wrap(kernels.small_matmul(rows, b_rows, width), width)
            return Matrix.wrap(kernels.matmul(rows, list(zip(*b_rows))), width)
        if isinstance(other, Vector):
            if self.n_cols != len(other.data):
                raise ShapeError(
                    "cannot multiply %dx%d by a vector of length %d"
                    % (len(self.rows), self.n_cols, len(other.data))
                )
            dot, data = kernels.dot, other.data
            return Vector.wrap([dot(row, data) for row in self.rows])
        return NotImplemented

    def __rmatmul__(self, other: object) -> "Vector":
        """``v @ M``: the row vector v times M, entry j is v . (column j of M)."""
        if isinstance(other, Vector):
            if len(other.data) != len(self.rows):
                raise ShapeError(
                    "cannot multiply a vector of length %d by %dx%d"
                    % (len(other.data), len(self.rows), self.n_cols)
                )
            dot, data = kernels.dot, other.data
            return Vector.wrap([dot(data, col) for col in zip(*self.rows)])
        return NotImplemented

    # --- elementwise arithmetic ----------------------------------------------------

    def _elementwise(self, other: object, op: "BinaryOp", verb: str, reflected: bool) -> "Matrix":
        """Apply ``op`` entry by entry: with a scalar, a broadcast Vector or a same-shape Matrix.

        ``reflected`` means this Matrix was the right-hand operand
        (``1 - M``, ``b + Z``), so the arguments of ``op`` are swapped.
        """
        rows = self.rows
        if is_scalar(other):
            scalar = other if type(other) is float else scalar_float(
                other, "cannot %s %s and a scalar" % (verb, shape_text(self)))
            if reflected:
                result = [[op(scalar, x) for x in row] for row in rows]
            else:
                result = [[op(x, scalar) for x in row] for row in rows]
        elif isinstance(other, Vector):
            vector = other.data
            if len(vector) != self.n_cols:
                raise ShapeError(
                    "cannot %s %s and %s: a vector is applied to every row, "
                    "so it needs %d values"
                    % (verb, shape_text(other if reflected else self),
                       shape_text(self if reflected else other), self.n_cols)
                )
            if reflected:
                result = [list(map(op, vector, row)) for row in rows]
            else:
                result = [list(map(op, row, vector)) for row in rows]
        elif isinstance(other, Matrix):
            if other.shape != self.shape:
                raise ShapeError(
                    "cannot %s %s and %s elementwise" % (verb, shape_text(self), shape_text(other))
                )
            # A Matrix on the right is never reflected: Matrix.__op__ handled it.
            result = [list(map(op, row, other_row)) for row, other_row in zip(rows, other.rows)]
        else:
            # Not ours: the other operand's reflected method gets a turn.
            # (mypy types NotImplemented as Any, hence the ignore.)
            return NotImplemented  # type: ignore[no-any-return]
        return Matrix.wrap(result, self.n_cols)

    def __add__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.add, "add", False)

    def __radd__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.add, "add", True)

    def __sub__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.sub, "subtract", False)

    def __rsub__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.sub, "subtract", True)

    def __mul__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.mul, "multiply", False)

    def __rmul__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.mul, "multiply", True)

    def __truediv__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.truediv, "divide", False)

    def __rtruediv__(self, other: object) -> "Matrix":
        return self._elementwise(other, kernels.truediv, "divide", True)

    def __neg__(self) -> "Matrix":
        return Matrix.wrap([[-x for x in row] for row in self.rows], self.n_cols)

    def _update(self, other: object, op: "BinaryOp", verb: str) -> "Matrix":
        """In-place ``op``: each row list is rewritten where it stands.

        Training uses this (``W -= learning_rate * dW``) so that the weight
        matrix keeps its identity and no new row lists pile up.
        """
        result = self._elementwise(other, op, verb, False)
        if result is NotImplemented:
            return result  # type: ignore[no-any-return]
        for row, new_row in zip(self.rows, result.rows):
            row[:] = new_row
        return self

    def __iadd__(self, other: object) -> "Matrix":
        return self._update(other, kernels.add, "add")

    def __isub__(self, other: object) -> "Matrix":
        return self._update(other, kernels.sub, "subtract")

    # --- reductions and maps ------------------------------------------------------

    if TYPE_CHECKING:
        @overload
        def sum(self, axis: None = None) -> float: ...
        @overload
        def sum(self, axis: int) -> "Vector": ...

    def sum(self, axis: "Optional[int]" = None) -> "Union[float, Vector]":
        """Sum of all entries (``axis=None``), of each column (``axis=0``) or each row (``axis=1``).

        ``axis=0`` collapses the rows, so the result has one value per column:
        that is how a bias gradient ``db = dZ.sum(axis=0)`` adds up the samples.
        """
        if axis is None:
            return sum([sum(row, 0.0) for row in self.rows], 0.0)
        if axis == 0:
            return Vector.wrap([sum(col, 0.0) for col in zip(*self.rows)])
        if axis == 1:
            return Vector.wrap([sum(row, 0.0) for row in self.rows])
        raise ShapeError("axis must be None, 0 or 1, got %s" % describe(axis))

    if TYPE_CHECKING:
        @overload
        def mean(self, axis: None = None) -> float: ...
        @overload
        def mean(self, axis: int) -> "Vector": ...

    def mean(self, axis: "Optional[int]" = None) -> "Union[float, Vector]":
        """Mean of all entries, of each column (``axis=0``) or of each row (``axis=1``)."""
        if axis is None:
            return self.sum() / (len(self.rows) * self.n_cols)
        count = len(self.rows) if axis == 0 else self.n_cols
        return self.sum(axis) / count

    def map(self, function: "Callable[[float], float]") -> "Matrix":
        """A new Matrix of ``function(x)`` for every entry ``x`` (results are checked)."""
        return Matrix([[function(x) for x in row] for row in self.rows])

    def argmax(self, axis: int = 1) -> "List[int]":
        """Index of the largest entry of each row (``axis=1``) or column (``axis=0``); first on ties."""
        if axis == 1:
            lines: "Sequence[Sequence[float]]" = self.rows
        elif axis == 0:
            lines = list(zip(*self.rows))
        else:
            raise ShapeError("argmax axis must be 0 or 1, got %s" % describe(axis))
        result = []
        for line in lines:
            best = 0
            for k in range(1, len(line)):
                if line[k] > line[best]:
                    best = k
            result.append(best)
        return result


def _sizes(n_rows: object, n_cols: object, building: str) -> "Tuple[int, int]":
    """Both sizes as positive ints, or ShapeError naming the one that is not, or
    saying that a Matrix that large cannot be built (``checks.check_count``)."""
    rows = check_size("number of rows", n_rows, ShapeError)
    cols = check_size("number of columns", n_cols, ShapeError)
    check_count("%s(%d, %d)" % (building, rows, cols), rows * cols, ShapeError)
    return rows, cols


def _index_error(key: object) -> TypeError:
    return TypeError(
        "Matrix index must be an int i or a pair i, j of ints, got %s "
        "(column(j) gives a column)" % describe(key)
    )


def _row_key(key: object) -> int:
    """``key`` as a row index, or TypeError: a slice would hand out raw row lists."""
    index = whole_number(key)
    if index is None:
        raise _index_error(key)
    return index


def _entry_key(key: "Tuple[object, ...]") -> "Tuple[int, int]":
    """``key`` as a (row, column) pair of ints, or TypeError."""
    if len(key) != 2:
        raise _index_error(key)
    i, j = whole_number(key[0]), whole_number(key[1])
    if i is None or j is None:
        raise _index_error(key)
    return i, j



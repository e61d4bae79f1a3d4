"""``Vector``: a one-dimensional run of floats, kept in a plain list.

>>> v = Vector([1, 2, 3])
>>> v
Vector([1.0, 2.0, 3.0])
>>> v @ Vector([4, 5, 6])      # dot product: 1*4 + 2*5 + 3*6
32.0
>>> 2 * v - 1
Vector([1.0, 3.0, 5.0])
>>> v.sum(), v.mean(), v.argmax()
(6.0, 2.0, 2)

In a network a Vector is a bias (``b1``) or one sample.  Operations that mix
a Vector with a ``Matrix`` (``X @ W + b``, ``v @ M``) are defined on
``Matrix``: here the Vector methods return ``NotImplemented`` for a Matrix,
which is Python's signal to try the Matrix's reflected method
(``Matrix.__radd__``, ``Matrix.__rmatmul__``) instead.
"""

import math

from . import kernels
from .checks import (
    as_float, check_count, check_size, describe, float_list, is_scalar, iterate, scalar_float,
)
from .errors import DataError, ShapeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable, Iterator, List, Tuple, Union

    Number = Union[int, float]


class Vector:
    """A vector of floats; see the module docstring for a tour."""

    __slots__ = ("data",)
    data: "List[float]"

    def __init__(self, values: "Iterable[Number]") -> None:
        items = iterate(values)
        if items is None:
            raise DataError("Vector needs a sequence of numbers, got %s" % describe(values))
        data = float_list(items, "Vector")
        if not data:
            raise ShapeError("Vector needs at least one value")
        self.data = data

    @classmethod
    def wrap(cls, data: "List[float]") -> "Vector":
        """Wrap a list of floats without copying or checking it.

        For tinynet's own hot paths, whose results are floats by construction.
        The Vector takes ownership of ``data``.
        """
        vector = object.__new__(cls)
        vector.data = data
        return vector

    @classmethod
    def full(cls, size: int, value: float) -> "Vector":
        """A Vector of ``size`` copies of ``value``."""
        return cls._filled(size, value, "Vector.full")

    @classmethod
    def zeros(cls, size: int) -> "Vector":
        """A Vector of ``size`` zeros."""
        return cls._filled(size, 0.0, "Vector.zeros")

    @classmethod
    def ones(cls, size: int) -> "Vector":
        """A Vector of ``size`` ones."""
        return cls._filled(size, 1.0, "Vector.ones")

    @classmethod
    def _filled(cls, size: object, value: object, building: str) -> "Vector":
        length = check_size("Vector size", size, ShapeError)
        check_count("%s(%d)" % (building, length), length, ShapeError)
        return cls.wrap([as_float(value, "%s value" % building)] * length)

    # --- reading ---------------------------------------------------------

    @property
    def shape(self) -> "Tuple[int]":
        """``(length,)``, as NumPy writes the shape of a 1-D array."""
        return (len(self.data),)

    def __len__(self) -> int:
        return len(self.data)

    def __iter__(self) -> "Iterator[float]":
        return iter(self.data)

    def __getitem__(self, index: int) -> float:
        return self.data[index]

    def __setitem__(self, index: int, value: float) -> None:
        self.data[index] = as_float(value, "Vector item %r" % (index,))

    def tolist(self) -> "List[float]":
        """A new plain list of the values."""
        return list(self.data)

    def copy(self) -> "Vector":
        """An independent copy."""
        return Vector.wrap(list(self.data))

    def __repr__(self) -> str:
        """``Vector([1.0, 2.0])``, which evaluates back to an equal Vector (NaN
        and infinities included, written as ``float('nan')``...).  Past 10
        values it is shortened to ``<Vector of 303: [...]>``, which does not."""
        from .printing import vector_repr  # here: training and predicting never print

        return vector_repr(self.data)

    def __str__(self) -> str:
        from .printing import vector_str

        return vector_str(self.data)

    # --- comparison --------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Vector):
            return self.data == other.data
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, so not hashable

    # Tells NumPy not to handle ``numpy_scalar * vector`` itself (it would
    # build an array) but to hand it to our reflected methods, as Python does.
    __array_ufunc__ = None

    def allclose(self, other: "Vector", rel_tol: float = 1e-9, abs_tol: float = 1e-12) -> bool:
        """True when every pair of values agrees within ``math.isclose`` tolerances."""
        if not isinstance(other, Vector):
            raise TypeError("allclose needs a Vector, got %s" % describe(other))
        if len(other.data) != len(self.data):
            return False
        isclose = math.isclose
        return all(
            isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)
            for a, b in zip(self.data, other.data)
        )

    # --- products ----------------------------------------------------------

    def __matmul__(self, other: object) -> "float":
        """``u @ v`` is the dot product: the sum of ``u[k] * v[k]``."""
        if isinstance(other, Vector):
            if len(other.data) != len(self.data):
                raise ShapeError(
                    "cannot take the dot product of vectors of length %d and %d"
                    % (len(self.data), len(other.data))
                )
            return kernels.dot(self.data, other.data)
        return NotImplemented  # a Matrix answers through __rmatmul__

    # --- elementwise arithmetic --------------------------------------------

    def _elementwise(
        self, other: object, op: "Callable[[float, float], float]", verb: str, reflected: bool
    ) -> "Vector":
        """Apply ``op`` value by value with a scalar or an equally long Vector.

        ``reflected`` means the Vector was the right-hand operand
        (``2 - v``), so the arguments of ``op`` are swapped.
        """
        data = self.data
        if is_scalar(other):
            scalar = other if type(other) is float else scalar_float(
                other, "cannot %s a vector of length %d and a scalar" % (verb, len(data)))
            if reflected:
                return Vector.wrap([op(scalar, x) for x in data])
            return Vector.wrap([op(x, scalar) for x in data])
        if isinstance(other, Vector):
            if len(other.data) != len(data):
                raise ShapeError(
                    "cannot %s vectors of length %d and %d" % (verb, len(data), len(other.data))
                )
            # Never reflected: with a Vector on both sides, the left one's
            # forward method answers.
            return Vector.wrap(list(map(op, data, other.data)))
        # Not ours (a Matrix, say): its reflected method gets a turn.
        # (mypy types NotImplemented as Any, hence the ignore.)
        return NotImplemented  # type: ignore[no-any-return]

    def __add__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.add, "add", False)

    def __radd__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.add, "add", True)

    def __sub__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.sub, "subtract", False)

    def __rsub__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.sub, "subtract", True)

    def __mul__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.mul, "multiply", False)

    def __rmul__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.mul, "multiply", True)

    def __truediv__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.truediv, "divide", False)

    def __rtruediv__(self, other: object) -> "Vector":
        return self._elementwise(other, kernels.truediv, "divide", True)

    def __neg__(self) -> "Vector":
        return Vector.wrap([-x for x in self.data])

    def _update(self, other: object, op: "Callable[[float, float], float]", verb: str) -> "Vector":
        """In-place version of ``_elementwise``: the list is rewritten in place."""
        result = self._elementwise(other, op, verb, False)
        if result is NotImplemented:
            # With a table (a Matrix) Python would fall back to ``v = v + M``,
            # quietly turning this Vector into a new Matrix (and a bias into a
            # weight table).  A table is known by its two-number shape, so
            # this module need not import matrix.py, which imports it.
            shape = getattr(other, "shape", None)
            if isinstance(shape, tuple) and len(shape) == 2:
                raise ShapeError(
                    "cannot %s a vector of length %d and a %sx%s table in place: "
                    "the result would be a table, not a vector" % ((verb, len(self.data)) + shape)
                )
            return result  # type: ignore[no-any-return]
        self.data[:] = result.data
        return self

    def __iadd__(self, other: object) -> "Vector":
        return self._update(other, kernels.add, "add")

    def __isub__(self, other: object) -> "Vector":
        return self._update(other, kernels.sub, "subtract")

    # --- reductions and maps ------------------------------------------------

    def sum(self) -> float:
        """The sum of the values."""
        return sum(self.data, 0.0)

    def mean(self) -> float:
        """The arithmetic mean of the values."""
        return sum(self.data, 0.0) / len(self.data)

    def map(self, function: "Callable[[float], float]") -> "Vector":
        """A new Vector of ``function(x)`` for every value ``x``."""
        return Vector(function(x) for x in self.data)

    def argmax(self) -> int:
        """Index of the largest value (the first one on ties)."""
        data = self.data
        best = 0
        for i in range(1, len(data)):
            if data[i] > data[best]:
                best = i
        return best

"""``StandardScaler``: rescale each column to mean 0 and standard deviation 1, and back.

Gradient descent takes one step size for every weight.  A feature measured in
thousands gets gradients thousands of times larger than one measured in
fractions, so one learning rate is too large for the first and too small for
the second.  Standardising every column, ``(x - mean) / scale``, fixes that.

The scaler is fitted on the training part only and then applied, unchanged,
to the test part and to new data.  A network keeps its scaler (``net.scaler``)
and saves it with its weights, so a loaded model takes raw features.  A
regression network can rescale its targets the same way (``net.target_scaler``).

``tinynet.StandardScaler`` and ``tinynet.data.StandardScaler`` are this class.
"""

import math

from .checks import describe, first_non_finite, float_list
from .errors import DataError, NotFittedError, ShapeError
from .matrix import Matrix
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple, Union

    Rows = Union[Matrix, Sequence[Sequence[float]]]


def _as_matrix(X: "Rows", what: str) -> Matrix:
    """``X`` as a Matrix of finite values, or an error naming the bad entry."""
    matrix = X if isinstance(X, Matrix) else Matrix(X)
    bad = first_non_finite(matrix.rows)
    if bad is not None:
        raise DataError("%s: row %d, column %d is %r; values must be finite numbers"
                        % ((what,) + bad))
    return matrix


def _finite_result(result: Matrix, X: Matrix, mean: Vector, scale: Vector, inverse: bool
                   ) -> Matrix:
    """``result`` (``X`` scaled, or scaled back when ``inverse``) once every entry is finite.

    ``x - mean`` can overflow where the scaled value itself is an ordinary
    number (``x = -1.7e308`` and a mean of ``5e307``): such entries are worked
    out again as ``x / scale - mean / scale`` (or ``(x + mean / scale) *
    scale`` going back), which overflows only when the result itself would.  An entry that is
    still infinite is beyond the range of floats: a DataError names it.
    """
    # The usual case in one cheap test: a sum is finite only when every entry is
    # (one that overflows merely sends the check entry by entry below).
    if math.isfinite(sum(map(sum, result.rows))):
        return result
    for i, (row, x_row) in enumerate(zip(result.rows, X.rows)):
        for j, value in enumerate(row):
            if math.isfinite(value):
                continue
            x, m, s = x_row[j], mean.data[j], scale.data[j]
            value = (x + m / s) * s if inverse else x / s - m / s
            if not math.isfinite(value):
                raise DataError(
                    "StandardScaler.%s: X row %d, column %d is %r, which %s (mean %r, scale %r) "
                    "is beyond the range of floats"
                    % ("inverse_transform" if inverse else "transform", i, j, x,
                       "scaled back" if inverse else "scaled", m, s))
            row[j] = value
    return result


class StandardScaler:
    """Rescale each column to mean 0 and standard deviation 1: ``(x - mean) / scale``.

    ``fit(X)`` learns, per column, the ``mean`` and the population standard
    deviation (dividing by n, not n - 1: the scaler describes these samples,
    it does not estimate anything), kept in ``scale``.  A column whose values
    are all equal has no spread to divide by; its ``scale`` is 1.0 so that it
    maps to 0 everywhere, rather than to a division by zero.

    >>> scaler = StandardScaler().fit([[1, 10], [3, 10]])
    >>> scaler.mean, scaler.scale
    (Vector([2.0, 10.0]), Vector([1.0, 1.0]))
    >>> scaler.transform([[1, 10], [5, 12]])
    Matrix([[-1.0, 0.0], [3.0, 2.0]])
    >>> scaler.inverse_transform([[-1, 0]])
    Matrix([[1.0, 10.0]])
    >>> StandardScaler.from_dict(scaler.to_dict()).mean
    Vector([2.0, 10.0])
    """

    __slots__ = ("mean", "scale")

    def __init__(self) -> None:
        self.mean: "Optional[Vector]" = None
        self.scale: "Optional[Vector]" = None

    def __repr__(self) -> str:
        if self.mean is None:
            return "<StandardScaler, not fitted>"
        return "<StandardScaler fitted on %d columns>" % len(self.mean)

    def fit(self, X: "Rows") -> "StandardScaler":
        """Learn each column's mean and standard deviation from ``X``; return self.

        Any finite data works, up to the largest floats: each column is
        first divided by a power of two near its largest magnitude, so no sum
        or square can overflow (or underflow, for values near 1e-300), and
        the mean and spread are multiplied back afterwards.  A power of two
        changes only a float's exponent, so for everyday values the results
        are exactly those of the plain formulas.
        """
        matrix = _as_matrix(X, "StandardScaler.fit")
        n = len(matrix.rows)
        means, scales = [], []
        for column in zip(*matrix.rows):
            low, high = min(column), max(column)
            if low == high:
                # Exactly constant.  Summing and dividing could land a hair
                # away from the value, and a tiny nonzero deviation would then
                # blow the column up, so take the value itself.
                means.append(column[0])
                scales.append(1.0)
                continue
            # |x| / 2**exponent < 1 for every x in the column.  (ldexp
            # rather than a multiplication: 2**-exponent itself can be out
            # of range when the values are tiny.)
            exponent = math.frexp(max(-low, high))[1]
            ldexp = math.ldexp
            shrunk = [ldexp(x, -exponent) for x in column]
            mean = sum(shrunk, 0.0) / n
            # Two passes (mean first, then squared deviations from it) avoid
            # the cancellation of the one-pass E[x^2] - E[x]^2 formula.
            variance = sum([(x - mean) * (x - mean) for x in shrunk], 0.0) / n
            # A mean lies between the smallest and largest value; rounding
            # must not push it past them (or past the largest float).
            means.append(min(max(ldexp(mean, exponent), low), high))
            scale = ldexp(math.sqrt(variance), exponent)
            scales.append(scale if scale > 0.0 else 1.0)
        self.mean = Vector.wrap(means)
        self.scale = Vector.wrap(scales)
        return self

    def _fitted(self, X: "Rows", what: str, checked: bool = False
                ) -> "Tuple[Matrix, Vector, Vector]":
        """``X`` as a Matrix with the fitted column count (and finite, unless the
        caller has ``checked`` that already), with the mean and scale."""
        if self.mean is None or self.scale is None:
            raise NotFittedError("StandardScaler is not fitted yet: call fit(X) first")
        matrix = X if checked and isinstance(X, Matrix) else _as_matrix(X, what)
        if matrix.n_cols != len(self.mean):
            raise ShapeError(
                "%s: X has %d columns but the scaler was fitted on %d"
                % (what, matrix.n_cols, len(self.mean))
            )
        return matrix, self.mean, self.scale

    def transform(self, X: "Rows") -> Matrix:
        """``(X - mean) / scale``, column by column, as a new Matrix.

        Raises DataError when a result is beyond the range of floats (a value
        far outside the data the scaler was fitted on).
        """
        matrix, mean, scale = self._fitted(X, "StandardScaler.transform")
        return _finite_result((matrix - mean) / scale, matrix, mean, scale, False)

    def transform_finite(self, X: Matrix) -> Matrix:
        """``transform`` for a Matrix already known to hold only finite numbers.

        A network checks every ``X`` before it scales it (``tinynet.inputs``),
        so this skips the scan for NaN and infinity that ``transform`` makes
        (the result is still checked).
        """
        matrix, mean, scale = self._fitted(X, "StandardScaler.transform", checked=True)
        return _finite_result((matrix - mean) / scale, matrix, mean, scale, False)

    def fit_transform(self, X: "Rows") -> Matrix:
        """``fit(X)`` and then ``transform(X)``."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X: "Rows") -> Matrix:
        """``X * scale + mean``: undo ``transform`` (back to the original units)."""
        matrix, mean, scale = self._fitted(X, "StandardScaler.inverse_transform")
        return _finite_result(matrix * scale + mean, matrix, mean, scale, True)

    def to_dict(self) -> "Dict[str, List[float]]":
        """``{"mean": [...], "scale": [...]}``, plain lists ready for ``json``."""
        if self.mean is None or self.scale is None:
            raise NotFittedError("StandardScaler is not fitted yet: nothing to save")
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist()}

    @classmethod
    def from_dict(cls, d: "Dict[str, object]") -> "StandardScaler":
        """A fitted scaler from ``to_dict``'s output, checked entry by entry.

        Raises ``DataError`` for a missing or unexpected key, a value that is
        not a finite number, or a scale that is not positive, and
        ``ShapeError`` when ``mean`` and ``scale`` differ in length.
        """
        if not isinstance(d, dict):
            raise DataError("a saved StandardScaler must be a dict, got %s" % describe(d))
        unexpected = sorted(repr(key) for key in d if key not in ("mean", "scale"))
        if unexpected:
            raise DataError("a saved StandardScaler has unexpected key(s) %s; "
                            "expected 'mean' and 'scale'" % ", ".join(unexpected))
        values = []
        for key in ("mean", "scale"):
            if key not in d:
                raise DataError("a saved StandardScaler needs the key %r" % key)
            entry = d[key]
            if not isinstance(entry, (list, tuple)) or not entry:
                raise DataError("StandardScaler %r must be a non-empty list of numbers, got %s"
                                % (key, describe(entry)))
            numbers = float_list(entry, "StandardScaler %r" % key)
            kind = "positive finite" if key == "scale" else "finite"
            for j, x in enumerate(numbers):
                if not math.isfinite(x) or (key == "scale" and x <= 0.0):
                    raise DataError("StandardScaler %r, position %d is %r; it must be a %s number"
                                    % (key, j, x, kind))
            values.append(numbers)
        mean, scale = values
        if len(mean) != len(scale):
            raise ShapeError("StandardScaler has %d means but %d scales; they must match"
                             % (len(mean), len(scale)))
        scaler = cls()
        scaler.mean = Vector.wrap(mean)
        scaler.scale = Vector.wrap(scale)
        return scaler

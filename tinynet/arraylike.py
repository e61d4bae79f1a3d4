"""Rows from other libraries: NumPy arrays, pandas DataFrames, anything iterable.

tinynet never imports NumPy or pandas, yet code written for scikit-learn hands
it their arrays and tables.  These functions read such data row by row, and
use the NumPy that the caller has already loaded (``sys.modules``) when the
answer should be an array too:

=========================  ===================================================
``read_table(X)``          ``X`` as a checked Matrix of finite numbers, with a
                           DataFrame's column names and the NumPy module to
                           answer with (a ``Table``)
``read_targets(y, n)``     labels or values as a plain list, one per sample
``as_numpy_array(v, np)``  an object that only offers ``__array__``, made a
                           NumPy array by the loaded NumPy
=========================  ===================================================

>>> table = read_table([(1, 2), (3, 4)])
>>> table.matrix, table.names, table.answer([0, 1])
(Matrix([[1.0, 2.0], [3.0, 4.0]]), None, [0, 1])
>>> read_targets(iter(["a", "b"]), 2)
['a', 'b']

A NumPy array is recognised as an instance of the loaded ``numpy.ndarray``,
and read with ``tolist``, which gives plain Python numbers; a DataFrame by
its ``columns`` and ``to_numpy``.  Without NumPy loaded, nothing can be a
NumPy array, so lists and tuples never pay for the check.
"""

import sys

from .checks import describe, first_non_finite, iterate
from .errors import DataError, ShapeError
from .matrix import Matrix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional


class Table:
    """``X`` as the estimators read it: a checked Matrix, the column names of a
    DataFrame (or None), and the NumPy module to answer with (None: lists)."""

    __slots__ = ("matrix", "names", "numpy")

    def __init__(self, matrix: Matrix, names: "Optional[List[str]]", numpy: "Any") -> None:
        self.matrix = matrix
        self.names = names
        self.numpy = numpy

    def answer(self, values: "Any") -> "Any":
        """``values`` as the caller's kind of data: a NumPy array when ``X`` was
        one (made by the NumPy already loaded), else as they are."""
        return values if self.numpy is None else self.numpy.asarray(values)


def read_table(X: object) -> Table:
    """``X`` read row by row into a Matrix of finite numbers, or an error naming
    what is wrong.  NumPy arrays and DataFrames are recognised without
    importing NumPy or pandas."""
    names = None
    to_numpy, columns = getattr(X, "to_numpy", None), getattr(X, "columns", None)
    if to_numpy is not None and columns is not None:  # a pandas DataFrame
        names = [name for name in columns]
        if not all(isinstance(name, str) for name in names):
            names = None  # scikit-learn keeps names only when they are all strings
        X = to_numpy()
    if getattr(X, "nnz", None) is not None and getattr(X, "toarray", None) is not None:
        raise DataError("X is a sparse matrix, which tinynet does not take: pass X.toarray()")
    numpy = sys.modules.get("numpy")
    X = as_numpy_array(X, numpy)
    if numpy is not None and isinstance(X, numpy.ndarray):
        if X.ndim != 2:
            raise ShapeError("X must be 2-D, one row per sample, got an array of shape %r. "
                             "Reshape your data: X.reshape(-1, 1) if it holds one feature, "
                             "X.reshape(1, -1) if it is one sample" % (X.shape,))
        if X.dtype.kind == "c":
            raise DataError("Complex data not supported: X holds complex numbers (%s)" % X.dtype)
        rows: "Any" = X.tolist()
        if rows and not rows[0]:
            raise ShapeError("X has 0 feature(s) (shape=(%d, 0)) while a minimum of 1 is "
                             "required: each row needs at least one value" % len(rows))
    else:
        numpy = None
        if isinstance(X, Matrix):
            rows = X
        else:
            items = iterate(X)
            if items is None:
                raise DataError("X must be a list of rows (one per sample), got %s" % describe(X))
            rows = list(items)
            if rows and iterate(rows[0]) is None:
                raise ShapeError("X must be 2-D, a list of rows, but X[0] is %s. Reshape your "
                                 "data: [[x] for x in X] if it holds one feature, [X] if it is "
                                 "one sample" % describe(rows[0]))
        if not rows:
            raise DataError("X is empty: need at least one sample")
    try:
        matrix = rows if isinstance(rows, Matrix) else Matrix(rows)
    except (ShapeError, DataError) as error:
        raise type(error)("X: %s" % error)
    bad = first_non_finite(matrix.rows)
    if bad is not None:
        raise DataError("X row %d, column %d is %r: values must be finite numbers, not NaN or inf"
                        % bad)
    return Table(matrix, names, numpy)


def read_targets(y: object, n_rows: "Optional[int]") -> "List[Any]":
    """``y`` (labels or values) as a list with one entry per sample, or an error
    naming the lengths.  A NumPy array or pandas Series gives plain values
    (``tolist``); a one-column 2-D array gives its column."""
    y = as_numpy_array(y, sys.modules.get("numpy"))
    tolist = getattr(y, "tolist", None)
    if tolist is not None and not isinstance(y, Matrix):
        values = tolist()
        if getattr(y, "ndim", 1) == 2 and all(len(row) == 1 for row in values):
            values = [row[0] for row in values]
    else:
        items = iterate(y)
        if items is None:
            raise DataError("y must be a list with one label or value per sample, got %s"
                            % describe(y))
        values = list(items)
    if n_rows is not None and len(values) != n_rows:
        raise ShapeError("X has %d rows but y has %d" % (n_rows, len(values)))
    return values  # type: ignore[no-any-return]


def as_numpy_array(values: object, numpy: "Any") -> "Any":
    """``values`` made a NumPy array by the loaded ``numpy`` when it only offers
    ``__array__`` (an array-like from another library), else as it is."""
    if numpy is None or isinstance(values, numpy.ndarray) or isinstance(values, (list, tuple)):
        return values
    if getattr(values, "__array__", None) is None or getattr(values, "to_numpy", None) is not None:
        return values
    return numpy.asarray(values)

"""Checking what users hand to a network, before anything is changed.

A network must never train on data it misunderstood, and a failed call must
leave the model as it was.  So ``fit``, ``predict`` and friends pass their
arguments through these functions first; each returns clean data or raises
an error naming the problem and where it is:

* ``features(X, n_inputs, scaler)``: a Matrix of finite floats with
  ``n_inputs`` columns, rescaled by the network's scaler when it has one;
* ``label_list(y, n_rows)``: labels or targets as a list, one per sample
  (``tinynet.labels`` checks class labels and turns them into indices);
* ``regression_targets(y, n_outputs, n_rows)``: a Matrix of finite floats.
"""

import math

from .checks import describe, first_non_finite, iterate
from .errors import DataError, ShapeError
from .matrix import Matrix
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Sequence

    from .scaler import StandardScaler


def features(X: object, n_inputs: int, scaler: "Optional[StandardScaler]" = None) -> Matrix:
    """``X`` (a Matrix or a sequence of rows) as a checked Matrix with ``n_inputs`` columns,
    then rescaled by ``scaler`` if one is given.

    ``X`` is scanned for NaN and infinity once, here: the scaler is told so.
    """
    if isinstance(X, Matrix):
        matrix = X
    elif isinstance(X, Vector):
        raise ShapeError(
            "X must be 2-D (one row per sample), got a vector of length %d; "
            "wrap a single sample as [sample]" % len(X)
        )
    else:
        items = iterate(X)
        if items is None:
            raise DataError("X must be a Matrix or a list of rows, got %s" % describe(X))
        rows: "List[Any]" = list(items)
        if not rows:
            raise DataError("X is empty: need at least one sample")
        matrix = Matrix(rows)
    bad = first_non_finite(matrix.rows)
    if bad is not None:
        raise DataError("X row %d, column %d is %r: values must be finite numbers" % bad)
    if matrix.n_cols != n_inputs:
        raise ShapeError(
            "X has %d features per row but the network's input layer has %d"
            % (matrix.n_cols, n_inputs)
        )
    return matrix if scaler is None else scaler.transform_finite(matrix)


def label_list(y: object, n_rows: "Optional[int]", name: str = "y") -> "List[Any]":
    """``y`` as a list with one entry per sample, or an error naming the lengths
    (unless ``n_rows`` is None).  ``name`` is what messages call it.

    A one-column Matrix gives its values, a wider one its rows.
    """
    if isinstance(y, Matrix):
        labels: "List[Any]" = [row[0] if y.n_cols == 1 else list(row) for row in y.rows]
    else:
        items = iterate(y)
        if items is None:
            raise DataError("%s must be a list of labels or targets, got %s" % (name, describe(y)))
        labels = list(items)
    if n_rows is not None and len(labels) != n_rows:
        raise ShapeError("X has %d rows but %s has %d labels" % (n_rows, name, len(labels)))
    return labels


def regression_targets(y: object, n_outputs: int, n_rows: int) -> Matrix:
    """Targets as an ``n_rows x n_outputs`` Matrix of finite floats.

    With one output, ``y`` may be a flat list of numbers; with several, a
    list of rows.
    """
    labels = label_list(y, n_rows)
    if n_outputs == 1:
        rows: "Sequence[Any]" = [
            [value] if not isinstance(value, (list, tuple, Vector)) else value for value in labels
        ]
    else:
        rows = labels
    try:
        targets = Matrix(rows)
    except ShapeError as error:
        raise ShapeError("y: %s" % error)
    except DataError as error:
        raise DataError("y: %s" % error)
    bad = first_non_finite(targets.rows)
    if bad is not None:
        raise DataError("y row %d, column %d is %r: targets must be finite numbers" % bad)
    if targets.n_cols != n_outputs:
        raise ShapeError(
            "y has %d values per sample but the network has %d outputs"
            % (targets.n_cols, n_outputs)
        )
    return targets

"""Data for the tests: the package's toy data sets, plus two small references.

``standardize`` and ``accuracy`` are written out here, independently of
``tinynet.data.StandardScaler`` and ``tinynet.metrics.accuracy``, so tests can
use them as references.
"""

import math

from tinynet.datasets import (  # noqa: F401  (re-exported for the tests)
    HEART_COLUMNS,
    blobs,
    circles,
    half_moons,
    heart_like,
    linear_map,
    sine,
    spiral,
    xor,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Sequence

    Rows = List[List[float]]


def standardize(X: "Rows") -> "Rows":
    """Each column shifted to mean 0 and scaled to std 1 (a constant column becomes 0).

    >>> standardize([[1.0, 5.0], [3.0, 5.0]])
    [[-1.0, 0.0], [1.0, 0.0]]
    """
    n = len(X)
    columns = list(zip(*X))
    means = [sum(col, 0.0) / n for col in columns]
    stds = [math.sqrt(sum([(v - m) ** 2 for v in col], 0.0) / n) for col, m in zip(columns, means)]
    return [[(v - m) / s if s > 0.0 else 0.0 for v, m, s in zip(row, means, stds)] for row in X]


def accuracy(labels: "Sequence[int]", predicted: "Sequence[int]") -> float:
    """The fraction of positions where ``predicted`` equals ``labels``.

    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    return sum(1 for a, b in zip(labels, predicted) if a == b) / len(labels)

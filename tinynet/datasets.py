"""Small seeded toy data sets: pure Python, nothing to download.

The demo, the examples and the tests learn from these.

Every generator takes a ``seed`` and draws from ``tinynet.Random``, so a seed
gives the same points on every interpreter (up to the last bit of ``math.sin``
and ``math.cos``).  Features come back as a list of rows and labels or
targets as a list, ready for ``NeuralNet.fit(X, y)``.

==================================  =====================================================
``xor()``                           the four XOR points and their labels
``half_moons(n, noise, seed)``      two interleaved half circles, labels 0/1
``circles(n, noise, factor, seed)`` a ring around a disc, labels 0/1
``spiral(n, classes, noise, seed)`` ``classes`` arms of a spiral, labels ``0..classes-1``
``blobs(n, centers, std, seed)``    round clusters around given centres
``sine(n, noise, seed)``            ``y = sin(x)`` on ``[-pi, pi]``, for regression
``linear_map(n, weights, bias,      ``y = x @ weights + bias`` (one list per sample),
seed)``                             for regression with several outputs
``heart_like(n, seed)``             13 features, 0/1 label: shaped like the tutorial's
                                    heart-disease table, but synthetic
==================================  =====================================================

>>> X, y = half_moons(6, noise=0.0, seed=1)
>>> len(X), len(X[0]), sorted(set(y))
(6, 2, [0, 1])
>>> X, y = spiral(5, classes=3, seed=2)
>>> len(X), y.count(0), y.count(2)
(15, 5, 5)
>>> X, y = heart_like(4, seed=3)
>>> len(X[0])
13
>>> half_moons(4, seed=7) == half_moons(4, seed=7)
True
"""

import math

from .rng import Random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Sequence, Tuple

    Rows = List[List[float]]
    Labelled = Tuple[Rows, List[int]]


def xor() -> "Labelled":
    """The four corners of the unit square, labelled 1 where exactly one coordinate is 1."""
    return [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0]


def _interleave(classes: "List[Rows]") -> "Labelled":
    """Points of each class taken in turn (class 0, 1, 2, 0, 1, 2, ...), so no class comes first."""
    X: "Rows" = []
    y: "List[int]" = []
    for i in range(max(len(points) for points in classes)):
        for label, points in enumerate(classes):
            if i < len(points):
                X.append(points[i])
                y.append(label)
    return X, y


def half_moons(n: int = 100, noise: float = 0.1, seed: int = 0) -> "Labelled":
    """``n`` points on two interlocking half circles of radius 1.

    Class 0 is the upper arc centred at ``(0, 0)``; class 1 the lower arc
    centred at ``(1, 0.5)``, reaching up into the gap of the first.  No
    straight line separates them.  ``noise`` is the std of Gaussian jitter.
    """
    rng = Random(seed)
    n_upper = (n + 1) // 2
    upper, lower = [], []
    for i in range(n_upper):
        angle = math.pi * i / max(n_upper - 1, 1)
        upper.append([math.cos(angle) + rng.normal(0.0, noise),
                      math.sin(angle) + rng.normal(0.0, noise)])
    n_lower = n - n_upper
    for i in range(n_lower):
        angle = math.pi * i / max(n_lower - 1, 1)
        lower.append([1.0 - math.cos(angle) + rng.normal(0.0, noise),
                      0.5 - math.sin(angle) + rng.normal(0.0, noise)])
    return _interleave([upper, lower])


def circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int = 0) -> "Labelled":
    """``n`` points: class 0 on the unit circle, class 1 on a circle of radius ``factor`` inside it."""
    rng = Random(seed)
    rings: "List[Rows]" = [[], []]
    for label, radius in enumerate((1.0, factor)):
        count = (n + 1 - label) // 2
        for i in range(count):
            angle = 2.0 * math.pi * i / count
            rings[label].append([radius * math.cos(angle) + rng.normal(0.0, noise),
                                 radius * math.sin(angle) + rng.normal(0.0, noise)])
    return _interleave(rings)


def spiral(n: int = 50, classes: int = 3, noise: float = 0.2, seed: int = 0) -> "Labelled":
    """``n`` points per class on ``classes`` arms winding out from the origin.

    Arm ``k`` at radius ``r`` (0 to 1) sits at angle ``4 r + 2 pi k / classes``
    plus Gaussian jitter of std ``noise`` (in radians): a bit over half a turn.
    """
    rng = Random(seed)
    arms: "List[Rows]" = []
    for k in range(classes):
        points = []
        for i in range(n):
            radius = (i + 1) / n
            angle = 4.0 * radius + 2.0 * math.pi * k / classes + rng.normal(0.0, noise)
            points.append([radius * math.cos(angle), radius * math.sin(angle)])
        arms.append(points)
    return _interleave(arms)


def blobs(
    n: int = 30,
    centers: "Sequence[Sequence[float]]" = ((0.0, 2.0), (-2.0, -1.0), (2.0, -1.0)),
    std: float = 0.5,
    seed: int = 0,
) -> "Labelled":
    """``n`` points per centre, each coordinate normal around the centre's with std ``std``."""
    rng = Random(seed)
    groups = [[[c + rng.normal(0.0, std) for c in centre] for _ in range(n)] for centre in centers]
    return _interleave(groups)


def sine(n: int = 40, noise: float = 0.0, seed: int = 0) -> "Tuple[Rows, List[float]]":
    """``n`` values of ``x`` evenly over ``[-pi, pi]`` with targets ``sin(x)`` (plus noise)."""
    rng = Random(seed)
    X = [[-math.pi + 2.0 * math.pi * i / (n - 1)] for i in range(n)]
    y = [math.sin(row[0]) + (rng.normal(0.0, noise) if noise else 0.0) for row in X]
    return X, y


def linear_map(
    n: int = 30,
    weights: "Sequence[Sequence[float]]" = ((1.0, -2.0), (0.5, 1.0), (-1.5, 0.25)),
    bias: "Sequence[float]" = (0.5, -1.0),
    seed: int = 0,
) -> "Tuple[Rows, Rows]":
    """Inputs uniform in ``[-1, 1)`` and targets ``x @ weights + bias``, exactly.

    ``weights`` is ``n_in x n_out``, so a network ``[n_in, n_out]`` with a
    linear output can learn the map exactly.
    """
    rng = Random(seed)
    n_in, n_out = len(weights), len(weights[0])
    X = [[rng.uniform(-1.0, 1.0) for _ in range(n_in)] for _ in range(n)]
    Y = [[bias[j] + sum([x[i] * weights[i][j] for i in range(n_in)], 0.0) for j in range(n_out)]
         for x in X]
    return X, Y


# The 13 columns of heart_like: a typical value and spread of each, in the
# units of the clinical table the tutorial used, and how strongly each
# (standardized) column pushes towards label 1 in the hidden rule below.
HEART_COLUMNS = (
    # name       mean    std   weight
    ("age",      54.0,   9.0,   0.6),
    ("sex",       0.7,   0.5,   0.5),
    ("cp",        1.0,   1.0,   0.9),
    ("trestbps", 131.0, 17.0,   0.3),
    ("chol",     246.0, 51.0,   0.2),
    ("fbs",       0.15,  0.35,  0.0),
    ("restecg",   0.5,   0.5,   0.1),
    ("thalach",  150.0, 23.0,  -0.8),
    ("exang",     0.3,   0.47,  0.7),
    ("oldpeak",   1.0,   1.2,   0.8),
    ("slope",     1.4,   0.6,  -0.4),
    ("ca",        0.7,   1.0,   0.9),
    ("thal",      2.3,   0.6,   0.6),
)


def heart_like(n: int = 120, seed: int = 0) -> "Labelled":
    """``n`` samples with 13 clinical-looking features and a 0/1 label.

    Each feature is normal with its column's mean and spread (unstandardized,
    like the real table, so ``standardize`` it first).  The label is 1 when a
    weighted sum of the standardized features plus a little noise is
    positive: learnable, but not perfectly.
    """
    rng = Random(seed)
    X: "Rows" = []
    y: "List[int]" = []
    for _ in range(n):
        scores = [rng.normal() for _ in HEART_COLUMNS]
        X.append([mean + std * s for (_, mean, std, _), s in zip(HEART_COLUMNS, scores)])
        drive = sum([w * s for (_, _, _, w), s in zip(HEART_COLUMNS, scores)], 0.0)
        y.append(1 if drive + rng.normal(0.0, 0.5) > 0.0 else 0)
    return X, y

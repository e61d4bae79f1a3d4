"""How good are the predictions?  Scores for classifiers and regressors.

A loss is what training minimises; a metric is what a person reads
afterwards.  They differ because the loss must be smooth for gradients to
exist, while a person wants a number with a plain meaning.

========================================  ===================================
``accuracy(y_true, y_pred)``              the fraction of labels predicted
                                          right
``confusion_matrix(y_true, y_pred)``      counts of (true class, predicted
                                          class) pairs: which classes get
                                          confused (labels of any kind)
``format_confusion_matrix(cm, labels)``   that table as aligned text
``mean_squared_error(y_true, y_pred)``    the average squared error
``r2_score(y_true, y_pred)``              the share of the targets' variance
                                          the predictions explain (1 is
                                          perfect)
========================================  ===================================

>>> accuracy([0, 1, 2, 2], [0, 2, 2, 2])
0.75
>>> confusion_matrix([0, 1, 2, 2], [0, 2, 2, 2])
[[1, 0, 0], [0, 0, 1], [0, 0, 2]]
>>> confusion_matrix(["cat", "dog", "dog"], ["cat", "cat", "dog"])   # rows: cat, dog
[[1, 0], [1, 1]]
>>> mean_squared_error([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
1.3333333333333333
>>> r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
1.0

Accuracy alone can flatter a classifier: on data that is 95% class 0, always
answering 0 scores 0.95.  The confusion matrix shows that at once: one column
holds every count.

For regression, the mean squared error is in the targets' units squared, so
whether 4.0 is good depends on the data; R² puts it on a fixed scale by
comparing with the simplest possible model, always predicting the mean::

    R² = 1 - sum((y - prediction)²) / sum((y - mean(y))²)

1 means perfect predictions, 0 means no better than the mean, and a negative
value means worse than the mean.

The regression metrics take a flat list (one target per sample) or rows
(several targets per sample: a list of rows or a ``Matrix``).  A flat list
and a one-column table are the same thing, so a network's ``n x 1``
prediction Matrix can be compared with a list of targets directly.
"""

import math

from .checks import (
    check_count, check_size, class_index, describe, float_list, is_sized, whole_number,
)
from .errors import ConfigError, DataError, ShapeError
from .labels import plain_label, show_labels, sorted_distinct
from .matrix import Matrix
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

    Number = Union[int, float]
    Targets = Union[Sequence[float], Sequence[Sequence[float]], Matrix, Vector]

__all__ = [
    "accuracy",
    "confusion_matrix",
    "format_confusion_matrix",
    "mean_squared_error",
    "r2_score",
]


def _check_lengths(y_true: object, y_pred: object) -> int:
    """The number of samples, after checking both sides are non-empty and agree."""
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if not is_sized(values):
            raise DataError("%s must be a list, got %s" % (name, describe(values)))
    n_true, n_pred = len(y_true), len(y_pred)  # type: ignore[arg-type]
    if n_true != n_pred:
        raise ShapeError("y_true has %d values but y_pred has %d; they must match one to one"
                         % (n_true, n_pred))
    if n_true == 0:
        raise DataError("y_true and y_pred are empty: there is nothing to score")
    return n_true


# --- classification ------------------------------------------------------------


def accuracy(y_true: "Sequence[object]", y_pred: "Sequence[object]") -> float:
    """The fraction of positions where ``y_pred`` equals ``y_true``.

    Labels are compared with ``==``, so ``1`` and ``1.0`` agree.

    >>> accuracy([1, 0, 1], [1, 1, 1])
    0.6666666666666666
    """
    n = _check_lengths(y_true, y_pred)
    correct = 0
    for true, pred in zip(y_true, y_pred):
        if true == pred:
            correct += 1
    return correct / n


def confusion_matrix(
    y_true: "Sequence[Any]", y_pred: "Sequence[Any]", n_classes: "Optional[int]" = None,
    labels: "Optional[Sequence[Any]]" = None,
) -> "List[List[int]]":
    """Count how often each true class was predicted as each class.

    Entry ``[i][j]`` is the number of samples of true class ``i`` predicted
    as class ``j``: rows are true classes, columns predicted ones, and the
    diagonal holds the correct predictions.  The classes, in order, are:

    * ``labels``, when given: any labels (a network's ``classes_``), and
      each label on either side must be one of them;
    * for labels that are all whole numbers >= 0 (class indices; whole
      floats such as ``2.0`` count), ``0..n_classes-1``.  ``n_classes``
      defaults to one more than the largest label on either side; give it to
      get a full table when some class never appears;
    * for any other labels (strings, -1/1, ...), the distinct labels of
      both sides in sorted order, as ``NeuralNet.classes_`` sorts them.

    Inferred, ``n_classes`` may be at most the number of labels on both
    sides together (``2 * n`` for ``n`` samples): a larger label leaves some
    class in neither list for sure, and a label like ``10**6`` (an ID, a
    measurement) would build a table of 10**12 counts.  Pass ``n_classes``
    when the classes really go that far.

    >>> confusion_matrix([0, 0, 1], [0, 1, 1], n_classes=3)
    [[1, 1, 0], [0, 1, 0], [0, 0, 0]]
    >>> confusion_matrix([0], [5])
    Traceback (most recent call last):
    ...
    tinynet.errors.DataError: y_pred[0] is 5, but inferring n_classes from 2 labels (both lists) allows only 0..1 (pass n_classes if there are more classes)
    """
    _check_lengths(y_true, y_pred)
    if labels is not None:
        if n_classes is not None:
            raise ConfigError("give confusion_matrix labels or n_classes, not both")
        return _table_of_labels(y_true, y_pred, _label_list(labels))
    if n_classes is None and not (_all_indices(y_true) and _all_indices(y_pred)):
        both = [plain_label(label, "%s[%d]" % (name, i))
                for name, side in (("y_true", y_true), ("y_pred", y_pred))
                for i, label in enumerate(side)]
        return _table_of_labels(y_true, y_pred, sorted_distinct(both, "y_true/y_pred"))
    true_indices = [class_index(label, "y_true[%d]" % i) for i, label in enumerate(y_true)]
    pred_indices = [class_index(label, "y_pred[%d]" % i) for i, label in enumerate(y_pred)]
    if n_classes is None:
        limit = 2 * len(true_indices)  # one class per label, on both sides together
        for name, labels, indices in (("y_true", y_true, true_indices),
                                      ("y_pred", y_pred, pred_indices)):
            for i, index in enumerate(indices):
                if index >= limit:
                    raise DataError(
                        "%s[%d] is %r, but inferring n_classes from %d labels (both lists) "
                        "allows only 0..%d (pass n_classes if there are more classes)"
                        % (name, i, labels[i], limit, limit - 1))
        n_classes = max(max(true_indices), max(pred_indices)) + 1
    else:
        n_classes = check_size("n_classes", n_classes)
    check_count("a confusion matrix of %d classes" % n_classes, n_classes * n_classes)
    for name, labels, indices in (("y_true", y_true, true_indices),
                                  ("y_pred", y_pred, pred_indices)):
        for i, index in enumerate(indices):
            if index >= n_classes:
                raise DataError("%s[%d] is %r, but n_classes=%d allows only 0..%d"
                                % (name, i, labels[i], n_classes, n_classes - 1))
    table = [[0] * n_classes for _ in range(n_classes)]
    for true, pred in zip(true_indices, pred_indices):
        table[true][pred] += 1
    return table


def _all_indices(labels: "Sequence[Any]") -> bool:
    """Whether every label is a class index: a whole number >= 0 (not a bool)."""
    for label in labels:
        whole = whole_number(label)
        if whole is None:
            if type(label) is not float or not math.isfinite(label) or label != math.floor(label):
                return False
            whole = int(label)
        if whole < 0:
            return False
    return True


def _label_list(labels: object) -> "List[Any]":
    """``labels=`` as a list of distinct plain labels, or an error naming the problem."""
    if not is_sized(labels):
        raise DataError("labels must be a list of class labels, got %s" % describe(labels))
    given: "Sequence[Any]" = labels  # type: ignore[assignment]
    result = [plain_label(label, "labels[%d]" % i) for i, label in enumerate(given)]
    if not result:
        raise DataError("labels is empty: give at least one class label")
    for i, label in enumerate(result):
        if label in result[:i]:
            raise DataError("labels names %r twice (items %d and %d)"
                            % (label, result.index(label), i))
    return result


def _table_of_labels(y_true: "Sequence[Any]", y_pred: "Sequence[Any]", classes: "List[Any]"
                     ) -> "List[List[int]]":
    """The confusion matrix with rows and columns in the order of ``classes``."""
    position: "Dict[Any, int]" = {}
    for index, label in enumerate(classes):
        position[label] = index
    indices = []
    for name, side in (("y_true", y_true), ("y_pred", y_pred)):
        found = []
        for i, label in enumerate(side):
            value = plain_label(label, "%s[%d]" % (name, i))
            place = position.get(value)
            if place is None or (type(value) is bool) != (type(classes[place]) is bool):
                raise DataError("%s[%d] is %s, which is not one of the labels: %s"
                                % (name, i, describe(label), show_labels(classes)))
            found.append(place)
        indices.append(found)
    check_count("a confusion matrix of %d classes" % len(classes), len(classes) * len(classes))
    table = [[0] * len(classes) for _ in classes]
    for true, pred in zip(indices[0], indices[1]):
        table[true][pred] += 1
    return table


def format_confusion_matrix(cm: "Sequence[Sequence[int]]",
                            labels: "Optional[Sequence[Any]]" = None) -> str:
    """A confusion matrix as an aligned text table, true classes down the side:
    named by ``labels`` (``str`` of each) when given, else numbered from 0.

    >>> print(format_confusion_matrix([[5, 0], [2, 13]]))
    true \\ predicted   0   1
                   0   5   0
                   1   2  13
    >>> print(format_confusion_matrix([[5, 0], [2, 13]], labels=["cat", "dog"]))
    true \\ predicted  cat  dog
                 cat    5    0
                 dog    2   13
    """
    if not is_sized(cm) or not cm:
        raise DataError("a confusion matrix must be a non-empty list of rows, got %s"
                        % describe(cm))
    k = len(cm)
    counts: "List[List[int]]" = []
    for i, row in enumerate(cm):
        if not is_sized(row):
            raise DataError("confusion matrix row %d is %s, not a list of counts"
                            % (i, describe(row)))
        if len(row) != k:
            raise ShapeError("a confusion matrix must be square: it has %d rows but row %d has "
                             "%d entries" % (k, i, len(row)))
        counts.append([])
        for j, count in enumerate(row):
            whole = whole_number(count)
            if whole is None or whole < 0:
                raise DataError("confusion matrix entry [%d][%d] is %s, not a count"
                                % (i, j, describe(count)))
            counts[i].append(whole)
    cm = counts
    if labels is None:
        names = [str(j) for j in range(k)]
    else:
        if not is_sized(labels) or len(labels) != k:
            raise ShapeError("labels must name the %d classes of the confusion matrix, got %s"
                             % (k, describe(labels)))
        names = [str(label) for label in labels]
    corner = "true \\ predicted"
    # Each column is as wide as its widest count or class name, plus two
    # spaces of gap; the name column is as wide as the corner text, or the
    # longest name.
    width = 2 + max(max(len(name) for name in names),
                    max(len(str(count)) for row in cm for count in row))
    side = max(len(corner), max(len(name) for name in names))
    lines = ["%-*s" % (side, corner) + "".join("%*s" % (width, name) for name in names)]
    for name, row in zip(names, cm):
        lines.append("%*s" % (side, name) + "".join("%*d" % (width, c) for c in row))
    return "\n".join(lines)


# --- regression --------------------------------------------------------------


def _as_table(values: object, name: str) -> "List[List[float]]":
    """Targets as rows of floats: a flat list becomes one value per row."""
    if isinstance(values, Matrix):
        return values.tolist()
    if isinstance(values, Vector):
        return [[x] for x in values.data]
    if not is_sized(values):
        raise DataError("%s must be a list of numbers or of rows, got %s"
                        % (name, describe(values)))
    items = list(values)  # type: ignore[call-overload]
    if not items:
        raise DataError("%s is empty: there is nothing to score" % name)
    if isinstance(items[0], (list, tuple, Vector)):
        rows = []
        for i, row in enumerate(items):
            if not isinstance(row, (list, tuple, Vector)):
                raise DataError("%s[%d] is %s, but %s[0] is a row; give all rows or all numbers"
                                % (name, i, describe(row), name))
            rows.append(float_list(row, "%s[%d]" % (name, i)))
            if len(rows[i]) != len(rows[0]):
                raise ShapeError("%s[%d] has %d values but %s[0] has %d"
                                 % (name, i, len(rows[i]), name, len(rows[0])))
        if not rows[0]:
            raise DataError("%s has rows with no values" % name)
    else:
        rows = [[x] for x in float_list(items, name)]
    for i, row in enumerate(rows):
        for j, x in enumerate(row):
            if not math.isfinite(x):
                raise DataError("%s has %r in sample %d, output %d; scores need finite numbers"
                                % (name, x, i, j))
    return rows


def _paired_tables(y_true: object, y_pred: object) -> "Tuple[List[List[float]], List[List[float]]]":
    """Both sides as tables of the same shape, or a ShapeError naming both shapes."""
    true = _as_table(y_true, "y_true")
    pred = _as_table(y_pred, "y_pred")
    if len(true) != len(pred):
        raise ShapeError("y_true has %d samples but y_pred has %d; they must match one to one"
                         % (len(true), len(pred)))
    if len(true[0]) != len(pred[0]):
        raise ShapeError("y_true has %d outputs per sample but y_pred has %d"
                         % (len(true[0]), len(pred[0])))
    return true, pred


def mean_squared_error(y_true: "Targets", y_pred: "Targets") -> float:
    """The mean of ``(y_true - y_pred) ** 2`` over every sample and output.

    >>> mean_squared_error([[0.0, 1.0], [2.0, 3.0]], [[0.0, 1.0], [2.0, 5.0]])
    1.0
    """
    true, pred = _paired_tables(y_true, y_pred)
    total = 0.0
    for true_row, pred_row in zip(true, pred):
        for t, p in zip(true_row, pred_row):
            total += (t - p) * (t - p)
    return total / (len(true) * len(true[0]))


def r2_score(y_true: "Targets", y_pred: "Targets") -> float:
    """The coefficient of determination R², averaged evenly over the outputs.

    For each output (column), ``1 - SS_res / SS_tot`` with
    ``SS_res = sum((y - prediction)²)`` and ``SS_tot = sum((y - mean(y))²)``;
    with several outputs the result is the plain mean of their scores.

    A constant target (every ``y`` equal, ``SS_tot = 0``) leaves R²
    undefined, since there is no variance to explain.  tinynet then scores
    that output 1.0 when every prediction is exact and 0.0 otherwise (no
    better than predicting the mean), so the result is always a finite number.

    >>> r2_score([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 3.0, 3.0])
    0.6
    >>> r2_score([[1.0, 5.0], [3.0, 5.0]], [[1.0, 5.0], [3.0, 6.0]])  # (1.0 + 0.0) / 2
    0.5
    """
    true, pred = _paired_tables(y_true, y_pred)
    n = len(true)
    scores = []
    for j in range(len(true[0])):
        column = [row[j] for row in true]
        mean = sum(column, 0.0) / n
        ss_tot = sum([(t - mean) * (t - mean) for t in column], 0.0)
        ss_res = sum([(row[j] - pred_row[j]) * (row[j] - pred_row[j])
                      for row, pred_row in zip(true, pred)], 0.0)
        if ss_tot == 0.0 or min(column) == max(column):
            scores.append(1.0 if ss_res == 0.0 else 0.0)
        else:
            scores.append(1.0 - ss_res / ss_tot)
    return sum(scores, 0.0) / len(scores)

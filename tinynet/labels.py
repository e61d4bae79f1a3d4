"""Class labels: whatever values a classifier's ``y`` holds, and the list ``classes_``.

A classifier's outputs are numbered ``0..k-1``; a user's labels are whatever
the data holds: ``'setosa'``, ``1..k``, ``-1/1``, ``True/False``.  The list
``classes_`` joins the two: output ``i`` means the label ``classes_[i]``.  So
labels become output indices on the way in (``class_indices``) and indices
become labels on the way out (``classes_[i]``).

=====================================  ==============================================
``find_classes(labels, n_classes)``    the ``classes_`` that labels ``y`` give a
                                       network telling ``n_classes`` apart
``classes_from(values, n_classes,      a list of classes given outright (``classes=``,
where)``                               a model file): distinct, sortable, ``n_classes``
``class_indices(labels, classes,       labels as output indices ``0..k-1``
n_classes)``
``sorted_distinct(values, where)``     distinct values, sorted, or an error naming
                                       two that do not sort together
``plain_label(label)``                 a label as a plain Python value
``show_labels(labels)``                labels as a message shows them
=====================================  ==============================================

>>> find_classes(["virginica", "setosa", "setosa", "versicolor"], 3)
['setosa', 'versicolor', 'virginica']
>>> class_indices(["virginica", "setosa"], ['setosa', 'versicolor', 'virginica'], 3)
[2, 0]
>>> find_classes([0, 2, 2], 3)       # class indices: class 1 may be absent
[0, 1, 2]
>>> find_classes([-1, 1, 1], 2)
[-1, 1]

The rule
--------
* **Class indices stay what they are.**  When every label is a whole number
  in ``0..k-1`` (``k`` the number of classes: the output units, or 2 for
  one sigmoid unit), ``classes_`` is ``[0, 1, ..., k-1]``: label ``c`` is
  output ``c``, as before labels of other kinds were accepted, and a class
  may be missing from the data.  Whole floats such as ``1.0`` count.
* **Any other labels** are sorted, and ``classes_`` is their sorted list of
  distinct values, as scikit-learn's ``np.unique`` sorts them (numbers by
  value, strings by code point, ``False`` before ``True``).  There must be
  exactly ``k`` of them.
* **Labels are checked:** they must be hashable (a list is not), a float must
  be finite (a NaN is most likely a missing value), and they must sort
  together: strings mixed with numbers, or ``True`` mixed with ``1`` (Python
  counts them as equal), are refused, naming both.
* **Values from other libraries become plain Python values:** a NumPy scalar
  becomes its ``item()`` (``numpy.str_('a')`` is ``'a'``, ``numpy.int64(2)``
  is ``2``, ``numpy.bool_(True)`` is ``True``), another integer type its
  ``__index__``, a subclass of ``str``, ``int`` or ``float`` the plain type.
  ``classes_`` holds those plain values, and so do predictions.

Once a network has ``classes_``, every later label (``partial_fit``,
``score``, ``validation_data``) is looked up in it, and a label that is not
there is an error naming it and the known classes.  Lookup goes by ``==``,
so ``1.0`` finds the class ``1``, but a bool never finds a number (nor a
number a bool).
"""

import math

from .checks import class_index, describe, whole_number
from .errors import DataError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence

PLAIN_TYPES = (str, int, float, bool)
# The plain types a label of which needs no check (a float may be NaN).
QUICK_TYPES = (str, int, bool)

# How many classes a message lists before it says "...".
SHOWN_LABELS = 10


def plain_label(label: object, where: str) -> object:
    """``label`` as a plain Python value (see the module's rule), or DataError naming ``where``."""
    kind = type(label)
    if kind is str or kind is int or kind is bool:
        return label
    value: "Any" = label
    if kind is not float:
        value = _plain_value(label)
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError("%s is %r: class labels must be finite (is it a missing value?)"
                        % (where, value))
    try:
        hash(value)
    except TypeError:
        raise DataError("%s is %s: class labels must be hashable values such as strings or "
                        "numbers" % (where, describe(label)))
    return value


def _plain_value(label: object) -> object:
    """A value from another library, or a subclass of a plain type, as a plain value."""
    if isinstance(label, bool):
        return bool(label)
    item = getattr(label, "item", None)  # NumPy scalars: numpy.str_, int64, float32, bool_
    if item is not None:
        try:
            value = item()
        except (TypeError, ValueError):  # an array of several values, or another kind of item
            value = None
        if type(value) in PLAIN_TYPES:
            return value
    whole = whole_number(label)
    if whole is not None:
        return whole
    for plain in (float, str, int):
        if isinstance(label, plain):
            return plain(label)
    return label


def _index_below(label: object, n_classes: int) -> bool:
    """Whether ``label`` is a whole number in ``0..n_classes-1`` (not a bool)."""
    kind = type(label)
    if kind is int:
        return 0 <= label < n_classes  # type: ignore[operator]
    if kind is float:
        return 0.0 <= label < n_classes and label == int(label)  # type: ignore[operator,call-overload]
    return False


def find_classes(labels: "Sequence[object]", n_classes: int, outputs: str = "") -> "List[Any]":
    """The ``classes_`` for labels ``y``: ``[0..k-1]`` for class indices, else
    their sorted distinct values, which must number ``n_classes``.

    ``outputs`` describes the network's output layer for the message
    (``'2 classes, sigmoid output'``).
    """
    values = [label if type(label) in QUICK_TYPES else plain_label(label, "y[%d]" % i)
              for i, label in enumerate(labels)]
    indices = True
    for value in values:
        if not _index_below(value, n_classes):
            indices = False
            break
    if indices:
        return list(range(n_classes))
    classes = sorted_distinct(values, "y")
    if len(classes) != n_classes:
        raise DataError(
            "y holds %d distinct label%s (%s) but the network tells %d classes apart%s: "
            "labels must be the class indices 0..%d, or exactly %d distinct values"
            % (len(classes), "" if len(classes) == 1 else "s", show_labels(classes), n_classes,
               " (%s)" % outputs if outputs else "", n_classes - 1, n_classes))
    return classes


def classes_from(values: "Sequence[object]", n_classes: int, where: str) -> "List[Any]":
    """A list of classes given outright (``partial_fit``'s ``classes=``): the sorted
    distinct plain values, which must number ``n_classes``.  ``where`` names the list."""
    plain = [plain_label(value, "%s[%d]" % (where, i)) for i, value in enumerate(values)]
    classes = sorted_distinct(plain, where)
    if len(classes) != n_classes:
        raise DataError("%s names %d distinct class%s (%s) but the network tells %d classes apart"
                        % (where, len(classes), "" if len(classes) == 1 else "es",
                           show_labels(classes), n_classes))
    return classes


def sorted_distinct(values: "Sequence[Any]", where: str) -> "List[Any]":
    """The distinct values in sorted order, or DataError naming two that do not sort together."""
    seen: "Dict[Any, bool]" = {}
    distinct = []
    for value in values:
        key = (type(value) is bool, value)  # True == 1, but they are different labels
        if key not in seen:
            seen[key] = True
            distinct.append(value)
    bools = [value for value in distinct if type(value) is bool]
    numbers = [value for value in distinct if type(value) in (int, float)]
    if bools and numbers:
        raise DataError("%s mixes the bool %r with the number %r: Python counts True as 1 and "
                        "False as 0, so give the labels as one or the other"
                        % (where, bools[0], numbers[0]))
    try:
        return sorted(distinct)
    except TypeError:
        pass
    # One value of each type, to name two that cannot be compared.
    by_type: "Dict[str, Any]" = {}
    for value in distinct:
        by_type.setdefault(type(value).__name__, value)
    examples = [by_type[name] for name in sorted(by_type)]
    for i, first in enumerate(examples):
        for second in examples[i + 1:]:
            try:
                first < second
                second < first
            except TypeError:
                raise DataError("%s mixes labels that cannot be sorted together: %s and %s"
                                % (where, describe(first), describe(second)))
    raise DataError("%s holds labels that cannot be sorted: %s" % (where, show_labels(distinct)))


def class_indices(labels: "Sequence[object]", classes: "Optional[Sequence[Any]]",
                  n_classes: int) -> "List[int]":
    """Labels as output indices: each label's position in ``classes``.

    With ``classes`` None (a network that has none yet, or a model file of
    version 1) the labels must be the indices themselves, ``0..n_classes-1``.
    """
    if classes is None:
        result = []
        for i, label in enumerate(labels):
            index = class_index(label, "y[%d]" % i)
            if index >= n_classes:
                allowed = "0 or 1" if n_classes == 2 else "0..%d" % (n_classes - 1)
                raise DataError("y[%d] is %r: this network's labels must be %s"
                                % (i, label, allowed))
            result.append(index)
        return result
    position: "Dict[Any, int]" = {}
    for place, value in enumerate(classes):
        position[value] = place
    found = []
    for i, label in enumerate(labels):
        try:
            hit = position.get(label)
        except TypeError:  # unhashable
            hit = None
        if hit is None or (type(label) is bool) != (type(classes[hit]) is bool):
            hit = _slow_index(label, position, classes, i)
        found.append(hit)
    return found


def _slow_index(label: object, position: "Dict[Any, int]", classes: "Sequence[Any]", i: int
                ) -> int:
    """The index of a label the quick lookup missed (a NumPy scalar, say), or DataError."""
    value = plain_label(label, "y[%d]" % i)
    index = position.get(value)
    if index is None or (type(value) is bool) != (type(classes[index]) is bool):
        raise DataError("y[%d] is %s, which is not one of this network's classes: %s"
                        % (i, describe(label), show_labels(classes)))
    return index


def show_labels(labels: "Sequence[Any]") -> str:
    """Labels as a message lists them: ``'setosa', 'versicolor'`` (the first few, then ...)."""
    shown = ", ".join(repr(label) for label in labels[:SHOWN_LABELS])
    if len(labels) > SHOWN_LABELS:
        shown += ", ... (%d in all)" % len(labels)
    return shown

"""The target column as classes: checked, and warned about, before a classifier trains on it.

A network takes class labels of any kind (``setosa``, ``1..k``, ``-1/1``);
``NeuralNet.fit`` sorts them into ``classes_``.  What the command line adds
is a look at the column as a whole, because the usual mistake is choosing
the wrong one: a column of measurements or IDs, where every row has a
label of its own, is not a column of classes.
"""

from ..checks import quote
from .options import CommandError, warn

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List

    from .table import DataFile


def show(label: object) -> str:
    """A label as messages and tables show it: words quoted, numbers as they are."""
    return quote(label) if isinstance(label, str) else repr(label)


def check_classes(labels: "List[Any]", data: "DataFile", column: int) -> "List[Any]":
    """The sorted classes of the target column ``column``, or CommandError.

    Refused: numbers that are not whole (``0.5``: a quantity, to be
    predicted with ``--regression``), a single class, and more classes than
    half the rows (fewer than two rows per class: an ID or a measurement).
    A class with a single row gets a warning, since it is most often a typo.
    """
    where = "%s: column %s" % (data.name, quote(data.table.names[column]))
    for i, label in enumerate(labels):
        if isinstance(label, float) and not label.is_integer():
            raise CommandError("%s: %s is not a whole number, so the column holds quantities, "
                               "not classes (to predict a number, train with --regression)"
                               % (data.where(i, column), show(label)))
    first_row: "Dict[Any, int]" = {}
    count: "Dict[Any, int]" = {}
    for i, label in enumerate(labels):
        if label not in first_row:
            first_row[label] = i
            count[label] = 0
        count[label] += 1
    classes = sorted(first_row)
    if len(classes) < 2:
        raise CommandError("%s holds only the class %s: a classifier needs at least two classes"
                           % (where, show(classes[0])))
    if len(classes) > len(labels) / 2:
        raise CommandError(
            "%s holds %d different values in %d rows: too many to be classes (fewer than two "
            "rows each), so this looks like an ID or a measurement column (choose the class "
            "column with --target, or predict a number with --regression)"
            % (where, len(classes), len(labels)))
    rare = ["%s (line %d)" % (show(label), data.table.line_numbers[first_row[label]])
            for label in classes if count[label] < 2]
    if rare:
        them = "it" if len(rare) == 1 else "them"
        warn("%s has only one row of class %s: too few to learn %s or test %s (a typo?); "
             "training a %d-class model anyway"
             % (where, ", of class ".join(rare), them, them, len(classes)))
    return classes


def classes_of(net: "Any") -> "List[Any]":
    """A classifier's classes: its ``classes_``, or ``0..k-1`` for a model without them."""
    classes = getattr(net, "classes_", None)
    if classes is None:
        classes = list(range(net.output_layer.n_classes(net.layers[-1])))
    return list(classes)


def labels_for(classes: "List[Any]", data: "DataFile", column: int) -> "List[Any]":
    """The labels in ``column``, read as ``classes`` are: a model trained on words
    (``'1'``, ``'2'``) reads a column of digits as words too; then every label
    must be one of ``classes``, or CommandError naming the line."""
    if all(isinstance(label, str) for label in classes):
        labels: "List[Any]" = data.cells(column)
    else:
        labels = data.labels(column)
    known = set(classes)
    for i, label in enumerate(labels):
        if label not in known:
            shown = ", ".join(show(c) for c in classes[:10]) + (", ..." if len(classes) > 10
                                                                  else "")
            raise CommandError("%s holds %s, which is not one of the model's classes (%s)"
                               % (data.where(i, column), show(label), shown))
    return labels

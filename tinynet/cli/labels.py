"""The target column as class labels: checked, counted, and warned about."""

from ..checks import class_index
from ..errors import DataError
from .options import CommandError, warn

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional


def class_labels(y: "List[float]", path: str, target: str, n_classes: "Optional[int]") -> "List[int]":
    """The target column as class labels, or CommandError naming the row and the value.

    Each value goes through ``checks.class_index``, the rule ``one_hot`` and the
    metrics use too; with ``n_classes`` (a saved model's) every label must
    also be below it.
    """
    labels = []
    for i, value in enumerate(y):
        where = "%s: column %r, data row %d" % (path, target, i + 1)
        try:
            label = class_index(value, where)
        except DataError as error:
            raise CommandError("%s (for numeric targets, train with --regression)" % error)
        if n_classes is not None and label >= n_classes:
            raise CommandError("%s holds %d, but this model's classes are 0..%d"
                               % (where, label, n_classes - 1))
        labels.append(label)
    return labels


def class_count(labels: "List[int]", path: str, target: str) -> int:
    """k for labels that are exactly 0..k-1, every class present, or CommandError.

    A column of IDs or measurements picked as the target by mistake would
    otherwise ask for a softmax layer of millions of units.
    """
    k = max(labels) + 1
    where = "%s: column %r" % (path, target)
    if k > len(labels):
        raise CommandError(
            "%s holds %d (data row %d) but has only %d rows: class labels are 0..k-1 with "
            "every class present, so this looks like an ID or a measurement column, not classes "
            "(choose the class column with --target, or predict a number with --regression)"
            % (where, k - 1, labels.index(k - 1) + 1, len(labels)))
    present = set(labels)
    missing = [c for c in range(k) if c not in present]
    if missing:
        shown = ", ".join(str(c) for c in missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise CommandError(
            "%s holds labels up to %d but never %s: class labels must be 0..k-1 with every "
            "class present (renumber the classes; for an ID or a measurement column, choose "
            "another with --target or use --regression)" % (where, k - 1, shown))
    if k < 2:
        raise CommandError("%s holds only the class 0: a classifier needs at least two classes"
                           % where)
    return k


def warn_about_rare_classes(labels: "List[int]", k: int, path: str, target: str) -> None:
    """A one-line warning on stderr for classes with a single row.

    Such a class is most often a typo (a ``2`` in a column of 0s and 1s),
    which would otherwise only show as an unexpected class count.  Training
    goes on: the class may be real, only rare.
    """
    rows: "List[List[int]]" = [[] for _ in range(k)]
    for i, label in enumerate(labels):
        rows[label].append(i + 1)
    rare = ["%d (data row %d)" % (c, rows[c][0]) for c in range(k) if len(rows[c]) < 2]
    if rare:
        warn("%s: column %r has only one row of class %s: too few to learn %s or test %s "
             "(a typo?); training a %d-class model anyway"
             % (path, target, ", of class ".join(rare), "it" if len(rare) == 1 else "them",
                "it" if len(rare) == 1 else "them", k))

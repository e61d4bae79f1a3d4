"""Getting data ready for a network, without pandas or scikit-learn.

A network learns from a table of numbers: one row per sample, one column per
feature, plus the answer for each sample.  This module covers the steps
between a file on disk and that table, each small enough to read:

==================================  =========================================
``read_csv(path, target)``          a CSV file with a header row, as
                                    ``(X, y, feature_names)``: numbers in X,
                                    class labels of any kind (or numbers) in y
``read_csv_text(text, target)``     the same from a string
``train_test_split(X, y, ...)``     hold back part of the data, shuffled with
                                    a seed, optionally per class
``StandardScaler``                  rescale each column to mean 0 and
                                    standard deviation 1, and back (it
                                    lives in ``tinynet.scaler``)
``one_hot(labels)``                 class labels ``0..k-1`` as rows of
                                    0s with a single 1
==================================  =========================================

>>> X, y, names = read_csv_text('''height,weight,label
... 150,50,0
... 180,80,1
... 170,65,1
... 160,60,0
... ''', target="label")
>>> names
['height', 'weight']
>>> y
[0, 1, 1, 0]
>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=0.5, seed=1)
>>> X_train.shape, len(y_test)
((2, 2), 2)
>>> scaler = StandardScaler().fit(X_train)
>>> X_train_scaled = scaler.transform(X_train)   # X_test gets the *same* scaler
>>> X_train_scaled
Matrix([[-1.0, -1.0], [1.0, 1.0]])
>>> one_hot([0, 2, 1])
Matrix([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])

Why each step
-------------
* **Splitting.**  A score on the samples a network trained on says how well
  it memorised them, not how well it will do on new ones; the held-back test
  part answers that.  With ``stratify=True`` each class keeps its share in
  both parts, which matters when a class is rare.
* **Scaling.**  Gradient descent takes one step size for every weight.  A
  feature measured in thousands gets gradients thousands of times larger than
  one measured in fractions, so one learning rate is too large for the first
  and too small for the second.  Standardising every column fixes that (see
  ``tinynet.scaler``).  The scaler is fitted on the training part only and
  then applied, unchanged, to the test part and to new data; saving it with
  the model keeps predictions consistent.
* **One-hot.**  A softmax output layer gives one probability per class, so
  the target for class 2 of 3 is the row ``[0, 0, 1]``.

The CSV reader
--------------
Python's ``csv`` module does not exist on MicroPython, so the reader is
written out by hand in ``tinynet.table``.  It reads what spreadsheets and
pandas write: a header row, fields separated by commas (or tabs, or another
``delimiter``), surrounding spaces ignored, any line ends, blank lines
skipped, and fields in double quotes (``"sepal length (cm)"``, with ``""``
standing for one ``"`` inside).  A quoted field cannot span lines.

Every problem is a ``DataError`` naming the line (counted from 1, as an
editor shows it) and the column: a missing value (an empty cell, ``NA``,
``NaN``, ``?`` ...), a value that is not a number, infinity, a row with the
wrong number of fields, a target column that does not exist.
"""

import math

from .checks import check_fraction, check_size, class_index, describe, is_sized, quote
from .errors import ConfigError, DataError, ShapeError
from .files import read_bytes
from .matrix import Matrix
from .rng import Random
from .scaler import StandardScaler
from .table import decode, delimiter_for, parse_table

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple, TypeVar, Union, overload

    Number = Union[int, float]
    Label = Union[int, float, str]
    Rows = Union[Matrix, Sequence[Sequence[float]]]
    T = TypeVar("T")

__all__ = ["StandardScaler", "one_hot", "read_csv", "read_csv_text", "train_test_split"]


# --- reading CSV -------------------------------------------------------------


if TYPE_CHECKING:
    @overload
    def read_csv_text(text: str, target: None = None, delimiter: str = ",",
                      features: "Optional[Sequence[str]]" = None
                      ) -> "Tuple[Matrix, None, List[str]]": ...
    @overload
    def read_csv_text(text: str, target: str, delimiter: str = ",",
                      features: "Optional[Sequence[str]]" = None
                      ) -> "Tuple[Matrix, List[Label], List[str]]": ...


def read_csv_text(
    text: str, target: "Optional[str]" = None, delimiter: str = ",",
    features: "Optional[Sequence[str]]" = None,
) -> "Tuple[Matrix, Optional[List[Label]], List[str]]":
    """Read a CSV table from a string; return ``(X, y, feature_names)``.

    The first non-blank line is the header.  ``target`` names the column
    holding the answers:

    * ``X`` is a ``Matrix`` of the feature columns: by default every column
      but the target, in file order; ``features`` (a list of names) picks
      some, in the order given, and the others are not read at all, so they
      may hold text such as an ID;
    * ``y`` is a plain list of the target column's values: ints when every
      value is written as a whole number (``0``, ``1``, ``-3``), floats when
      they are all numbers and some are not whole (``0.5``, ``1e3``), and
      the text of the cells when any is not a number (``setosa``): class
      labels come back ready for ``NeuralNet.fit``;
    * ``feature_names`` lists the names of X's columns.

    With ``target=None`` (a file of new samples to predict) ``y`` is None.
    ``delimiter`` separates the fields: ``","``, or ``"\\t"`` for
    tab-separated text, ``";"`` and so on.

    A cell of X must be a number as CSV files write them: ``1_000``,
    ``nan`` and ``inf`` are not.  An empty cell, or one holding ``NA``,
    ``N/A``, ``NaN``, ``null``, ``None``, ``?`` or ``#N/A``, is a missing
    value and a DataError.  See ``tinynet.table`` for the exact rules.

    >>> X, y, names = read_csv_text('a, "say ""hi"" (cm)"\\r\\n1, 2.5\\r\\n3, 4\\r\\n')
    >>> X, y, names
    (Matrix([[1.0, 2.5], [3.0, 4.0]]), None, ['a', 'say "hi" (cm)'])
    >>> read_csv_text("id,x,species\\nA7,1.5,setosa\\nB2,4.5,virginica\\n", "species",
    ...               features=["x"])
    (Matrix([[1.5], [4.5]]), ['setosa', 'virginica'], ['x'])
    >>> read_csv_text("a,b\\n1,2\\n3,x\\n")
    Traceback (most recent call last):
    ...
    tinynet.errors.DataError: line 3, column 'b': 'x' is not a number
    """
    if target is not None and not isinstance(target, str):
        raise ConfigError("target must be a column name (a str) or None, got %s" % describe(target))
    table = parse_table(text, delimiter)
    target_index = -1 if target is None else table.column(target, "target column")
    if features is None:
        columns = [j for j in range(len(table.names)) if j != target_index]
        if not columns:
            raise DataError(
                "the only column is the target %s: there are no features" % quote(table.names[0]))
    else:
        if isinstance(features, str) or not is_sized(features) or not features:
            raise ConfigError("features must be a non-empty list of column names, got %s"
                              % describe(features))
        columns = [table.column(name, "feature column") for name in features]
        if target_index in columns:
            raise ConfigError("the target %s is one of the features" % quote(str(target)))
        if len(set(columns)) != len(columns):
            raise ConfigError("features names a column twice: %s"
                              % ", ".join(quote(name) for name in features))
    X = table.numbers(columns)
    names = [table.names[j] for j in columns]
    if target is None:
        return X, None, names
    return X, table.labels(target_index), names


if TYPE_CHECKING:
    @overload
    def read_csv(path: str, target: None = None, delimiter: "Optional[str]" = None,
                 features: "Optional[Sequence[str]]" = None
                 ) -> "Tuple[Matrix, None, List[str]]": ...
    @overload
    def read_csv(path: str, target: str, delimiter: "Optional[str]" = None,
                 features: "Optional[Sequence[str]]" = None
                 ) -> "Tuple[Matrix, List[Label], List[str]]": ...


def read_csv(
    path: str, target: "Optional[str]" = None, delimiter: "Optional[str]" = None,
    features: "Optional[Sequence[str]]" = None,
) -> "Tuple[Matrix, Optional[List[Label]], List[str]]":
    """Read a CSV file (UTF-8) with a header row; see ``read_csv_text``.

    ``delimiter=None`` takes a tab for a file named ``.tsv`` or ``.tab`` and
    a comma otherwise.  Errors about the contents are ``DataError`` starting
    with the path: ``iris.csv: line 7, column 'petal_width': the cell is
    empty``, and so is a file that is not UTF-8 text.  A file that cannot be
    opened raises the usual ``OSError``.
    """
    if delimiter is None:
        delimiter = delimiter_for(path)
    text = decode(read_bytes(path), path)
    try:
        return read_csv_text(text, target, delimiter, features)
    except DataError as error:
        raise DataError("%s: %s" % (path, error))


# --- splitting ---------------------------------------------------------------


def _round_half_up(x: float) -> int:
    """``x`` rounded to the nearest int, halves upwards (``round`` rounds them to even)."""
    return int(math.floor(x + 0.5))


def _test_counts(class_sizes: "List[int]", n_test: int) -> "List[int]":
    """Share ``n_test`` test places among the classes in proportion to their sizes.

    Each class first gets the whole part of its exact share
    ``size * n_test / n``; the places left over go to the classes with the
    largest fractional parts (the largest remainder method), ties to the
    class seen first.  The counts always add up to ``n_test``.
    """
    n = sum(class_sizes)
    shares = [size * n_test / n for size in class_sizes]
    counts = [int(math.floor(share)) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda c: (counts[c] - shares[c], c))
    for c in by_remainder[:n_test - sum(counts)]:
        counts[c] += 1
    return counts


if TYPE_CHECKING:
    @overload
    def train_test_split(
        X: "Rows", y: Matrix, test_fraction: float = 0.25,
        seed: "Union[int, Random]" = 0, stratify: bool = False,
    ) -> "Tuple[Matrix, Matrix, Matrix, Matrix]": ...
    @overload
    def train_test_split(
        X: "Rows", y: "Sequence[T]", test_fraction: float = 0.25,
        seed: "Union[int, Random]" = 0, stratify: bool = False,
    ) -> "Tuple[Matrix, Matrix, List[T], List[T]]": ...


def train_test_split(
    X: "Rows",
    y: "Union[Sequence[T], Matrix]",
    test_fraction: float = 0.25,
    seed: "Union[int, Random]" = 0,
    stratify: bool = False,
) -> "Tuple[Matrix, Matrix, Union[List[T], Matrix], Union[List[T], Matrix]]":
    """Shuffle the samples with a seed and split them into a training and a test part.

    Returns ``(X_train, X_test, y_train, y_test)``.  ``X`` is a Matrix or a
    list of rows and its parts are Matrices; ``y`` is a list (labels or
    targets) and its parts are lists, or a Matrix (several targets per sample)
    and its parts are Matrices.

    The test part has ``test_fraction * n`` samples, rounded to the nearest
    whole number.  Both parts come out in the shuffled order.  The same seed
    gives the same split on every interpreter (see ``tinynet.rng``).

    With ``stratify=True``, ``y`` holds class labels and each class is split
    on its own, so it has (as nearly as whole numbers allow) the same share of
    the test part as of the whole data.  A class with a single sample stays in
    the training part unless rounding hands it a test place.

    >>> X = [[float(i)] for i in range(8)]
    >>> y = [0, 0, 0, 0, 0, 0, 1, 1]
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, 0.5, stratify=True)
    >>> sorted(y_test), sorted(y_train)
    ([0, 0, 0, 1], [0, 0, 0, 1])
    """
    X_matrix = X if isinstance(X, Matrix) else Matrix(X)
    check_fraction("test_fraction", test_fraction, wanted="between 0 and 1 (exclusive)")
    if not is_sized(y):
        raise DataError("y must be a list of labels or targets, got %s" % describe(y))
    n = len(X_matrix)
    if len(y) != n:
        raise ShapeError("X has %d rows but y has %d values" % (n, len(y)))
    n_test = _round_half_up(n * test_fraction)
    if n_test < 1 or n_test > n - 1:
        raise DataError(
            "test_fraction %r of %d samples leaves the %s part empty; "
            "use more data or a test_fraction nearer 0.5"
            % (test_fraction, n, "test" if n_test < 1 else "training")
        )

    rng = seed if isinstance(seed, Random) else Random(seed)
    order = list(range(n))
    rng.shuffle(order)

    if stratify:
        if isinstance(y, Matrix):
            raise ConfigError("stratify=True needs y as a list of class labels, not a Matrix")
        # Classes in order of first appearance (dicts may not keep order).
        classes: "List[object]" = []
        class_of: "Dict[object, int]" = {}
        sizes: "List[int]" = []
        for i, label in enumerate(y):
            try:
                c = class_of.get(label)
            except TypeError:
                raise DataError(
                    "stratify needs class labels, but y[%d] is %s" % (i, describe(label)))
            if c is None:
                c = class_of[label] = len(classes)
                classes.append(label)
                sizes.append(0)
            sizes[c] += 1
        # Walking the shuffled order, the first `quota` samples of each class
        # go to the test part: a random choice within every class.
        quota = _test_counts(sizes, n_test)
        test_rows, train_rows = [], []
        for i in order:
            c = class_of[y[i]]
            if quota[c] > 0:
                quota[c] -= 1
                test_rows.append(i)
            else:
                train_rows.append(i)
    else:
        test_rows, train_rows = order[:n_test], order[n_test:]

    rows = X_matrix.rows
    X_train = Matrix.wrap([list(rows[i]) for i in train_rows], X_matrix.n_cols)
    X_test = Matrix.wrap([list(rows[i]) for i in test_rows], X_matrix.n_cols)
    if isinstance(y, Matrix):
        y_rows = y.rows
        y_train: "Union[List[T], Matrix]" = Matrix.wrap(
            [list(y_rows[i]) for i in train_rows], y.n_cols)
        y_test: "Union[List[T], Matrix]" = Matrix.wrap(
            [list(y_rows[i]) for i in test_rows], y.n_cols)
    else:
        y_train = [y[i] for i in train_rows]
        y_test = [y[i] for i in test_rows]
    return X_train, X_test, y_train, y_test


# --- labels ----------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return "%d %s%s" % (n, noun, "" if n == 1 else "s")


def _range_text(n_classes: int) -> str:
    """The labels ``n_classes`` allows, in words: ``0``, ``0..4``."""
    return "0" if n_classes == 1 else "0..%d" % (n_classes - 1)


def one_hot(labels: "Sequence[Number]", n_classes: "Optional[int]" = None) -> Matrix:
    """Class labels ``0..n_classes-1`` as a Matrix with one row per label.

    Row ``i`` is all zeros except a 1.0 in column ``labels[i]``: the target
    a softmax output is trained towards.  ``n_classes`` defaults to the
    largest label plus one; give it when some class may be missing from
    ``labels``.  ``M.argmax()`` turns the rows back into labels.

    Left to infer ``n_classes``, one_hot refuses a label as large as the
    number of labels or larger (so at most one class per label): some class
    would surely never appear, and a label like ``10**9`` (an ID, a
    measurement) would build a billion columns.  Pass ``n_classes`` when the
    classes really go that far.

    >>> one_hot([1, 0], n_classes=3)
    Matrix([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    >>> one_hot([0, 3], n_classes=3)
    Traceback (most recent call last):
    ...
    tinynet.errors.DataError: label at index 1 is 3, but n_classes=3 allows only 0..2
    >>> one_hot([0, 7])
    Traceback (most recent call last):
    ...
    tinynet.errors.DataError: label at index 1 is 7, but inferring n_classes from 2 labels allows only 0..1 (pass n_classes if there are more classes)
    """
    if not is_sized(labels):
        raise DataError("one_hot needs a list of class labels, got %s" % describe(labels))
    indices = [class_index(label, "label at index %d" % i) for i, label in enumerate(labels)]
    if not indices:
        raise DataError("one_hot needs at least one label")
    if n_classes is None:
        largest = 0
        for i, index in enumerate(indices):
            if index > indices[largest]:
                largest = i
        if indices[largest] >= len(indices):
            raise DataError(
                "label at index %d is %r, but inferring n_classes from %s allows only %s "
                "(pass n_classes if there are more classes)"
                % (largest, labels[largest], _count(len(indices), "label"),
                   _range_text(len(indices))))
        n_classes = indices[largest] + 1
    else:
        n_classes = check_size("n_classes", n_classes)
    rows = []
    for i, index in enumerate(indices):
        if index >= n_classes:
            raise DataError("label at index %d is %r, but n_classes=%d allows only 0..%d"
                            % (i, labels[i], n_classes, n_classes - 1))
        row = [0.0] * n_classes
        row[index] = 1.0
        rows.append(row)
    return Matrix.wrap(rows, n_classes)

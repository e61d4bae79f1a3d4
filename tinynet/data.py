"""Getting data ready for a network, without pandas or scikit-learn.

A network learns from a table of numbers: one row per sample, one column per
feature, plus the answer for each sample.  This module covers the steps
between a file on disk and that table, each small enough to read:

==================================  =========================================
``read_csv(path, target)``          a numeric CSV file with a header row, as
                                    ``(X, y, feature_names)``
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
Python's ``csv`` module does not exist on MicroPython, so the reader here is
written out by hand.  It reads what spreadsheets and pandas write for numeric
data: fields separated by commas, surrounding spaces ignored, ``\\r\\n`` or
``\\n`` line ends, blank lines skipped, and fields in double quotes
(``"sepal length (cm)"``, with ``""`` standing for one ``"`` inside).  A
quoted field cannot span lines.  The first line is always the header.

Every problem is a ``DataError`` naming the line (counted from 1, as an
editor shows it) and the column: an empty cell, a value that is not a number,
NaN or infinity, a row with the wrong number of fields, a target column that
does not exist.
"""

import math

from .checks import check_count, check_fraction, check_size, class_index, describe, is_sized, quote
from .errors import ConfigError, DataError, ShapeError
from .matrix import Matrix
from .rng import Random
from .scaler import StandardScaler

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple, TypeVar, Union, overload

    Number = Union[int, float]
    Rows = Union[Matrix, Sequence[Sequence[float]]]
    T = TypeVar("T")

__all__ = ["StandardScaler", "one_hot", "read_csv", "read_csv_text", "train_test_split"]


# --- reading CSV -------------------------------------------------------------


def _split_line(line: str, line_number: int) -> "List[str]":
    """The fields of one CSV line, unquoted and stripped of surrounding spaces."""
    if '"' not in line:
        return [field.strip() for field in line.split(",")]
    fields: "List[str]" = []
    position, end = 0, len(line)
    while True:
        while position < end and line[position] in " \t":
            position += 1
        if position < end and line[position] == '"':
            # A quoted field: everything up to the next lone quote, with
            # each doubled quote "" standing for one quote character.
            parts = []
            position += 1
            while True:
                close = line.find('"', position)
                if close < 0:
                    raise DataError(
                        "line %d, field %d: the quoted field is not closed "
                        "(a quoted field cannot span lines)" % (line_number, len(fields) + 1)
                    )
                parts.append(line[position:close])
                if line[close + 1:close + 2] == '"':
                    parts.append('"')
                    position = close + 2
                else:
                    position = close + 1
                    break
            while position < end and line[position] in " \t":
                position += 1
            if position < end and line[position] != ",":
                raise DataError(
                    "line %d, field %d: unexpected text %s after the closing quote"
                    % (line_number, len(fields) + 1, quote(line[position:]))
                )
            fields.append("".join(parts))
        else:
            comma = line.find(",", position)
            if comma < 0:
                comma = end
            fields.append(line[position:comma].strip())
            position = comma
        if position >= end:
            return fields
        position += 1  # step over the comma


def _is_int_text(text: str) -> bool:
    """True for text written as a whole number: digits with an optional sign."""
    if text[:1] in ("+", "-"):
        text = text[1:]
    if not text:
        return False
    for char in text:
        if not "0" <= char <= "9":
            return False
    return True


def _parse_number(text: str, line_number: int, column: str) -> float:
    """One cell as a finite float, or a DataError naming the line and column."""
    where = "line %d, column %s" % (line_number, quote(column))
    if not text:
        raise DataError("%s: the cell is empty" % where)
    try:
        value = float(text)
    except ValueError:
        raise DataError("%s: %s is not a number" % (where, quote(text)))
    if not math.isfinite(value):
        raise DataError(
            "%s: %s is not a finite number; NaN and infinity cannot be learned from"
            % (where, quote(text))
        )
    return value


def _looks_like_a_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _missing_target(target: str, names: "List[str]", header_number: int) -> DataError:
    """The error for a target column that is not in the header, with hints."""
    message = "target column %s not found; the columns are %s" % (
        quote(target), ", ".join(quote(name) for name in names))
    for name in names:
        if name.lower() == target.strip().lower():
            message += " (did you mean %s?)" % quote(name)
            break
    if all(_looks_like_a_number(name) for name in names):
        message += (
            "; line %d looks like data, not a header: the file needs a first "
            "line naming the columns" % header_number
        )
    return DataError(message)


if TYPE_CHECKING:
    @overload
    def read_csv_text(text: str, target: None = None) -> "Tuple[Matrix, None, List[str]]": ...
    @overload
    def read_csv_text(text: str, target: str) -> "Tuple[Matrix, List[float], List[str]]": ...


def read_csv_text(
    text: str, target: "Optional[str]" = None
) -> "Tuple[Matrix, Optional[List[float]], List[str]]":
    """Read a numeric CSV table from a string; return ``(X, y, feature_names)``.

    The first non-blank line is the header.  ``target`` names the column
    holding the answers:

    * ``X`` is a ``Matrix`` of every other column, in file order;
    * ``y`` is a plain list of the target column's values: ints when every
      value in the column is written as a whole number (``0``, ``1``, ``-3``),
      so class labels come back ready for ``one_hot``; floats otherwise
      (``0.5``, ``2.0``, ``1e3``);
    * ``feature_names`` lists the names of X's columns.

    With ``target=None`` (a file of new samples to predict) every column goes
    into X and ``y`` is None.

    >>> X, y, names = read_csv_text('a, "say ""hi"" (cm)"\\r\\n1, 2.5\\r\\n3, 4\\r\\n')
    >>> X, y, names
    (Matrix([[1.0, 2.5], [3.0, 4.0]]), None, ['a', 'say "hi" (cm)'])
    >>> read_csv_text("a,b\\n1,2\\n3,x\\n")
    Traceback (most recent call last):
    ...
    tinynet.errors.DataError: line 3, column 'b': 'x' is not a number
    """
    if not isinstance(text, str):
        raise DataError("CSV text must be a str, got %s" % describe(text))
    if target is not None and not isinstance(target, str):
        raise ConfigError("target must be a column name (a str) or None, got %s" % describe(target))
    lines = text.split("\n")
    if lines[0][:1] == "\ufeff":  # the byte order mark some editors write first
        lines[0] = lines[0][1:]
    # (line number as an editor counts it, line without its \r)
    numbered = [(i + 1, line.rstrip("\r")) for i, line in enumerate(lines)]
    numbered = [(number, line) for number, line in numbered if line.strip()]
    if not numbered:
        raise DataError("the CSV is empty: it needs a header line and at least one row of numbers")

    header_number, header_line = numbered[0]
    names = _split_line(header_line, header_number)
    for j, name in enumerate(names):
        if not name:
            raise DataError("line %d: column %d of the header has no name" % (header_number, j + 1))
        if name in names[:j]:
            raise DataError(
                "line %d: the column name %s appears twice (columns %d and %d)"
                % (header_number, quote(name), names.index(name) + 1, j + 1)
            )
    if target is None:
        target_index = -1
    elif target in names:
        target_index = names.index(target)
    else:
        raise _missing_target(target, names, header_number)
    feature_names = [name for j, name in enumerate(names) if j != target_index]
    if not feature_names:
        raise DataError(
            "the only column is the target %s: there are no features" % quote(names[0]))
    if len(numbered) == 1:
        raise DataError("the CSV has a header (line %d) but no rows of data" % header_number)

    rows = []
    target_texts = []
    for number, line in numbered[1:]:
        fields = _split_line(line, number)
        if len(fields) != len(names):
            raise DataError(
                "line %d has %d fields, but the header (line %d) has %d"
                % (number, len(fields), header_number, len(names))
            )
        row = []
        for j, field in enumerate(fields):
            value = _parse_number(field, number, names[j])
            if j == target_index:
                target_texts.append(field)
            else:
                row.append(value)
        rows.append(row)

    X = Matrix.wrap(rows, len(feature_names))
    if target is None:
        return X, None, feature_names
    y: "List[float]"
    if all(_is_int_text(field) for field in target_texts):
        y = [int(field) for field in target_texts]
    else:
        y = [float(field) for field in target_texts]
    return X, y, feature_names


if TYPE_CHECKING:
    @overload
    def read_csv(path: str, target: None = None) -> "Tuple[Matrix, None, List[str]]": ...
    @overload
    def read_csv(path: str, target: str) -> "Tuple[Matrix, List[float], List[str]]": ...


def read_csv(
    path: str, target: "Optional[str]" = None
) -> "Tuple[Matrix, Optional[List[float]], List[str]]":
    """Read a numeric CSV file (UTF-8) with a header row; see ``read_csv_text``.

    Errors about the contents are ``DataError`` starting with the path:
    ``iris.csv: line 7, column 'petal_width': the cell is empty``.  A file
    that cannot be opened raises the usual ``OSError``.
    """
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        return read_csv_text(text, target)
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
    check_count("one_hot of %d labels into %d classes" % (len(indices), n_classes),
                len(indices) * n_classes)
    rows = []
    for i, index in enumerate(indices):
        if index >= n_classes:
            raise DataError("label at index %d is %r, but n_classes=%d allows only 0..%d"
                            % (i, labels[i], n_classes, n_classes - 1))
        row = [0.0] * n_classes
        row[index] = 1.0
        rows.append(row)
    return Matrix.wrap(rows, n_classes)

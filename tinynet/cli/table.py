"""A command's data file: read from a path or standard input, and the columns a model takes.

The file is read as text cells first (``tinynet.table``), and only the
columns a command uses are then read as numbers, so other columns may hold
anything: an ID, a name, a comment.  Every problem is a ``DataError`` or a
``CommandError`` whose message starts with the file's name.
"""

import sys

from .. import files
from ..errors import DataError
from ..files import read_bytes
from ..table import decode, delimiter_for, parse_table
from .options import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Sequence

    from ..matrix import Matrix
    from ..network import NeuralNet
    from ..table import Label, Table

STDIN = "-"  # the file name that stands for standard input


class DataFile:
    """A table read from ``path`` (``-`` for standard input), and where it came from.

    ``delimiter`` None takes a tab for ``.tsv`` and ``.tab`` files and a
    comma otherwise (standard input included).
    """

    def __init__(self, path: str, delimiter: "Optional[str]") -> None:
        self.path = path
        self.name = "standard input" if path == STDIN else path
        self.delimiter = delimiter if delimiter is not None else (
            "," if path == STDIN else delimiter_for(path))
        self.table: "Table" = self._prefixed(parse_table, decode(self._bytes(), self.name),
                                             self.delimiter)

    def _bytes(self) -> bytes:
        if self.path == STDIN:
            try:
                return sys.stdin.buffer.read()
            except OSError as error:
                raise CommandError("cannot read standard input: %s" % files.reason(error, "."))
        try:
            return read_bytes(self.path)
        except FileNotFoundError:
            raise CommandError("%s: no such file" % self.path)
        except IsADirectoryError:
            raise CommandError("%s is a directory, not a CSV file" % self.path)
        except OSError as error:
            raise CommandError("cannot read %s: %s" % (self.path, (error.strerror or
                                                                 str(error)).lower()))

    def _prefixed(self, function: "Any", *args: "Any") -> "Any":
        """``function(*args)``, with a DataError's message starting with the file's name."""
        try:
            return function(*args)
        except DataError as error:
            raise DataError("%s: %s" % (self.name, error))

    def __len__(self) -> int:
        return len(self.table)

    def column(self, name: str, what: str = "column") -> int:
        """The index of the column ``name``; a DataError listing the columns if there is none."""
        index: int = self._prefixed(self.table.column, name, what)
        return index

    def where(self, i: int, j: int) -> str:
        """``data.csv: line 7, column 'age'``."""
        return "%s: %s" % (self.name, self.table.where(i, j))

    def numbers(self, columns: "Sequence[int]") -> "Matrix":
        """The cells of ``columns`` as a Matrix of floats, or a DataError naming the cell."""
        matrix: "Matrix" = self._prefixed(self.table.numbers, columns)
        return matrix

    def column_numbers(self, column: int) -> "List[float]":
        """One column's cells as floats (the targets of a regression)."""
        return [row[0] for row in self.numbers([column]).rows]

    def labels(self, column: int) -> "List[Label]":
        """A column of answers: numbers, or the cells' text when any is no number."""
        labels: "List[Label]" = self._prefixed(self.table.labels, column)
        return labels

    def cells(self, column: int) -> "List[str]":
        """A column's cells, as text."""
        return [row[column] for row in self.table.rows]

    def missing_values(self, columns: "Sequence[int]", drop: bool) -> "List[int]":
        """Leave out the rows that miss a value in ``columns`` (``drop``), or refuse them.

        Returns the line numbers of the rows left out.  Without ``drop`` the
        first missing value is a CommandError naming its line and column.
        """
        if not drop:
            first = self.table.first_missing(columns)
            if first is not None:
                cell = self.table.rows[first[0]][first[1]]
                what = "the cell is empty" if not cell else "%r marks a missing value" % cell
                raise CommandError("%s: %s (--drop-missing leaves out the rows with missing "
                                   "values)" % (self.where(*first), what))
            return []
        self.table, dropped = self.table.without_missing(columns)
        if not self.table.rows:
            raise CommandError("%s: every row misses a value in %s, so --drop-missing leaves "
                               "nothing" % (self.name, ", ".join(repr(self.table.names[j])
                                                                 for j in columns)))
        return dropped


def dropped_line(dropped: "List[int]", data: DataFile) -> str:
    """``left out 3 rows of data.csv with missing values (lines 4, 9, 12)``."""
    shown = ", ".join(str(line) for line in dropped[:10]) + (", ..." if len(dropped) > 10 else "")
    return "left out %d row%s of %s with missing values (line%s %s)" % (
        len(dropped), "" if len(dropped) == 1 else "s", data.name,
        "" if len(dropped) == 1 else "s", shown)


def model_columns(data: DataFile, net: "NeuralNet", target: "Optional[str]",
                  other: "Sequence[str]" = ()) -> "List[int]":
    """The indices of the columns of ``data`` that the model takes, in its order.

    With the feature names saved by ``train`` the columns are found by name
    and the others ignored; a missing one is a CommandError.  A model saved
    without names takes the columns in file order, except ``target`` and
    ``other`` (an ID column), and the file must have exactly as many as the
    model has inputs.
    """
    names = data.table.names
    features = net.feature_names
    if features is not None:
        if target is not None and target in features:
            raise CommandError("--target %s names one of the model's input columns (%s)"
                               % (target, ", ".join(features)))
        missing = [name for name in features if name not in names]
        if missing:
            raise CommandError("%s has no column%s %s, which the model takes as input (its "
                               "inputs: %s)" % (data.name, "" if len(missing) == 1 else "s",
                                                ", ".join(repr(name) for name in missing),
                                                ", ".join(features)))
        position = {name: j for j, name in enumerate(names)}
        return [position[name] for name in features]
    left_out = set(other) | ({target} if target is not None else set())
    columns = [j for j, name in enumerate(names) if name not in left_out]
    n_inputs = net.layers[0]
    if len(columns) != n_inputs:
        message = "%s has %d feature column%s (%s) but the model takes %d input%s" % (
            data.name, len(columns), "" if len(columns) == 1 else "s",
            ", ".join(names[j] for j in columns), n_inputs, "" if n_inputs == 1 else "s")
        if target is None and len(columns) == n_inputs + 1:
            message += "; if one column holds the answers, name it with --target"
        raise CommandError(message)
    return columns


def format_row(cells: "Sequence[str]", delimiter: str) -> str:
    """One CSV line: a cell that holds the delimiter, a quote, a line end or surrounding
    spaces is quoted (``"a, b"``, with ``""`` for a quote), so it reads back as it was."""
    quoted = []
    for text in cells:
        if (delimiter in text or '"' in text or "\n" in text or "\r" in text
                or text != text.strip()):
            text = '"%s"' % text.replace('"', '""')
        quoted.append(text)
    return delimiter.join(quoted) + "\n"

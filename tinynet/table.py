"""A CSV table as text, read by hand: cells first, numbers only from the columns that are used.

Python's ``csv`` module does not exist on MicroPython, so the reader here is
written out.  It reads what spreadsheets and pandas write: a header line
naming the columns, then one line per row; fields separated by a delimiter
(a comma, or any one character such as a tab or ``;``), surrounding spaces
ignored, ``\\r\\n``, ``\\n`` or ``\\r`` line ends, blank lines skipped, and fields
in double quotes (``"sepal length (cm)"``, with ``""`` standing for one ``"``
inside).  A quoted field cannot span lines.  A UTF-8 byte order mark before
the header is dropped.

===================================  ==========================================
``parse_table(text, delimiter)``     the text as a ``Table``: the header's
                                     names and each row's cells, still text
``Table.numbers(columns)``           those columns as a Matrix of floats
``Table.labels(column)``             a column of answers: numbers when every
                                     cell is one, else the cells as strings
``Table.without_missing(columns)``   the rows whose cells in ``columns`` are
                                     all there, and the lines left out
``decode(data, name)``               a file's bytes as text (UTF-8)
``delimiter_for(path)``              a tab for ``.tsv`` and ``.tab``, else a comma
===================================  ==========================================

Only the columns asked for are read as numbers, so a table may hold text
(an ID, a name, the class as a word) in columns that are not used.

What is a number
----------------
A cell is a number when it is written as CSV files write numbers: ASCII
digits, an optional sign, an optional decimal point and an optional exponent
(``12``, ``-0.5``, ``.25``, ``1e-3``, ``+7.``).  Python's ``float()`` accepts
more, which a CSV file does not mean as numbers: ``1_000`` (a digit
separator), digits of other scripts (``١٢``, ``１２``), and the words ``nan``
and ``inf``.  Here those are not numbers, and a number too large for a float
(``1e999``, a 5,000-digit integer) is refused as such.

A **missing value** is a cell that is empty or holds one of ``MISSING``:
``NA``, ``N/A``, ``NaN``, ``null``, ``None``, ``?`` or ``#N/A``, in any mix
of upper and lower case.  These are what R, pandas, spreadsheets and the UCI
data sets write for a gap.  A missing value where a number or a label is
needed is a ``DataError`` naming the line and the column;
``without_missing`` leaves such rows out instead.

Every problem is a ``DataError`` naming the line (counted from 1, as an
editor shows it, blank lines included) and the column.

>>> table = parse_table('id,height,class\\nann,1.70,tall\\nbob,1.60,short\\n')
>>> table.names
['id', 'height', 'class']
>>> table.numbers([1])
Matrix([[1.7], [1.6]])
>>> table.labels(2)
['tall', 'short']
>>> table.numbers([0])
Traceback (most recent call last):
...
tinynet.errors.DataError: line 2, column 'id': 'ann' is not a number
"""

import math

from .checks import describe, quote
from .errors import ConfigError, DataError
from .matrix import Matrix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Sequence, Tuple, Union

    Label = Union[int, float, str]

# The cells that mean "no value here" (besides an empty one), as messages show
# them; they are compared in lower case.
MISSING_NAMES = ("NA", "N/A", "NaN", "null", "None", "?", "#N/A")
MISSING = ("",) + tuple(name.lower() for name in MISSING_NAMES)

# Every character of a number as a CSV file writes it.
NUMBER_CHARACTERS = "0123456789.+-eE"

# Whole numbers with at most this many digits become ints; longer ones are
# read as floats (an int of more than 4300 digits cannot even be parsed).
LONGEST_INT = 18


def is_missing(cell: str) -> bool:
    """True for an empty cell or one of ``MISSING`` (in any case)."""
    return not cell or cell.lower() in MISSING


def delimiter_for(path: str) -> str:
    """The delimiter a file's name suggests: a tab for ``.tsv`` and ``.tab``, else a comma."""
    lowered = path.lower()
    return "\t" if lowered.endswith(".tsv") or lowered.endswith(".tab") else ","


def check_delimiter(delimiter: object) -> str:
    """``delimiter`` if it can separate fields, or ConfigError.

    One character that cannot be part of a number or of a line end, and not
    the double quote.
    """
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise ConfigError("the delimiter must be one character, such as ',' or a tab, got %s"
                          % describe(delimiter))
    if delimiter in NUMBER_CHARACTERS or delimiter in '"\r\n' or delimiter.isalpha():
        raise ConfigError("the delimiter cannot be %r: it would split numbers, quotes or lines"
                          % delimiter)
    return delimiter


def decode(data: bytes, name: str) -> str:
    """``data`` as text, or a DataError naming ``name`` and what is wrong.

    The text must be UTF-8 (ASCII is UTF-8 too).  A file saved as UTF-16
    (which Windows tools call "Unicode") is recognised by its byte order
    mark and named as such.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise DataError("%s is UTF-16 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet)" % name)
    if b"\x00" in data:
        raise DataError("%s holds NUL bytes, so it is not UTF-8 text (a binary file, or UTF-16 "
                        "without a byte order mark); save it as UTF-8" % name)
    try:
        return data.decode("utf-8")
    except UnicodeError as error:
        start = getattr(error, "start", None)  # MicroPython's error does not say where
        if start is None:
            raise DataError("%s is not UTF-8 text; save it as UTF-8" % name)
        line = data.count(b"\n", 0, start) + 1
        raise DataError("%s is not UTF-8 text: line %d holds the byte 0x%02x, which UTF-8 "
                        "does not allow there; save the file as UTF-8"
                        % (name, line, data[start]))


def split_line(line: str, line_number: int, delimiter: str = ",") -> "List[str]":
    """The fields of one CSV line, unquoted and stripped of surrounding spaces."""
    if '"' not in line:
        return [field.strip() for field in line.split(delimiter)]
    blank = " \t".replace(delimiter, "")  # what may surround a quoted field
    fields: "List[str]" = []
    position, end = 0, len(line)
    while True:
        while position < end and line[position] in blank:
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
            while position < end and line[position] in blank:
                position += 1
            if position < end and line[position] != delimiter:
                raise DataError(
                    "line %d, field %d: unexpected text %s after the closing quote"
                    % (line_number, len(fields) + 1, quote(line[position:]))
                )
            fields.append("".join(parts))
        else:
            cut = line.find(delimiter, position)
            if cut < 0:
                cut = end
            fields.append(line[position:cut].strip())
            position = cut
        if position >= end:
            return fields
        position += 1  # step over the delimiter


def number(cell: str) -> "Optional[float]":
    """The cell as a finite float if it is written as a CSV number, else None."""
    if cell.strip(NUMBER_CHARACTERS):  # a character no number has
        return None
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_number(cell: str, where: str) -> float:
    """The cell as a finite float, or a DataError starting with ``where`` that says why not."""
    value = number(cell)
    if value is not None:
        return value
    if not cell:
        raise DataError("%s: the cell is empty" % where)
    if is_missing(cell):
        raise DataError("%s: %s marks a missing value" % (where, quote(cell)))
    if not cell.strip(NUMBER_CHARACTERS):
        try:
            float(cell)
        except ValueError:  # the right characters in a wrong order: "1e", "+-1", "1.2.3"
            raise DataError("%s: %s is not a number" % (where, quote(cell)))
        raise DataError("%s: %s is too large for a float"
                        % (where, quote(cell)))
    if cell.lower().lstrip("+-") in ("inf", "infinity"):
        raise DataError("%s: %s is not a finite number; infinity cannot be learned from"
                        % (where, quote(cell)))
    raise DataError("%s: %s is not a number%s" % (where, quote(cell), _why_not(cell)))


def _why_not(cell: str) -> str:
    """A hint for a cell that is no number: what it looks like instead, or nothing."""
    if cell.count(",") == 1 and number(cell.replace(",", ".")) is not None:
        return " (CSV numbers write decimals with a point: %s)" % cell.replace(",", ".")
    if number(_first_field(cell)) is not None:
        return " (%s)" % _other_delimiter(cell)
    if "_" in cell and number(cell.replace("_", "")) is not None:
        return " (CSV numbers have no '_' separators)"
    if any(char > "\x7f" for char in cell):
        return " (only the ASCII digits 0-9 make a number)"
    return ""


# Delimiters a file may use instead of the one given, and their names in messages.
OTHER_DELIMITERS = (("\t", "a tab"), (";", "';'"), ("|", "'|'"), (",", "','"))


def _first_field(text: str) -> str:
    """What comes before the first of ``OTHER_DELIMITERS`` in ``text`` (all of it if none)."""
    for separator, _ in OTHER_DELIMITERS:
        if separator in text:
            return text.split(separator)[0].strip()
    return "-"  # no number: no other delimiter found


def _other_delimiter(text: str) -> str:
    """``the fields seem to be separated by ';': give that as the delimiter``, or ``""``."""
    for separator, name in OTHER_DELIMITERS:
        if separator in text:
            return "the fields seem to be separated by %s: give that as the delimiter" % name
    return ""


def _is_whole(cell: str) -> bool:
    """True for a whole number short enough to be an int: digits with an optional sign."""
    digits = cell[1:] if cell[:1] in ("+", "-") else cell
    return 0 < len(digits) <= LONGEST_INT and not digits.strip("0123456789")


class Table:
    """A CSV table as text: the header's names and each data row's cells.

    ``names`` are the column names, ``rows`` the cells of each data row (one
    str per column), ``line_numbers`` the line each row came from and
    ``header_line`` the header's.  Nothing is a number until asked for.
    """

    __slots__ = ("names", "rows", "line_numbers", "header_line")

    def __init__(self, names: "List[str]", rows: "List[List[str]]",
                 line_numbers: "List[int]", header_line: int) -> None:
        self.names = names
        self.rows = rows
        self.line_numbers = line_numbers
        self.header_line = header_line

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return "<Table of %d rows: %s>" % (len(self.rows), ", ".join(self.names))

    def column(self, name: str, what: str = "column") -> int:
        """The index of the column ``name``, or a DataError listing the columns there are.

        ``what`` names the column's role in the message (``target column``).
        """
        if not isinstance(name, str):
            raise ConfigError("a %s is given by its name (a str), got %s" % (what, describe(name)))
        for j, known in enumerate(self.names):
            if known == name:
                return j
        message = "%s %s not found; the columns are %s" % (
            what, quote(name), ", ".join(quote(known) for known in self.names))
        for known in self.names:
            if known.lower() == name.strip().lower():
                message += " (did you mean %s?)" % quote(known)
                break
        if len(self.names) == 1 and _other_delimiter(self.names[0]):
            message += "; " + _other_delimiter(self.names[0])
        if all(number(known) is not None for known in self.names):
            message += ("; line %d looks like data, not a header: the file needs a first "
                        "line naming the columns" % self.header_line)
        raise DataError(message)

    def where(self, i: int, j: int) -> str:
        """``line 7, column 'age'``: where row ``i``'s cell ``j`` is in the file."""
        return "line %d, column %s" % (self.line_numbers[i], quote(self.names[j]))

    def numbers(self, columns: "Sequence[int]") -> Matrix:
        """The cells of ``columns`` (indices, in the order wanted) as a Matrix of floats."""
        rows = []
        for i, cells in enumerate(self.rows):
            row = []
            for j in columns:
                value = number(cells[j])
                if value is None:
                    value = parse_number(cells[j], self.where(i, j))  # raises, saying why
                row.append(value)
            rows.append(row)
        return Matrix.wrap(rows, len(columns))

    def labels(self, column: int) -> "List[Label]":
        """The cells of ``column`` as answers: class labels or numbers to predict.

        Ints when every cell is a whole number (``0``, ``-3``; at most
        ``LONGEST_INT`` digits), floats when every cell is a number and some
        are not whole (``0.5``, ``1e3``), and otherwise the cells as written
        (``setosa``): a column that holds words holds only words.  A missing
        value is a DataError, and so is a cell written with the characters
        of a number that is none (``1e``, ``1e999``) in a column of numbers.
        """
        cells = [cells[column] for cells in self.rows]
        for i, cell in enumerate(cells):
            if is_missing(cell):
                parse_number(cell, self.where(i, column))  # the missing-value message
        if all(_is_whole(cell) for cell in cells):
            return [int(cell) for cell in cells]
        if all(not cell.strip(NUMBER_CHARACTERS) for cell in cells):
            return [parse_number(cell, self.where(i, column)) for i, cell in enumerate(cells)]
        words: "List[Label]" = list(cells)
        return words

    def without_missing(self, columns: "Sequence[int]") -> "Tuple[Table, List[int]]":
        """This table without the rows that miss a value in ``columns``, and their line numbers."""
        kept: "List[List[str]]" = []
        lines: "List[int]" = []
        dropped: "List[int]" = []
        for cells, line in zip(self.rows, self.line_numbers):
            if any(is_missing(cells[j]) for j in columns):
                dropped.append(line)
            else:
                kept.append(cells)
                lines.append(line)
        return Table(self.names, kept, lines, self.header_line), dropped

    def first_missing(self, columns: "Sequence[int]") -> "Optional[Tuple[int, int]]":
        """``(row, column)`` of the first missing value in ``columns``, or None."""
        for i, cells in enumerate(self.rows):
            for j in columns:
                if is_missing(cells[j]):
                    return i, j
        return None


def parse_table(text: str, delimiter: str = ",") -> Table:
    """The CSV ``text`` as a ``Table``; a DataError for a malformed header or row.

    The first non-blank line is the header: every column needs a name, and
    no name may appear twice.  Every row needs as many fields as the header.
    """
    if not isinstance(text, str):
        raise DataError("CSV text must be a str, got %s" % describe(text))
    check_delimiter(delimiter)
    if text[:1] == "\ufeff":  # the byte order mark some editors write first
        text = text[1:]
    # A file from an old Mac ends its lines with \r alone.
    lines = text.split("\n") if "\n" in text or "\r" not in text else text.split("\r")
    numbered = [(i + 1, line.rstrip("\r")) for i, line in enumerate(lines) if line.strip()]
    if not numbered:
        raise DataError("the CSV is empty: it needs a header line and at least one row of numbers")

    header_line, header = numbered[0]
    names = split_line(header, header_line, delimiter)
    first_seen: "Dict[str, int]" = {}
    for j, name in enumerate(names):
        if not name:
            raise DataError("line %d: column %d of the header has no name" % (header_line, j + 1))
        if name in first_seen:
            raise DataError("line %d: the column name %s appears twice (columns %d and %d)"
                            % (header_line, quote(name), first_seen[name] + 1, j + 1))
        first_seen[name] = j
    if len(numbered) == 1:
        raise DataError("the CSV has a header (line %d) but no rows of data" % header_line)

    rows = []
    for number, line in numbered[1:]:
        fields = split_line(line, number, delimiter)
        if len(fields) != len(names):
            message = "line %d has %d fields, but the header (line %d) has %d" % (
                number, len(fields), header_line, len(names))
            raise DataError(message)
        rows.append(fields)
    return Table(names, rows, [number for number, _ in numbered[1:]], header_line)

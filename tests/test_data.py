"""Tests for tinynet.data: the CSV reader, the train/test split, the scaler and one_hot."""

import json
import math
import statistics

import pytest

import mpy
from tinynet import ConfigError, DataError, Matrix, NotFittedError, Random, ShapeError, Vector
from tinynet.data import StandardScaler, one_hot, read_csv, read_csv_text, train_test_split

# --- read_csv_text: what comes back ----------------------------------------------


def test_target_column_becomes_y_and_the_rest_become_x_in_file_order():
    X, y, names = read_csv_text("a,label,b\n1,0,2\n3,1,4\n5,2,6\n", target="label")
    assert names == ["a", "b"]
    assert X == Matrix([[1, 2], [3, 4], [5, 6]])
    assert y == [0, 1, 2]


def test_whole_number_labels_come_back_as_ints():
    _, y, _ = read_csv_text("x,y\n1,0\n2,-3\n3,+2\n", target="y")
    assert y == [0, -3, 2]
    assert all(type(v) is int for v in y)


def test_a_target_with_any_decimal_point_or_exponent_comes_back_as_floats():
    for column in (["1", "2.0"], ["1", "1e3"], ["0.5", "2"]):
        text = "x,y\n" + "".join("%d,%s\n" % (i, v) for i, v in enumerate(column))
        _, y, _ = read_csv_text(text, target="y")
        assert y == [float(v) for v in column]
        assert all(type(v) is float for v in y)


def test_without_a_target_every_column_is_a_feature_and_y_is_none():
    X, y, names = read_csv_text("a,b,c\n1,2,3\n4,5,6\n")
    assert y is None
    assert names == ["a", "b", "c"]
    assert X == Matrix([[1, 2, 3], [4, 5, 6]])


def test_values_are_parsed_as_python_floats():
    X, _, _ = read_csv_text("a,b,c\n-1.5e-3, .25 ,7\n")
    assert X.rows == [[-0.0015, 0.25, 7.0]]


def test_spaces_around_fields_and_names_are_ignored():
    X, y, names = read_csv_text("  a ,\tb  , t \n 1 ,2\t, 0 \n", target="t")
    assert names == ["a", "b"]
    assert X.rows == [[1.0, 2.0]]
    assert y == [0]


def test_crlf_line_endings_are_read_like_lf():
    text = "a,b,y\r\n1,2,0\r\n3,4,1\r\n"
    assert read_csv_text(text, "y") == read_csv_text(text.replace("\r\n", "\n"), "y")
    X, y, names = read_csv_text(text, "y")
    assert names == ["a", "b"] and y == [0, 1] and X.rows == [[1.0, 2.0], [3.0, 4.0]]


def test_a_last_line_without_a_newline_is_read():
    X, _, _ = read_csv_text("a\n1\n2")
    assert X.rows == [[1.0], [2.0]]


def test_blank_lines_are_skipped_anywhere():
    X, _, _ = read_csv_text("\n\na,b\n1,2\n\n   \n3,4\r\n\r\n\n")
    assert X.rows == [[1.0, 2.0], [3.0, 4.0]]


def test_a_byte_order_mark_before_the_header_is_dropped():
    _, _, names = read_csv_text("\ufeffa,b\n1,2\n")
    assert names == ["a", "b"]


def test_quoted_header_names_keep_commas_and_doubled_quotes_become_one():
    text = 'id,"length, in cm","say ""hi""", "tab\tinside" \n1,2,3,4\n'
    X, _, names = read_csv_text(text)
    assert names == ["id", "length, in cm", 'say "hi"', "tab\tinside"]
    assert X.rows == [[1.0, 2.0, 3.0, 4.0]]


def test_a_quoted_target_name_is_matched_without_its_quotes():
    _, y, names = read_csv_text('"x 1","the ""class"""\n1.5,1\n', target='the "class"')
    assert names == ["x 1"] and y == [1]


def test_quoted_numbers_in_data_rows_are_numbers():
    X, _, _ = read_csv_text('a,b\n"1.5", "2"\n')
    assert X.rows == [[1.5, 2.0]]


def test_an_empty_quoted_header_name_is_refused():
    with pytest.raises(DataError, match=r"line 1: column 2 of the header has no name"):
        read_csv_text('a,""\n1,2\n')


# --- read_csv_text: errors name the line and column ---------------------------------


def test_missing_target_lists_the_available_columns():
    with pytest.raises(DataError) as caught:
        read_csv_text("sepal,petal\n1,2\n", target="species")
    message = str(caught.value)
    assert "target column 'species' not found" in message
    assert "'sepal', 'petal'" in message


def test_missing_target_suggests_a_name_differing_only_in_case():
    with pytest.raises(DataError, match=r"did you mean 'Species'\?"):
        read_csv_text("x,Species\n1,2\n", target="species")


def test_missing_target_in_a_file_without_header_says_line_1_looks_like_data():
    with pytest.raises(DataError, match=r"line 1 looks like data, not a header"):
        read_csv_text("5.1,3.5,0\n4.9,3.0,0\n", target="label")
    with pytest.raises(DataError, match=r"line 3 looks like data, not a header"):
        read_csv_text("\n\n5.1,3.5,0\n4.9,3.0,0\n", target="label")


def test_missing_target_does_not_call_a_real_header_data():
    with pytest.raises(DataError) as caught:
        read_csv_text("x1,2\n5.1,3.5\n", target="label")
    assert "looks like data" not in str(caught.value)


def test_empty_cell_names_line_and_column():
    with pytest.raises(DataError, match=r"^line 3, column 'b': the cell is empty$"):
        read_csv_text("a,b\n1,2\n3,\n")


def test_empty_quoted_cell_is_an_empty_cell():
    with pytest.raises(DataError, match=r"^line 2, column 'a': the cell is empty$"):
        read_csv_text('a,b\n"",2\n')


def test_non_numeric_cell_is_quoted_in_the_message():
    with pytest.raises(DataError, match=r"^line 2, column 'b': 'setosa' is not a number$"):
        read_csv_text("a,b\n1,setosa\n")


def test_a_target_column_holding_words_comes_back_as_the_words():
    _, y, _ = read_csv_text('x,y\n1,0\n2,yes\n3," no "\n4,"a, b"\n', target="y")
    assert y == ["0", "yes", " no ", "a, b"]  # one word makes every label text
    assert all(type(v) is str for v in y)


@pytest.mark.parametrize("column, expected", [
    (["1", "-2", "+3"], [1, -2, 3]),
    (["1", "2.5"], [1.0, 2.5]),
    (["1e3", "7"], [1000.0, 7.0]),
    # Longer than 18 digits: a float, never an int that could hit Python's limit.
    (["1" * 19, "2"], [float("1" * 19), 2.0]),
    (["setosa", "1.5"], ["setosa", "1.5"]),
    (["1_000", "2"], ["1_000", "2"]),  # not a number, so a word
])
def test_the_type_of_the_labels_follows_the_whole_column(column, expected):
    text = "x,y\n" + "".join("%d,%s\n" % (i, v) for i, v in enumerate(column))
    _, y, _ = read_csv_text(text, target="y")
    assert y == expected
    assert [type(v) for v in y] == [type(v) for v in expected]


@pytest.mark.parametrize("cell, message", [
    ("NA", "'NA' marks a missing value"), ("?", "'?' marks a missing value"),
    ("", "the cell is empty"), ("1e999", "'1e999' is too large for a float"),
    ("1" * 5000, "is too large for a float"), ("1e", "'1e' is not a number"),
])
def test_a_target_cell_that_is_missing_or_no_float_is_refused(cell, message):
    with pytest.raises(DataError) as caught:
        read_csv_text("x,y\n1,0\n2,%s\n" % cell, target="y")
    assert str(caught.value).startswith("line 3, column 'y': ")
    assert message in str(caught.value)


def test_long_bad_values_are_shortened_in_the_message():
    with pytest.raises(DataError) as caught:
        read_csv_text("a\n" + "z" * 500 + "\n")
    assert len(str(caught.value)) < 100
    assert "zzz..." in str(caught.value)


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "+INF"])
def test_infinite_values_are_refused(value):
    with pytest.raises(DataError) as caught:
        read_csv_text("a,b\n1,2\n3,%s\n" % value)
    assert str(caught.value) == (
        "line 3, column 'b': %r is not a finite number; infinity cannot be learned from" % value)


@pytest.mark.parametrize("value", ["NA", "na", "N/A", "n/a", "NaN", "nan", "NAN", "null", "NULL",
                                   "None", "?", "#N/A", '""', '"NA"'])
def test_missing_values_are_named_as_such(value):
    with pytest.raises(DataError) as caught:
        read_csv_text("a,b\n1,2\n3,%s\n" % value)
    shown = value.strip('"')
    expected = "the cell is empty" if not shown else "%r marks a missing value" % shown
    assert str(caught.value) == "line 3, column 'b': " + expected


@pytest.mark.parametrize("value, reason", [
    ("1_000", " (CSV numbers have no '_' separators)"),
    ("1_0.5e1_0", " (CSV numbers have no '_' separators)"),
    ("\uff11\uff12", " (only the ASCII digits 0-9 make a number)"),   # full-width 12
    ("\u0661\u0662", " (only the ASCII digits 0-9 make a number)"),   # Arabic-Indic 12
    ("0x10", ""), ("1e", ""), ("--1", ""), ("1.2.3", ""), ("_1", " (CSV numbers have no '_' separators)"), ("e1", ""),
    ("1,5", " (CSV numbers write decimals with a point: 1.5)"),
    ("1,2,3", " (the fields seem to be separated by ',': give that as the delimiter)"),
    ("1\t2", " (the fields seem to be separated by a tab: give that as the delimiter)"),
    ("1;2", " (the fields seem to be separated by ';': give that as the delimiter)"),
])
def test_what_float_accepts_beyond_a_csv_number_is_refused(value, reason):
    with pytest.raises(DataError) as caught:
        read_csv_text('a,b\n1,2\n3,"%s"\n' % value)
    assert str(caught.value) == "line 3, column 'b': %r is not a number%s" % (value, reason)


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_cell_of_thousands_of_digits_is_too_large_not_a_crash(digits):
    with pytest.raises(DataError, match=r"^line 2, column 'a': '1111.*' is too large for a float"):
        read_csv_text("a,b\n%s,2\n" % ("1" * digits))
    # And a long number with a small value is just a number.
    X, _, _ = read_csv_text("a\n0.%s\n" % ("1" * digits))
    assert X.rows == [[float("0." + "1" * digits)]]


def test_plain_numbers_in_every_spelling_csv_files_use_are_read():
    X, _, _ = read_csv_text("a,b,c,d,e,f,g\n12,-0.5,.25,+7.,1e-3,1E+3,-0\n")
    assert X.rows == [[12.0, -0.5, 0.25, 7.0, 0.001, 1000.0, -0.0]]


def test_a_delimiter_can_be_a_tab_or_a_semicolon():
    expected = read_csv_text('a,"b c",y\n1,2,0\n3,4,1\n', target="y")
    assert read_csv_text('a\t"b c"\ty\n1\t2\t0\n3\t 4 \t1\n', "y", delimiter="\t") == expected
    assert read_csv_text('a;"b c";y\n1;2;0\n3;4;1\n', "y", delimiter=";") == expected
    # The comma is then part of a field, and a quoted field keeps its tab.
    _, y, _ = read_csv_text('x\ty\n1\t"a\tb, c"\n', "y", delimiter="\t")
    assert y == ["a\tb, c"]


@pytest.mark.parametrize("delimiter", ["", ",,", "1", ".", "-", "e", '"', "\n", "a", None])
def test_a_delimiter_that_cannot_separate_fields_is_refused(delimiter):
    with pytest.raises(ConfigError, match=r"delimiter"):
        read_csv_text("a,b\n1,2\n", delimiter=delimiter)


def test_a_tab_separated_file_read_with_commas_gets_a_hint():
    with pytest.raises(DataError, match=r"separated by a tab: give that as the delimiter"):
        read_csv_text("a\tb\n1\t2\n3\t4\n")


def test_features_picks_columns_by_name_and_leaves_the_others_unread():
    text = "id,b,name,a,y\nA1,2,ann,1,cat\nB2,4,bob,3,dog\n"
    X, y, names = read_csv_text(text, "y", features=["a", "b"])
    assert names == ["a", "b"] and X.rows == [[1.0, 2.0], [3.0, 4.0]] and y == ["cat", "dog"]
    X, y, names = read_csv_text(text, features=["b"])
    assert names == ["b"] and X.rows == [[2.0], [4.0]] and y is None
    with pytest.raises(DataError, match=r"^feature column 'c' not found; the columns are 'id'"):
        read_csv_text(text, "y", features=["a", "c"])
    with pytest.raises(ConfigError, match=r"the target 'y' is one of the features"):
        read_csv_text(text, "y", features=["a", "y"])
    with pytest.raises(ConfigError, match=r"features names a column twice"):
        read_csv_text(text, "y", features=["a", "a"])
    for bad in ("a", [], None if False else 3):
        with pytest.raises(ConfigError, match=r"features must be a non-empty list"):
            read_csv_text(text, "y", features=bad)  # type: ignore[arg-type]


def test_a_file_with_carriage_returns_only_is_read_line_by_line():
    assert read_csv_text("a,y\r1,0\r2,1\r", "y") == read_csv_text("a,y\n1,0\n2,1\n", "y")


def test_a_row_with_too_many_fields_says_how_many():
    with pytest.raises(DataError, match=r"^line 3 has 3 fields, but the header \(line 1\) has 2$"):
        read_csv_text("a,b\n1,2\n3,4,5\n")


def test_a_row_with_too_few_fields_says_how_many():
    with pytest.raises(DataError, match=r"^line 2 has 1 fields, but the header \(line 1\) has 2$"):
        read_csv_text("a,b\n1\n")


def test_a_trailing_comma_is_an_extra_field():
    with pytest.raises(DataError, match=r"line 2 has 3 fields"):
        read_csv_text("a,b\n1,2,\n")


def test_line_numbers_count_skipped_blank_lines_and_crlf():
    with pytest.raises(DataError, match=r"^line 6, column 'a': 'x' is not a number$"):
        read_csv_text("\r\na,b\r\n1,2\r\n\r\n\r\nx,2\r\n")


@pytest.mark.parametrize("text", ["", "\n", "  \r\n\r\n", "\ufeff"])
def test_an_empty_text_is_refused(text):
    with pytest.raises(DataError, match=r"the CSV is empty"):
        read_csv_text(text)


@pytest.mark.parametrize("text", ["a,b", "a,b\n", "a,b\r\n\r\n  \n"])
def test_a_header_without_rows_is_refused(text):
    with pytest.raises(DataError, match=r"the CSV has a header \(line 1\) but no rows of data"):
        read_csv_text(text, target="b")


def test_a_duplicate_column_name_is_refused_with_both_positions():
    with pytest.raises(DataError, match=r"line 1: the column name 'a' appears twice \(columns 1 and 3\)"):
        read_csv_text("a,b,a\n1,2,3\n")


def test_an_empty_header_name_is_refused():
    with pytest.raises(DataError, match=r"^line 1: column 2 of the header has no name$"):
        read_csv_text("a,,c\n1,2,3\n")


def test_an_unclosed_quote_is_refused():
    with pytest.raises(DataError, match=r"^line 1, field 2: the quoted field is not closed"):
        read_csv_text('a,"b\n1,2\n')


def test_text_after_a_closing_quote_is_refused():
    with pytest.raises(DataError, match=r"""^line 1, field 1: unexpected text 'x",b' after the closing quote$"""):
        read_csv_text('"a"x",b\n1,2\n')


def test_a_file_holding_only_the_target_column_has_no_features():
    with pytest.raises(DataError, match=r"the only column is the target 'y': there are no features"):
        read_csv_text("y\n1\n", target="y")


def test_text_that_is_not_a_string_is_refused():
    with pytest.raises(DataError, match=r"CSV text must be a str"):
        read_csv_text(b"a\n1\n")  # type: ignore[arg-type]


def test_a_target_that_is_not_a_name_is_a_config_error():
    with pytest.raises(ConfigError, match=r"target must be a column name"):
        read_csv_text("a,b\n1,2\n", target=1)  # type: ignore[call-overload]


def test_a_header_of_50000_columns_is_read_in_linear_time():
    # The duplicate-name check looks names up in a dict; comparing each name
    # with all those before it took 60 s here, and 467 s at 200,000 columns.
    n = 50000
    text = ",".join("c%d" % j for j in range(n)) + "\n" + ",".join(str(j) for j in range(n)) + "\n"
    X, y, names = read_csv_text(text, target="c7")
    assert X.shape == (1, n - 1) and y == [7] and names[7] == "c8"
    header = ",".join("c%d" % j for j in range(n)) + ",c3"
    with pytest.raises(DataError, match=r"the column name 'c3' appears twice \(columns 4 and 50001\)"):
        read_csv_text(header + "\n" + ",".join(["1"] * (n + 1)) + "\n")


def test_a_table_keeps_its_cells_as_text_and_its_line_numbers():
    from tinynet.table import parse_table

    table = parse_table("\nid,x,y\n\nA,1,cat\nB,NA,dog\nC,3,\n")
    assert table.names == ["id", "x", "y"] and table.header_line == 2
    assert table.rows == [["A", "1", "cat"], ["B", "NA", "dog"], ["C", "3", ""]]
    assert table.line_numbers == [4, 5, 6] and len(table) == 3
    assert table.first_missing([0]) is None
    assert table.first_missing([0, 2]) == (2, 2)
    assert table.first_missing([1, 2]) == (1, 1)
    kept, dropped = table.without_missing([1])
    assert kept.rows == [["A", "1", "cat"], ["C", "3", ""]] and kept.line_numbers == [4, 6]
    assert dropped == [5] and len(table) == 3  # the table itself is unchanged
    with pytest.raises(DataError, match=r"^line 5, column 'x': 'NA' marks a missing value$"):
        table.numbers([1])
    assert kept.numbers([1]).rows == [[1.0], [3.0]]
    with pytest.raises(DataError, match=r"^line 6, column 'y': the cell is empty$"):
        table.labels(2)


# --- read_csv: files -----------------------------------------------------------------


def test_read_csv_reads_a_crlf_utf8_file_byte_for_byte(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes('"größe (cm)",label\r\n170.5,1\r\n160,0\r\n\r\n'.encode("utf-8"))
    X, y, names = read_csv(str(path), target="label")
    assert names == ["größe (cm)"]
    assert X.rows == [[170.5], [160.0]]
    assert y == [1, 0]


def test_read_csv_gives_the_same_as_read_csv_text(tmp_path):
    text = "a,b,c\n1,2,3\n4,5,6\n"
    path = tmp_path / "data.csv"
    path.write_text(text)
    assert read_csv(str(path)) == read_csv_text(text)
    assert read_csv(str(path), "b") == read_csv_text(text, "b")


def test_read_csv_errors_start_with_the_path(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3,oops\n")
    with pytest.raises(DataError) as caught:
        read_csv(str(path))
    assert str(caught.value) == "%s: line 3, column 'b': 'oops' is not a number" % path


def test_read_csv_of_a_missing_file_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        read_csv(str(tmp_path / "nowhere.csv"))


@pytest.mark.parametrize("data, message", [
    ("a,b\n1,2\n".encode("utf-16"),
     "is UTF-16 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet)"),
    ("a,b\n1,2\n".encode("utf-16-be"), "holds NUL bytes, so it is not UTF-8 text (a binary "
                                        "file, or UTF-16 without a byte order mark); save it as UTF-8"),
    (b"a,b\n1,2\n3,\xe9\n", "is not UTF-8 text: line 3 holds the byte 0xe9, which UTF-8 "
                            "does not allow there; save the file as UTF-8"),
])
def test_read_csv_of_a_file_that_is_not_utf8_is_a_data_error(tmp_path, data, message):
    path = tmp_path / "data.csv"
    path.write_bytes(data)
    with pytest.raises(DataError) as caught:
        read_csv(str(path))
    assert str(caught.value) == "%s %s" % (path, message)


def test_read_csv_drops_a_utf8_byte_order_mark_and_reads_crlf(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"\xef\xbb\xbfa,y\r\n1,0\r\n2,1\r\n")
    assert read_csv(str(path), "y") == (Matrix([[1.0], [2.0]]), [0, 1], ["a"])


@pytest.mark.parametrize("name", ["data.tsv", "DATA.TSV", "data.tab"])
def test_read_csv_takes_tabs_for_a_tsv_or_tab_file(tmp_path, name):
    path = tmp_path / name
    path.write_text("a\tb c\ty\n1\t2\tx\n")
    assert read_csv(str(path), "y") == (Matrix([[1.0, 2.0]]), ["x"], ["a", "b c"])
    # An explicit delimiter wins.
    path.write_text("a;y\n1;x\n")
    assert read_csv(str(path), "y", delimiter=";") == (Matrix([[1.0]]), ["x"], ["a"])


# --- train_test_split ------------------------------------------------------------------


def numbered_data(n):
    """Rows [i, -i] with target 10 * i: each sample can be traced through a split."""
    return [[float(i), float(-i)] for i in range(n)], [10 * i for i in range(n)]


@pytest.mark.parametrize("n, fraction, n_test", [(10, 0.25, 3), (8, 0.25, 2), (5, 0.5, 3),
                                                 (100, 0.2, 20), (3, 0.34, 1)])
def test_test_part_is_the_fraction_rounded_half_up(n, fraction, n_test):
    X, y = numbered_data(n)
    X_train, X_test, y_train, y_test = train_test_split(X, y, fraction)
    assert len(X_test) == len(y_test) == n_test
    assert len(X_train) == len(y_train) == n - n_test


def test_split_is_a_partition_that_keeps_rows_and_targets_together():
    X, y = numbered_data(20)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.3, seed=5)
    assert isinstance(X_train, Matrix) and isinstance(X_test, Matrix)
    for part_X, part_y in ((X_train, y_train), (X_test, y_test)):
        for row, target in zip(part_X.rows, part_y):
            assert row == [target / 10, -target / 10]
    assert sorted(y_train + y_test) == y


def test_split_follows_a_shuffle_by_tinynet_random_with_the_seed():
    X, y = numbered_data(12)
    order = list(range(12))
    Random(42).shuffle(order)
    _, _, y_train, y_test = train_test_split(X, y, 0.25, seed=42)
    assert y_test == [10 * i for i in order[:3]]
    assert y_train == [10 * i for i in order[3:]]


def test_same_seed_same_split_and_different_seed_different_split():
    X, y = numbered_data(30)
    first = train_test_split(X, y, seed=1)
    assert train_test_split(X, y, seed=1) == first
    assert train_test_split(X, y, seed=2)[3] != first[3]


def test_a_random_generator_can_be_passed_as_seed_and_is_advanced():
    X, y = numbered_data(30)
    rng = Random(7)
    first = train_test_split(X, y, seed=rng)
    second = train_test_split(X, y, seed=rng)
    assert first == train_test_split(X, y, seed=Random(7))
    assert second[3] != first[3]


def test_split_leaves_its_inputs_unchanged_and_shares_no_rows():
    X = Matrix([[1, 2], [3, 4], [5, 6], [7, 8]])
    y = [0, 1, 0, 1]
    X_train, X_test, _, _ = train_test_split(X, y, 0.5)
    X_train[0, 0] = 99.0
    X_test[0, 0] = 99.0
    assert X == Matrix([[1, 2], [3, 4], [5, 6], [7, 8]])
    assert y == [0, 1, 0, 1]


def test_a_matrix_of_targets_is_split_into_matrices_row_by_row():
    X, _ = numbered_data(10)
    Y = Matrix([[float(i), 2.0 * i] for i in range(10)])
    X_train, X_test, Y_train, Y_test = train_test_split(X, Y, 0.4, seed=3)
    assert isinstance(Y_train, Matrix) and isinstance(Y_test, Matrix)
    assert Y_test.shape == (4, 2) and Y_train.shape == (6, 2)
    for x_row, y_row in zip(X_train.rows + X_test.rows, Y_train.rows + Y_test.rows):
        assert y_row == [x_row[0], 2.0 * x_row[0]]


def test_stratified_split_keeps_each_class_share_exactly_when_it_divides():
    y = [0] * 60 + [1] * 30 + [2] * 10
    X = [[float(i)] for i in range(100)]
    for seed in range(5):
        _, _, y_train, y_test = train_test_split(X, y, 0.2, seed=seed, stratify=True)
        assert [y_test.count(c) for c in (0, 1, 2)] == [12, 6, 2]
        assert [y_train.count(c) for c in (0, 1, 2)] == [48, 24, 8]


def test_stratified_split_shares_stay_within_one_sample_of_exact():
    y = ["a"] * 7 + ["b"] * 3 + ["c"] * 11 + ["d"] * 2
    y = [y[(i * 5) % 23] for i in range(23)]  # interleave the classes
    X = [[float(i)] for i in range(23)]
    for fraction in (0.1, 0.25, 0.3, 0.5, 0.7):
        _, X_test, _, y_test = train_test_split(X, y, fraction, seed=11, stratify=True)
        n_test = int(math.floor(23 * fraction + 0.5))
        assert len(y_test) == len(X_test) == n_test
        for label in "abcd":
            exact = y.count(label) * n_test / 23
            assert abs(y_test.count(label) - exact) < 1


def test_stratified_ties_in_the_remainder_go_to_the_class_seen_first():
    y = [1, 0] * 5  # class 1 is seen first; 5 + 5 samples, 3 test places
    _, _, _, y_test = train_test_split([[0.0]] * 10, y, 0.3, stratify=True)
    assert sorted(y_test) == [0, 1, 1]


def test_stratified_split_picks_different_members_with_different_seeds():
    y = [0] * 10 + [1] * 10
    X = [[float(i)] for i in range(20)]
    tests = {tuple(sorted(train_test_split(X, y, 0.5, seed=s, stratify=True)[1].column(0)))
             for s in range(6)}
    assert len(tests) > 1


def test_stratified_split_is_much_better_than_chance_on_a_rare_class():
    y = [0] * 95 + [1] * 5
    X = [[float(i)] for i in range(100)]
    for seed in range(10):
        _, _, _, y_test = train_test_split(X, y, 0.2, seed=seed, stratify=True)
        assert y_test.count(1) == 1


def test_split_refuses_different_lengths_naming_both():
    with pytest.raises(ShapeError, match=r"^X has 3 rows but y has 2 values$"):
        train_test_split([[1], [2], [3]], [0, 1])


@pytest.mark.parametrize("fraction", [0, 0.0, 1, 1.0, -0.5, 1.5])
def test_split_refuses_a_fraction_outside_zero_to_one(fraction):
    with pytest.raises(ConfigError, match=r"test_fraction must be between 0 and 1 \(exclusive\), got"):
        train_test_split([[1], [2], [3], [4]], [0, 1, 0, 1], fraction)


@pytest.mark.parametrize("fraction", [True, "0.2", None])
def test_split_refuses_a_fraction_that_is_not_a_number(fraction):
    with pytest.raises(ConfigError, match=r"test_fraction must be a number"):
        train_test_split([[1], [2], [3], [4]], [0, 1, 0, 1], fraction)


def test_split_refuses_an_empty_test_part():
    with pytest.raises(DataError, match=r"test_fraction 0.1 of 4 samples leaves the test part empty"):
        train_test_split([[1], [2], [3], [4]], [0, 1, 0, 1], 0.1)


def test_split_refuses_an_empty_training_part():
    with pytest.raises(DataError, match=r"test_fraction 0.9 of 4 samples leaves the training part empty"):
        train_test_split([[1], [2], [3], [4]], [0, 1, 0, 1], 0.9)


def test_split_of_a_single_sample_is_refused():
    with pytest.raises(DataError, match=r"of 1 samples leaves the"):
        train_test_split([[1]], [0], 0.5)


def test_stratify_refuses_a_matrix_of_targets():
    with pytest.raises(ConfigError, match=r"stratify=True needs y as a list of class labels"):
        train_test_split([[1], [2]], Matrix([[1], [2]]), 0.5, stratify=True)


def test_stratify_refuses_unhashable_labels_naming_the_index():
    with pytest.raises(DataError, match=r"stratify needs class labels, but y\[1\] is \[1\] \(list\)"):
        train_test_split([[1], [2]], [0, [1]], 0.5, stratify=True)


@pytest.mark.parametrize("y", [None, 5, "ab"])
def test_split_refuses_y_that_is_not_a_list(y):
    with pytest.raises(DataError, match=r"y must be a list of labels or targets"):
        train_test_split([[1], [2]], y, 0.5)


def test_split_refuses_a_bad_seed():
    with pytest.raises(ConfigError, match=r"seed must be an int >= 0"):
        train_test_split([[1], [2]], [0, 1], 0.5, seed=-1)


def test_split_checks_x_like_a_matrix():
    with pytest.raises(ShapeError, match=r"ragged rows"):
        train_test_split([[1, 2], [3]], [0, 1], 0.5)


# --- StandardScaler ------------------------------------------------------------------


def test_scaler_learns_mean_and_population_std_by_hand():
    scaler = StandardScaler().fit([[1, 10], [2, 20], [3, 30], [4, 40]])
    # column 0: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / 4 = 1.25
    assert isinstance(scaler.mean, Vector) and isinstance(scaler.scale, Vector)
    assert scaler.mean.allclose(Vector([2.5, 25.0]))
    assert scaler.scale.allclose(Vector([math.sqrt(1.25), 10 * math.sqrt(1.25)]))


def test_scaler_agrees_with_the_statistics_module():
    rng = Random(3)
    rows = [[rng.normal(5.0, 2.0), rng.uniform(-1e3, 1e3), 1e6 + rng.uniform()] for _ in range(50)]
    scaler = StandardScaler().fit(rows)
    for j, column in enumerate(zip(*rows)):
        assert math.isclose(scaler.mean[j], statistics.fmean(column), rel_tol=1e-12)
        assert math.isclose(scaler.scale[j], statistics.pstdev(column), rel_tol=1e-9)


def test_transformed_columns_have_mean_zero_and_std_one():
    rng = Random(8)
    rows = [[rng.normal(100.0, 15.0), rng.uniform(0.0, 0.01)] for _ in range(40)]
    scaled = StandardScaler().fit_transform(rows)
    for column in zip(*scaled.rows):
        assert abs(statistics.fmean(column)) < 1e-12
        assert math.isclose(statistics.pstdev(column), 1.0, rel_tol=1e-12)


def test_transform_is_x_minus_mean_over_scale():
    scaler = StandardScaler().fit([[0, 0], [4, 10]])  # means 2, 5; stds 2, 5
    assert scaler.transform([[2, 5], [6, 0], [-2, 20]]) == Matrix([[0, 0], [2, -1], [-2, 3]])


def test_a_constant_column_gets_scale_one_and_maps_to_exactly_zero():
    # 0.1 * 3 / 3 is not exactly 0.1, so a sum-based mean would leave a tiny
    # nonzero deviation here; the scaler must give exactly 0.
    scaler = StandardScaler().fit([[0.1, 1.0], [0.1, 2.0], [0.1, 3.0]])
    assert scaler.mean[0] == 0.1 and scaler.scale[0] == 1.0
    assert scaler.transform([[0.1, 2.0]]).rows == [[0.0, 0.0]]
    assert scaler.transform([[1.1, 2.0]])[0, 0] == pytest.approx(1.0)


def test_a_single_row_fits_with_scale_one():
    scaler = StandardScaler().fit([[3.0, -4.0]])
    assert scaler.mean == Vector([3.0, -4.0]) and scaler.scale == Vector([1.0, 1.0])


def test_inverse_transform_undoes_transform():
    rng = Random(1)
    X = Matrix.random_normal(20, 3, mean=50.0, std=7.0, seed=rng)
    scaler = StandardScaler().fit(X)
    assert scaler.inverse_transform(scaler.transform(X)).allclose(X)
    assert scaler.inverse_transform([[0, 0, 0]]).rows == [scaler.mean.tolist()]


def test_fit_returns_the_scaler_and_fit_transform_equals_fit_then_transform():
    rows = [[1, 5], [2, 7], [9, 8]]
    scaler = StandardScaler()
    assert scaler.fit(rows) is scaler
    assert StandardScaler().fit_transform(rows) == StandardScaler().fit(rows).transform(rows)


def test_the_scaler_leaves_its_input_unchanged():
    X = Matrix([[1, 2], [3, 5]])
    StandardScaler().fit_transform(X)
    assert X == Matrix([[1, 2], [3, 5]])


def test_refitting_replaces_what_was_learned():
    scaler = StandardScaler().fit([[0], [2]])
    scaler.fit([[10, 1], [20, 1]])
    assert scaler.mean == Vector([15.0, 1.0])


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_using_the_scaler_before_fit_is_not_fitted_error(method):
    with pytest.raises(NotFittedError, match=r"StandardScaler is not fitted yet: call fit\(X\) first"):
        getattr(StandardScaler(), method)([[1.0]])


def test_to_dict_before_fit_is_not_fitted_error():
    with pytest.raises(NotFittedError, match=r"nothing to save"):
        StandardScaler().to_dict()


@pytest.mark.parametrize("method", ["transform", "inverse_transform"])
def test_wrong_column_count_names_both_counts(method):
    scaler = StandardScaler().fit([[1, 2, 3], [4, 5, 6]])
    with pytest.raises(ShapeError, match=r"StandardScaler\.%s: X has 2 columns but the scaler was fitted on 3" % method):
        getattr(scaler, method)([[1, 2]])


def test_fit_refuses_nan_naming_row_and_column():
    with pytest.raises(DataError, match=r"StandardScaler\.fit: row 1, column 0 is nan"):
        StandardScaler().fit([[1.0, 2.0], [float("nan"), 3.0]])


def test_transform_refuses_infinity():
    scaler = StandardScaler().fit([[1.0], [2.0]])
    with pytest.raises(DataError, match=r"StandardScaler\.transform: row 0, column 0 is inf"):
        scaler.transform([[math.inf]])


def test_scaler_repr_says_whether_it_is_fitted():
    assert repr(StandardScaler()) == "<StandardScaler, not fitted>"
    assert repr(StandardScaler().fit([[1, 2]])) == "<StandardScaler fitted on 2 columns>"


def test_scaler_round_trips_through_to_dict_json_and_from_dict():
    rng = Random(4)
    X = Matrix.random_uniform(15, 4, -3.0, 9.0, seed=rng)
    scaler = StandardScaler().fit(X)
    saved = scaler.to_dict()
    assert sorted(saved) == ["mean", "scale"]
    assert all(type(v) is float for v in saved["mean"] + saved["scale"])
    restored = StandardScaler.from_dict(json.loads(json.dumps(saved)))
    assert restored.mean == scaler.mean and restored.scale == scaler.scale
    assert restored.transform(X) == scaler.transform(X)


def test_to_dict_returns_new_lists():
    scaler = StandardScaler().fit([[1.0], [3.0]])
    scaler.to_dict()["mean"][0] = 99.0
    assert scaler.mean == Vector([2.0])


def test_from_dict_accepts_ints():
    scaler = StandardScaler.from_dict({"mean": [1, 2], "scale": [2, 4]})
    assert scaler.transform([[3, 6]]) == Matrix([[1.0, 1.0]])


@pytest.mark.parametrize("d, message", [
    ([1, 2], r"a saved StandardScaler must be a dict, got \[1, 2\] \(list\)"),
    ({"mean": [1.0]}, r"a saved StandardScaler needs the key 'scale'"),
    ({"scale": [1.0]}, r"a saved StandardScaler needs the key 'mean'"),
    ({"mean": [1.0], "scale": [1.0], "std": [1.0]}, r"unexpected key\(s\) 'std'; expected 'mean' and 'scale'"),
    ({"mean": 1.0, "scale": [1.0]}, r"StandardScaler 'mean' must be a non-empty list of numbers, got 1.0 \(float\)"),
    ({"mean": [], "scale": []}, r"StandardScaler 'mean' must be a non-empty list"),
    ({"mean": [1.0, "2"], "scale": [1.0, 1.0]}, r"StandardScaler 'mean', position 1 holds '2' \(str\), not a number"),
    ({"mean": [1.0, None], "scale": [1.0, 1.0]}, r"position 1 holds None"),
    ({"mean": [float("nan")], "scale": [1.0]}, r"StandardScaler 'mean', position 0 is nan; it must be a finite number"),
    ({"mean": [0.0], "scale": [0.0]}, r"StandardScaler 'scale', position 0 is 0.0; it must be a positive finite number"),
    ({"mean": [0.0, 0.0], "scale": [1.0, -2.0]}, r"'scale', position 1 is -2.0; it must be a positive"),
    ({"mean": [0.0], "scale": [math.inf]}, r"'scale', position 0 is inf"),
])
def test_from_dict_refuses_bad_content_with_a_data_error(d, message):
    with pytest.raises(DataError, match=message):
        StandardScaler.from_dict(d)


def test_from_dict_refuses_mismatched_lengths_with_a_shape_error():
    with pytest.raises(ShapeError, match=r"StandardScaler has 2 means but 1 scales"):
        StandardScaler.from_dict({"mean": [0.0, 1.0], "scale": [1.0]})


# --- one_hot -------------------------------------------------------------------------


def test_one_hot_puts_a_single_one_in_each_row_at_the_label():
    labels = [2, 0, 1, 2]
    expected = [[1.0 if j == label else 0.0 for j in range(3)] for label in labels]
    assert one_hot(labels).rows == expected


def test_one_hot_with_more_classes_than_seen_adds_zero_columns():
    assert one_hot([0, 1], n_classes=4) == Matrix([[1, 0, 0, 0], [0, 1, 0, 0]])


def test_one_hot_accepts_whole_floats_and_argmax_turns_rows_back_into_labels():
    labels = [1.0, 0, 3.0, 2]
    assert one_hot(labels).argmax() == [1, 0, 3, 2]


def test_one_hot_of_labels_read_from_csv():
    _, y, _ = read_csv_text("x,y\n1,1\n2,0\n", target="y")
    assert one_hot(y) == Matrix([[0, 1], [1, 0]])


@pytest.mark.parametrize("label, shown", [(-1, r"-1: class labels cannot be negative"),
                                          (1.5, r"1.5: class labels must be whole numbers"),
                                          (float("nan"), r"nan: class labels must be whole numbers"),
                                          ("1", r"'1' \(str\): class labels must be whole numbers"),
                                          (True, r"True \(bool\): class labels must be whole"),
                                          (None, r"None \(NoneType\): class labels must be whole")])
def test_one_hot_refuses_a_bad_label_naming_index_and_value(label, shown):
    with pytest.raises(DataError, match=r"^label at index 2 is " + shown):
        one_hot([0, 1, label, 0])


def test_one_hot_refuses_a_label_out_of_range_naming_index_value_and_range():
    with pytest.raises(DataError, match=r"^label at index 1 is 3, but n_classes=3 allows only 0\.\.2$"):
        one_hot([0, 3, 1], n_classes=3)


@pytest.mark.parametrize("labels, shown", [
    ([1e300], r"^label at index 0 is 1e\+300, but inferring n_classes from 1 label allows only 0 "),
    ([0, 1, 10 ** 9, 2], r"^label at index 2 is 1000000000, but inferring n_classes from 4 "
                         r"labels allows only 0\.\.3 \(pass n_classes"),
    ([0, 2], r"^label at index 1 is 2, but inferring n_classes from 2 labels allows only 0\.\.1 "),
])
def test_one_hot_refuses_to_infer_more_classes_than_labels(labels, shown):
    with pytest.raises(DataError, match=shown):
        one_hot(labels)


def test_one_hot_of_a_huge_label_with_n_classes_is_out_of_range():
    with pytest.raises(DataError, match=r"^label at index 0 is 1e\+300, but n_classes=3 allows"):
        one_hot([1e300], n_classes=3)
    assert one_hot([2], n_classes=3) == Matrix([[0, 0, 1]])


def test_one_hot_refuses_no_labels():
    with pytest.raises(DataError, match=r"one_hot needs at least one label"):
        one_hot([])


@pytest.mark.parametrize("labels", [None, 3, "012"])
def test_one_hot_refuses_something_that_is_not_a_list(labels):
    with pytest.raises(DataError, match=r"one_hot needs a list of class labels"):
        one_hot(labels)


@pytest.mark.parametrize("n_classes", [0, -1, 2.0, True])
def test_one_hot_refuses_a_bad_class_count(n_classes):
    with pytest.raises(ConfigError, match=r"n_classes must be a positive int"):
        one_hot([0, 1], n_classes=n_classes)


# --- on MicroPython --------------------------------------------------------------------


def test_the_data_pipeline_gives_the_same_results_on_micropython(tmp_path):
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    text = '"a (cm)",b,label\r\n1.5,10,0\r\n2.5,30,1\r\n\r\n3.5,20,1\r\n0.5,40,0\r\n9,9,2\r\n8,8,2\r\n'
    path = tmp_path / "d.csv"
    path.write_bytes(text.encode("utf-8"))
    code = """
        from tinynet.data import read_csv, train_test_split, StandardScaler, one_hot
        from tinynet.errors import DataError
        X, y, names = read_csv("/d.csv", target="label")
        X_train, X_test, y_train, y_test = train_test_split(X, y, 0.5, seed=9, stratify=True)
        scaler = StandardScaler.from_dict(StandardScaler().fit(X_train).to_dict())
        print(repr((names, y, X_test.rows, y_test, scaler.transform(X_test).rows)))
        print(repr(one_hot(y_train).rows))
        try:
            read_csv("/d.csv", target="nope")
        except DataError as error:
            print(error)
    """
    printed = mpy.run_micropython(code, files={"/d.csv": path})
    X, y, names = read_csv(str(path), target="label")
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.5, seed=9, stratify=True)
    scaler = StandardScaler().fit(X_train)
    expected = [
        repr((names, y, X_test.rows, y_test, scaler.transform(X_test).rows)),
        repr(one_hot(y_train).rows),
        "/d.csv: target column 'nope' not found; the columns are 'a (cm)', 'b', 'label'",
    ]
    assert printed.splitlines() == expected


def test_the_table_reader_gives_the_same_results_on_micropython(tmp_path):
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    (tmp_path / "d.tsv").write_bytes(
        b'\xef\xbb\xbfid\t"x (cm)"\tspecies\r\nA7\t1.5\tsetosa\r\n\r\nB2\t 2e1 \t"vir, ginica"\r\n')
    (tmp_path / "latin1.csv").write_bytes(b"x,y\n1,caf\xe9\n")
    code = r"""
        from tinynet.data import read_csv, read_csv_text
        from tinynet.errors import DataError
        print(repr(read_csv("/d.tsv", "species", features=["x (cm)"])))
        print(repr(read_csv_text("a;y\n1;-2\n3;+4\n", "y", delimiter=";")))
        for text in ("a\n1_000\n", "a\nNA\n", "a\n?\n", "a\n-inf\n",
                     "a\n1e999\n", "a\n" + "9" * 5000 + "\n", "a\n1,5\n", "a,a\n1,2\n"):
            try:
                read_csv_text(text)
            except DataError as error:
                print(error)
        try:
            read_csv("/latin1.csv")
        except DataError as error:
            print(error)
    """
    printed = mpy.run_micropython(code, files={"/d.tsv": tmp_path / "d.tsv",
                                               "/latin1.csv": tmp_path / "latin1.csv"})
    expected = [repr(read_csv(str(tmp_path / "d.tsv"), "species", features=["x (cm)"])),
                repr(read_csv_text("a;y\n1;-2\n3;+4\n", "y", delimiter=";"))]
    for text in ("a\n1_000\n", "a\nNA\n", "a\n?\n", "a\n-inf\n",
                 "a\n1e999\n", "a\n" + "9" * 5000 + "\n", "a\n1,5\n", "a,a\n1,2\n"):
        with pytest.raises(DataError) as caught:
            read_csv_text(text)
        expected.append(str(caught.value))
    # MicroPython's decoding error does not say where the bad byte is.
    expected.append("/latin1.csv is not UTF-8 text; save it as UTF-8")
    assert printed.splitlines() == expected
    assert expected[0] == "(Matrix([[1.5], [20.0]]), ['setosa', 'vir, ginica'], ['x (cm)'])"

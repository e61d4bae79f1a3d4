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


def test_a_non_numeric_target_value_is_refused_too():
    with pytest.raises(DataError, match=r"line 3, column 'y': 'yes' is not a number"):
        read_csv_text("x,y\n1,0\n2,yes\n", target="y")


def test_long_bad_values_are_shortened_in_the_message():
    with pytest.raises(DataError) as caught:
        read_csv_text("a\n" + "z" * 500 + "\n")
    assert len(str(caught.value)) < 100
    assert "zzz..." in str(caught.value)


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "Infinity", "1e999"])
def test_nan_and_infinite_values_are_refused(value):
    with pytest.raises(DataError) as caught:
        read_csv_text("a,b\n1,2\n3,%s\n" % value)
    message = str(caught.value)
    assert message.startswith("line 3, column 'b': %r is not a finite number" % value)


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

"""Tests for tinynet.metrics: accuracy, the confusion matrix and the regression scores."""

import math
import re

import pytest

import mpy
from tinynet import ConfigError, DataError, Matrix, Random, ShapeError, Vector
from tinynet.metrics import (
    accuracy,
    confusion_matrix,
    format_confusion_matrix,
    mean_squared_error,
    r2_score,
)


def random_labels(seed, n, k):
    rng = Random(seed)
    return [rng.randrange(k) for _ in range(n)]


# --- accuracy ------------------------------------------------------------------------


def test_accuracy_is_the_fraction_of_matching_labels():
    y_true = random_labels(1, 200, 3)
    y_pred = random_labels(2, 200, 3)
    matches = len([1 for t, p in zip(y_true, y_pred) if t == p])
    assert accuracy(y_true, y_pred) == matches / 200


def test_accuracy_of_perfect_and_of_all_wrong_predictions():
    assert accuracy([0, 1, 2], [0, 1, 2]) == 1.0
    assert accuracy([0, 1, 2], [1, 2, 0]) == 0.0


def test_accuracy_compares_ints_with_equal_floats():
    assert accuracy([0, 1, 1], [0.0, 1.0, 0.0]) == pytest.approx(2 / 3)


def test_accuracy_works_for_any_labels():
    assert accuracy(["cat", "dog"], ["cat", "cat"]) == 0.5


def test_accuracy_refuses_different_lengths_naming_both():
    with pytest.raises(ShapeError, match=r"^y_true has 3 values but y_pred has 2; they must match"):
        accuracy([0, 1, 1], [0, 1])


def test_accuracy_refuses_empty_input():
    with pytest.raises(DataError, match=r"y_true and y_pred are empty: there is nothing to score"):
        accuracy([], [])


@pytest.mark.parametrize("bad", [None, 3, "01"])
def test_accuracy_refuses_something_that_is_not_a_list(bad):
    with pytest.raises(DataError, match=r"y_pred must be a list"):
        accuracy([0, 1], bad)


# --- confusion_matrix ------------------------------------------------------------------


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    y_true = random_labels(3, 300, 4)
    y_pred = random_labels(4, 300, 4)
    expected = [[0] * 4 for _ in range(4)]
    for t, p in zip(y_true, y_pred):
        expected[t][p] += 1
    cm = confusion_matrix(y_true, y_pred)
    assert cm == expected
    assert sum(map(sum, cm)) == 300
    assert sum(cm[i][i] for i in range(4)) / 300 == accuracy(y_true, y_pred)


def test_confusion_matrix_rows_are_true_classes():
    # two samples of class 0, both predicted as 1: row 0, column 1
    assert confusion_matrix([0, 0, 1], [1, 1, 1]) == [[0, 2], [0, 1]]


def test_confusion_matrix_size_covers_labels_on_either_side():
    assert confusion_matrix([0, 0], [0, 2]) == [[1, 0, 1], [0, 0, 0], [0, 0, 0]]
    assert confusion_matrix([2, 0], [0, 0]) == [[1, 0, 0], [0, 0, 0], [1, 0, 0]]


def test_confusion_matrix_with_n_classes_includes_unseen_classes():
    assert confusion_matrix([0, 1], [0, 1], n_classes=3) == [[1, 0, 0], [0, 1, 0], [0, 0, 0]]


def test_confusion_matrix_entries_are_ints_and_whole_float_labels_work():
    cm = confusion_matrix([0.0, 1.0], [0, 1.0])
    assert cm == [[1, 0], [0, 1]]
    assert all(type(count) is int for row in cm for count in row)


def test_confusion_matrix_refuses_a_label_beyond_n_classes_naming_side_and_index():
    with pytest.raises(DataError, match=r"^y_pred\[2\] is 3, but n_classes=3 allows only 0\.\.2$"):
        confusion_matrix([0, 1, 2], [0, 1, 3], n_classes=3)


def test_confusion_matrix_refuses_to_infer_more_classes_than_labels_on_both_sides():
    with pytest.raises(DataError, match=r"^y_pred\[0\] is 1000000, but inferring n_classes from "
                                        r"2 labels \(both lists\) allows only 0\.\.1 "
                                        r"\(pass n_classes if there are more classes\)$"):
        confusion_matrix([0], [10 ** 6])
    with pytest.raises(DataError, match=r"^y_true\[1\] is 1e\+300, but inferring n_classes"):
        confusion_matrix([0, 1e300], [0, 1])
    # Up to one class per label on both sides together is fine, and n_classes allows more.
    assert confusion_matrix([0], [1]) == [[0, 1], [0, 0]]
    assert confusion_matrix([0], [5], n_classes=6)[0] == [0, 0, 0, 0, 0, 1]


def test_confusion_matrix_names_a_huge_label_beyond_n_classes_as_given():
    with pytest.raises(DataError, match=r"^y_pred\[0\] is 1e\+300, but n_classes=2 allows"):
        confusion_matrix([0], [1e300], n_classes=2)


def test_confusion_matrix_of_labels_that_are_not_indices_sorts_the_labels_of_both_sides():
    # Rows and columns: -1, 0, 1 (the sorted distinct labels), as classes_ sorts them.
    assert confusion_matrix([0, -1, 1], [0, 1, 1]) == [[0, 0, 1], [0, 1, 0], [0, 0, 1]]
    assert confusion_matrix([0.5, 2.0], [2.0, 2.0]) == [[0, 1], [0, 1]]
    assert confusion_matrix(["dog", "cat", "dog"], ["dog", "dog", "emu"]) == [
        [0, 1, 0], [0, 1, 1], [0, 0, 0]]
    assert confusion_matrix([True, False], [True, True]) == [[0, 1], [0, 1]]


def test_confusion_matrix_with_labels_uses_their_order_and_refuses_others():
    assert confusion_matrix(["b", "a", "b"], ["b", "b", "a"], labels=["b", "a", "c"]) == [
        [1, 1, 0], [1, 0, 0], [0, 0, 0]]
    assert confusion_matrix([1, 0], [1, 1], labels=[1, 0]) == [[1, 0], [1, 0]]
    with pytest.raises(DataError, match=r"^y_pred\[1\] is 'x' \(str\), which is not one of the "
                                        r"labels: 'a', 'b'$"):
        confusion_matrix(["a", "b"], ["a", "x"], labels=["a", "b"])
    with pytest.raises(DataError, match=r"^y_true\[0\] is True \(bool\), which is not one"):
        confusion_matrix([True], [1], labels=[0, 1])
    with pytest.raises(DataError, match=r"labels names 'a' twice \(items 0 and 2\)"):
        confusion_matrix(["a"], ["a"], labels=["a", "b", "a"])
    with pytest.raises(ConfigError, match="labels or n_classes, not both"):
        confusion_matrix([0], [0], n_classes=2, labels=[0, 1])


@pytest.mark.parametrize("label, shown", [
    ("a", r"y_true/y_pred mixes labels that cannot be sorted together: 0 \(int\) and 'a' \(str\)"),
    (False, r"y_true/y_pred mixes the bool False with the number 0"),
    (float("nan"), r"y_true\[1\] is nan: class labels must be finite"),
    ([1], r"y_true\[1\] is \[1\] \(list\): class labels must be hashable"),
])
def test_confusion_matrix_refuses_bad_labels_naming_the_position(label, shown):
    with pytest.raises(DataError, match=r"^" + shown):
        confusion_matrix([0, label], [0, 1])


def test_format_confusion_matrix_names_the_classes_when_given_labels():
    text = format_confusion_matrix([[5, 0], [2, 130]], labels=["setosa", "virginica"])
    assert text.split("\n") == [
        "true \\ predicted     setosa  virginica",
        "          setosa          5          0",
        "       virginica          2        130",
    ]
    with pytest.raises(ShapeError, match="labels must name the 2 classes"):
        format_confusion_matrix([[1, 0], [0, 1]], labels=["a"])


def test_confusion_matrix_refuses_different_lengths_and_empty_input():
    with pytest.raises(ShapeError, match=r"y_true has 2 values but y_pred has 1"):
        confusion_matrix([0, 1], [0])
    with pytest.raises(DataError, match=r"nothing to score"):
        confusion_matrix([], [])


@pytest.mark.parametrize("n_classes", [0, True, 2.0])
def test_confusion_matrix_refuses_a_bad_class_count(n_classes):
    with pytest.raises(ConfigError, match=r"n_classes must be a positive int"):
        confusion_matrix([0], [0], n_classes=n_classes)


# --- format_confusion_matrix ---------------------------------------------------------


def test_format_confusion_matrix_lays_out_a_labelled_table():
    text = format_confusion_matrix([[5, 0, 120], [2, 13, 0], [0, 0, 1]])
    assert text == (
        "true \\ predicted    0    1    2\n"
        "               0    5    0  120\n"
        "               1    2   13    0\n"
        "               2    0    0    1"
    )


def test_format_confusion_matrix_right_aligns_every_column():
    cm = [[i * j * 37 % 1000 for j in range(12)] for i in range(12)]
    lines = format_confusion_matrix(cm).split("\n")
    assert len(lines) == 13
    assert len({len(line) for line in lines}) == 1
    header = lines[0].split()
    assert header[3:] == [str(j) for j in range(12)]
    for i, line in enumerate(lines[1:]):
        assert [int(cell) for cell in line.split()] == [i] + cm[i]
    # at least two spaces between neighbours, even beside the widest numbers
    assert not any(re.search(r"\d \d", line) for line in lines)


def test_format_confusion_matrix_of_one_class():
    assert format_confusion_matrix([[7]]) == "true \\ predicted  0\n               0  7"


def test_format_confusion_matrix_refuses_a_table_that_is_not_square():
    with pytest.raises(ShapeError, match=r"must be square: it has 2 rows but row 1 has 3 entries"):
        format_confusion_matrix([[1, 2], [3, 4, 5]])


@pytest.mark.parametrize("cm, message", [
    ([], r"a confusion matrix must be a non-empty list of rows"),
    (None, r"a confusion matrix must be a non-empty list of rows"),
    ([[1, 2], 3], r"confusion matrix row 1 is 3 \(int\), not a list of counts"),
    ([[1, -2], [3, 4]], r"confusion matrix entry \[0\]\[1\] is -2 \(int\), not a count"),
    ([[1, 2], [3, 4.0]], r"entry \[1\]\[1\] is 4.0 \(float\), not a count"),
    ([[True]], r"entry \[0\]\[0\] is True \(bool\), not a count"),
])
def test_format_confusion_matrix_refuses_bad_tables(cm, message):
    with pytest.raises(DataError, match=message):
        format_confusion_matrix(cm)


# --- mean_squared_error ----------------------------------------------------------------


def test_mean_squared_error_by_hand():
    # errors 0, 1, -2: (0 + 1 + 4) / 3
    assert mean_squared_error([1.0, 2.0, 3.0], [1.0, 3.0, 1.0]) == pytest.approx(5 / 3)


def test_mean_squared_error_against_a_naive_reference():
    rng = Random(5)
    y_true = [rng.normal() for _ in range(100)]
    y_pred = [rng.normal() for _ in range(100)]
    expected = sum((t - p) ** 2 for t, p in zip(y_true, y_pred)) / 100
    assert math.isclose(mean_squared_error(y_true, y_pred), expected, rel_tol=1e-12)


def test_mean_squared_error_averages_over_every_output():
    # errors: output 0 -> 0, 2; output 1 -> 1, 1: (0 + 4 + 1 + 1) / 4
    assert mean_squared_error([[0, 0], [0, 0]], [[0, 1], [2, 1]]) == 1.5


def test_a_flat_list_matches_a_one_column_matrix_or_a_vector():
    y_true = [1.0, 2.0, 4.0]
    for y_pred in (Matrix([[1.0], [2.0], [2.0]]), Vector([1.0, 2.0, 2.0]), [[1.0], [2.0], [2.0]],
                   [(1.0,), (2.0,), (2.0,)]):
        assert mean_squared_error(y_true, y_pred) == pytest.approx(4 / 3)


# --- r2_score ----------------------------------------------------------------------


def reference_r2(y_true, y_pred):
    mean = sum(y_true) / len(y_true)
    ss_res = sum((t - p) ** 2 for t, p in zip(y_true, y_pred))
    ss_tot = sum((t - mean) ** 2 for t in y_true)
    return 1 - ss_res / ss_tot


def test_r2_by_hand():
    # mean 2.5, SS_tot = 5; residuals 1, 0, 0, 1 -> SS_res = 2; 1 - 2/5
    assert r2_score([1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 3.0, 3.0]) == pytest.approx(0.6)


def test_r2_against_the_textbook_formula():
    rng = Random(6)
    y_true = [rng.uniform(-5, 5) for _ in range(50)]
    y_pred = [t + rng.normal(0, 1) for t in y_true]
    assert math.isclose(r2_score(y_true, y_pred), reference_r2(y_true, y_pred), rel_tol=1e-12)


def test_r2_of_perfect_predictions_is_one_and_of_the_mean_is_zero():
    y_true = [3.0, -1.0, 4.0, 1.5]
    mean = sum(y_true) / 4
    assert r2_score(y_true, y_true) == 1.0
    assert r2_score(y_true, [mean] * 4) == pytest.approx(0.0, abs=1e-15)


def test_r2_is_negative_for_predictions_worse_than_the_mean():
    assert r2_score([1.0, 2.0, 3.0], [3.0, 2.0, 1.0]) == pytest.approx(-3.0)


def test_r2_of_several_outputs_is_the_plain_mean_of_each_output():
    rng = Random(7)
    Y_true = [[rng.normal(), rng.uniform(0, 100), rng.normal(3, 0.1)] for _ in range(30)]
    Y_pred = [[t + rng.normal(0, 0.5) for t in row] for row in Y_true]
    per_output = [reference_r2([r[j] for r in Y_true], [r[j] for r in Y_pred]) for j in range(3)]
    expected = sum(per_output) / 3
    assert math.isclose(r2_score(Y_true, Y_pred), expected, rel_tol=1e-12)
    assert math.isclose(r2_score(Matrix(Y_true), Matrix(Y_pred)), expected, rel_tol=1e-12)


def test_r2_of_a_constant_target_is_one_when_exact_and_zero_otherwise():
    assert r2_score([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]) == 1.0
    assert r2_score([2.0, 2.0, 2.0], [2.0, 2.5, 2.0]) == 0.0
    # 0.1 three times: a sum-based mean is not exactly 0.1, still constant
    assert r2_score([0.1, 0.1, 0.1], [0.1, 0.1, 0.2]) == 0.0


def test_r2_with_one_constant_output_among_several():
    # output 0: perfect -> 1; output 1 constant, predictions off -> 0
    assert r2_score([[1, 5], [2, 5], [3, 5]], [[1, 5], [2, 6], [3, 5]]) == 0.5


# --- errors of the regression scores ---------------------------------------------------


@pytest.mark.parametrize("score", [mean_squared_error, r2_score])
def test_regression_scores_refuse_different_sample_counts(score):
    with pytest.raises(ShapeError, match=r"^y_true has 3 samples but y_pred has 2; they must match"):
        score([1.0, 2.0, 3.0], [1.0, 2.0])


@pytest.mark.parametrize("score", [mean_squared_error, r2_score])
def test_regression_scores_refuse_different_output_counts(score):
    with pytest.raises(ShapeError, match=r"^y_true has 2 outputs per sample but y_pred has 1$"):
        score([[1.0, 2.0], [3.0, 4.0]], [1.0, 2.0])


@pytest.mark.parametrize("score", [mean_squared_error, r2_score])
def test_regression_scores_refuse_empty_input(score):
    with pytest.raises(DataError, match=r"^y_true is empty: there is nothing to score$"):
        score([], [])


@pytest.mark.parametrize("score", [mean_squared_error, r2_score])
def test_regression_scores_refuse_non_finite_values_naming_the_position(score):
    with pytest.raises(DataError, match=r"y_pred has nan in sample 1, output 0; scores need finite"):
        score([1.0, 2.0], [1.0, float("nan")])
    with pytest.raises(DataError, match=r"y_true has inf in sample 0, output 1"):
        score([[1.0, math.inf]], [[1.0, 2.0]])


@pytest.mark.parametrize("score", [mean_squared_error, r2_score])
def test_regression_scores_refuse_non_numbers(score):
    with pytest.raises(DataError, match=r"y_pred, position 1 holds 'x' \(str\), not a number"):
        score([1.0, 2.0], [1.0, "x"])
    with pytest.raises(DataError, match=r"y_true must be a list of numbers or of rows, got None"):
        score(None, [1.0])


def test_regression_scores_refuse_ragged_rows_and_mixed_rows_and_numbers():
    with pytest.raises(ShapeError, match=r"y_true\[1\] has 1 values but y_true\[0\] has 2"):
        r2_score([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(DataError, match=r"y_pred\[1\] is 2.0 \(float\), but y_pred\[0\] is a row"):
        mean_squared_error([1.0, 2.0], [[1.0], 2.0])
    with pytest.raises(DataError, match=r"y_true has rows with no values"):
        mean_squared_error([[], []], [1.0, 2.0])


# --- on MicroPython ------------------------------------------------------------------


def test_the_metrics_give_the_same_results_on_micropython():
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    y_true = random_labels(8, 40, 3)
    y_pred = random_labels(9, 40, 3)
    rng = Random(10)
    t = [[rng.normal(), rng.normal()] for _ in range(10)]
    p = [[rng.normal(), rng.normal()] for _ in range(10)]
    code = """
        from tinynet.metrics import *
        from tinynet.errors import ShapeError
        y_true, y_pred, t, p = %r, %r, %r, %r
        print(repr(accuracy(y_true, y_pred)))
        print(repr(confusion_matrix(y_true, y_pred)))
        print(format_confusion_matrix(confusion_matrix(y_true, y_pred)))
        print(repr(mean_squared_error(t, p)), repr(r2_score(t, p)))
        try:
            r2_score([1.0], [1.0, 2.0])
        except ShapeError as error:
            print(error)
    """ % (y_true, y_pred, t, p)
    printed = mpy.run_micropython(code)
    cm = confusion_matrix(y_true, y_pred)
    expected = "\n".join([
        repr(accuracy(y_true, y_pred)),
        repr(cm),
        format_confusion_matrix(cm),
        "%r %r" % (mean_squared_error(t, p), r2_score(t, p)),
        "y_true has 1 samples but y_pred has 2; they must match one to one",
    ]) + "\n"
    assert printed == expected

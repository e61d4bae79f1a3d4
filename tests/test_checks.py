"""tinynet.checks: one rule per kind of argument, the same wherever it is used,
and one way to show a bad value."""

import sys

import pytest

from tinynet import ConfigError, DataError, Matrix, NeuralNet, Random, ShapeError, Vector, one_hot
from tinynet.checks import (
    check_bool,
    check_choice,
    check_fraction,
    check_int,
    check_non_negative,
    check_positive,
    check_size,
    describe,
    quote,
    whole_number,
)
from tinynet.metrics import confusion_matrix


class Int64:
    """Like numpy.int64: an integer type that is not an int subclass but has __index__."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return "Int64(%d)" % self.value


class Count(int):
    """An int subclass."""


# --- whole numbers ---------------------------------------------------------------


@pytest.mark.parametrize("value, want", [(3, 3), (Count(3), 3), (Int64(3), 3), (0, 0), (-2, -2)])
def test_whole_numbers_are_ints_int_subclasses_and_index_types(value: object, want: int) -> None:
    result = whole_number(value)
    assert result == want and type(result) is int


@pytest.mark.parametrize("value", [True, False, 2.0, "3", None, [3], 3.5])
def test_bools_floats_and_text_are_not_whole_numbers(value: object) -> None:
    assert whole_number(value) is None


@pytest.mark.parametrize("size", [Count(3), Int64(3)], ids=["int subclass", "index type"])
def test_every_size_takes_the_same_whole_numbers(size: object) -> None:
    # Before one rule, Vector refused an int subclass that Matrix took, and
    # Matrix and one_hot refused what layers took.
    assert Vector.zeros(size).shape == (3,)  # type: ignore[arg-type]
    assert Vector.full(size, 1.5).tolist() == [1.5] * 3  # type: ignore[arg-type]
    assert Matrix.zeros(size, 2).shape == (3, 2)  # type: ignore[arg-type]
    assert Matrix.identity(size).shape == (3, 3)  # type: ignore[arg-type]
    assert Matrix.random_normal(2, size, seed=size).shape == (2, 3)  # type: ignore[arg-type]
    assert one_hot([0, 2], n_classes=size).shape == (2, 3)  # type: ignore[arg-type]
    assert len(confusion_matrix([0, 1], [1, 2], n_classes=size)) == 3  # type: ignore[arg-type]
    assert NeuralNet([2, size, 1], iterations=size).iterations == 3  # type: ignore[list-item]
    assert Random(size).next_u64() == Random(3).next_u64()  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [True, 2.0, 0, -1, "3"])
def test_every_size_refuses_the_same_values(size: object) -> None:
    for build in (lambda: Vector.zeros(size), lambda: Matrix.zeros(size, 2),  # type: ignore[arg-type]
                  lambda: Matrix.identity(size)):  # type: ignore[arg-type]
        with pytest.raises(ShapeError, match="must be a positive int, got %s" % describe(size)
                           .replace("(", r"\(").replace(")", r"\)")):
            build()
    with pytest.raises(ConfigError, match="n_classes must be a positive int"):
        one_hot([0], n_classes=size)  # type: ignore[arg-type]


def test_check_int_names_the_setting_and_the_value() -> None:
    assert check_int("patience", Int64(4), 1) == 4
    with pytest.raises(ConfigError, match=r"^patience must be a whole number >= 1, got 0 \(int\)$"):
        check_int("patience", 0, 1)
    with pytest.raises(ShapeError, match=r"^rows must be a positive int, got 2.5 \(float\)$"):
        check_size("rows", 2.5, ShapeError)


# --- numbers, fractions, switches, names -------------------------------------------


def test_positive_and_non_negative_numbers() -> None:
    assert check_positive("learning_rate", Int64(2)) == 2.0
    assert check_non_negative("alpha", 0) == 0.0
    for bad in (0, -1.0, float("nan"), float("inf"), 10 ** 400):
        with pytest.raises(ConfigError, match="learning_rate must be a finite number > 0, got"):
            check_positive("learning_rate", bad)
    with pytest.raises(ConfigError, match=r"^alpha must be a number, got '1' \(str\)$"):
        check_non_negative("alpha", "1")
    with pytest.raises(ConfigError, match=r"^tol must be a finite number >= 0, got -1 \(int\)$"):
        check_non_negative("tol", -1)


def test_fractions_with_and_without_zero() -> None:
    assert check_fraction("beta1", 0.0, allow_zero=True) == 0.0
    with pytest.raises(ConfigError, match=r"^validation_fraction must be a number in \(0, 1\), got 0 \(int\)$"):
        check_fraction("validation_fraction", 0)
    with pytest.raises(ConfigError, match=r"^momentum must be a number in \[0, 1\), got 1.0 \(float\)$"):
        check_fraction("momentum", 1.0, allow_zero=True)
    with pytest.raises(ConfigError, match=r"momentum must be a number, got True \(bool\)"):
        check_fraction("momentum", True, allow_zero=True)


def test_switches_and_names() -> None:
    assert check_bool("nesterov", False) is False
    with pytest.raises(ConfigError, match=r"^nesterov must be True or False, got 0 \(int\)$"):
        check_bool("nesterov", 0)
    assert check_choice("optimizer", "adam", ("gd", "adam")) == "adam"
    with pytest.raises(ConfigError, match=r"^unknown optimizer None \(NoneType\): choose one of gd, adam$"):
        check_choice("optimizer", None, ("gd", "adam"))


# --- describing a value -------------------------------------------------------------


def test_a_value_is_shown_short_with_its_type() -> None:
    assert describe("abc") == "'abc' (str)"
    # At most 40 characters of the repr: 37 and "..."
    assert describe([1.5] * 100) == "[1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1... (list)"
    assert len(describe("x" * 1000)) == len("... (str)") + 37


def test_a_value_from_a_json_file_is_shown_in_json_words() -> None:
    assert [describe(value, json=True) for value in (None, True, 2.5, "ab", [1], {}, (1,))] == [
        "null", "true", "the number 2.5", "the string 'ab'", "a list of 1 item", "an object",
        "a tuple"]
    assert describe(10 ** 400, json=True) == (
        "too large to be a float (a whole number with over 300 digits)")


def test_an_int_too_long_to_print_is_still_described() -> None:
    if hasattr(sys, "set_int_max_str_digits"):  # CPython 3.11+ refuses to print it
        assert describe(10 ** 5000) == "a whole number of thousands of digits (int)"
    with pytest.raises(ConfigError, match="learning_rate must be a finite number > 0"):
        NeuralNet(learning_rate=10 ** 5000)  # type: ignore[arg-type]


def test_text_from_a_file_is_quoted_and_shortened() -> None:
    assert quote("sepal length") == "'sepal length'"
    assert quote("a" * 50) == repr("a" * 37 + "...")


def test_bools_are_never_numbers_in_data() -> None:
    with pytest.raises(DataError, match=r"Vector, position 1 holds True \(bool\), not a number"):
        Vector([1.0, True])  # type: ignore[list-item]

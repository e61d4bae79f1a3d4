"""tinynet.outputs: each output kind owns what its numbers mean, in one table."""

import os
import re

import pytest

import mpy
from tinynet import ConfigError, Matrix, StandardScaler
from tinynet.outputs import OUTPUT_LAYERS, OUTPUT_NAMES, classifier_for, output_layer

SIGMOID, SOFTMAX, LINEAR = (OUTPUT_LAYERS[name] for name in ("sigmoid", "softmax", "linear"))


def test_the_table_holds_one_row_per_name() -> None:
    assert sorted(OUTPUT_LAYERS) == sorted(OUTPUT_NAMES)
    assert [OUTPUT_LAYERS[name].name for name in OUTPUT_NAMES] == list(OUTPUT_NAMES)
    assert [layer.is_classifier for layer in (SIGMOID, SOFTMAX, LINEAR)] == [True, True, False]
    assert [layer.score_name for layer in (SIGMOID, SOFTMAX, LINEAR)] == ["accuracy"] * 2 + ["r2"]


@pytest.mark.parametrize("name, units, want", [("auto", 1, "sigmoid"), ("auto", 4, "softmax"),
                                               ("linear", 3, "linear"), ("softmax", 2, "softmax")])
def test_auto_and_the_unit_counts(name: str, units: int, want: str) -> None:
    assert output_layer(name, units).name == want


def test_unit_counts_that_cannot_work_are_refused() -> None:
    with pytest.raises(ConfigError, match="sigmoid output needs 1 output unit, got 3"):
        output_layer("sigmoid", 3)
    with pytest.raises(ConfigError, match="softmax output needs at least 2 output units"):
        output_layer("softmax", 1)


def test_labels_become_targets_and_outputs_become_labels() -> None:
    assert SIGMOID.targets([1, 0, 1.0], 1, 3, None) == Matrix([[1.0], [0.0], [1.0]])
    assert SOFTMAX.targets([2, 0], 3, 2, None) == Matrix([[0, 0, 1], [1, 0, 0]])
    assert SIGMOID.predictions(Matrix([[0.5], [0.49], [0.9]])) == [1, 0, 1]
    assert SOFTMAX.predictions(Matrix([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]])) == [1, 0]
    assert LINEAR.predictions(Matrix([[1.5], [-2.0]])) == [1.5, -2.0]
    assert LINEAR.predictions(Matrix([[1.0, 2.0]])) == [[1.0, 2.0]]


def test_class_counts_and_descriptions() -> None:
    assert (SIGMOID.n_classes(1), SOFTMAX.n_classes(5)) == (2, 5)
    assert SIGMOID.describe(1) == "2 classes, sigmoid output"
    assert SOFTMAX.describe(3) == "3 classes, softmax output"
    assert LINEAR.describe(2) == "regression, linear output"
    with pytest.raises(ConfigError, match="predicts values, not classes"):
        LINEAR.n_classes(1)
    assert classifier_for(2) == ("sigmoid", 1) and classifier_for(4) == ("softmax", 4)


def test_scores_are_accuracy_for_classes_and_r2_for_values() -> None:
    assert SIGMOID.score(Matrix([[1.0], [0.0], [1.0], [0.0]]),
                         Matrix([[0.9], [0.2], [0.3], [0.6]])) == 0.5
    assert SOFTMAX.score(Matrix([[0, 1], [1, 0]]), Matrix([[0.2, 0.8], [0.4, 0.6]])) == 0.5
    # R² = 1 - SS_res / SS_tot = 1 - 2 / 8 for targets 1, 3, 5 (mean 3) and outputs 2, 3, 4.
    assert LINEAR.score(Matrix([[1.0], [3.0], [5.0]]), Matrix([[2.0], [3.0], [4.0]])) == 0.75


def test_only_a_linear_output_takes_a_target_scaler() -> None:
    scaler = StandardScaler().fit([[0.0], [10.0]])
    assert LINEAR.targets([0.0, 10.0], 1, 2, scaler) == Matrix([[-1.0], [1.0]])
    assert LINEAR.unscaled(Matrix([[-1.0], [1.0]]), scaler) == Matrix([[0.0], [10.0]])
    for layer in (SIGMOID, SOFTMAX):
        with pytest.raises(ConfigError, match="target_scaler rescales the values of a linear"):
            layer.targets([0, 1], 2, 2, scaler)
        with pytest.raises(ConfigError, match="target_scaler"):
            layer.unscaled(Matrix([[0.5, 0.5]]), scaler)


def test_no_other_module_branches_on_an_output_name() -> None:
    names = "|".join(OUTPUT_NAMES)
    compared = re.compile(r"""(==|!=|\bin)\s*\(?\s*["'](%s)["']|["'](%s)["']\s*(==|!=)""" % (names, names))
    package = os.path.join(mpy.REPO_ROOT, "tinynet")
    for file_name in sorted(os.listdir(package)):
        if file_name.endswith(".py") and file_name != "outputs.py":
            with open(os.path.join(package, file_name)) as handle:
                for number, line in enumerate(handle, 1):
                    assert not compared.search(line), "%s:%d: %s" % (file_name, number, line)

"""tinynet.losses: each loss against a hand-written formula, and each gradient against finite differences.

The output layers that pair each loss with its activation are in tinynet.outputs.
"""

import math

import pytest

from tinynet import ConfigError, Matrix
from tinynet.losses import (
    PROBABILITY_CLIP,
    binary_cross_entropy,
    categorical_cross_entropy,
    cross_entropy_from_probabilities,
    cross_entropy_gradient,
    squared_error,
    squared_error_gradient,
)
from tinynet.outputs import OUTPUT_NAMES, output_layer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List

# --- references, written from the textbook formulas with plain lists --------------------


def reference_binary(ys: "List[float]", zs: "List[float]") -> float:
    total = 0.0
    for y, z in zip(ys, zs):
        a = 1.0 / (1.0 + math.exp(-z))
        total += -(y * math.log(a) + (1.0 - y) * math.log(1.0 - a))
    return total / len(ys)


def reference_categorical(Y: "List[List[float]]", Z: "List[List[float]]") -> float:
    total = 0.0
    for y_row, z_row in zip(Y, Z):
        exps = [math.exp(z) for z in z_row]
        probabilities = [e / sum(exps) for e in exps]
        total += -sum(y * math.log(p) for y, p in zip(y_row, probabilities))
    return total / len(Y)


def reference_mse(Y: "List[List[float]]", A: "List[List[float]]") -> float:
    squares = [(a - y) ** 2 for y_row, a_row in zip(Y, A) for y, a in zip(y_row, a_row)]
    return sum(squares) / len(squares)


def column(values: "List[float]") -> Matrix:
    return Matrix([[v] for v in values])


# --- the loss values ----------------------------------------------------------------------


def test_binary_cross_entropy_matches_the_formula() -> None:
    ys, zs = [1.0, 0.0, 1.0, 0.0], [2.0, -0.5, -1.25, 3.0]
    Y, Z = column(ys), column(zs)
    layer = output_layer("sigmoid")
    assert layer.loss(Y, Z, layer.activate(Z)) == pytest.approx(reference_binary(ys, zs), rel=1e-13)


def test_binary_cross_entropy_of_a_coin_toss_is_log_2() -> None:
    Y, Z = column([1.0, 0.0]), column([0.0, 0.0])
    assert binary_cross_entropy(Y, Z, Matrix([[0.5], [0.5]])) == pytest.approx(math.log(2.0), rel=1e-15)


def test_binary_cross_entropy_is_exact_for_huge_logits() -> None:
    # Right and confident costs 0; wrong and confident costs |z| (log(1 - a) would be log(0)).
    Y, Z = column([1.0, 0.0, 1.0, 0.0]), column([1000.0, -1000.0, -1000.0, 1000.0])
    A = output_layer("sigmoid").activate(Z)
    assert binary_cross_entropy(Y, Z, A) == (0.0 + 0.0 + 1000.0 + 1000.0) / 4


def test_categorical_cross_entropy_matches_the_formula() -> None:
    Y = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    Z = [[0.5, -1.0, 2.0], [1.0, 1.0, 1.0], [-3.0, 0.25, 0.75]]
    layer = output_layer("softmax")
    loss = layer.loss(Matrix(Y), Matrix(Z), layer.activate(Matrix(Z)))
    assert loss == pytest.approx(reference_categorical(Y, Z), rel=1e-13)


def test_categorical_cross_entropy_accepts_soft_targets() -> None:
    Y, Z = [[0.25, 0.75]], [[1.0, -2.0]]
    loss = categorical_cross_entropy(Matrix(Y), Matrix(Z), Matrix([[0.0, 0.0]]))
    assert loss == pytest.approx(reference_categorical(Y, Z), rel=1e-13)


def test_categorical_cross_entropy_is_exact_for_huge_logits() -> None:
    Z = Matrix([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    Y = Matrix([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    loss = categorical_cross_entropy(Y, Z, output_layer("softmax").activate(Z))
    assert loss == (0.0 + 2000.0) / 2


def test_squared_error_averages_over_samples_and_outputs() -> None:
    Y = [[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]]
    A = [[1.5, 1.0], [0.0, 1.0], [2.0, 0.5]]
    assert squared_error(Matrix(Y), Matrix(A), Matrix(A)) == pytest.approx(reference_mse(Y, A))
    assert reference_mse(Y, A) == (0.25 + 1.0 + 0.0 + 4.0 + 1.0 + 0.0) / 6


def test_squared_error_of_a_perfect_fit_is_zero() -> None:
    Y = Matrix([[1.0], [2.0]])
    assert squared_error(Y, Y, Y) == 0.0


def test_cross_entropy_from_probabilities_matches_the_formulas() -> None:
    ps = [0.9, 0.2, 0.6]
    ys = [1.0, 0.0, 0.0]
    expected = -sum(y * math.log(p) + (1 - y) * math.log(1 - p) for y, p in zip(ys, ps)) / 3
    assert cross_entropy_from_probabilities(column(ys), column(ps)) == pytest.approx(expected, rel=1e-14)
    P = [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]
    Y = [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    expected = -(math.log(0.7) + math.log(0.8)) / 2
    assert cross_entropy_from_probabilities(Matrix(Y), Matrix(P)) == pytest.approx(expected, rel=1e-14)


def test_cross_entropy_from_probabilities_clips_0_and_1() -> None:
    # A confident mistake costs -log(1e-15), about 34.5, instead of log(0).
    worst = -math.log(PROBABILITY_CLIP)
    assert cross_entropy_from_probabilities(column([1.0]), column([0.0])) == pytest.approx(worst)
    # (1 - 1e-15 rounds to the double 1 - 1.11e-15, hence the looser tolerance.)
    assert cross_entropy_from_probabilities(column([0.0]), column([1.0])) == pytest.approx(worst, rel=1e-4)
    assert cross_entropy_from_probabilities(Matrix([[0.0, 1.0]]), Matrix([[1.0, 0.0]])) == pytest.approx(worst)
    assert cross_entropy_from_probabilities(column([1.0, 0.0]), column([1.0, 0.0])) < 1e-14


# --- the gradients ---------------------------------------------------------------------------

CASES = [
    ("sigmoid", [[1.0], [0.0], [1.0]], [[0.3], [-1.2], [2.5]]),
    ("softmax", [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], [[0.2, -0.4, 1.1], [2.0, 0.5, -1.0]]),
    ("linear", [[0.5], [-1.0], [2.0]], [[0.1], [0.4], [-0.3]]),
    ("linear", [[0.5, 1.0], [-1.0, 0.0]], [[0.1, 0.7], [0.4, -2.0]]),
]


@pytest.mark.parametrize("name, Y, Z", CASES, ids=["sigmoid", "softmax", "linear-1", "linear-2"])
def test_each_output_layers_gradient_is_the_derivative_of_its_loss(
    name: str, Y: "List[List[float]]", Z: "List[List[float]]"
) -> None:
    # The layer's gradient is per sample; the loss is a mean, so d(loss)/dZ = gradient / m.
    layer = output_layer(name)
    Y_matrix, Z_matrix = Matrix(Y), Matrix(Z)
    m, h = len(Y), 1e-6

    def loss_at(Z_shifted: Matrix) -> float:
        return layer.loss(Y_matrix, Z_shifted, layer.activate(Z_shifted))

    gradient = layer.gradient(Y_matrix, layer.activate(Z_matrix))
    for i in range(len(Z)):
        for j in range(len(Z[0])):
            plus, minus = Z_matrix.copy(), Z_matrix.copy()
            plus[i, j] += h
            minus[i, j] -= h
            numerical = (loss_at(plus) - loss_at(minus)) / (2 * h)
            assert gradient[i, j] / m == pytest.approx(numerical, rel=1e-6, abs=1e-9)


def test_cross_entropy_gradient_is_a_minus_y() -> None:
    A, Y = Matrix([[0.75, 0.25]]), Matrix([[1.0, 0.0]])
    assert cross_entropy_gradient(Y, A) == Matrix([[-0.25, 0.25]])


def test_squared_error_gradient_is_two_times_the_error_over_outputs() -> None:
    A, Y = Matrix([[3.0, 1.0]]), Matrix([[1.0, 2.0]])
    assert squared_error_gradient(Y, A) == Matrix([[2.0, -1.0]])


# --- choosing an output layer -------------------------------------------------------------


def test_output_layers_pair_each_activation_with_its_loss() -> None:
    assert OUTPUT_NAMES == ("sigmoid", "softmax", "linear")
    assert output_layer("sigmoid").loss is binary_cross_entropy
    assert output_layer("softmax").loss is categorical_cross_entropy
    assert output_layer("linear").loss is squared_error
    assert repr(output_layer("softmax")) == "<OutputLayer softmax>"


@pytest.mark.parametrize("name", ["tanh", "Sigmoid", "", None])
def test_unknown_output_is_a_config_error_listing_the_choices(name: object) -> None:
    with pytest.raises(ConfigError, match="unknown output") as error:
        output_layer(name)  # type: ignore[arg-type]
    assert "sigmoid, softmax, linear" in str(error.value)

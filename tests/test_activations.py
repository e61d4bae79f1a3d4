"""tinynet.activations: each activation's values, and its backward step against finite differences."""

import math

import pytest

from tinynet import ConfigError, Matrix
from tinynet.activations import (
    HIDDEN_ACTIVATION_NAMES,
    LEAKY_SLOPE,
    hidden_activation,
    identity,
    identity_backward,
    leaky_relu,
    leaky_relu_backward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    sigmoid_scalar,
    softmax,
    tanh,
    tanh_backward,
)

# Values away from ReLU's kink at 0, where finite differences are meaningful.
SAMPLE = Matrix([[-2.0, -0.3, 0.4], [1.5, -1.1, 3.0]])
PAIRS = [(relu, relu_backward), (leaky_relu, leaky_relu_backward),
         (tanh, tanh_backward), (sigmoid, sigmoid_backward), (identity, identity_backward)]


def reference_sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_relu_zeroes_negatives_and_keeps_positives() -> None:
    assert relu(Matrix([[-1.5, 0.0, 2.5]])) == Matrix([[0.0, 0.0, 2.5]])


def test_leaky_relu_scales_negatives_by_its_slope() -> None:
    assert LEAKY_SLOPE == 0.01
    assert leaky_relu(Matrix([[-2.0, 0.0, 3.0]])) == Matrix([[-0.02, 0.0, 3.0]])


def test_tanh_matches_math_tanh() -> None:
    expected = [[math.tanh(z) for z in row] for row in SAMPLE.tolist()]
    assert tanh(SAMPLE).tolist() == expected


def test_sigmoid_matches_the_textbook_formula_for_moderate_inputs() -> None:
    result = sigmoid(SAMPLE).tolist()
    for row, z_row in zip(result, SAMPLE.tolist()):
        for a, z in zip(row, z_row):
            assert a == pytest.approx(reference_sigmoid(z), rel=1e-14)
    assert sigmoid_scalar(0.0) == 0.5


def test_sigmoid_is_symmetric_about_one_half() -> None:
    for z in (0.1, 1.0, 7.5, 30.0):
        assert sigmoid_scalar(-z) == pytest.approx(1.0 - sigmoid_scalar(z), abs=1e-15)


def test_sigmoid_of_huge_inputs_is_exactly_0_or_1_without_overflow() -> None:
    # e**1000 overflows (OverflowError on CPython, ValueError on MicroPython).
    assert sigmoid(Matrix([[-1000.0, 1000.0, -800.0, 800.0]])).tolist() == [[0.0, 1.0, 0.0, 1.0]]
    # Just past where e**-z overflows, the small side is still exact (a subnormal number).
    assert sigmoid_scalar(-710.0) == math.exp(-710.0) > 0.0


@pytest.mark.parametrize("forward, backward", PAIRS, ids=lambda f: f.__name__)
def test_backward_is_the_chain_rule_against_finite_differences(forward: object, backward: object) -> None:
    # dZ = dA * g'(Z): with an arbitrary dA, compare with dA * (g(z + h) - g(z - h)) / 2h.
    h = 1e-6
    dA = Matrix([[0.5, -1.0, 2.0], [1.0, 0.25, -0.75]])
    A = forward(SAMPLE)  # type: ignore[operator]
    dZ = backward(dA, SAMPLE, A)  # type: ignore[operator]
    for i in range(2):
        for j in range(3):
            z = SAMPLE[i, j]
            plus = forward(Matrix([[z + h]]))[0, 0]  # type: ignore[operator]
            minus = forward(Matrix([[z - h]]))[0, 0]  # type: ignore[operator]
            assert dZ[i, j] == pytest.approx(dA[i, j] * (plus - minus) / (2 * h), rel=1e-7, abs=1e-9)


def test_relu_backward_stops_the_gradient_at_and_below_zero() -> None:
    Z = Matrix([[-1.0, 0.0, 2.0]])
    assert relu_backward(Matrix([[5.0, 5.0, 5.0]]), Z, relu(Z)) == Matrix([[0.0, 0.0, 5.0]])


def test_leaky_relu_backward_lets_a_little_through_below_zero() -> None:
    Z = Matrix([[-1.0, 2.0]])
    assert leaky_relu_backward(Matrix([[3.0, 3.0]]), Z, leaky_relu(Z)).allclose(Matrix([[0.03, 3.0]]))


def test_identity_backward_passes_the_gradient_through_unchanged() -> None:
    dA = Matrix([[0.5, -1.0, 2.0], [1.0, 0.25, -0.75]])
    assert identity_backward(dA, SAMPLE, identity(SAMPLE)) == Matrix([[0.5, -1.0, 2.0],
                                                                     [1.0, 0.25, -0.75]])


def test_activations_leave_their_input_unchanged() -> None:
    Z = SAMPLE.copy()
    for forward, _ in PAIRS:
        forward(Z)
    softmax(Z)
    identity(Z)
    assert Z == SAMPLE


def test_softmax_rows_are_probabilities_summing_to_one() -> None:
    P = softmax(SAMPLE)
    assert P.shape == SAMPLE.shape
    for row in P.tolist():
        assert all(0.0 < p < 1.0 for p in row)
        assert sum(row) == pytest.approx(1.0, abs=1e-15)


def test_softmax_matches_the_textbook_formula() -> None:
    for row, z_row in zip(softmax(SAMPLE).tolist(), SAMPLE.tolist()):
        total = sum(math.exp(z) for z in z_row)
        assert row == pytest.approx([math.exp(z) / total for z in z_row], rel=1e-14)


def test_softmax_ignores_a_constant_added_to_a_row() -> None:
    assert softmax(SAMPLE + 50.0).allclose(softmax(SAMPLE), rel_tol=1e-12)


def test_softmax_of_huge_logits_is_finite_and_exact() -> None:
    P = softmax(Matrix([[1000.0, -1000.0, 0.0], [1000.0, 1000.0, 1000.0], [-1000.0, -1000.0, -999.0]]))
    rows = P.tolist()
    assert rows[0] == [1.0, 0.0, 0.0]
    assert rows[1] == pytest.approx([1 / 3] * 3, rel=1e-15)
    e = math.exp(-1.0)
    assert rows[2] == pytest.approx([e / (2 * e + 1), e / (2 * e + 1), 1 / (2 * e + 1)], rel=1e-14)
    for row in rows:
        assert all(math.isfinite(p) for p in row)
        assert sum(row) == pytest.approx(1.0, abs=1e-15)


def test_identity_returns_an_independent_copy() -> None:
    Z = SAMPLE.copy()
    A = identity(Z)
    assert A == Z and A is not Z
    A[0, 0] = 99.0
    assert Z == SAMPLE


def test_hidden_activation_returns_each_pair_by_name() -> None:
    assert HIDDEN_ACTIVATION_NAMES == ("relu", "leaky_relu", "tanh", "sigmoid", "identity")
    for name, pair in zip(HIDDEN_ACTIVATION_NAMES, PAIRS):
        assert hidden_activation(name) == pair


@pytest.mark.parametrize("name", ["swish", "ReLU", "softmax", "", None, 3])
def test_unknown_activation_is_a_config_error_listing_the_choices(name: object) -> None:
    with pytest.raises(ConfigError, match="unknown activation") as error:
        hidden_activation(name)  # type: ignore[arg-type]
    assert "relu, leaky_relu, tanh, sigmoid, identity" in str(error.value)

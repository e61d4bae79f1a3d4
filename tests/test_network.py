"""tinynet.network: the tutorial's API, correct gradients, learning, seeding, and refusing bad input.

The data sets come from ``tests/datasets.py``.  Every training run here is
small enough that the whole file takes seconds, not minutes.
"""

import math
import os
import re
import subprocess
import sys

import pytest

from datasets import accuracy, blobs, circles, half_moons, heart_like, linear_map, sine, spiral
from datasets import standardize, xor
from gradcheck import flat, numerical_gradients, relative_error
from tinynet import ConfigError, DataError, Matrix, NotFittedError, Random, ShapeError, Vector
from tinynet import kernels
from tinynet.network import NeuralNet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Tuple, Union

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAN, INF = float("nan"), float("inf")

# --- helpers ----------------------------------------------------------------------------


def plain(value: object) -> object:
    """``value`` as plain data (lists, dicts, numbers) that ``==`` compares in full.

    Matrices and Vectors become their lists; other objects (an optimizer's
    state, say) their type and attributes, so a change anywhere shows.
    """
    if isinstance(value, (Matrix, Vector)):
        return (type(value).__name__, value.tolist())
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float, str)) or callable(value):
        return value
    slots = getattr(type(value), "__slots__", ())
    fields = dict(getattr(value, "__dict__", {}))
    fields.update({name: getattr(value, name) for name in slots if hasattr(value, name)})
    return (type(value).__name__, plain(fields))


def state(net: NeuralNet) -> object:
    """Everything a network holds, as plain data; not its one-row code, which the
    first prediction makes and keeps (a cache: tinynet.fastpredict)."""
    return plain({name: value for name, value in vars(net).items() if name != "_one_row"})


def params_of(net: NeuralNet) -> "Dict[str, Any]":
    return {name: value.tolist() for name, value in net.params.items()}


def random_problem(layers: "List[int]", output: str, batch: int, seed: int) -> "Tuple[List[Any], List[Any]]":
    """A batch of random inputs with random labels (or targets) that suit ``output``."""
    rng = Random(seed)
    X = [[rng.normal() for _ in range(layers[0])] for _ in range(batch)]
    k = layers[-1]
    y: "List[Any]"
    if output == "sigmoid":
        y = [rng.randrange(2) for _ in range(batch)]
    elif output == "softmax":
        y = [rng.randrange(k) for _ in range(batch)]
    elif k == 1:
        y = [rng.normal() for _ in range(batch)]
    else:
        y = [[rng.normal() for _ in range(k)] for _ in range(batch)]
    return X, y


def network_for_gradient_check(layers: "List[int]", activation: str, output: str, seed: int) -> NeuralNet:
    """Random weights and random non-zero biases.

    Fresh biases are exactly 0, and an input row of zeros would then put
    ``Z`` exactly on ReLU's kink, where finite differences mean nothing.
    """
    net = NeuralNet(layers, activation=activation, output=output, seed=seed)
    net.init_weights()
    rng = Random(seed + 1000)
    for l in range(1, net.n_layers + 1):
        net.params["b%d" % l] = Vector([rng.uniform(-0.5, 0.5) for _ in range(layers[l])])
    return net


# --- the tutorial's API -----------------------------------------------------------------


def test_defaults_are_the_tutorials() -> None:
    net = NeuralNet()
    assert net.layers == [2, 5, 1]
    assert net.learning_rate == 0.001
    assert net.iterations == 100
    assert net.activation == "relu"
    assert net.output == "sigmoid"  # "auto" with one output unit
    assert net.params == {} and net.loss == [] and net.sample_size == 0
    assert net.X is None and net.y is None
    assert repr(net).startswith("NeuralNet(layers=[2, 5, 1], learning_rate=0.001, iterations=100")


def test_the_tutorials_keyword_arguments_work() -> None:
    net = NeuralNet(layers=[13, 8, 1], learning_rate=0.001, iterations=100)
    assert (net.layers, net.learning_rate, net.iterations) == ([13, 8, 1], 0.001, 100)


def test_init_weights_fills_params_with_W_matrices_and_zero_b_vectors() -> None:
    net = NeuralNet(layers=[2, 5, 1])
    net.init_weights()
    assert sorted(net.params) == ["W1", "W2", "b1", "b2"]
    assert net.param_names == ["W1", "b1", "W2", "b2"]
    assert isinstance(net.params["W1"], Matrix) and net.params["W1"].shape == (2, 5)
    assert isinstance(net.params["W2"], Matrix) and net.params["W2"].shape == (5, 1)
    assert isinstance(net.params["b1"], Vector) and net.params["b1"].tolist() == [0.0] * 5
    assert isinstance(net.params["b2"], Vector) and net.params["b2"].tolist() == [0.0]
    assert all(w != 0.0 for row in net.params["W1"].tolist() for w in row)


def test_deeper_networks_get_one_W_and_b_per_layer() -> None:
    net = NeuralNet(layers=[4, 6, 5, 3, 2])
    net.init_weights()
    assert net.n_layers == 4
    assert net.param_names == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    shapes = [net.params["W%d" % l].shape for l in range(1, 5)]
    assert shapes == [(4, 6), (6, 5), (5, 3), (3, 2)]
    assert [len(net.params["b%d" % l]) for l in range(1, 5)] == [6, 5, 3, 2]


def test_relu_and_sigmoid_methods_work_on_matrices() -> None:
    net = NeuralNet()
    assert net.relu(Matrix([[-1.0, 0.0, 2.0]])) == Matrix([[0.0, 0.0, 2.0]])
    assert net.sigmoid(Matrix([[0.0, 1000.0, -1000.0]])) == Matrix([[0.5, 1.0, 0.0]])
    assert net.sigmoid(Matrix([[2.0]]))[0, 0] == pytest.approx(1 / (1 + math.exp(-2.0)), rel=1e-15)


def test_entropy_loss_is_binary_cross_entropy_of_probabilities() -> None:
    net = NeuralNet()
    Yhat = Matrix([[0.9], [0.2], [0.6]])
    y = [1, 0, 0]
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.4)) / 3
    assert net.entropy_loss(y, Yhat) == pytest.approx(expected, rel=1e-14)
    assert net.entropy_loss(Matrix([[1.0], [0.0], [0.0]]), Yhat) == pytest.approx(expected, rel=1e-14)


def test_entropy_loss_survives_probabilities_of_exactly_0_and_1() -> None:
    loss = NeuralNet().entropy_loss([1, 0], Matrix([[0.0], [1.0]]))
    assert math.isfinite(loss) and 30 < loss < 40


def test_entropy_loss_refuses_a_regression_network() -> None:
    with pytest.raises(ConfigError, match="mean squared error"):
        NeuralNet(output="linear").entropy_loss([1.0], Matrix([[1.0]]))


def test_fit_returns_the_network_and_records_data_and_one_loss_per_iteration() -> None:
    X, y = xor()
    net = NeuralNet(layers=[2, 5, 1], learning_rate=0.001, iterations=100)
    assert net.fit(X, y) is net
    assert net.X == Matrix(X)
    assert net.y == y
    assert net.sample_size == 4
    assert len(net.loss) == 100
    assert all(isinstance(value, float) and math.isfinite(value) for value in net.loss)


def test_forward_propagation_returns_yhat_and_the_loss_on_the_training_data() -> None:
    X, y = xor()
    net = NeuralNet(layers=[2, 5, 1], iterations=10).fit(X, y)
    Yhat, loss = net.forward_propagation()
    assert isinstance(Yhat, Matrix) and Yhat.shape == (4, 1)
    assert Yhat == net.predict_proba(X)
    assert loss == net.loss_value(X, y)
    assert loss == pytest.approx(net.entropy_loss(y, Yhat), rel=1e-12)
    assert sorted(net.cache) == ["A0", "A1", "A2", "Z1", "Z2"]


def test_the_tutorials_loop_of_forward_and_back_propagation_learns() -> None:
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=1, seed=1).fit(X, y)
    losses = []
    for _ in range(500):
        Yhat, loss = net.forward_propagation()
        net.back_propagation(Yhat)
        losses.append(loss)
    assert losses[-1] < 0.05 < losses[0]
    assert net.predict(X) == y


def test_back_propagation_applies_exactly_w_minus_learning_rate_times_dw() -> None:
    X, y = half_moons(20, seed=3)
    net = NeuralNet(layers=[2, 5, 1], learning_rate=0.1, iterations=3, seed=4).fit(X, y)
    expected = net.gradients(X, y)
    before = {name: value.copy() for name, value in net.params.items()}
    Yhat, _ = net.forward_propagation()
    applied = net.back_propagation(Yhat)
    for name in net.param_names:
        assert applied[name] == expected[name]
        assert net.params[name] == before[name] - 0.1 * expected[name]


def test_layers_13_8_1_learns_a_heart_disease_like_table() -> None:
    X, y = heart_like(200, seed=0)
    X = standardize(X)
    net = NeuralNet(layers=[13, 8, 1], learning_rate=0.1, iterations=200, seed=1)
    net.fit(X[:150], y[:150])
    assert net.params["W1"].shape == (13, 8)
    assert net.score(X[:150], y[:150]) >= 0.9
    assert net.score(X[150:], y[150:]) >= 0.8  # held out
    assert set(net.predict(X)) == {0, 1}


def test_the_tutorials_settings_with_unscaled_weights_still_learn() -> None:
    # learning_rate 0.01, 500 iterations, standard-normal weights (init="normal"):
    # slower than He initialisation, but clearly better than chance.
    X, y = heart_like(200, seed=0)
    X = standardize(X)
    net = NeuralNet(layers=[13, 8, 1], learning_rate=0.01, iterations=500, init="normal", seed=1)
    net.fit(X[:150], y[:150])
    assert net.loss[-1] < net.loss[0] / 2
    assert net.score(X[:150], y[:150]) >= 0.75


# --- the maths: gradients against finite differences -----------------------------------

ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid", "identity"]
OUTPUTS = [("sigmoid", 1), ("softmax", 3), ("linear", 1), ("linear", 2)]
HIDDEN = [[3, 4], [3, 5, 4], [4, 6, 5, 4]]
GRADIENT_CASES = [
    (hidden + [k], activation, output)
    for activation in ACTIVATIONS
    for output, k in OUTPUTS
    for hidden in HIDDEN
]


@pytest.mark.parametrize("layers, activation, output", GRADIENT_CASES)
def test_gradients_match_finite_differences(layers: "List[int]", activation: str, output: str) -> None:
    seed = len(layers) * 10 + ACTIVATIONS.index(activation)
    net = network_for_gradient_check(layers, activation, output, seed)
    X, y = random_problem(layers, output, batch=7, seed=seed)
    analytic = net.gradients(X, y)
    numerical = numerical_gradients(net, X, y)
    assert relative_error(analytic, numerical) < 1e-6


@pytest.mark.parametrize("batch", [1, 2, 3, 16])
@pytest.mark.parametrize("output, k", OUTPUTS)
def test_gradients_divide_by_the_real_batch_size(batch: int, output: str, k: int) -> None:
    # The tutorial divided by a hard-coded m = 2.
    layers = [3, 5, k]
    net = network_for_gradient_check(layers, "relu", output, seed=batch)
    X, y = random_problem(layers, output, batch=batch, seed=batch + 50)
    assert relative_error(net.gradients(X, y), numerical_gradients(net, X, y)) < 1e-6


@pytest.mark.parametrize("output, k", OUTPUTS)
def test_gradients_of_a_network_without_hidden_layers(output: str, k: int) -> None:
    net = network_for_gradient_check([3, k], "relu", output, seed=9)
    X, y = random_problem([3, k], output, batch=5, seed=10)
    assert relative_error(net.gradients(X, y), numerical_gradients(net, X, y)) < 1e-6


def test_gradients_have_the_shapes_and_types_of_the_parameters() -> None:
    net = network_for_gradient_check([3, 5, 4, 2], "tanh", "softmax", seed=1)
    grads = net.gradients(*random_problem([3, 5, 4, 2], "softmax", 6, seed=2))
    assert sorted(grads) == sorted(net.params)
    for name, value in net.params.items():
        assert type(grads[name]) is type(value)
        assert grads[name].shape == value.shape


def test_gradients_and_loss_value_change_nothing_about_the_network() -> None:
    X, y = half_moons(30, seed=1)
    net = NeuralNet(layers=[2, 6, 4, 1], learning_rate=0.2, iterations=5, seed=2).fit(X, y)
    before = state(net)
    other_X, other_y = half_moons(9, seed=5)
    net.gradients(other_X, other_y)
    net.loss_value(other_X, other_y)
    net.predict(other_X)
    net.predict_proba(other_X)
    net.score(other_X, other_y)
    assert state(net) == before


# --- the maths: an independent reference ------------------------------------------------

W1 = [[0.5, -1.0, 0.25], [1.5, 0.75, -0.5]]
B1 = [0.1, -0.2, 0.3]
W2 = [[1.0], [-2.0], [0.5]]
B2 = [0.05]
X_SMALL = [[1.0, 2.0], [-0.5, 0.3], [0.2, -1.2], [0.0, 0.0]]


def reference_forward(x: "List[float]", activation: str) -> float:
    """One sample through a [2, 3, 1] network, with plain lists and math only."""
    hidden = []
    for j in range(3):
        z = sum(x[i] * W1[i][j] for i in range(2)) + B1[j]
        hidden.append(max(0.0, z) if activation == "relu" else math.tanh(z))
    z = sum(hidden[j] * W2[j][0] for j in range(3)) + B2[0]
    return 1.0 / (1.0 + math.exp(-z))


def set_small_params(net: NeuralNet) -> None:
    net.params = {"W1": Matrix(W1), "b1": Vector(B1), "W2": Matrix(W2), "b2": Vector(B2)}


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_predict_proba_matches_a_forward_pass_written_from_scratch(activation: str) -> None:
    net = NeuralNet(layers=[2, 3, 1], activation=activation)
    set_small_params(net)
    probabilities = net.predict_proba(X_SMALL)
    assert probabilities.shape == (4, 1)
    for row, x in zip(probabilities.tolist(), X_SMALL):
        assert row[0] == pytest.approx(reference_forward(x, activation), rel=1e-14)


def test_loss_value_matches_binary_cross_entropy_written_from_scratch() -> None:
    net = NeuralNet(layers=[2, 3, 1])
    set_small_params(net)
    y = [1, 0, 0, 1]
    expected = -sum(
        label * math.log(p) + (1 - label) * math.log(1 - p)
        for label, p in zip(y, (reference_forward(x, "relu") for x in X_SMALL))
    ) / 4
    assert net.loss_value(X_SMALL, y) == pytest.approx(expected, rel=1e-13)


def test_loss_value_matches_categorical_cross_entropy_written_from_scratch() -> None:
    net = NeuralNet(layers=[2, 3], output="softmax")
    net.params = {"W1": Matrix(W1), "b1": Vector(B1)}
    y = [2, 0, 1, 1]
    total = 0.0
    for x, label in zip(X_SMALL, y):
        logits = [sum(x[i] * W1[i][j] for i in range(2)) + B1[j] for j in range(3)]
        total -= math.log(math.exp(logits[label]) / sum(math.exp(z) for z in logits))
    assert net.loss_value(X_SMALL, y) == pytest.approx(total / 4, rel=1e-13)


def test_loss_value_matches_mean_squared_error_written_from_scratch() -> None:
    net = NeuralNet(layers=[2, 3], output="linear")
    net.params = {"W1": Matrix(W1), "b1": Vector(B1)}
    Y = [[1.0, 0.0, -1.0], [0.5, 0.5, 0.5], [0.0, 2.0, 0.0], [0.3, 0.3, 0.1]]
    squares = []
    for x, targets in zip(X_SMALL, Y):
        for j in range(3):
            prediction = sum(x[i] * W1[i][j] for i in range(2)) + B1[j]
            squares.append((prediction - targets[j]) ** 2)
    assert net.loss_value(X_SMALL, Y) == pytest.approx(sum(squares) / 12, rel=1e-13)


def test_huge_logits_give_exact_probabilities_and_finite_losses() -> None:
    sigmoid_net = NeuralNet(layers=[1, 1])
    sigmoid_net.params = {"W1": Matrix([[1000.0]]), "b1": Vector([0.0])}
    X = [[1.0], [-1.0]]
    assert sigmoid_net.predict_proba(X) == Matrix([[1.0], [0.0]])
    assert sigmoid_net.loss_value(X, [1, 1]) == 500.0  # (0 + 1000) / 2, no log(0)
    assert sigmoid_net.loss_value(X, [1, 0]) == 0.0

    softmax_net = NeuralNet(layers=[1, 3])
    softmax_net.params = {"W1": Matrix([[1000.0, 0.0, -1000.0]]), "b1": Vector([0.0, 0.0, 0.0])}
    P = softmax_net.predict_proba(X)
    assert P == Matrix([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    assert softmax_net.loss_value(X, [2, 2]) == 1000.0  # (2000 + 0) / 2
    grads = softmax_net.gradients(X, [2, 2])
    assert all(math.isfinite(g) for g in flat(grads["W1"]))


# --- learning ---------------------------------------------------------------------------


@pytest.mark.parametrize("activation, seed", [("relu", 1), ("tanh", 2)])
def test_learns_xor(activation: str, seed: int) -> None:
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, activation=activation, seed=seed)
    assert net.fit(X, y).predict(X) == [0, 1, 1, 0]
    assert net.score(X, y) == 1.0


def test_learns_two_interleaved_half_moons() -> None:
    X, y = half_moons(100, noise=0.1, seed=0)
    net = NeuralNet(layers=[2, 16, 1], learning_rate=0.5, iterations=400, seed=1).fit(X, y)
    assert net.score(X, y) >= 0.97


def test_loss_history_falls() -> None:
    X, y = half_moons(100, noise=0.1, seed=0)
    net = NeuralNet(layers=[2, 16, 1], learning_rate=0.3, iterations=300, seed=1).fit(X, y)
    loss = net.loss
    assert loss[-1] < loss[0] / 3
    falls = sum(1 for before, after in zip(loss, loss[1:]) if after <= before)
    assert falls >= 0.9 * (len(loss) - 1)


def test_learns_concentric_circles() -> None:
    X, y = circles(100, noise=0.05, factor=0.5, seed=0)
    net = NeuralNet(layers=[2, 8, 1], learning_rate=0.5, iterations=300, seed=1).fit(X, y)
    assert net.score(X, y) >= 0.98
    X_new, y_new = circles(60, noise=0.05, factor=0.5, seed=1)
    assert net.score(X_new, y_new) >= 0.95


def test_learns_a_three_class_spiral_with_softmax() -> None:
    X, y = spiral(40, classes=3, noise=0.2, seed=0)
    net = NeuralNet(layers=[2, 24, 3], learning_rate=0.5, iterations=600, seed=2).fit(X, y)
    assert net.output == "softmax"
    assert net.score(X, y) >= 0.95


def test_learns_three_blobs_and_generalizes() -> None:
    X, y = blobs(30, seed=0)
    net = NeuralNet(layers=[2, 8, 3], learning_rate=0.5, iterations=100, seed=1).fit(X, y)
    assert net.score(X, y) == 1.0
    X_new, y_new = blobs(30, seed=1)
    assert net.score(X_new, y_new) >= 0.95


def test_learns_a_sine_curve_by_regression() -> None:
    X, y = sine(40)
    net = NeuralNet(layers=[1, 16, 1], learning_rate=0.1, iterations=1000, activation="tanh",
                    output="linear", seed=1).fit(X, y)
    assert net.score(X, y) >= 0.97
    assert net.loss[-1] < net.loss[0] / 10


def test_learns_a_linear_map_with_two_outputs_exactly() -> None:
    X, Y = linear_map(30)
    net = NeuralNet(layers=[3, 2], learning_rate=0.3, iterations=300, output="linear").fit(X, Y)
    assert net.score(X, Y) > 0.9999
    assert net.params["W1"].allclose(Matrix([[1.0, -2.0], [0.5, 1.0], [-1.5, 0.25]]), rel_tol=1e-3)
    assert net.params["b1"].allclose(Vector([0.5, -1.0]), rel_tol=1e-3)


# --- seeding and initialisation ---------------------------------------------------------


def test_the_same_seed_gives_identical_weights_and_loss_history() -> None:
    X, y = half_moons(40, seed=2)
    first = NeuralNet(layers=[2, 8, 1], learning_rate=0.3, iterations=50, seed=7).fit(X, y)
    second = NeuralNet(layers=[2, 8, 1], learning_rate=0.3, iterations=50, seed=7).fit(X, y)
    assert params_of(first) == params_of(second)
    assert first.loss == second.loss
    first.fit(X, y)  # refitting starts again from the same weights
    assert params_of(first) == params_of(second) and first.loss == second.loss


def test_different_seeds_give_different_weights_and_losses() -> None:
    X, y = half_moons(40, seed=2)
    first = NeuralNet(layers=[2, 8, 1], learning_rate=0.3, iterations=20, seed=7).fit(X, y)
    second = NeuralNet(layers=[2, 8, 1], learning_rate=0.3, iterations=20, seed=8).fit(X, y)
    assert first.params["W1"] != second.params["W1"]
    assert first.loss != second.loss


@pytest.mark.parametrize("activation, init, expected_std", [
    ("relu", "auto", math.sqrt(2 / 200)),              # He
    ("leaky_relu", "auto", math.sqrt(2 / 200)),        # He
    ("tanh", "auto", math.sqrt(2 / (200 + 150))),      # Xavier
    ("sigmoid", "auto", math.sqrt(2 / (200 + 150))),   # Xavier
    ("tanh", "he", math.sqrt(2 / 200)),
    ("relu", "xavier", math.sqrt(2 / (200 + 150))),
    ("relu", "normal", 1.0),                           # the tutorial's unscaled draws
])
def test_initial_weights_have_the_documented_spread(activation: str, init: str, expected_std: float) -> None:
    # 200 inputs and 150 units: He and Xavier differ, and so do n_in and n_out.
    net = NeuralNet(layers=[200, 150, 1], activation=activation, init=init, seed=3)
    net.init_weights()
    values = [w for row in net.params["W1"].tolist() for w in row]
    mean = sum(values) / len(values)
    std = math.sqrt(sum((w - mean) ** 2 for w in values) / len(values))
    assert abs(mean) < 0.03 * expected_std
    assert std == pytest.approx(expected_std, rel=0.03)
    assert net.params["b1"].tolist() == [0.0] * 150


# --- predict, predict_proba, score -------------------------------------------------------


def test_binary_predict_gives_an_int_0_or_1_per_row() -> None:
    X, y = half_moons(40, seed=4)
    net = NeuralNet(layers=[2, 8, 1], learning_rate=0.5, iterations=100, seed=1).fit(X, y)
    predictions = net.predict(X)
    assert len(predictions) == 40
    assert all(type(p) is int and p in (0, 1) for p in predictions)
    P = net.predict_proba(X)
    assert P.shape == (40, 1)
    assert all(0.0 <= p <= 1.0 for p in P.column(0))
    assert predictions == [1 if p >= 0.5 else 0 for p in P.column(0)]
    assert net.score(X, y) == accuracy(y, predictions)


def test_multiclass_predict_is_the_argmax_of_probabilities_that_sum_to_one() -> None:
    X, y = blobs(10, seed=4)
    net = NeuralNet(layers=[2, 6, 3], learning_rate=0.5, iterations=20, seed=1).fit(X, y)
    predictions = net.predict(X)
    assert all(type(p) is int and 0 <= p < 3 for p in predictions)
    P = net.predict_proba(X)
    assert P.shape == (30, 3)
    for row, predicted in zip(P.tolist(), predictions):
        assert all(0.0 <= p <= 1.0 for p in row)
        assert sum(row) == pytest.approx(1.0, abs=1e-12)
        assert row[predicted] == max(row)
    assert net.score(X, y) == accuracy(y, predictions)


def test_predict_accepts_a_matrix_and_a_single_row() -> None:
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=1).fit(X, y)
    assert net.predict(Matrix(X)) == net.predict(X)
    assert net.predict([[0, 1]]) == [1]


def test_regression_predicts_a_float_per_row_and_scores_r_squared() -> None:
    X, y = sine(20)
    net = NeuralNet(layers=[1, 8, 1], learning_rate=0.1, iterations=100, activation="tanh",
                    output="linear").fit(X, y)
    predictions = net.predict(X)
    assert all(type(p) is float for p in predictions)
    mean = sum(y) / len(y)
    r2 = 1 - sum((a - b) ** 2 for a, b in zip(y, predictions)) / sum((b - mean) ** 2 for b in y)
    assert net.score(X, y) == pytest.approx(r2, rel=1e-12)
    with pytest.raises(ConfigError, match="no probabilities"):
        net.predict_proba(X)


def test_regression_with_two_outputs_predicts_a_list_per_row() -> None:
    X, Y = linear_map(10)
    net = NeuralNet(layers=[3, 2], learning_rate=0.1, iterations=10, output="linear").fit(X, Y)
    predictions = net.predict(X)
    assert len(predictions) == 10 and all(len(row) == 2 for row in predictions)


@pytest.mark.parametrize("call", ["predict", "predict_proba", "score", "gradients", "loss_value"])
def test_asking_before_fit_raises_not_fitted_error(call: str) -> None:
    net = NeuralNet()
    X, y = xor()
    args = (X,) if call in ("predict", "predict_proba") else (X, y)
    with pytest.raises(NotFittedError, match="fit"):
        getattr(net, call)(*args)
    assert issubclass(NotFittedError, ValueError)


def test_forward_propagation_before_fit_raises_not_fitted_error() -> None:
    with pytest.raises(NotFittedError, match="fit"):
        NeuralNet().forward_propagation()


# --- bad input: the right error, a clear message, and the model left as it was ----------

BAD_X = [
    ("ragged", [[0, 0], [1], [1, 0], [1, 1]], ShapeError, "ragged"),
    ("string", [[0, 0], [0, "a"], [1, 0], [1, 1]], DataError, r"row 1.*'a'"),
    ("None", [[0, 0], [0, 1], [None, 0], [1, 1]], DataError, r"row 2.*None"),
    ("True", [[0, 0], [0, 1], [1, 0], [True, 1]], DataError, r"row 3.*True"),
    ("NaN", [[0, 0], [0, NAN], [1, 0], [1, 1]], DataError, r"row 1, column 1 is nan.*finite"),
    ("inf", [[INF, 0], [0, 1], [1, 0], [1, 1]], DataError, r"row 0, column 0 is inf.*finite"),
    ("-inf", [[0, 0], [0, 1], [1, -INF], [1, 1]], DataError, r"row 2, column 1 is -inf"),
    ("empty", [], DataError, "empty"),
    ("3 features", [[0, 0, 0]] * 4, ShapeError, "3 features per row but the network's input layer has 2"),
    ("1 feature", [[0], [1], [1], [0]], ShapeError, "1 features per row but the network's input layer has 2"),
    ("a string", "abcd", DataError, "X must be"),
    ("a number", 3, DataError, "X must be"),
    ("None as X", None, DataError, "X must be"),
    ("rows of strings", ["ab", "cd", "ef", "gh"], DataError, "not a sequence of numbers"),
    ("a vector", Vector([1, 2]), ShapeError, "2-D"),
]

# (name, y, error, the message of a fit that finds the classes in y, the message
# of a call that looks y up in the classes [0, 1] a fit found earlier)
BAD_LABELS = [
    ("label 2", [0, 1, 2, 0], DataError,
     r"y holds 3 distinct labels \(0, 1, 2\) but the network tells 2 classes apart "
     r"\(2 classes, sigmoid output\)",
     r"y\[2\] is 2 \(int\), which is not one of this network's classes: 0, 1"),
    ("label -1", [0, -1, 1, 0], DataError, r"3 distinct labels \(-1, 0, 1\)",
     r"y\[1\] is -1 \(int\), which is not one of this network's classes: 0, 1"),
    ("label 0.5", [0, 0.5, 1, 0], DataError, r"3 distinct labels \(0, 0.5, 1\)",
     r"y\[1\] is 0.5 \(float\), which is not one"),
    ("label NaN", [0, 1, NAN, 0], DataError,
     r"y\[2\] is nan: class labels must be finite \(is it a missing value\?\)",
     r"y\[2\] is nan: class labels must be finite"),
    ("label None", [0, 1, 1, None], DataError,
     r"y mixes labels that cannot be sorted together: None \(NoneType\) and 0 \(int\)",
     r"y\[3\] is None \(NoneType\), which is not one"),
    ("label '1'", ["1", 1, 1, 0], DataError,
     r"y mixes labels that cannot be sorted together: 1 \(int\) and '1' \(str\)",
     r"y\[0\] is '1' \(str\), which is not one"),
    ("label True", [0, True, 1, 0], DataError,
     r"y mixes the bool True with the number 0: Python counts True as 1",
     r"y\[1\] is True \(bool\), which is not one"),
    ("label a list", [0, [1], 1, 0], DataError,
     r"y\[1\] is \[1\] \(list\): class labels must be hashable",
     r"y\[1\] is \[1\] \(list\): class labels must be hashable"),
    ("too few labels", [0, 1, 1], ShapeError, "X has 4 rows but y has 3 labels",
     "X has 4 rows but y has 3 labels"),
    ("too many labels", [0, 1, 1, 0, 1], ShapeError, "X has 4 rows but y has 5 labels",
     "X has 4 rows but y has 5 labels"),
    ("y None", None, DataError, "y must be a list", "y must be a list"),
    ("y a string", "0110", DataError, "y must be a list", "y must be a list"),
]


def fitted_xor_net() -> NeuralNet:
    X, y = xor()
    return NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=30, seed=1).fit(X, y)


@pytest.mark.parametrize("X, error, message", [case[1:] for case in BAD_X], ids=[case[0] for case in BAD_X])
def test_bad_X_is_refused_and_the_model_is_unchanged(X: object, error: type, message: str) -> None:
    net = fitted_xor_net()
    before = state(net)
    y = [0, 1, 1, 0][: len(X)] if isinstance(X, list) else [0, 1, 1, 0]
    with pytest.raises(error, match=message):
        net.fit(X, y)
    assert state(net) == before
    for call in (net.predict, net.predict_proba):
        with pytest.raises(error, match=message):
            call(X)
    with pytest.raises(error, match=message):
        net.score(X, y)
    assert state(net) == before
    assert issubclass(error, ValueError)


@pytest.mark.parametrize("y, error, fit_message, message", [case[1:] for case in BAD_LABELS],
                         ids=[case[0] for case in BAD_LABELS])
def test_bad_binary_labels_are_refused_and_the_model_is_unchanged(
        y: object, error: type, fit_message: str, message: str) -> None:
    net = fitted_xor_net()
    before = state(net)
    with pytest.raises(error, match=fit_message):
        net.fit(xor()[0], y)
    with pytest.raises(error, match=fit_message):
        NeuralNet(layers=[2, 4, 1]).partial_fit(xor()[0], y)  # the first batch finds classes
    for call in (net.score, net.gradients, net.loss_value, net.partial_fit):
        with pytest.raises(error, match=message):
            call(xor()[0], y)
    assert state(net) == before


@pytest.mark.parametrize("y, message", [
    ([0, 1, 3, 2, 0, 1], r"y holds 4 distinct labels \(0, 1, 2, 3\) but the network tells 3 "
                         r"classes apart \(3 classes, softmax output\): labels must be the "
                         r"class indices 0..2, or exactly 3 distinct values"),
    ([0, 1, 2, 2, -1, 1], r"4 distinct labels \(-1, 0, 1, 2\)"),
    ([0, 1, 2.5, 2, 0, 1], r"4 distinct labels \(0, 1, 2, 2.5\)"),
    (["a", "b", "a", "b", "a", "b"], r"y holds 2 distinct labels \('a', 'b'\) but the network "
                                     r"tells 3 classes apart"),
])
def test_bad_multiclass_labels_are_refused_and_the_model_is_unchanged(y: "List[Any]", message: str) -> None:
    X, good = blobs(2, seed=1)
    net = NeuralNet(layers=[2, 4, 3], learning_rate=0.5, iterations=10).fit(X, good)
    before = state(net)
    with pytest.raises(DataError, match=message):
        net.fit(X, y)
    assert state(net) == before


def test_whole_float_labels_are_accepted() -> None:
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=1)
    assert net.fit(X, [float(label) for label in y]).predict(X) == y


@pytest.mark.parametrize("y, error, message", [
    ([0.0, NAN, 1.0], DataError, r"y row 1, column 0 is nan.*finite"),
    ([0.0, 1.0, INF], DataError, r"y row 2, column 0 is inf"),
    ([0.0, "a", 1.0], DataError, r"'a'.*not a number"),
    ([0.0, None, 1.0], DataError, r"None.*not a number"),
    ([0.0, 1.0], ShapeError, "X has 3 rows but y has 2"),
    ([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]], ShapeError, "y has 2 values per sample but the network has 1"),
])
def test_bad_regression_targets_are_refused_and_the_model_is_unchanged(
    y: object, error: type, message: str
) -> None:
    X = [[0.0], [1.0], [2.0]]
    net = NeuralNet(layers=[1, 3, 1], output="linear", iterations=5).fit(X, [0.0, 1.0, 2.0])
    before = state(net)
    with pytest.raises(error, match=message):
        net.fit(X, y)
    assert state(net) == before


@pytest.mark.parametrize("settings, message", [
    ({"layers": [2]}, r"at least 2 sizes"),
    ({"layers": []}, r"at least 2 sizes"),
    ({"layers": [2, 0, 1]}, r"layer 1 has size 0.*at least 1 unit"),
    ({"layers": [0, 3, 1]}, r"layer 0 has size 0"),
    ({"layers": [2, -3, 1]}, r"layer 1 has size -3"),
    ({"layers": [2, 2.5, 1]}, r"layer 1 has size 2.5"),
    ({"layers": [2, True, 1]}, r"layer 1 has size True"),
    ({"layers": "2,5,1"}, r"layers must be a list"),
    ({"layers": None}, r"layers must be a list"),
    ({"learning_rate": 0}, r"learning_rate must be a finite number > 0, got 0"),
    ({"learning_rate": -0.1}, r"learning_rate must be a finite number > 0, got -0.1"),
    ({"learning_rate": NAN}, r"learning_rate must be a finite number > 0, got nan"),
    ({"learning_rate": INF}, r"learning_rate must be a finite number > 0, got inf"),
    ({"learning_rate": "0.1"}, r"learning_rate must be a number"),
    ({"learning_rate": None}, r"learning_rate must be a number"),
    ({"activation": "swish"}, r"unknown activation 'swish'.*relu, leaky_relu, tanh, sigmoid"),
    ({"activation": "softmax"}, r"unknown activation 'softmax'"),
    ({"output": "tanh"}, r"unknown output 'tanh'.*sigmoid, softmax, linear"),
    ({"init": "glorot"}, r"unknown init 'glorot'.*auto, he, xavier, normal"),
    ({"iterations": 0}, r"iterations must be a whole number >= 1, got 0"),
    ({"iterations": -5}, r"iterations must be a whole number >= 1"),
    ({"iterations": 10.0}, r"iterations must be a whole number >= 1"),
    ({"iterations": True}, r"iterations must be a whole number >= 1"),
    ({"layers": [2, 3, 2], "output": "sigmoid"}, r"sigmoid output needs 1 output unit, got 2"),
    ({"layers": [2, 3, 1], "output": "softmax"}, r"softmax output needs at least 2 output units"),
    ({"seed": -1}, r"seed must be a whole number >= 0"),
    ({"seed": 1.5}, r"seed must be a whole number >= 0"),
])
def test_impossible_settings_raise_config_error_naming_the_problem(
    settings: "Dict[str, Any]", message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        NeuralNet(**settings)
    assert issubclass(ConfigError, ValueError)


def test_divergence_raises_config_error_and_restores_the_fitted_model() -> None:
    X, y = sine(20)
    net = NeuralNet(layers=[1, 8, 1], learning_rate=0.01, iterations=20, output="linear").fit(X, y)
    before = state(net)
    net.learning_rate = 1e6
    with pytest.raises(ConfigError, match=r"diverged.*lower the learning rate"):
        net.fit(X, y)
    net.learning_rate = 0.01
    assert state(net) == before


def test_divergence_from_the_start_leaves_an_unfitted_model() -> None:
    X, y = sine(20)
    net = NeuralNet(layers=[1, 8, 1], learning_rate=1e6, iterations=50, output="linear")
    with pytest.raises(ConfigError, match=r"diverged.*lower the learning rate"):
        net.fit(X, y)
    assert net.params == {} and net.loss == [] and net.X is None
    with pytest.raises(NotFittedError):
        net.predict(X)


@pytest.mark.parametrize("iterations", [1, 2])
def test_divergence_on_the_last_step_is_caught_too(iterations: int) -> None:
    # The loss is measured before each step, so a last step that blows the
    # weights up to infinity must be caught separately.
    X, y = sine(20)
    net = NeuralNet(layers=[1, 8, 1], learning_rate=1e300, iterations=iterations, output="linear")
    with pytest.raises(ConfigError, match=r"diverged.*lower the learning rate"):
        net.fit(X, y)
    assert net.params == {}


# --- the examples -----------------------------------------------------------------------


def run_example(name: str, tmp_path: object) -> str:
    """Run ``examples/<name>`` as a user would, from elsewhere and with nothing installed."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, os.path.join(REPO_ROOT, "examples", name)],
        cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def printed_losses(output: str) -> "List[float]":
    return [float(value) for value in re.findall(r"loss\s+([0-9.]+)", output)]


def test_binary_classification_example_learns_the_half_moons(tmp_path: object) -> None:
    output = run_example("binary_classification.py", tmp_path)
    losses = printed_losses(output)
    assert len(losses) >= 5 and losses[-1] < losses[0] / 3
    found = re.search(r"training accuracy:\s+([0-9.]+)%", output)
    assert found is not None and float(found.group(1)) >= 97.0
    assert "test accuracy" in output


def test_multiclass_example_learns_three_classes(tmp_path: object) -> None:
    output = run_example("multiclass.py", tmp_path)
    losses = printed_losses(output)
    assert len(losses) >= 5 and losses[-1] < losses[0] / 3
    found = re.search(r"training accuracy:\s+([0-9.]+)%", output)
    assert found is not None and float(found.group(1)) >= 95.0


def test_walkthrough_example_shows_each_step_and_agrees_with_the_network(tmp_path: object) -> None:
    output = run_example("walkthrough.py", tmp_path)
    for formula in ("Z1 = X @ W1 + b1", "A1 = relu(Z1)", "Z2 = A1 @ W2 + b2", "A2 = sigmoid(Z2)",
                    "dZ2 = A2 - Y", "dW2 = A1.T @ dZ2 / m", "db2", "dZ1", "dW1 = X.T @ dZ1 / m", "db1"):
        assert formula in output
    assert "agree with net.gradients()" in output
    errors = [float(value) for value in re.findall(r"relative error\s+([0-9.e+-]+)", output)]
    assert errors and all(error < 1e-6 for error in errors)


def test_the_tutorials_manual_loop_works_with_hand_set_X_and_y() -> None:
    # The tutorial sets net.X and net.y itself, then loops over
    # forward_propagation / back_propagation; that must train like fit does.
    X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0]
    manual = NeuralNet([2, 4, 1], learning_rate=0.5, iterations=200, seed=3)
    manual.X, manual.y = X, y
    manual.init_weights()
    for _ in range(200):
        Yhat, loss = manual.forward_propagation()
        manual.back_propagation(Yhat)
        manual.loss.append(loss)
    fitted = NeuralNet([2, 4, 1], learning_rate=0.5, iterations=200, seed=3).fit(X, y)
    if kernels.KERNEL == "sumprod":  # fit's written-out step rounds per term (tinynet.faststep)
        assert manual.loss == pytest.approx(fitted.loss, rel=1e-9)
        for got, want in zip(manual.params["W1"].rows, fitted.params["W1"].rows):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
    else:
        assert manual.loss == fitted.loss
        assert manual.params["W1"] == fitted.params["W1"]


def test_early_stopping_keeps_y_in_step_with_the_training_rows() -> None:
    X = [[0.1 * i, 0.2 * (i % 5)] for i in range(40)]
    y = [i % 2 for i in range(40)]
    net = NeuralNet([2, 4, 1], iterations=3, early_stopping=True, validation_fraction=0.25).fit(X, y)
    assert net.sample_size == len(net.X) == len(net.y) == 30
    kept = {tuple(row): label for row, label in zip(X, y)}
    assert [kept[tuple(row)] for row in net.X.rows] == net.y


# --- found in review --------------------------------------------------------------

X_SMALL = [[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [1.0, 1.0]]
Y_SMALL = [0, 1, 1, 0]


def test_score_of_a_constant_regression_target_is_finite_and_matches_r2_score() -> None:
    from tinynet.metrics import r2_score

    X, y = [[0.0], [1.0], [2.0]], [0.1, 0.1, 0.1]
    net = NeuralNet([1, 3, 1], output="linear", learning_rate=0.01, iterations=5).fit(X, y)
    assert net.score(X, y) == r2_score(y, net.predict(X))
    assert net.score(X, y) in (0.0, 1.0)


@pytest.mark.parametrize("bad", [5, (X_SMALL,), "xy", [X_SMALL, Y_SMALL, Y_SMALL]])
def test_malformed_validation_data_is_a_config_error(bad: object) -> None:
    net = NeuralNet([2, 3, 1])
    with pytest.raises(ConfigError, match="validation_data must be a pair"):
        net.fit(X_SMALL, Y_SMALL, validation_data=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [object(), 3, True, None])
def test_non_iterable_X_or_y_is_a_data_error(bad: object) -> None:
    net = NeuralNet([2, 3, 1])
    with pytest.raises(DataError, match="X must be"):
        net.fit(bad, Y_SMALL)
    with pytest.raises(DataError, match="y must be"):
        net.fit(X_SMALL, bad)


def test_y_given_as_a_generator_is_used_once_and_kept() -> None:
    net = NeuralNet([2, 3, 1], iterations=2).fit(X_SMALL, (label for label in Y_SMALL))
    assert net.y == list(Y_SMALL)


def test_entropy_loss_accepts_plain_lists_and_refuses_mismatched_shapes() -> None:
    net = NeuralNet([2, 3, 1])
    assert net.entropy_loss([1, 0], [[0.5], [0.5]]) == pytest.approx(math.log(2.0))
    with pytest.raises(ShapeError, match="cannot compare targets 2x2 with Yhat 2x1"):
        net.entropy_loss(Matrix([[1.0, 0.0], [0.0, 1.0]]), Matrix([[0.5], [0.5]]))
    with pytest.raises(ShapeError, match="Yhat has 2 columns"):
        net.entropy_loss([1, 0], [[0.5, 0.5], [0.5, 0.5]])


def test_back_propagation_before_a_forward_pass_says_what_to_call() -> None:
    net = NeuralNet([2, 3, 1])
    net.X, net.y = X_SMALL, Y_SMALL
    net.init_weights()
    with pytest.raises(NotFittedError, match="forward_propagation"):
        net.back_propagation(Matrix([[0.5]] * len(Y_SMALL)))
    Yhat, _ = net.forward_propagation()
    with pytest.raises(ShapeError, match="Yhat must be"):
        net.back_propagation([[0.5]] * len(Y_SMALL))  # type: ignore[arg-type]


@pytest.mark.parametrize("setting", ["early_stopping", "nesterov"])
def test_switches_must_be_real_booleans(setting: str) -> None:
    options = {setting: "no"}
    if setting == "nesterov":
        options["optimizer"] = "momentum"
    with pytest.raises(ConfigError, match=setting + " must be True or False"):
        NeuralNet([2, 3, 1], **options)  # type: ignore[arg-type]


def test_predicting_with_a_scaler_scans_X_for_nan_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import tinynet.checks
    import tinynet.inputs
    import tinynet.scaler
    from tinynet import StandardScaler

    X, y = half_moons(20, noise=0.1, seed=2)
    net = NeuralNet([2, 4, 1], iterations=5, seed=1)
    net.scaler = StandardScaler().fit(X)
    net.fit(X, y)
    # The same network without its scaler, given X scaled by hand.
    unscaled = NeuralNet.from_dict(net.to_dict())
    unscaled.scaler = None
    want = unscaled.predict_proba(
        [[(x - m) / s for x, m, s in zip(row, net.scaler.mean, net.scaler.scale)] for row in X])
    scans: "List[int]" = []
    first_non_finite = tinynet.checks.first_non_finite

    def counted(rows: "Any") -> "Any":
        scans.append(1)
        return first_non_finite(rows)

    for module in (tinynet.inputs, tinynet.scaler):
        monkeypatch.setattr(module, "first_non_finite", counted)
    assert net.predict_proba(X) == want
    assert len(scans) == 1
    with pytest.raises(DataError, match=r"X row 1, column 0 is nan"):
        net.predict([[0.0, 0.0], [NAN, 0.0]])

"""Tests for tinynet.optimizers: each update rule checked by hand, step by step, and in training.

The hand checks take the gradients ``NeuralNet.gradients`` reports before each
``partial_fit`` call and apply the published update rule to the test's own
copy of the weights and of the optimizer's memory; ``partial_fit`` must land
on the same weights.
"""

import math

import pytest

from datasets import half_moons, linear_map
from tinynet import ConfigError, Matrix, Vector
from tinynet.network import NeuralNet
from tinynet.optimizers import Adam, GradientDescent, Momentum, make_optimizer

# Three small batches (A, B, C) for a [2, 3, 2] softmax network.
BATCHES = [
    ([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]], [0, 1, 1]),
    ([[2.0, 0.5], [-1.0, -1.5]], [1, 0]),
    ([[0.1, 0.2], [0.3, -0.4], [-0.5, 0.6], [0.7, 0.8]], [0, 0, 1, 1]),
]

OPTIMIZER_SETTINGS = [
    ("gd", {"optimizer": "gd", "learning_rate": 0.5}),
    ("momentum", {"optimizer": "momentum", "learning_rate": 0.1}),
    ("nesterov", {"optimizer": "momentum", "nesterov": True, "learning_rate": 0.1}),
    ("adam", {"optimizer": "adam", "learning_rate": 0.02}),
]


def flat(param):
    """A parameter's values as one flat list of floats (a Matrix row by row)."""
    values = param.tolist()
    if values and isinstance(values[0], list):
        return [x for row in values for x in row]
    return values


def flat_params(net):
    return {name: flat(net.params[name]) for name in net.param_names}


def assert_close(got, expected, rel=1e-12, abs_tol=1e-15):
    for name in expected:
        assert len(got[name]) == len(expected[name])
        for a, b in zip(got[name], expected[name]):
            assert math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol), (name, a, b)


def tiny_net(**settings):
    net = NeuralNet(layers=[2, 3, 2], activation="tanh", seed=5, **settings)
    net.init_weights()
    return net


# --- each rule, step by step ----------------------------------------------------------


def test_gd_matches_w_minus_lr_g_for_three_steps():
    rate = 0.3
    net = tiny_net(optimizer="gd", learning_rate=rate)
    weights = flat_params(net)
    for X, y in BATCHES:
        grads = {name: flat(g) for name, g in net.gradients(X, y).items()}
        for name in weights:
            weights[name] = [w - rate * g for w, g in zip(weights[name], grads[name])]
        net.partial_fit(X, y)
        assert_close(flat_params(net), weights)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_matches_the_velocity_rule_for_three_steps(nesterov):
    rate, mu = 0.2, 0.7
    net = tiny_net(optimizer="momentum", learning_rate=rate, momentum=mu, nesterov=nesterov)
    weights = flat_params(net)
    velocity = {name: [0.0] * len(values) for name, values in weights.items()}
    for X, y in BATCHES:
        grads = {name: flat(g) for name, g in net.gradients(X, y).items()}
        for name in weights:
            new_v = [mu * v - rate * g for v, g in zip(velocity[name], grads[name])]
            if nesterov:
                steps = [mu * v - rate * g for v, g in zip(new_v, grads[name])]
            else:
                steps = new_v
            weights[name] = [w + s for w, s in zip(weights[name], steps)]
            velocity[name] = new_v
        net.partial_fit(X, y)
        assert_close(flat_params(net), weights)


def test_nesterov_takes_a_different_path_from_plain_momentum():
    plain = tiny_net(optimizer="momentum", learning_rate=0.2, momentum=0.7)
    ahead = tiny_net(optimizer="momentum", learning_rate=0.2, momentum=0.7, nesterov=True)
    for X, y in BATCHES:
        plain.partial_fit(X, y)
        ahead.partial_fit(X, y)
    assert flat_params(plain)["W1"] != flat_params(ahead)["W1"]


def test_adam_matches_kingma_and_ba_algorithm_1_for_three_steps():
    # Unusual betas and epsilon, so a swapped or ignored setting shows.
    rate, beta1, beta2, eps = 0.05, 0.8, 0.95, 1e-3
    net = tiny_net(optimizer="adam", learning_rate=rate, beta1=beta1, beta2=beta2, epsilon=eps)
    weights = flat_params(net)
    m = {name: [0.0] * len(values) for name, values in weights.items()}
    v = {name: [0.0] * len(values) for name, values in weights.items()}
    for t, (X, y) in enumerate(BATCHES, start=1):
        grads = {name: flat(g) for name, g in net.gradients(X, y).items()}
        for name in weights:
            m[name] = [beta1 * mi + (1 - beta1) * g for mi, g in zip(m[name], grads[name])]
            v[name] = [beta2 * vi + (1 - beta2) * g * g for vi, g in zip(v[name], grads[name])]
            m_hat = [mi / (1 - beta1 ** t) for mi in m[name]]
            v_hat = [vi / (1 - beta2 ** t) for vi in v[name]]
            weights[name] = [w - rate * mh / (math.sqrt(vh) + eps)
                             for w, mh, vh in zip(weights[name], m_hat, v_hat)]
        net.partial_fit(X, y)
        assert net.optimizer_state.t == t
        assert_close(flat_params(net), weights)


def test_adam_first_step_moves_every_weight_by_about_the_learning_rate():
    # With m_hat = g and v_hat = g**2 after one step, the update is lr * g / (|g| + eps).
    rate = 0.01
    net = tiny_net(optimizer="adam", learning_rate=rate, epsilon=1e-12)
    before = flat_params(net)
    grads = {name: flat(g) for name, g in net.gradients(*BATCHES[0]).items()}
    net.partial_fit(*BATCHES[0])
    after = flat_params(net)
    for name in before:
        for w0, w1, g in zip(before[name], after[name], grads[name]):
            assert abs(g) > 1e-9  # every weight of this case has a real gradient
            assert math.isclose(w0 - w1, math.copysign(rate, g), rel_tol=1e-6)


def test_zero_momentum_is_plain_gradient_descent_bit_for_bit():
    X, y = half_moons(30, noise=0.2, seed=1)
    reference = NeuralNet([2, 4, 1], learning_rate=0.3, iterations=20, batch_size=8).fit(X, y)
    for nesterov in (False, True):
        net = NeuralNet([2, 4, 1], learning_rate=0.3, iterations=20, batch_size=8,
                        optimizer="momentum", momentum=0.0, nesterov=nesterov).fit(X, y)
        assert flat_params(net) == flat_params(reference)


# --- the optimizers on their own ------------------------------------------------------


def test_make_optimizer_builds_each_kind_with_its_settings():
    assert isinstance(make_optimizer("gd", 0.1), GradientDescent)
    momentum = make_optimizer("momentum", 0.1, momentum=0.5, nesterov=True)
    assert isinstance(momentum, Momentum) and momentum.momentum == 0.5 and momentum.nesterov
    adam = make_optimizer("adam", 0.1, beta1=0.7, beta2=0.8, epsilon=1e-5)
    assert isinstance(adam, Adam) and (adam.beta1, adam.beta2, adam.epsilon) == (0.7, 0.8, 1e-5)


def test_make_optimizer_refuses_an_unknown_name_listing_the_choices():
    with pytest.raises(ConfigError, match="unknown optimizer 'sgd'.*gd, momentum, adam"):
        make_optimizer("sgd", 0.1)


@pytest.mark.parametrize("kind", ["gd", "momentum", "adam"])
def test_optimizers_update_matrices_and_vectors_in_place(kind):
    optimizer = make_optimizer(kind, 0.5)
    W = Matrix([[1.0, 2.0], [3.0, 4.0]])
    b = Vector([1.0, -1.0])
    params = {"W1": W, "b1": b}
    grads = {"W1": Matrix([[1.0, -1.0], [0.5, 0.0]]), "b1": Vector([2.0, 0.0])}
    optimizer.step(params, grads, ["W1", "b1"])
    assert params["W1"] is W and params["b1"] is b
    assert W.tolist()[0][0] < 1.0 and W.tolist()[0][1] > 2.0 and W.tolist()[1][1] == 4.0
    assert b.tolist()[0] < 1.0 and b.tolist()[1] == -1.0


def test_a_copied_optimizer_keeps_its_memory_when_the_original_steps_on():
    params = {"W1": Matrix([[1.0, 2.0]]), "b1": Vector([0.5])}
    grads = {"W1": Matrix([[0.1, -0.2]]), "b1": Vector([0.3])}
    names = ["W1", "b1"]
    for optimizer in (Momentum(0.1, 0.9, False), Adam(0.1, 0.9, 0.999, 1e-8)):
        optimizer.step(params, grads, names)
        twin = optimizer.copy()
        memory = [value.tolist() for value in _memory(twin)]
        optimizer.step(params, grads, names)
        assert [value.tolist() for value in _memory(twin)] == memory
        assert [value.tolist() for value in _memory(optimizer)] != memory
    assert twin.t == 1 and optimizer.t == 2


def _memory(optimizer):
    if isinstance(optimizer, Momentum):
        return [optimizer.velocity[name] for name in ("W1", "b1")]
    return [optimizer.m[name] for name in ("W1", "b1")] + [optimizer.v[name] for name in ("W1", "b1")]


# --- convergence ----------------------------------------------------------------------


@pytest.mark.parametrize("name, settings", OPTIMIZER_SETTINGS, ids=[s[0] for s in OPTIMIZER_SETTINGS])
def test_each_optimizer_learns_half_moons(name, settings):
    # No straight line separates the moons (a linear model stays below 0.9 here).
    X, y = half_moons(80, noise=0.1, seed=3)
    X_test, y_test = half_moons(80, noise=0.1, seed=4)
    net = NeuralNet([2, 10, 1], activation="tanh", iterations=400, seed=2, **settings).fit(X, y)
    assert net.score(X_test, y_test) >= 0.95
    assert net.loss[-1] < 0.5 * net.loss[0]


def test_a_linear_model_cannot_separate_half_moons():
    X, y = half_moons(80, noise=0.1, seed=3)
    X_test, y_test = half_moons(80, noise=0.1, seed=4)
    net = NeuralNet([2, 1], iterations=400, optimizer="adam", learning_rate=0.02, seed=2).fit(X, y)
    assert net.score(X_test, y_test) < 0.9


@pytest.mark.parametrize("name, settings", OPTIMIZER_SETTINGS, ids=[s[0] for s in OPTIMIZER_SETTINGS])
def test_each_optimizer_solves_a_linear_regression(name, settings):
    X, Y = linear_map(40, seed=1)
    rate = {"gd": 0.3, "momentum": 0.05, "nesterov": 0.05, "adam": 0.05}[name]
    settings = dict(settings, learning_rate=rate)
    net = NeuralNet([3, 2], output="linear", iterations=400, seed=2, **settings).fit(X, Y)
    assert net.score(X, Y) > 0.999999
    assert net.loss[-1] < 1e-8
    # The map is y = x @ [[1, -2], [0.5, 1], [-1.5, 0.25]] + [0.5, -1]: the weights are found.
    for got, want in zip(flat(net.params["W1"]), [1.0, -2.0, 0.5, 1.0, -1.5, 0.25]):
        assert abs(got - want) < 1e-3
    for got, want in zip(flat(net.params["b1"]), [0.5, -1.0]):
        assert abs(got - want) < 1e-3


@pytest.mark.parametrize("name, settings", OPTIMIZER_SETTINGS, ids=[s[0] for s in OPTIMIZER_SETTINGS])
def test_each_optimizer_learns_with_mini_batches(name, settings):
    X, y = half_moons(80, noise=0.1, seed=3)
    X_test, y_test = half_moons(80, noise=0.1, seed=4)
    net = NeuralNet([2, 10, 1], activation="tanh", iterations=100, batch_size=10, seed=2,
                    **settings).fit(X, y)
    assert net.score(X_test, y_test) >= 0.95


# --- memory across calls ---------------------------------------------------------------


def test_adam_step_count_grows_across_partial_fit_and_restarts_with_fit():
    X, y = half_moons(20, noise=0.1, seed=1)
    net = NeuralNet([2, 4, 1], optimizer="adam", iterations=3, batch_size=8, seed=1)
    net.fit(X, y)
    assert net.optimizer_state.t == 3 * 3  # ceil(20 / 8) = 3 steps a epoch
    net.partial_fit(X[:5], y[:5])
    net.partial_fit(X[5:], y[5:])
    assert net.optimizer_state.t == 11
    net.fit(X, y)
    assert net.optimizer_state.t == 9


def test_momentum_velocity_carries_over_between_partial_fit_calls():
    carried = tiny_net(optimizer="momentum", learning_rate=0.2, momentum=0.9)
    for X, y in BATCHES[:2]:
        carried.partial_fit(X, y)
    # The same second step from the same weights but with no velocity differs.
    forgetful = tiny_net(optimizer="momentum", learning_rate=0.2, momentum=0.9)
    forgetful.partial_fit(*BATCHES[0])
    forgetful.optimizer_state = make_optimizer("momentum", 0.2, momentum=0.9)
    forgetful.partial_fit(*BATCHES[1])
    assert flat_params(carried)["W1"] != flat_params(forgetful)["W1"]


# --- settings --------------------------------------------------------------------------


@pytest.mark.parametrize("setting, value", [
    ("optimizer", "sgd"),
    ("optimizer", "Adam"),
    ("optimizer", None),
    ("momentum", 1.0),
    ("momentum", -0.1),
    ("momentum", float("nan")),
    ("momentum", True),
    ("beta1", 1.0),
    ("beta1", -0.1),
    ("beta2", 1.0),
    ("beta2", 1.5),
    ("beta2", -0.5),
    ("epsilon", 0),
    ("epsilon", -1e-8),
    ("epsilon", float("inf")),
    ("learning_rate", 0),
])
def test_bad_optimizer_settings_raise_config_error_naming_the_setting(setting, value):
    with pytest.raises(ConfigError, match=setting):
        NeuralNet([2, 3, 1], **{setting: value})


def test_config_error_is_a_value_error():
    with pytest.raises(ValueError):
        NeuralNet([2, 3, 1], optimizer="rmsprop")


@pytest.mark.parametrize("setting, value", [("momentum", 0.0), ("beta1", 0.0), ("beta2", 0.0),
                                            ("momentum", 0.999)])
def test_edge_optimizer_settings_are_accepted(setting, value):
    assert getattr(NeuralNet([2, 3, 1], **{setting: value}), setting) == value

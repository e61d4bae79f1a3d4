"""Tests for training past toy data: mini-batches, L2, early stopping, partial_fit,
progress output and callbacks, reproducibility, and settings refused up front.

The optimizers' update rules are checked in ``tests/test_optimizers.py``.
"""

import sys
import warnings

import pytest

from datasets import blobs, half_moons, heart_like, linear_map, sine, xor
from gradcheck import numerical_gradients, relative_error
from tinynet import (
    ConfigError,
    ConvergenceWarning,
    DataError,
    InterruptedWarning,
    kernels,
    Matrix,
    Random,
    ShapeError,
    StandardScaler,
    messages,
    training,
)
from tinynet.data import train_test_split
from tinynet.network import NeuralNet
from tinynet.messages import progress_line, short_number
from tinynet.training import EarlyStopping, batches, split_off, still_falling

OPTIMIZERS = [
    {"optimizer": "gd"},
    {"optimizer": "momentum"},
    {"optimizer": "momentum", "nesterov": True},
    {"optimizer": "adam"},
]
OPTIMIZER_IDS = ["gd", "momentum", "nesterov", "adam"]


def weights(net):
    """Every parameter as plain lists, for comparing bit for bit with ``==``."""
    return {name: net.params[name].tolist() for name in net.param_names}


def squared_weights(net):
    """Sum of the squares of every ``Wl`` (biases left out)."""
    return sum(w * w for l in range(1, net.n_layers + 1)
               for row in net.params["W%d" % l].tolist() for w in row)


def record_training(net):
    """Wrap ``net`` so that fit records each optimizer step and the rows of each batch.

    Steps are counted on the optimizer ``init_weights`` creates; batches are seen
    by wrapping ``_train_step``, the loop's one-batch step.
    """
    steps = []
    batch_rows = []
    original_init = net.init_weights
    original_train_step = net._train_step

    def init_weights():
        original_init()
        step = net.optimizer_state.step

        def counted_step(params, grads, names):
            steps.append(1)
            step(params, grads, names)

        net.optimizer_state.step = counted_step

    def train_step(X, Y, epoch):
        batch_rows.append((epoch, [tuple(row) for row in X.tolist()], [row[0] for row in Y.tolist()]))
        return original_train_step(X, Y, epoch)

    net.init_weights = init_weights
    net._train_step = train_step
    return steps, batch_rows


def moons(n=23, seed=1):
    return half_moons(n, noise=0.2, seed=seed)


# --- mini-batches ----------------------------------------------------------------------


@pytest.mark.parametrize("batch_size, per_epoch", [(1, 23), (5, 5), (10, 3), (22, 2), (23, 1),
                                                   (100, 1), (None, 1)])
def test_each_epoch_makes_ceil_n_over_batch_size_optimizer_steps(batch_size, per_epoch):
    X, y = moons(23)
    net = NeuralNet([2, 3, 1], iterations=4, batch_size=batch_size, learning_rate=0.1)
    steps, _ = record_training(net)
    net.fit(X, y)
    assert len(steps) == 4 * per_epoch
    assert len(net.loss) == 4


def test_every_sample_is_used_once_per_epoch_in_batches_of_batch_size():
    X, y = moons(23)
    net = NeuralNet([2, 3, 1], iterations=3, batch_size=5, learning_rate=0.1)
    _, batch_rows = record_training(net)
    net.fit(X, y)
    everything = sorted(zip(map(tuple, X), y))
    for epoch in range(3):
        epoch_batches = [(rows, labels) for e, rows, labels in batch_rows if e == epoch]
        assert [len(rows) for rows, _ in epoch_batches] == [5, 5, 5, 5, 3]
        seen = [(row, label) for rows, labels in epoch_batches for row, label in zip(rows, labels)]
        assert sorted(seen) == everything  # each sample once, with its own label


def epoch_orders(batch_rows):
    orders = {}
    for epoch, rows, _ in batch_rows:
        orders.setdefault(epoch, []).extend(rows)
    return [orders[e] for e in sorted(orders)]


def test_batches_are_reshuffled_every_epoch_and_seeded():
    X, y = moons(23)

    def orders(seed):
        net = NeuralNet([2, 3, 1], iterations=3, batch_size=5, learning_rate=0.1, seed=seed)
        _, batch_rows = record_training(net)
        net.fit(X, y)
        return epoch_orders(batch_rows), weights(net)

    orders_a, weights_a = orders(7)
    assert orders_a[0] != orders_a[1] != orders_a[2]
    orders_again, weights_again = orders(7)
    assert orders_again == orders_a and weights_again == weights_a
    orders_b, weights_b = orders(8)
    assert orders_b != orders_a and weights_b != weights_a


def test_full_batch_order_is_the_data_order():
    X, y = moons(23)
    net = NeuralNet([2, 3, 1], iterations=2, learning_rate=0.1)
    _, batch_rows = record_training(net)
    net.fit(X, y)
    assert epoch_orders(batch_rows) == [[tuple(row) for row in X]] * 2


@pytest.mark.parametrize("settings", OPTIMIZERS, ids=OPTIMIZER_IDS)
def test_fit_with_batches_equals_partial_fit_on_the_same_batches(settings):
    # fit's epoch is one optimizer step per batch; its loss is the size-weighted
    # mean of the batch losses, each measured before its step.
    X, y = moons(23)
    net = NeuralNet([2, 4, 1], iterations=3, batch_size=6, learning_rate=0.05, seed=4, **settings)
    _, batch_rows = record_training(net)
    net.fit(X, y)
    replay = NeuralNet([2, 4, 1], learning_rate=0.05, seed=4, **settings)
    epoch_losses = [0.0, 0.0, 0.0]
    for epoch, rows, labels in batch_rows:
        replay.partial_fit([list(row) for row in rows], [int(label) for label in labels])
        epoch_losses[epoch] += replay.loss[-1] * len(rows)
    assert weights(replay) == weights(net)
    assert net.loss == pytest.approx([total / 23 for total in epoch_losses], rel=1e-12)


def test_a_batch_as_large_as_the_data_is_full_batch_training():
    X, y = moons(23)
    full = NeuralNet([2, 4, 1], iterations=10, learning_rate=0.1).fit(X, y)
    for batch_size in (23, 500):
        net = NeuralNet([2, 4, 1], iterations=10, learning_rate=0.1, batch_size=batch_size)
        assert weights(net.fit(X, y)) == weights(full)


def test_batches_helper_covers_every_index_once():
    rng = Random(3)
    parts = batches(10, 4, rng)
    assert [len(part) for part in parts] == [4, 4, 2]
    assert sorted(i for part in parts for i in part) == list(range(10))
    assert batches(10, None, rng) == [list(range(10))]
    assert batches(10, 10, rng) == [list(range(10))]


# --- L2 (alpha) ------------------------------------------------------------------------


def randomize(net, seed):
    """Set every parameter, biases included, to a random non-zero value."""
    rng = Random(seed)
    for name in net.param_names:
        param = net.params[name]
        values = param.tolist()
        if isinstance(values[0], list):
            for row in param.rows:
                for j in range(len(row)):
                    row[j] = rng.uniform(0.2, 1.0) * (1 if rng.uniform() < 0.5 else -1)
        else:
            for j in range(len(param.data)):
                param.data[j] = rng.uniform(0.2, 1.0) * (1 if rng.uniform() < 0.5 else -1)


def twin_with_alpha(net, alpha):
    twin = NeuralNet(net.layers, activation=net.activation, output=net.output, alpha=alpha)
    twin.params = {name: value.copy() for name, value in net.params.items()}
    return twin


def test_l2_loss_adds_alpha_over_2m_times_the_squared_weights_but_not_biases():
    X, y = moons(9)
    net = NeuralNet([2, 4, 3, 1], activation="tanh", alpha=0.8)
    net.init_weights()
    randomize(net, 1)
    plain = twin_with_alpha(net, 0.0)
    expected = plain.loss_value(X, y) + 0.8 / (2 * 9) * squared_weights(net)
    assert net.loss_value(X, y) == pytest.approx(expected, rel=1e-13)
    # Biases carry no penalty: moving one changes the data loss only.
    net.params["b1"].data[0] += 5.0
    plain.params["b1"].data[0] += 5.0
    assert net.loss_value(X, y) - plain.loss_value(X, y) == pytest.approx(
        0.8 / (2 * 9) * squared_weights(net), rel=1e-12)


def test_l2_gradient_adds_alpha_over_m_times_w_to_weights_only():
    X, y = moons(9)
    net = NeuralNet([2, 4, 1], activation="tanh", alpha=0.5)
    net.init_weights()
    randomize(net, 2)
    with_l2 = net.gradients(X, y)
    without = twin_with_alpha(net, 0.0).gradients(X, y)
    for name in net.param_names:
        got = with_l2[name].tolist()
        base = without[name].tolist()
        if name.startswith("b"):
            assert got == base
        else:
            W = net.params[name].tolist()
            for g_row, b_row, w_row in zip(got, base, W):
                for g, b, w in zip(g_row, b_row, w_row):
                    assert g == pytest.approx(b + 0.5 / 9 * w, rel=1e-12, abs=1e-15)


def worst_relative_error(net, X, y):
    """The largest relative error, parameter by parameter, between the analytic
    gradients and central differences (see tests/gradcheck.py)."""
    analytic, numeric = net.gradients(X, y), numerical_gradients(net, X, y)
    return max(relative_error({name: analytic[name]}, {name: numeric[name]})
               for name in net.param_names)


@pytest.mark.parametrize("layers, activation, output, alpha", [
    ([2, 4, 1], "tanh", "sigmoid", 0.7),
    ([2, 4, 3, 3], "tanh", "softmax", 2.0),
    ([3, 5, 2], "tanh", "linear", 0.3),
    ([2, 5, 1], "relu", "sigmoid", 1.5),
])
def test_gradients_with_l2_match_finite_differences(layers, activation, output, alpha):
    if output == "linear":
        X, y = linear_map(7, seed=3)
    else:
        X, y = moons(7)
        if output == "softmax":
            y = [i % 3 for i in range(7)]
    net = NeuralNet(layers, activation=activation, output=output, alpha=alpha)
    net.init_weights()
    randomize(net, 5)
    assert worst_relative_error(net, X, y) < 1e-6


def test_larger_alpha_gives_smaller_weights():
    X, y = half_moons(40, noise=0.2, seed=2)
    norms = []
    for alpha in (0.0, 1.0, 10.0):
        net = NeuralNet([2, 8, 1], activation="tanh", optimizer="adam", learning_rate=0.05,
                        iterations=150, alpha=alpha, seed=3).fit(X, y)
        norms.append(squared_weights(net))
    assert norms[0] > norms[1] > norms[2]
    assert norms[2] < 0.5 * norms[0]


# --- early stopping and validation -------------------------------------------------------


def test_validation_data_records_one_loss_and_score_per_epoch():
    X, y = moons(30, seed=1)
    X_val, y_val = moons(20, seed=2)
    net = NeuralNet([2, 5, 1], iterations=12, learning_rate=0.5, activation="tanh")
    net.fit(X, y, validation_data=(X_val, y_val))
    assert len(net.loss) == len(net.validation_loss) == len(net.validation_score) == 12
    assert net.validation_loss[-1] == pytest.approx(net.loss_value(X_val, y_val), rel=1e-12)
    assert net.validation_score[-1] == net.score(X_val, y_val)
    assert net.validation_loss[-1] < net.validation_loss[0]  # it learned
    # A fit without validation data clears them.
    net.fit(X, y)
    assert net.validation_loss == [] and net.validation_score == []


def overfitting_case():
    # Twelve noisy points and a wide network: the validation loss soon turns up.
    X, y = half_moons(12, noise=0.6, seed=5)
    X_val, y_val = half_moons(80, noise=0.1, seed=6)
    return X, y, X_val, y_val


def test_early_stopping_stops_when_validation_loss_turns_up_and_keeps_the_best_weights():
    X, y, X_val, y_val = overfitting_case()
    settings = dict(layers=[2, 32, 1], activation="tanh", optimizer="adam", learning_rate=0.05,
                    iterations=400, seed=1)
    full = NeuralNet(**settings).fit(X, y, validation_data=(X_val, y_val))
    assert full.validation_loss[-1] > 1.5 * min(full.validation_loss)  # it does overfit
    net = NeuralNet(early_stopping=True, patience=5, tol=0.0, **settings)
    net.fit(X, y, validation_data=(X_val, y_val))
    assert net.sample_size == 12  # given validation data, nothing is held out
    epochs = len(net.loss)
    assert epochs < 400
    assert len(net.validation_loss) == len(net.validation_score) == epochs
    best = min(net.validation_loss)
    assert net.validation_loss.index(best) == epochs - 1 - 5  # stopped `patience` epochs later
    assert net.loss_value(X_val, y_val) == pytest.approx(best, rel=1e-12)
    # Up to the stop, training went exactly as without early stopping.
    assert net.validation_loss == full.validation_loss[:epochs]


def test_early_stopping_with_patience_1_and_a_large_tol_stops_after_two_epochs():
    X, y, X_val, y_val = overfitting_case()
    net = NeuralNet([2, 8, 1], iterations=100, learning_rate=0.1, early_stopping=True,
                    patience=1, tol=10.0)
    net.fit(X, y, validation_data=(X_val, y_val))
    assert len(net.loss) == 2
    assert net.loss_value(X_val, y_val) == pytest.approx(min(net.validation_loss), rel=1e-12)


@pytest.mark.parametrize("tol, patience", [(0.0, 3), (0.02, 10), (0.05, 5)])
def test_early_stopping_restores_the_lowest_validation_loss_whatever_tol(tol, patience):
    # With tol > 0, an epoch can beat the best by less than tol: it does not
    # reset the patience count, but its weights are still the best seen.
    X, y = half_moons(60, noise=0.3, seed=1)
    X_val, y_val = half_moons(60, noise=0.3, seed=2)
    net = NeuralNet([2, 16, 1], activation="tanh", optimizer="adam", learning_rate=0.3,
                    iterations=300, early_stopping=True, patience=patience, tol=tol, seed=4)
    net.fit(X, y, validation_data=(X_val, y_val))
    assert len(net.loss) < 300
    assert net.loss_value(X_val, y_val) == pytest.approx(min(net.validation_loss), rel=1e-12)


def test_early_stopping_holds_out_validation_fraction_of_the_training_data():
    X, y = half_moons(50, noise=0.3, seed=3)
    net = NeuralNet([2, 16, 1], activation="tanh", optimizer="adam", learning_rate=0.1,
                    iterations=300, early_stopping=True, validation_fraction=0.2, patience=4,
                    seed=2)
    net.fit(X, y)
    assert net.sample_size == 40 and len(net.X) == 40
    training = set(tuple(row) for row in net.X.tolist())
    held_out = [(row, label) for row, label in zip(X, y) if tuple(row) not in training]
    assert len(held_out) == 10
    assert len(net.loss) == len(net.validation_loss) == len(net.validation_score) < 300
    X_val = [row for row, _ in held_out]
    y_val = [label for _, label in held_out]
    assert net.loss_value(X_val, y_val) == pytest.approx(min(net.validation_loss), rel=1e-9)


def test_early_stopping_needs_two_samples():
    net = NeuralNet([2, 3, 1], early_stopping=True)
    with pytest.raises(DataError, match="at least 2 samples"):
        net.fit([[0.0, 1.0]], [1])


def test_split_off_rounds_the_fraction_and_keeps_both_parts_non_empty():
    train, val = split_off(50, 0.2, Random(1))
    assert len(val) == 10 and sorted(train + val) == list(range(50))
    assert len(split_off(10, 0.26, Random(1))[1]) == 3  # 2.6 rounds to 3
    assert [len(part) for part in split_off(3, 0.01, Random(1))] == [2, 1]
    assert [len(part) for part in split_off(3, 0.99, Random(1))] == [1, 2]


def test_early_stopping_helper_counts_epochs_without_an_improvement_beyond_tol():
    stopper = EarlyStopping(patience=2, tol=0.1)
    params = {"W1": Matrix([[1.0]])}
    assert stopper.update(0, 1.0, params) is False
    params["W1"].rows[0][0] = 2.0
    assert stopper.update(1, 0.95, params) is False  # better, but by less than tol
    assert stopper.best_epoch == 1 and stopper.best_params["W1"].tolist() == [[2.0]]
    params["W1"].rows[0][0] = 3.0
    assert stopper.update(2, 0.99, params) is True  # two epochs without a real improvement
    assert stopper.best_params["W1"].tolist() == [[2.0]]  # a copy, not the live weights


# --- partial_fit -------------------------------------------------------------------------


def test_first_partial_fit_initialises_the_weights_then_takes_one_step():
    X, y = moons(10)
    net = NeuralNet([2, 4, 1], learning_rate=0.3, seed=6)
    net.partial_fit(X, y)
    reference = NeuralNet([2, 4, 1], learning_rate=0.3, seed=6)
    reference.init_weights()
    loss_before = reference.loss_value(X, y)
    grads = reference.gradients(X, y)
    for name in reference.param_names:
        reference.params[name] = reference.params[name] - 0.3 * grads[name]
    if kernels.KERNEL == "sumprod":  # the step code rounds per term, sumprod per sum
        assert net.loss == pytest.approx([loss_before], rel=1e-12)
        for name, rows in weights(net).items():
            for got, want in zip(rows if name[0] == "W" else [rows],
                                 weights(reference)[name] if name[0] == "W"
                                 else [weights(reference)[name]]):
                assert got == pytest.approx(want, rel=1e-12, abs=1e-15)
    else:
        assert net.loss == [loss_before]
        assert weights(net) == weights(reference)


@pytest.mark.parametrize("settings", OPTIMIZERS, ids=OPTIMIZER_IDS)
def test_partial_fit_continues_fit_with_its_weights_and_optimizer_state(settings):
    X, y = moons(20)
    five = NeuralNet([2, 4, 1], iterations=5, learning_rate=0.05, **settings).fit(X, y)
    five.partial_fit(X, y)
    six = NeuralNet([2, 4, 1], iterations=6, learning_rate=0.05, **settings).fit(X, y)
    assert weights(five) == weights(six)
    assert five.loss == pytest.approx(six.loss, rel=1e-14)
    if settings["optimizer"] == "adam":
        assert five.optimizer_state.t == 6


def test_partial_fit_appends_one_loss_per_call_and_learns_a_stream():
    net = NeuralNet([2, 10, 1], activation="tanh", optimizer="adam", learning_rate=0.03, seed=3)
    for k in range(300):
        X, y = half_moons(10, noise=0.1, seed=100 + k)
        net.partial_fit(X, y)
    assert len(net.loss) == 300 and net.optimizer_state.t == 300
    X_test, y_test = half_moons(200, noise=0.1, seed=1)
    assert net.score(X_test, y_test) >= 0.95
    assert sum(net.loss[-10:]) < 0.5 * sum(net.loss[:10])


def test_partial_fit_with_bad_labels_changes_nothing():
    X, y = moons(10)
    net = NeuralNet([2, 4, 1], optimizer="adam", learning_rate=0.1).partial_fit(X, y)
    before = weights(net), list(net.loss), net.optimizer_state.t
    with pytest.raises(DataError):
        net.partial_fit(X, [2] * 10)
    assert (weights(net), net.loss, net.optimizer_state.t) == before


# --- progress output and callbacks ----------------------------------------------------


def printed_epochs(text):
    lines = text.strip().splitlines()
    for line in lines:
        assert line.startswith("epoch ") and " loss " in line
    return [int(line.split()[1].split("/")[0]) for line in lines], lines


@pytest.mark.parametrize("iterations", [10, 11, 19, 37, 100, 150])
def test_verbose_true_prints_about_ten_lines_with_epoch_and_loss(iterations, capsys):
    X, y = moons(10)
    net = NeuralNet([2, 3, 1], iterations=iterations, learning_rate=0.1, verbose=True).fit(X, y)
    epochs, lines = printed_epochs(capsys.readouterr().out)
    assert 5 <= len(lines) <= 11
    assert epochs[0] <= -(-iterations // 10) and epochs[-1] == iterations
    assert epochs == sorted(set(epochs))
    # The last line shows the final epoch's loss.
    assert lines[-1].split("loss ")[1].split()[0] == "%.6g" % net.loss[-1]
    assert "/%d" % iterations in lines[0]


def test_verbose_n_prints_every_n_epochs_and_the_last(capsys):
    X, y = moons(10)
    NeuralNet([2, 3, 1], iterations=22, learning_rate=0.1, verbose=5).fit(X, y)
    epochs, lines = printed_epochs(capsys.readouterr().out)
    # the first epoch, every fifth (5, 10, ...), and the last
    assert epochs == [1, 5, 10, 15, 20, 22]
    assert all("validation" not in line for line in lines)


def test_verbose_shows_validation_figures_and_the_early_stop(capsys):
    X, y, X_val, y_val = overfitting_case()
    net = NeuralNet([2, 32, 1], activation="tanh", optimizer="adam", learning_rate=0.05,
                    iterations=400, seed=1, early_stopping=True, patience=5, verbose=1)
    net.fit(X, y, validation_data=(X_val, y_val))
    _, lines = printed_epochs(capsys.readouterr().out)
    assert len(lines) == len(net.loss)
    assert all("validation loss" in line and "validation accuracy" in line for line in lines)
    assert "early stop" in lines[-1] and all("early stop" not in line for line in lines[:-1])


@pytest.mark.parametrize("verbose", [False, 0])
def test_quiet_training_prints_nothing(verbose, capsys):
    X, y = moons(10)
    NeuralNet([2, 3, 1], iterations=5, verbose=verbose).fit(X, y)
    assert capsys.readouterr().out == ""


def test_callback_is_called_after_every_epoch_with_increasing_epochs():
    X, y = moons(10)
    calls = []

    def callback(net, epoch):
        calls.append((net, epoch, len(net.loss)))

    net = NeuralNet([2, 3, 1], iterations=7, learning_rate=0.1, callback=callback).fit(X, y)
    assert [epoch for _, epoch, _ in calls] == list(range(7))
    assert all(seen is net for seen, _, _ in calls)
    assert [n_losses for _, _, n_losses in calls] == list(range(1, 8))


def test_a_true_callback_result_stops_training():
    X, y = moons(10)
    X_val, y_val = moons(10, seed=2)
    epochs = []

    def stop_after_four(net, epoch):
        epochs.append(epoch)
        return epoch == 3

    net = NeuralNet([2, 3, 1], iterations=50, learning_rate=0.1, callback=stop_after_four)
    net.fit(X, y, validation_data=(X_val, y_val))
    assert epochs == [0, 1, 2, 3]
    assert len(net.loss) == len(net.validation_loss) == 4


# --- reproducibility -------------------------------------------------------------------


@pytest.mark.parametrize("settings", OPTIMIZERS, ids=OPTIMIZER_IDS)
@pytest.mark.parametrize("batch_size", [None, 7])
def test_same_seed_and_settings_give_the_same_weights_bit_for_bit(settings, batch_size):
    X, y = moons(30)

    def train(seed):
        return NeuralNet([2, 5, 1], iterations=15, learning_rate=0.05, batch_size=batch_size,
                         alpha=0.1, seed=seed, **settings).fit(X, y)

    first, second, other = train(3), train(3), train(4)
    assert weights(first) == weights(second) and first.loss == second.loss
    assert weights(other) != weights(first)


def test_early_stopping_on_a_held_out_fraction_is_reproducible():
    X, y = half_moons(40, noise=0.3, seed=3)

    def train():
        return NeuralNet([2, 8, 1], optimizer="adam", learning_rate=0.1, iterations=60, batch_size=8,
                         early_stopping=True, patience=3, seed=9).fit(X, y)

    first, second = train(), train()
    assert weights(first) == weights(second)
    assert first.validation_loss == second.validation_loss


# --- settings refused up front -------------------------------------------------------


@pytest.mark.parametrize("setting, value", [
    ("batch_size", 0),
    ("batch_size", -1),
    ("batch_size", 2.5),
    ("batch_size", True),
    ("batch_size", "32"),
    ("patience", 0),
    ("patience", 2.0),
    ("validation_fraction", 0),
    ("validation_fraction", 1),
    ("validation_fraction", 1.5),
    ("validation_fraction", -0.1),
    ("validation_fraction", float("nan")),
    ("alpha", -1),
    ("alpha", float("nan")),
    ("alpha", float("inf")),
    ("tol", -1),
    ("tol", float("nan")),
    ("verbose", -1),
    ("verbose", 2.5),
    ("verbose", "yes"),
    ("callback", 5),
])
def test_bad_training_settings_raise_config_error_naming_the_setting(setting, value):
    # (The optimizer's own settings are checked in tests/test_optimizers.py.)
    with pytest.raises(ConfigError, match=setting) as caught:
        NeuralNet([2, 3, 1], **{setting: value})
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("setting, value", [("batch_size", 1), ("batch_size", None),
                                            ("patience", 1), ("validation_fraction", 0.5),
                                            ("alpha", 0), ("tol", 0), ("verbose", 3),
                                            ("verbose", True)])
def test_boundary_training_settings_are_accepted(setting, value):
    assert getattr(NeuralNet([2, 3, 1], **{setting: value}), setting) == value


# --- a failing fit changes nothing ------------------------------------------------------


def trained_regressor():
    X, Y = linear_map(20, seed=2)
    X_val, Y_val = linear_map(10, seed=3)
    net = NeuralNet([3, 4, 2], output="linear", optimizer="adam", learning_rate=0.01,
                    iterations=5, batch_size=6, seed=2)
    return net.fit(X, Y, validation_data=(X_val, Y_val)), X, Y


def snapshot(net):
    state = net.optimizer_state
    memory = ([state.m[name].tolist() for name in net.param_names]
              + [state.v[name].tolist() for name in net.param_names])
    return (weights(net), list(net.loss), list(net.validation_loss), list(net.validation_score),
            state.t, memory, net.X, net.sample_size)


@pytest.mark.parametrize("error", [RuntimeError, ValueError, DataError])
def test_a_callback_that_raises_leaves_a_trained_model_as_it_was(error):
    net, X, Y = trained_regressor()
    before = snapshot(net)

    def explode(net, epoch):
        if epoch == 2:
            raise error("stop")

    net.callback = explode
    with pytest.raises(error):
        net.fit(X, Y)
    assert snapshot(net) == before


def test_a_diverging_fit_leaves_a_trained_model_as_it_was_and_able_to_continue():
    net, X, Y = trained_regressor()
    twin, _, _ = trained_regressor()
    before = snapshot(net)
    huge = [[1e6 * x for x in row] for row in X]
    gd = NeuralNet([3, 4, 2], output="linear", learning_rate=0.5, iterations=50)
    with pytest.raises(ConfigError, match="diverged.*learning rate"):
        gd.fit(huge, Y)  # the error itself, on a fresh network
    net.optimizer, net.learning_rate, net.iterations = "gd", 0.5, 50
    with pytest.raises(ConfigError, match="diverged"):
        net.fit(huge, Y)
    assert snapshot(net) == before
    # Its weights and Adam's memory carry on exactly as in a network that never failed.
    net.partial_fit(X, Y)
    twin.partial_fit(X, Y)
    assert weights(net) == weights(twin) and net.optimizer_state.t == twin.optimizer_state.t


def test_bad_validation_data_is_refused_before_anything_changes():
    net, X, Y = trained_regressor()
    before = snapshot(net)
    with pytest.raises(ShapeError):
        net.fit(X, Y, validation_data=([[1.0, 2.0]], [[0.0, 0.0]]))
    assert snapshot(net) == before


def test_a_partial_fit_whose_loss_overflows_changes_nothing():
    net, X, Y = trained_regressor()
    before = snapshot(net)
    with pytest.raises(ConfigError, match="diverged"):
        net.partial_fit(X, [[1e200, 1e200] for _ in Y])
    assert snapshot(net) == before


def test_nesterov_without_the_momentum_optimizer_is_refused():
    with pytest.raises(ConfigError, match="nesterov"):
        NeuralNet([2, 3, 1], optimizer="adam", nesterov=True)


# --- scaling the targets (target_scaler) -------------------------------------------------


def incomes(n, seed):
    """Two features and a target near 50 000: ``30000 + 600 age + 150 hours`` plus noise."""
    rng = Random(seed)
    X, y = [], []
    for _ in range(n):
        age, hours = rng.uniform(20.0, 65.0), rng.uniform(10.0, 60.0)
        X.append([age, hours])
        y.append(30000.0 + 600.0 * age + 150.0 * hours + rng.normal(0.0, 1500.0))
    return X, y


def income_regressor(with_target_scaler):
    from tinynet.data import StandardScaler

    X, y = incomes(120, seed=4)
    net = NeuralNet([2, 8, 1], output="linear", learning_rate=0.1, iterations=300, seed=1)
    net.scaler = StandardScaler().fit(X)
    if with_target_scaler:
        net.target_scaler = StandardScaler().fit([[value] for value in y])
    return net, X, y


def test_a_target_in_the_tens_of_thousands_diverges_unscaled_and_trains_scaled():
    net, X, y = income_regressor(with_target_scaler=False)
    with pytest.raises(ConfigError, match="diverged"):
        net.fit(X, y)
    net, X, y = income_regressor(with_target_scaler=True)
    net.fit(X, y)
    X_test, y_test = incomes(60, seed=5)
    assert net.score(X_test, y_test) > 0.9
    assert net.loss[-1] < 0.1  # in scaled units: the targets' variance there is 1


def test_predict_and_score_speak_the_targets_units_loss_and_gradients_the_scaled_ones():
    from tinynet.metrics import r2_score

    net, X, y = income_regressor(with_target_scaler=True)
    net.iterations = 20
    net.fit(X, y)
    scaler = net.target_scaler
    # The same weights without the target scaler give the scaled outputs.
    bare = NeuralNet([2, 8, 1], output="linear")
    bare.params, bare.scaler = net.params, net.scaler
    scaled_y = [row[0] for row in scaler.transform([[value] for value in y]).rows]
    raw = Matrix([[value] for value in bare.predict(X)])
    assert net.predict(X) == [row[0] for row in scaler.inverse_transform(raw).rows]
    assert 20000.0 < min(net.predict(X)) and max(net.predict(X)) < 100000.0
    assert net.score(X, y) == r2_score(y, net.predict(X))
    assert net.loss_value(X, y) == bare.loss_value(X, scaled_y)
    assert net.gradients(X, y) == bare.gradients(X, scaled_y)
    assert net.loss_value(X, y) < 1.0  # not the size of 50 000 squared


def test_partial_fit_and_validation_use_the_scaled_targets():
    net, X, y = income_regressor(with_target_scaler=True)
    net.iterations = 5
    X_val, y_val = incomes(30, seed=6)
    net.fit(X, y, validation_data=(X_val, y_val))
    assert all(loss < 10.0 for loss in net.validation_loss)
    # R² does not depend on the units: the last epoch's figure is score's.
    assert net.validation_score[-1] == pytest.approx(net.score(X_val, y_val), rel=1e-9)
    net.partial_fit(X[:10], y[:10])
    assert net.loss[-1] < 10.0


def test_a_target_scaler_on_a_classifier_is_refused():
    from tinynet.data import StandardScaler

    net = NeuralNet([2, 3, 1], iterations=2)
    net.target_scaler = StandardScaler().fit([[0.0], [1.0]])
    with pytest.raises(ConfigError, match="target_scaler.*linear"):
        net.fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    net.target_scaler = None
    net.fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    net.target_scaler = StandardScaler().fit([[0.0], [1.0]])
    with pytest.raises(ConfigError, match="target_scaler.*linear"):
        net.predict([[0.0, 1.0]])


# --- ending too soon: the convergence warning ---------------------------------------

IRIS_CENTRES = ((5.0, 3.4, 1.5, 0.25), (5.9, 2.8, 4.3, 1.3), (6.6, 3.0, 5.5, 2.0))


def convergence_warnings(fit):
    """The ConvergenceWarnings that calling ``fit()`` gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fit()
    return [w for w in caught if issubclass(w.category, ConvergenceWarning)]


def heart_split(seed):
    X, y = heart_like(270, seed=0)
    return train_test_split(X, y, 0.2, seed=seed)


@pytest.mark.parametrize("loss, falling", [
    ([1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1], True),   # a straight line: 1/9 in the last
    ([1.0, 0.3, 0.12, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1], False),  # levelled off
    ([1.0, 0.5, 0.3, 0.2, 0.15, 0.1, 0.08, 0.07, 0.06, 0.0], True),  # 0.06 of a fall of 1.0
    ([1.0, 0.5, 0.3, 0.2, 0.15, 0.1, 0.08, 0.07, 0.04, 0.0], False),  # 0.04 of 1.0: under 5%
    ([0.5, 0.6, 0.7, 0.8], False),                                 # rising: not falling at all
    ([0.5, 0.5, 0.5], False),
    ([0.7], False),                                                # one epoch tells nothing
    ([1.0, 0.5], True),
])
def test_still_falling_compares_the_last_tenths_fall_with_the_whole_fall(loss, falling):
    assert still_falling(loss) is falling


def test_still_falling_averages_over_a_tenth_of_the_epochs():
    # 40 epochs: windows of 4.  The last 4 average 0.1, the 4 before 0.2 (noisy
    # inside each window), the first is 2.1: a fall of 0.1 out of 2.0 is 5%.
    flat = [2.1] + [1.0] * 31 + [0.25, 0.15, 0.25, 0.15] + [0.12, 0.08, 0.12, 0.08]
    assert still_falling(flat) is False  # exactly 5%: not more
    steeper = flat[:-4] + [0.1, 0.06, 0.1, 0.06]  # 0.12 of 2.02: 5.9%
    assert still_falling(steeper) is True


def test_the_tutorials_defaults_on_iris_like_data_warn_once_suggesting_what_to_try():
    X, y = blobs(50, centers=IRIS_CENTRES, std=0.35, seed=0)
    net = NeuralNet(layers=[4, 16, 3])
    net.scaler = StandardScaler().fit(X)
    caught = convergence_warnings(lambda: net.fit(X, y))
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith("the loss was still falling steeply when fit ended: from ")
    assert "in 100 epochs" in message and "of that fall in the last 10 epochs" in message
    assert message.endswith("Try more iterations (now 100), a larger learning_rate (now 0.001), "
                            "or optimizer='adam'")
    assert caught[0].filename == __file__  # it points at the caller's fit, not at tinynet
    assert issubclass(ConvergenceWarning, UserWarning)
    assert net.score(X, y) < 0.7  # and rightly: the network has learned little


@pytest.mark.parametrize("seed", range(5))
def test_the_tutorials_heart_call_warns_and_the_rate_it_meant_does_not(seed):
    X_train, X_test, y_train, y_test = heart_split(seed)
    scaler = StandardScaler().fit(X_train)
    slow = NeuralNet(layers=[13, 8, 1], learning_rate=0.001, iterations=100, seed=seed)
    slow.scaler = scaler
    assert len(convergence_warnings(lambda: slow.fit(X_train, y_train))) == 1
    meant = NeuralNet(layers=[13, 8, 1], learning_rate=0.216, iterations=100, seed=seed)
    meant.scaler = scaler
    assert convergence_warnings(lambda: meant.fit(X_train, y_train)) == []
    assert meant.score(X_test, y_test) > slow.score(X_test, y_test)


def test_converged_fits_do_not_warn():
    X, y = xor()
    fits = [
        lambda: NeuralNet([2, 4, 1], learning_rate=0.5, iterations=500, seed=3).fit(X, y),
        lambda: NeuralNet([2, 16, 1], activation="tanh", optimizer="adam", learning_rate=0.02,
                          iterations=300).fit(*moons(200)),
        lambda: NeuralNet([4, 16, 3], learning_rate=0.1, iterations=1000).fit(
            *blobs(30, centers=IRIS_CENTRES, std=0.35, seed=1)),
    ]
    for fit in fits:
        assert convergence_warnings(fit) == []


def test_a_fit_that_early_stopping_or_the_callback_stopped_does_not_warn():
    X, y = moons(200)
    stopped = NeuralNet([2, 16, 1], optimizer="adam", learning_rate=0.02, iterations=2000,
                        early_stopping=True)
    assert convergence_warnings(lambda: stopped.fit(X, y)) == []
    assert len(stopped.loss) < 2000
    # A short fit that would warn, stopped by its callback instead.
    assert len(convergence_warnings(lambda: NeuralNet([2, 3, 1], iterations=10).fit(X, y))) == 1
    halted = NeuralNet([2, 3, 1], iterations=10, callback=lambda net, epoch: epoch == 8)
    assert convergence_warnings(lambda: halted.fit(X, y)) == []
    assert len(halted.loss) == 9


def test_the_warning_can_be_silenced_and_partial_fit_never_gives_it():
    X, y = moons(50)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ConvergenceWarning)
        NeuralNet([2, 3, 1], iterations=10).fit(X, y)
    assert caught == []
    net = NeuralNet([2, 3, 1])
    assert convergence_warnings(lambda: [net.partial_fit(X, y) for _ in range(5)]) == []


def test_without_a_warnings_module_the_warning_is_a_line_on_stderr(monkeypatch, capsys):
    # As on MicroPython, where there is no warnings module.
    monkeypatch.setitem(sys.modules, "warnings", None)  # import warnings: ImportError
    X, y = moons(50)
    NeuralNet([2, 3, 1], iterations=10).fit(X, y)
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith("ConvergenceWarning: the loss was still falling steeply")
    assert printed.err.count("\n") == 1


# --- Ctrl-C keeps what was learned ----------------------------------------------------


def adam_net(**settings):
    base = dict(optimizer="adam", learning_rate=0.02, batch_size=5, seed=4)
    base.update(settings)
    return NeuralNet([2, 5, 1], **base)


def optimizer_memory(net):
    state = net.optimizer_state
    return (state.t, [state.m[name].tolist() for name in sorted(state.m)],
            [state.v[name].tolist() for name in sorted(state.v)])


def interrupted_fit(net, X, y):
    """``net.fit(X, y)``, returning the InterruptedWarnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert net.fit(X, y) is net  # returns normally
    return [w for w in caught if issubclass(w.category, InterruptedWarning)]


@pytest.mark.parametrize("stop_after", [1, 5, 49])
def test_ctrl_c_in_the_callback_keeps_the_epochs_done_and_returns(stop_after):
    X, y = moons(23)

    def ctrl_c(net, epoch):
        if epoch + 1 == stop_after:  # the callback counts epochs from 0
            raise KeyboardInterrupt

    net = adam_net(iterations=50, callback=ctrl_c)
    caught = interrupted_fit(net, X, y)
    reference = adam_net(iterations=stop_after).fit(X, y)
    assert weights(net) == weights(reference)  # bit for bit: epoch stop_after's weights
    assert net.loss == reference.loss and len(net.loss) == stop_after
    assert optimizer_memory(net) == optimizer_memory(reference)
    assert net.interrupted_at_epoch == stop_after
    assert len(caught) == 1
    assert str(caught[0].message) == (
        "training interrupted after epoch %d of 50: keeping the weights after epoch %d"
        % (stop_after, stop_after))
    assert caught[0].filename == __file__
    net.callback = None
    net.fit(X, y)  # a fit that runs its course clears it
    assert net.interrupted_at_epoch is None


@pytest.mark.parametrize("where", ["before the step", "inside the step"])
def test_ctrl_c_in_the_middle_of_an_epoch_keeps_the_last_completed_epoch(where):
    X, y = moons(23)
    net = adam_net(iterations=50)
    calls = []
    original = net._train_step

    def train_step(X_batch, Y_batch, epoch):
        calls.append(epoch)
        if len(calls) == 13 and where == "before the step":  # epoch 3's 3rd batch of 5
            raise KeyboardInterrupt
        loss = original(X_batch, Y_batch, epoch)
        if len(calls) == 13:  # the update is done, or half done: either way not kept
            net.params["W1"][0, 0] = 99.0
            raise KeyboardInterrupt
        return loss

    net._train_step = train_step
    interrupted_fit(net, X, y)
    reference = adam_net(iterations=2).fit(X, y)
    assert weights(net) == weights(reference)
    assert net.loss == reference.loss and net.interrupted_at_epoch == 2
    assert optimizer_memory(net) == optimizer_memory(reference)
    assert calls[-1] == 2  # it was in the third epoch (counted from 0)


def test_ctrl_c_in_the_first_epoch_keeps_the_initial_weights():
    X, y = moons(23)
    net = adam_net(iterations=50)
    original = net._train_step

    def train_step(X_batch, Y_batch, epoch):
        original(X_batch, Y_batch, epoch)
        raise KeyboardInterrupt

    net._train_step = train_step
    caught = interrupted_fit(net, X, y)
    fresh = adam_net()
    fresh.init_weights()
    assert weights(net) == weights(fresh) and net.loss == [] and net.interrupted_at_epoch == 0
    assert str(caught[0].message) == ("training interrupted after epoch 0 of 50: keeping the "
                                      "initial weights (no epoch had finished)")


def test_ctrl_c_under_early_stopping_keeps_the_best_weights_so_far():
    X, y = moons(60)

    def ctrl_c(net, epoch):
        if epoch == 29:
            raise KeyboardInterrupt

    net = adam_net(iterations=200, early_stopping=True, patience=200, learning_rate=0.1,
                   callback=ctrl_c)
    caught = interrupted_fit(net, X, y)
    # The same run stopped at its 30th epoch by running out of iterations: it
    # too ends on the best weights so far.
    reference = adam_net(iterations=30, early_stopping=True, patience=200, learning_rate=0.1)
    reference.fit(X, y)
    assert weights(net) == weights(reference)
    assert net.validation_loss == reference.validation_loss
    best = min(range(30), key=lambda e: net.validation_loss[e])
    assert best < 29  # the test means something: the best is not the last
    assert "keeping the best weights so far (by validation loss)" in str(caught[0].message)


def test_a_second_ctrl_c_propagates_and_undoes_the_fit(monkeypatch):
    net, X, Y = trained_regressor()
    before = snapshot(net)

    def second_ctrl_c(message, category):
        raise KeyboardInterrupt

    monkeypatch.setattr(messages, "warn", second_ctrl_c)
    net.callback = lambda net, epoch: (_ for _ in ()).throw(KeyboardInterrupt) if epoch == 2 else None
    with pytest.raises(KeyboardInterrupt):
        net.fit(X, Y)
    assert snapshot(net) == before and net.interrupted_at_epoch is None


def test_an_interrupted_fit_that_diverged_is_still_undone():
    net, X, Y = trained_regressor()
    before = snapshot(net)
    huge = [[1e6 * x for x in row] for row in X]
    net.optimizer, net.learning_rate, net.iterations = "gd", 0.5, 50
    net.callback = lambda net, epoch: (_ for _ in ()).throw(KeyboardInterrupt) if epoch == 0 else None
    with pytest.raises(ConfigError, match="diverged"):
        net.fit(huge, Y)  # epoch 1's weights are already unusable: nothing worth keeping
    assert snapshot(net) == before


# --- messages -----------------------------------------------------------------------------


def test_the_epoch_a_divergence_error_names_follows_the_progress_lines(capsys):
    X, y = moons(30)
    net = NeuralNet([2, 8, 1], learning_rate=1e150, iterations=100, verbose=1)
    with pytest.raises(ConfigError) as caught:
        net.fit([[x * 1e150 for x in row] for row in X], y)
    lines = capsys.readouterr().out.splitlines()
    last_epoch = int(lines[-1].split()[1].split("/")[0]) if lines else 0
    message = str(caught.value)
    assert message.startswith("training diverged in epoch %d (loss " % (last_epoch + 1))
    assert "lower the learning rate (now 1e+150)" in message


@pytest.mark.parametrize("scale, rate, named", [(1000.0, 0.05, True), (1.0, 50.0, False)])
def test_a_regression_that_diverges_on_large_targets_names_target_scaler(scale, rate, named):
    X, y = sine(40)
    y = [scale * (value + 3.0) for value in y]  # 2000 to 4000 for scale 1000: prices, say
    net = NeuralNet([1, 8, 1], output="linear", learning_rate=rate, iterations=200)
    with pytest.raises(ConfigError, match="diverged") as caught:
        net.fit(X, y)
    message = str(caught.value)
    assert ("target_scaler" in message) is named
    if named:
        assert ("the targets reach %s, far from unit scale: set net.target_scaler = "
                "StandardScaler().fit(targets as rows)" % short_number(max(y))) in message
        # The same settings train once the targets are scaled.
        scaled = NeuralNet([1, 8, 1], output="linear", learning_rate=rate, iterations=200)
        scaled.target_scaler = StandardScaler().fit([[value] for value in y])
        assert scaled.fit(X, y).score(X, y) > 0.9


def test_numbers_in_progress_lines_and_messages_are_short():
    assert short_number(1.2345678901234e178) == "1.23457e+178"
    assert short_number(0.6931471805599453) == "0.693147"
    assert short_number(float("inf")) == "inf" and short_number(float("nan")) == "nan"
    net = NeuralNet([2, 3, 1], iterations=100)
    net.loss = [3.0e178]
    net.validation_loss, net.validation_score = [2.0e177], [0.123456789]
    assert progress_line(net, 6, False) == (
        "epoch 7/100  loss 3e+178  validation loss 2e+177  validation accuracy 0.123457")

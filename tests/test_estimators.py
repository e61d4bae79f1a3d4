"""tinynet.estimators: scikit-learn's MLPClassifier and MLPRegressor names on a NeuralNet.

What is checked here comes from scikit-learn's documented behaviour, written
out in the tests (its parameter names and defaults, its loss and L2 penalty,
its stopping rule, its cloning rule), never from tinynet's own outputs.
scikit-learn itself is not needed: NumPy arrays, DataFrames and
scikit-learn's modules are stood in for by small fakes.
"""

import doctest
import inspect
import math
import os
import subprocess
import sys
import types
import warnings

import pytest

import mpy
import tinynet
import tinynet.arraylike
import tinynet.estimators
from datasets import blobs, linear_map
from tinynet import ConfigError, DataError, MLPClassifier, MLPRegressor, NotFittedError, ShapeError
from tinynet.errors import ConvergenceWarning, InterruptedWarning
from tinynet.network import NeuralNet

# scikit-learn's parameters and defaults (its documentation, version 1.5-1.9).
SKLEARN_DEFAULTS = {
    "hidden_layer_sizes": (100,), "activation": "relu", "solver": "adam", "alpha": 0.0001,
    "batch_size": "auto", "learning_rate": "constant", "learning_rate_init": 0.001,
    "power_t": 0.5, "max_iter": 200, "shuffle": True, "random_state": None, "tol": 1e-4,
    "verbose": False, "warm_start": False, "momentum": 0.9, "nesterovs_momentum": True,
    "early_stopping": False, "validation_fraction": 0.1, "beta_1": 0.9, "beta_2": 0.999,
    "epsilon": 1e-8, "n_iter_no_change": 10, "max_fun": 15000,
}
ESTIMATORS = [MLPClassifier, MLPRegressor]

XOR = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


def quiet(estimator, X, y, **fit):
    """``estimator.fit(X, y)`` with ConvergenceWarning silenced (short test runs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y, **fit)


def three_blobs(n=60, seed=0):
    """``n`` points around three centres (n / 3 each), labelled with iris's names."""
    X, y = blobs(n // 3, seed=seed)
    return X, [("setosa", "versicolor", "virginica")[label] for label in y]


def line(n, seed=0):
    """``n`` inputs of 3 features and one target each, ``x0 - 2 x1 + 0.5 x2 + 0.5``."""
    X, Y = linear_map(n, weights=((1.0,), (-2.0,), (0.5,)), bias=(0.5,), seed=seed)
    return X, [row[0] for row in Y]


# --- parameters: scikit-learn's names, defaults and cloning rule -----------------------


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_parameters_are_scikit_learns_with_its_defaults(cls) -> None:
    expected = dict(SKLEARN_DEFAULTS)
    if cls is MLPRegressor:
        expected["loss"] = "squared_error"
    assert cls().get_params() == expected
    signature = inspect.signature(cls.__init__)
    assert {name: p.default for name, p in signature.parameters.items() if name != "self"} \
        == expected


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_the_constructor_stores_values_unchanged_and_checks_nothing(cls) -> None:
    sizes = [7, 3]  # a list, kept as the very object given
    est = cls(hidden_layer_sizes=sizes, solver="lbfgs", alpha=-1, random_state="seed")
    assert est.hidden_layer_sizes is sizes
    assert (est.solver, est.alpha, est.random_state) == ("lbfgs", -1, "seed")
    # Only the parameters are set: nothing ends in "_" before fit (scikit-learn's test
    # for "fitted").
    assert sorted(vars(est)) == sorted(est.get_params())


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_a_clone_made_from_get_params_has_the_same_parameters_and_no_fit(cls) -> None:
    # scikit-learn's clone: type(est)(**est.get_params(deep=False)), then each
    # parameter must be the very object of the original.
    est = quiet(cls(hidden_layer_sizes=(4,), max_iter=3, random_state=0), XOR, [0, 1, 1, 0])
    twin = type(est)(**est.get_params(deep=False))
    for name, value in est.get_params().items():
        assert getattr(twin, name) is value
    assert "coefs_" not in vars(twin) and "network_" not in vars(twin)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        twin.predict(XOR)


def test_set_params_changes_parameters_returns_the_estimator_and_refuses_unknown_names() -> None:
    est = MLPClassifier()
    assert est.set_params(alpha=0.5, hidden_layer_sizes=(3, 2)) is est
    assert (est.alpha, est.hidden_layer_sizes) == (0.5, (3, 2))
    est.set_params(solver="lbfgs")  # checked by fit, as in scikit-learn
    with pytest.raises(ConfigError, match="has no parameter 'hidden_layers'.*hidden_layer_sizes"):
        est.set_params(hidden_layers=(3,))
    assert est.get_params()["solver"] == "lbfgs"


def test_repr_shows_the_parameters_that_differ_from_the_defaults() -> None:
    assert repr(MLPClassifier()) == "MLPClassifier()"
    assert repr(MLPRegressor(max_iter=500, hidden_layer_sizes=(10,), shuffle=False)) == \
        "MLPRegressor(hidden_layer_sizes=(10,), max_iter=500, shuffle=False)"
    assert repr(MLPClassifier(alpha=1)) == "MLPClassifier(alpha=1)"  # 1 is not the float default


def cross_validate(estimator, X, y, folds):
    """A plain k-fold cross-validation through get_params, as scikit-learn's tools do it."""
    scores = []
    for k in range(folds):
        test = [i for i in range(len(X)) if i % folds == k]
        train = [i for i in range(len(X)) if i % folds != k]
        fresh = type(estimator)(**estimator.get_params())
        quiet(fresh, [X[i] for i in train], [y[i] for i in train])
        scores.append(fresh.score([X[i] for i in test], [y[i] for i in test]))
    return scores


def test_an_estimator_runs_through_a_cross_validation_written_for_scikit_learn() -> None:
    X, y = three_blobs(90)
    est = MLPClassifier(hidden_layer_sizes=(8,), learning_rate_init=0.05, max_iter=100,
                        random_state=1)
    scores = cross_validate(est, X, y, 4)
    assert len(scores) == 4 and min(scores) >= 0.9
    assert "network_" not in vars(est)  # the original stays unfitted


# --- refusals: what tinynet does not do, and what to use instead -----------------------


@pytest.mark.parametrize("params, message", [
    ({"solver": "lbfgs"}, "solver='lbfgs' is not available.*solver='adam'.*solver='sgd'"),
    ({"solver": "newton"}, "unknown solver 'newton'.*'adam' or 'sgd'"),
    ({"learning_rate": "adaptive"}, "learning_rate='adaptive'.*learning_rate='constant'"),
    ({"learning_rate": "invscaling"}, "learning_rate='invscaling'.*learning_rate='constant'"),
    ({"activation": "softmax"}, "unknown activation 'softmax'.*identity, logistic, tanh, relu"),
    ({"hidden_layer_sizes": (10, 0)}, r"hidden_layer_sizes\[1\] must be a whole number >= 1"),
    ({"hidden_layer_sizes": "10"}, "hidden_layer_sizes must be a tuple of layer sizes"),
    ({"alpha": -0.1}, "alpha must be a finite number >= 0"),
    ({"batch_size": 0}, "batch_size must be 'auto' or a whole number >= 1"),
    ({"learning_rate_init": 0}, "learning_rate_init must be a finite number > 0"),
    ({"max_iter": 0}, "max_iter must be a whole number >= 1"),
    ({"momentum": 1.5}, r"momentum must be a number in \[0, 1\)"),
    ({"validation_fraction": 1.0, "early_stopping": True}, "validation_fraction must be"),
    ({"n_iter_no_change": 0}, "n_iter_no_change must be a whole number >= 1"),
    ({"shuffle": "yes"}, "shuffle must be True or False"),
    ({"random_state": -1}, "random_state must be None or a whole number >= 0"),
])
def test_unavailable_or_bad_parameters_are_refused_by_fit_naming_what_to_use(params, message
                                                                              ) -> None:
    est = MLPClassifier(**params)
    with pytest.raises(ConfigError, match=message):
        est.fit(XOR, [0, 1, 1, 0])
    assert "network_" not in vars(est)


def test_a_numpy_random_state_object_is_refused_with_the_reason() -> None:
    class RandomState:  # what scikit-learn code may pass
        def randint(self, *args):
            return 4

    with pytest.raises(ConfigError, match="cannot use a NumPy RandomState"):
        MLPClassifier(random_state=RandomState()).fit(XOR, [0, 1, 1, 0])


def test_the_regressor_refuses_other_losses_naming_squared_error() -> None:
    with pytest.raises(ConfigError, match="loss='poisson' .*is not available.*'squared_error'"):
        MLPRegressor(loss="poisson").fit(XOR, [1.0, 2.0, 3.0, 4.0])


def test_partial_fit_refuses_early_stopping() -> None:
    with pytest.raises(ConfigError, match="early_stopping=True"):
        MLPClassifier(early_stopping=True).partial_fit(XOR, [0, 1, 1, 0], classes=[0, 1])


@pytest.mark.parametrize("y, message", [
    ([0.5, 1.25, 0.5, 2.0], "Unknown label type: y holds continuous values such as 0.5"),
    (["a", "a", "a", "a"], "only one class, 'a'.*at least 2 classes"),
    ([[0, 1], [1, 0], [1, 1], [0, 0]], "one label per sample.*no multi-label"),
    (["a", 1, "b", 2], "cannot be sorted together"),
])
def test_labels_a_classifier_cannot_learn_are_refused(y, message) -> None:
    with pytest.raises(DataError, match=message):
        MLPClassifier(max_iter=2).fit(XOR, y)


# --- labels and probabilities ---------------------------------------------------------------


def test_string_labels_come_back_as_strings_with_sorted_classes() -> None:
    X, y = three_blobs()
    clf = quiet(MLPClassifier(hidden_layer_sizes=(8,), learning_rate_init=0.05, max_iter=60,
                              random_state=0), X, y)
    assert clf.classes_ == ["setosa", "versicolor", "virginica"]
    predicted = clf.predict(X)
    assert set(predicted) <= set(y)
    assert clf.score(X, y) == sum(p == t for p, t in zip(predicted, y)) / len(y)
    assert clf.score(X, y) >= 0.95
    assert (clf.n_outputs_, clf.out_activation_, clf.n_layers_) == (3, "softmax", 3)


def test_binary_predict_proba_has_two_columns_the_second_for_the_second_class() -> None:
    X, y = blobs(20, centers=((0.0, 2.0), (-2.0, -1.0)), seed=3)
    labels = ["yes" if label else "no" for label in y]
    clf = quiet(MLPClassifier(hidden_layer_sizes=(5,), max_iter=30, learning_rate_init=0.05,
                              random_state=2), X, labels)
    assert clf.classes_ == ["no", "yes"] and clf.n_outputs_ == 1
    assert clf.out_activation_ == "logistic"
    P = clf.predict_proba(X)
    assert len(P) == 40 and all(len(row) == 2 for row in P)
    sigmoid_unit = clf.network_.predict_proba(X).tolist()
    for row, (p,) in zip(P, sigmoid_unit):
        assert row == [1.0 - p, p]
    assert clf.predict(X) == [clf.classes_[row.index(max(row))] for row in P]
    log_P = clf.predict_log_proba(X)
    for row, log_row in zip(P, log_P):
        assert log_row == [math.log(p) for p in row]


def test_a_probability_that_rounds_to_zero_has_log_minus_infinity() -> None:
    clf = quiet(MLPClassifier(hidden_layer_sizes=(2,), max_iter=1, random_state=0), XOR,
                [0, 1, 1, 0])
    clf.network_.params["W2"][0, 0] = 1e6  # pushes the sigmoid unit to exactly 0.0 or 1.0
    clf.network_.params["W2"][1, 0] = 1e6
    rows = clf.predict_log_proba([[-50.0, -50.0], [50.0, 50.0]])
    assert -math.inf in rows[0] + rows[1]


def test_multiclass_probabilities_follow_classes_and_sum_to_one() -> None:
    X, y = three_blobs(45, seed=4)
    clf = quiet(MLPClassifier(hidden_layer_sizes=(6,), max_iter=20, random_state=5), X, y)
    for row in clf.predict_proba(X):
        assert len(row) == 3 and sum(row) == pytest.approx(1.0, abs=1e-12)


# --- partial_fit ----------------------------------------------------------------------------


def test_partial_fit_needs_every_class_first_and_learns_them_from_partial_batches() -> None:
    X, y = three_blobs(60, seed=1)
    clf = MLPClassifier(hidden_layer_sizes=(8,), learning_rate_init=0.05, random_state=0)
    with pytest.raises(ConfigError, match="first call to partial_fit must list every class"):
        clf.partial_fit(X[:5], y[:5])
    only_two = [i for i in range(60) if y[i] != "virginica"]  # the first batch lacks a class
    clf.partial_fit([X[i] for i in only_two], [y[i] for i in only_two],
                    classes=["virginica", "setosa", "versicolor"])
    assert clf.classes_ == ["setosa", "versicolor", "virginica"]
    for _ in range(40):
        clf.partial_fit(X, y)  # later calls need no classes
    assert clf.score(X, y) >= 0.95
    assert clf.n_iter_ == 1 and clf.t_ == len(only_two) + 40 * 60  # one epoch per call


def test_partial_fit_refuses_new_classes_and_unknown_labels() -> None:
    clf = MLPClassifier(hidden_layer_sizes=(3,), random_state=0)
    clf.partial_fit(XOR, ["a", "b", "b", "a"], classes=["a", "b"])
    weights = clf.coefs_
    with pytest.raises(DataError, match="classes cannot change"):
        clf.partial_fit(XOR, ["a", "b", "b", "a"], classes=["a", "b", "c"])
    with pytest.raises(DataError, match="'c'.*which is not one of this network's classes"):
        clf.partial_fit(XOR, ["a", "b", "c", "a"])
    assert clf.coefs_ == weights


def test_regressor_partial_fit_goes_on_from_the_current_weights() -> None:
    X, y = line(50, seed=2)
    reg = MLPRegressor(hidden_layer_sizes=(8,), learning_rate_init=0.02, random_state=0)
    reg.partial_fit(X, y)
    first = reg.loss_
    for _ in range(50):
        reg.partial_fit(X, y)
    assert reg.loss_ < first / 4
    assert len(reg.loss_curve_) == 51


# --- the loop: scikit-learn's loss, penalty, steps and stopping rule -------------------


def sklearn_objective_gradient(net, X, Y, alpha, objective):
    """Central differences of ``objective(net)`` with respect to every parameter."""
    h = 1e-6
    grads = {}
    for name in net.param_names:
        param = net.params[name]
        rows = param.rows if hasattr(param, "rows") else [param.data]
        grad = []
        for row in rows:
            grad_row = []
            for j in range(len(row)):
                old = row[j]
                row[j] = old + h
                plus = objective(net)
                row[j] = old - h
                minus = objective(net)
                row[j] = old
                grad_row.append((plus - minus) / (2 * h))
            grad.append(grad_row)
        grads[name] = grad
    return grads


def squared_weights(net):
    return sum(w * w for W, _, _, _ in net.layer_names for row in net.params[W].rows for w in row)


def regression_objective(X, Y, alpha):
    """scikit-learn's regression objective: its gradient is ``A - Y`` per output, that of
    ``sum over outputs of (a - y)**2 / (2 n)``, plus ``alpha / (2 n) * sum of W**2``."""
    n = len(X)

    def objective(net):
        A = net.predict(X)
        A = [[a] if not isinstance(a, list) else a for a in A]
        data = sum((a - y) ** 2 for a_row, y_row in zip(A, Y) for a, y in zip(a_row, y_row))
        return data / (2 * n) + alpha / (2 * n) * squared_weights(net)
    return objective


def sklearn_regression_loss(net, X, Y, alpha):
    """scikit-learn's reported loss: half the mean over samples and outputs, plus the penalty."""
    A = net.predict(X)
    A = [[a] if not isinstance(a, list) else a for a in A]
    k = len(Y[0])
    data = sum((a - y) ** 2 for a_row, y_row in zip(A, Y) for a, y in zip(a_row, y_row))
    return data / (2 * len(X) * k) + alpha / (2 * len(X)) * squared_weights(net)


def starting_network(layers, activation, output, seed):
    """The network a fit with ``random_state=seed`` starts from (tinynet's documented seed)."""
    net = NeuralNet(layers, activation=activation, output=output, seed=seed)
    net.init_weights()
    return net


@pytest.mark.parametrize("k", [1, 2])
def test_one_sgd_step_of_the_regressor_is_scikit_learns_step(k) -> None:
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.0, 1.0], [2.0, -0.5]]
    Y = [[x0 - 2 * x1 + j for j in range(k)] for x0, x1 in X]
    y = [row[0] for row in Y] if k == 1 else Y
    alpha, rate = 0.3, 0.05
    start = starting_network([2, 3, k], "tanh", "linear", seed=7)
    objective = regression_objective(X, Y, alpha)
    gradient = sklearn_objective_gradient(start, X, Y, alpha, objective)
    expected_loss = sklearn_regression_loss(start, X, Y, alpha)
    reg = quiet(MLPRegressor(hidden_layer_sizes=(3,), activation="tanh", solver="sgd",
                             momentum=0.0, alpha=alpha, learning_rate_init=rate, batch_size=5,
                             shuffle=False, max_iter=1, random_state=7), X, y)
    assert reg.loss_ == pytest.approx(expected_loss, rel=1e-12)
    for l, name in enumerate(["W1", "W2"]):
        for w_row, g_row, got_row in zip(start.params[name].rows, gradient[name], reg.coefs_[l]):
            assert got_row == pytest.approx([w - rate * g for w, g in zip(w_row, g_row)],
                                            rel=1e-6, abs=1e-9)
    for l, name in enumerate(["b1", "b2"]):
        expected = [b - rate * g for b, g in zip(start.params[name].data, gradient[name][0])]
        assert reg.intercepts_[l] == pytest.approx(expected, rel=1e-6, abs=1e-9)


def test_one_adam_step_uses_epsilon_in_scikit_learns_units() -> None:
    # Adam's first step is rate * g / (|g| + epsilon); with a large epsilon the
    # step shows which units it is in.  The regressor's tinynet gradient is
    # twice scikit-learn's, so a wrongly scaled epsilon would change the step.
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.0, 1.0]]
    Y = [[x0 + x1] for x0, x1 in X]
    rate, epsilon = 0.01, 0.5
    start = starting_network([2, 2, 1], "relu", "linear", seed=3)
    gradient = sklearn_objective_gradient(start, X, Y, 0.0, regression_objective(X, Y, 0.0))
    reg = quiet(MLPRegressor(hidden_layer_sizes=(2,), alpha=0.0, epsilon=epsilon,
                             learning_rate_init=rate, batch_size=4, shuffle=False, max_iter=1,
                             random_state=3), X, [row[0] for row in Y])
    for l, name in enumerate(["W1", "W2"]):
        for w_row, g_row, got_row in zip(start.params[name].rows, gradient[name], reg.coefs_[l]):
            for w, g, got in zip(w_row, g_row, got_row):
                assert got == pytest.approx(w - rate * g / (abs(g) + epsilon), rel=1e-6, abs=1e-9)


def test_one_sgd_step_of_the_classifier_is_scikit_learns_step() -> None:
    X = [[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0], [0.0, 1.0], [2.0, -0.5], [1.0, 1.0]]
    y = ["b", "a", "c", "a", "b", "c"]
    index = {"a": 0, "b": 1, "c": 2}
    alpha, rate, n = 0.2, 0.1, len(X)

    def objective(net):  # scikit-learn's: mean cross-entropy + alpha / (2 n) * sum of W**2
        P = net.predict_proba(X).tolist()
        data = -sum(math.log(p_row[index[label]]) for p_row, label in zip(P, y)) / n
        return data + alpha / (2 * n) * squared_weights(net)

    start = starting_network([2, 4, 3], "sigmoid", "softmax", seed=11)  # scikit-learn's logistic
    gradient = sklearn_objective_gradient(start, X, None, alpha, objective)
    clf = quiet(MLPClassifier(hidden_layer_sizes=(4,), activation="logistic", solver="sgd",
                              momentum=0.0, alpha=alpha, learning_rate_init=rate, batch_size=n,
                              shuffle=False, max_iter=1, random_state=11), X, y)
    assert clf.loss_ == pytest.approx(objective(start), rel=1e-12)
    for l, name in enumerate(["W1", "W2"]):
        for w_row, g_row, got_row in zip(start.params[name].rows, gradient[name], clf.coefs_[l]):
            assert got_row == pytest.approx([w - rate * g for w, g in zip(w_row, g_row)],
                                            rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("patience", [1, 3])
@pytest.mark.parametrize("early_stopping", [False, True])
def test_training_stops_after_n_iter_no_change_epochs_without_an_improvement_of_tol(
        patience, early_stopping) -> None:
    # With a huge tol no epoch counts as an improvement; the first epoch has
    # nothing to improve on, and training stops once more than n_iter_no_change
    # epochs in a row did not improve: after n_iter_no_change + 2 epochs.
    X, y = three_blobs(60)
    clf = MLPClassifier(hidden_layer_sizes=(4,), tol=1e9, n_iter_no_change=patience,
                        early_stopping=early_stopping, validation_fraction=0.2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # stopping is converging: no warning
        clf.fit(X, y)
    assert clf.n_iter_ == patience + 2 == len(clf.loss_curve_)
    assert clf.t_ == clf.n_iter_ * (48 if early_stopping else 60)  # ceil(0.2 * 60) held out
    if early_stopping:
        assert clf.best_loss_ is None and len(clf.validation_scores_) == clf.n_iter_
        assert clf.best_validation_score_ == max(clf.validation_scores_)
    else:
        assert clf.validation_scores_ is None and clf.best_validation_score_ is None
        assert clf.best_loss_ == min(clf.loss_curve_)


def test_reaching_max_iter_before_converging_warns_convergence_warning() -> None:
    X, y = three_blobs(30)
    with pytest.warns(ConvergenceWarning, match=r"maximum iterations \(3\) reached"):
        clf = MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, y)
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3 and clf.loss_ == clf.loss_curve_[-1]


def test_batch_size_auto_is_min_200_n_and_larger_batches_are_clipped(monkeypatch) -> None:
    X, y = line(250, seed=1)
    steps = []
    original = NeuralNet.partial_fit

    def counting(net, X_batch, y_batch, classes=None):
        steps.append(len(X_batch))
        return original(net, X_batch, y_batch, classes)

    monkeypatch.setattr(NeuralNet, "partial_fit", counting)
    quiet(MLPRegressor(hidden_layer_sizes=(2,), max_iter=1, random_state=0), X, y)
    quiet(MLPRegressor(hidden_layer_sizes=(2,), max_iter=1, batch_size=1000, random_state=0),
          X, y)
    assert steps == [200, 50, 250]


def test_shuffle_false_takes_the_batches_in_order(monkeypatch) -> None:
    X, y = line(10, seed=1)
    seen = []
    original = NeuralNet.partial_fit

    def recording(net, X_batch, y_batch, classes=None):
        seen.append([list(row) for row in X_batch.rows])
        return original(net, X_batch, y_batch, classes)

    monkeypatch.setattr(NeuralNet, "partial_fit", recording)
    quiet(MLPRegressor(hidden_layer_sizes=(2,), max_iter=1, batch_size=4, shuffle=False,
                       random_state=0), X, y)
    assert seen == [X[0:4], X[4:8], X[8:10]]


def test_an_int_random_state_repeats_a_fit_and_none_draws_a_fresh_one() -> None:
    X, y = three_blobs(30)
    fixed = [quiet(MLPClassifier(hidden_layer_sizes=(4,), max_iter=2, random_state=5), X, y)
             for _ in range(2)]
    assert fixed[0].coefs_ == fixed[1].coefs_
    fresh = [quiet(MLPClassifier(hidden_layer_sizes=(4,), max_iter=2), X, y) for _ in range(2)]
    assert fresh[0].coefs_ != fresh[1].coefs_


def test_warm_start_goes_on_from_the_fitted_weights() -> None:
    X, y = line(40, seed=3)
    reg = quiet(MLPRegressor(hidden_layer_sizes=(6,), learning_rate_init=0.01, max_iter=20,
                             random_state=0, warm_start=True), X, y)
    curve = list(reg.loss_curve_)
    quiet(reg, X, y)
    assert reg.loss_curve_[:20] == curve and len(reg.loss_curve_) == 40
    assert reg.loss_curve_[20] < curve[0] / 2  # not from fresh weights
    cold = quiet(MLPRegressor(hidden_layer_sizes=(6,), learning_rate_init=0.01, max_iter=20,
                              random_state=0), X, y)
    quiet(cold, X, y)
    assert cold.loss_curve_ == curve  # without warm_start, fit starts again


def test_a_failed_fit_leaves_the_estimator_as_it_was() -> None:
    X = [[float(i)] for i in range(20)]
    y = [1e6 * i for i in range(20)]  # far too large for this learning rate
    reg = quiet(MLPRegressor(hidden_layer_sizes=(3,), activation="identity", solver="sgd",
                             max_iter=2, random_state=0, warm_start=True), X,
                [0.1 * i for i in range(20)])
    before = (reg.coefs_, reg.intercepts_, list(reg.loss_curve_),
              {name: value.tolist() for name, value in reg.network_.params.items()})
    reg.set_params(learning_rate_init=10.0, max_iter=200)
    with pytest.raises(ConfigError, match="diverged in iteration .*lower learning_rate_init "
                                          r"\(now 10.0\).*the targets y too"):
        quiet(reg, X, y)
    after = (reg.coefs_, reg.intercepts_, reg.loss_curve_,
             {name: value.tolist() for name, value in reg.network_.params.items()})
    assert after == before
    fresh = MLPRegressor(activation="identity", solver="sgd", learning_rate_init=10.0,
                         random_state=0)
    with pytest.raises(ConfigError, match="diverged"):
        quiet(fresh, X, y)
    assert "network_" not in vars(fresh)


def interrupt_partial_fit(monkeypatch, at_call):
    """Make NeuralNet.partial_fit raise KeyboardInterrupt on call ``at_call`` (from 1)."""
    original = NeuralNet.partial_fit
    calls = []

    def interrupting(net, X, y, classes=None):
        calls.append(1)
        if len(calls) == at_call:
            raise KeyboardInterrupt
        return original(net, X, y, classes)
    monkeypatch.setattr(NeuralNet, "partial_fit", interrupting)


def test_ctrl_c_after_an_epoch_keeps_the_weights_and_warns(monkeypatch) -> None:
    X, y = three_blobs(30)
    interrupt_partial_fit(monkeypatch, 3)
    with pytest.warns(InterruptedWarning, match="interrupted after 2 iterations"):
        clf = MLPClassifier(hidden_layer_sizes=(4,), batch_size=30, random_state=0).fit(X, y)
    assert clf.n_iter_ == 2 and len(clf.loss_curve_) == 2
    assert len(clf.predict(X)) == 30


def test_ctrl_c_in_the_first_epoch_undoes_the_fit(monkeypatch) -> None:
    X, y = three_blobs(30)
    interrupt_partial_fit(monkeypatch, 1)
    clf = MLPClassifier(hidden_layer_sizes=(4,), random_state=0)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert "network_" not in vars(clf)


# --- fitted attributes ---------------------------------------------------------------------


def test_fitted_attributes_describe_the_network() -> None:
    X, y = linear_map(30, seed=0)  # 3 inputs, 2 outputs
    reg = quiet(MLPRegressor(hidden_layer_sizes=(5, 4), max_iter=3, random_state=0), X, y)
    assert (reg.n_features_in_, reg.n_layers_, reg.n_outputs_) == (3, 4, 2)
    assert reg.out_activation_ == "identity"
    assert [(len(W), len(W[0])) for W in reg.coefs_] == [(3, 5), (5, 4), (4, 2)]
    assert [len(b) for b in reg.intercepts_] == [5, 4, 2]
    assert reg.coefs_[0] == reg.network_.params["W1"].tolist()
    assert reg.network_.layers == [3, 5, 4, 2]
    prediction = reg.predict(X[:2])
    assert len(prediction) == 2 and len(prediction[0]) == 2
    assert not hasattr(reg, "feature_names_in_")


def test_hidden_layer_sizes_may_be_an_int_or_empty() -> None:
    clf = quiet(MLPClassifier(hidden_layer_sizes=3, max_iter=2, random_state=0), XOR,
                [0, 1, 1, 0])
    assert clf.network_.layers == [2, 3, 1]
    logistic = quiet(MLPClassifier(hidden_layer_sizes=(), max_iter=2, random_state=0), XOR,
                     [0, 1, 1, 0])
    assert logistic.n_layers_ == 2 and logistic.network_.layers == [2, 1]


def test_identity_activation_fits_a_linear_map() -> None:
    X, y = line(60, seed=4)
    reg = quiet(MLPRegressor(hidden_layer_sizes=(3,), activation="identity",
                             learning_rate_init=0.01, max_iter=300, random_state=0), X, y)
    assert reg.network_.activation == "identity"
    assert reg.score(X, y) > 0.99


def test_the_regressor_scores_r2() -> None:
    X = [[0.0], [1.0], [2.0], [3.0]]
    reg = quiet(MLPRegressor(hidden_layer_sizes=(2,), max_iter=1, random_state=0), X,
                [0.0, 1.0, 2.0, 3.0])
    y = [1.0, 0.0, 3.0, 2.0]
    predicted = reg.predict(X)
    mean = sum(y) / 4
    expected = 1 - sum((t - p) ** 2 for t, p in zip(y, predicted)) / sum((t - mean) ** 2
                                                                         for t in y)
    assert reg.score(X, y) == pytest.approx(expected, rel=1e-12)


def test_verbose_prints_scikit_learns_progress_lines(capsys) -> None:
    quiet(MLPClassifier(hidden_layer_sizes=(2,), max_iter=2, verbose=True, random_state=0), XOR,
          [0, 1, 1, 0])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == ["Iteration 1", "Iteration 2"]
    assert lines[0].startswith("Iteration 1, loss = ") and len(lines[0].split(".")[-1]) == 8


# --- inputs: rows of anything, and NumPy without importing it ------------------------------


@pytest.mark.parametrize("X, message, error", [
    ([1.0, 2.0, 3.0], "X must be 2-D.*Reshape your data", ShapeError),
    ([], "X is empty", DataError),
    ([[1.0, float("nan")]], "X row 0, column 1 is nan.*not NaN or inf", DataError),
    ([[1.0, "a"]], "X: .*'a'", DataError),
    (5, "X must be a list of rows", DataError),
])
def test_bad_X_is_refused_naming_the_problem(X, message, error) -> None:
    with pytest.raises(error, match=message):
        MLPClassifier().fit(X, [0] * (len(X) if isinstance(X, list) else 1))


def test_rows_may_be_tuples_or_any_iterable() -> None:
    rows = (tuple(row) for row in XOR)  # a generator of tuples
    clf = quiet(MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0), rows,
                iter([0, 1, 1, 0]))
    assert len(clf.predict([(0, 0), (1, 1)])) == 2


def test_predicting_with_another_number_of_features_names_both() -> None:
    clf = quiet(MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0), XOR,
                [0, 1, 1, 0])
    with pytest.raises(ShapeError, match="X has 3 features, but MLPClassifier is expecting 2"):
        clf.predict([[1.0, 2.0, 3.0]])


class FakeArray:
    """Enough of a NumPy array for the estimators: ``tolist``, ``ndim``, ``shape``, ``dtype``."""

    class dtype:
        kind = "f"

    def __init__(self, values):
        self.values = values
        self.ndim = 2 if values and isinstance(values[0], list) else 1
        self.shape = (len(values), len(values[0])) if self.ndim == 2 else (len(values),)

    def tolist(self):
        return [list(row) if isinstance(row, list) else row for row in self.values]


@pytest.fixture
def fake_numpy(monkeypatch):
    """A stand-in ``numpy`` module in sys.modules, as if the user had imported NumPy."""
    module = types.ModuleType("numpy")
    module.ndarray = FakeArray
    module.asarray = FakeArray
    monkeypatch.setitem(sys.modules, "numpy", module)
    return module


def test_numpy_arrays_in_give_numpy_arrays_out_made_by_the_loaded_numpy(fake_numpy) -> None:
    X, y = three_blobs(30)
    clf = quiet(MLPClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0),
                FakeArray(X), FakeArray(y))
    assert isinstance(clf.classes_, FakeArray)
    assert clf.classes_.values == ["setosa", "versicolor", "virginica"]
    assert all(isinstance(W, FakeArray) for W in clf.coefs_ + clf.intercepts_)
    predicted = clf.predict(FakeArray(X))
    assert isinstance(predicted, FakeArray) and predicted.values == clf.predict(X)
    assert isinstance(clf.predict_proba(FakeArray(X)), FakeArray)
    assert isinstance(clf.predict(X), list)  # lists in, lists out


def test_numpy_shapes_are_checked(fake_numpy) -> None:
    with pytest.raises(ShapeError, match="X must be 2-D.*shape \\(4,\\).*Reshape your data"):
        MLPRegressor().fit(FakeArray([1.0, 2.0, 3.0, 4.0]), [1.0, 2.0, 3.0, 4.0])
    complex_X = FakeArray([[1.0], [2.0]])
    complex_X.dtype = type("dtype", (), {"kind": "c", "__str__": lambda self: "complex128"})()
    with pytest.raises(DataError, match="Complex data not supported"):
        MLPRegressor().fit(complex_X, [1.0, 2.0])
    reg = quiet(MLPRegressor(hidden_layer_sizes=(2,), max_iter=2, random_state=0),
                FakeArray([[1.0], [2.0], [3.0]]), FakeArray([[1.0], [2.0], [3.0]]))
    assert reg.n_outputs_ == 1  # a one-column y is one output, as in scikit-learn


def test_a_dataframe_is_read_with_to_numpy_and_keeps_its_column_names(fake_numpy) -> None:
    class FakeFrame:
        columns = ["width", "height"]

        def to_numpy(self):
            return FakeArray([list(row) for row in XOR])

    clf = quiet(MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0),
                FakeFrame(), [0, 1, 1, 0])
    assert clf.feature_names_in_.values == ["width", "height"]
    quiet(clf, XOR, [0, 1, 1, 0])
    assert not hasattr(clf, "feature_names_in_")  # a refit on lists forgets them


def test_a_sparse_matrix_is_refused_naming_toarray() -> None:
    class Sparse:
        nnz = 3

        def toarray(self):
            return XOR

    with pytest.raises(DataError, match="sparse matrix.*X.toarray()"):
        MLPClassifier().fit(Sparse(), [0, 1, 1, 0])


def test_the_estimators_never_import_numpy(tmp_path) -> None:
    (tmp_path / "numpy.py").write_text("raise ImportError('tinynet imported numpy')\n")
    code = ("from tinynet import MLPClassifier, MLPRegressor\n"
            "X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]\n"
            "c = MLPClassifier(hidden_layer_sizes=(2,), max_iter=2).fit(X, ['a', 'b', 'b', 'a'])\n"
            "r = MLPRegressor(hidden_layer_sizes=(2,), max_iter=2).fit(X, [1.0, 2.0, 3.0, 4.0])\n"
            "print(c.predict(X), len(r.predict(X)), len(c.predict_proba(X)))\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path), mpy.REPO_ROOT]))
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", code], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(" 4 4\n")


# --- scikit-learn's own tools ---------------------------------------------------------------


def fake_sklearn_utils():
    """A stand-in ``sklearn.utils`` whose tag classes record their arguments."""
    module = types.ModuleType("sklearn.utils")
    for name in ("Tags", "TargetTags", "ClassifierTags", "RegressorTags", "InputTags"):
        setattr(module, name, lambda _name=name, **kwargs: dict(kwargs, kind=_name))
    return module


def test_tags_are_built_with_the_scikit_learn_that_asks(monkeypatch) -> None:
    with pytest.raises(AttributeError, match="scikit-learn, which is not loaded"):
        MLPClassifier().__sklearn_tags__()
    monkeypatch.setitem(sys.modules, "sklearn.utils", fake_sklearn_utils())
    classifier = MLPClassifier().__sklearn_tags__()
    assert classifier["kind"] == "Tags" and classifier["estimator_type"] == "classifier"
    assert classifier["input_tags"]["sparse"] is False
    assert classifier["classifier_tags"]["multi_label"] is False
    regressor = MLPRegressor().__sklearn_tags__()
    assert regressor["estimator_type"] == "regressor"
    assert regressor["target_tags"]["multi_output"] is True
    assert MLPClassifier._estimator_type == "classifier"


def test_not_fitted_errors_are_also_scikit_learns_when_it_is_loaded(monkeypatch) -> None:
    class SklearnNotFittedError(ValueError, AttributeError):
        pass

    exceptions = types.ModuleType("sklearn.exceptions")
    exceptions.NotFittedError = SklearnNotFittedError
    monkeypatch.setitem(sys.modules, "sklearn.exceptions", exceptions)
    for method in ("predict", "predict_proba", "predict_log_proba"):
        with pytest.raises(SklearnNotFittedError) as error:
            getattr(MLPClassifier(), method)(XOR)
        assert isinstance(error.value, NotFittedError)
    monkeypatch.delitem(sys.modules, "sklearn.exceptions")
    with pytest.raises(NotFittedError) as error:
        MLPRegressor().predict(XOR)
    assert not isinstance(error.value, SklearnNotFittedError)


def test_the_front_door_finds_the_estimators_lazily() -> None:
    assert tinynet.MLPClassifier is tinynet.estimators.MLPClassifier
    assert tinynet.MLPRegressor is tinynet.estimators.MLPRegressor


@pytest.mark.parametrize("module", [tinynet.estimators, tinynet.arraylike],
                         ids=lambda module: module.__name__)
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_the_estimators_run_on_micropython_and_train_as_on_cpython() -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    code = """
        from tinynet import MLPClassifier, MLPRegressor
        X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
        clf = MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", solver="sgd",
                            learning_rate_init=0.5, max_iter=500, random_state=1)
        clf.fit(X, ["same", "differ", "differ", "same"])
        print(clf.predict(X), clf.classes_, clf.n_iter_)
        reg = MLPRegressor(hidden_layer_sizes=(4,), max_iter=5)  # a fresh seed, drawn there too
        print(len(reg.fit(X, [0.0, 1.0, 1.0, 2.0]).predict(X)), reg.n_iter_)
        """
    printed = mpy.run_micropython(code).splitlines()
    clf = MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", solver="sgd",
                        learning_rate_init=0.5, max_iter=500, random_state=1)
    quiet(clf, XOR, ["same", "differ", "differ", "same"])
    assert printed[0] == "%r %r %d" % (clf.predict(XOR), clf.classes_, clf.n_iter_)
    assert printed[1] == "4 5"


def test_the_fitted_network_becomes_a_model_file_that_predicts_the_same() -> None:
    X, y = three_blobs(30)
    clf = quiet(MLPClassifier(hidden_layer_sizes=(4,), max_iter=5, random_state=0), X, y)
    copy = NeuralNet.from_dict(clf.network_.to_dict())
    assert copy.classes_ == ["setosa", "versicolor", "virginica"]
    assert copy.predict(X) == clf.predict(X)

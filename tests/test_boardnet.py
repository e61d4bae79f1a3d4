"""``BoardNet``: the board's trainer trains as ``NeuralNet.fit`` does, and refuses what it must.

NeuralNet is the reference: the same settings must give the same loss history and
weights, bit for bit where NeuralNet adds term by term (CPython below 3.12, PyPy), and
within 1e-12 on CPython 3.12+, where its kernels use ``math.sumprod``.  The gradients are
also checked against finite differences of a loss written here.  That it learns on the
board-like MicroPython (single precision) is checked beside NeuralNet in
``tests/test_single_precision.py``.
"""

import copy
import doctest
import json
import math
import sys
import warnings

import pytest

from tinynet import ConvergenceWarning, NeuralNet, Random
from tinynet.boardnet import BoardNet
from tinynet.errors import ConfigError, DataError, ModelFileError, NotFittedError, ShapeError

import tinynet.boardnet

# Where NeuralNet's kernels round each sum once (math.sumprod), the last bits may differ.
EXACT = sys.implementation.name == "pypy" or not hasattr(math, "sumprod")
TOLERANCE = 0.0 if EXACT else 1e-12

ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid", "identity"]


def data(n: int = 23, width: int = 3, seed: int = 7) -> "list[list[float]]":
    rng = Random(seed)
    return [[rng.uniform(-1.0, 1.0) for _ in range(width)] for _ in range(n)]


def targets(output: str, X: "list[list[float]]") -> list:
    if output == "sigmoid":
        return ["no" if x[0] + x[1] > 0 else "yes" for x in X]  # strings: classes_ sorted
    if output == "softmax":
        return [i % 3 for i in range(len(X))]
    return [[x[0] - x[1], 2.0 * x[2]] for x in X]


def units(output: str) -> int:
    return {"sigmoid": 1, "softmax": 3, "linear": 2}[output]


def both(settings: dict, X: list, y: list) -> "tuple[NeuralNet, BoardNet]":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return NeuralNet(**settings).fit(X, y), BoardNet(**settings).fit(X, y)


def assert_same(reference: NeuralNet, net: BoardNet) -> None:
    assert len(net.loss) == len(reference.loss)
    for got, want in zip(net.loss, reference.loss):
        assert abs(got - want) <= TOLERANCE * abs(want), (got, want)
    assert sorted(net.params) == sorted(reference.params)
    for name, value in reference.params.items():
        rows = value.tolist() if name[0] == "W" else [value.tolist()]
        mine = net.params[name] if name[0] == "W" else [net.params[name]]
        for row, my_row in zip(rows, mine):
            for want, got in zip(row, my_row):
                assert abs(got - want) <= TOLERANCE * max(1.0, abs(want)), (name, got, want)
    assert net.classes_ == reference.classes_


# --- the same numbers as NeuralNet.fit ---------------------------------------------------


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_every_activation_and_output_trains_as_neural_net_does(activation, output) -> None:
    X = data()
    settings = dict(layers=[3, 4, 3, units(output)], learning_rate=0.1, iterations=8, seed=3,
                    activation=activation, output=output, batch_size=5)
    reference, net = both(settings, X, targets(output, X))
    assert_same(reference, net)


@pytest.mark.parametrize("batch_size", [None, 1, 5, 8, 23, 100])
def test_every_batch_size_trains_as_neural_net_does(batch_size) -> None:
    # 23 rows: batches of 5 and 8 leave a short last batch; 23 and 100 are one batch.
    X = data()
    settings = dict(layers=[3, 5, 3], learning_rate=0.2, iterations=6, seed=11,
                    batch_size=batch_size)
    reference, net = both(settings, X, targets("softmax", X))
    assert_same(reference, net)


def test_a_network_too_large_for_neural_nets_step_code_trains_as_its_textbook_path() -> None:
    # Past tinynet.kernels.STEP_SIZES NeuralNet trains with Matrix products, not faststep.
    X = data(30, 20)
    settings = dict(layers=[20, 130, 3], learning_rate=0.1, iterations=2, batch_size=7,
                    activation="tanh")
    reference, net = both(settings, X, targets("softmax", X))
    assert_same(reference, net)


@pytest.mark.parametrize("init", ["auto", "he", "xavier", "normal"])
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_every_init_scheme_draws_neural_nets_weights(init, activation) -> None:
    X = data()
    settings = dict(layers=[3, 6, 1], learning_rate=0.05, iterations=3, seed=5, init=init,
                    activation=activation)
    reference, net = both(settings, X, targets("sigmoid", X))
    assert_same(reference, net)


def test_the_tutorials_defaults_and_predictions_match_neural_net() -> None:
    X = data(40, 2)
    y = [1 if a * b > 0 else 0 for a, b in X]
    reference, net = both(dict(layers=[2, 8, 1], learning_rate=0.5, iterations=60,
                               batch_size=8, seed=1), X, y)
    assert_same(reference, net)
    assert net.predict(X) == reference.predict(X)
    for got, want in zip(net.predict_proba(X), reference.predict_proba(X).tolist()):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_regression_predicts_neural_nets_values() -> None:
    X = data()
    y = [x[0] * 2.0 - x[2] for x in X]  # one output: a float per row
    reference, net = both(dict(layers=[3, 4, 1], output="linear", learning_rate=0.1,
                               iterations=20, activation="tanh"), X, y)
    assert_same(reference, net)
    assert net.classes_ is None
    for got, want in zip(net.predict(X), reference.predict(X)):
        assert got == pytest.approx(want, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("y", [[0.0, 1.0, 1.0, 0.0] * 3, [False, True, True, False] * 3,
                               [-1.5, 2.5, 2.5, -1.5] * 3, ["b", "a", "a", "b"] * 3])
def test_labels_of_every_kind_neural_net_takes_give_its_classes(y) -> None:
    X = data(12, 2)
    reference, net = both(dict(layers=[2, 3, 1], learning_rate=0.3, iterations=5), X, y)
    assert net.classes_ == reference.classes_
    assert [type(c) for c in net.classes_] == [type(c) for c in reference.classes_]
    assert net.predict(X) == reference.predict(X)


def test_the_size_limit_is_tinynets() -> None:
    from tinynet import checks

    assert tinynet.boardnet.MAX_VALUES == checks.MAX_VALUES


def test_a_failed_save_is_a_model_file_error_and_keeps_the_old_file(tmp_path) -> None:
    net = trained()
    with pytest.raises(ModelFileError, match="cannot write model file .*no such"):
        net.save(str(tmp_path / "missing" / "model.json"))
    with pytest.raises(ModelFileError, match="cannot write model file"):
        net.save(str(tmp_path))
    path = tmp_path / "model.json"
    path.write_text("the old model")
    net.weights[0][0][0] = float("nan")
    with pytest.raises(ModelFileError):
        net.save(str(path))
    assert path.read_text() == "the old model"
    assert not [name for name in tmp_path.iterdir() if name.name != "model.json"]


def test_labels_that_are_not_class_indices_become_sorted_classes() -> None:
    X = data(12, 2)
    y = [(-1, 5)[i % 2] for i in range(12)]
    reference, net = both(dict(layers=[2, 3, 1], learning_rate=0.3, iterations=5), X, y)
    assert net.classes_ == reference.classes_ == [-1, 5]
    assert net.predict(X) == reference.predict(X)
    assert set(net.predict(X)) <= {-1, 5}


def test_it_warns_when_neural_net_warns_that_training_ended_too_soon() -> None:
    X = data(40, 2)
    y = [1 if a * b > 0 else 0 for a, b in X]
    settings = dict(layers=[2, 8, 1], learning_rate=0.001, iterations=100)  # the tutorial's
    for make in (NeuralNet, BoardNet):
        with pytest.warns(ConvergenceWarning, match="still falling"):
            make(**settings).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        BoardNet(layers=[2, 8, 1], learning_rate=0.5, iterations=200, batch_size=8).fit(X, y)


# --- the gradients, against finite differences of a loss written here -------------------


def reference_loss(net: BoardNet, weights: list, biases: list, X: list, Y: list) -> float:
    """The mean loss, written out independently: hidden layers by name, then the output's."""
    hidden = {"relu": lambda z: max(z, 0.0), "tanh": math.tanh,
              "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)), "identity": lambda z: z,
              "leaky_relu": lambda z: z if z > 0 else 0.01 * z}[net.activation]
    total = 0.0
    for x, y in zip(X, Y):
        a = x
        for l, (W, b) in enumerate(zip(weights, biases)):
            z = [sum(a[k] * W[k][j] for k in range(len(a))) + b[j] for j in range(len(b))]
            a = [hidden(v) for v in z] if l < len(weights) - 1 else z
        if net.output == "sigmoid":
            p = 1.0 / (1.0 + math.exp(-a[0]))
            total -= y[0] * math.log(p) + (1.0 - y[0]) * math.log(1.0 - p)
        elif net.output == "softmax":
            exps = [math.exp(v) for v in a]
            total -= sum(t * math.log(e / sum(exps)) for t, e in zip(y, exps))
        else:
            total += sum((v - t) ** 2 for v, t in zip(a, y)) / len(a)
    return total / len(X)


@pytest.mark.parametrize("activation,output", [("tanh", "sigmoid"), ("sigmoid", "softmax"),
                                               ("leaky_relu", "linear"), ("relu", "softmax")])
def test_one_step_follows_the_gradient_of_the_loss(activation, output) -> None:
    X = data(9, 3)
    K = units(output)
    if output == "sigmoid":
        labels, Y = [i % 2 for i in range(9)], [[float(i % 2)] for i in range(9)]
    elif output == "softmax":
        labels = [i % 3 for i in range(9)]
        Y = [[1.0 if j == c else 0.0 for j in range(3)] for c in labels]
    else:
        labels = Y = [[x[0] + x[1], x[2]] for x in X]
    rate = 1.0
    net = BoardNet([3, 4, K], learning_rate=rate, iterations=1, activation=activation,
                   output=output, seed=2)
    before_W, before_b = net._initial_weights()
    net.fit(X, labels)  # one full-batch step: W1 = W0 - rate * dL/dW
    assert net.loss[0] == pytest.approx(reference_loss(net, before_W, before_b, X, Y), rel=1e-12)
    h = 1e-6
    for l in range(2):
        for place in [(k, j) for k in range(len(before_W[l])) for j in range(len(before_W[l][0]))] \
                + [(None, j) for j in range(len(before_b[l]))]:
            W, b = copy.deepcopy(before_W), copy.deepcopy(before_b)
            k, j = place
            values = b[l] if k is None else W[l][k]
            start = values[j]
            values[j] = start + h
            up = reference_loss(net, W, b, X, Y)
            values[j] = start - h
            down = reference_loss(net, W, b, X, Y)
            numeric = (up - down) / (2 * h)
            after = net.biases[l][j] if k is None else net.weights[l][k][j]
            analytic = (start - after) / rate
            assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-8), (l, place)


# --- what it refuses, and what a failure leaves ------------------------------------------


def trained() -> BoardNet:
    X = data(10, 2)
    return BoardNet([2, 3, 1], learning_rate=0.1, iterations=3).fit(X, [i % 2 for i in range(10)])


def state(net: BoardNet) -> str:
    return json.dumps([net.weights, net.biases, net.loss, net.classes_])


@pytest.mark.parametrize("X,y,error,message", [
    ([[0.0, 1.0], [1.0]], [0, 1], ShapeError, "X row 1 has 1 values but the network has 2 inputs"),
    ([[0.0, 1.0, 2.0]], [0], ShapeError, "X row 0 has 3 values but the network has 2 inputs"),
    ([[0.0, 1.0], [1.0, "a"]], [0, 1], DataError,
     "X row 1, column 1 is 'a' (str): values must be numbers"),
    ([[0.0, 1.0], [True, 1.0]], [0, 1], DataError, "X row 1, column 0 is True (bool)"),
    ([[0.0, None]], [0], DataError, "X row 0, column 1 is None (NoneType)"),
    ([[0.0, 10 ** 400]], [0], DataError,
     "X row 0, column 1 is %r (int): values must be numbers (a whole number too large for "
     "a float)" % 10 ** 400),
    ({(0.0, 1.0): 1}, [0], DataError, "X must be a non-empty list of rows"),
    ([{0.0, 1.0}], [0], DataError, "X row 0 must be a list of 2 numbers"),
    (["ab"], [0], DataError, "X row 0 must be a list of 2 numbers"),
    ([[0.0, 1.0], 3.0], [0, 1], DataError, "X row 1 must be a list of 2 numbers"),
    ([[0.0, 1.0], [float("nan"), 1.0]], [0, 1], DataError,
     "X row 1, column 0 is nan: values must be finite numbers"),
    ([[0.0, float("inf")]], [0], DataError, "X row 0, column 1 is inf"),
    ([], [], DataError, "X must be a non-empty list of rows, got []"),
    (None, [0], DataError, "X must be a non-empty list of rows, got None"),
    ([[0.0, 1.0]], [0, 1], ShapeError, "X has 1 rows but y has 2 labels"),
    ([[0.0, 1.0]], 5, DataError, "y must be a list of labels or targets, got 5"),
    ([[0.0, 1.0], [1.0, 0.0]], [0, float("nan")], DataError,
     "y[1] is nan (float): BoardNet's class labels are finite numbers, strings or bools"),
    ([[0.0, 1.0], [1.0, 0.0]], [True, 1], DataError,
     "y mixes the bool True with the label 1: Python counts True as 1"),
    ([[0.0, 1.0], [1.0, 0.0]], [0, [1]], DataError, "y[1] is [1] (list)"),
    ([[0.0, 1.0], [1.0, 0.0]], [1, "a"], DataError,
     "y mixes labels that cannot be sorted together: 1 and 'a'"),
    ([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], ["a", "b", "c"], DataError,
     "y holds 3 distinct labels ('a', 'b', 'c') but the network tells 2 classes apart"),
])
def test_bad_data_is_refused_naming_the_row_and_the_network_is_unchanged(X, y, error,
                                                                         message) -> None:
    net = trained()
    before = state(net)
    with pytest.raises(error) as raised:
        net.fit(X, y)
    assert type(raised.value) is error
    assert message in str(raised.value)
    assert state(net) == before


@pytest.mark.parametrize("y,error,message", [
    ([1.0, "x"], DataError, "y[1] must be a number, got 'x'"),
    ([1.0, 10 ** 400], DataError, "(a whole number too large for a float)"),
    ([1.0, float("nan")], DataError, "y[1] is nan: targets must be finite numbers"),
    ([1.0, [1.0, 2.0]], ShapeError, "y[1] has 2 values but the network has 1 outputs"),
])
def test_bad_regression_targets_are_refused(y, error, message) -> None:
    net = BoardNet([2, 3, 1], output="linear")
    with pytest.raises(error) as raised:
        net.fit([[0.0, 1.0], [1.0, 0.0]], y)
    assert type(raised.value) is error
    assert message in str(raised.value)
    assert net.weights == [] and net.loss == []


def test_a_diverging_fit_raises_as_neural_nets_does_and_changes_nothing() -> None:
    X = data(20, 2)
    y = [1000.0 * (a + b) for a, b in X]
    settings = dict(layers=[2, 8, 1], output="linear", learning_rate=0.5, iterations=50,
                    activation="identity")
    with pytest.raises(ConfigError) as theirs:
        NeuralNet(**settings).fit(X, y)
    net = BoardNet(**settings)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, [0.001 * value for value in y])  # targets it can learn
    before = state(net)
    with pytest.raises(ConfigError) as mine:
        net.fit(X, y)
    assert state(net) == before
    assert str(mine.value).startswith("training diverged in epoch ")
    assert str(mine.value).split(":")[0] == str(theirs.value).split(":")[0]  # epoch, loss


@pytest.mark.parametrize("settings,message", [
    (dict(layers=[2, 1], activation="swish"), "unknown activation 'swish': choose one of relu"),
    (dict(layers=[2, 1], output="softplus"), "unknown output 'softplus'"),
    (dict(layers=[2, 1], init="orthogonal"), "unknown init 'orthogonal'"),
    (dict(layers=[2, 2], output="sigmoid"), "a sigmoid output does not fit 2 output units"),
    (dict(layers=[2, 1], output="softmax"), "a softmax output does not fit 1 output unit"),
    (dict(layers=[2]), "layers must be a list of 2 or more sizes"),
    (dict(layers=[2, 0]), "layers must be a list of 2 or more sizes"),
    (dict(layers="2, 1"), "layers must be a list of 2 or more sizes"),
    (dict(learning_rate=0), "learning_rate must be a finite number > 0, got 0"),
    (dict(learning_rate=float("nan")), "learning_rate must be a finite number > 0"),
    (dict(iterations=0), "iterations must be a whole number >= 1, got 0"),
    (dict(iterations=2.0), "iterations must be a whole number >= 1, got 2.0"),
    (dict(batch_size=0), "batch_size must be a whole number >= 1"),
    (dict(seed=-1), "seed must be a whole number >= 0"),
    (dict(seed=True), "seed must be a whole number >= 0, got True"),
    (dict(optimizer="adam"), "BoardNet has no setting 'optimizer': BoardNet keeps to plain "
                             "gradient descent and nothing around it; NeuralNet has it"),
    (dict(layers=[2, 10 ** 9, 1]), "layers [2, 1000000000, 1] would hold 4000000001 weights "
                                   "and biases; tinynet builds at most 67108864"),
    (dict(alpha=0.1), "BoardNet has no setting 'alpha'"),
    (dict(dropout=0.5), "BoardNet has no setting 'dropout'"),
])
def test_settings_it_does_not_support_are_refused_by_name(settings, message) -> None:
    with pytest.raises(ConfigError) as raised:
        BoardNet(**settings)
    assert message in str(raised.value)


def test_predicting_needs_weights_and_a_classifier_for_probabilities() -> None:
    with pytest.raises(NotFittedError):
        BoardNet([2, 1]).predict([[0.0, 1.0]])
    with pytest.raises(NotFittedError):
        BoardNet([2, 1]).save("never-written.json")
    net = BoardNet([2, 1], output="linear").fit([[0.0, 1.0], [1.0, 0.0]], [0.5, 1.5])
    with pytest.raises(ConfigError, match="no probabilities"):
        net.predict_proba([[0.0, 1.0]])
    with pytest.raises(ShapeError, match="X row 0 has 3 values"):
        trained().predict([[0.0, 1.0, 2.0]])


# --- the model file ------------------------------------------------------------------


@pytest.mark.parametrize("output", ["sigmoid", "softmax", "linear"])
def test_a_saved_model_loads_in_neural_net_and_the_predictor(output, tmp_path) -> None:
    from tinynet.predictor import load

    X = data()
    net = BoardNet([3, 5, units(output)], output=output, learning_rate=0.1, iterations=5,
                   activation="tanh", batch_size=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit(X, targets(output, X))
    path = str(tmp_path / "model.json")
    net.save(path)
    with open(path) as handle:
        saved = json.load(handle)
    assert saved["format"] == "tinynet-model" and saved["version"] == 2
    assert saved["classes"] == net.classes_
    loaded, predictor = NeuralNet.load(path), load(path)
    assert loaded.classes_ == net.classes_ and loaded.activation == "tanh"
    assert loaded.batch_size == 4 and loaded.learning_rate == 0.1
    for name, value in loaded.params.items():
        assert value.tolist() == net.params[name]  # floats written as repr: read back exactly
    if output != "linear":
        assert loaded.predict(X) == predictor.predict(X) == net.predict(X)
    if output == "linear":
        for got, want in zip(predictor.predict(X), net.predict(X)):
            assert got == pytest.approx(want, rel=1e-12)
    else:
        for got, want in zip(predictor.predict_proba(X), net.predict_proba(X)):
            assert got == pytest.approx(want, rel=1e-12)


def test_a_model_that_is_not_finite_is_not_saved(tmp_path) -> None:
    net = trained()
    net.weights[0][0][0] = float("nan")
    with pytest.raises(ModelFileError, match="W1"):
        net.save(str(tmp_path / "model.json"))
    assert not (tmp_path / "model.json").exists()


def test_the_docstring_examples_run() -> None:
    failures, tried = doctest.testmod(tinynet.boardnet)
    assert tried > 0 and failures == 0

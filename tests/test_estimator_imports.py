"""MLPClassifier and MLPRegressor from a fitted scikit-learn MLP and from ONNX, and back.

``from_sklearn`` and ``from_onnx`` give an estimator that is fitted already.
What it must predict comes from outside tinynet: a forward pass written here
from scikit-learn's formulas (for a stand-in of a fitted scikit-learn MLP),
and the onnxruntime outputs stored beside each file of ``tests/data/onnx``.
"""

import glob
import json
import math
import os
import warnings

import pytest

import mpy
from datasets import blobs, linear_map
from tinynet import MLPClassifier, MLPRegressor, NotFittedError
from tinynet.errors import ModelFileError
from tinynet.messages import ConvergenceWarning
from tinynet.network import NeuralNet

DATA = os.path.join(mpy.REPO_ROOT, "tests", "data", "onnx")
REAL_FILES = sorted(glob.glob(os.path.join(DATA, "*.onnx")) +
                    glob.glob(os.path.join(DATA, "more", "*.onnx")))

# What each file holds (tests/data/onnx/README.md, more/make.py): its values are not
# classes, or its hidden activation (leaky ReLU) is not one of scikit-learn's.
REGRESSORS = {"torch_relu_logits_4_16_3", "sklearn_mlpregressor_3_16_16_1",
              "sklearn_regressor_float64_2_outputs", "handwritten_external_data"}
LEAKY = {"torch_leaky_sigmoid_30_16_8_1", "handwritten_constants_matmul_leaky"}

# scikit-learn's constructor defaults (its documentation), but the two an import sets.
OTHER_DEFAULTS = {
    "solver": "adam", "alpha": 0.0001, "batch_size": "auto", "learning_rate": "constant",
    "learning_rate_init": 0.001, "power_t": 0.5, "max_iter": 200, "shuffle": True,
    "random_state": None, "tol": 1e-4, "verbose": False, "warm_start": False, "momentum": 0.9,
    "nesterovs_momentum": True, "early_stopping": False, "validation_fraction": 0.1,
    "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8, "n_iter_no_change": 10, "max_fun": 15000,
}

X3 = [[0.25, -0.5, 2.0], [2.0, 1.0, -1.25], [-1.5, 0.0, 3.0], [0.0, 0.0, 0.0]]


def stem(path: str) -> str:
    return os.path.basename(path)[:-len(".onnx")]


def quiet(estimator, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # short fits, on purpose
        return estimator.fit(X, y)


def assert_close(got: list, want: list, rel: float, abs_: float = 0.0) -> None:
    assert len(got) == len(want)
    for i, (g_row, w_row) in enumerate(zip(got, want)):
        g_row = g_row if isinstance(g_row, list) else [g_row]
        w_row = w_row if isinstance(w_row, list) else [w_row]
        assert len(g_row) == len(w_row)
        for g, w in zip(g_row, w_row):
            assert abs(g - w) <= rel * abs(w) + abs_, "row %d: %r vs %r" % (i, g_row, w_row)


# --- a stand-in for a fitted scikit-learn MLP ----------------------------------------------


class FakeArray:
    """Enough of a NumPy array: ``tolist``."""

    def __init__(self, values: list) -> None:
        self.values = values

    def tolist(self) -> list:
        return json.loads(json.dumps(self.values))


class FakeMLP:
    """What scikit-learn's fitted MLPClassifier / MLPRegressor keeps: layers [3, 4, 2, k]."""

    def __init__(self, out_activation: str, k: int, classes: list = None,
                 activation: str = "tanh") -> None:
        W1 = [[0.5, -1.0, 0.25, 0.0], [0.25, 0.75, -0.5, 1.0], [-0.5, 2.0, 0.125, -0.25]]
        W2 = [[0.75, -0.5], [-1.0, 0.25], [0.5, 0.5], [0.125, -2.0]]
        W3 = [[0.1 * (j + 1) * (-1) ** i for j in range(k)] for i in range(2)]
        self.coefs_ = [FakeArray(W1), FakeArray(W2), FakeArray(W3)]
        self.intercepts_ = [FakeArray([0.125, -0.25, 0.0, 0.5]), FakeArray([0.25, -0.125]),
                            FakeArray([0.05 * j for j in range(k)])]
        self.activation = activation
        self.out_activation_ = out_activation
        self.n_features_in_ = 3
        self.n_layers_ = 4
        self.loss_curve_ = [0.9, 0.5]  # scikit-learn's own training, which tinynet does not keep
        if classes is not None:
            self.classes_ = FakeArray(classes)


HIDDEN = {"tanh": math.tanh, "relu": lambda z: max(z, 0.0), "identity": lambda z: z,
          "logistic": lambda z: 1.0 / (1.0 + math.exp(-z))}


def sklearn_forward(est: FakeMLP, X: list) -> list:
    """scikit-learn's forward pass (``MLP._forward_pass``), then its output activation."""
    rows = []
    for x in X:
        a = list(x)
        layers = list(zip(est.coefs_, est.intercepts_))
        for l, (W, b) in enumerate(layers):
            W, b = W.values, b.values
            z = [sum(a[i] * W[i][j] for i in range(len(a))) + b[j] for j in range(len(b))]
            a = [HIDDEN[est.activation](v) for v in z] if l < len(layers) - 1 else z
        if est.out_activation_ == "softmax":
            e = [math.exp(v - max(a)) for v in a]
            a = [v / sum(e) for v in e]
        elif est.out_activation_ == "logistic":
            a = [1.0 / (1.0 + math.exp(-v)) for v in a]
        rows.append(a)
    return rows


# --- from_sklearn -----------------------------------------------------------------------------


@pytest.mark.parametrize("out_activation,k,classes,activation", [
    ("softmax", 3, ["setosa", "versicolor", "virginica"], "tanh"),
    ("logistic", 1, [-1, 1], "relu"),
    ("softmax", 3, [2, 5, 7], "identity"),
])
def test_a_classifier_from_sklearn_predicts_as_scikit_learn_computes(out_activation, k, classes,
                                                                     activation) -> None:
    est = FakeMLP(out_activation, k, classes, activation)
    clf = MLPClassifier.from_sklearn(est)
    probabilities = sklearn_forward(est, X3)
    if k == 1:  # scikit-learn's predict_proba: [1 - p, p]
        probabilities = [[1.0 - row[0], row[0]] for row in probabilities]
    assert_close(clf.predict_proba(X3), probabilities, 1e-12, 1e-15)
    assert clf.predict(X3) == [classes[row.index(max(row))] for row in probabilities]
    assert clf.classes_ == classes


def test_a_regressor_from_sklearn_predicts_as_scikit_learn_computes() -> None:
    est = FakeMLP("identity", 2, activation="logistic")
    reg = MLPRegressor.from_sklearn(est)
    assert_close(reg.predict(X3), sklearn_forward(est, X3), 1e-12, 1e-15)
    one_output = FakeMLP("identity", 1, activation="relu")
    predicted = MLPRegressor.from_sklearn(one_output).predict(X3)
    assert all(isinstance(v, float) for v in predicted)  # one number per row, as scikit-learn
    assert_close(predicted, [row[0] for row in sklearn_forward(one_output, X3)], 1e-12, 1e-15)


def test_an_import_describes_the_network_and_keeps_the_other_defaults() -> None:
    est = FakeMLP("softmax", 3, ["a", "b", "c"], activation="logistic")
    clf = MLPClassifier.from_sklearn(est)
    params = clf.get_params()
    assert (params.pop("hidden_layer_sizes"), params.pop("activation")) == ((4, 2), "logistic")
    assert params == OTHER_DEFAULTS
    reg = MLPRegressor.from_sklearn(FakeMLP("identity", 2, activation="identity"))
    assert reg.get_params()["loss"] == "squared_error"
    assert (reg.hidden_layer_sizes, reg.activation) == ((4, 2), "identity")
    assert repr(reg) == "MLPRegressor(hidden_layer_sizes=(4, 2), activation='identity')"


def test_an_import_sets_the_fitted_attributes_and_says_nothing_was_trained() -> None:
    est = FakeMLP("softmax", 3, ["a", "b", "c"])
    est.feature_names_in_ = FakeArray(["height", "width", "depth"])
    clf = MLPClassifier.from_sklearn(est)
    assert clf.coefs_ == [W.values for W in est.coefs_]
    assert clf.intercepts_ == [b.values for b in est.intercepts_]
    assert (clf.n_features_in_, clf.n_layers_, clf.n_outputs_) == (3, 4, 3)
    assert (clf.out_activation_, clf.classes_) == ("softmax", ["a", "b", "c"])
    assert clf.feature_names_in_ == ["height", "width", "depth"]
    # Nothing was trained here: scikit-learn's history of the source is not known.
    assert (clf.loss_, clf.best_loss_, clf.loss_curve_, clf.n_iter_, clf.t_) == (
        None, None, [], 0, 0)
    assert (clf.validation_scores_, clf.best_validation_score_) == (None, None)
    assert clf.network_.layers == [3, 4, 2, 3] and clf.network_.activation == "tanh"
    reg = MLPRegressor.from_sklearn(FakeMLP("identity", 1))
    assert (reg.out_activation_, reg.n_outputs_) == ("identity", 1)
    assert not hasattr(reg, "classes_") and not hasattr(reg, "feature_names_in_")


def test_a_pipelines_scaler_comes_along_and_the_estimator_takes_raw_features() -> None:
    class FakeScaler:
        mean_ = FakeArray([1.0, -2.0, 0.5])
        scale_ = FakeArray([2.0, 0.5, 4.0])

    class FakePipeline:
        steps = [("scale", FakeScaler()), ("mlp", FakeMLP("logistic", 1, ["no", "yes"]))]

    clf = MLPClassifier.from_sklearn(FakePipeline())
    est = FakePipeline.steps[1][1]
    scaled = [[(x[j] - [1.0, -2.0, 0.5][j]) / [2.0, 0.5, 4.0][j] for j in range(3)] for x in X3]
    p = [row[0] for row in sklearn_forward(est, scaled)]
    assert_close(clf.predict_proba(X3), [[1.0 - v, v] for v in p], 1e-12, 1e-15)
    assert clf.coefs_[0] == est.coefs_[0].values  # the first layer's weights, after the scaler
    assert clf.network_.scaler is not None


def test_an_unfitted_or_unreadable_sklearn_model_is_refused() -> None:
    with pytest.raises(NotFittedError, match="fit it first"):
        MLPClassifier.from_sklearn(object())
    swish = FakeMLP("softmax", 3, [0, 1, 2], activation="swish")
    with pytest.raises(ModelFileError, match="activation 'swish'"):
        MLPClassifier.from_sklearn(swish)


# --- the wrong kind of model -------------------------------------------------------------------


def test_a_regressor_given_to_the_classifier_is_refused_naming_the_right_call() -> None:
    with pytest.raises(ModelFileError) as caught:
        MLPClassifier.from_sklearn(FakeMLP("identity", 2))
    assert str(caught.value) == (
        "MLPClassifier.from_sklearn: the FakeMLP predicts values (regression, linear output), "
        "not classes: import it with MLPRegressor.from_sklearn")
    path = os.path.join(DATA, "sklearn_mlpregressor_3_16_16_1.onnx")
    with pytest.raises(ModelFileError) as caught:
        MLPClassifier.from_onnx(path)
    assert str(caught.value) == (
        "MLPClassifier.from_onnx: ONNX file %r predicts values (regression, linear output), "
        "not classes: import it with MLPRegressor.from_onnx" % path)


def test_a_classifier_given_to_the_regressor_is_refused_naming_the_right_call() -> None:
    with pytest.raises(ModelFileError) as caught:
        MLPRegressor.from_sklearn(FakeMLP("softmax", 3, [0, 1, 2]))
    assert str(caught.value) == (
        "MLPRegressor.from_sklearn: the FakeMLP predicts classes (3 classes, softmax output), "
        "not values: import it with MLPClassifier.from_sklearn")
    with open(os.path.join(DATA, "torch_tanh_sigmoid_13_8_1.onnx"), "rb") as f:
        data = f.read()
    with pytest.raises(ModelFileError) as caught:
        MLPRegressor.from_onnx(data)
    assert str(caught.value) == (
        "MLPRegressor.from_onnx: the ONNX model predicts classes (2 classes, sigmoid output), "
        "not values: import it with MLPClassifier.from_onnx")


def test_a_hidden_activation_scikit_learn_lacks_is_refused_naming_what_reads_it() -> None:
    path = os.path.join(DATA, "torch_leaky_sigmoid_30_16_8_1.onnx")
    with pytest.raises(ModelFileError, match="the hidden activation leaky_relu, which "
                                             "scikit-learn's MLP does not have .*NeuralNet"
                                             r"\.from_onnx"):
        MLPClassifier.from_onnx(path)
    assert NeuralNet.from_onnx(path).activation == "leaky_relu"


# --- from_onnx: the real files -----------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p in REAL_FILES if stem(p) not in LEAKY], ids=stem)
def test_real_file_imports_and_predicts_what_onnxruntime_predicted(path) -> None:
    with open(path[:-len(".onnx")] + ".json") as f:
        reference = json.load(f)
    X = reference["input"]
    regressor = stem(path) in REGRESSORS
    estimator = (MLPRegressor if regressor else MLPClassifier).from_onnx(path)
    assert estimator.n_features_in_ == len(X[0])
    rel = 1e-12 if "float64" in path else 1e-5  # the bar for float32 models
    compared = 0
    for name, want in reference["outputs"].items():
        if regressor:
            got = estimator.predict(X)
            flat = [v for row in got for v in (row if isinstance(row, list) else [row])]
            assert_close([flat], [[v for row in want for v in row]], rel)
        elif not isinstance(want[0], (list, dict)):  # skl2onnx's labels
            assert estimator.predict(X) == want, name
        else:
            classes = estimator.classes_
            if isinstance(want[0], dict):  # ZipMap: {label: probability}
                want = [[row[str(c)] for c in classes] for row in want]
            P = estimator.predict_proba(X)
            if len(want[0]) == 1:  # PyTorch's one sigmoid unit: P(class 1)
                P = [[row[1]] for row in P]
            assert_close(P, want, rel)
            if not stem(path).startswith("sklearn"):  # no labels in the file: the indices
                assert classes == list(range(max(len(want[0]), 2)))
        compared += 1
    assert compared == len(reference["outputs"]) >= 1


def test_skl2onnxs_identity_classifier_imports_with_its_labels() -> None:
    clf = MLPClassifier.from_onnx(os.path.join(DATA, "more",
                                               "sklearn_identity_3_classes_nozipmap.onnx"))
    assert (clf.hidden_layer_sizes, clf.activation) == ((6, 3), "identity")
    assert clf.classes_ == ["high", "low", "mid"] and clf.n_layers_ == 4


# --- round trips: a tinynet estimator, to ONNX and back ----------------------------------------


def three_blobs(n=45, seed=1):
    X, y = blobs(n // 3, seed=seed)
    return X, [("red", "green", "blue")[label] for label in y]


@pytest.mark.parametrize("activation", ["relu", "tanh", "logistic", "identity"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_classifier_comes_back_from_onnx_predicting_the_same(activation, dtype,
                                                               tmp_path) -> None:
    X, y = three_blobs()
    clf = quiet(MLPClassifier(hidden_layer_sizes=(5, 3), activation=activation, max_iter=20,
                              learning_rate_init=0.01, random_state=0), X, y)
    path = str(tmp_path / "model.onnx")
    data = clf.to_onnx(path, dtype)
    with open(path, "rb") as f:
        assert f.read() == data
    back = MLPClassifier.from_onnx(path)
    assert (back.hidden_layer_sizes, back.activation) == ((5, 3), activation)
    assert back.classes_ == clf.classes_ == ["blue", "green", "red"]
    assert back.predict(X) == clf.predict(X)
    rel = 1e-6 if dtype == "float32" else 1e-13
    assert_close(back.predict_proba(X), clf.predict_proba(X), rel, rel)
    for got, want in zip(back.coefs_ + back.intercepts_, clf.coefs_ + clf.intercepts_):
        assert_close(got if isinstance(got[0], list) else [got],
                     want if isinstance(want[0], list) else [want], rel)


@pytest.mark.parametrize("activation", ["relu", "identity"])
def test_a_two_class_classifier_and_a_regressor_come_back_from_onnx(activation) -> None:
    X, y = three_blobs()
    two = [label == "red" for label in y]
    clf = quiet(MLPClassifier(hidden_layer_sizes=(4,), activation=activation, max_iter=20,
                              random_state=0), X, ["yes" if t else "no" for t in two])
    back = MLPClassifier.from_onnx(clf.to_onnx(dtype="float64"))
    assert back.classes_ == ["no", "yes"] and back.out_activation_ == "logistic"
    assert back.predict(X) == clf.predict(X)
    assert_close(back.predict_proba(X), clf.predict_proba(X), 1e-13, 1e-15)
    X, Y = linear_map(30, seed=2)  # 3 inputs, 2 outputs
    reg = quiet(MLPRegressor(hidden_layer_sizes=(6,), activation=activation, max_iter=20,
                             random_state=0), X, Y)
    back_reg = MLPRegressor.from_onnx(reg.to_onnx(dtype="float64"))
    assert (back_reg.n_outputs_, back_reg.activation) == (2, activation)
    assert_close(back_reg.predict(X), reg.predict(X), 1e-13, 1e-15)


def test_a_tinynet_estimator_reads_as_a_scikit_learn_one() -> None:
    X, y = three_blobs()
    clf = quiet(MLPClassifier(hidden_layer_sizes=(4,), activation="identity", max_iter=10,
                              random_state=0), X, y)
    copy = MLPClassifier.from_sklearn(clf)  # the same attributes, by duck typing
    assert (copy.coefs_, copy.intercepts_, copy.classes_) == (clf.coefs_, clf.intercepts_,
                                                              clf.classes_)
    assert copy.predict_proba(X) == clf.predict_proba(X)


def test_to_onnx_needs_a_fitted_estimator() -> None:
    with pytest.raises(NotFittedError, match="not fitted yet"):
        MLPClassifier().to_onnx()


# --- training goes on from imported weights ---------------------------------------------------


def test_partial_fit_goes_on_from_the_imported_weights_with_adam() -> None:
    est = FakeMLP("softmax", 3, ["a", "b", "c"])
    clf = MLPClassifier.from_sklearn(est).set_params(learning_rate_init=0.01, alpha=0.0,
                                                     shuffle=False)
    X = [[0.5, 1.0, -1.0], [1.0, -0.5, 0.25], [-1.0, 0.0, 2.0]]
    clf.partial_fit(X, ["a", "c", "b"])
    assert (clf.n_iter_, len(clf.loss_curve_), clf.t_) == (1, 1, 3)
    assert clf.classes_ == ["a", "b", "c"] and clf.network_.optimizer == "adam"
    # Adam's first step moves each weight by learning_rate_init * g / (|g| + eps): 0.01 for
    # every weight whose gradient is not tiny, starting from the imported weights.
    moves = [abs(after - before) for W_after, W in zip(clf.coefs_, est.coefs_)
             for row_after, row in zip(W_after, W.values) for after, before in zip(row_after, row)]
    assert max(moves) == pytest.approx(0.01, rel=1e-4)
    assert sum(1 for m in moves if m == pytest.approx(0.01, rel=1e-3)) > len(moves) // 2


def test_warm_start_trains_the_imported_network_and_fit_trains_afresh() -> None:
    X, y = three_blobs()
    source = quiet(MLPClassifier(hidden_layer_sizes=(5,), max_iter=30, learning_rate_init=0.01,
                                 random_state=0), X, y)
    clf = MLPClassifier.from_onnx(source.to_onnx(dtype="float64"))
    clf.set_params(warm_start=True, max_iter=3, solver="sgd", learning_rate_init=0.01)
    quiet(clf, X, y)
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3
    assert clf.network_.optimizer == "momentum"  # the solver asked for, not the file's
    # From the imported weights: the first loss is the source's loss after its 30 epochs,
    # far below a fresh start's.
    fresh = quiet(MLPClassifier(hidden_layer_sizes=(5,), max_iter=1, solver="sgd",
                                learning_rate_init=0.01, random_state=0), X, y)
    assert clf.loss_curve_[0] < fresh.loss_curve_[0]
    clf.set_params(warm_start=False, max_iter=2, random_state=0)
    quiet(clf, X, y)
    assert clf.n_iter_ == 2 and clf.coefs_[0] != source.coefs_[0]

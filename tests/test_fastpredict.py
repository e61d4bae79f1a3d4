"""tinynet.fastpredict: the one-row code gives the textbook path's numbers, honours every
change to the weights, and steps aside for anything but the plain case.

The textbook path is the same network with its one-row code switched off
(``network._matrix_path``).  Every way of writing a layer (names, indexed,
columns, blocks) is plain Python, so each is run here on whatever interpreter
runs the tests, not only where ``tinynet.kernels`` picks it.

Same numbers: on CPython below 3.12 and on PyPy every result is the same
float, bit for bit (compared with ``same_float``).  On CPython 3.12+ the
Matrix path's ``math.sumprod`` rounds once per dot product, so the ways that
add term by term may differ in the last bits there (``columns`` uses the
kernel itself and stays exact); they are held to 1e-12, the agreement the
package promises between interpreters.
"""

import copy
import math
import pickle
import struct

import pytest

from tinynet import ConfigError, DataError, Matrix, NotFittedError, ShapeError, Vector
from tinynet import fastpredict, kernels, network
from tinynet.network import NeuralNet
from tinynet.rng import Random
from tinynet.scaler import StandardScaler

WAYS = ("names", "indexed", "columns", "blocks")
SUMPROD = hasattr(math, "sumprod")  # CPython 3.12+: the kernel rounds once per dot product
NAN, INF = float("nan"), float("inf")


def same_float(a: float, b: float) -> bool:
    """The same double, sign of zero included (NaN equals NaN)."""
    return struct.pack("<d", a) == struct.pack("<d", b)


def agree(fast: object, slow: object, way: str) -> bool:
    """``fast`` and ``slow`` (numbers, or lists of them, or labels) are the same:
    bit for bit, or within 1e-12 where the kernel is sumprod and the way adds term by term."""
    if isinstance(slow, list):
        return (isinstance(fast, list) and len(fast) == len(slow)
                and all(agree(a, b, way) for a, b in zip(fast, slow)))
    if isinstance(slow, float) and isinstance(fast, float):
        if SUMPROD and way != "columns":
            return math.isclose(fast, slow, rel_tol=1e-12, abs_tol=1e-12)
        return same_float(fast, slow)
    return type(fast) is type(slow) and fast == slow


@pytest.fixture(params=WAYS)
def way(request: "pytest.FixtureRequest", monkeypatch: "pytest.MonkeyPatch") -> str:
    """Every layer written one way (networks made after this use it)."""
    monkeypatch.setattr(kernels, "ROW_LAYERS", dict.fromkeys(("small", "wide", "huge"),
                                                             request.param))
    return str(request.param)


def make_net(layers: "list[int]", activation: str = "relu", output: str = "auto",
             seed: int = 3) -> NeuralNet:
    """A network with its initial weights and small non-zero biases."""
    net = NeuralNet(layers, activation=activation, output=output, seed=seed)
    net.init_weights()
    rng = Random(seed + 50)
    for name, value in net.params.items():
        if name.startswith("b"):
            value.data[:] = [0.1 * rng.normal() for _ in value.data]
    return net


def textbook(net: NeuralNet) -> NeuralNet:
    """A network that shares ``net``'s weights, scalers and classes but always takes
    the Matrix path."""
    twin = copy.copy(net)
    twin._one_row = network._matrix_path
    return twin


def rows(n_inputs: int, count: int, seed: int = 9, scale: float = 2.0) -> "list[list[float]]":
    rng = Random(seed)
    return [[scale * rng.normal() for _ in range(n_inputs)] for _ in range(count)]


def outcome(call: "object") -> object:
    """What ``call()`` returns, or the type and message of what it raises."""
    try:
        return ("returned", call())  # type: ignore[operator]
    except Exception as error:  # noqa: BLE001 - the comparison is the point
        return ("raised", type(error), str(error))


def assert_same_predictions(net: NeuralNet, X: "list[list[float]]", way: str) -> None:
    """Each row, predicted alone by the one-row code, as the Matrix path predicts it."""
    slow = textbook(net)
    for row in X:
        fast_answer = net.predict([row])
        assert agree(fast_answer, slow.predict([row]), way), (row, fast_answer)
        if net.output_layer.is_classifier:
            assert agree(net.predict_proba([row]).rows, slow.predict_proba([row]).rows, way)
    assert net._one_row is not network._matrix_path  # the one-row code did run


# --- the same numbers -----------------------------------------------------------------


@pytest.mark.parametrize("layers", [[2, 5, 1], [13, 8, 1], [3, 4, 3], [20, 6, 2, 1], [5, 17, 4],
                                    [24, 3]])
@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("output", ["auto", "linear"])
def test_one_row_code_predicts_as_the_matrix_path(way: str, layers: "list[int]", activation: str,
                                                  output: str) -> None:
    net = make_net(layers, activation, output)
    assert_same_predictions(net, rows(layers[0], 12), way)


def test_one_row_code_predicts_as_the_matrix_path_with_scalers_and_class_labels(way: str) -> None:
    X = rows(3, 40, scale=5.0)
    classifier = make_net([3, 6, 3])
    classifier.scaler = StandardScaler().fit(X)
    classifier.classes_ = ["cat", "dog", "fox"]
    assert_same_predictions(classifier, X[:10], way)
    regressor = make_net([3, 6, 2], output="linear")
    regressor.scaler = StandardScaler().fit(X)
    regressor.target_scaler = StandardScaler().fit([[100.0 * v, v - 3.0] for v, _, _ in X])
    assert_same_predictions(regressor, X[:10], way)
    assert regressor.predict([X[0]])[0][0] > 10.0  # in the targets' units


def test_a_trained_network_predicts_the_same_through_both_paths(way: str) -> None:
    X = rows(2, 60)
    y = [1 if a * b > 0.0 else 0 for a, b in X]
    net = NeuralNet([2, 8, 1], learning_rate=0.5, iterations=200, seed=2).fit(X, y)
    assert_same_predictions(net, X, way)


def test_sums_of_zeros_keep_the_matrix_paths_sign(way: str) -> None:
    # Every product is -0.0 and so is the bias: the kernels' sums start from 0.0,
    # so the Matrix path gives 0.0 here, and so must the one-row code.
    net = make_net([2, 3, 1], activation="tanh", output="linear")
    net.params["W1"] = Matrix([[-1.0, 2.0, -3.0], [1.0, -2.0, 3.0]])
    net.params["b1"] = Vector([-0.0, -0.0, -0.0])
    net.params["W2"] = Matrix([[-1.0], [1.0], [-1.0]])
    net.params["b2"] = Vector([-0.0])
    for row in ([0.0, 0.0], [-0.0, 0.0], [0.0, -0.0]):
        fast, slow = net.predict([row])[0], textbook(net).predict([row])[0]
        assert same_float(fast, slow) and same_float(fast, 0.0)


# --- changed weights are honoured -------------------------------------------------------


def changes(net: NeuralNet) -> "list[tuple[str, object]]":
    """Each way a user may change ``net``'s weights, as (name, function doing it)."""
    def replace_entry() -> None:
        W = net.params["W1"]
        net.params["W1"] = Matrix([[2.0 * w for w in row] for row in W.rows])

    def set_item() -> None:
        net.params["W1"][0, 1] = -3.5

    def set_in_rows() -> None:
        net.params["W2"].rows[1][0] = 4.25

    def subtract_in_place() -> None:
        W = net.params["W1"]
        W -= 0.5 * Matrix.ones(*W.shape)

    def add_in_place() -> None:
        b = net.params["b1"]
        b += Vector([1.0] * len(b))

    def set_bias() -> None:
        net.params["b2"].data[0] = -2.0

    def replace_row() -> None:
        W = net.params["W1"]
        W[1] = [0.5] * W.n_cols

    def zero_then_negative_zero() -> None:
        net.params["W1"].rows[0][0] = 0.0

    def negative_zero() -> None:
        net.params["W1"].rows[0][0] = -0.0

    def new_weights() -> None:
        net.init_weights()

    return [("replace an entry", replace_entry), ("W[i, j] = v", set_item),
            ("W.rows[i][j] = v", set_in_rows), ("W -= ...", subtract_in_place),
            ("b += ...", add_in_place), ("b.data[j] = v", set_bias), ("W[i] = row", replace_row),
            ("a weight set to 0.0", zero_then_negative_zero),
            ("0.0 made -0.0", negative_zero), ("init_weights()", new_weights)]


@pytest.mark.parametrize("layers", [[3, 5, 1], [20, 6, 2]])
def test_every_kind_of_change_to_the_weights_is_honoured(way: str, layers: "list[int]") -> None:
    net = make_net(layers, activation="tanh", output="linear")
    X = rows(layers[0], 4)
    net.predict([X[0]])  # the one-row code exists, and has kept what it keeps
    for name, change in changes(net):
        before = net.predict([X[1]])
        change()  # type: ignore[operator]
        for row in X:
            assert agree(net.predict([row]), textbook(net).predict([row]), way), name
        if name not in ("0.0 made -0.0",):
            assert net.predict([X[1]]) != before, name  # the change mattered


def test_columns_are_the_weights_as_they_are_after_every_change() -> None:
    # The invalidation rule itself: whatever changed, the columns Columns hands out
    # hold exactly the current weights (same bits), or it makes them again.
    net = make_net([4, 3, 1])
    cache = fastpredict.Columns()
    W = net.params["W1"]
    for name, change in changes(net):
        change()  # type: ignore[operator]
        W = net.params["W1"]
        columns = cache.of(W, 4, 3)
        assert columns is not None
        for i, row in enumerate(W.rows):
            for j, value in enumerate(row):
                assert same_float(columns[j][i], value), name


def test_columns_are_kept_while_the_weights_stay_as_they_were() -> None:
    W = Matrix([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    cache = fastpredict.Columns()
    first = cache.of(W, 3, 2)
    assert first == [(1.0, 3.0, 5.0), (2.0, 4.0, 6.0)]
    assert cache.of(W, 3, 2) is first
    assert cache.of(Matrix(W.rows), 3, 2) is first  # equal weights, another Matrix
    W.rows[2][1] = 6.5
    assert cache.of(W, 3, 2) == [(1.0, 3.0, 5.0), (2.0, 4.0, 6.5)]
    assert fastpredict.Columns().of(W, 2, 3) is None  # not the shape the layer needs
    with_zero = Matrix([[0.0, 1.0]])
    assert cache.of(with_zero, 1, 2) == [(0.0,), (1.0,)]
    assert cache.snapshot is None  # a zero could change its sign unseen: never kept


# --- only the plain case ------------------------------------------------------------------


def refused_inputs(n: int) -> "list[object]":
    good = [0.5] * n
    return [
        [good, good],                      # two rows: the Matrix path
        [[1] * n],                         # ints
        [[True] + good[1:]],               # a bool is not a number here
        [[NAN] + good[1:]], [good[:-1] + [INF]], [[1e308] * n],  # NaN, inf, a sum that overflows
        [good[:-1]], [good + [0.5]],       # wrong lengths
        [tuple(good)], (good,), [Vector(good)], [iter(good)], iter([good]),
        [{float(k): 0.0 for k in range(n)}], [["0.5"] * n], [], "abc", None, 3.0,
        Matrix([good]),
    ]


@pytest.mark.parametrize("layers", [[2, 5, 1], [20, 4, 3]])
def test_anything_but_one_plain_row_goes_the_matrix_way_with_its_answer_or_error(
        way: str, layers: "list[int]") -> None:
    net = make_net(layers)
    n = layers[0]
    net.predict([[0.5] * n])
    for k, X in enumerate(refused_inputs(n)):
        assert net._one_row(net, X, False) is None, X
        fast_X, slow_X = refused_inputs(n)[k], refused_inputs(n)[k]  # iterators are used up
        assert outcome(lambda: net.predict(fast_X)) == outcome(
            lambda: textbook(net).predict(slow_X)), X


def test_broken_params_and_scalers_get_the_matrix_paths_errors(way: str) -> None:
    def broken(change: "object") -> NeuralNet:
        net = make_net([3, 4, 1])
        net.predict([[0.1, 0.2, 0.3]])
        change(net)  # type: ignore[operator]
        return net

    cases = [
        lambda net: net.params.__setitem__("W1", [[1.0] * 4] * 3),
        lambda net: net.params.__setitem__("W1", Matrix([[1.0] * 5] * 3)),
        lambda net: net.params.__setitem__("W2", Matrix([[1.0]] * 3)),
        lambda net: net.params.__setitem__("b1", Vector([0.0] * 3)),
        lambda net: net.params.pop("b2"),
        lambda net: net.params["W1"].rows[0].pop(),
        lambda net: net.params["W1"].rows[1].__setitem__(0, "x"),
        lambda net: setattr(net, "scaler", StandardScaler()),  # not fitted
        lambda net: setattr(net, "scaler", StandardScaler().fit([[1.0, 2.0], [3.0, 5.0]])),
        lambda net: setattr(net, "target_scaler", StandardScaler().fit([[1.0], [2.0]])),
        lambda net: setattr(net, "classes_", ["only one"]),
    ]
    for change in cases:
        net = broken(change)
        X = [[0.1, 0.2, 0.3]]
        assert net._one_row(net, X, False) is None
        assert outcome(lambda: net.predict(X)) == outcome(lambda: textbook(net).predict(X))


def test_a_scaler_of_another_class_is_left_to_the_matrix_path(way: str) -> None:
    class Doubling(StandardScaler):
        def transform_finite(self, X: Matrix) -> Matrix:
            return X * 2.0

    net = make_net([2, 3, 1], output="linear")
    net.scaler = Doubling().fit([[0.0, 1.0], [2.0, 3.0]])
    assert net._one_row(net, [[1.0, 1.0]], False) is None
    assert net.predict([[1.0, 1.0]]) == textbook(net).predict([[1.0, 1.0]])


def test_outputs_that_are_not_numbers_raise_as_on_the_matrix_path(way: str) -> None:
    net = make_net([2, 3, 2], activation="tanh")  # relu would turn NaN into 0.0
    net.params["W1"].rows[0][0] = INF
    net.params["W1"].rows[1][0] = -INF
    X = [[1.0, 1.0]]
    assert net._one_row(net, X, False) is None
    with pytest.raises(DataError, match="predict no"):
        net.predict(X)


def test_a_network_without_weights_says_so() -> None:
    with pytest.raises(NotFittedError):
        NeuralNet([2, 3, 1]).predict([[0.0, 1.0]])


# --- where the code is made and kept ------------------------------------------------------


def test_a_network_makes_its_code_on_first_use_and_keeps_it() -> None:
    net = make_net([2, 3, 1])
    assert net._one_row is network._first_one_row
    net.predict([[0.0, 1.0]])
    made = net._one_row
    if kernels.ROW_LAYERS is None:
        assert made is network._matrix_path
    else:
        assert made is not network._matrix_path and made.__name__ == "predict"
    net.predict([[1.0, 1.0]])
    assert net._one_row is made


def test_pickling_and_copying_leave_the_compiled_code_behind() -> None:
    net = make_net([3, 4, 2])
    X = [[0.3, -0.2, 1.5]]
    expected = net.predict_proba(X).rows
    for twin in (pickle.loads(pickle.dumps(net)), copy.deepcopy(net)):
        assert twin._one_row is network._first_one_row
        assert twin.predict_proba(X).rows == expected
        twin.params["W1"].rows[0][0] += 1.0  # a copy's weights are its own
        assert net.predict_proba(X).rows == expected


def test_the_docstrings_excerpt_is_what_it_writes(monkeypatch: "pytest.MonkeyPatch") -> None:
    monkeypatch.setattr(kernels, "ROW_LAYERS", dict.fromkeys(("small", "wide", "huge"), "names"))
    code = fastpredict.source(make_net([2, 5, 1]))
    assert code is not None
    excerpt = fastpredict.__doc__.split("::")[1].split("Why it is faster")[0]  # type: ignore[union-attr]
    for line in excerpt.strip().splitlines():
        line = line.strip()
        if "..." not in line:
            assert "\n            %s\n" % line in code, line


def test_layer_sizes_pick_the_ways_the_kernels_table_names() -> None:
    assert fastpredict.layer_size(2, 5) == fastpredict.layer_size(16, 64) == "small"
    assert fastpredict.layer_size(17, 5) == fastpredict.layer_size(64, 128) == "wide"
    assert fastpredict.layer_size(64, 129) == fastpredict.layer_size(2, 200) == "huge"
    if kernels.ROW_LAYERS is not None:
        assert set(kernels.ROW_LAYERS) == {"small", "wide", "huge"}
        assert set(kernels.ROW_LAYERS.values()) <= set(fastpredict.LAYER_WRITERS)


def test_an_unknown_activation_gets_no_code() -> None:
    net = make_net([2, 3, 1])
    net.activation = "swish"  # as a later version's model file might name one
    assert fastpredict.source(net) is None
    assert fastpredict.predictor(net) is None


def test_errors_and_config_checks_are_unchanged() -> None:
    net = make_net([2, 3, 1], output="linear")
    with pytest.raises(ConfigError):
        net.predict_proba([[0.0, 1.0]])
    with pytest.raises(ShapeError):
        net.predict([[0.0, 1.0, 2.0]])

"""tinynet.faststep: the step written out per network trains exactly as the textbook step.

The textbook path is the same network with the step code switched off
(``network._textbook_step``).  Both layouts (``samples``, ``units``) are
plain Python, so each is run here whatever interpreter runs the tests.

On CPython below 3.12 and on PyPy the losses and weights must be the same
floats, bit for bit.  On CPython 3.12+ the textbook's ``math.sumprod`` and
``sum`` round once per sum, the step code after every term (as the other
interpreters do), so there they are held to 1e-12 instead.
"""

import copy
import math
import pickle
import warnings

import pytest

import mpy
from tinynet import ConfigError, Matrix, Vector
from tinynet import faststep, kernels, network
from tinynet.network import NeuralNet
from tinynet.rng import Random

EXACT = not hasattr(math, "sumprod")  # CPython 3.12+ rounds its sums once


@pytest.fixture(params=["samples", "units"])
def layout(request: "pytest.FixtureRequest", monkeypatch: "pytest.MonkeyPatch") -> str:
    monkeypatch.setattr(kernels, "STEP_LAYOUT", request.param)
    return str(request.param)


def problem(layers: "list[int]", output: str, n: int = 50, seed: int = 1
            ) -> "tuple[list[list[float]], list[object]]":
    rng = Random(seed)
    X = [[rng.normal() for _ in range(layers[0])] for _ in range(n)]
    if output == "linear":
        if layers[-1] == 1:
            return X, [0.3 * sum(row) for row in X]
        return X, [[0.3 * sum(row) + j for j in range(layers[-1])] for row in X]
    classes = max(2, layers[-1])
    return X, [int(abs(sum(row)) * 3) % classes for row in X]


def trained(layers: "list[int]", fast: bool, **settings: object) -> NeuralNet:
    output = str(settings.pop("output", "auto"))
    X, y = problem(layers, output)
    net = NeuralNet(layers, output=output, learning_rate=0.05, iterations=12, seed=3,
                    **settings)  # type: ignore[arg-type]
    if not fast:
        net._one_batch = network._textbook_step
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # short fits may not have converged
        net.fit(X, y)
    assert (net._one_batch is not network._textbook_step) == fast
    return net


def assert_same_training(fast: NeuralNet, slow: NeuralNet) -> None:
    assert len(fast.loss) == len(slow.loss)
    pairs = list(zip(fast.loss, slow.loss))
    for name, value in slow.params.items():
        rows = value.rows if isinstance(value, Matrix) else [value.data]
        fast_rows = (fast.params[name].rows if isinstance(value, Matrix)
                     else [fast.params[name].data])
        pairs += [(a, b) for fast_row, row in zip(fast_rows, rows) for a, b in zip(fast_row, row)]
    if EXACT:
        assert all(a == b for a, b in pairs)
        assert fast.loss == slow.loss
    else:
        assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) for a, b in pairs)


@pytest.mark.parametrize("layers", [[2, 5, 1], [13, 8, 1], [3, 4, 3], [4, 6, 5, 2]])
@pytest.mark.parametrize("activation", ["relu", "leaky_relu", "tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("output", ["auto", "linear"])
def test_the_step_code_trains_as_the_textbook_step(layout: str, layers: "list[int]",
                                                   activation: str, output: str) -> None:
    fast = trained(layers, True, activation=activation, output=output)
    slow = trained(layers, False, activation=activation, output=output)
    assert_same_training(fast, slow)


@pytest.mark.parametrize("settings", [
    {"optimizer": "adam", "batch_size": 16},
    {"optimizer": "momentum", "nesterov": True, "batch_size": 7},
    {"alpha": 0.01},
    {"alpha": 0.001, "optimizer": "adam", "batch_size": 20, "activation": "tanh"},
    {"early_stopping": True, "patience": 3},
])
def test_optimizers_batches_the_l2_penalty_and_early_stopping_train_as_the_textbook(
        layout: str, settings: "dict[str, object]") -> None:
    fast = trained([3, 6, 2], True, **dict(settings))
    slow = trained([3, 6, 2], False, **dict(settings))
    assert_same_training(fast, slow)
    assert fast.validation_loss == slow.validation_loss or not EXACT


def test_one_step_gives_the_textbook_gradients(layout: str) -> None:
    X, y = problem([4, 5, 3], "auto", n=9)
    net = NeuralNet([4, 5, 3], seed=2)
    net.init_weights()
    Xm = Matrix(X)
    Y = net._targets(y, len(X), [0, 1, 2])
    step = faststep.stepper(net)
    assert step is not None
    result = step(net, Xm, Y)
    assert result is not None
    loss, grads = result
    textbook_grads = net._backward(Y, net._forward(Xm))
    assert sorted(grads) == sorted(textbook_grads)
    if EXACT:
        assert loss == net._loss(Y, net._forward(Xm))
        assert all(grads[name] == textbook_grads[name] for name in grads)


def test_a_step_that_diverges_raises_as_the_textbook_step_and_changes_nothing(layout: str) -> None:
    X, y = problem([2, 4, 1], "linear")
    for fast in (True, False):
        net = NeuralNet([2, 4, 1], output="linear", learning_rate=50.0, iterations=50, seed=1)
        if not fast:
            net._one_batch = network._textbook_step
        with pytest.raises(ConfigError, match="training diverged in epoch") as raised:
            net.fit(X, [1e6 * v for v in y])  # type: ignore[operator]
        if fast:
            fast_message = str(raised.value)
        else:
            assert str(raised.value) == fast_message
        assert net.params == {}  # the failed fit left the network as it was


def test_what_the_step_code_was_not_written_for_takes_the_textbook_path(layout: str) -> None:
    net = NeuralNet([2, 3, 1], seed=1)
    net.init_weights()
    step = faststep.stepper(net)
    assert step is not None
    X, Y = Matrix([[0.5, -1.0], [1.0, 2.0]]), Matrix([[1.0], [0.0]])
    assert step(net, X, Y) is not None
    for bad_X, bad_Y in [([[0.5, -1.0]], Y), (X, Matrix([[1.0]])), (Matrix([[1.0, 2.0, 3.0]]), Y),
                         (X, Matrix([[1.0, 0.0], [0.0, 1.0]]))]:
        assert step(net, bad_X, bad_Y) is None  # type: ignore[arg-type]
    net.params["W1"] = Matrix([[1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 1.0]])
    assert step(net, X, Y) is None
    net.init_weights()
    net.params["b2"] = Vector([0.0, 0.0])
    assert step(net, X, Y) is None


@pytest.mark.parametrize("sizes", [(16, 64, 1024), (128, 128, 4096)])
def test_networks_past_the_sizes_or_of_unknown_activations_get_no_step_code(
        layout: str, sizes: "tuple[int, int, int]", monkeypatch: "pytest.MonkeyPatch") -> None:
    monkeypatch.setattr(kernels, "STEP_SIZES", sizes)
    most_inputs, most_units, most_weights = sizes
    assert faststep.source(NeuralNet([most_inputs, 2, 1])) is not None
    assert faststep.source(NeuralNet([2, most_units])) is not None
    assert faststep.source(NeuralNet([most_inputs + 1, 4, 1])) is None
    assert faststep.source(NeuralNet([4, most_units + 1, 1])) is None
    assert faststep.source(NeuralNet([4, most_units // 2, most_inputs + 1])) is None
    width = most_units // 2
    deep = [4] + [width] * (most_weights // (width * width) + 2) + [1]
    assert faststep.source(NeuralNet(deep)) is None  # too many weights in all
    net = NeuralNet([2, 3, 1])
    net.activation = "swish"
    assert faststep.source(net) is None


def test_a_network_makes_its_step_code_on_first_use_and_pickles_without_it() -> None:
    net = NeuralNet([2, 3, 1], iterations=3, seed=1)
    assert net._one_batch is network._first_one_batch
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net.fit([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    if kernels.STEP_LAYOUT is None:
        assert net._one_batch is network._textbook_step
    else:
        assert net._one_batch.__name__ == "step"
    for twin in (pickle.loads(pickle.dumps(net)), copy.deepcopy(net)):
        assert twin._one_batch is network._first_one_batch
        assert twin.predict([[0.0, 1.0]]) == net.predict([[0.0, 1.0]])


def test_the_docstrings_loop_is_what_it_writes(monkeypatch: "pytest.MonkeyPatch") -> None:
    monkeypatch.setattr(kernels, "STEP_LAYOUT", "samples")
    net = NeuralNet([2, 5, 1])
    code = faststep.source(net)
    assert code is not None
    excerpt = faststep.__doc__.split("::")[1].split("Only networks")[0]  # type: ignore[union-attr]
    for line in excerpt.strip().splitlines():
        line = line.strip()
        if "..." not in line:
            assert "    %s\n" % line in code, line


def test_micropython_trains_and_predicts_without_compiling_code() -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    printed = mpy.run_micropython(
        """
        import sys
        from tinynet import NeuralNet, kernels
        net = NeuralNet([2, 4, 1], learning_rate=0.5, iterations=30, seed=3)
        net.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0])
        print(net.predict([[0, 1]]), kernels.STEP_LAYOUT, kernels.ROW_LAYERS)
        print("tinynet.faststep" in sys.modules, "tinynet.fastpredict" in sys.modules)
        """
    )
    lines = printed.splitlines()
    assert lines[0].endswith("None None") and lines[1] == "False False"

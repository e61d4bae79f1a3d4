"""Issue 15's repros, one test each, named for the behaviour: nothing silently wrong.

Each test feeds tinynet one of the bad or extreme inputs the issue lists and asserts the
specific exception (or the exact result), that its message names the problem, and that
the model or operand the caller had is unchanged.  The seeded random versions of the
same ideas are in ``test_hostile_fuzz.py``.
"""

import copy
import errno
import fractions
import math
import os
import socket
import stat
import subprocess
import sys

import pytest

import mpy
import tinynet.checks
import tinynet.files
from tinynet import (
    ConfigError,
    DataError,
    Matrix,
    ModelFileError,
    NeuralNet,
    ShapeError,
    StandardScaler,
    TinynetError,
    Vector,
    confusion_matrix,
    one_hot,
    r2_score,
    train_test_split,
)
from tinynet.activations import leaky_relu, leaky_relu_backward, relu, relu_backward
from tinynet.jsonkeys import repeated_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, Callable, Dict

# The networks here are trained briefly, to have weights; whether they finished learning
# is not what these tests are about.
pytestmark = pytest.mark.filterwarnings("ignore::tinynet.ConvergenceWarning")

XOR = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
XOR_LABELS = [0, 1, 1, 0]
BIG = 10 ** 400
NAN, INF = float("nan"), float("inf")


def state(net: NeuralNet) -> "Dict[str, Any]":
    """Everything a failed call must leave as it was, as plain data."""
    return {
        "params": {name: value.tolist() for name, value in net.params.items()},
        "loss": list(net.loss),
        "optimizer": None if net.optimizer_state is None else repr(vars(net.optimizer_state))
        if hasattr(net.optimizer_state, "__dict__") else "slots",
        "scaler": None if net.scaler is None else net.scaler.to_dict(),
        "X": net.X, "y": net.y,
    }


def trained_xor() -> NeuralNet:
    return NeuralNet([2, 4, 1], learning_rate=0.5, iterations=50, seed=3).fit(XOR, XOR_LABELS)


def run_cli(cwd: "Path", *args: str) -> "subprocess.CompletedProcess[str]":
    env = dict(os.environ, PYTHONPATH=mpy.REPO_ROOT)
    return subprocess.run([sys.executable, "-m", "tinynet"] + list(args), cwd=str(cwd), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=120)


def assert_one_line_error(result: "subprocess.CompletedProcess[str]", fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert fragment in result.stderr


# --- 1. partial_fit and prediction never leave NaN unnoticed -------------------------------


def test_partial_fit_whose_step_makes_the_loss_nan_is_undone_and_says_so() -> None:
    net = NeuralNet([2, 4, 1], learning_rate=1e308, seed=3)
    with pytest.raises(ConfigError, match=r"training diverged in a partial_fit step \(loss nan\): "
                                          r"lower the learning rate \(now 1e\+308\)"):
        net.partial_fit(XOR, XOR_LABELS)
    assert net.params == {} and net.loss == [] and net.optimizer_state is None


def test_partial_fit_divergence_after_good_steps_keeps_the_weights_of_the_good_steps() -> None:
    net = NeuralNet([2, 4, 1], learning_rate=0.5, seed=3, optimizer="momentum")
    for _ in range(3):
        net.partial_fit(XOR, XOR_LABELS)
    net.learning_rate = 1e308
    net.optimizer_state.learning_rate = 1e308  # type: ignore[union-attr]
    before = state(net)
    velocity = [v.tolist() for v in net.optimizer_state.velocity.values()]  # type: ignore
    with pytest.raises(ConfigError, match="diverged"):
        net.partial_fit(XOR, XOR_LABELS)
    assert state(net) == before
    assert [v.tolist() for v in net.optimizer_state.velocity.values()] == velocity  # type: ignore


def test_a_nan_weight_reaches_the_loss_check_through_relu_instead_of_becoming_zero() -> None:
    net = trained_xor()
    net.params["W1"][0, 0] = NAN
    W2, loss = net.params["W2"].tolist(), list(net.loss)
    with pytest.raises(ConfigError, match=r"diverged in a partial_fit step \(loss nan\)"):
        net.partial_fit(XOR, XOR_LABELS)
    assert math.isnan(net.params["W1"][0, 0])
    assert net.params["W2"].tolist() == W2 and net.loss == loss


def huge_weights() -> NeuralNet:
    """A network whose weights are finite but so large that its outputs are NaN."""
    net = NeuralNet([2, 4, 1], seed=3)
    net.init_weights()
    net.params["W1"] *= 1e200
    net.params["W2"] *= 1e200
    net.params["b2"] -= 1e308
    return net


def test_prediction_never_turns_a_non_finite_output_into_a_label() -> None:
    net = huge_weights()
    assert not all(math.isfinite(p) for row in net._propagate(net._features(XOR)).rows for p in row)
    with pytest.raises(TinynetError):
        net.predict(XOR)


def test_a_regression_network_never_predicts_nan_or_infinity() -> None:
    net = NeuralNet([2, 4, 1], output="linear", seed=3)
    net.init_weights()
    net.params["W1"] *= 1e200
    net.params["W2"] *= 1e200
    with pytest.raises(DataError, match=r"outputs for row \d are \[.*\], not finite numbers, so "
                                        r"they predict no value"):
        net.predict(XOR)


def test_a_model_with_huge_finite_weights_saves_loads_and_still_refuses_to_predict(
        tmp_path: "Path") -> None:
    # save cannot know which inputs overflow (weights of 1e200 are fine for
    # inputs of 1e-200), so it writes the finite weights; prediction refuses.
    path = str(tmp_path / "huge.json")
    huge_weights().save(path)
    with pytest.raises(TinynetError):
        NeuralNet.load(path).predict(XOR)


def test_the_cli_refuses_to_predict_from_a_model_whose_outputs_are_not_finite(
        tmp_path: "Path") -> None:
    huge_weights().save(str(tmp_path / "m.json"))
    (tmp_path / "new.csv").write_text("a,b\n0,1\n1,1\n")
    result = run_cli(tmp_path, "predict", "m.json", "new.csv")
    assert result.returncode == 2 and result.stdout == "", result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr


# --- 2. huge finite data: the scaler, X after scaling, relu and NaN ------------------------


def exact_mean_and_std(column: "list[float]") -> "tuple[float, float]":
    """Mean and population standard deviation from exact fractions (rounded at the end)."""
    values = [fractions.Fraction(x) for x in column]
    mean = sum(values) / len(values)
    variance = sum((x - mean) ** 2 for x in values) / len(values)
    # The variance itself may be beyond the float range (or below it): take the
    # square root of variance / M**2, which is at most 1, and multiply M back.
    largest = max(abs(x) for x in values)
    return float(mean), math.sqrt(float(variance / largest ** 2)) * float(largest)


@pytest.mark.parametrize("column", [
    [1.7e308, 1.7e308, 0.0, 1.7e308],
    [-1.7976931348623157e308, 1.7976931348623157e308, 1.7976931348623157e308],
    [1e-320, 3e-320, 2e-320],          # subnormal: squares would underflow to 0
    [1e-200, 2e-200],
    [1e200, -1e200, 3e199],
])
def test_the_scaler_fits_finite_data_of_any_size_without_overflow(column: "list[float]") -> None:
    scaler = StandardScaler().fit([[x] for x in column])
    mean, std = exact_mean_and_std(column)
    assert math.isclose(scaler.mean[0], mean, rel_tol=1e-12, abs_tol=1e-323)
    assert math.isclose(scaler.scale[0], std, rel_tol=1e-12, abs_tol=1e-323)
    scaled = scaler.transform([[x] for x in column])
    for (z,), x in zip(scaled.rows, column):
        assert math.isclose(z, (fractions.Fraction(x) - fractions.Fraction(mean))
                            / fractions.Fraction(std), rel_tol=1e-9)


def test_fit_with_a_scaler_on_values_near_the_largest_float_trains_finite_weights() -> None:
    X = [[1.7e308], [1.7e308], [0.0], [1.7e308]]
    net = NeuralNet([1, 4, 1], learning_rate=0.5, iterations=200, seed=2)
    net.scaler = StandardScaler().fit(X)
    net.fit(X, [1, 0, 1, 0])
    assert all(math.isfinite(w) for value in net.params.values() for w in value.tolist()
               for w in (w if isinstance(w, list) else [w]))
    assert net.predict(X) in ([0, 0, 1, 0], [1, 1, 1, 1], [0, 0, 0, 0], [1, 1, 0, 1])


def test_fit_refuses_X_that_its_scaler_pushes_past_the_float_range_naming_the_entry() -> None:
    net = trained_xor()
    net.scaler = StandardScaler().fit([[0.0, 0.0], [1e-300, 1.0]])
    before = state(net)
    with pytest.raises(DataError, match=r"StandardScaler.transform: X row 1, column 0 is 1e\+308, "
                                        r"which scaled .* is beyond the range of floats"):
        net.fit([[0.0, 0.0], [1e308, 1.0]], [0, 1])
    assert state(net) == before


def test_scaling_that_overflows_only_on_the_way_is_worked_out_another_way() -> None:
    # x - mean overflows (-1.7e308 - 5.7e307), the scaled value itself is -1.41.
    scaler = StandardScaler().fit([[-1.7e308], [1.7e308], [1.7e308]])
    scaled = scaler.transform([[-1.7e308]])
    assert math.isclose(scaled[0, 0], -math.sqrt(2.0), rel_tol=1e-12)
    assert math.isclose(scaler.inverse_transform(scaled)[0, 0], -1.7e308, rel_tol=1e-12)


def test_relu_and_leaky_relu_keep_nan_and_give_the_same_bits_for_finite_inputs() -> None:
    values = [NAN, -1.5, -0.0, 0.0, 2.5, -1e-320, 1e308, -INF, INF]
    Z = Matrix([values])
    relu_out, leaky_out = relu(Z).rows[0], leaky_relu(Z).rows[0]
    assert math.isnan(relu_out[0]) and math.isnan(leaky_out[0])
    for z, r, k in zip(values[1:], relu_out[1:], leaky_out[1:]):
        want_r = z if z > 0.0 else 0.0  # the textbook formulas, for finite z
        want_k = z if z > 0.0 else 0.01 * z
        assert (r, math.copysign(1.0, r)) == (want_r, math.copysign(1.0, want_r))
        assert (k, math.copysign(1.0, k)) == (want_k, math.copysign(1.0, want_k))
    dA = Matrix([[3.0] * len(values)])
    assert relu_backward(dA, Z, relu(Z)).rows[0][1:] == [0.0, 0.0, 0.0, 3.0, 0.0, 3.0, 0.0, 3.0]
    assert leaky_relu_backward(dA, Z, leaky_relu(Z)).rows[0][1:] == [
        0.03, 0.03, 0.03, 3.0, 0.03, 3.0, 0.03, 3.0]


# --- 3. sets and dicts are not rows; a model file names each key once ----------------------


@pytest.mark.parametrize("build, kind", [
    (lambda: Matrix([{30, 1, 2}]), "set"),
    (lambda: Matrix([{30: 1, 1: 2}]), "dict"),
    (lambda: Matrix([frozenset([1, 2])]), "frozenset"),
    (lambda: Matrix({(1, 2), (3, 4)}), "set"),
    (lambda: Vector({2, 1}), "set"),
    (lambda: Vector({"a": 1.0}), "dict"),
    (lambda: Matrix([[1.0, 2.0]]).__setitem__(0, {1.0, 2.0}), "set"),
])
def test_a_set_or_a_dict_is_not_a_row_and_the_error_names_its_type(
        build: "Callable[[], object]", kind: str) -> None:
    with pytest.raises(DataError, match=r"\(%s\)" % kind):
        build()


@pytest.mark.parametrize("X, y", [
    ({(0.0, 1.0), (1.0, 0.0)}, [0, 1]),
    ([[0.0, 1.0], {1.0, 0.0}], [0, 1]),
    ([[0.0, 1.0], [1.0, 0.0]], {0, 1}),
    ([[0.0, 1.0], [1.0, 0.0]], {0: 0, 1: 1}),
])
def test_fit_refuses_sets_and_dicts_as_data_and_changes_nothing(X: object, y: object) -> None:
    net = trained_xor()
    before = state(net)
    with pytest.raises(DataError, match=r"\((set|dict)\)"):
        net.fit(X, y)
    assert state(net) == before


@pytest.mark.parametrize("y", [{0, 1, 2, 3}, {0: 1, 1: 0, 2: 1, 5: 0}])
def test_train_test_split_refuses_a_set_or_dict_of_labels(y: object) -> None:
    with pytest.raises(DataError, match=r"y must be a list of labels or targets, got .*\((set|dict)\)"):
        train_test_split(XOR, y)  # type: ignore[arg-type]


def saved_text(tmp_path: "Path") -> str:
    net = trained_xor()
    net.scaler = StandardScaler().fit(XOR)
    path = str(tmp_path / "good.json")
    net.save(path)
    with open(path) as handle:
        return handle.read()


@pytest.mark.parametrize("old, new, key", [
    ('"format": "tinynet-model",', '"format": "tinynet-model", "format": "tinynet-model",',
     "format"),
    ('"params": {', '"params": {"W1": [[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]], ', "W1"),
    ('"training": {', '"training": {"learning_rate": 0.25, ', "learning_rate"),
    ('"scaler": {"mean": ', '"scaler": {"mean": [0.0, 0.0], "mean": ', "mean"),
    ('"params": {', '"params": {"\\u0057\\u0031": [[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]], ',
     "W1"),
])
def test_a_model_file_naming_a_key_twice_is_refused_naming_the_key(
        tmp_path: "Path", old: str, new: str, key: str) -> None:
    text = saved_text(tmp_path)
    assert old in text
    path = tmp_path / "twice.json"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ModelFileError, match=r"twice\.json: the key '%s' appears twice in one "
                                             r"object; a model file names each key once" % key):
        NeuralNet.load(str(path))


def test_the_text_scan_finds_the_repeated_keys_the_json_hook_finds(tmp_path: "Path") -> None:
    # MicroPython has no object_pairs_hook: repeated_key reads the text instead.
    text = saved_text(tmp_path)
    assert repeated_key(text) is None
    assert repeated_key(text.replace('"b1": ', '"b1": [0.0], "b1": ', 1)) == "b1"
    assert repeated_key('{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}') is None
    assert repeated_key('{"a": [{"x": 1}], "a": 2}') == "a"
    assert repeated_key('{"k\\"": 1, "k\\u0022": 2}') == 'k"'
    assert repeated_key('{"a": "}{\\"a\\":", "b": {"a": 1, "a": 2}}') == "a"
    assert repeated_key('{"x": "a", "y": ["a", "a"]}') is None


def test_micropython_refuses_a_repeated_key_too(tmp_path: "Path") -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    text = saved_text(tmp_path)
    (tmp_path / "twice.json").write_text(text.replace('"b2": ', '"b2": [0.5], "b2": ', 1))
    (tmp_path / "good.json").write_text(text)
    printed = mpy.run_micropython("""
        from tinynet import NeuralNet, ModelFileError
        from tinynet import jsonkeys
        print(jsonkeys.HAS_PAIRS_HOOK)
        print(NeuralNet.load("/good.json").predict([[0.0, 1.0]]))
        try:
            NeuralNet.load("/twice.json")
        except ModelFileError as error:
            print(error)
        """, files={"/twice.json": tmp_path / "twice.json", "/good.json": tmp_path / "good.json"})
    hook, prediction, refusal = printed.splitlines()
    assert hook == "False"
    assert prediction == str(NeuralNet.load(str(tmp_path / "good.json")).predict([[0.0, 1.0]]))
    assert refusal == ("/twice.json: the key 'b2' appears twice in one object; a model file "
                       "names each key once")


CELLS = """
from tinynet import DataError, read_csv_text
for cell in ("e5", ".", ".e1", "E3", "+.", "1_000", "nan", "1e999", " 1 ", "1e5", ".5e1"):
    try:
        print(repr(cell), read_csv_text('x\\n"%s"\\n' % cell)[0])
    except DataError as error:
        print(repr(cell), error)
"""


def test_csv_cells_that_micropython_would_read_as_zero_are_not_numbers_there_either(
        capsys: pytest.CaptureFixture) -> None:
    # MicroPython's float() reads "e5", "." and ".e1" as 0.0 (found by the CSV fuzz).
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    printed = mpy.run_micropython(CELLS)
    exec(CELLS)
    assert printed == capsys.readouterr().out
    assert printed.splitlines()[:2] == ["'e5' line 2, column 'x': 'e5' is not a number",
                                        "'.' line 2, column 'x': '.' is not a number"]
    assert printed.splitlines()[-2:] == ["'1e5' [[1e+05]]", "'.5e1' [[5.0]]"]


# --- 4. save replaces only regular files, never through a link -----------------------------


def test_save_refuses_to_replace_a_named_pipe(tmp_path: "Path") -> None:
    path = str(tmp_path / "fifo")
    os.mkfifo(path)
    with pytest.raises(ModelFileError, match=r"'.*fifo': it is a named pipe \(FIFO\), not a "
                                             r"regular file"):
        trained_xor().save(path)
    assert stat.S_ISFIFO(os.lstat(path).st_mode)
    assert sorted(os.listdir(str(tmp_path))) == ["fifo"]


def test_save_refuses_to_replace_a_device_node(tmp_path: "Path") -> None:
    # As root, a copy of /dev/null made with mknod (replacing the real one would
    # break the machine if the refusal failed); otherwise /dev/null itself, which
    # a user cannot replace anyway.
    if os.geteuid() == 0:
        path = str(tmp_path / "null")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        path = "/dev/null"
    with pytest.raises(ModelFileError, match="it is a character device, not a regular file"):
        trained_xor().save(path)
    assert stat.S_ISCHR(os.lstat(path).st_mode)


def test_save_refuses_to_replace_a_folder_or_a_socket(tmp_path: "Path") -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(ModelFileError, match="it is a folder, not a regular file"):
        trained_xor().save(str(folder))
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(tmp_path / "s"))
        with pytest.raises(ModelFileError, match="it is a socket, not a regular file"):
            trained_xor().save(str(tmp_path / "s"))
    finally:
        listener.close()
    assert sorted(os.listdir(str(tmp_path))) == ["folder.json", "s"]


def test_save_refuses_a_symbolic_link_naming_its_target_and_leaves_both(tmp_path: "Path") -> None:
    target = tmp_path / "target.json"
    target.write_text("precious")
    link = tmp_path / "model.json"
    link.symlink_to("target.json")
    with pytest.raises(ModelFileError, match=r"model\.json': it is a symbolic link to "
                                             r"'target\.json'; tinynet does not write through "
                                             r"links"):
        trained_xor().save(str(link))
    assert os.readlink(str(link)) == "target.json"
    assert target.read_text() == "precious"
    assert sorted(os.listdir(str(tmp_path))) == ["model.json", "target.json"]


def test_a_link_planted_at_the_temporary_name_is_neither_followed_nor_removed(
        tmp_path: "Path", monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out.json.planted.tmp").symlink_to("victim.txt")
    (tmp_path / "out.json.taken.tmp").write_text("someone else's")
    tokens = iter(["planted", "taken", "fresh"])
    monkeypatch.setattr(tinynet.files, "_random_token", lambda: next(tokens))
    net = trained_xor()
    net.save(str(tmp_path / "out.json"))
    assert victim.read_text() == "precious"
    assert (tmp_path / "out.json.taken.tmp").read_text() == "someone else's"
    assert os.readlink(str(tmp_path / "out.json.planted.tmp")) == "victim.txt"
    assert sorted(os.listdir(str(tmp_path))) == [
        "out.json", "out.json.planted.tmp", "out.json.taken.tmp", "victim.txt"]
    assert NeuralNet.load(str(tmp_path / "out.json")).predict(XOR) == net.predict(XOR)


def test_the_temporary_file_has_a_fresh_name_and_is_gone_after_saving(tmp_path: "Path") -> None:
    names = set()
    original = tinynet.files._create_temporary

    def spy(path: str, mode: "Any", opening: str = "w") -> "Any":
        name, handle = original(path, mode, opening)
        names.add(os.path.basename(name))
        return name, handle

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tinynet.files, "_create_temporary", spy)
        for _ in range(3):
            trained_xor().save(str(tmp_path / "m.json"))
    assert len(names) == 3
    assert all(name.startswith("m.json.") and name.endswith(".tmp") and len(name) == 23
               for name in names)
    assert os.listdir(str(tmp_path)) == ["m.json"]


def test_saving_over_a_file_keeps_its_permissions(tmp_path: "Path") -> None:
    path = tmp_path / "private.json"
    path.write_text("old")
    os.chmod(str(path), 0o600)
    trained_xor().save(str(path))
    assert stat.S_IMODE(os.stat(str(path)).st_mode) == 0o600
    assert NeuralNet.load(str(path)).layers == [2, 4, 1]


# --- 6. sizes that cannot fit are refused before anything is allocated ---------------------


@pytest.mark.parametrize("layers, count", [
    ([2, 10 ** 9, 1], "4000000001"),
    ([2, 10 ** 30, 1], "4" + "0" * 29 + "1"),
    ([9000, 9000, 1], "81018001"),
])
def test_a_network_too_large_to_hold_is_refused_when_made_naming_the_weight_count(
        layers: "list[int]", count: str) -> None:
    with pytest.raises(ConfigError, match=r"layers \[.*\] would hold %s weights and biases; "
                                          r"tinynet builds at most 67108864" % count):
        NeuralNet(layers=layers)


def test_a_model_file_describing_a_huge_network_is_refused_before_reading_weights() -> None:
    d = trained_xor().to_dict()
    d["layers"] = [2, 10 ** 9, 1]
    with pytest.raises(ModelFileError, match="cannot make a network: layers .* would hold "
                                             "4000000001 weights and biases"):
        NeuralNet.from_dict(d)


@pytest.mark.parametrize("build, what", [
    (lambda: Matrix.zeros(10 ** 9, 10 ** 9), r"Matrix.zeros\(1000000000, 1000000000\)"),
    (lambda: Matrix.ones(10 ** 5, 10 ** 4), r"Matrix.ones\(100000, 10000\)"),
    (lambda: Matrix.full(2, 10 ** 30, 1.0), r"Matrix.full\(2, 1" + "0" * 30 + r"\)"),
    (lambda: Matrix.identity(10 ** 5), r"Matrix.identity\(100000\)"),
    (lambda: Matrix.random_normal(10 ** 4, 10 ** 4), r"Matrix.random_normal\(10000, 10000\)"),
    (lambda: Matrix.random_uniform(10 ** 6, 10 ** 6), r"Matrix.random_uniform\(1000000, 1000000\)"),
    (lambda: Vector.zeros(10 ** 12), r"Vector.zeros\(1000000000000\)"),
])
def test_a_matrix_or_vector_too_large_to_hold_is_refused_at_once(
        build: "Callable[[], object]", what: str) -> None:
    with pytest.raises(ShapeError, match=what + " would hold [0-9]+ numbers; tinynet builds at "
                                                "most 67108864 numbers at once"):
        build()


def test_sizes_are_also_held_to_the_memory_the_system_says_is_free(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tinynet.checks, "memory_available", lambda: 100 * 2 ** 20)
    assert Matrix.zeros(2 ** 10, 2 ** 11).shape == (1024, 2048)  # 64 MB of 100 MB
    with pytest.raises(ShapeError, match=r"would hold 4194304 numbers, about 128 MB as Python "
                                         r"floats, but only 100 MB of memory is free"):
        Matrix.zeros(2 ** 11, 2 ** 11)
    with pytest.raises(ConfigError, match="only 100 MB of memory is free"):
        NeuralNet(layers=[2, 2048, 2048, 1])


def test_the_free_memory_is_read_where_the_system_says() -> None:
    available = tinynet.checks.memory_available()
    if sys.platform.startswith("linux"):
        assert isinstance(available, int) and available > 0
    else:
        assert available is None or available > 0


def test_one_hot_and_confusion_matrix_refuse_impossible_class_counts() -> None:
    with pytest.raises(ConfigError, match="one_hot of 2 labels into 1000000000000 classes"):
        one_hot([0, 1], n_classes=10 ** 12)
    with pytest.raises(ConfigError, match="a confusion matrix of 1000000000 classes"):
        confusion_matrix([0], [0], n_classes=10 ** 9)
    # Inferred from the labels too: 10**4 labels may name up to 10**4 classes.
    many = list(range(10 ** 4))
    with pytest.raises(ConfigError, match="one_hot of 10000 labels into 10000 classes would "
                                          "hold 100000000 numbers"):
        one_hot(many)
    with pytest.raises(ConfigError, match="a confusion matrix of 10000 classes would hold "
                                          "100000000 numbers"):
        confusion_matrix(many, many)
    names = ["class %d" % i for i in many]
    with pytest.raises(ConfigError, match="a confusion matrix of 10000 classes would hold "
                                          "100000000 numbers"):
        confusion_matrix(names, names)


def test_the_cli_refuses_a_hidden_layer_of_a_billion_units_in_one_line(tmp_path: "Path") -> None:
    (tmp_path / "d.csv").write_text("a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n0,0,0\n1,1,0\n"
                                    "0,1,1\n1,0,1\n")
    for hidden in ("1000000000", str(10 ** 30)):
        result = run_cli(tmp_path, "train", "d.csv", "--target", "label", "--hidden", hidden,
                         "--out", "m.json")
        assert_one_line_error(result, "weights and biases")
        assert not (tmp_path / "m.json").exists()


# --- 8. whole numbers beyond the float range ------------------------------------------------

NAMED_VALUE = r"1000000000000000000000000000000000000\.\.\. \(int\)"


@pytest.mark.parametrize("build, where", [
    (lambda: Matrix([[1.0, BIG]]), "Matrix row 0, position 1 holds " + NAMED_VALUE),
    (lambda: Matrix([[1.0], [-BIG]]), r"Matrix row 1, position 0 holds -100000000000"),
    (lambda: Vector([BIG]), "Vector, position 0 holds " + NAMED_VALUE),
    (lambda: Vector([fractions.Fraction(BIG, 1)]),
     r"Vector, position 0 holds Fraction\(1000.* \(Fraction\), too large for a float"),
    (lambda: Matrix.full(2, 2, BIG), "Matrix.full value holds " + NAMED_VALUE),
    (lambda: Vector.full(2, BIG), "Vector.full value holds " + NAMED_VALUE),
    (lambda: Matrix([[1.0]]) * BIG, r"cannot multiply 1x1 and a scalar: the scalar "
                                    + NAMED_VALUE + " is too large for a float"),
    (lambda: BIG - Vector([1.0]), r"cannot subtract a vector of length 1 and a scalar"),
    (lambda: StandardScaler().fit([[1.0], [BIG]]), "Matrix row 1, position 0 holds " + NAMED_VALUE),
    (lambda: StandardScaler.from_dict({"mean": [BIG], "scale": [1.0]}),
     "StandardScaler 'mean', position 0 holds " + NAMED_VALUE),
    (lambda: r2_score([BIG, 1.0], [1.0, 2.0]), "y_true, position 0 holds " + NAMED_VALUE),
    (lambda: r2_score([1.0, 2.0], [[1.0], [BIG]]), r"y_pred\[1\], position 0 holds "),
])
def test_a_whole_number_beyond_the_float_range_is_a_data_error_naming_it_and_where(
        build: "Callable[[], object]", where: str) -> None:
    with pytest.raises(DataError, match=where):
        build()


def test_in_place_operations_with_a_huge_whole_number_leave_the_operand_unchanged() -> None:
    M = Matrix([[1.0, 2.0]])
    with pytest.raises(DataError, match="too large for a float"):
        M += BIG
    with pytest.raises(DataError, match=r"Matrix entry \(0, 1\) holds " + NAMED_VALUE):
        M[0, 1] = BIG
    v = Vector([1.0])
    with pytest.raises(DataError, match="too large for a float"):
        v -= BIG
    with pytest.raises(DataError, match=r"Vector item 0 holds"):
        v[0] = -BIG
    assert M == Matrix([[1.0, 2.0]]) and v == Vector([1.0])


@pytest.mark.parametrize("setting", ["learning_rate", "epsilon", "alpha", "tol"])
def test_a_setting_beyond_the_float_range_is_a_config_error_naming_it(setting: str) -> None:
    with pytest.raises(ConfigError, match=r"%s must be a finite number .* got %s" % (
            setting, NAMED_VALUE)):
        NeuralNet(**{setting: BIG})  # type: ignore[arg-type]


def test_fit_with_a_huge_whole_number_in_X_or_in_the_targets_changes_nothing() -> None:
    net = trained_xor()
    before = state(net)
    with pytest.raises(DataError, match="Matrix row 2, position 1 holds " + NAMED_VALUE):
        net.fit([[0, 0], [0, 1], [1, BIG], [1, 1]], XOR_LABELS)
    assert state(net) == before
    regressor = NeuralNet([2, 3, 1], output="linear", iterations=5).fit(XOR, [0.0, 1.0, 2.0, 3.0])
    before = state(regressor)
    with pytest.raises(DataError, match="y: Matrix row 1, position 0 holds " + NAMED_VALUE):
        regressor.fit(XOR, [0.0, BIG, 2.0, 3.0])
    assert state(regressor) == before


def test_a_model_file_whose_scaler_holds_a_400_digit_integer_is_a_model_file_error(
        tmp_path: "Path") -> None:
    text = saved_text(tmp_path)
    start = text.index('"scaler": {"mean": [') + len('"scaler": {"mean": [')
    bad = tmp_path / "bad.json"
    bad.write_text(text[:start] + str(BIG) + text[text.index(",", start):])
    with pytest.raises(ModelFileError, match=r"bad\.json: 'scaler': StandardScaler 'mean', "
                                             r"position 0 holds " + NAMED_VALUE):
        NeuralNet.load(str(bad))
    (tmp_path / "new.csv").write_text("a,b\n0,1\n")
    assert_one_line_error(run_cli(tmp_path, "predict", "bad.json", "new.csv"), "position 0 holds")


BUILDS = """
from tinynet import Matrix, Vector, DataError
for build in (lambda: Matrix([[10**400]]), lambda: Vector([-10**400]),
              lambda: Matrix([[1.0]]) * 10**400, lambda: Vector({7}),
              lambda: Matrix([{1: 2}]), lambda: Vector([10**39])):
    try:
        print("built", build())
    except DataError as error:
        print("DataError", error)
print(repr(eval(repr(Matrix([[float("nan"), float("inf"), -float("inf"), -0.0]])))))
"""


def test_micropython_refuses_whole_numbers_beyond_the_float_range_too(
        capsys: pytest.CaptureFixture) -> None:
    # MicroPython's float(10**400) is inf, silently: the check must catch that too.
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    printed = mpy.run_micropython(BUILDS)
    exec(BUILDS)
    on_cpython = capsys.readouterr().out
    assert printed == on_cpython
    assert printed.count("DataError") == 5 and "built [1e+39]" in printed
    assert printed.splitlines()[-1] == (
        "Matrix([[float('nan'), float('inf'), -float('inf'), -0.0]])")


# --- 9. wrong argument types and hand-edited params -----------------------------------------


@pytest.mark.parametrize("path, problem", [
    (None, r"a model file path must be a str or a pathlib.Path, got None \(NoneType\)"),
    (3, r"a model file path must be a str or a pathlib.Path, got 3 \(int\)"),
    (b"model.json", r"must be a str or a pathlib.Path, got b'model.json' \(bytes\)"),
    ("a\0b.json", r"a model file path cannot contain a NUL character, got 'a\\x00b.json' \(str\)"),
    ("", "the model file path is empty"),
])
def test_load_and_save_refuse_what_is_not_a_path_with_a_model_file_error(
        path: object, problem: str) -> None:
    with pytest.raises(ModelFileError, match=problem):
        NeuralNet.load(path)  # type: ignore[arg-type]
    with pytest.raises(ModelFileError, match=problem):
        trained_xor().save(path)  # type: ignore[arg-type]


def breakages() -> "list[tuple[str, Callable[[dict], None], type, str]]":
    return [
        ("W1 a plain list", lambda p: p.__setitem__("W1", p["W1"].tolist()), ConfigError,
         r"params\['W1'\] is \[\[.*\(list\), but layers \[2, 4, 1\] need a 2x4 Matrix there"),
        ("b2 deleted", lambda p: p.__delitem__("b2"), ConfigError,
         r"params\['b2'\] is missing: layers \[2, 4, 1\] need a Vector of 1 value there"),
        ("W2 of the wrong shape", lambda p: p.__setitem__("W2", Matrix([[1.0, 2.0]] * 4)),
         ShapeError, r"params\['W2'\] is a 4x2 Matrix, but layers \[2, 4, 1\] need a 4x1 Matrix"),
        ("W2 and b2 chaining to three outputs",
         lambda p: (p.__setitem__("W2", Matrix([[1.0, 2.0, 3.0]] * 4)),
                    p.__setitem__("b2", Vector([0.0, 0.0, 0.0]))),
         ShapeError, r"params\['W2'\] is a 4x3 Matrix, but .* need a 4x1 Matrix"),
        ("b1 as a Matrix", lambda p: p.__setitem__("b1", Matrix([p["b1"].tolist()])), ShapeError,
         r"params\['b1'\] is a 1x4 Matrix, but .* need a Vector of 4 values"),
        ("W1 as None", lambda p: p.__setitem__("W1", None), ConfigError,
         r"params\['W1'\] is None \(NoneType\)"),
    ]


@pytest.mark.parametrize("how, breakage, error, message", breakages(),
                         ids=[b[0] for b in breakages()])
@pytest.mark.parametrize("call", ["predict", "predict_proba", "score", "gradients", "loss_value",
                                  "partial_fit", "save"])
def test_a_hand_edited_params_entry_is_named_with_what_it_should_be(
        how: str, breakage: "Callable[[dict], None]", error: type, message: str, call: str,
        tmp_path: "Path") -> None:
    net = trained_xor()
    breakage(net.params)
    before = {name: (value.tolist() if hasattr(value, "tolist") else copy.deepcopy(value))
              for name, value in net.params.items()}
    loss = list(net.loss)
    calls = {
        "predict": lambda: net.predict(XOR),
        "predict_proba": lambda: net.predict_proba(XOR),
        "score": lambda: net.score(XOR, XOR_LABELS),
        "gradients": lambda: net.gradients(XOR, XOR_LABELS),
        "loss_value": lambda: net.loss_value(XOR, XOR_LABELS),
        "partial_fit": lambda: net.partial_fit(XOR, XOR_LABELS),
        "save": lambda: net.save(str(tmp_path / "m.json")),
    }
    with pytest.raises(ModelFileError if call == "save" else error, match=message):
        calls[call]()
    assert {name: (value.tolist() if hasattr(value, "tolist") else value)
            for name, value in net.params.items()} == before
    assert net.loss == loss
    assert os.listdir(str(tmp_path)) == []


def test_fit_replaces_hand_edited_params_with_fresh_weights() -> None:
    net = trained_xor()
    del net.params["b2"]
    assert net.fit(XOR, XOR_LABELS).predict(XOR) == trained_xor().predict(XOR)


# --- 10. repr evaluates back, NaN and infinities included -----------------------------------


def same_bits(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) ==
                                                 math.copysign(1, b))


@pytest.mark.parametrize("values", [
    [[NAN, INF], [-INF, -0.0]],
    [[1e-320, 5e-324, 1.7976931348623157e308]],
    [[NAN]],
])
def test_repr_of_a_matrix_or_vector_holding_nan_or_infinity_evaluates_back(
        values: "list[list[float]]") -> None:
    M = Matrix(values)
    back = eval(repr(M))
    assert type(back) is Matrix and back.shape == M.shape
    assert all(same_bits(a, b) for r, s in zip(M.rows, back.rows) for a, b in zip(r, s))
    v = Vector(values[0])
    back_v = eval(repr(v))
    assert type(back_v) is Vector and all(same_bits(a, b) for a, b in zip(v, back_v))


def test_the_shortened_repr_of_a_large_matrix_writes_nan_as_python_too() -> None:
    M = Matrix([[NAN] * 12] * 12)
    assert repr(M).startswith("<Matrix 12x12 [[float('nan'), float('nan'), float('nan'), ...")
    assert repr(Vector([INF] * 11)) == (
        "<Vector of 11: [float('inf'), float('inf'), float('inf'), ..., float('inf'), "
        "float('inf'), float('inf')]>")


# --- every error added here is the package's own ---------------------------------------------


def test_the_errors_these_checks_raise_are_tinynet_errors_the_cli_reports_in_one_line() -> None:
    for error in (DataError, ShapeError, ConfigError, ModelFileError):
        assert issubclass(error, TinynetError)
    assert errno.EEXIST == tinynet.files.EEXIST

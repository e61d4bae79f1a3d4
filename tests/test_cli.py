"""The ``tinynet`` command line, run as ``python -m tinynet`` in a subprocess."""

import io
import json
import os
import re
import signal
import subprocess
import sys

import pytest

import mpy
import tinynet
from tinynet.cli.progress import Progress
from tinynet.network import NeuralNet
from tinynet.rng import Random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import List


def run(cwd: "Path", *args: str, timeout: float = 60) -> "subprocess.CompletedProcess[str]":
    """``python -m tinynet ARGS`` in ``cwd``, importing tinynet from this checkout."""
    env = dict(os.environ, PYTHONPATH=mpy.REPO_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "tinynet"] + list(args),
        cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, timeout=timeout,
    )


def write_csv(path: "Path", header: "List[str]", rows: "List[List[object]]") -> str:
    path.write_text(",".join(header) + "\n" + "".join(",".join(str(v) for v in row) + "\n"
                                                      for row in rows))
    return str(path)


def blobs(n: int, n_classes: int, seed: int) -> "List[List[object]]":
    """Rows ``[x1, x2, x3, label]``: one well-separated cloud per class.

    The first feature is in the thousands, so training only works if the
    features are standardised.
    """
    rng = Random(seed)
    rows: "List[List[object]]" = []
    for i in range(n):
        label = i % n_classes
        rows.append([round(1000.0 * label + rng.normal(0.0, 150.0), 3),
                     round(-2.0 * label + rng.normal(0.0, 0.3), 4),
                     round(rng.normal(0.0, 1.0), 4),
                     label])
    return rows


@pytest.fixture
def two_classes(tmp_path: "Path") -> str:
    return write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], blobs(48, 2, 1))


def one_error_line(result: "subprocess.CompletedProcess[str]") -> str:
    """Assert the run failed as bad input should; return its one line of stderr."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tinynet")
    assert ": error: " in lines[0]
    return lines[0]


def accuracy_in(text: str, name: str) -> float:
    match = re.search(r"^%s\s+accuracy (\d\.\d+)" % name, text, re.M)
    assert match, text
    return float(match.group(1))


# --- demo, version, help ------------------------------------------------------------


def test_demo_shows_the_loss_falling_and_a_good_test_accuracy(tmp_path) -> None:
    result = run(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    losses = [float(x) for x in re.findall(r"^epoch +\d+/\d+ +loss (\S+)$", result.stdout, re.M)]
    assert 5 <= len(losses) <= 12
    assert losses[-1] < losses[0] / 5
    assert accuracy_in(result.stdout, "train") >= 0.95
    assert accuracy_in(result.stdout, "test") >= 0.9
    assert os.listdir(str(tmp_path)) == []  # the demo writes no files


def test_demo_is_repeatable_with_a_seed(tmp_path) -> None:
    first = run(tmp_path, "demo", "--seed", "3", "--iterations", "20")
    second = run(tmp_path, "demo", "--seed", "3", "--iterations", "20")
    assert first.returncode == 0 and first.stdout == second.stdout


def test_version(tmp_path) -> None:
    result = run(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "tinynet %s" % tinynet.__version__


@pytest.mark.parametrize("command,expected", [
    ([], ["demo", "train", "predict", "evaluate", "export"]),
    (["demo"], ["--seed", "--iterations"]),
    (["train"], ["--target", "--hidden", "--iterations", "--learning-rate", "--activation",
                 "--seed", "--test-fraction", "--regression", "--out"]),
    (["predict"], ["model", "csv", "--target"]),
    (["evaluate"], ["model", "csv", "--target"]),
    (["export"], ["model", "--to", "--out", "--name", "--dtype", "python", "int8"]),
])
def test_every_command_has_help(tmp_path, command, expected) -> None:
    result = run(tmp_path, *(command + ["--help"]))
    assert result.returncode == 0
    assert result.stdout.startswith("usage: tinynet")
    for word in expected:
        assert word in result.stdout


# --- train, predict, evaluate ----------------------------------------------------------


def test_train_predict_evaluate_on_separable_data(tmp_path, two_classes) -> None:
    trained = run(tmp_path, "train", "data.csv", "--target", "label", "--hidden", "6",
                  "--iterations", "60", "--learning-rate", "0.5", "--seed", "2", "--out", "model.json")
    assert trained.returncode == 0, trained.stderr
    assert accuracy_in(trained.stdout, "train") >= 0.95
    assert accuracy_in(trained.stdout, "test") >= 0.9
    assert "\r" not in trained.stdout  # not a terminal: plain lines
    assert len(re.findall(r"^epoch ", trained.stdout, re.M)) <= 12
    assert "saved the model to model.json" in trained.stdout
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv", "model.json"]

    net = NeuralNet.load(str(tmp_path / "model.json"))
    assert net.layers == [3, 6, 1] and net.output == "sigmoid" and net.scaler is not None

    predicted = run(tmp_path, "predict", "model.json", "data.csv", "--target", "label")
    assert predicted.returncode == 0, predicted.stderr
    lines = predicted.stdout.splitlines()
    assert lines[0] == "prediction"
    labels = [row[-1] for row in blobs(48, 2, 1)]
    assert len(lines) == 1 + len(labels)
    predictions = [int(line) for line in lines[1:]]
    assert sum(p == y for p, y in zip(predictions, labels)) >= 0.9 * len(labels)
    # The file's scaler travels with the model: raw features in, same answers out.
    raw = [row[:3] for row in blobs(48, 2, 1)]
    assert predictions == net.predict(raw)

    evaluated = run(tmp_path, "evaluate", "model.json", "data.csv", "--target", "label")
    assert evaluated.returncode == 0, evaluated.stderr
    assert float(re.search(r"^accuracy (\S+)", evaluated.stdout, re.M).group(1)) >= 0.9
    assert "true \\ predicted   0   1" in evaluated.stdout
    assert re.search(r"^ +0 +\d+ +\d+$", evaluated.stdout, re.M)


def test_predict_takes_a_file_without_the_target_column(tmp_path, two_classes) -> None:
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "20",
               "--out", "model.json").returncode == 0
    features = write_csv(tmp_path / "new.csv", ["size", "depth", "noise"],
                         [[0.0, 0.0, 0.1], [1000.0, -2.0, 0.0], [-50.0, 0.2, 0.0]])
    result = run(tmp_path, "predict", "model.json", features)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["prediction", "0", "1", "0"]


def test_predict_and_evaluate_find_the_columns_by_name(tmp_path, two_classes) -> None:
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "30",
               "--out", "model.json").returncode == 0
    net = NeuralNet.load(str(tmp_path / "model.json"))
    assert net.feature_names == ["size", "depth", "noise"] and net.target_name == "label"
    expected = run(tmp_path, "predict", "model.json", "data.csv", "--target", "label")
    assert expected.returncode == 0, expected.stderr
    # Columns in another order, the answers unnamed, and a column the model never saw.
    rows = blobs(48, 2, 1)
    write_csv(tmp_path / "shuffled.csv", ["label", "noise", "id", "size", "depth"],
              [[row[3], row[2], 1000 + i, row[0], row[1]] for i, row in enumerate(rows)])
    for extra in ([], ["--target", "label"], ["--target", "id"]):
        result = run(tmp_path, "predict", "model.json", "shuffled.csv", *extra)
        assert result.returncode == 0, result.stderr
        assert result.stdout == expected.stdout
    before = run(tmp_path, "evaluate", "model.json", "data.csv", "--target", "label")
    after = run(tmp_path, "evaluate", "model.json", "shuffled.csv")  # the saved target
    assert after.returncode == 0, after.stderr
    assert after.stdout.replace("shuffled.csv", "data.csv") == before.stdout


def test_predict_ignores_a_target_column_the_file_does_not_have(tmp_path, two_classes) -> None:
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "20",
               "--out", "model.json").returncode == 0
    nameless = NeuralNet.load(str(tmp_path / "model.json"))
    nameless.feature_names = nameless.target_name = None
    nameless.save(str(tmp_path / "nameless.json"))
    features = write_csv(tmp_path / "new.csv", ["size", "depth", "noise"],
                         [[0.0, 0.0, 0.1], [1000.0, -2.0, 0.0], [-50.0, 0.2, 0.0]])
    for model in ("model.json", "nameless.json"):
        result = run(tmp_path, "predict", model, features, "--target", "label")
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["prediction", "0", "1", "0"]
    # By position, a named target column that is there is still left out.
    result = run(tmp_path, "predict", "nameless.json", "data.csv", "--target", "label")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 49


def test_a_class_with_a_single_row_is_warned_about_and_training_goes_on(tmp_path) -> None:
    rows = blobs(40, 2, 3)
    rows[6][3] = 2  # a typo in the 0/1 column
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], rows)
    result = run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "20",
                 "--out", "model.json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "tinynet: warning: data.csv: column 'label' has only one row of class 2 (data row 7): "
        "too few to learn it or test it (a typo?); training a 3-class model anyway\n")
    assert "softmax" in result.stdout and os.path.exists(str(tmp_path / "model.json"))
    rows[8][3] = 3
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], rows)
    result = run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
                 "--out", "model.json")
    assert result.returncode == 0, result.stderr
    assert "only one row of class 2 (data row 7), of class 3 (data row 9): too few to learn " \
           "them or test them (a typo?); training a 4-class model anyway" in result.stderr
    # Two rows are enough: no warning about classes (5 epochs leave the loss
    # still falling, which is the one warning left).
    rows[8][3] = 2
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], rows)
    result = run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
                 "--out", "model.json")
    assert result.returncode == 0
    assert result.stderr.startswith("tinynet: warning: the loss was still falling steeply")
    assert result.stderr.count("\n") == 1


def test_three_classes_train_a_softmax_network(tmp_path) -> None:
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], blobs(60, 3, 4))
    trained = run(tmp_path, "train", "data.csv", "--target", "label", "--hidden", "8",
                  "--hidden", "6", "--iterations", "80", "--learning-rate", "0.05",
                  "--optimizer", "adam", "--out", "model.json")
    assert trained.returncode == 0, trained.stderr
    assert accuracy_in(trained.stdout, "test") >= 0.9
    net = NeuralNet.load(str(tmp_path / "model.json"))
    assert net.layers == [3, 8, 6, 3] and net.output == "softmax" and net.optimizer == "adam"
    evaluated = run(tmp_path, "evaluate", "model.json", "data.csv", "--target", "label")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "true \\ predicted   0   1   2" in evaluated.stdout


def test_regression_reports_r2_and_predicts_numbers(tmp_path) -> None:
    rng = Random(5)
    rows: "List[List[object]]" = []
    for _ in range(60):
        a, b = rng.uniform(-2.0, 2.0), rng.uniform(0.0, 500.0)
        rows.append([a, b, 3.0 * a + b / 100.0 + rng.normal(0.0, 0.05)])
    write_csv(tmp_path / "data.csv", ["a", "b", "y"], rows)
    trained = run(tmp_path, "train", "data.csv", "--target", "y", "--regression",
                  "--iterations", "150", "--learning-rate", "0.05", "--out", "model.json")
    assert trained.returncode == 0, trained.stderr
    r2 = float(re.search(r"^test\s+r2 (\S+)", trained.stdout, re.M).group(1))
    assert r2 > 0.95
    evaluated = run(tmp_path, "evaluate", "model.json", "data.csv", "--target", "y")
    assert evaluated.returncode == 0, evaluated.stderr
    assert float(re.search(r"^r2 (\S+)", evaluated.stdout, re.M).group(1)) > 0.95
    predicted = run(tmp_path, "predict", "model.json", "data.csv", "--target", "y")
    values = [float(line) for line in predicted.stdout.splitlines()[1:]]
    net = NeuralNet.load(str(tmp_path / "model.json"))
    assert values == net.predict([row[:2] for row in rows])  # printed exactly (repr)


def incomes(n: int, seed: int, centre: float, spread: float) -> "List[List[object]]":
    """Rows ``[age, hours, income]``: income near-linear in both, around ``centre``."""
    rng = Random(seed)
    rows: "List[List[object]]" = []
    for _ in range(n):
        age, hours = rng.uniform(20.0, 65.0), rng.uniform(10.0, 60.0)
        value = centre + spread * ((age - 42.5) / 13.0 + 0.25 * (hours - 35.0) / 14.4
                                   + rng.normal(0.0, 0.2))
        rows.append([round(age, 2), round(hours, 2), value])
    return rows


@pytest.mark.parametrize("centre,spread", [(5e4, 8000.0), (50.0, 5.0)])
def test_regression_on_a_large_target_trains_with_the_default_settings(tmp_path, centre,
                                                                       spread) -> None:
    rows = incomes(160, 8, centre, spread)
    write_csv(tmp_path / "data.csv", ["age", "hours", "income"], rows)
    trained = run(tmp_path, "train", "data.csv", "--target", "income", "--regression",
                  "--out", "model.json")
    assert trained.returncode == 0, trained.stderr
    assert float(re.search(r"^test\s+r2 (\S+)", trained.stdout, re.M).group(1)) > 0.9
    net = NeuralNet.load(str(tmp_path / "model.json"))
    assert net.target_scaler is not None and net.target_name == "income"
    assert net.target_scaler.mean is not None
    assert abs(net.target_scaler.mean[0] - centre) < spread
    predicted = run(tmp_path, "predict", "model.json", "data.csv")  # the target column is ignored
    assert predicted.returncode == 0, predicted.stderr
    values = [float(line) for line in predicted.stdout.splitlines()[1:]]
    assert values == net.predict([row[:2] for row in rows])  # the round trip is exact
    answers = [float(str(row[2])) for row in rows]
    assert all(abs(v - answer) < 2 * spread for v, answer in zip(values, answers))
    evaluated = run(tmp_path, "evaluate", "model.json", "data.csv")
    assert float(re.search(r"^r2 (\S+)", evaluated.stdout, re.M).group(1)) > 0.9


# --- progress ------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_one_line_on_a_terminal() -> None:
    stream = FakeTerminal()
    net = NeuralNet(layers=[1, 1], iterations=5)
    progress = Progress(5, stream)
    for epoch in range(5):
        net.loss.append(1.0 / (epoch + 1))
        progress(net, epoch)
    progress.finish()
    text = stream.getvalue()
    assert text.startswith("\repoch 1/5  loss 1.000000")
    assert text.endswith("\repoch 5/5  loss 0.200000\n")
    assert text.count("\n") == 1


def test_a_shorter_line_covers_the_longer_one_before_it() -> None:
    stream = FakeTerminal()
    net = NeuralNet(layers=[1, 1], iterations=2)
    progress = Progress(2, stream)
    net.loss.append(123.0)
    progress(net, 0)
    progress.last_draw = 0.0  # pretend a tenth of a second has passed
    net.loss.append(0.5)
    progress(net, 1)
    first, second = stream.getvalue().split("\r")[1:]
    assert first == "epoch 1/2  loss 123.000000"
    assert second == "epoch 2/2  loss 0.500000  "


def test_progress_prints_about_ten_plain_lines_elsewhere() -> None:
    stream = io.StringIO()
    net = NeuralNet(layers=[1, 1], iterations=95)
    progress = Progress(95, stream)
    for epoch in range(95):
        net.loss.append(0.5)
        progress(net, epoch)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "epoch  1/95  loss 0.500000"
    assert lines[-1] == "epoch 95/95  loss 0.500000"
    assert len(lines) == 11
    assert "\r" not in stream.getvalue()


# --- bad input -------------------------------------------------------------------------


def bad_files(tmp_path: "Path") -> None:
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], blobs(48, 2, 1))
    (tmp_path / "bad.csv").write_text("age,label\n30,0\n41,1\nabc,0\n")
    (tmp_path / "floats.csv").write_text("x,label\n1,0.5\n2,1.5\n3,0.5\n4,1.5\n")
    (tmp_path / "one_class.csv").write_text("x,label\n1,0\n2,0\n3,0\n4,0\n")
    (tmp_path / "tiny.csv").write_text("x,label\n1,0\n2,1\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00\x01x,y\n")
    (tmp_path / "two.csv").write_text("a,b\n1,2\n3,4\n")
    (tmp_path / "labels3.csv").write_text("size,depth,noise,label\n1,2,3,0\n1,2,3,3\n")
    (tmp_path / "folder.csv").mkdir()
    (tmp_path / "corrupt.json").write_text('{"format": "tinynet-model", "version": 1, "lay')
    (tmp_path / "newer.json").write_text('{"format": "tinynet-model", "version": 9}')
    # A valid model for 3 inputs but for one weight, a whole number too large for a float.
    (tmp_path / "big.json").write_text(
        '{"format": "tinynet-model", "version": 1, "layers": [3, 1], "activation": "relu", '
        '"output": "sigmoid", "training": {}, "params": {"W1": [[1%s], [0], [0]], "b1": [0]}, '
        '"scaler": null}' % ("0" * 400))
    # An ID column chosen as the target, and labels with a class missing.
    write_csv(tmp_path / "ids.csv", ["x", "id"],
              [[i, 100000000 + i] for i in range(8)])
    (tmp_path / "gap.csv").write_text("x,label\n1,0\n2,2\n3,0\n4,2\n5,0\n6,2\n")
    (tmp_path / "negative.csv").write_text("x,label\n1,0\n2,-1\n3,0\n4,1\n")
    (tmp_path / "no_depth.csv").write_text("size,noise,label\n1,2,0\n3,4,1\n")


TRAIN = ["train", "data.csv", "--target", "label", "--iterations", "5", "--out", "out.json"]

ERRORS = [
    ("missing csv", ["train", "nope.csv", "--target", "label", "--out", "out.json"],
     "nope.csv: no such file"),
    ("folder as csv", ["train", "folder.csv", "--target", "label", "--out", "out.json"],
     "folder.csv is a directory"),
    ("not text", ["train", "binary.csv", "--target", "y", "--out", "out.json"],
     "binary.csv is not a text file"),
    ("empty csv", ["train", "empty.csv", "--target", "y", "--out", "out.json"],
     "empty.csv: the CSV is empty"),
    ("bad cell", ["train", "bad.csv", "--target", "label", "--out", "out.json"],
     "tinynet: error: bad.csv: line 4, column 'age': 'abc' is not a number"),
    ("missing target", TRAIN[:3] + ["lab"] + TRAIN[4:], "target column 'lab' not found"),
    ("fractional labels", ["train", "floats.csv", "--target", "label", "--out", "out.json"],
     "floats.csv: column 'label', data row 1 is 0.5: class labels must be whole numbers 0, 1, "
     "2, ... (for numeric targets, train with --regression)"),
    ("negative label", ["train", "negative.csv", "--target", "label", "--out", "out.json"],
     "column 'label', data row 2 is -1: class labels cannot be negative"),
    ("id column as target", ["train", "ids.csv", "--target", "id", "--out", "out.json"],
     "ids.csv: column 'id' holds 100000007 (data row 8) but has only 8 rows: class labels are "
     "0..k-1 with every class present, so this looks like an ID or a measurement column, "
     "not classes (choose the class column with --target, or predict a number with --regression)"),
    ("a class missing", ["train", "gap.csv", "--target", "label", "--out", "out.json"],
     "gap.csv: column 'label' holds labels up to 2 but never 1: class labels must be 0..k-1 with "
     "every class present"),
    ("one class", ["train", "one_class.csv", "--target", "label", "--out", "out.json"],
     "a classifier needs at least two classes"),
    ("too few rows", ["train", "tiny.csv", "--target", "label", "--test-fraction", "0.1",
                      "--out", "out.json"], "leaves the test part empty"),
    ("zero iterations", TRAIN[:4] + ["--iterations", "0"] + TRAIN[6:],
     "argument --iterations: must be a whole number >= 1, got '0'"),
    ("word iterations", TRAIN[:4] + ["--iterations", "many"] + TRAIN[6:],
     "argument --iterations: must be a whole number >= 1, got 'many'"),
    ("negative rate", TRAIN + ["--learning-rate", "-1"], "argument --learning-rate: must be a number > 0"),
    ("nan rate", TRAIN + ["--learning-rate", "nan"], "argument --learning-rate: must be a number > 0"),
    ("test fraction", TRAIN + ["--test-fraction", "1.5"], "argument --test-fraction: must be a number between 0 and 1"),
    ("hidden zero", TRAIN + ["--hidden", "0"], "argument --hidden: must be a whole number >= 1"),
    ("negative seed", TRAIN + ["--seed", "-3"], "argument --seed: must be a whole number >= 0"),
    ("unknown activation", TRAIN + ["--activation", "swish"], "invalid choice: 'swish'"),
    ("no out", TRAIN[:6], "the following arguments are required: --out"),
    ("out folder missing", TRAIN[:7] + ["missing/out.json"], "the folder missing does not exist"),
    ("out is a folder", TRAIN[:7] + ["folder.csv"], "is a directory"),
    ("out is the data", TRAIN[:7] + ["./data.csv"], "--out ./data.csv is the training data"),
    ("diverges", ["train", "data.csv", "--target", "size", "--regression", "--learning-rate", "1e6",
                  "--iterations", "50", "--out", "out.json"], "training diverged"),
    ("unknown command", ["frobnicate"], "invalid choice: 'frobnicate'"),
    ("no command", [], "the following arguments are required: COMMAND"),
    ("unknown option", ["demo", "--colour"], "unrecognized arguments: --colour"),
    ("missing model", ["predict", "nope.json", "data.csv"], "error: nope.json: no such model file"),
    ("corrupt model", ["predict", "corrupt.json", "data.csv"], "corrupt.json: not valid JSON"),
    ("huge weight", ["predict", "big.json", "data.csv", "--target", "label"],
     "big.json: W1 row 0, column 0 is too large to be a float"),
    ("newer model", ["evaluate", "newer.json", "data.csv", "--target", "label"],
     "written by a newer tinynet"),
    # A model saved without column names takes the columns by position.
    ("too many columns", ["predict", "nameless.json", "data.csv"],
     "data.csv has 4 feature columns (size, depth, noise, label) but the model takes 3 inputs; "
     "if one column holds the answers, name it with --target"),
    ("too few columns", ["predict", "nameless.json", "two.csv"],
     "two.csv has 2 feature columns (a, b) but the model takes 3 inputs"),
    ("evaluate needs target", ["evaluate", "nameless.json", "data.csv"],
     "nameless.json does not name its target column: say which column holds the answers "
     "with --target COL"),
    # One saved by train finds them by name.
    ("feature columns missing", ["predict", "model.json", "two.csv"],
     "two.csv has no columns 'size', 'depth', 'noise', which the model takes as input "
     "(its inputs: size, depth, noise)"),
    ("a feature column missing", ["evaluate", "model.json", "no_depth.csv"],
     "no_depth.csv has no column 'depth', which the model takes as input"),
    ("target is a feature", ["predict", "model.json", "data.csv", "--target", "depth"],
     "--target depth names one of the model's input columns (size, depth, noise)"),
    ("stored target missing", ["evaluate", "model.json", "two.csv"],
     "two.csv: target column 'label' not found; the columns are 'a', 'b'"),
    ("label out of range", ["evaluate", "model.json", "labels3.csv", "--target", "label"],
     "column 'label', data row 2 holds 3, but this model's classes are 0..1"),
    ("export to an unknown language", ["export", "model.json", "--to", "java"],
     "argument --to: invalid choice: 'java'"),
    ("export a missing model", ["export", "nope.json", "--to", "c", "-o", "m.h"],
     "nope.json: no such model file"),
    ("export a corrupt model", ["export", "corrupt.json", "--to", "python", "-o", "m.py"],
     "corrupt.json: not valid JSON"),
    ("export into a missing folder", ["export", "model.json", "--to", "c", "-o", "missing/m.h"],
     "cannot write missing/m.h: no such file or directory"),
    ("export onto a folder", ["export", "model.json", "--to", "c", "-o", "folder.csv"],
     "-o folder.csv is a directory"),
    ("export with a dtype the language lacks", ["export", "model.json", "--to", "python",
                                                "--dtype", "int8", "-o", "m.py"],
     "unknown dtype 'int8' for Python: choose float64 or float32"),
]


@pytest.fixture(scope="module")
def error_dir(tmp_path_factory: "pytest.TempPathFactory") -> "Path":
    """Data files with problems, and a good model to try them on."""
    folder = tmp_path_factory.mktemp("errors")
    bad_files(folder)
    result = run(folder, "train", "data.csv", "--target", "label", "--iterations", "5",
                 "--out", "model.json")
    assert result.returncode == 0, result.stderr
    nameless = NeuralNet.load(str(folder / "model.json"))
    nameless.feature_names = nameless.target_name = None
    nameless.save(str(folder / "nameless.json"))
    return folder


@pytest.mark.parametrize("args,fragment", [case[1:] for case in ERRORS],
                         ids=[case[0] for case in ERRORS])
def test_bad_input_is_one_line_on_stderr_and_exit_status_2(error_dir, args, fragment) -> None:
    before = sorted(os.listdir(str(error_dir)))
    result = run(error_dir, *args)
    line = one_error_line(result)
    assert fragment in line
    # A failed command leaves no model file (nor a temporary one) behind.
    assert sorted(os.listdir(str(error_dir))) == before


def test_export_writes_a_module_that_predicts_like_the_model(tmp_path, two_classes) -> None:
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "20",
               "--out", "model.json").returncode == 0
    result = run(tmp_path, "export", "model.json", "--to", "python", "-o", "blobs.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote blobs.py (a Python module, ")
    net = NeuralNet.load(str(tmp_path / "model.json"))
    rows = [row[:3] for row in blobs(10, 2, 7)]
    code = "import json, blobs; print(json.dumps([blobs.predict_proba(r) for r in %r]))" % rows
    printed = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path),
                             stdout=subprocess.PIPE, universal_newlines=True).stdout
    for got, want in zip(json.loads(printed), net.predict_proba(rows).tolist()):
        assert abs(got[0] - want[0]) <= 1e-12 * abs(want[0])
    assert "FEATURES = (\"size\", \"depth\", \"noise\")" in (tmp_path / "blobs.py").read_text()


def test_export_without_out_prints_the_header(tmp_path, two_classes) -> None:
    from tinynet.export import to_c

    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
               "--out", "model.json").returncode == 0
    result = run(tmp_path, "export", "model.json", "--to", "c", "--name", "blobs",
                 "--dtype", "int8")
    assert result.returncode == 0, result.stderr
    assert result.stdout == to_c(str(tmp_path / "model.json"), name="blobs", dtype="int8")
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv", "model.json"]


def test_a_failed_export_keeps_the_previous_file(tmp_path, two_classes) -> None:
    (tmp_path / "model.h").write_text("previous")
    (tmp_path / "corrupt.json").write_text('{"format": "tinynet-model", "ver')
    result = run(tmp_path, "export", "corrupt.json", "--to", "c", "-o", "model.h")
    assert "not valid JSON" in one_error_line(result)
    assert (tmp_path / "model.h").read_text() == "previous"
    assert sorted(os.listdir(str(tmp_path))) == ["corrupt.json", "data.csv", "model.h"]


def test_a_failed_train_keeps_the_previous_model(tmp_path, two_classes) -> None:
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
               "--out", "model.json").returncode == 0
    before = (tmp_path / "model.json").read_bytes()
    result = run(tmp_path, "train", "data.csv", "--target", "size", "--regression",
                 "--learning-rate", "1e6", "--out", "model.json")
    assert "training diverged" in one_error_line(result)
    assert (tmp_path / "model.json").read_bytes() == before
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv", "model.json"]


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_exits_130_quietly_and_writes_no_model(tmp_path, two_classes) -> None:
    env = dict(os.environ, PYTHONPATH=mpy.REPO_ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "tinynet", "train", "data.csv", "--target", "label",
         "--iterations", "1000000", "--out", "model.json"],
        cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("epoch"):  # training has started
                break
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130
    assert stderr == ""
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv"]

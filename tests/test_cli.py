"""The ``tinynet`` command line, run as ``python -m tinynet`` in a subprocess.

Most tests run the real command in a subprocess, end to end.  The long table
of bad inputs runs ``tinynet.cli.main`` in this process instead (``run_here``:
the same code from the parsed arguments on, with stdout, stderr and stdin
swapped for buffers), because starting an interpreter for each of dozens of
one-line errors would make the suite slow; a few of those cases also run as
subprocesses, so the two stay the same.
"""

import contextlib
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
from tinynet import cli
from tinynet.cli.progress import Progress, duration
from tinynet.network import NeuralNet
from tinynet.rng import Random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import List, Optional


def run(cwd: "Path", *args: str, timeout: float = 60,
        input: "Optional[str]" = None) -> "subprocess.CompletedProcess[str]":
    """``python -m tinynet ARGS`` in ``cwd``, importing tinynet from this checkout."""
    env = dict(os.environ, PYTHONPATH=mpy.REPO_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "tinynet"] + list(args),
        cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, timeout=timeout, input=input,
    )


class _Stdin(io.StringIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data.decode("utf-8", "replace"))
        self.buffer = io.BytesIO(data)


def run_here(cwd: "Path", *args: str, input: bytes = b"") -> "subprocess.CompletedProcess[str]":
    """``tinynet.cli.main(ARGS)`` in this process, in ``cwd``; the result as ``run`` gives it."""
    stdout, stderr = io.StringIO(), io.StringIO()
    before, stdin = os.getcwd(), sys.stdin
    os.chdir(str(cwd))
    sys.stdin = _Stdin(input)  # type: ignore[assignment]
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                status = cli.main(list(args))
            except SystemExit as exit:  # argparse's usage errors, --help
                status = exit.code if isinstance(exit.code, int) else 1
    finally:
        os.chdir(before)
        sys.stdin = stdin
    return subprocess.CompletedProcess(list(args), status, stdout.getvalue(), stderr.getvalue())


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
                 "--seed", "--test-fraction", "--regression", "--out", "--test", "--ignore",
                 "--alpha", "--early-stopping", "--momentum", "--patience",
                 "--validation-fraction", "--quiet", "--delimiter", "--drop-missing",
                 "L2 penalty", "epochs without improvement before early stopping stops"]),
    (["predict"], ["model", "csv", "--target", "--proba", "--id", "--delimiter",
                   "--drop-missing"]),
    (["evaluate"], ["model", "csv", "--target", "--delimiter", "--drop-missing"]),
    (["export"], ["model", "--to", "--out", "--name", "--dtype", "python", "int8"]),
])
def test_every_command_has_help(tmp_path, command, expected) -> None:
    result = run_here(tmp_path, *(command + ["--help"]))
    assert result.returncode == 0
    assert result.stdout.startswith("usage: tinynet")
    for word in expected:
        assert word in " ".join(result.stdout.split())


def test_bare_tinynet_prints_the_help_on_stderr_with_exit_status_2(tmp_path) -> None:
    result = run(tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("usage: tinynet")
    assert "Run 'tinynet COMMAND --help'" in result.stderr
    assert all(command in result.stderr for command in ("demo", "train", "predict", "evaluate"))


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
        "tinynet: warning: data.csv: column 'label' has only one row of class 2 (line 8): "
        "too few to learn it or test it (a typo?); training a 3-class model anyway\n")
    assert "softmax" in result.stdout and os.path.exists(str(tmp_path / "model.json"))
    rows[8][3] = 3
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], rows)
    result = run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
                 "--out", "model.json")
    assert result.returncode == 0, result.stderr
    assert "only one row of class 2 (line 8), of class 3 (line 10): too few to learn " \
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


# --- labels of any kind -----------------------------------------------------------------


def animals(n: int, seed: int) -> "List[List[object]]":
    """Rows ``[name, size, depth, noise, kind]``: blobs labelled with words, and a text ID."""
    kinds = ["cat", "dog", "emu"]
    return [["%s %d" % (kinds[int(row[3])], i)] + row[:3] + [kinds[int(row[3])]]
            for i, row in enumerate(blobs(n, 3, seed))]


def test_words_as_labels_from_train_to_predict_and_evaluate(tmp_path) -> None:
    header = ["name", "size", "depth", "noise", "kind"]
    write_csv(tmp_path / "animals.csv", header, animals(60, 4))
    trained = run(tmp_path, "train", "animals.csv", "--target", "kind", "--ignore", "name",
                  "--optimizer", "adam", "--learning-rate", "0.05", "--iterations", "80",
                  "--out", "model.json")
    assert trained.returncode == 0, trained.stderr
    assert "3 classes, softmax output" in trained.stdout
    assert accuracy_in(trained.stdout, "test") >= 0.9
    model = json.loads((tmp_path / "model.json").read_text())
    assert model["classes"] == ["cat", "dog", "emu"] and model["features"] == header[1:4]

    new = animals(9, 11)
    write_csv(tmp_path / "new.csv", header[:4], [row[:4] for row in new])
    predicted = run(tmp_path, "predict", "model.json", "new.csv", "--id", "name")
    assert predicted.returncode == 0, predicted.stderr
    lines = predicted.stdout.splitlines()
    assert lines[0] == "name,prediction"
    assert [line.split(",") for line in lines[1:]] == [[row[0], row[4]] for row in new]

    proba = run(tmp_path, "predict", "model.json", "new.csv", "--proba")
    assert proba.returncode == 0, proba.stderr
    lines = proba.stdout.splitlines()
    assert lines[0] == "cat,dog,emu"
    net = NeuralNet.load(str(tmp_path / "model.json"))
    expected = net.predict_proba([row[1:4] for row in new]).tolist()
    assert [[float(p) for p in line.split(",")] for line in lines[1:]] == expected

    evaluated = run(tmp_path, "evaluate", "model.json", "animals.csv")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "true \\ predicted  cat  dog  emu" in evaluated.stdout
    assert re.search(r"^ +cat +\d+ +\d+ +\d+$", evaluated.stdout, re.M)


def test_numbers_that_are_not_indices_come_back_as_they_were(tmp_path) -> None:
    rows = blobs(48, 2, 1)
    for row in rows:
        row[3] = [-1, 1][int(row[3])]
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], rows)
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "60",
               "--learning-rate", "0.5", "--out", "model.json").returncode == 0
    predicted = run(tmp_path, "predict", "model.json", "data.csv")
    assert set(predicted.stdout.splitlines()[1:]) == {"-1", "1"}
    proba = run(tmp_path, "predict", "model.json", "data.csv", "--proba")
    lines = proba.stdout.splitlines()
    assert lines[0] == "-1,1"  # a sigmoid's one output as two columns, one per class
    for line in lines[1:]:
        p_first, p_second = (float(p) for p in line.split(","))
        assert p_first == 1.0 - p_second
    evaluated = run(tmp_path, "evaluate", "model.json", "data.csv")
    assert "true \\ predicted  -1   1" in evaluated.stdout


def test_a_model_of_words_reads_digits_in_a_test_file_as_words(tmp_path) -> None:
    # Trained on labels that are words because one of them is: 'x', '1', '2'.
    rows = blobs(60, 3, 2)
    for row in rows:
        row[3] = ["x", "1", "2"][int(row[3])]
    write_csv(tmp_path / "train.csv", ["size", "depth", "noise", "label"], rows)
    # A test file without any 'x' holds only digits, read as words for this model.
    test_rows = [row for row in blobs(30, 3, 5) if row[3] != 0]
    write_csv(tmp_path / "test.csv", ["size", "depth", "noise", "label"], test_rows)
    result = run_here(tmp_path, "train", "train.csv", "--target", "label", "--test", "test.csv",
                      "--iterations", "60", "--learning-rate", "0.3", "--out", "model.json")
    assert result.returncode == 0, result.stderr
    assert NeuralNet.load(str(tmp_path / "model.json")).classes_ == ["1", "2", "x"]
    assert accuracy_in(result.stdout, "test") >= 0.9
    evaluated = run_here(tmp_path, "evaluate", "model.json", "test.csv")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "true \\ predicted   1   2   x" in evaluated.stdout
    write_csv(tmp_path / "test.csv", ["size", "depth", "noise", "label"],
              [row[:3] + ["y"] for row in test_rows])
    failed = run_here(tmp_path, "evaluate", "model.json", "test.csv")
    assert one_error_line(failed) == (
        "tinynet: error: test.csv: line 2, column 'label' holds 'y', which is not one of the "
        "model's classes ('1', '2', 'x')")


# --- tables: other files, other delimiters, columns that are not used ----------------


def test_test_file_trains_on_every_row_and_tests_on_the_other_file(tmp_path) -> None:
    header = ["size", "depth", "noise", "label"]
    write_csv(tmp_path / "train.csv", header, blobs(40, 2, 1))
    # The test file has its columns in another order, and one more.
    write_csv(tmp_path / "test.csv", ["label", "note", "noise", "depth", "size"],
              [[row[3], "n%d" % i, row[2], row[1], row[0]] for i, row in enumerate(blobs(20, 2, 9))])
    result = run(tmp_path, "train", "train.csv", "--target", "label", "--test", "test.csv",
                 "--iterations", "40", "--learning-rate", "0.5", "--out", "model.json")
    assert result.returncode == 0, result.stderr
    assert "on 40 rows of train.csv (testing on 20 rows of test.csv)" in result.stdout
    assert re.search(r"^train accuracy \S+  \(\d+ of 40\)$", result.stdout, re.M)
    assert accuracy_in(result.stdout, "test") >= 0.9
    assert re.search(r"^test  accuracy \S+  \(\d+ of 20\)$", result.stdout, re.M)


def test_test_fraction_0_trains_on_every_row_and_reports_no_test(tmp_path, two_classes) -> None:
    result = run(tmp_path, "train", "data.csv", "--target", "label", "--test-fraction", "0",
                 "--iterations", "10", "--out", "model.json")
    assert result.returncode == 0, result.stderr
    assert "on 48 rows of data.csv (none held back for testing)" in result.stdout
    assert re.search(r"^train accuracy \S+  \(\d+ of 48\)$", result.stdout, re.M)
    assert not re.search(r"^test", result.stdout, re.M)


def test_standard_input_is_a_dash_for_train_predict_and_evaluate(tmp_path, two_classes) -> None:
    text = (tmp_path / "data.csv").read_text()
    from_file = run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "20",
                    "--out", "file.json")
    from_stdin = run(tmp_path, "train", "-", "--target", "label", "--iterations", "20",
                     "--out", "stdin.json", input=text)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert "rows of standard input" in from_stdin.stdout
    assert (tmp_path / "stdin.json").read_text() == (tmp_path / "file.json").read_text()
    predicted = run(tmp_path, "predict", "stdin.json", "-", input=text)
    assert predicted.returncode == 0, predicted.stderr
    assert predicted.stdout == run(tmp_path, "predict", "file.json", "data.csv").stdout
    evaluated = run(tmp_path, "evaluate", "stdin.json", "-", input=text)
    assert evaluated.returncode == 0, evaluated.stderr
    assert "on 48 rows of standard input" in evaluated.stdout
    bad = run(tmp_path, "predict", "stdin.json", "-", input="size,depth,noise\n1,x,3\n")
    assert one_error_line(bad) == ("tinynet: error: standard input: line 2, column 'depth': "
                                   "'x' is not a number")


def test_tab_separated_files_by_extension_or_by_delimiter(tmp_path) -> None:
    rows = blobs(40, 2, 2)
    header = ["size", "depth", "noise", "label"]
    (tmp_path / "data.tsv").write_text("\t".join(header) + "\n" + "".join(
        "\t".join(str(v) for v in row) + "\n" for row in rows))
    write_csv(tmp_path / "data.csv", header, rows)
    (tmp_path / "data.txt").write_text((tmp_path / "data.csv").read_text().replace(",", ";"))
    outputs = []
    for name, extra in (("data.csv", []), ("data.tsv", []), ("data.txt", ["--delimiter", ";"])):
        result = run(tmp_path, "train", name, "--target", "label", "--iterations", "20",
                     "--out", "model.json", *extra)
        assert result.returncode == 0, result.stderr
        outputs.append(re.sub(r"data\.\w+", "data", result.stdout))
        outputs[-1] = re.sub(r"  \d+:\d\d elapsed, \d+:\d\d left", "", outputs[-1])
    assert outputs[0] == outputs[1] == outputs[2]
    # Predictions come out with the input's delimiter; 'tab' names a tab.
    predicted = run(tmp_path, "predict", "model.json", "data.txt", "--delimiter", "tab",
                    "--id", "label")
    assert one_error_line(predicted).endswith(
        "--id column 'label' not found; the columns are 'size;depth;noise;label'; the fields "
        "seem to be separated by ';': give that as the delimiter")
    predicted = run(tmp_path, "predict", "model.json", "data.tsv", "--id", "label")
    assert predicted.returncode == 0, predicted.stderr
    lines = predicted.stdout.splitlines()
    assert lines[0] == "label\tprediction" and len(lines) == 41
    assert all(re.match(r"^[01]\t[01]$", line) for line in lines[1:])


def test_columns_the_model_does_not_use_may_hold_anything(tmp_path, two_classes) -> None:
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "20",
               "--out", "model.json").returncode == 0
    rows = blobs(48, 2, 1)
    ids = ["sample %d" % i for i in range(48)]
    ids[3] = 'a "quoted", name'
    ids[5] = ""  # an empty cell in a column nobody reads is no missing value
    write_csv(tmp_path / "new.csv", ["id", "size", "comment", "depth", "noise"],
              [['"%s"' % ids[i].replace('"', '""'), row[0], "n/a", row[1], row[2]]
               for i, row in enumerate(rows)])
    expected = run(tmp_path, "predict", "model.json", "data.csv").stdout.splitlines()
    result = run(tmp_path, "predict", "model.json", "new.csv", "--id", "id")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "id,prediction"
    assert lines[4] == '"a ""quoted"", name",' + expected[4]  # quoted so it reads back
    assert lines[6] == "," + expected[6]
    assert [line.rsplit(",", 1)[1] for line in lines[1:]] == expected[1:]
    from tinynet.table import parse_table
    assert parse_table(result.stdout).rows[3] == [ids[3], expected[4]]


def test_drop_missing_leaves_out_rows_and_says_how_many(tmp_path) -> None:
    rows = blobs(48, 2, 1)
    for i, cell in ((2, ""), (9, "NA"), (30, "?")):
        rows[i][i % 3] = cell
    rows[40][3] = "NaN"
    write_csv(tmp_path / "gaps.csv", ["size", "depth", "noise", "label"], rows)
    trained = run(tmp_path, "train", "gaps.csv", "--target", "label", "--drop-missing",
                  "--iterations", "20", "--out", "model.json")
    assert trained.returncode == 0, trained.stderr
    assert trained.stdout.startswith(
        "left out 4 rows of gaps.csv with missing values (lines 4, 11, 32, 42)\n"
        "training a 3-8-1 network on 33 rows of gaps.csv (11 held back for testing)")
    evaluated = run(tmp_path, "evaluate", "model.json", "gaps.csv", "--drop-missing")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "left out 4 rows of gaps.csv" in evaluated.stdout
    assert re.search(r"^accuracy \S+  \(\d+ of 44\)$", evaluated.stdout, re.M)
    # predict needs only the features: the row missing its label is predicted.
    predicted = run(tmp_path, "predict", "model.json", "gaps.csv", "--drop-missing")
    assert predicted.returncode == 0
    assert len(predicted.stdout.splitlines()) == 1 + 45
    assert predicted.stderr == ("tinynet: left out 3 rows of gaps.csv with missing values "
                                "(lines 4, 11, 32)\n")


def test_the_training_controls_reach_the_network_and_its_model_file(tmp_path) -> None:
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], blobs(90, 3, 4))
    result = run(tmp_path, "train", "data.csv", "--target", "label", "--optimizer", "momentum",
                 "--momentum", "0.8", "--alpha", "0.001", "--early-stopping", "--patience", "3",
                 "--validation-fraction", "0.2", "--batch-size", "16", "--iterations", "300",
                 "--learning-rate", "0.05", "--out", "model.json")
    assert result.returncode == 0, result.stderr
    training = json.loads((tmp_path / "model.json").read_text())["training"]
    assert (training["optimizer"], training["momentum"], training["alpha"]) == ("momentum", 0.8,
                                                                                  0.001)
    assert (training["early_stopping"], training["patience"], training["validation_fraction"],
            training["batch_size"]) == (True, 3, 0.2, 16)
    lines = re.findall(r"^epoch .*$", result.stdout, re.M)
    assert re.match(r"^epoch 1/300  loss \S+  validation loss \S+  validation accuracy "
                    r"[\d.]+  \d+:\d\d elapsed, \d+:\d\d left$", lines[0])
    # Early stopping ended it before 300 epochs, and says so.
    assert re.search(r"^stopped early after epoch (\d+) of 300: the validation loss has not "
                     r"improved for 3 epochs; kept the weights of epoch \d+$", result.stdout, re.M)


def test_quiet_prints_no_progress(tmp_path, two_classes) -> None:
    result = run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "20",
                 "--quiet", "--out", "model.json")
    assert result.returncode == 0, result.stderr
    assert "epoch" not in result.stdout
    assert re.search(r"^train accuracy ", result.stdout, re.M)
    assert "saved the model to model.json" in result.stdout


def test_a_full_device_is_one_line_and_exit_status_2(tmp_path, two_classes) -> None:
    # Linux has /dev/full (CI runs there, so it fails rather than skips without it).
    mpy.require_or_skip("/dev/full", os.path.exists("/dev/full"), "a Linux machine")
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
               "--out", "model.json").returncode == 0
    env = dict(os.environ, PYTHONPATH=mpy.REPO_ROOT)
    for args in (["predict", "model.json", "data.csv"], ["evaluate", "model.json", "data.csv"],
                 ["train", "data.csv", "--target", "label", "--out", "new.json"], ["demo"],
                 ["export", "model.json", "--to", "python"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run([sys.executable, "-m", "tinynet"] + args, cwd=str(tmp_path),
                                    env=env, stdout=full, stderr=subprocess.PIPE,
                                    universal_newlines=True, timeout=60)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr == ("tinynet: error: cannot write to standard output: "
                                 "no space left on device\n"), args
    assert not os.path.exists(str(tmp_path / "new.json"))


def test_a_reader_that_goes_away_is_no_error(tmp_path) -> None:
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], blobs(40, 2, 1))
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
               "--out", "model.json").returncode == 0
    write_csv(tmp_path / "many.csv", ["size", "depth", "noise"],
              [row[:3] for row in blobs(20000, 2, 1)])  # more than a pipe's buffer holds
    env = dict(os.environ, PYTHONPATH=mpy.REPO_ROOT)
    process = subprocess.Popen([sys.executable, "-m", "tinynet", "predict", "model.json",
                                "many.csv"], cwd=str(tmp_path), env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"prediction\n"
    process.stdout.close()  # like 'tinynet predict ... | head -1'
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert stderr == b""


# --- progress ------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self) -> None:
        self.now = -1.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_progress_redraws_one_line_on_a_terminal() -> None:
    stream = FakeTerminal()
    net = NeuralNet(layers=[1, 1], iterations=5)
    progress = Progress(5, stream, clock=None)
    for epoch in range(5):
        net.loss.append(1.0 / (epoch + 1))
        progress.last_draw = -1.0  # pretend a tenth of a second has passed
        progress(net, epoch)
    progress.finish()
    text = stream.getvalue()
    assert text.startswith("\repoch 1/5  loss 1\r")
    # Padded to cover the longest line drawn before it.
    assert text.endswith("\r" + "epoch 5/5  loss 0.2".ljust(len("epoch 3/5  loss 0.333333")) + "\n")
    assert text.count("\n") == 1 and text.count("\r") == 5


def test_a_terminal_is_redrawn_at_most_ten_times_a_second_but_always_at_the_end() -> None:
    stream = FakeTerminal()
    net = NeuralNet(layers=[1, 1], iterations=1000)
    progress = Progress(1000, stream, clock=None)
    for epoch in range(1000):
        net.loss.append(0.5)
        progress(net, epoch)
    assert stream.getvalue().count("\r") < 10  # a thousand epochs in far less than a second
    assert stream.getvalue().endswith("\repoch 1000/1000  loss 0.5")


def test_progress_shows_the_time_so_far_and_the_time_left() -> None:
    stream = io.StringIO()
    net = NeuralNet(layers=[1, 1], iterations=200)
    progress = Progress(200, stream, clock=Clock())  # started at 0; each epoch reads 1 s later
    for epoch in range(200):
        net.loss.append(0.25)
        progress(net, epoch)
    lines = stream.getvalue().splitlines()
    assert lines[0] == "epoch 1/200  loss 0.25  0:01 elapsed, 3:19 left"
    assert lines[1] == "epoch 20/200  loss 0.25  0:02 elapsed, 0:18 left"
    assert lines[-1] == "epoch 200/200  loss 0.25  0:11 elapsed, 0:00 left"


@pytest.mark.parametrize("seconds, shown", [(0.0, "0:00"), (7.4, "0:07"), (59.6, "1:00"),
                                            (750.0, "12:30"), (3723.0, "1:02:03")])
def test_durations_are_minutes_and_seconds_with_hours_when_there_are_some(seconds, shown):
    assert duration(seconds) == shown


def test_progress_shows_the_validation_loss_and_accuracy_when_there_is_a_validation_set():
    stream = io.StringIO()
    net = NeuralNet(layers=[1, 2], iterations=3)
    progress = Progress(3, stream, clock=None)
    net.loss.append(0.123456789)
    net.validation_loss.append(1234567.0)
    net.validation_score.append(0.75)
    progress(net, 0)
    assert stream.getvalue() == (
        "epoch 1/3  loss 0.123457  validation loss 1.23457e+06  validation accuracy 0.75\n")


def test_progress_prints_about_ten_plain_lines_elsewhere() -> None:
    stream = io.StringIO()
    net = NeuralNet(layers=[1, 1], iterations=95)
    progress = Progress(95, stream, clock=None)
    for epoch in range(95):
        net.loss.append(0.5)
        progress(net, epoch)
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "epoch 1/95  loss 0.5"
    assert lines[-1] == "epoch 95/95  loss 0.5"
    assert len(lines) == 11
    assert "\r" not in stream.getvalue()


# --- bad input -------------------------------------------------------------------------


def bad_files(tmp_path: "Path") -> None:
    write_csv(tmp_path / "data.csv", ["size", "depth", "noise", "label"], blobs(48, 2, 1))
    (tmp_path / "bad.csv").write_text("age,label\n30,0\n41,1\nabc,0\n")
    (tmp_path / "floats.csv").write_text("x,label\n1,0.5\n2,1.5\n3,0.5\n4,1.5\n")
    (tmp_path / "one_class.csv").write_text("x,label\n1,0\n2,0\n3,0\n4,0\n")
    (tmp_path / "tiny.csv").write_text("x,label\n1,0\n2,1\n3,0\n4,1\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "binary.csv").write_bytes(b"\xff\xfe\x00\x01x,y\n")
    (tmp_path / "latin1.csv").write_bytes(b"x,label\n1,0\n2,caf\xe9\n")
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
    # An ID column chosen as the target.
    write_csv(tmp_path / "ids.csv", ["x", "id"], [[i, 100000000 + i] for i in range(8)])
    (tmp_path / "no_depth.csv").write_text("size,noise,label\n1,2,0\n3,4,1\n")
    rows = blobs(8, 2, 1)
    rows[2][1] = "NA"
    write_csv(tmp_path / "gaps.csv", ["size", "depth", "noise", "label"], rows)
    rows = blobs(8, 2, 1)
    rows[3][0] = "1_000"
    write_csv(tmp_path / "underscore.csv", ["size", "depth", "noise", "label"], rows)
    rows = blobs(8, 2, 1)
    rows[4][2] = "9" * 5000  # Python's int() refuses more than 4300 digits
    write_csv(tmp_path / "digits.csv", ["size", "depth", "noise", "label"], rows)
    rows = blobs(8, 2, 1)
    rows[5][3] = "9" * 5000
    write_csv(tmp_path / "digit_label.csv", ["size", "depth", "noise", "label"], rows)
    write_csv(tmp_path / "named.csv", ["name", "size", "depth", "noise", "label"],
              [["p%d" % i] + row for i, row in enumerate(blobs(8, 2, 1))])
    write_csv(tmp_path / "words.csv", ["size", "depth", "noise", "label"],
              [row[:3] + [["cat", "dog", "emu"][i % 3]] for i, row in enumerate(blobs(9, 3, 1))])
    (tmp_path / "all_missing.csv").write_text("size,depth,noise,label\n1,?,3,0\n4,5,,1\n")


def model_with_a_huge_scaler(folder: "Path") -> None:
    """A copy of model.json whose scaler's first mean is a 400-digit integer."""
    model = json.loads((folder / "model.json").read_text())
    model["scaler"]["mean"][0] = 10 ** 400
    (folder / "huge_scaler.json").write_text(json.dumps(model))


TRAIN = ["train", "data.csv", "--target", "label", "--iterations", "5", "--out", "out.json"]

# (name, arguments, a fragment of the one line on stderr).  Every case runs in this
# process (run_here); those marked in SUBPROCESS also run as ``python -m tinynet``.
ERRORS = [
    ("missing csv", ["train", "nope.csv", "--target", "label", "--out", "out.json"],
     "nope.csv: no such file"),
    ("folder as csv", ["train", "folder.csv", "--target", "label", "--out", "out.json"],
     "folder.csv is a directory"),
    ("not text", ["train", "binary.csv", "--target", "y", "--out", "out.json"],
     "binary.csv is UTF-16 text; save it as UTF-8"),
    ("not utf-8", ["evaluate", "model.json", "latin1.csv"],
     "latin1.csv is not UTF-8 text: line 3 holds the byte 0xe9"),
    ("empty csv", ["train", "empty.csv", "--target", "y", "--out", "out.json"],
     "empty.csv: the CSV is empty"),
    ("bad cell", ["train", "bad.csv", "--target", "label", "--out", "out.json"],
     "tinynet: error: bad.csv: line 4, column 'age': 'abc' is not a number (a column that is "
     "not a feature, such as an ID or a name, can be left out with --ignore COL)"),
    ("text column", ["train", "named.csv", "--target", "label", "--out", "out.json"],
     "named.csv: line 2, column 'name': 'p0' is not a number (a column that is not a feature"),
    ("underscore", ["train", "underscore.csv", "--target", "label", "--out", "out.json"],
     "underscore.csv: line 5, column 'size': '1_000' is not a number (CSV numbers have no '_' "
     "separators)"),
    ("5000 digits in train", ["train", "digits.csv", "--target", "label", "--out", "out.json"],
     "digits.csv: line 6, column 'noise': '%s...' is too large for a float" % ("9" * 37)),
    ("5000 digits in evaluate", ["evaluate", "model.json", "digits.csv"],
     "digits.csv: line 6, column 'noise': '%s...' is too large for a float" % ("9" * 37)),
    ("5000-digit label", ["train", "digit_label.csv", "--target", "label", "--out", "out.json"],
     "digit_label.csv: line 7, column 'label': '%s...' is too large for a float" % ("9" * 37)),
    ("missing value", ["train", "gaps.csv", "--target", "label", "--out", "out.json"],
     "gaps.csv: line 4, column 'depth': 'NA' marks a missing value (--drop-missing leaves out "
     "the rows with missing values)"),
    ("missing value in predict", ["predict", "model.json", "gaps.csv"],
     "gaps.csv: line 4, column 'depth': 'NA' marks a missing value"),
    ("nothing left", ["evaluate", "model.json", "all_missing.csv", "--drop-missing"],
     "all_missing.csv: every row misses a value in 'size', 'depth', 'noise', 'label', so "
     "--drop-missing leaves nothing"),
    ("missing target", TRAIN[:3] + ["lab"] + TRAIN[4:],
     "target column 'lab' not found; the columns are 'size', 'depth', 'noise', 'label'"),
    ("missing --ignore", TRAIN + ["--ignore", "nme"], "column to ignore 'nme' not found"),
    ("ignore the target", TRAIN + ["--ignore", "label"], "--ignore label names the target column"),
    ("ignore everything", TRAIN + ["--ignore", "size", "--ignore", "depth", "--ignore", "noise"],
     "data.csv has no feature columns: every column is the target or ignored"),
    ("fractional labels", ["train", "floats.csv", "--target", "label", "--out", "out.json"],
     "floats.csv: line 2, column 'label': 0.5 is not a whole number, so the column holds "
     "quantities, not classes (to predict a number, train with --regression)"),
    ("id column as target", ["train", "ids.csv", "--target", "id", "--out", "out.json"],
     "ids.csv: column 'id' holds 8 different values in 8 rows: too many to be classes (fewer "
     "than two rows each), so this looks like an ID or a measurement column (choose the class "
     "column with --target, or predict a number with --regression)"),
    ("one class", ["train", "one_class.csv", "--target", "label", "--out", "out.json"],
     "one_class.csv: column 'label' holds only the class 0: a classifier needs at least two "
     "classes"),
    ("too few rows", ["train", "tiny.csv", "--target", "label", "--test-fraction", "0.1",
                      "--out", "out.json"], "leaves the test part empty"),
    ("regression on words", ["train", "words.csv", "--target", "label", "--regression",
                             "--out", "out.json"],
     "words.csv: line 2, column 'label': 'cat' is not a number"),
    ("test and fraction", TRAIN + ["--test", "data.csv", "--test-fraction", "0.2"],
     "--test and --test-fraction both say which rows to test on: give one of them"),
    ("test file lacks a column", TRAIN + ["--test", "no_depth.csv"],
     "no_depth.csv: feature column 'depth' not found"),
    ("both from stdin", ["train", "-", "--target", "label", "--test", "-", "--out", "out.json"],
     "the training data and --test cannot both be standard input ('-')"),
    ("model to stdout", TRAIN[:7] + ["-"], "--out - : a model is saved to a file"),
    ("momentum without its optimizer", TRAIN + ["--momentum", "0.5"],
     "--momentum applies to --optimizer momentum (the optimizer is gd)"),
    ("patience without early stopping", TRAIN + ["--patience", "3"],
     "--patience applies with --early-stopping"),
    ("validation fraction without early stopping", TRAIN + ["--validation-fraction", "0.2"],
     "--validation-fraction applies with --early-stopping"),
    ("zero iterations", TRAIN[:4] + ["--iterations", "0"] + TRAIN[6:],
     "argument --iterations: iterations must be a whole number >= 1, got 0"),
    ("word iterations", TRAIN[:4] + ["--iterations", "many"] + TRAIN[6:],
     "argument --iterations: must be a whole number, got 'many'"),
    ("negative rate", TRAIN + ["--learning-rate", "-1"],
     "argument --learning-rate: learning_rate must be a finite number > 0, got -1.0"),
    ("nan rate", TRAIN + ["--learning-rate", "nan"],
     "argument --learning-rate: learning_rate must be a finite number > 0, got nan"),
    ("negative alpha", TRAIN + ["--alpha", "-0.1"],
     "argument --alpha: alpha must be a finite number >= 0, got -0.1"),
    ("momentum of 1", TRAIN + ["--optimizer", "momentum", "--momentum", "1"],
     "argument --momentum: momentum must be a number in [0, 1), got 1.0"),
    ("validation fraction of 0", TRAIN + ["--early-stopping", "--validation-fraction", "0"],
     "argument --validation-fraction: validation_fraction must be a number in (0, 1), got 0.0"),
    ("patience 0", TRAIN + ["--early-stopping", "--patience", "0"],
     "argument --patience: patience must be a whole number >= 1, got 0"),
    ("test fraction", TRAIN + ["--test-fraction", "1"],
     "argument --test-fraction: must be a number from 0 up to (not including) 1, got '1'"),
    ("hidden zero", TRAIN + ["--hidden", "0"], "argument --hidden: must be a whole number >= 1"),
    ("negative seed", TRAIN + ["--seed", "-3"],
     "argument --seed: seed must be a whole number >= 0, got -3"),
    ("unknown activation", TRAIN + ["--activation", "swish"], "invalid choice: 'swish'"),
    ("bad delimiter", TRAIN + ["--delimiter", "."],
     "argument --delimiter: the delimiter cannot be '.': it would split numbers"),
    ("long delimiter", TRAIN + ["--delimiter", ";;"],
     "argument --delimiter: the delimiter must be one character"),
    ("no out", TRAIN[:6], "the following arguments are required: --out"),
    ("out folder missing", TRAIN[:7] + ["missing/out.json"], "the folder missing does not exist"),
    ("out is a folder", TRAIN[:7] + ["folder.csv"], "is a directory"),
    ("out is the data", TRAIN[:7] + ["./data.csv"], "--out ./data.csv is the training data"),
    ("diverges", ["train", "data.csv", "--target", "size", "--regression", "--learning-rate",
                  "1e6", "--iterations", "50", "--out", "out.json"], "training diverged"),
    ("unknown command", ["frobnicate"], "invalid choice: 'frobnicate'"),
    ("unknown option", ["demo", "--colour"], "unrecognized arguments: --colour"),
    ("missing model", ["predict", "nope.json", "data.csv"], "error: nope.json: no such model file"),
    ("corrupt model", ["predict", "corrupt.json", "data.csv"], "corrupt.json: not valid JSON"),
    ("huge weight", ["predict", "big.json", "data.csv", "--target", "label"],
     "big.json: W1 row 0, column 0 is too large to be a float"),
    ("huge scaler in predict", ["predict", "huge_scaler.json", "data.csv"], "too large"),
    ("huge scaler in evaluate", ["evaluate", "huge_scaler.json", "data.csv"], "too large"),
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
    ("id is a feature", ["predict", "model.json", "data.csv", "--id", "depth"],
     "--id depth names one of the model's input columns"),
    ("missing id", ["predict", "model.json", "data.csv", "--id", "key"],
     "--id column 'key' not found"),
    ("stored target missing", ["evaluate", "model.json", "two.csv"],
     "two.csv: target column 'label' not found; the columns are 'a', 'b'"),
    ("label out of range", ["evaluate", "model.json", "labels3.csv", "--target", "label"],
     "labels3.csv: line 3, column 'label' holds 3, which is not one of the model's classes "
     "(0, 1)"),
    ("words for a model of numbers", ["evaluate", "model.json", "words.csv"],
     "words.csv: line 2, column 'label' holds 'cat', which is not one of the model's classes"),
    ("proba of a regression", ["predict", "regression.json", "data.csv", "--proba"],
     "--proba: regression.json predicts numbers (regression), not classes with probabilities"),
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
SUBPROCESS = ["not text", "bad cell", "5000 digits in train", "huge weight", "zero iterations",
              "unknown command", "label out of range", "huge scaler in predict"]


@pytest.fixture(scope="module")
def error_dir(tmp_path_factory: "pytest.TempPathFactory") -> "Path":
    """Data files with problems, and good models to try them on."""
    folder = tmp_path_factory.mktemp("errors")
    bad_files(folder)
    for args in (["--out", "model.json"], ["--regression", "--out", "regression.json"]):
        result = run_here(folder, "train", "data.csv", "--target", "label", "--iterations", "5",
                          *args)
        assert result.returncode == 0, result.stderr
    nameless = NeuralNet.load(str(folder / "model.json"))
    nameless.feature_names = nameless.target_name = None
    nameless.save(str(folder / "nameless.json"))
    model_with_a_huge_scaler(folder)
    return folder


@pytest.mark.parametrize("args,fragment", [case[1:] for case in ERRORS],
                         ids=[case[0] for case in ERRORS])
def test_bad_input_is_one_line_on_stderr_and_exit_status_2(error_dir, args, fragment) -> None:
    before = sorted(os.listdir(str(error_dir)))
    result = run_here(error_dir, *args)
    line = one_error_line(result)
    assert fragment in line
    # A failed command leaves no model file (nor a temporary one) behind.
    assert sorted(os.listdir(str(error_dir))) == before


def test_bad_input_is_the_same_line_from_a_real_process(error_dir) -> None:
    for name, args, fragment in ERRORS:
        if name in SUBPROCESS:
            result = run(error_dir, *args)
            assert one_error_line(result) == one_error_line(run_here(error_dir, *args)), name
            assert fragment in result.stderr


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


def test_an_unexpected_error_is_one_line_that_calls_itself_a_bug(tmp_path, monkeypatch) -> None:
    def broken(args: object) -> None:
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr(cli.demo, "run", broken)
    result = run_here(tmp_path, "demo")
    assert one_error_line(result) == (
        "tinynet: error: unexpected OverflowError: int too large to convert to float (a bug in "
        "tinynet: please report it; TINYNET_TRACEBACK=1 shows where it happened)")
    monkeypatch.setenv("TINYNET_TRACEBACK", "1")
    with pytest.raises(OverflowError):
        run_here(tmp_path, "demo")


def test_a_failed_train_keeps_the_previous_model(tmp_path, two_classes) -> None:
    assert run(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "5",
               "--out", "model.json").returncode == 0
    before = (tmp_path / "model.json").read_bytes()
    result = run(tmp_path, "train", "data.csv", "--target", "size", "--regression",
                 "--learning-rate", "1e6", "--out", "model.json")
    assert "training diverged" in one_error_line(result)
    assert (tmp_path / "model.json").read_bytes() == before
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv", "model.json"]


def test_ctrl_c_during_training_saves_the_model_trained_so_far(tmp_path, two_classes) -> None:
    # It sends SIGINT, which needs a POSIX system (CI runs on one, so it fails without).
    mpy.require_or_skip("SIGINT", os.name == "posix", "a POSIX system")
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
            if line.startswith("epoch"):  # an epoch has ended
                break
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, stderr
    assert stderr == ""
    match = re.search(r"^training interrupted after epoch (\d+) of 1000000: keeping the weights "
                      r"after epoch (\d+) \(Ctrl-C\); saving that model \(press Ctrl-C again "
                      r"to quit without saving\)$", stdout, re.M)
    assert match and match.group(1) == match.group(2) and int(match.group(1)) >= 1, stdout
    assert re.search(r"^test  accuracy ", stdout, re.M)
    assert stdout.endswith("saved the model to model.json\n")
    net = NeuralNet.load(str(tmp_path / "model.json"))
    assert net.classes_ == [0, 1] and len(net.predict([[0.0, 0.0, 0.0]])) == 1


class Interrupt:
    """A stand-in for Ctrl-C: raises KeyboardInterrupt on the call numbered ``at``
    (from 1); before that, each call returns None."""

    def __init__(self, at: int) -> None:
        self.at, self.calls = at, 0

    def __call__(self, *args: object) -> None:
        self.calls += 1
        if self.calls == self.at:
            raise KeyboardInterrupt


def test_a_second_ctrl_c_quits_without_saving(tmp_path, two_classes, monkeypatch) -> None:
    # The first Ctrl-C comes after epoch 4 (from the progress callback, as fit
    # allows); the second while the command scores the model, before it saves.
    from tinynet.cli import progress as progress_module, train as train_module

    monkeypatch.setattr(progress_module.Progress, "__call__", Interrupt(4))
    monkeypatch.setattr(train_module, "score_line", Interrupt(1))
    result = run_here(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "50",
                      "--out", "model.json")
    assert result.returncode == 130 and result.stderr == ""
    assert "training interrupted after epoch 4 of 50" in result.stdout
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv"]


def test_ctrl_c_before_the_first_epoch_ends_saves_nothing(tmp_path, two_classes,
                                                          monkeypatch) -> None:
    def ctrl_c(self: NeuralNet, *args: object) -> float:
        raise KeyboardInterrupt

    monkeypatch.setattr(NeuralNet, "_train_step", ctrl_c)  # in the first step of all
    result = run_here(tmp_path, "train", "data.csv", "--target", "label", "--iterations", "50",
                      "--out", "model.json")
    assert result.returncode == 130 and result.stderr == ""
    assert result.stdout.endswith("training was interrupted (Ctrl-C) before its first epoch "
                                  "ended: nothing was learned, so no model is saved\n")
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv"]


def test_ctrl_c_while_reading_exits_130_quietly(tmp_path, two_classes, monkeypatch) -> None:
    from tinynet.cli import table as table_module

    def ctrl_c(path: str) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(table_module, "read_bytes", ctrl_c)
    result = run_here(tmp_path, "train", "data.csv", "--target", "label", "--out", "m.json")
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "")
    assert sorted(os.listdir(str(tmp_path))) == ["data.csv"]

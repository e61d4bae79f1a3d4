"""ONNX and scikit-learn from the front doors: NeuralNet.from_onnx, to_onnx and from_sklearn,
and the command line's ``tinynet import`` and ``tinynet export --to onnx``.

What the files hold and how they are read is tested in test_onnx.py; here, that each door
gives the same network, writes whole files or none, and reports bad input in one line.
"""

import json
import os
import pathlib
import subprocess
import sys
import warnings

import pytest

import mpy
from test_onnx import DATA, X3, FakeMLP, assert_close, network, outputs, sklearn_forward, trained
from tinynet import modelfile
from tinynet.errors import ConvergenceWarning, ModelFileError, NotFittedError
from tinynet.network import NeuralNet
from tinynet.onnx_export import write_onnx
from tinynet.onnx_import import read_onnx

TORCH = os.path.join(DATA, "torch_tanh_sigmoid_13_8_1.onnx")
PIPELINE = os.path.join(DATA, "more", "sklearn_pipeline_scaler_3_classes.onnx")


def reference(path: str) -> dict:
    with open(path[:-len(".onnx")] + ".json") as handle:
        return json.load(handle)


def run(cwd: "pathlib.Path", *args: str, binary: bool = False) -> "subprocess.CompletedProcess":
    """``python -m tinynet ARGS`` in ``cwd``, importing tinynet from this checkout."""
    env = dict(os.environ, PYTHONPATH=mpy.REPO_ROOT)
    return subprocess.run([sys.executable, "-m", "tinynet"] + list(args), cwd=str(cwd), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=not binary, timeout=60)


def error_line(result: "subprocess.CompletedProcess") -> str:
    """The run failed as bad input should: exit 2 and one line on stderr, no traceback."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tinynet: error: "), result.stderr
    return lines[0]


# --- NeuralNet's doors --------------------------------------------------------------------


def test_from_onnx_reads_paths_and_bytes_and_predicts_what_onnxruntime_did() -> None:
    saved = reference(PIPELINE)
    with open(PIPELINE, "rb") as handle:
        data = handle.read()
    for source in (PIPELINE, pathlib.Path(PIPELINE), data):
        net = NeuralNet.from_onnx(source)
        assert (net.layers, net.activation, net.output) == ([5, 8, 3], "relu", "softmax")
        assert net.scaler is not None  # the pipeline's StandardScaler
        assert_close(net.predict_proba(saved["input"]).tolist(),
                     saved["outputs"]["probabilities"], 1e-5)


def test_from_onnx_refuses_what_read_onnx_refuses() -> None:
    with pytest.raises(ModelFileError, match="not an ONNX model: it starts like JSON"):
        NeuralNet.from_onnx(b'{"format": "tinynet-model"}')


def test_to_onnx_returns_the_bytes_and_writes_them_whole_or_not_at_all(tmp_path) -> None:
    net = trained("softmax", "tanh", scaled=True)
    data = net.to_onnx()
    assert data == write_onnx(modelfile.to_dict(net)) != net.to_onnx(dtype="float64")
    assert net.to_onnx(tmp_path / "m.onnx") == data
    assert (tmp_path / "m.onnx").read_bytes() == data
    assert_close(outputs(NeuralNet.from_onnx(str(tmp_path / "m.onnx")), X3), outputs(net, X3),
                 1e-6, 1e-7)
    # A model that cannot be written leaves the file as it was, and no temporary file.
    with pytest.raises(NotFittedError):
        NeuralNet([3, 2, 1]).to_onnx(tmp_path / "m.onnx")
    with pytest.raises(ModelFileError, match="cannot write ONNX file .*no such file"):
        net.to_onnx(tmp_path / "missing" / "m.onnx")
    assert (tmp_path / "m.onnx").read_bytes() == data
    assert sorted(os.listdir(str(tmp_path))) == ["m.onnx"]


@pytest.mark.parametrize("labels,read_back", [
    (["cat", "dog", "dog", "cat", "dog", "cat"], ["cat", "dog"]),
    ([-1, 1, 1, -1, 1, -1], [-1, 1]),
    ([2.5, 0.5, 1.5, 0.5, 2.5, 1.5], [0.5, 1.5, 2.5]),
    ([True, False, False, True, False, True], [0, 1]),  # ONNX labels: true/false as 1/0
])
def test_a_networks_classes_travel_through_onnx(labels, read_back) -> None:
    from test_onnx import MODEL, decode, one, run_decoded

    X = [[0.5, -1.0, 20.0], [1.5, 0.25, 30.0], [-2.0, 1.0, 25.0], [0.0, 0.5, 10.0],
         [3.0, -2.5, 15.0], [-1.0, -1.0, 35.0]]
    net = NeuralNet([3, 4, len(read_back) if len(read_back) > 2 else 1], iterations=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # three epochs, on purpose
        net.fit(X, labels)
    data = net.to_onnx(dtype="float64")
    back = NeuralNet.from_onnx(data)
    assert back.classes_ == read_back
    assert_close(back.predict_proba(X).tolist(), net.predict_proba(X).tolist(), 1e-12)
    graph = one(decode(data, MODEL), "graph")
    assert run_decoded(graph, X)["label"] == [read_back[net.classes_.index(label)]
                                              for label in net.predict(X)]


def test_from_sklearn_predicts_as_scikit_learn_computes() -> None:
    for out_activation, k in (("softmax", 3), ("logistic", 1), ("identity", 2)):
        est = FakeMLP(out_activation, k)
        net = NeuralNet.from_sklearn(est)
        assert net.layers == [3, 2, k] and net.activation == "tanh"
        assert_close(outputs(net, X3), sklearn_forward(est, X3), 1e-12, 1e-15)
    with pytest.raises(NotFittedError, match="fit it first"):
        NeuralNet.from_sklearn(object())


# --- the command line ------------------------------------------------------------------------


def test_import_saves_a_model_file_that_predicts_what_onnxruntime_did(tmp_path) -> None:
    result = run(tmp_path, "import", TORCH, "--out", "heart.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("wrote heart.json: layers [13, 8, 1], tanh hidden activation, "
                             "2 classes, sigmoid output, no input scaler\n")
    net = NeuralNet.load(str(tmp_path / "heart.json"))
    assert net.classes_ is None  # PyTorch's file names no classes
    result = run(tmp_path, "import", PIPELINE, "-o", "fruit.json")
    assert result.stdout == ("wrote fruit.json: layers [5, 8, 3], relu hidden activation, "
                             "3 classes, softmax output (classes 'a', 'b', 'c'), with an input "
                             "scaler\n")
    assert NeuralNet.load(str(tmp_path / "fruit.json")).predict(reference(PIPELINE)["input"]) \
        == reference(PIPELINE)["outputs"]["label"]
    saved = reference(TORCH)
    assert_close(net.predict_proba(saved["input"]).tolist(), list(saved["outputs"].values())[0],
                 1e-5)


def test_export_to_onnx_writes_a_file_or_standard_output(tmp_path) -> None:
    net = trained("linear", "relu", scaled=True)
    net.save(str(tmp_path / "model.json"))
    result = run(tmp_path, "export", "model.json", "--to", "onnx", "-o", "model.onnx")
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "model.onnx").read_bytes()
    assert data == net.to_onnx()
    assert result.stdout == "wrote model.onnx (an ONNX model, float32, %d bytes)\n" % len(data)
    piped = run(tmp_path, "export", "model.json", "--to", "onnx", "--dtype", "float64",
                binary=True)
    assert piped.returncode == 0 and piped.stdout == net.to_onnx(dtype="float64")
    d = read_onnx(piped.stdout)
    assert_close(outputs(network(d), X3), outputs(net, X3), 1e-12, 1e-9)


ERRORS = [
    ("import a text file", ["import", "notes.txt", "--out", "m.json"],
     "notes.txt': not an ONNX model: it is text"),
    ("import a missing file", ["import", "nope.onnx", "--out", "m.json"],
     "cannot read ONNX file 'nope.onnx': no such file or directory"),
    ("import a convolution", ["import", "conv.onnx", "--out", "m.json"],
     "node 'conv1' (Conv)"),
    ("import onto the ONNX file", ["import", "conv.onnx", "--out", "conv.onnx"],
     "--out conv.onnx is the ONNX file"),
    ("import onto a folder", ["import", TORCH, "--out", "folder"],
     "--out folder is a directory"),
    ("import into a missing folder", ["import", TORCH, "--out", "missing/m.json"],
     "cannot write model file 'missing/m.json'"),
    ("export onnx with a C dtype", ["export", "model.json", "--to", "onnx", "--dtype", "int8",
                                    "-o", "m.onnx"],
     "unknown dtype 'int8' for ONNX: choose float32 or float64"),
    ("export onnx with a name", ["export", "model.json", "--to", "onnx", "--name", "m",
                                 "-o", "m.onnx"],
     "--name names Python modules and C identifiers"),
    ("export onnx into a missing folder", ["export", "model.json", "--to", "onnx",
                                           "-o", "missing/m.onnx"],
     "cannot write ONNX file 'missing/m.onnx': no such file or directory"),
    ("export onnx onto a folder", ["export", "model.json", "--to", "onnx", "-o", "folder"],
     "-o folder is a directory; give a file name such as model.onnx"),
]


@pytest.mark.parametrize("args,fragment", [case[1:] for case in ERRORS],
                         ids=[case[0] for case in ERRORS])
def test_bad_input_is_one_line_and_writes_no_file(tmp_path, args, fragment) -> None:
    from test_onnx import model, node, tensor

    (tmp_path / "notes.txt").write_text("Some notes about a model, which is not ONNX.\n" * 9)
    (tmp_path / "conv.onnx").write_bytes(model([node("Conv", ["x", "W"], ["y"], name="conv1")],
                                               [tensor("W", [1], [1.0])]))
    (tmp_path / "folder").mkdir()
    trained("sigmoid").save(str(tmp_path / "model.json"))
    before = sorted(os.listdir(str(tmp_path)))
    assert fragment in error_line(run(tmp_path, *args))
    assert sorted(os.listdir(str(tmp_path))) == before


def test_a_failed_import_keeps_the_previous_model_file(tmp_path) -> None:
    (tmp_path / "model.json").write_text("previous")
    (tmp_path / "cut.onnx").write_bytes(open(TORCH, "rb").read()[:300])
    assert "truncated" in error_line(run(tmp_path, "import", "cut.onnx", "--out", "model.json"))
    assert (tmp_path / "model.json").read_text() == "previous"
    assert sorted(os.listdir(str(tmp_path))) == ["cut.onnx", "model.json"]


def test_the_commands_say_what_they_do_in_their_help(tmp_path) -> None:
    listing = run(tmp_path, "--help").stdout
    assert "import" in listing and "export" in listing
    help_import = run(tmp_path, "import", "--help").stdout
    for word in ("ONNX", "torch.onnx.export", "skl2onnx", "--out"):
        assert word in help_import
    help_export = run(tmp_path, "export", "--help").stdout
    assert "onnx" in help_export and "for onnx float32 (the default) or float64" in \
        " ".join(help_export.split())

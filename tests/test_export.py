"""Exported models (``tinynet.export``) predict like the network, without tinynet.

The Python module is run on this interpreter, on every other CPython and PyPy, on
both MicroPython builds (the board-like one at the RAM budgets), and compared with
``NeuralNet.predict_proba``. The C header is compiled with the system compiler and
a small driver written here, and compared the same way.
"""

import json
import math
import os
import shutil
import subprocess
import sys
from typing import Any, Dict, List, Optional, Sequence

import pytest

import board
import mpy
from tinynet.data import StandardScaler, train_test_split
from tinynet.datasets import HEART_COLUMNS, half_moons, heart_like
from tinynet.errors import ConfigError, ModelFileError, NotFittedError
from tinynet.export import export, to_c, to_python
from tinynet.export_c import quantised
from tinynet.export_plan import identifier, unique_identifiers
from tinynet.modelfile import save, to_dict
from tinynet.network import NeuralNet
from tinynet.rng import Random

# --- models to export ----------------------------------------------------------------


def random_rows(n_rows: int, n_cols: int, seed: int, spread: float = 3.0) -> "List[List[float]]":
    rng = Random(seed)
    return [[rng.normal() * spread + 0.5 * j for j in range(n_cols)] for _ in range(n_rows)]


def trained(layers: "List[int]", activation: str = "relu", output: str = "auto",
            scaler: bool = True, seed: int = 1, iterations: int = 30) -> "tuple[NeuralNet, list]":
    """A network fitted briefly on random data (the weights, not the fit, matter here)."""
    X = random_rows(40, layers[0], seed)
    net = NeuralNet(layers=layers, activation=activation, output=output, iterations=iterations,
                    learning_rate=0.05, seed=seed)
    if net.output == "linear":
        y: Any = [[sum(row) * (j + 1) for j in range(layers[-1])] for row in X]
        if layers[-1] == 1:
            y = [values[0] for values in y]
        net.target_scaler = StandardScaler().fit([[v] for v in y] if layers[-1] == 1 else y)
    else:
        y = [i % (2 if net.output == "sigmoid" else layers[-1]) for i in range(len(X))]
    if scaler:
        net.scaler = StandardScaler().fit(X)
    net.fit(X, y)
    return net, X


# Layers, activation, output, scaler: every output kind, every activation, no hidden
# layer, several hidden layers, a target scaler, a layer wide enough for sumprod.
MODELS = {
    "moons": ([2, 16, 1], "tanh", "sigmoid", True),
    "heart": ([13, 8, 1], "relu", "sigmoid", True),
    "deep_softmax": ([5, 7, 6, 4], "leaky_relu", "softmax", True),
    "sigmoid_hidden": ([3, 4, 3], "sigmoid", "softmax", False),
    "logistic": ([3, 1], "relu", "sigmoid", False),
    "regression": ([4, 6, 1], "tanh", "linear", True),
    "regression_2": ([3, 5, 2], "relu", "linear", True),
    "identity_hidden": ([3, 4, 2], "identity", "linear", False),
    "wide": ([40, 20, 3], "relu", "softmax", True),
}


_TRAINED: "Dict[str, tuple]" = {}


def model(name: str) -> "tuple[NeuralNet, list]":
    """A fresh copy of the network ``MODELS[name]`` (trained once per session) and its rows."""
    if name not in _TRAINED:
        layers, activation, output, scaler = MODELS[name]
        net, X = trained(layers, activation, output, scaler)
        _TRAINED[name] = (to_dict(net), X)
    d, X = _TRAINED[name]
    return NeuralNet.from_dict(json.loads(json.dumps(d))), X


def outputs(net: NeuralNet, rows: "Sequence[Sequence[float]]") -> "List[List[float]]":
    """What the exported predict_proba (or, for regression, predict) must give."""
    if net.output == "linear":
        values = net.predict(rows)
        return [v if isinstance(v, list) else [v] for v in values]
    return net.predict_proba(rows).tolist()


def assert_close(got: "Sequence[Sequence[float]]", want: "Sequence[Sequence[float]]",
                 rel: float) -> None:
    assert len(got) == len(want)
    for i, (g_row, w_row) in enumerate(zip(got, want)):
        assert len(g_row) == len(w_row), "row %d" % i
        for g, w in zip(g_row, w_row):
            assert math.isclose(g, w, rel_tol=rel, abs_tol=rel * 1e-3), (i, g, w)


def module_from(text: str, name: str = "exported") -> Dict[str, Any]:
    scope: Dict[str, Any] = {"__name__": name}
    exec(compile(text, name + ".py", "exec"), scope)
    return scope


def exported_outputs(scope: Dict[str, Any], rows: "Sequence[Sequence[float]]") -> "List[List[float]]":
    if scope["OUTPUT"] == "linear":
        values = [scope["predict"](row) for row in rows]
        return [v if isinstance(v, list) else [v] for v in values]
    return [scope["predict_proba"](row) for row in rows]


# --- Python: on this interpreter ------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_python_module_gives_the_networks_numbers(name: str) -> None:
    net, X = model(name)
    scope = module_from(to_python(net))
    rows = X[:10] + random_rows(5, net.layers[0], seed=9, spread=10.0)
    assert_close(exported_outputs(scope, rows), outputs(net, rows), 1e-12)
    assert [scope["predict"](row) for row in rows] == net.predict(rows)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_loops_over_the_packed_bytes_give_the_same_numbers(name: str) -> None:
    # MicroPython runs _forward_packed; CPython runs the straight-line code. Both here.
    net, X = model(name)
    scope = module_from(to_python(net))
    assert scope["_forward"] is not scope["_forward_packed"]
    for row in X[:10]:
        straight, packed = scope["_forward"](row), scope["_forward_packed"](row)
        if net.output == "linear" and net.layers[-1] == 1:
            straight, packed = [straight], [packed]
        assert_close([packed], [straight], 1e-12)


def test_without_docstrings_python_minus_OO_runs_the_loops(tmp_path) -> None:
    net, X = model("heart")
    to_python(net, tmp_path / "heart.py")
    code = ("import heart, json; print(heart._forward is heart._forward_packed); "
            "print(json.dumps([heart.predict_proba(r) for r in %r]))" % (X[:5],))
    result = subprocess.run([sys.executable, "-OO", "-c", code], cwd=str(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=60)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first == "True"
    assert_close(json.loads(second), outputs(net, X[:5]), 1e-12)


def test_a_layer_of_more_than_100_inputs_is_written_in_lines_of_100_terms() -> None:
    net, X = trained([230, 3, 2], "relu", "softmax", seed=4, iterations=3)
    scope = module_from(to_python(net))
    assert_close([scope["predict_proba"](row) for row in X[:4]], outputs(net, X[:4]), 1e-12)


def test_float32_weights_predict_within_single_precision() -> None:
    net, X = model("deep_softmax")
    text = to_python(net, dtype="float32")
    assert "float32" in text and len(text) < len(to_python(net))
    scope = module_from(text)
    assert_close(exported_outputs(scope, X[:10]), outputs(net, X[:10]), 1e-5)
    assert [scope["predict"](row) for row in X[:10]] == net.predict(X[:10])


def test_a_row_of_the_wrong_length_raises_value_error_on_both_paths() -> None:
    net, _ = model("heart")
    scope = module_from(to_python(net))
    for forward in (scope["predict_proba"], scope["_forward_packed"]):
        with pytest.raises(ValueError, match="a row holds 13 numbers, got 12"):
            forward([0.0] * 12)


def test_extreme_inputs_give_probabilities_not_overflow() -> None:
    net, _ = model("moons")
    scope = module_from(to_python(net))
    for value in (1e6, -1e6, 1e300, -1e300):
        for forward in (scope["predict_proba"], scope["_forward_packed"]):
            p = forward([value, -value])[0]
            assert 0.0 <= p <= 1.0
    net, _ = model("deep_softmax")
    scope = module_from(to_python(net))
    p = scope["predict_proba"]([1e8, -1e8, 1e8, 0.0, 3.0])
    assert math.isclose(sum(p), 1.0) and all(0.0 <= v <= 1.0 for v in p)


def test_a_regression_module_has_no_probabilities() -> None:
    net, X = model("regression")
    scope = module_from(to_python(net))
    assert isinstance(scope["predict"](X[0]), float)
    assert "CLASSES" not in scope
    with pytest.raises(ValueError, match="no probabilities: use predict"):
        scope["predict_proba"](X[0])


def test_both_languages_write_every_output_kind() -> None:
    from tinynet import export_c, export_python
    from tinynet.export_plan import OUTPUT_MEANINGS
    from tinynet.outputs import OUTPUT_NAMES

    for table in (export_python.OUTPUT_CODE, export_c.OUTPUT_CODE, OUTPUT_MEANINGS):
        assert sorted(table) == sorted(OUTPUT_NAMES)


def test_the_module_imports_only_math_struct_and_sys() -> None:
    for name in sorted(MODELS):
        text = to_python(model(name)[0])
        imports = [line for line in text.splitlines()
                   if line.startswith(("import ", "from ")) and " import " in line + " "]
        modules = {line.split()[1] for line in imports}
        assert modules <= {"math", "struct", "sys"}, (name, imports)
        assert "operator" not in text


# --- Python: class labels (the model file's optional "classes") -----------------------


@pytest.mark.parametrize("classes", [["no", "yes"], [-1, 1], [0.5, 2.5]])
def test_a_sigmoid_module_returns_the_model_files_class_labels(classes: list) -> None:
    net, X = model("heart")
    d = dict(to_dict(net), classes=classes)
    scope = module_from(to_python(d))
    assert scope["CLASSES"] == tuple(classes)
    assert [scope["predict"](row) for row in X] == [classes[i] for i in net.predict(X)]
    assert_close([scope["predict_proba"](row) for row in X[:5]], outputs(net, X[:5]), 1e-12)


def test_a_softmax_module_returns_the_model_files_class_labels() -> None:
    net, X = model("deep_softmax")
    labels = ["setosa", "versicolor", 'say "hi"\n', "caf\u00e9 \u2603"]
    scope = module_from(to_python(dict(to_dict(net), classes=labels)))
    assert [scope["predict"](row) for row in X] == [labels[i] for i in net.predict(X)]


def test_without_class_labels_predict_returns_class_numbers() -> None:
    net, X = model("deep_softmax")
    scope = module_from(to_python(net))
    assert scope["CLASSES"] == (0, 1, 2, 3)
    assert [scope["predict"](row) for row in X] == net.predict(X)


@pytest.mark.parametrize("classes, problem", [
    (["a", "b", "c"], "has 3 labels but a sigmoid output"),
    (["a", "a"], "names the label 'a' twice"),
    ([True, False], "a class label is a string or a number"),
    ([None, 1], "a class label is a string or a number"),
    ([float("nan"), 1.0], "must be finite"),
    ("ab", "must be a list"),
])
def test_class_labels_that_do_not_fit_are_refused(classes: object, problem: str) -> None:
    net, _ = model("heart")
    with pytest.raises(ModelFileError, match=problem):
        to_python(dict(to_dict(net), classes=classes))


def test_class_labels_on_a_regression_model_are_refused() -> None:
    net, _ = model("regression")
    with pytest.raises(ModelFileError, match="regression"):
        to_c(dict(to_dict(net), classes=["a"]))


# --- Python: what the module says about itself, and names ----------------------------

AWKWARD_NAMES = ['quote " and \'', "back\\slash", "new\nline", "*/ end of comment", "/* start",
                 '"""', "'''", "trigraph ??/", "caf\u00e9", "\U0001f600 emoji", "tab\there",
                 "1st", "a b", "a_b", "A-B"]


def awkward_model() -> NeuralNet:
    net, _ = trained([len(AWKWARD_NAMES), 3, 1], "relu", "sigmoid", seed=2, iterations=3)
    net.feature_names = list(AWKWARD_NAMES)
    net.target_name = "target */ \n"
    return net


def test_the_header_names_version_layers_activation_output_and_features() -> None:
    import tinynet

    net, _ = model("heart")
    net.feature_names = [column[0] for column in HEART_COLUMNS]
    for text, comment in ((to_python(net), "#"), (to_c(net), " *")):
        head = text[:text.index("\n\n", text.index("Layers:"))]
        assert "tinynet %s" % tinynet.__version__ in head
        assert "Do not edit" in head
        assert "[13, 8, 1]" in head and "relu" in head and "sigmoid" in head
        for column in HEART_COLUMNS:
            assert '"%s"' % column[0] in head
        assert all(line.startswith(comment) for line in head.splitlines()[1:])


def test_any_feature_name_is_safe_in_the_python_module() -> None:
    net = awkward_model()
    text = to_python(net, name="weird name!")
    scope = module_from(text)
    assert scope["FEATURES"] == tuple(AWKWARD_NAMES)
    assert all(ord(ch) < 128 for ch in text)
    assert "import weird_name" in text


def test_names_become_identifiers() -> None:
    assert identifier("heart model", "m") == "heart_model"
    assert identifier("--x--y--", "m") == "x_y"
    assert identifier("\u00e9t\u00e9", "m") == "t"
    assert identifier("42", "m") == "m_42"
    assert identifier("*/", "m") == "m"
    assert unique_identifiers(["a b", "a_b", "A-B", "x"], "m") == ["a_b", "a_b_2", "A_B_3", "x"]


# --- Python: other interpreters ------------------------------------------------------

OTHER_PYTHONS = ["pypy3", "python3.8", "python3.9", "python3.10", "python3.12", "python3.13"]


def run_module_with(python: str, folder: str, module: str, rows: list) -> "List[Any]":
    code = ("import json, %s as m\nrows = json.loads(%r)\n"
            "print(json.dumps([[m.predict_proba(r) for r in rows], [m.predict(r) for r in rows]]))"
            % (module, json.dumps(rows)))
    result = subprocess.run([python, "-c", code], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("python_name", OTHER_PYTHONS)
def test_the_python_module_runs_unchanged_on_other_interpreters(python_name, tmp_path) -> None:
    python = mpy.find_interpreters().get(python_name)
    mpy.require_or_skip(python_name, python)
    for name in ("heart", "wide", "deep_softmax"):
        net, X = model(name)
        to_python(net, tmp_path / (name + ".py"))
        proba, labels = run_module_with(python, str(tmp_path), name, X[:8])
        assert_close(proba, outputs(net, X[:8]), 1e-12)
        assert labels == net.predict(X[:8])


def test_the_python_module_runs_on_webassembly_micropython(tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    for name in ("heart", "deep_softmax", "regression_2"):
        net, X = model(name)
        to_python(net, tmp_path / (name + ".py"))
        printed = mpy.run_micropython(
            "import json, sys, %s as m\nrows = %r\nprint(sys.implementation.name)\n"
            "f = m.predict if m.OUTPUT == 'linear' else m.predict_proba\n"
            "print(json.dumps([f(r) for r in rows]))" % (name, X[:6]),
            files={"/lib/%s.py" % name: tmp_path / (name + ".py")},
        )
        implementation, values = printed.splitlines()
        assert implementation == "micropython"
        got = [v if isinstance(v, list) else [v] for v in json.loads(values)]
        assert_close(got, outputs(net, X[:6]), 1e-12)


def test_the_exporter_itself_runs_on_micropython_and_writes_the_same_module(tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    net, _ = model("heart")
    save(net, tmp_path / "heart.json")
    printed = mpy.run_micropython(
        "from tinynet.export import to_python\nprint(to_python('/heart.json'), end='')",
        files={"/heart.json": tmp_path / "heart.json"},
    )
    assert printed == to_python(tmp_path / "heart.json")


# --- Python: the board-like MicroPython, at the RAM budgets ---------------------------


def heart_model() -> "tuple[NeuralNet, Dict[str, Any], list]":
    """[13, 8, 1] as a user would deploy it: column names, a scaler, class labels."""
    X, y = heart_like(120, seed=3)
    net = NeuralNet(layers=[13, 8, 1], iterations=40, learning_rate=0.1, seed=3)
    net.scaler = StandardScaler().fit(X)
    net.feature_names = [column[0] for column in HEART_COLUMNS]
    net.target_name = "disease"
    net.fit(X, y)
    return net, dict(to_dict(net), classes=["absent", "present"]), X


def digits_like_model() -> "tuple[NeuralNet, Dict[str, Any], list]":
    """[64, 32, 10]: the size of a classifier of 8x8 images."""
    X = random_rows(50, 64, seed=5)
    net = NeuralNet(layers=[64, 32, 10], iterations=3, learning_rate=0.05, seed=5)
    net.scaler = StandardScaler().fit(X)
    net.fit(X, [i % 10 for i in range(len(X))])
    return net, to_dict(net), X


def board_folder(tmp_path, text: str, form: str) -> str:
    """A folder holding only the module ``exported``, as .py or compiled to .mpy."""
    folder = tmp_path / ("board-" + form)
    folder.mkdir()
    source = folder / "exported.py"
    source.write_text(text)
    if form == "mpy":
        cross = board.mpy_cross_binary()
        assert cross is not None
        subprocess.run([cross, "-o", str(folder / "exported.mpy"), str(source)], check=True)
        source.unlink()
    return str(folder)


BOARD_JOB = """
import exported
p = exported.predict_proba(%r)
print(repr(exported.predict(%r)))
print(" ".join(repr(v) for v in p))
"""

# (model, form, heap in KB): the budgets of issue 12.
BUDGETS = [("heart", "py", 12), ("heart", "mpy", 8), ("digits", "mpy", 48)]


@pytest.mark.parametrize("which, form, heap_kb", BUDGETS)
def test_the_python_module_fits_the_board_budget(which, form, heap_kb, tmp_path) -> None:
    board.require_board(form)
    net, d, X = heart_model() if which == "heart" else digits_like_model()
    folder = board_folder(tmp_path, to_python(d), form)
    row = X[0]
    printed = board.run_board(BOARD_JOB % (row, row), heap_kb, form, path=[folder])
    label_line, proba_line = printed.splitlines()
    want = net.predict([row])[0]
    assert eval(label_line) == (d["classes"][want] if "classes" in d else want)
    assert_close([[float(v) for v in proba_line.split()]], outputs(net, [row]), 1e-5)


def test_on_the_board_every_row_agrees_to_single_precision(tmp_path) -> None:
    board.require_board("py")
    net, d, X = heart_model()
    folder = board_folder(tmp_path, to_python(d), "py")
    printed = board.run_board(
        "import exported\nfor r in %r:\n    print(' '.join(repr(v) for v in exported.predict_proba(r)))"
        % (X[:40],), 64, "py", path=[folder])
    got = [[float(v) for v in line.split()] for line in printed.splitlines()]
    assert_close(got, outputs(net, X[:40]), 1e-5)


# --- C ------------------------------------------------------------------------------

CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2"]


def c_compiler() -> Optional[str]:
    return shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")


def compiled(tmp_path, header: str, prefix: str, n_inputs: int, n_outputs: int,
             regression: bool) -> str:
    """A program reading rows from standard input and printing what the header predicts."""
    compiler = c_compiler()
    mpy.require_or_skip("a C compiler", compiler, "install gcc (apt-get install gcc)")
    (tmp_path / (prefix + ".h")).write_text(header)
    predict = ("%s_predict_values(x, out);\n        printf(\"-1\");" % prefix if regression else
               "%s_predict_proba(x, out);\n        printf(\"%%d\", %s_predict(x));" % (prefix, prefix))
    driver = """#include <stdio.h>
#include "%(p)s.h"
int main(void)
{
    float x[%(n)d], out[%(k)d];
    int i;
    for (;;) {
        for (i = 0; i < %(n)d; i++) {
            if (scanf("%%f", &x[i]) != 1) {
                return 0;
            }
        }
        %(predict)s
        for (i = 0; i < %(k)d; i++) {
            printf(" %%.9g", out[i]);
        }
        printf("\\n");
    }
}
""" % {"p": prefix, "n": n_inputs, "k": n_outputs, "predict": predict}
    (tmp_path / "driver.c").write_text(driver)
    program = str(tmp_path / "driver")
    result = subprocess.run([compiler] + CFLAGS + [str(tmp_path / "driver.c"), "-o", program, "-lm"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True)
    assert result.returncode == 0, result.stdout
    return program


def run_c(program: str, rows: "Sequence[Sequence[float]]") -> "tuple[List[int], List[List[float]]]":
    text = "".join(" ".join(repr(v) for v in row) + "\n" for row in rows)
    result = subprocess.run([program], input=text, stdout=subprocess.PIPE,
                            universal_newlines=True, timeout=60)
    assert result.returncode == 0
    lines = [line.split() for line in result.stdout.splitlines()]
    return [int(line[0]) for line in lines], [[float(v) for v in line[1:]] for line in lines]


def c_rows(net: NeuralNet, X: list) -> list:
    """Test rows, rounded to float as the C program reads them (so both see the same input)."""
    import struct

    rows = X[:20] + random_rows(10, net.layers[0], seed=11, spread=6.0)
    return [[struct.unpack("f", struct.pack("f", v))[0] for v in row] for row in rows]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_c_header_gives_the_networks_numbers(name: str, tmp_path) -> None:
    net, X = model(name)
    regression = net.output == "linear"
    program = compiled(tmp_path, to_c(net, name=name), name, net.layers[0], net.layers[-1],
                       regression)
    rows = c_rows(net, X)
    labels, values = run_c(program, rows)
    assert_close(values, outputs(net, rows), 1e-5)
    if not regression:
        assert labels == net.predict(rows)


def test_the_c_header_compiles_with_any_names(tmp_path) -> None:
    net = awkward_model()
    header = to_c(dict(to_dict(net), classes=["*/", "??/\n"]), name="2 my-model */")
    for macro, index in (("A_B", 12), ("A_B_2", 13), ("A_B_3", 14), ("INPUT", 5),
                         ("INPUT_2", 6), ("END_OF_COMMENT", 3), ("INPUT_1ST", 11)):
        assert "#define MODEL_2_MY_MODEL_IN_%s %d " % (macro, index) in header
    # The opening comment ends where it should, after the whole description.
    end = header.index("*/")
    assert end > header.index("Classes:") and header[end:].startswith("*/\n\n#ifndef")
    program = compiled(tmp_path, header, "model_2_my_model", net.layers[0], 1, False)
    rows = random_rows(5, net.layers[0], seed=3)
    labels, values = run_c(program, rows)
    assert labels == net.predict(rows)
    assert_close(values, outputs(net, [[float(v) for v in row] for row in rows]), 1e-5)


def test_the_c_class_names_are_the_model_files_labels(tmp_path) -> None:
    net, X = model("deep_softmax")
    labels = ["zero", 'one "1"', "two\n", "caf\u00e9"]
    header = to_c(dict(to_dict(net), classes=labels), name="iris")
    compiler = c_compiler()
    mpy.require_or_skip("a C compiler", compiler, "install gcc (apt-get install gcc)")
    (tmp_path / "iris.h").write_text(header)
    (tmp_path / "names.c").write_text(
        '#include <stdio.h>\n#include "iris.h"\nint main(void)\n{\n    int c;\n'
        '    for (c = 0; c < IRIS_N_CLASSES; c++) {\n        printf("%s|", iris_class_name(c));\n'
        '    }\n    return 0;\n}\n')
    subprocess.run([compiler] + CFLAGS + [str(tmp_path / "names.c"), "-o", str(tmp_path / "names"),
                                          "-lm"], check=True)
    printed = subprocess.run([str(tmp_path / "names")], stdout=subprocess.PIPE).stdout
    assert printed.decode("utf-8") == "|".join(labels) + "|"


def opening_comment(header: str) -> str:
    """The header's first comment as one line of text."""
    body = header[:header.index("*/")]
    return " ".join(" ".join(line.strip(" */").split()) for line in body.splitlines()
                    if line.strip(" */"))


def test_the_c_header_states_the_ram_it_uses() -> None:
    net, _ = model("heart")  # scaled inputs: 13 floats; hidden layer: 8 floats
    header = to_c(net)
    assert ("RAM: 21 floats of activation buffers (84 bytes) on the stack, 84 bytes in all; "
            "no heap" in opening_comment(header))
    assert "float a[13], b[8];" in header
    int8 = opening_comment(to_c(net, dtype="int8"))  # and the widest layer's quantised input
    assert "(84 bytes) and 13 int8 of quantised inputs (13 bytes) on the stack, 97 bytes" in int8
    net, _ = model("logistic")  # no scaler, no hidden layer: nothing to hold
    header = to_c(net)
    assert "no buffers" in opening_comment(header) and "float a[" not in header
    assert "malloc" not in header and header.count("#include") == 1


def test_int8_weights_are_within_half_a_step() -> None:
    weights = [0.5, -1.27, 0.0, 0.013, 1.0]
    q, scale = quantised(weights)
    assert math.isclose(scale, 1.27 / 127)
    assert q[1] == -127 and q[2] == 0
    assert all(abs(w - qi * scale) <= scale / 2 + 1e-15 for w, qi in zip(weights, q))
    assert quantised([0.0, 0.0]) == ([0, 0], 1.0)


def demo_network(seed: int) -> "tuple[NeuralNet, list, list]":
    """The network ``python3 -m tinynet demo`` trains (tinynet/cli.py run_demo)."""
    X, y = half_moons(200, noise=0.2, seed=seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, seed=seed, stratify=True)
    net = NeuralNet(layers=[2, 16, 1], activation="tanh", optimizer="adam", learning_rate=0.02,
                    iterations=300, seed=seed)
    net.scaler = StandardScaler().fit(X_train)
    net.fit(X_train, y_train)
    return net, X_test, y_test


def test_int8_keeps_the_demo_accuracy_within_one_point(tmp_path) -> None:
    net, X_test, y_test = demo_network(seed=0)
    program = compiled(tmp_path, to_c(net, name="moons", dtype="int8"), "moons", 2, 1, False)
    fresh_X, fresh_y = half_moons(2000, noise=0.2, seed=100)  # the same data, more of it
    for X, y in ((X_test, y_test), (fresh_X, fresh_y)):
        labels, _ = run_c(program, X)
        float_accuracy = sum(a == b for a, b in zip(net.predict(X), y)) / len(y)
        int8_accuracy = sum(a == b for a, b in zip(labels, y)) / len(y)
        assert abs(int8_accuracy - float_accuracy) <= 0.01, (float_accuracy, int8_accuracy)


def test_int8_weights_take_a_quarter_of_the_bytes() -> None:
    net, _ = model("heart")
    float_header, int8_header = to_c(net), to_c(net, dtype="int8")
    assert "static const float model_w1[104]" in float_header
    assert "static const signed char model_w1[104]" in int8_header
    assert "112 weights in 112 bytes" in opening_comment(int8_header)
    assert "112 weights and 9 biases (484 bytes)" in opening_comment(float_header)


# --- the API: inputs, files and failures ---------------------------------------------


def test_a_model_file_path_a_dict_and_a_network_export_alike(tmp_path) -> None:
    net, _ = model("heart")
    save(net, tmp_path / "heart.json")
    from_path = to_python(str(tmp_path / "heart.json"))
    assert from_path == to_python(net) == to_python(to_dict(net))
    assert to_c(tmp_path / "heart.json") == to_c(net)


def test_path_writes_the_text_and_names_it_after_the_file(tmp_path) -> None:
    net, _ = model("heart")
    text = to_c(net, tmp_path / "heart_model.h")
    assert (tmp_path / "heart_model.h").read_text() == text
    assert "static inline int heart_model_predict(const float *x)" in text
    assert "import heart_model" in to_python(net, tmp_path / "heart_model.py")
    assert sorted(os.listdir(tmp_path)) == ["heart_model.h", "heart_model.py"]


@pytest.mark.parametrize("call, problem", [
    (lambda net: export(net, "java"), "unknown export target 'java': choose python or c"),
    (lambda net: to_python(net, dtype="int8"), "unknown dtype 'int8' for Python"),
    (lambda net: to_c(net, dtype="float64"), "unknown dtype 'float64' for C"),
])
def test_unknown_targets_and_dtypes_are_config_errors(call, problem: str) -> None:
    net, _ = model("logistic")
    with pytest.raises(ConfigError, match=problem):
        call(net)


def test_a_model_file_that_does_not_load_is_a_model_file_error(tmp_path) -> None:
    with pytest.raises(ModelFileError, match="no such model file"):
        to_python(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text('{"format": "tinynet-model", "version": 1, "lay')
    with pytest.raises(ModelFileError, match="not valid JSON"):
        to_c(tmp_path / "bad.json")
    with pytest.raises(ModelFileError, match="not a tinynet model"):
        to_c({"format": "other"})
    with pytest.raises(NotFittedError):
        to_c(NeuralNet(layers=[2, 2, 1]))


def test_an_unwritable_path_is_an_error_and_leaves_no_file(tmp_path) -> None:
    net, _ = model("logistic")
    target = tmp_path / "no" / "such" / "folder" / "m.py"
    with pytest.raises(ModelFileError, match="cannot write"):
        to_python(net, target)
    assert not (tmp_path / "no").exists()


def test_a_failed_export_leaves_the_old_file_untouched(tmp_path, monkeypatch) -> None:
    net, _ = model("logistic")
    target = tmp_path / "m.h"
    target.write_text("old")

    def failing_rename(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_rename)
    with pytest.raises(ModelFileError, match="no space left on device"):
        to_c(net, target)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["m.h"]


def test_a_weight_too_large_for_float32_is_refused_before_writing(tmp_path) -> None:
    net, _ = model("logistic")
    d = to_dict(net)
    d["params"]["W1"][0][0] = 1e39
    with pytest.raises(ConfigError, match="too large for a 32-bit float"):
        to_c(d, tmp_path / "m.h")
    with pytest.raises(ConfigError, match="too large for a 32-bit float"):
        to_python(d, tmp_path / "m.py", dtype="float32")
    assert os.listdir(tmp_path) == []
    assert module_from(to_python(d))["predict_proba"]([1.0, 2.0, 3.0]) == [1.0]  # float64 holds it


# --- the example ---------------------------------------------------------------------


def test_the_deploy_example_exports_and_runs_the_module(tmp_path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, os.path.join(mpy.REPO_ROOT, "examples", "deploy.py")],
        cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "the exported module agrees with the network on all" in result.stdout
    assert (tmp_path / "moons_model.py").exists() and (tmp_path / "moons_model.h").exists()

"""``tinynet.predictor.load`` and ``Predictor``: the board's way to predict from a model file.

* The same predictions as ``NeuralNet.load(...).predict`` (probabilities to 1e-12 on
  CPython) for every output kind, activation and scaler, from files that put their
  keys in any order and their whitespace anywhere.
* Every file ``NeuralNet.load`` refuses is refused too (``ModelFileError``, the path
  first), apart from the training settings, which a prediction does not read.
* On MicroPython's WebAssembly build the numbers are the same to 1e-12; on the
  single-precision board-like build, to 1e-5, with the same labels.
"""

import json
import math
import os
import sys

import pytest

import board
import mpy
import test_modelfile
from datasets import blobs, heart_like, linear_map, spiral
from tinynet import ModelFileError, NeuralNet, StandardScaler
from tinynet.errors import ConfigError, DataError, ShapeError
from tinynet.predictor import load


def sigmoid_model() -> "tuple[NeuralNet, list]":
    X, y = heart_like(80, seed=3)
    net = NeuralNet(layers=[13, 8, 1], learning_rate=0.1, iterations=40, seed=2)
    net.scaler = StandardScaler().fit(X)
    net.feature_names = ["f%d" % i for i in range(13)]
    net.target_name = "disease"
    return net.fit(X, y), X


def softmax_model() -> "tuple[NeuralNet, list]":
    X, y = spiral(30, classes=3, seed=4)
    net = NeuralNet(layers=[2, 10, 6, 3], learning_rate=0.05, iterations=60, seed=5,
                    activation="tanh", optimizer="adam", batch_size=16)
    return net.fit(X, y), X


def leaky_softmax_model() -> "tuple[NeuralNet, list]":
    X, y = blobs(20, centers=[[0, 0], [3, 3], [0, 4], [4, 0]], seed=6)
    net = NeuralNet(layers=[2, 5, 4], learning_rate=0.2, iterations=30, seed=7,
                    activation="leaky_relu")
    return net.fit(X, y), X


def sigmoid_hidden_model() -> "tuple[NeuralNet, list]":
    X, y = heart_like(40, seed=8)
    net = NeuralNet(layers=[13, 4, 1], learning_rate=0.5, iterations=30, seed=9,
                    activation="sigmoid")
    net.scaler = StandardScaler().fit(X)
    return net.fit(X, y), X


def linear_model() -> "tuple[NeuralNet, list]":
    X, Y = linear_map(30, weights=[[2.0, -1.0], [0.5, 3.0], [1.0, 1.0]], bias=[100.0, -50.0],
                      seed=10)
    net = NeuralNet(layers=[3, 6, 2], learning_rate=0.05, iterations=80, seed=11,
                    output="linear", activation="leaky_relu")
    net.scaler = StandardScaler().fit(X)
    net.target_scaler = StandardScaler().fit(Y)
    return net.fit(X, Y), X


def identity_hidden_model() -> "tuple[NeuralNet, list]":
    X, y = blobs(20, centers=[[0, 0], [3, 3]], seed=12)
    net = NeuralNet(layers=[2, 3, 1], learning_rate=0.1, iterations=30, seed=12,
                    activation="identity")
    return net.fit(X, y), X


MODELS = {
    "sigmoid": sigmoid_model,
    "softmax": softmax_model,
    "leaky softmax": leaky_softmax_model,
    "sigmoid hidden": sigmoid_hidden_model,
    "linear": linear_model,
    "identity hidden": identity_hidden_model,
}


def outputs(net: NeuralNet, X: list) -> list:
    """What a model computes: probabilities, or values for a linear output."""
    if net.output == "linear":
        return [row if isinstance(row, list) else [row] for row in net.predict(X)]
    return net.predict_proba(X).tolist()


def predictor_outputs(model: object, X: list) -> list:
    if model.output == "linear":  # type: ignore[attr-defined]
        return [row if isinstance(row, list) else [row]
                for row in model.predict(X)]  # type: ignore[attr-defined]
    return model.predict_proba(X)  # type: ignore[attr-defined]


def assert_close(got: list, want: list, rel: float, absolute: float = 0.0) -> None:
    assert len(got) == len(want)
    for got_row, want_row in zip(got, want):
        assert len(got_row) == len(want_row)
        for a, b in zip(got_row, want_row):
            assert math.isclose(a, b, rel_tol=rel, abs_tol=absolute), (a, b)


# --- the same predictions on CPython ---------------------------------------------------


def test_the_predictor_knows_every_hidden_activation_the_network_has() -> None:
    from tinynet.activations import HIDDEN_ACTIVATIONS
    from tinynet.forward import HIDDEN

    assert sorted(HIDDEN) == sorted(HIDDEN_ACTIVATIONS)


@pytest.mark.parametrize("kind", MODELS)
def test_a_saved_model_predicts_as_neural_net_does(tmp_path, kind) -> None:
    net, X = MODELS[kind]()
    path = str(tmp_path / "model.json")
    net.save(path)
    model = load(path)
    assert model.layers == net.layers and model.output == net.output
    assert_close(predictor_outputs(model, X), outputs(NeuralNet.load(path), X), rel=1e-12)
    if net.output_layer.is_classifier:
        assert model.predict(X) == NeuralNet.load(path).predict(X)
    else:  # values: the predictor adds term by term, math.sumprod (3.12+) rounds once
        assert_close(model.predict(X), NeuralNet.load(path).predict(X), rel=1e-12)
    assert model.features == net.feature_names and model.target == net.target_name


def reformatted(d: dict) -> "list[str]":
    """The same model as text laid out in other ways a program might write it."""
    reversed_keys = dict(reversed(list(d.items())))
    reversed_keys["params"] = dict(reversed(list(d["params"].items())))
    return [
        json.dumps(d),
        json.dumps(d, separators=(",", ":")),
        json.dumps(d, indent=1, sort_keys=True),
        json.dumps(reversed_keys, indent="\t").replace("\n", "\r\n"),
        json.dumps(d, ensure_ascii=False),
    ]


def test_keys_in_any_order_and_any_layout_give_the_same_model(tmp_path) -> None:
    net, X = sigmoid_model()
    net.feature_names = ["\u00e9t\u00e9 \"%d\" \\" % i for i in range(13)]  # escapes to read
    reference = outputs(net, X)
    for i, text in enumerate(reformatted(net.to_dict())):
        path = tmp_path / ("model%d.json" % i)
        path.write_text(text, encoding="utf-8")
        model = load(str(path))
        assert_close(predictor_outputs(model, X), reference, rel=1e-12)
        assert model.features == net.feature_names


def test_only_the_keys_needed_to_predict_are_required(tmp_path) -> None:
    net, X = linear_model()
    d = net.to_dict()
    for key in ("training", "scaler", "target_scaler", "features", "target"):
        del d[key]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(d))
    assert_close(predictor_outputs(load(str(path)), X), outputs(NeuralNet.load(str(path)), X),
                 rel=1e-12)


def test_whole_number_weights_are_read_as_floats(tmp_path) -> None:
    d = test_modelfile.valid_dict()
    d["params"]["W1"] = [[1, -2, 0, 3], [2, 1, -1, 0]]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(d))
    assert load(str(path)).predict_proba([[0.5, 2.0]]) == \
        NeuralNet.load(str(path)).predict_proba([[0.5, 2.0]]).tolist()


def test_a_version_2_file_gives_its_class_labels(tmp_path) -> None:
    net, X = softmax_model()
    d = net.to_dict()
    d["version"] = 2
    d["classes"] = ["setosa", "versicolor", "virginica"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(d))
    model = load(str(path))
    assert model.predict(X) == [d["classes"][i] for i in net.predict(X)]
    assert model.classes == ["setosa", "versicolor", "virginica"]
    assert NeuralNet.load(str(path)).predict(X) == model.predict(X)


def test_a_pathlib_path_is_accepted(tmp_path) -> None:
    net, X = sigmoid_model()
    net.save(str(tmp_path / "model.json"))
    assert load(tmp_path / "model.json").predict(X) == net.predict(X)  # type: ignore[arg-type]


# --- refusing what is not a model ----------------------------------------------------------


def reads_training_settings(contents: object) -> bool:
    """Whether the case's problem is in the training settings, which a prediction does not read."""
    valid = test_modelfile.valid_dict()
    return (isinstance(contents, dict) and isinstance(contents.get("training"), dict)
            and contents["training"] != valid["training"])


REFUSED = [case for case in test_modelfile.BAD_CONTENTS
           if not reads_training_settings(case[1]) and case[0] != "newer version"]


@pytest.mark.parametrize("contents", [case[1] for case in REFUSED], ids=[c[0] for c in REFUSED])
def test_every_file_neural_net_refuses_is_refused(tmp_path, contents) -> None:
    path = str(tmp_path / "model.json")
    with open(path, "w") as handle:
        json.dump(contents, handle)
    with pytest.raises(ModelFileError) as caught:
        NeuralNet.load(path)
    with pytest.raises(ModelFileError) as refused:
        load(path)
    assert str(refused.value).startswith(path + ": ")


def test_the_cases_left_out_are_only_training_settings_and_version_2() -> None:
    left_out = [case[0] for case in test_modelfile.BAD_CONTENTS if case not in REFUSED]
    assert "newer version" in left_out and "bad learning rate" in left_out
    assert all("training" in json.dumps(case[1]) for case in test_modelfile.BAD_CONTENTS
               if case not in REFUSED)


@pytest.mark.parametrize("change,fragments", [
    ({"version": 3}, ["version 3", "newer tinynet", "upgrade"]),
    ({"classes": ["a", "b", "c"]}, ["'classes' must be null or", "its 2 labels"]),
    ({"classes": ["a", "a"]}, ["'classes'", "sorted order"]),
    ({"classes": [True, False]}, ["'classes'"]),
    ({"classes": [0, "a"]}, ["'classes'"]),
    ({"classes": [float("nan"), 1.0]}, ["'classes'"]),
    ({"version": 1, "classes": [0, 1]}, ["unexpected key(s) 'classes'"]),
    ({"features": ["a", "b"], "target": "a"}, ["'target'"]),
])
def test_version_2_files_are_checked_too(tmp_path, change, fragments) -> None:
    d = test_modelfile.valid_dict()
    d["version"] = 2
    d.update(change)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ModelFileError) as refused:
        load(str(path))
    for fragment in fragments:
        assert fragment in str(refused.value)


def test_classes_of_a_regression_model_are_refused(tmp_path) -> None:
    net, _ = linear_model()
    d = net.to_dict()
    d.update(version=2, classes=["low", "high"])
    path = tmp_path / "model.json"
    path.write_text(json.dumps(d))
    with pytest.raises(ModelFileError, match="for a classifier"):
        load(str(path))


@pytest.mark.parametrize("text,fragment", [
    (b"", "the model file is empty"),
    (b"  \n", "the model file is empty"),
    (b"hello", "not valid JSON"),
    (b"\xff\xfe\x00{", "not valid JSON"),
    (b"{'format': 'tinynet-model'}", "not valid JSON"),
    (b"[1, 2]", "must be a JSON object, got [1, 2]"),
    (b"[" * 100000 + b"]" * 100000, "nested more than"),
])
def test_a_file_that_is_not_a_json_object_is_refused(tmp_path, text, fragment) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(text)
    with pytest.raises(ModelFileError, match=fragment.replace("[", "\\[")):
        load(str(path))


@pytest.mark.parametrize("repeated", ["W1", "format", "scaler"])
def test_a_key_named_twice_is_refused_as_neural_net_load_refuses_it(tmp_path, repeated) -> None:
    net, _ = sigmoid_model()
    net.scaler = StandardScaler().fit([[0.0, 1.0], [2.0, 3.0]])
    d = net.to_dict()
    text = json.dumps(d)
    if repeated in d:  # a top-level key, written again at the end
        text = text[:-1] + ", %s: %s}" % (json.dumps(repeated), json.dumps(d[repeated]))
    else:  # a weight, written again at the start of params
        text = text.replace('"params": {', '"params": {"%s": %s, '
                            % (repeated, json.dumps(d["params"][repeated])))
    assert text.count('"%s"' % repeated) == 2
    path = tmp_path / "model.json"
    path.write_text(text)
    with pytest.raises(ModelFileError, match="the key '%s' appears twice" % repeated):
        NeuralNet.load(str(path))
    with pytest.raises(ModelFileError, match="the key '%s' appears twice" % repeated):
        load(str(path))


@pytest.mark.parametrize("keep", [0.0005, 0.1, 0.5, 0.9, 0.999])
def test_a_truncated_file_is_refused(tmp_path, keep) -> None:
    net, _ = softmax_model()
    path = tmp_path / "model.json"
    net.save(str(path))
    text = path.read_bytes()
    path.write_bytes(text[: max(1, int(len(text) * keep))])
    with pytest.raises(ModelFileError, match="not valid JSON.*truncated"):
        load(str(path))


def test_missing_files_and_folders_are_named_in_words(tmp_path) -> None:
    missing = str(tmp_path / "nope.json")
    with pytest.raises(ModelFileError, match="^%s: no such model file$" % missing):
        load(missing)
    with pytest.raises(ModelFileError, match="cannot read the model file") as caught:
        load(str(tmp_path))
    assert not any(c.isdigit() for c in str(caught.value).replace(str(tmp_path), ""))


# --- the Predictor itself --------------------------------------------------------------------


def test_bad_rows_are_refused_naming_the_row(tmp_path) -> None:
    net, X = sigmoid_model()
    net.save(str(tmp_path / "model.json"))
    model = load(str(tmp_path / "model.json"))
    with pytest.raises(DataError, match="non-empty list of rows"):
        model.predict([])
    with pytest.raises(DataError, match="non-empty list of rows"):
        model.predict("rows")
    with pytest.raises(DataError, match="X row 1 must be a list of 13 numbers"):
        model.predict([X[0], X[1][:12] + ["7"]])
    with pytest.raises(DataError, match=r"wrap a single sample as \[sample\]"):
        model.predict(X[0])
    with pytest.raises(ShapeError, match="X row 0 has 12 values but the network has 13 inputs"):
        model.predict([X[0][:12]])
    with pytest.raises(DataError, match="X row 0, column 2 is nan"):
        model.predict([X[0][:2] + [float("nan")] + X[0][3:]])
    with pytest.raises(DataError, match="X row 0 must be a list"):
        model.predict([X[0][:12] + [True]])


def test_a_regression_model_has_no_probabilities(tmp_path) -> None:
    net, X = linear_model()
    net.save(str(tmp_path / "model.json"))
    with pytest.raises(ConfigError, match="no probabilities"):
        load(str(tmp_path / "model.json")).predict_proba(X)


def test_rows_of_any_number_type_are_accepted(tmp_path) -> None:
    from fractions import Fraction

    net, X = leaky_softmax_model()
    net.save(str(tmp_path / "model.json"))
    model = load(str(tmp_path / "model.json"))
    rows = [tuple(Fraction(x).limit_denominator(1000) for x in row) for row in X[:5]]
    assert model.predict(rows) == net.predict([[float(x) for x in row] for row in rows])


def test_loading_leaves_the_reading_modules_as_it_found_them(tmp_path) -> None:
    net, _ = sigmoid_model()
    net.save(str(tmp_path / "model.json"))
    saved = {name: sys.modules.pop(name) for name in list(sys.modules)
             if name in ("tinynet.modelreader", "tinynet.modelcheck", "tinynet.jsonreader")}
    try:
        load(str(tmp_path / "model.json"))
        assert not [name for name in ("tinynet.modelreader", "tinynet.modelcheck",
                                      "tinynet.jsonreader") if name in sys.modules]
        import tinynet.jsonreader  # noqa: F401  (imported before: kept)

        load(str(tmp_path / "model.json"))
        assert "tinynet.jsonreader" in sys.modules
    finally:
        sys.modules.update(saved)


# --- on MicroPython: WebAssembly (double precision) and board-like (single precision) ---------

PREDICT_SCRIPT = """
import json
from tinynet.predictor import load
model = load("model.json")
X = json.loads(%r)
if model.output == "linear":
    print(json.dumps([r if isinstance(r, list) else [r] for r in model.predict(X)]))
else:
    print(json.dumps(model.predict_proba(X)))
print(json.dumps(model.predict(X)))
"""


@pytest.mark.parametrize("kind", MODELS)
def test_micropython_webassembly_predicts_the_same_numbers(tmp_path, kind) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    net, X = MODELS[kind]()
    net.save(str(tmp_path / "model.json"))
    script = "import os\nos.chdir('/')\n" + PREDICT_SCRIPT % json.dumps(X)
    printed = mpy.run_micropython(script, files={"/model.json": tmp_path / "model.json"})
    got, labels = [json.loads(line) for line in printed.splitlines()]
    assert_close(got, outputs(net, X), rel=1e-12, absolute=1e-300)
    assert labels == net.predict(X) or net.output == "linear"


@pytest.mark.parametrize("form", board.FORMS)
@pytest.mark.parametrize("kind", MODELS)
def test_single_precision_board_predicts_within_1e_5_with_the_same_labels(tmp_path, kind,
                                                                          form) -> None:
    board.require_board(form)
    net, X = MODELS[kind]()
    net.save(str(tmp_path / "model.json"))
    printed = board.run_board(PREDICT_SCRIPT % json.dumps(X), 512, form,
                              files={"model.json": tmp_path / "model.json"})
    got, labels = [json.loads(line) for line in printed.splitlines()]
    # Regression values near 0 are compared on the targets' scale, not relatively.
    assert_close(got, outputs(net, X), rel=1e-5, absolute=1e-5 if net.output == "linear" else 0)
    if net.output == "linear":
        return
    assert labels == net.predict(X)

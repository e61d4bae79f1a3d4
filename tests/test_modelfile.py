"""Saving and loading networks: exact round trips, refusing bad files, atomic writes."""

import io
import json
import math
import os
import re

import pytest

import mpy
from tinynet import files, modelfile
from tinynet.data import StandardScaler
from tinynet.errors import DataError, ModelFileError, NotFittedError
from tinynet.matrix import Matrix
from tinynet.network import NeuralNet

README = os.path.join(mpy.REPO_ROOT, "README.md")

X3 = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.0], [0.0, 0.0, 1.0],
      [3.0, -2.5, 1.5], [-1.0, -1.0, -1.0]]


def trained(output: str, with_scaler: bool) -> "tuple[NeuralNet, list]":
    """A small network of each output kind, trained a little, with its data."""
    if output == "sigmoid":
        net = NeuralNet(layers=[3, 4, 1], learning_rate=0.3, iterations=20, seed=5)
        y: list = [0, 1, 1, 0, 1, 0]
    elif output == "softmax":
        net = NeuralNet(layers=[3, 5, 4, 3], learning_rate=0.2, iterations=20, seed=6,
                        activation="tanh", optimizer="adam", batch_size=4)
        y = [0, 1, 2, 1, 0, 2]
    else:
        net = NeuralNet(layers=[3, 4, 2], learning_rate=0.05, iterations=20, seed=7,
                        output="linear", activation="leaky_relu", alpha=0.01)
        y = [[0.5, 1.0], [1.0, -1.0], [2.0, 0.0], [0.0, 0.25], [1.5, 1.5], [-1.0, 2.0]]
    if with_scaler:
        net.scaler = StandardScaler().fit([[row[0] * 100, row[1], row[2] + 7] for row in X3])
        if output == "linear":
            net.target_scaler = StandardScaler().fit([[a * 1000 + 5e4, b] for a, b in y])
            y = [[a * 1000 + 5e4, b] for a, b in y]
        net.feature_names, net.target_name = ["x", "y (cm)", "z\u00e9"], "label"
    net.fit(X3, y)
    return net, y


def outputs(net: NeuralNet, X: object) -> Matrix:
    """What the network computes for X: probabilities, or values for a linear output."""
    if net.output == "linear":
        return Matrix(net.predict(X))
    return net.predict_proba(X)


KINDS = [(output, scaled) for output in ("sigmoid", "softmax", "linear") for scaled in (False, True)]


# --- round trips ---------------------------------------------------------------------


@pytest.mark.parametrize("output,with_scaler", KINDS)
def test_loaded_model_predicts_bit_for_bit_the_same(tmp_path, output, with_scaler) -> None:
    net, _ = trained(output, with_scaler)
    path = str(tmp_path / "model.json")
    net.save(path)
    loaded = NeuralNet.load(path)
    new_X = [[0.1, 0.2, 0.3], [-5.0, 7.5, 1e-3], [123.0, -0.001, 4.0]]
    assert outputs(loaded, new_X) == outputs(net, new_X)  # exact, not approximate
    assert outputs(loaded, X3) == outputs(net, X3)
    assert loaded.predict(X3) == net.predict(X3)
    for name in net.param_names:
        assert loaded.params[name] == net.params[name]


@pytest.mark.parametrize("output,with_scaler", KINDS)
def test_to_dict_from_dict_round_trip_is_exact_and_plain_json(output, with_scaler) -> None:
    net, _ = trained(output, with_scaler)
    d = net.to_dict()
    assert json.loads(json.dumps(d)) == d  # nothing but dicts, lists, strings, numbers
    copy = NeuralNet.from_dict(d)
    assert outputs(copy, X3) == outputs(net, X3)
    assert copy.to_dict() == d


@pytest.mark.parametrize("output,with_scaler", KINDS)
def test_saving_a_loaded_model_writes_the_same_bytes(tmp_path, output, with_scaler) -> None:
    net, _ = trained(output, with_scaler)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    net.save(str(first))
    NeuralNet.load(str(first)).save(str(second))
    assert first.read_bytes() == second.read_bytes()


def test_the_saved_file_parses_to_to_dict(tmp_path) -> None:
    net, _ = trained("softmax", True)
    path = tmp_path / "model.json"
    net.save(str(path))
    assert json.loads(path.read_text()) == net.to_dict()


def test_the_scaler_is_saved_and_applied_to_raw_features(tmp_path) -> None:
    net, y = trained("sigmoid", True)
    path = str(tmp_path / "model.json")
    net.save(path)
    loaded = NeuralNet.load(path)
    assert loaded.scaler is not None and net.scaler is not None
    assert loaded.scaler.mean == net.scaler.mean and loaded.scaler.scale == net.scaler.scale
    # The same weights without the scaler need the scaled features to agree.
    bare = NeuralNet.from_dict(dict(net.to_dict(), scaler=None))
    assert bare.scaler is None
    assert outputs(bare, net.scaler.transform(X3)) == outputs(loaded, X3)
    assert outputs(bare, X3) != outputs(loaded, X3)


def test_the_target_scaler_is_saved_and_predictions_come_back_in_its_units(tmp_path) -> None:
    net, y = trained("linear", True)
    assert net.target_scaler is not None
    path = str(tmp_path / "model.json")
    net.save(path)
    loaded = NeuralNet.load(path)
    assert loaded.target_scaler is not None
    assert loaded.target_scaler.mean == net.target_scaler.mean
    assert loaded.target_scaler.scale == net.target_scaler.scale
    assert loaded.predict(X3) == net.predict(X3)  # bit for bit, in the targets' units
    assert loaded.score(X3, y) == net.score(X3, y)
    assert 40000.0 < min(row[0] for row in net.predict(X3))
    # Without it the same weights give the scaled values.
    bare = NeuralNet.from_dict(dict(net.to_dict(), target_scaler=None))
    assert net.target_scaler.inverse_transform(bare.predict(X3)) == Matrix(loaded.predict(X3))


def test_column_names_are_saved_and_loaded() -> None:
    net, _ = trained("softmax", True)
    d = net.to_dict()
    assert d["features"] == ["x", "y (cm)", "z\u00e9"] and d["target"] == "label"
    copy = NeuralNet.from_dict(json.loads(modelfile.to_json(net)))
    assert copy.feature_names == ["x", "y (cm)", "z\u00e9"] and copy.target_name == "label"
    plain, _ = trained("softmax", False)
    d = plain.to_dict()
    assert (d["target_scaler"], d["features"], d["target"]) == (None, None, None)
    copy = NeuralNet.from_dict(d)
    assert (copy.target_scaler, copy.feature_names, copy.target_name) == (None, None, None)


OPTIONAL_KEYS = ("classes", "training", "scaler", "target_scaler", "features", "target")


def test_only_the_keys_needed_to_predict_are_required() -> None:
    assert modelfile.REQUIRED_KEYS == tuple(k for k in modelfile.KEYS if k not in OPTIONAL_KEYS)
    net, _ = trained("sigmoid", False)
    d = net.to_dict()
    for key in OPTIONAL_KEYS:
        del d[key]
    loaded = NeuralNet.from_dict(d)
    assert outputs(loaded, X3) == outputs(net, X3)
    assert loaded.learning_rate == NeuralNet().learning_rate  # training {}: the defaults
    assert (loaded.scaler, loaded.target_scaler, loaded.feature_names, loaded.target_name) == (
        None, None, None, None)
    # ... and saving it writes every key again.
    assert list(json.loads(modelfile.to_json(loaded))) == list(modelfile.KEYS)


@pytest.mark.parametrize("key", OPTIONAL_KEYS)
def test_each_optional_key_may_be_left_out_of_a_file(tmp_path, key) -> None:
    net, _ = trained("linear", True)
    d = net.to_dict()
    del d[key]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(d))
    loaded = NeuralNet.load(str(path))
    if key in ("training", "features", "target"):
        assert loaded.predict(X3) == net.predict(X3)


def test_column_names_and_a_target_scaler_that_do_not_fit_are_refused_before_writing(
        tmp_path) -> None:
    net, _ = trained("sigmoid", True)
    net.feature_names = ["a", "b"]
    with pytest.raises(ModelFileError, match="cannot save: 'features' names 2 columns but the "
                                             "network has 3 inputs"):
        net.save(str(tmp_path / "model.json"))
    net.feature_names = ["a", "b", "a"]
    with pytest.raises(ModelFileError, match="cannot save: 'features' names the column 'a' twice"):
        net.to_dict()
    net.feature_names, net.target_name = ["a", "b", "c"], "c"
    with pytest.raises(ModelFileError, match="cannot save: 'target' 'c' is also one of"):
        net.to_dict()
    net.target_name = None
    net.feature_names = ("a", "b", "c")  # type: ignore[assignment]
    assert net.to_dict()["features"] == ["a", "b", "c"]
    net.target_scaler = StandardScaler().fit([[1.0], [2.0]])
    with pytest.raises(ModelFileError, match="cannot save: a target_scaler is only for a linear"):
        net.to_dict()
    net, _ = trained("linear", True)
    assert net.target_scaler is not None and net.target_scaler.scale is not None
    net.target_scaler.scale[0] = float("nan")
    with pytest.raises(ModelFileError, match="target_scaler scale position 0 is nan"):
        net.save(str(tmp_path / "model.json"))
    assert os.listdir(str(tmp_path)) == []


def test_settings_survive_the_round_trip(tmp_path) -> None:
    net, _ = trained("softmax", False)
    path = str(tmp_path / "model.json")
    net.save(path)
    loaded = NeuralNet.load(path)
    for name in modelfile.TRAINING_SETTINGS:
        assert getattr(loaded, name) == getattr(net, name), name
    assert (loaded.layers, loaded.activation, loaded.output) == ([3, 5, 4, 3], "tanh", "softmax")
    assert loaded.optimizer == "adam" and loaded.batch_size == 4


def test_a_loaded_model_can_keep_training(tmp_path) -> None:
    net, y = trained("softmax", True)
    path = str(tmp_path / "model.json")
    net.save(path)
    loaded = NeuralNet.load(path)
    before = loaded.params["W1"].copy()
    loaded.partial_fit(X3, y)
    assert loaded.params["W1"] != before
    assert len(loaded.loss) == 1


def test_paths_may_be_pathlib_paths(tmp_path) -> None:
    net, _ = trained("sigmoid", True)
    net.save(tmp_path / "model.json")
    assert outputs(NeuralNet.load(tmp_path / "model.json"), X3) == outputs(net, X3)


def test_load_returns_the_class_it_is_called_on(tmp_path) -> None:
    class MyNet(NeuralNet):
        pass

    net, _ = trained("sigmoid", False)
    path = str(tmp_path / "model.json")
    net.save(path)
    assert type(MyNet.load(path)) is MyNet
    assert type(MyNet.from_dict(net.to_dict())) is MyNet


def test_auto_output_is_saved_as_the_output_it_chose() -> None:
    net = NeuralNet(layers=[2, 3], output="auto")
    net.init_weights()
    assert net.to_dict()["output"] == "softmax"


# --- refusing to save ----------------------------------------------------------------


def test_saving_an_untrained_network_raises_and_writes_nothing(tmp_path) -> None:
    path = tmp_path / "model.json"
    with pytest.raises(NotFittedError, match="no weights yet"):
        NeuralNet(layers=[2, 2, 1]).save(str(path))
    assert os.listdir(str(tmp_path)) == []


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_weights_are_refused_before_writing(tmp_path, bad) -> None:
    net, _ = trained("sigmoid", False)
    net.params["W2"][2, 0] = bad
    path = tmp_path / "model.json"
    with pytest.raises(ModelFileError, match=r"W2 row 2, column 0 is %s" % re.escape(repr(bad))):
        net.save(str(path))
    assert os.listdir(str(tmp_path)) == []


def test_a_non_finite_weight_in_a_one_row_matrix_is_named_by_row_and_column() -> None:
    net = NeuralNet(layers=[1, 3, 1])
    net.init_weights()
    net.params["W1"][0, 2] = float("nan")
    with pytest.raises(ModelFileError, match="W1 row 0, column 2 is nan"):
        net.to_dict()


def test_a_non_finite_bias_or_scaler_value_is_refused(tmp_path) -> None:
    net, _ = trained("sigmoid", True)
    net.params["b1"][3] = float("nan")
    with pytest.raises(ModelFileError, match="b1 position 3 is nan"):
        net.to_dict()
    net, _ = trained("sigmoid", True)
    assert net.scaler is not None and net.scaler.mean is not None
    net.scaler.mean[1] = float("inf")
    with pytest.raises(ModelFileError, match="scaler mean position 1 is inf"):
        net.save(str(tmp_path / "model.json"))
    assert os.listdir(str(tmp_path)) == []


# --- atomic writing ------------------------------------------------------------------


def saved_before(tmp_path) -> "tuple[NeuralNet, str, bytes]":
    """A network, and a model file already at the path holding a different model."""
    old, _ = trained("sigmoid", False)
    path = str(tmp_path / "model.json")
    old.save(path)
    with open(path, "rb") as handle:
        old_bytes = handle.read()
    new, _ = trained("softmax", True)
    return new, path, old_bytes


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch) -> None:
    net, path, old_bytes = saved_before(tmp_path)

    def failing_replace(source: str, target: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(ModelFileError, match=r"cannot write model file .*model\.json.*permission denied"):
        net.save(path)
    assert sorted(os.listdir(str(tmp_path))) == ["model.json"]
    with open(path, "rb") as handle:
        assert handle.read() == old_bytes


def test_a_write_failing_halfway_leaves_the_old_file(tmp_path, monkeypatch) -> None:
    net, path, old_bytes = saved_before(tmp_path)

    def half_write(handle: "io.TextIOBase", text: str) -> None:
        handle.write(text[: len(text) // 2])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_and_sync", half_write)
    with pytest.raises(ModelFileError, match="no space left on device"):
        net.save(path)
    assert sorted(os.listdir(str(tmp_path))) == ["model.json"]
    with open(path, "rb") as handle:
        assert handle.read() == old_bytes
    assert type(NeuralNet.load(path)) is NeuralNet


def test_an_interrupted_save_leaves_the_old_file(tmp_path, monkeypatch) -> None:
    net, path, old_bytes = saved_before(tmp_path)

    def interrupted(handle: "io.TextIOBase", text: str) -> None:
        handle.write(text[:10])
        raise KeyboardInterrupt

    monkeypatch.setattr(files, "write_and_sync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        net.save(path)
    assert sorted(os.listdir(str(tmp_path))) == ["model.json"]
    with open(path, "rb") as handle:
        assert handle.read() == old_bytes


def test_a_successful_save_replaces_the_old_file(tmp_path) -> None:
    net, path, old_bytes = saved_before(tmp_path)
    net.save(path)
    assert sorted(os.listdir(str(tmp_path))) == ["model.json"]
    assert NeuralNet.load(path).output == "softmax"


def test_saving_into_a_missing_folder_is_a_model_file_error(tmp_path) -> None:
    net, _ = trained("sigmoid", False)
    with pytest.raises(ModelFileError, match="cannot write model file .*no such file or directory"):
        net.save(str(tmp_path / "missing" / "model.json"))
    assert os.listdir(str(tmp_path)) == []


# --- refusing bad files --------------------------------------------------------------


def valid_dict() -> dict:
    net = NeuralNet(layers=[2, 4, 1], seed=3)
    net.init_weights()
    net.scaler = StandardScaler().fit([[1.0, 2.0], [3.0, 5.0]])
    return net.to_dict()


def changed(**changes: object) -> dict:
    d = valid_dict()
    for key, value in changes.items():
        if value is DELETE:
            del d[key]
        else:
            d[key] = value
    return d


def changed_params(**changes: object) -> dict:
    d = valid_dict()
    for key, value in changes.items():
        if value is DELETE:
            del d["params"][key]
        else:
            d["params"][key] = value
    return d


def changed_entry(name: str, i: int, j: "int | None", value: object) -> dict:
    d = valid_dict()
    if j is None:
        d["params"][name][i] = value
    else:
        d["params"][name][i][j] = value
    return d


DELETE = object()
W1 = valid_dict()["params"]["W1"]  # 2 x 4

BAD_CONTENTS = [
    ("list", [1, 2], ["must be a JSON object", "a list of 2 items"]),
    ("string", "model", ["must be a JSON object", "the string 'model'"]),
    ("no format", changed(format=DELETE), ["not a tinynet model", "no 'format' field"]),
    ("wrong format", changed(format="keras-model"),
     ["not a tinynet model", "'format' is the string 'keras-model'", "expected 'tinynet-model'"]),
    ("newer version", changed(version=3),
     ["version 3", "written by a newer tinynet", "reads version 2", "upgrade"]),
    ("no version", changed(version=DELETE), ["no 'version' field"]),
    ("version as text", changed(version="1"), ["'version' must be a whole number", "the string '1'"]),
    ("version zero", changed(version=0), ["unknown model file version 0"]),
    ("missing key", changed(params=DELETE), ["missing the key 'params'"]),
    ("missing keys", changed(params=DELETE, layers=DELETE, scaler=DELETE),
     ["missing the keys 'layers', 'params'"]),
    ("extra key", changed(comment="hi"), ["unexpected key 'comment'"]),
    ("layers as text", changed(layers="2,4,1"), ["'layers' must be a list", "the string '2,4,1'"]),
    ("layers too short", changed(layers=[2]), ["'layers' must be a list of at least 2"]),
    ("layer of zero", changed(layers=[2, 0, 1]), ["'layers' item 1 is the number 0"]),
    ("layer as float", changed(layers=[2, 4.0, 1]), ["'layers' item 1 is the number 4.0"]),
    ("layer as bool", changed(layers=[2, True, 1]), ["'layers' item 1 is true"]),
    ("unknown activation", changed(activation="swish"), ["unknown activation 'swish'"]),
    ("activation not a name", changed(activation=3), ["'activation' must be a name", "the number 3"]),
    ("unknown output", changed(output="relu"), ["unknown output 'relu'"]),
    ("output auto", changed(output="auto"), ["unknown output 'auto'"]),
    ("training not an object", changed(training=[0.1]), ["'training' must be an object"]),
    ("unknown training setting", changed(training={"learning_rate": 0.1, "warmup": 3}),
     ["'training' has unexpected key(s) 'warmup'"]),
    ("bad learning rate", changed(training={"learning_rate": -1}),
     ["settings cannot make a network", "learning_rate", "-1"]),
    ("bad optimizer", changed(training={"optimizer": "sgd2"}),
     ["settings cannot make a network", "sgd2"]),
    ("early_stopping as text", changed(training={"early_stopping": "no"}),
     ["'training' setting 'early_stopping' must be true or false, got the string 'no'"]),
    ("nesterov as a number", changed(training={"optimizer": "momentum", "nesterov": 1}),
     ["'training' setting 'nesterov' must be true or false, got the number 1"]),
    ("iterations as bool", changed(training={"iterations": True}),
     ["'training' setting 'iterations' must be a whole number, got true"]),
    ("patience as float", changed(training={"patience": 2.5}),
     ["'training' setting 'patience' must be a whole number, got the number 2.5"]),
    ("seed as bool", changed(training={"seed": False}),
     ["'training' setting 'seed' must be a whole number, got false"]),
    ("batch_size as float", changed(training={"batch_size": 4.0}),
     ["'training' setting 'batch_size' must be a whole number or null, got the number 4.0"]),
    ("learning_rate as text", changed(training={"learning_rate": "0.1"}),
     ["'training' setting 'learning_rate' must be a number, got the string '0.1'"]),
    ("momentum as bool", changed(training={"momentum": True}),
     ["'training' setting 'momentum' must be a number, got true"]),
    ("huge learning_rate", changed(training={"learning_rate": 10 ** 400}),
     ["'training' setting 'learning_rate' is too large to be a float"]),
    ("optimizer not a name", changed(training={"optimizer": ["adam"]}),
     ["'training' setting 'optimizer' must be a name (a string), got a list of 1 item"]),
    ("params not an object", changed(params=[W1]), ["'params' must be an object"]),
    ("missing bias", changed_params(b2=DELETE), ["'params'", "missing the key 'b2'"]),
    ("extra layer", changed_params(W3=[[1.0]], b3=[0.0]), ["unexpected keys 'W3', 'b3'"]),
    ("W1 not rows", changed_params(W1=[1.0, 2.0]), ["W1 must be a list of rows", "a list of 2 items"]),
    ("W1 rows vs inputs", changed_params(W1=W1 + [[0.0] * 4]),
     ["W1 has 3 rows but 'layers' [2, 4, 1] has 2 inputs"]),
    ("W2 does not chain", changed_params(W2=[[0.5]] * 5),
     ["W2 has 5 rows but W1 has 4 columns", "do not chain"]),
    ("ragged W1", changed_entry("W1", 1, None, [0.0, 0.0, 0.0]),
     ["W1 row 1 has 3 columns", "layer 1 4 units"]),
    ("W1 row not a list", changed_entry("W1", 1, None, 0.5), ["W1 row 1 must be a list of numbers"]),
    ("bias size", changed_params(b1=[0.0, 0.0, 0.0]), ["b1 has 3 values but W1 has 4 columns"]),
    ("bias not a list", changed_params(b2=0.0), ["b2 must be a list of numbers", "the number 0.0"]),
    ("weight as text", changed_entry("W1", 0, 1, "0.5"),
     ["W1 row 0, column 1 is the string '0.5', not a number"]),
    ("weight as null", changed_entry("W2", 3, 0, None), ["W2 row 3, column 0 is null, not a number"]),
    ("weight as bool", changed_entry("W1", 1, 2, False), ["W1 row 1, column 2 is false, not a number"]),
    ("huge whole-number weight", changed_entry("W1", 0, 0, 10 ** 400),
     ["W1 row 0, column 0 is too large to be a float"]),
    ("huge whole-number bias", changed_entry("b1", 2, None, -10 ** 400),
     ["b1 position 2 is too large to be a float"]),
    ("NaN weight", changed_entry("W1", 0, 0, float("nan")),
     ["W1 row 0, column 0 is nan", "must be finite"]),
    ("infinite bias", changed_entry("b2", 0, None, float("inf")),
     ["b2 position 0 is inf", "must be finite"]),
    ("scaler not an object", changed(scaler=[1.0, 2.0]), ["'scaler' must be null or an object"]),
    ("scaler missing scale", changed(scaler={"mean": [0.0, 0.0]}), ["'scaler'", "'scale'"]),
    ("scaler zero scale", changed(scaler={"mean": [0.0, 0.0], "scale": [1.0, 0.0]}),
     ["'scaler'", "positive"]),
    ("scaler size", changed(scaler={"mean": [0.0, 0.0, 0.0], "scale": [1.0, 1.0, 1.0]}),
     ["the scaler has 3 columns but the network has 2 inputs"]),
    ("target_scaler on a classifier", changed(target_scaler={"mean": [5.0], "scale": [2.0]}),
     ["'target_scaler' is only for a linear output, but the output is 'sigmoid'"]),
    ("target_scaler not an object", changed(output="linear", target_scaler=[5.0, 2.0]),
     ["'target_scaler' must be null or an object"]),
    ("target_scaler negative scale",
     changed(output="linear", target_scaler={"mean": [5.0], "scale": [-2.0]}),
     ["'target_scaler'", "positive"]),
    ("target_scaler size",
     changed(output="linear", target_scaler={"mean": [5.0, 1.0], "scale": [2.0, 1.0]}),
     ["the target scaler has 2 columns but the network has 1 outputs"]),
    ("features not a list", changed(features="a,b"),
     ["'features' must be null or a list of column names, got the string 'a,b'"]),
    ("features count", changed(features=["a", "b", "c"]),
     ["'features' names 3 columns but the network has 2 inputs"]),
    ("feature not a string", changed(features=["a", 2]),
     ["'features' item 1 is the number 2: column names are non-empty strings"]),
    ("feature empty", changed(features=["a", ""]), ["'features' item 1 is the string ''"]),
    ("feature twice", changed(features=["a", "a"]),
     ["'features' names the column 'a' twice (items 0 and 1)"]),
    ("target not a string", changed(target=["label"]),
     ["'target' must be null or a column name (a non-empty string), got a list of 1 item"]),
    ("target among features", changed(features=["a", "label"], target="label"),
     ["'target' 'label' is also one of the 'features'"]),
    ("classes not a list", changed(classes="ab"),
     ["'classes' must be null or a list of class labels, got the string 'ab'"]),
    ("too few classes", changed(classes=["a"]),
     ["'classes' lists 1 label but a sigmoid output of 1 unit tells 2 classes apart"]),
    ("too many classes", changed(classes=[0, 1, 2]),
     ["'classes' lists 3 labels but a sigmoid output of 1 unit tells 2 classes apart"]),
    ("class twice", changed(classes=["a", "a"]), ["'classes' names 'a' twice (items 0 and 1)"]),
    ("class twice as int and float", changed(classes=[1, 1.0]),
     ["'classes' names 1.0 twice (items 0 and 1)"]),
    ("classes unsorted", changed(classes=["b", "a"]),
     ["'classes' must be in sorted order (output i predicts item i, and fit sorts them): "
      "'b', 'a'"]),
    ("class null", changed(classes=[None, "a"]),
     ["'classes' item 0 is null: class labels are strings, finite numbers or true/false"]),
    ("class a list", changed(classes=["a", ["b"]]), ["'classes' item 1 is a list of 1 item"]),
    ("class an object", changed(classes=[{}, "b"]), ["'classes' item 0 is an object"]),
    ("class NaN", changed(classes=[float("nan"), 1.0]), ["'classes' item 0 is the number nan"]),
    ("classes mixed", changed(classes=[0, "a"]),
     ["'classes' mixes labels that cannot be sorted together: 0 (int) and 'a' (str)"]),
    ("classes bool and number", changed(classes=[0, True]),
     ["'classes' mixes the bool True with the number 0"]),
    ("classes in version 1", changed(version=1, classes=None),
     ["the model (version 1) has unexpected key 'classes'"]),
    ("classes of a regression", changed(output="linear", classes=["a", "b"]),
     ["'classes' must be null for a linear output (regression), got a list of 2 items"]),
]


def test_the_valid_dict_is_valid() -> None:
    assert NeuralNet.from_dict(valid_dict()).layers == [2, 4, 1]


@pytest.mark.parametrize("contents,fragments", [case[1:] for case in BAD_CONTENTS],
                         ids=[case[0] for case in BAD_CONTENTS])
def test_a_bad_model_file_is_refused_with_a_message_naming_the_problem(
        tmp_path, contents, fragments) -> None:
    path = str(tmp_path / "model.json")
    with open(path, "w") as handle:
        json.dump(contents, handle)  # json writes NaN and Infinity, as a careless writer might
    with pytest.raises(ModelFileError) as caught:
        NeuralNet.load(path)
    message = str(caught.value)
    assert message.startswith(path + ": ")
    for fragment in fragments:
        assert fragment in message
    assert isinstance(caught.value, ValueError)
    # The same problem in a dict, without a file, gives the same message without the path.
    with pytest.raises(ModelFileError) as caught_dict:
        NeuralNet.from_dict(contents)  # type: ignore[arg-type]
    assert message == "%s: %s" % (path, caught_dict.value)


def test_keys_of_mixed_types_are_named_not_sorted_together() -> None:
    d = valid_dict()
    d["training"] = {1: 0.5, "x": 2, "learning_rate": 0.1}
    with pytest.raises(ModelFileError, match=r"'training' has unexpected key\(s\) '1', 'x';"):
        NeuralNet.from_dict(d)
    d = valid_dict()
    d[2] = "two"
    d["comment"] = "hi"
    with pytest.raises(ModelFileError, match=r"unexpected keys '2', 'comment'"):
        NeuralNet.from_dict(d)


def test_a_boolean_or_null_setting_of_the_right_type_loads() -> None:
    net = NeuralNet.from_dict(changed(training={"early_stopping": True, "batch_size": None,
                                                "optimizer": "momentum", "nesterov": True}))
    assert net.early_stopping is True and net.nesterov is True and net.batch_size is None


def test_a_missing_file_says_so_after_its_path(tmp_path) -> None:
    path = str(tmp_path / "nope.json")
    with pytest.raises(ModelFileError) as caught:
        NeuralNet.load(path)
    assert str(caught.value) == path + ": no such model file"


def test_a_folder_is_not_a_model_file(tmp_path) -> None:
    with pytest.raises(ModelFileError) as caught:
        NeuralNet.load(str(tmp_path))
    assert str(caught.value).startswith(str(tmp_path) + ": cannot read the model file: ")


def bare_number_open(code: int) -> "object":
    """``open`` as MicroPython's WebAssembly port has it: OSError(code), no strerror."""
    def fake_open(path: str, mode: str = "r") -> None:
        raise OSError(code)
    return fake_open


def test_a_missing_file_is_found_missing_when_the_error_is_only_a_foreign_number(
        tmp_path, monkeypatch) -> None:
    # The WebAssembly port raises OSError(44) (its host's ENOENT) for a missing file.
    monkeypatch.setattr(files, "open", bare_number_open(44), raising=False)
    for path in (tmp_path / "nope.json", tmp_path / "no" / "such" / "model.json"):
        with pytest.raises(ModelFileError) as caught:
            NeuralNet.load(str(path))
        assert str(caught.value) == "%s: no such model file" % path


def test_a_bare_error_number_is_never_given_as_the_reason(tmp_path, monkeypatch) -> None:
    model = tmp_path / "model.json"
    model.write_text("{}")
    monkeypatch.setattr(files, "open", bare_number_open(44), raising=False)
    with pytest.raises(ModelFileError) as caught:
        NeuralNet.load(str(model))  # there, but unreadable
    assert str(caught.value) == ("%s: cannot read the model file: the system refused without "
                                 "saying why" % model)
    with pytest.raises(ModelFileError) as caught:
        NeuralNet.load(str(tmp_path))
    assert str(caught.value) == "%s: cannot read the model file: it is a folder" % tmp_path
    net, _ = trained("sigmoid", False)
    with pytest.raises(ModelFileError) as caught:
        net.save(str(tmp_path / "missing" / "model.json"))
    assert str(caught.value).endswith(": no such file or directory")
    with pytest.raises(ModelFileError) as caught:
        net.save(str(tmp_path / "model.json"))
    assert str(caught.value).endswith(": the system refused without saying why")
    assert not re.search(r"\d", str(caught.value).replace(str(tmp_path), ""))


@pytest.mark.parametrize("text,fragments", [
    (b"", ["the model file is empty"]),
    (b"  \n\n", ["the model file is empty"]),
    (b"hello", ["not valid JSON", "truncated or corrupt"]),
    (b"\xff\xfe\x00{", ["not valid JSON"]),
    (b"{'format': 'tinynet-model'}", ["not valid JSON"]),
])
def test_a_file_that_is_not_json_is_refused(tmp_path, text, fragments) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(text)
    with pytest.raises(ModelFileError) as caught:
        NeuralNet.load(str(path))
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_json_nested_too_deeply_is_a_model_file_error(tmp_path) -> None:
    path = tmp_path / "model.json"
    path.write_text("[" * 100000 + "]" * 100000)
    with pytest.raises(ModelFileError, match="nested too deeply"):
        NeuralNet.load(str(path))


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_a_truncated_file_is_refused(tmp_path, keep) -> None:
    net, _ = trained("softmax", True)
    path = tmp_path / "model.json"
    net.save(str(path))
    text = path.read_bytes()
    path.write_bytes(text[: int(len(text) * keep)])
    with pytest.raises(ModelFileError, match="not valid JSON.*truncated"):
        NeuralNet.load(str(path))


def test_a_valid_file_with_whole_number_weights_loads(tmp_path) -> None:
    # Someone writing a file by hand may write 1 rather than 1.0.
    d = valid_dict()
    d["params"]["W1"] = [[1, 0, -1, 2], [0, 1, 1, 0]]
    net = NeuralNet.from_dict(d)
    assert net.params["W1"] == Matrix([[1.0, 0.0, -1.0, 2.0], [0.0, 1.0, 1.0, 0.0]])


def test_training_settings_may_be_left_out() -> None:
    net = NeuralNet.from_dict(changed(training={}))
    assert net.learning_rate == NeuralNet().learning_rate
    assert net.optimizer == "gd"


def test_loading_runs_no_code(tmp_path) -> None:
    # A pickle-style payload is only text to JSON: refused, never executed.
    path = tmp_path / "model.json"
    path.write_text('{"format": "tinynet-model", "version": 1, "__import__": "os.system(\'x\')"}')
    with pytest.raises(ModelFileError, match="missing the keys"):
        NeuralNet.load(str(path))


# --- the documented format -------------------------------------------------------------


def readme_model_section() -> str:
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    start = text.index("## The model file")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def test_the_readme_documents_every_key() -> None:
    section = readme_model_section()
    for key in modelfile.KEYS + modelfile.TRAINING_SETTINGS + ("W1", "b1", "mean", "scale"):
        assert "`%s`" % key in section, key
    assert '"tinynet-model"' in section
    assert "version" in section and str(modelfile.VERSION) in section


def test_the_readme_names_exactly_the_required_keys() -> None:
    section = readme_model_section()
    text = section.replace("\n", " ")
    sentence = re.search(r"keys are required, enough to predict:([^.]*)\.", text)
    assert sentence, "the README says which keys are required"
    assert tuple(re.findall(r"`(\w+)`", sentence.group(1))) == modelfile.REQUIRED_KEYS


def test_the_file_lists_keys_in_the_documented_order(tmp_path) -> None:
    net, _ = trained("softmax", True)
    path = tmp_path / "model.json"
    net.save(str(path))
    text = path.read_text()
    positions = [text.index('"%s":' % key) for key in modelfile.KEYS]
    assert positions == sorted(positions)
    params = [text.index('"%s":' % name) for name in ("W1", "b1", "W2", "b2", "W3", "b3")]
    assert params == sorted(params)
    assert text.startswith('{\n  "format": "tinynet-model",\n  "version": 2,\n')


def test_weights_are_rows_of_inputs_by_units(tmp_path) -> None:
    net, _ = trained("softmax", False)
    d = net.to_dict()
    for l in range(1, len(net.layers)):
        W = d["params"]["W%d" % l]
        assert len(W) == net.layers[l - 1]
        assert all(len(row) == net.layers[l] for row in W)
        assert len(d["params"]["b%d" % l]) == net.layers[l]
    # A reader that knows only the format gets the same numbers: A = g(X @ W + b).
    row = X3[0]
    z1 = [sum(row[i] * d["params"]["W1"][i][j] for i in range(3)) + d["params"]["b1"][j]
          for j in range(5)]
    assert [math.tanh(z) for z in z1] == pytest.approx(net._forward(Matrix([row]))["A1"].rows[0])


# --- MicroPython -------------------------------------------------------------------------


def test_a_model_saved_by_cpython_loads_and_predicts_on_micropython(tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    net, _ = trained("softmax", True)
    model = tmp_path / "model.json"
    net.save(str(model))
    printed = mpy.run_micropython(
        """
        import json
        from tinynet.network import NeuralNet
        net = NeuralNet.load("/model.json")
        print(json.dumps(net.to_dict()["params"]))
        print(json.dumps(net.predict_proba(%r).tolist()))
        net.save("/again.json")
        """ % (X3,),
        files={"/model.json": model},
        out={"/again.json": tmp_path / "again.json"},
    )
    params_line, proba_line = printed.splitlines()
    assert json.loads(params_line) == net.to_dict()["params"]  # every weight exactly
    got = Matrix(json.loads(proba_line))
    assert got.allclose(net.predict_proba(X3), rel_tol=1e-12, abs_tol=1e-15)
    # ... and what MicroPython writes, CPython reads back to the same network.
    again = NeuralNet.load(str(tmp_path / "again.json"))
    assert again.to_dict() == net.to_dict()


def test_a_regression_model_with_names_and_a_target_scaler_round_trips_on_micropython(
        tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    net, y = trained("linear", True)
    model = tmp_path / "model.json"
    net.save(str(model))
    minimal = tmp_path / "minimal.json"
    d = net.to_dict()
    for key in ("training", "scaler", "target_scaler", "features", "target"):
        del d[key]
    minimal.write_text(json.dumps(d))
    printed = mpy.run_micropython(
        """
        import json
        from tinynet.network import NeuralNet
        net = NeuralNet.load("/model.json")
        print(json.dumps([net.feature_names, net.target_name, net.target_scaler.to_dict()]))
        print(json.dumps(net.predict(%r)))
        net.save("/again.json")
        bare = NeuralNet.load("/minimal.json")
        print(json.dumps([bare.scaler, bare.target_scaler, bare.feature_names, bare.target_name]))
        """ % (X3,),
        files={"/model.json": model, "/minimal.json": minimal},
        out={"/again.json": tmp_path / "again.json"},
    )
    names_line, predicted_line, bare_line = printed.splitlines()
    assert json.loads(names_line) == [["x", "y (cm)", "z\u00e9"], "label",
                                      net.to_dict()["target_scaler"]]
    assert Matrix(json.loads(predicted_line)).allclose(Matrix(net.predict(X3)), rel_tol=1e-12)
    assert json.loads(bare_line) == [None, None, None, None]
    again = NeuralNet.load(str(tmp_path / "again.json"))
    assert again.to_dict() == net.to_dict()
    assert again.predict(X3) == net.predict(X3)


def test_micropython_refuses_a_corrupt_file_with_a_model_file_error(tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    model = tmp_path / "model.json"
    model.write_text('{"format": "tinynet-model", "version": 3}')
    printed = mpy.run_micropython(
        """
        from tinynet.errors import ModelFileError
        from tinynet.network import NeuralNet
        for path in ("/model.json", "/missing.json"):
            try:
                NeuralNet.load(path)
            except ModelFileError as error:
                print(error)
        """,
        files={"/model.json": model},
    )
    newer, missing = printed.splitlines()
    assert "written by a newer tinynet" in newer
    assert missing == "/missing.json: no such model file"


def test_micropython_names_file_problems_in_words_not_error_numbers(tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    # There a missing file raises OSError(44), the host's number, while errno.ENOENT is 2.
    printed = mpy.run_micropython(
        """
        import os
        from tinynet.errors import ModelFileError
        from tinynet.network import NeuralNet
        os.mkdir("/folder")
        for path in ("/nope.json", "nope.json", "/no/such/folder/m.json", "/folder"):
            try:
                NeuralNet.load(path)
            except ModelFileError as error:
                print(error)
        net = NeuralNet(layers=[2, 3, 1], seed=1)
        net.init_weights()
        try:
            net.save("/no/such/m.json")
        except ModelFileError as error:
            print(error)
        """
    )
    assert printed.splitlines() == [
        "/nope.json: no such model file",
        "nope.json: no such model file",
        "/no/such/folder/m.json: no such model file",
        "/folder: cannot read the model file: it is a folder",
        "cannot write model file '/no/such/m.json': no such file or directory",
    ]


def test_micropython_refuses_huge_weights_and_wrongly_typed_settings(tmp_path) -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    d = valid_dict()
    d["params"]["W1"][0][0] = 10 ** 400
    big = tmp_path / "big.json"
    big.write_text(json.dumps(d))
    flag = tmp_path / "flag.json"
    flag.write_text(json.dumps(changed(training={"early_stopping": "no"})))
    printed = mpy.run_micropython(
        """
        from tinynet.errors import ModelFileError
        from tinynet.network import NeuralNet
        for path in ("/big.json", "/flag.json"):
            try:
                NeuralNet.load(path)
            except ModelFileError as error:
                print(error)
        """,
        files={"/big.json": big, "/flag.json": flag},
    )
    huge, flag_line = printed.splitlines()
    assert huge.startswith("/big.json: W1 row 0, column 0 is ")  # inf there: float() does not raise
    assert flag_line == ("/flag.json: 'training' setting 'early_stopping' must be true or false, "
                         "got the string 'no'")


# --- class labels (version 2) and version 1 files ----------------------------------------


@pytest.mark.parametrize("labels", [["no", "yes"], [-1, 1], [1, 2], [1.0, 2.5], [False, True],
                                    ["\u00e9t\u00e9", "hiver"], [0, 1]])
def test_class_labels_round_trip_exactly_with_their_types(tmp_path, labels) -> None:
    y = [labels[label] for label in [0, 1, 1, 0, 1, 0]]
    net = NeuralNet(layers=[3, 4, 1], learning_rate=0.3, iterations=20, seed=5).fit(X3, y)
    path = str(tmp_path / "model.json")
    net.save(path)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    assert '"output": "sigmoid",\n  "classes": %s,\n  "training"' % json.dumps(sorted(labels)) in text
    loaded = NeuralNet.load(path)
    assert loaded.classes_ == sorted(labels)
    assert [type(c) for c in loaded.classes_] == [type(c) for c in sorted(labels)]
    predicted = loaded.predict(X3)
    assert predicted == net.predict(X3)
    assert [type(p) for p in predicted] == [type(labels[0])] * len(X3)


def test_a_softmax_model_keeps_its_string_classes_and_a_regression_has_none() -> None:
    names = ["c", "a", "b", "a", "c", "b"]
    net = NeuralNet(layers=[3, 5, 3], learning_rate=0.2, iterations=20, seed=6).fit(X3, names)
    d = net.to_dict()
    assert d["classes"] == ["a", "b", "c"] and d["version"] == 2
    assert NeuralNet.from_dict(d).predict(X3) == net.predict(X3)
    regressor, _ = trained("linear", False)
    assert regressor.to_dict()["classes"] is None


def test_a_version_1_file_loads_with_labels_that_are_the_indices(tmp_path) -> None:
    net, y = trained("softmax", True)
    d = net.to_dict()
    del d["classes"]
    d["version"] = 1
    path = tmp_path / "old.json"
    path.write_text(json.dumps(d))
    loaded = NeuralNet.load(str(path))
    assert loaded.classes_ is None
    assert loaded.predict(X3) == net.predict(X3) and all(type(p) is int for p in loaded.predict(X3))
    assert loaded.score(X3, y) == net.score(X3, y)
    with pytest.raises(DataError, match=r"y\[0\] is 'a'.*whole numbers"):
        loaded.score(X3, ["a"] * 6)  # without classes, labels are the indices
    assert loaded.to_dict()["version"] == 2 and loaded.to_dict()["classes"] is None


@pytest.mark.parametrize("classes, message", [
    ([(1, "a"), (2, "b")], r"cannot save: classes_\[0\] is \(1, 'a'\) \(tuple\), and a model file "
                           r"holds class labels that are strings, numbers or true/false"),
    ([None, "a"], r"cannot save: classes_\[0\] is None \(NoneType\)"),
    (["a", "b", "c"], r"cannot save: 'classes' lists 3 labels but a sigmoid output of 1 unit "
                      r"tells 2 classes apart \(from the network's classes_\)"),
    (["b", "a"], r"cannot save: 'classes' must be in sorted order"),
    ([float("nan"), 1.0], r"cannot save: classes_\[0\] is nan"),
])
def test_labels_a_model_file_cannot_hold_are_refused_when_saving(tmp_path, classes, message) -> None:
    net, _ = trained("sigmoid", False)
    net.classes_ = classes
    path = tmp_path / "model.json"
    with pytest.raises(ModelFileError, match=message):
        net.save(str(path))
    assert not path.exists()


def test_tuple_labels_train_and_predict_but_cannot_be_saved(tmp_path) -> None:
    y = [("a", 1), ("b", 2), ("b", 2), ("a", 1), ("b", 2), ("a", 1)]
    net = NeuralNet(layers=[3, 4, 1], learning_rate=0.3, iterations=20, seed=5).fit(X3, y)
    assert net.classes_ == [("a", 1), ("b", 2)]
    assert set(net.predict(X3)) <= {("a", 1), ("b", 2)}
    with pytest.raises(ModelFileError, match=r"cannot save: classes_\[0\] is \('a', 1\) \(tuple\)"):
        net.save(str(tmp_path / "model.json"))

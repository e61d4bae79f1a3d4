"""Saving a trained network to a JSON file, and reading it back.

=========================  =================================================
``save(net, path)``        write the network (and its scalers) to ``path``
``load(path, cls)``        a network of class ``cls`` read back from such a
                           file
``to_dict(net)``           the same contents as plain dicts, lists and
                           numbers
``from_dict(d, cls)``      a network of class ``cls`` from those, checked
                           entry by entry
=========================  =================================================

``NeuralNet.save``, ``NeuralNet.load``, ``NeuralNet.to_dict`` and
``NeuralNet.from_dict`` call these.  The reading side is handed the class
to build (``NeuralNet``), so this module never imports the network.

>>> from tinynet import NeuralNet
>>> net = NeuralNet(layers=[2, 3, 1], seed=4)
>>> net.init_weights()
>>> d = to_dict(net)
>>> d["format"], d["version"], d["layers"], d["output"], d["classes"]
('tinynet-model', 2, [2, 3, 1], 'sigmoid', None)
>>> sorted(d["params"])
['W1', 'W2', 'b1', 'b2']
>>> from_dict(d, NeuralNet).predict_proba([[0.5, -1.0]]) == net.predict_proba([[0.5, -1.0]])
True

The format
----------
One JSON object (README.md, "The model file", describes every field)::

    {
      "format": "tinynet-model",
      "version": 2,
      "layers": [2, 3, 1],
      "activation": "relu",
      "output": "sigmoid",
      "classes": ["healthy", "sick"],
      "training": {"learning_rate": 0.001, "iterations": 100, "seed": 4, ...},
      "params": {
        "W1": [[...3 numbers...], [...3 numbers...]],
        "b1": [0.0, 0.0, 0.0],
        "W2": [[...], [...], [...]],
        "b2": [0.0]
      },
      "scaler": null,
      "target_scaler": null,
      "features": null,
      "target": null
    }

Only ``format``, ``version``, ``layers``, ``activation``, ``output`` and
``params`` are required; a reader takes a missing ``training`` as ``{}``
(every setting at its default) and the other keys as null.  ``save`` always
writes them all.

``classes`` is the network's ``classes_``: a classifier's labels in sorted
order, output ``i`` predicting ``classes[i]`` (null for regression, or for a
network that never saw labels).  Each is a JSON string, number or
true/false, so it reads back as the same Python value and type (``1`` and
``1.0`` stay apart); labels JSON cannot hold (a tuple, None) are refused
when saving.  Version 1 files, written before ``classes`` existed, still
load: their labels are the class indices ``0..k-1``, and ``classes_`` is
None.

``Wl`` is stored as rows, ``n(l-1)`` rows of ``nl`` numbers, exactly as the
network multiplies ``A(l-1) @ Wl``.  Parameters sit under explicit names
rather than in a list, and the file is written with its keys in a fixed
order, because MicroPython's dicts keep no order at all.

Why these choices
-----------------
* **Plain JSON.**  Loading a model never runs code (unlike ``pickle``), and
  any language can read the file.
* **Exact.**  Python writes each float as the shortest text that reads back
  as the same float, so a loaded network predicts bit-for-bit the same
  numbers.  JSON has no NaN or infinity (Python would write ``NaN``, which
  other readers refuse), so such weights are refused before anything is
  written.
* **Checked.**  A file is refused with a ``ModelFileError`` naming the
  problem unless every required field is present and every field is of
  the right type and size, and finite: a model that loads is one that can
  predict.
* **Versioned.**  ``version`` grows when the format changes; a file from a
  newer tinynet is refused with a message saying so, not misread.  Version
  2 added ``classes``.
* **Never half-written.**  ``save`` writes a new ``<path>.<random>.tmp`` and
  renames it over ``path`` only once the whole file is written, so a failed
  save leaves the previous file (or none) in place; and it replaces only a
  regular file, never a device, a folder or a link (see ``tinynet.files``).
* **Each key once.**  A file whose object names a key twice is refused
  (``tinynet.jsonkeys``): which of the two a reader keeps is not the same
  everywhere.
"""

import json
import math

from . import files, jsonkeys
from .checks import describe, fits_a_float
from .errors import ConfigError, DataError, ModelFileError, NotFittedError, ShapeError
from .labels import plain_label, show_labels, sorted_distinct
from .matrix import Matrix
from .outputs import OUTPUT_NAMES
from .scaler import StandardScaler
from .settings import (
    NAME,
    NUMBER,
    SETTINGS_BY_NAME,
    TRAINING_SETTINGS,
    TRUE_OR_FALSE,
    WHOLE_NUMBER,
    WHOLE_NUMBER_OR_NULL,
    param_names,
)
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple, Type

    from .files import Path
    from .network import NeuralNet  # for the types only: the class is handed in

FORMAT = "tinynet-model"
VERSION = 2

# The top-level keys, in the order they are written.
KEYS = ("format", "version", "layers", "activation", "output", "classes", "training", "params",
        "scaler", "target_scaler", "features", "target")

# The keys of each version a reader knows: version 1 had no "classes".
KEYS_OF_VERSION = {1: tuple(key for key in KEYS if key != "classes"), 2: KEYS}

# The Python types of the JSON values a class label may be: a string, a
# number or true/false, each of which reads back as itself.
LABEL_TYPES = (str, int, float, bool)

# The keys a file must have: enough to predict.  The others may be left out;
# ``training`` then means every setting at its default, the rest null.
REQUIRED_KEYS = ("format", "version", "layers", "activation", "output", "params")

# The training settings (``tinynet.settings.TRAINING_SETTINGS``) shape
# training but not predictions; they are kept so that a loaded network can be
# trained again the same way.  Any of them may be left out of a file (the
# constructor's default applies); others are refused.  Each is checked for its
# JSON type (``tinynet.settings`` gives it) before the constructor checks its range.


# --- writing -----------------------------------------------------------------


def to_dict(net: "NeuralNet") -> "Dict[str, Any]":
    """The network as plain dicts, lists and numbers, ready for ``json``.

    Raises ``NotFittedError`` for a network without weights and
    ``ModelFileError`` when a weight or a scaler value is NaN or infinite
    (JSON cannot hold them).
    """
    if not net.params:
        raise NotFittedError("this network has no weights yet: call fit(X, y) before saving it")
    try:
        net._check_params()
    except (ConfigError, ShapeError) as error:
        raise ModelFileError("cannot save: %s" % error)
    params: "Dict[str, Any]" = {}
    for W_name, b_name, _, _ in net.layer_names:
        params[W_name] = _finite(net.params[W_name].tolist(), W_name)
        params[b_name] = _finite([net.params[b_name].tolist()], b_name, flat=True)[0]
    training: "Dict[str, Any]" = {}
    for name in TRAINING_SETTINGS:
        training[name] = getattr(net, name)
    target_scaler = getattr(net, "target_scaler", None)
    if target_scaler is not None and net.output_layer.is_classifier:
        raise ModelFileError("cannot save: a target_scaler is only for a linear output, "
                             "and this network's output is %s" % net.output)
    features = getattr(net, "feature_names", None)
    target = getattr(net, "target_name", None)
    try:
        if isinstance(features, tuple):
            features = list(features)
        _read_names(features, target, net.layers[0])
    except ModelFileError as error:
        raise ModelFileError("cannot save: %s (from the network's feature_names and target_name)"
                             % error)
    return {
        "format": FORMAT,
        "version": VERSION,
        "layers": list(net.layers),
        "activation": net.activation,
        "output": net.output,
        "classes": _saved_classes(net),
        "training": training,
        "params": params,
        "scaler": _saved_scaler(getattr(net, "scaler", None), "scaler"),
        "target_scaler": _saved_scaler(target_scaler, "target_scaler"),
        "features": None if features is None else list(features),
        "target": target,
    }


def _saved_classes(net: "NeuralNet") -> "Optional[List[Any]]":
    """``classes_`` as a JSON list (None stays None), or ModelFileError for labels
    JSON cannot hold, or classes that do not fit the output."""
    classes = getattr(net, "classes_", None)
    if classes is None:
        return None
    saved = []
    for i, label in enumerate(classes):
        try:
            label = plain_label(label, "classes_[%d]" % i)
        except DataError as error:
            raise ModelFileError("cannot save: %s" % error)
        if type(label) not in LABEL_TYPES:
            raise ModelFileError(
                "cannot save: classes_[%d] is %s, and a model file holds class labels that are "
                "strings, numbers or true/false (give fit such labels)" % (i, describe(label)))
        saved.append(label)
    try:
        return _read_classes(saved, net.output_layer, net.layers[-1])
    except ModelFileError as error:
        raise ModelFileError("cannot save: %s (from the network's classes_)" % error)


def _saved_scaler(scaler: "Optional[StandardScaler]", name: str
                  ) -> "Optional[Dict[str, List[float]]]":
    """A scaler as ``{"mean": [...], "scale": [...]}`` (None stays None), all finite."""
    if scaler is None:
        return None
    saved = scaler.to_dict()
    for key in ("mean", "scale"):
        _finite([saved[key]], "%s %s" % (name, key), flat=True)
    return saved


def _finite(rows: "List[List[float]]", name: str, flat: bool = False) -> "List[List[float]]":
    """``rows`` unchanged, or ModelFileError naming the first NaN or infinity.

    ``flat`` says that ``rows`` wraps a single list (a bias, a scaler entry),
    whose values are named by position rather than by row and column.
    """
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if not math.isfinite(value):
                where = "%s position %d" % (name, j) if flat else (
                    "%s row %d, column %d" % (name, i, j))
                raise ModelFileError(
                    "cannot save: %s is %r, and a model file holds only finite numbers "
                    "(did training diverge?)" % (where, value)
                )
    return rows


def to_json(net: "NeuralNet") -> str:
    """``to_dict(net)`` as JSON text: keys in a fixed order, one matrix row per line."""
    d = to_dict(net)
    lines = ["{"]
    for key in KEYS:
        value = d[key]
        if key == "params":
            parts = []
            for name in param_names(len(d["layers"]) - 1):
                param = value[name]
                if name[0] == "W":
                    rows = ",\n".join("      " + json.dumps(row) for row in param)
                    parts.append('    "%s": [\n%s\n    ]' % (name, rows))
                else:
                    parts.append('    "%s": %s' % (name, json.dumps(param)))
            text = "{\n" + ",\n".join(parts) + "\n  }"
        elif key == "training":
            settings = ['    "%s": %s' % (name, json.dumps(value[name]))
                        for name in TRAINING_SETTINGS if name in value]
            text = "{\n" + ",\n".join(settings) + "\n  }"
        elif key in ("scaler", "target_scaler") and value is not None:
            text = '{"mean": %s, "scale": %s}' % (json.dumps(value["mean"]), json.dumps(value["scale"]))
        else:
            text = json.dumps(value)
        lines.append('  "%s": %s%s' % (key, text, "," if key != KEYS[-1] else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def save(net: "NeuralNet", path: "Path") -> None:
    """Write ``net`` to the JSON file ``path``, replacing it only when complete.

    The text is built first, so a network that cannot be saved touches no
    file; then ``files.write_atomically`` writes it: if anything fails,
    ``path`` keeps its old contents, or stays absent.  Failures are
    ``ModelFileError``.
    """
    text = to_json(net)
    path = _path_text(path)
    try:
        files.write_atomically(path, text)
    except OSError as error:
        raise ModelFileError("cannot write model file %r: %s"
                             % (path, files.reason(error, files.folder(path))))


def _path_text(path: "Path") -> str:
    text = files.path_text(path)
    if text is None:
        raise ModelFileError("a model file path must be a str or a pathlib.Path, got %s"
                             % describe(path))
    if "\0" in text:  # the system would refuse it with a bare ValueError
        raise ModelFileError("a model file path cannot contain a NUL character, got %s"
                             % describe(text))
    if not text:
        raise ModelFileError("the model file path is empty")
    return text


# --- reading -----------------------------------------------------------------


def load(path: "Path", cls: "Type[NeuralNet]") -> "NeuralNet":
    """The network saved in the JSON file ``path``.

    Every problem is a ``ModelFileError`` whose message starts with the path
    and names what is wrong: the file is missing, is not JSON (or was cut
    short), is not a tinynet model, comes from a newer tinynet, or holds
    contents that do not describe a network (see ``from_dict``).
    """
    path = _path_text(path)
    try:
        data = files.read_bytes(path)
    except OSError as error:
        if files.not_found(error, path):
            raise ModelFileError("%s: no such model file" % path)
        reason = files.reason(error, path)
        if not getattr(error, "strerror", None) and files.is_folder(path):
            reason = "it is a folder"  # said outright where the error is only a number
        raise ModelFileError("%s: cannot read the model file: %s" % (path, reason))
    if not data.strip():
        raise ModelFileError("%s: the model file is empty" % path)
    try:
        d = jsonkeys.loads(data.decode("utf-8"), data)
    except ModelFileError as error:  # a key named twice in one object
        raise ModelFileError("%s: %s; a model file names each key once" % (path, error))
    except ValueError as error:  # a JSON syntax error, or bytes that are not UTF-8
        raise ModelFileError(
            "%s: not valid JSON, so not a tinynet model (is the file truncated or "
            "corrupt?): %s" % (path, error)
        )
    except RuntimeError:  # CPython's RecursionError: lists nested thousands deep
        raise ModelFileError("%s: the JSON is nested too deeply to be a tinynet model" % path)
    try:
        return from_dict(d, cls)
    except ModelFileError as error:
        raise ModelFileError("%s: %s" % (path, error))


def from_dict(d: object, cls: "Type[NeuralNet]") -> "NeuralNet":
    """A network from ``to_dict``'s output (or the parsed JSON of a model file).

    Raises ``ModelFileError`` naming the first problem: not an object, a
    wrong ``format``, an unknown or newer ``version``, missing required keys
    or unexpected ones, a value of the wrong type, weights whose shapes do
    not follow ``layers``, a weight that is not a finite number, an unknown
    activation or output, a scaler that does not fit the inputs (or the
    outputs), or column names that do not fit the inputs.
    """
    if not isinstance(d, dict):
        raise ModelFileError("a tinynet model must be a JSON object, got %s"
                             % describe(d, json=True))
    if "format" not in d:
        raise ModelFileError("not a tinynet model: there is no 'format' field")
    if d["format"] != FORMAT:
        raise ModelFileError("not a tinynet model: 'format' is %s, expected %r"
                             % (describe(d["format"], json=True), FORMAT))
    if "version" not in d:
        raise ModelFileError("there is no 'version' field")
    version = d["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise ModelFileError("'version' must be a whole number, got %s"
                             % describe(version, json=True))
    if version > VERSION:
        raise ModelFileError(
            "the model file is version %d, written by a newer tinynet; this one reads "
            "version %d: upgrade tinynet to load it" % (version, VERSION)
        )
    if version < 1:
        raise ModelFileError("unknown model file version %d" % version)
    _check_keys(d, KEYS_OF_VERSION[version], "the model (version %d)" % version, REQUIRED_KEYS)

    layers = d["layers"]
    if not isinstance(layers, list) or len(layers) < 2:
        raise ModelFileError("'layers' must be a list of at least 2 layer sizes like [2, 8, 1], "
                             "got %s" % describe(layers, json=True))
    for i, size in enumerate(layers):
        if not _is_int(size) or size < 1:
            raise ModelFileError("'layers' item %d is %s: layer sizes are whole numbers >= 1"
                                 % (i, describe(size, json=True)))
    for key in ("activation", "output"):
        if not isinstance(d[key], str):
            raise ModelFileError("'%s' must be a name (a string), got %s"
                                 % (key, describe(d[key], json=True)))
    if d["output"] not in OUTPUT_NAMES:
        raise ModelFileError("unknown output %r: a model file's output is one of %s"
                             % (d["output"], ", ".join(OUTPUT_NAMES)))
    training = d.get("training", {})
    if not isinstance(training, dict):
        raise ModelFileError("'training' must be an object, got %s"
                             % describe(training, json=True))
    # str(key): a dict handed to from_dict may mix key types, which do not sort together.
    unexpected = sorted(str(key) for key in training if key not in TRAINING_SETTINGS)
    if unexpected:
        raise ModelFileError("'training' has unexpected key(s) %s; it may hold %s"
                             % (_names(unexpected), _names(TRAINING_SETTINGS)))
    settings: "Dict[str, Any]" = {}
    for name in TRAINING_SETTINGS:
        if name in training:
            settings[name] = _setting(name, training[name])
    try:
        net = cls(layers=layers, activation=d["activation"], output=d["output"], **settings)
    except ConfigError as error:
        raise ModelFileError("the model's settings cannot make a network: %s" % error)

    net.classes_ = _read_classes(d.get("classes"), net.output_layer, layers[-1])
    net.params = _read_params(d["params"], layers)
    net.scaler = _read_scaler(d.get("scaler"), "scaler", layers[0], "inputs")
    if d.get("target_scaler") is not None and net.output_layer.is_classifier:
        raise ModelFileError("'target_scaler' is only for a linear output, but the output is %r: "
                             "it must be null" % net.output)
    net.target_scaler = _read_scaler(d.get("target_scaler"), "target_scaler", layers[-1],
                                     "outputs")
    net.feature_names, net.target_name = _read_names(d.get("features"), d.get("target"),
                                                     layers[0])
    # The optimizer's memory (momentum, Adam's moments) is not saved: a
    # partial_fit on the loaded weights starts a fresh one.
    return net


def _setting(name: str, value: object) -> object:
    """A training setting's value, or ModelFileError unless it has the right JSON type."""
    wanted = SETTINGS_BY_NAME[name].json_type
    if wanted == NUMBER and _is_number(value) and not fits_a_float(value):
        raise ModelFileError("'training' setting '%s' is %s"
                             % (name, describe(value, json=True)))
    if not JSON_TYPES[wanted](value):
        raise ModelFileError("'training' setting '%s' must be %s, got %s"
                             % (name, wanted, describe(value, json=True)))
    return value


def _is_int(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, int)


def _is_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, float))


def _is_int_or_null(value: object) -> bool:
    return value is None or _is_int(value)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_str(value: object) -> bool:
    return isinstance(value, str)


# How each JSON type of a setting (``tinynet.settings``) is recognised.
JSON_TYPES: "Dict[str, Callable[[object], bool]]" = {
    NUMBER: _is_number,
    WHOLE_NUMBER: _is_int,
    WHOLE_NUMBER_OR_NULL: _is_int_or_null,
    TRUE_OR_FALSE: _is_bool,
    NAME: _is_str,
}


def _read_params(params: object, layers: "List[int]") -> "Dict[str, Any]":
    """``W1, b1, ...`` as Matrix and Vector, checked against ``layers``."""
    if not isinstance(params, dict):
        raise ModelFileError("'params' must be an object holding W1, b1, ..., got %s"
                             % describe(params, json=True))
    names = param_names(len(layers) - 1)
    _check_keys(params, names, "'params' (for layers %r)" % (layers,))
    result: "Dict[str, Any]" = {}
    for l in range(1, len(layers)):
        n_in, n_out = layers[l - 1], layers[l]
        W_name, b_name = names[2 * l - 2], names[2 * l - 1]
        W = params[W_name]
        if not isinstance(W, list) or not W or not isinstance(W[0], list):
            raise ModelFileError("%s must be a list of rows (lists of numbers), got %s"
                                 % (W_name, describe(W, json=True)))
        if len(W) != n_in:
            if l == 1:
                raise ModelFileError("W1 has %d rows but 'layers' %r has %d inputs"
                                     % (len(W), layers, n_in))
            raise ModelFileError(
                "%s has %d rows but %s has %d columns: the layers do not chain"
                % (W_name, len(W), names[2 * l - 4], n_in)
            )
        rows = []
        for i, row in enumerate(W):
            if not isinstance(row, list):
                raise ModelFileError("%s row %d must be a list of numbers, got %s"
                                     % (W_name, i, describe(row, json=True)))
            if len(row) != n_out:
                raise ModelFileError(
                    "%s row %d has %d columns but 'layers' %r gives layer %d %d units"
                    % (W_name, i, len(row), layers, l, n_out)
                )
            rows.append(_numbers(row, "%s row %d, column" % (W_name, i)))
        b = params[b_name]
        if not isinstance(b, list):
            raise ModelFileError("%s must be a list of numbers, got %s" % (b_name, describe(b, json=True)))
        if len(b) != n_out:
            raise ModelFileError("%s has %d values but %s has %d columns: one bias per unit"
                                 % (b_name, len(b), W_name, n_out))
        result[W_name] = Matrix.wrap(rows, n_out)
        result[b_name] = Vector.wrap(_numbers(b, "%s position" % b_name))
    return result


def _read_classes(saved: object, layer: "Any", n_outputs: int) -> "Optional[List[Any]]":
    """``classes``: null, or for a classifier the list of its class labels, one
    per class, each a string, number or true/false, distinct and sorted."""
    if saved is None:
        return None
    if not layer.is_classifier:
        raise ModelFileError("'classes' must be null for a %s output (regression), got %s"
                             % (layer.name, describe(saved, json=True)))
    if not isinstance(saved, list):
        raise ModelFileError("'classes' must be null or a list of class labels, got %s"
                             % describe(saved, json=True))
    for i, label in enumerate(saved):
        if type(label) not in LABEL_TYPES or (type(label) is float and not math.isfinite(label)):
            raise ModelFileError("'classes' item %d is %s: class labels are strings, finite "
                                 "numbers or true/false" % (i, describe(label, json=True)))
    n_classes = layer.n_classes(n_outputs)
    if len(saved) != n_classes:
        raise ModelFileError("'classes' lists %d label%s but a %s output of %d unit%s tells %d "
                             "classes apart" % (len(saved), "" if len(saved) == 1 else "s",
                                                layer.name, n_outputs,
                                                "" if n_outputs == 1 else "s", n_classes))
    try:
        ordered = sorted_distinct(saved, "'classes'")
    except DataError as error:
        raise ModelFileError(str(error))
    if len(ordered) != len(saved):
        for i, label in enumerate(saved):
            if label in saved[:i]:
                raise ModelFileError("'classes' names %r twice (items %d and %d)"
                                     % (label, saved.index(label), i))
    if ordered != saved:
        raise ModelFileError("'classes' must be in sorted order (output i predicts item i, and "
                             "fit sorts them): %s" % show_labels(saved))
    return list(saved)


def _read_scaler(saved: object, key: str, n_columns: int, columns: str
                 ) -> "Optional[StandardScaler]":
    """The scaler stored under ``key``, which must have ``n_columns`` (the
    network's ``columns``: inputs or outputs), or None for null."""
    if saved is None:
        return None
    if not isinstance(saved, dict):
        raise ModelFileError("'%s' must be null or an object with 'mean' and 'scale', got %s"
                             % (key, describe(saved, json=True)))
    try:
        scaler = StandardScaler.from_dict(saved)
    except (DataError, ShapeError) as error:
        raise ModelFileError("'%s': %s" % (key, error))
    if scaler.mean is not None and len(scaler.mean) != n_columns:
        raise ModelFileError("the %s has %d columns but the network has %d %s"
                             % (key.replace("_", " "), len(scaler.mean), n_columns, columns))
    return scaler


def _read_names(features: object, target: object, n_inputs: int
                ) -> "Tuple[Optional[List[str]], Optional[str]]":
    """``features`` (null, or ``n_inputs`` distinct column names) and
    ``target`` (null, or a column name that is not a feature), checked."""
    if features is not None:
        if not isinstance(features, list):
            raise ModelFileError("'features' must be null or a list of column names, got %s"
                                 % describe(features, json=True))
        if len(features) != n_inputs:
            raise ModelFileError("'features' names %d column%s but the network has %d inputs"
                                 % (len(features), "" if len(features) == 1 else "s", n_inputs))
        for i, name in enumerate(features):
            if not isinstance(name, str) or not name:
                raise ModelFileError("'features' item %d is %s: column names are non-empty strings"
                                     % (i, describe(name, json=True)))
            if name in features[:i]:
                raise ModelFileError("'features' names the column %r twice (items %d and %d)"
                                     % (name, features.index(name), i))
    if target is not None:
        if not isinstance(target, str) or not target:
            raise ModelFileError("'target' must be null or a column name (a non-empty string), "
                                 "got %s" % describe(target, json=True))
        if features is not None and target in features:
            raise ModelFileError("'target' %r is also one of the 'features'" % target)
    return (None if features is None else list(features)), target


def _numbers(values: "List[Any]", where: str) -> "List[float]":
    """JSON numbers as finite floats, or ModelFileError naming ``where`` and position."""
    result = []
    for j, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ModelFileError("%s %d is %s, not a number" % (where, j, describe(value, json=True)))
        if not fits_a_float(value):
            raise ModelFileError("%s %d is %s: weights must be finite floats"
                                 % (where, j, describe(value, json=True)))
        value = float(value)
        if not math.isfinite(value):
            raise ModelFileError("%s %d is %r: weights must be finite numbers" % (where, j, value))
        result.append(value)
    return result


def _check_keys(d: "Dict[Any, Any]", expected: "Any", what: str, required: "Any" = None) -> None:
    """ModelFileError naming the keys of ``d`` that are missing or not expected.

    ``required`` (default: all of ``expected``) are the keys that must be there.
    """
    missing = [key for key in (expected if required is None else required) if key not in d]
    if missing:
        raise ModelFileError("%s is missing %s %s" % (
            what, "the key" if len(missing) == 1 else "the keys", _names(missing)))
    unexpected = sorted(str(key) for key in d if key not in expected)
    if unexpected:
        raise ModelFileError("%s has unexpected %s %s" % (
            what, "key" if len(unexpected) == 1 else "keys", _names(unexpected)))


def _names(keys: "Any") -> str:
    return ", ".join("'%s'" % key for key in keys)

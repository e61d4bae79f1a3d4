"""Checking that a model file's values describe a network, for ``Predictor``.

``check(values)`` takes what ``tinynet.modelreader.read`` returns and gives
the keyword arguments of ``tinynet.forward.Predictor``, or raises a
``ModelFileError`` naming the key at fault and what it should be.

A file is accepted when it follows README.md, "The model file", in format
version 1 or 2 (version 2 adds ``classes``): ``format`` and ``version``, then
``layers`` (two or more sizes), a known ``activation`` and ``output`` (a
sigmoid has one unit, a softmax two or more), weights whose shapes follow
``layers``, scalers with one positive scale per column, distinct column names
and distinct class labels, and no keys besides these.  ``training`` must be
an object; its settings are not looked into, since they do not change a
prediction (``NeuralNet.load`` checks them).
"""

from array import array

from .errors import ModelFileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple

FORMAT = "tinynet-model"
NEWEST_VERSION = 2
KEYS = ("format", "version", "layers", "activation", "output", "training", "params", "scaler",
        "target_scaler", "features", "target", "classes")
REQUIRED_KEYS = ("format", "version", "layers", "activation", "output", "params")
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid")
OUTPUTS = ("sigmoid", "softmax", "linear")


def check(values: "Dict[str, Any]") -> "Dict[str, Any]":
    """The arguments of a ``Predictor`` from a model file's values, or ModelFileError."""
    get = values.get
    if get("format") != FORMAT:
        raise ModelFileError("not a tinynet model: 'format' is %s, expected %r"
                             % (_show(get("format")), FORMAT))
    version: "Any" = get("version")
    _need(_is_int(version) and version >= 1, "'version'", "a whole number >= 1", version)
    if version > NEWEST_VERSION:
        raise ModelFileError("the model file is version %d, written by a newer tinynet; this "
                             "one reads versions up to %d: upgrade tinynet to read it"
                             % (version, NEWEST_VERSION))
    _check_keys(values, KEYS, REQUIRED_KEYS, "the model")
    layers, activation, output = values["layers"], values["activation"], values["output"]
    _need(isinstance(layers, list) and len(layers) >= 2
          and all(_is_int(n) and n >= 1 for n in layers),
          "'layers'", "a list of 2 or more whole numbers >= 1", layers)
    n_in, n_out = layers[0], layers[-1]
    _need(activation in ACTIVATIONS, "'activation'", "one of " + ", ".join(ACTIVATIONS),
          activation)
    _need(output in OUTPUTS, "'output'", "one of " + ", ".join(OUTPUTS), output)
    _need(output == "linear" or (output == "sigmoid") == (n_out == 1), "'output'",
          "sigmoid for 1 output unit, softmax for 2 or more", "%s with %d" % (output, n_out))
    _need(isinstance(get("training", {}), dict), "'training'", "an object", get("training"))
    weights, biases = _layers(values["params"], layers)
    features, target, classes = get("features"), get("target"), get("classes")
    _need(features is None or (isinstance(features, list) and len(features) == n_in
                               and _distinct(features, str)),
          "'features'", "null or %d distinct column names" % n_in, features)
    _need(target is None or (_distinct([target], str) and target not in (features or ())),
          "'target'", "null or a column name that is not a feature", target)
    n_classes = 2 if output == "sigmoid" else n_out
    _need(classes is None or (output != "linear" and isinstance(classes, list)
                              and len(classes) == n_classes
                              and _distinct(classes, (str, int, float))),
          "'classes'", "null or, for a classifier, its %d distinct labels (strings or numbers)"
          % n_classes, classes)
    _need(get("target_scaler") is None or output == "linear", "'target_scaler'",
          "null unless the output is linear", get("target_scaler"))
    return {
        "layers": layers, "activation": activation, "output": output,
        "weights": weights, "biases": biases,
        "scaler": _scaler(get("scaler"), "scaler", n_in),
        "target_scaler": _scaler(get("target_scaler"), "target_scaler", n_out),
        "features": features, "target": target, "classes": classes,
    }


def _layers(params: "Any", layers: "List[int]"
            ) -> "Tuple[List[List[array[float]]], List[array[float]]]":
    """Each layer's weights (a list of row arrays) and biases, checked against ``layers``."""
    _need(isinstance(params, dict), "'params'", "an object holding W1, b1, ...", params)
    names = []
    for l in range(1, len(layers)):
        names += ["W%d" % l, "b%d" % l]
    _check_keys(params, names, names, "'params' (for layers %r)" % (layers,))
    weights, biases = [], []
    for l in range(1, len(layers)):
        W, b, n_in, n_out = params["W%d" % l], params["b%d" % l], layers[l - 1], layers[l]
        _need(isinstance(W, list) and len(W) == n_in and all(len(row) == n_out for row in W),
              "W%d" % l, "%d rows of %d numbers" % (n_in, n_out), _shape(W))
        _need(isinstance(b, array) and len(b) == n_out, "b%d" % l,
              "a list of %d numbers, one per unit" % n_out, _shape(b))
        weights.append(W)
        biases.append(b)
    return weights, biases


def _scaler(saved: object, key: str, n: int) -> "Optional[Tuple[array[float], array[float]]]":
    """A scaler, null or ``{"mean": [n numbers], "scale": [n numbers > 0]}``."""
    if saved is None:
        return None
    _need(isinstance(saved, dict) and sorted(saved) == ["mean", "scale"], "'%s'" % key,
          "null or an object with 'mean' and 'scale'", saved)
    mean, scale = saved["mean"], saved["scale"]  # type: ignore[index]
    _need(isinstance(mean, array) and isinstance(scale, array) and len(mean) == len(scale) == n,
          "'%s'" % key, "%d means and %d scales" % (n, n), "%s and %s" % (_shape(mean),
                                                                          _shape(scale)))
    _need(min(scale) > 0.0, "'%s' scale" % key, "positive numbers", list(scale))
    return mean, scale


def _need(ok: bool, what: str, wanted: str, found: object) -> None:
    """ModelFileError unless ``ok``: ``<what> must be <wanted>, got <found>``."""
    if not ok:
        raise ModelFileError("%s must be %s, got %s" % (what, wanted, _show(found)))


def _check_keys(d: "Dict[str, Any]", expected: "Sequence[str]", required: "Sequence[str]",
                what: str) -> None:
    missing = [key for key in required if key not in d]
    if missing:
        raise ModelFileError("%s is missing the key(s) %s" % (what, ", ".join(map(repr, missing))))
    unexpected = sorted(key for key in d if key not in expected)
    if unexpected:
        raise ModelFileError("%s has unexpected key(s) %s"
                             % (what, ", ".join(map(repr, unexpected))))


def _shape(value: object) -> object:
    """A list of numbers or of rows, described by its lengths (anything else as it is)."""
    if isinstance(value, array):
        return "%d numbers" % len(value)
    if isinstance(value, list) and all(isinstance(row, array) for row in value):
        return "rows of %s numbers" % [len(row) for row in value]
    return value


def _distinct(items: "List[Any]", kinds: "Any") -> bool:
    """Whether ``items`` are non-empty values of ``kinds`` (never bools), no two alike."""
    for item in items:
        if isinstance(item, bool) or not isinstance(item, kinds) or item == "":
            return False
    return len(set(items)) == len(items)


def _show(value: object) -> str:
    """A value for a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

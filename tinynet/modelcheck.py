"""Checking that a model file's values describe a network, for ``Predictor``.

``check(values)`` takes what ``tinynet.modelreader.read`` returns (a tinynet
model file's keys, its weights in arrays) and gives the keyword arguments of
``tinynet.forward.Predictor``, or raises a ``ModelFileError`` naming the key
at fault and what it should be.

What README.md, "The model file", asks: ``layers`` (two or more sizes), a
known ``activation`` and ``output`` (a sigmoid has one unit, a softmax two or
more), weights whose shapes follow ``layers``, scalers with one positive
scale per column, distinct column names and distinct class labels.
``training`` must be an object; its settings are not looked into, since they
do not change a prediction (``NeuralNet.load`` checks them).
"""

from array import array

from .errors import ModelFileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid")
OUTPUTS = ("sigmoid", "softmax", "linear")


def check(values: "Dict[str, Any]") -> "Dict[str, Any]":
    """The arguments of a ``Predictor`` from a model file's values, or ModelFileError."""
    # Each step is a function of its own: on a small board, free memory comes
    # in small pieces, and one large function might find no piece to fit in.
    layers, activation, output = _network(values)
    weights, biases = _layers(values["params"], layers)
    features, target, classes = _names(values, layers, output)
    get = values.get
    _need(get("target_scaler") is None or output == "linear", "'target_scaler'",
          "null unless the output is linear", get("target_scaler"))
    return {
        "layers": layers, "activation": activation, "output": output,
        "weights": weights, "biases": biases,
        "scaler": _scaler(get("scaler"), "scaler", layers[0]),
        "target_scaler": _scaler(get("target_scaler"), "target_scaler", layers[-1]),
        "features": features, "target": target, "classes": classes,
    }


def _network(values: "Dict[str, Any]") -> "Tuple[List[int], str, str]":
    """``layers``, ``activation`` and ``output``, checked."""
    layers, activation, output = values["layers"], values["activation"], values["output"]
    _need(isinstance(layers, list) and len(layers) >= 2
          and all(_is_int(n) and n >= 1 for n in layers),
          "'layers'", "a list of 2 or more whole numbers >= 1", layers)
    _need(activation in ACTIVATIONS, "'activation'", "one of " + ", ".join(ACTIVATIONS),
          activation)
    _need(output in OUTPUTS, "'output'", "one of " + ", ".join(OUTPUTS), output)
    _need(output == "linear" or (output == "sigmoid") == (layers[-1] == 1), "'output'",
          "sigmoid for 1 output unit, softmax for 2 or more", "%s with %d" % (output, layers[-1]))
    _need(isinstance(values.get("training", {}), dict), "'training'", "an object",
          values.get("training"))
    return layers, activation, output


def _names(values: "Dict[str, Any]", layers: "List[int]", output: str) -> "Tuple[Any, Any, Any]":
    """``features``, ``target`` and ``classes``, checked: each null, or names that fit."""
    features, target, classes = values.get("features"), values.get("target"), values.get("classes")
    _need(features is None or (isinstance(features, list) and len(features) == layers[0]
                               and _distinct(features, str)),
          "'features'", "null or %d distinct column names" % layers[0], features)
    _need(target is None or (_distinct([target], str) and target not in (features or ())),
          "'target'", "null or a column name that is not a feature", target)
    n_classes = 2 if output == "sigmoid" else layers[-1]
    _need(classes is None or (output != "linear" and isinstance(classes, list)
                              and len(classes) == n_classes
                              and _distinct(classes, (str, int, float))),
          "'classes'", "null or, for a classifier, its %d distinct labels (strings or numbers)"
          % n_classes, classes)
    return features, target, classes


def _layers(params: "Any", layers: "List[int]"
            ) -> "Tuple[List[List[array[float]]], List[array[float]]]":
    """Each layer's weights (a list of row arrays) and biases, checked against ``layers``."""
    _need(isinstance(params, dict), "'params'", "an object holding W1, b1, ...", params)
    names = []
    for l in range(1, len(layers)):
        names += ["W%d" % l, "b%d" % l]
    _need(sorted(params) == sorted(names), "'params' for layers %r" % (layers,),
          "exactly " + ", ".join(names), ", ".join(sorted(params)))
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

"""Checking that a model file's values describe a network, for ``Predictor``.

``check(values)`` takes what ``tinynet.modelreader.read`` returns (a tinynet
model file's keys, its weights in arrays) and gives the keyword arguments of
``tinynet.forward.Predictor``, or raises a ``ModelFileError`` naming the key
at fault and what it should be.

What README.md, "The model file", asks: ``layers`` (two or more sizes), a
known ``activation`` and ``output`` (a sigmoid has one unit, a softmax two or
more), weights whose shapes follow ``layers``, scalers with one positive
scale per column, distinct column names, and class labels of one kind in
sorted order (as ``fit`` sorts them; version 2 only).
``training`` must be an object; its settings are not looked into, since they
do not change a prediction (``NeuralNet.load`` checks them).

Each check is a function of its own: on a small board free memory comes in
small pieces, and one large function might find none to fit in.
"""

import math
from array import array

from .errors import ModelFileError
from .forward import HIDDEN, OUTPUTS, n_classes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    Weights = Tuple[List[List[array[float]]], List[array[float]]]


def check(values: "Dict[str, Any]") -> "Dict[str, Any]":
    """The arguments of a ``Predictor`` from a model file's values, or ModelFileError."""
    layers, activation, output = _network(values)
    weights, biases = _layers(values["params"], layers)
    features, target, classes = _names(values, layers, output)
    target_scaler = values.get("target_scaler")
    _need(target_scaler is None or not n_classes(output, layers[-1]), "target_scaler",
          "null for a classifier", target_scaler)
    return {
        "layers": layers, "activation": activation, "output": output,
        "weights": weights, "biases": biases,
        "scaler": _scaler(values.get("scaler"), "scaler", layers[0]),
        "target_scaler": _scaler(target_scaler, "target_scaler", layers[-1]),
        "features": features, "target": target, "classes": classes,
    }


def _network(values: "Dict[str, Any]") -> "Tuple[List[int], str, str]":
    """``layers``, ``activation`` and ``output``, checked."""
    layers, activation, output = values["layers"], values["activation"], values["output"]
    _need(isinstance(layers, list) and len(layers) >= 2
          and all(_is_int(n) and n >= 1 for n in layers),
          "layers", "a list of 2 or more whole numbers >= 1", layers)
    _need(isinstance(activation, str) and activation in HIDDEN, "activation",
          "relu, leaky_relu, tanh, sigmoid or identity", activation)
    _need(isinstance(output, str) and output in OUTPUTS, "output", "sigmoid, softmax or linear", output)
    fewest, most = OUTPUTS[output][2:4]
    _need(fewest <= layers[-1] <= (most or layers[-1]), "output",
          "sigmoid for 1 output unit, softmax for 2 or more",
          "%s for %d" % (output, layers[-1]))
    _need(isinstance(values.get("training", {}), dict), "training", "an object",
          values.get("training"))
    return layers, activation, output


def _layers(params: "Any", layers: "List[int]") -> "Weights":
    """Each layer's weights (a list of row arrays) and biases, checked against ``layers``."""
    names = []
    for l in range(1, len(layers)):
        names += ["W%d" % l, "b%d" % l]
    _need(isinstance(params, dict) and sorted(params) == sorted(names), "params",
          "an object holding exactly " + ", ".join(names), params)
    weights, biases = [], []
    for l in range(1, len(layers)):
        W, b, n_in, n_out = params["W%d" % l], params["b%d" % l], layers[l - 1], layers[l]
        _need(isinstance(W, list) and len(W) == n_in and all(len(row) == n_out for row in W),
              "W%d" % l, "%d rows of %d numbers" % (n_in, n_out), W)
        _need(isinstance(b, array) and len(b) == n_out, "b%d" % l,
              "a list of %d numbers, one per unit" % n_out, b)
        weights.append(W)
        biases.append(b)
    return weights, biases


def _names(values: "Dict[str, Any]", layers: "List[int]", output: str) -> "Tuple[Any, Any, Any]":
    """``features``, ``target`` and ``classes``, checked: each null, or names that fit."""
    features, target, classes = values.get("features"), values.get("target"), values.get("classes")
    _need(features is None or (isinstance(features, list) and len(features) == layers[0]
                               and _distinct(features, str)),
          "features", "null or %d distinct column names" % layers[0], features)
    _need(target is None or (_distinct([target], str) and target not in (features or ())),
          "target", "null or a column name that is not a feature", target)
    count = n_classes(output, layers[-1])
    _need(classes is None or (count and isinstance(classes, list) and len(classes) == count
                              and _labels_in_order(classes)),
          "classes", "null or, for a classifier, its %d labels in sorted order, all strings, "
          "all finite numbers or all true/false" % count, classes)
    return features, target, classes


def _scaler(saved: object, key: str, n: int) -> "Optional[Tuple[array[float], array[float]]]":
    """A scaler, null or ``{"mean": [n numbers], "scale": [n numbers > 0]}``."""
    if saved is None:
        return None
    _need(isinstance(saved, dict) and sorted(saved) == ["mean", "scale"], key,
          "null or an object with 'mean' and 'scale'", saved)
    mean, scale = saved["mean"], saved["scale"]  # type: ignore[index]
    for part in (mean, scale):
        _need(isinstance(part, array) and len(part) == n, key,
              "%d means and %d scales" % (n, n), part)
    _need(min(scale) > 0.0, key, "positive scales", scale)
    return mean, scale


def _need(ok: object, key: str, wanted: str, found: object) -> None:
    """ModelFileError unless ``ok``: ``'<key>' must be <wanted>, got <found>``."""
    if not ok:
        raise ModelFileError("'%s' must be %s, got %s" % (key, wanted, _show(found)))


def _show(value: object) -> str:
    """A value for a message: a list of numbers by its length, anything else by its repr."""
    if isinstance(value, array):
        return "%d numbers" % len(value)
    if isinstance(value, list) and value and isinstance(value[0], array):
        return "rows of %s numbers" % [len(row) for row in value]
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _labels_in_order(labels: "List[Any]") -> bool:
    """Whether ``labels`` are of one kind (strings, finite numbers or bools), each
    greater than the one before: distinct, in the order ``fit`` sorts them."""
    kinds = set()
    for label in labels:
        if isinstance(label, bool):  # first: MicroPython's bools are not ints
            kinds.add("bool")
        elif isinstance(label, str):
            kinds.add("str")
        elif isinstance(label, (int, float)) and math.isfinite(label):
            kinds.add("number")
        else:
            return False
    return len(kinds) <= 1 and all(labels[i - 1] < labels[i] for i in range(1, len(labels)))


def _distinct(items: "List[Any]", kinds: "Any") -> bool:
    """Whether ``items`` are non-empty values of ``kinds`` (never bools), no two alike."""
    for item in items:
        if isinstance(item, bool) or not isinstance(item, kinds) or item == "":
            return False
    return len(set(items)) == len(items)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

"""A fitted scikit-learn MLP as a tinynet model dict, without importing scikit-learn.

``from_sklearn(estimator)`` reads what a fitted ``MLPClassifier`` or
``MLPRegressor`` keeps (duck typing: any object with these attributes will
do) and returns a model dict (``tinynet.modelfile``, version 2):

===================  ==========================================================
attribute            becomes
===================  ==========================================================
``coefs_``           ``W1, W2, ...``: scikit-learn stores them inputs x units,
                     as tinynet does, so they are copied as they are
``intercepts_``      ``b1, b2, ...``
``activation``       the hidden activation: ``relu``, ``tanh``, ``identity``
                     and ``logistic`` (tinynet's ``sigmoid``)
``out_activation_``  the output: ``softmax``, ``logistic`` (one unit: two
                     classes; more units would be multi-label, refused) or
                     ``identity`` (``linear``, a regressor)
``classes_``         ``"classes"``, the labels in column order (classifiers)
``n_features_in_``   checked against the first layer's rows
``feature_names_in_``  ``"features"``, when the estimator was fitted on a
                     table with column names
===================  ==========================================================

A ``Pipeline`` (anything with ``steps``, a list of ``(name, estimator)``)
of a ``StandardScaler`` and the MLP is read too: the scaler's ``mean_`` and
``scale_`` become the model's ``"scaler"``, ``(x - mean) / scale`` as
tinynet applies it, and the column names come from the first step.

>>> class FakeMLP:  # what MLPRegressor(hidden_layer_sizes=(1,)) keeps, in lists
...     coefs_ = [[[0.5], [-1.0]], [[2.0]]]
...     intercepts_ = [[0.1], [0.0]]
...     activation = "relu"
...     out_activation_ = "identity"
...     n_features_in_ = 2
>>> d = from_sklearn(FakeMLP())
>>> d["layers"], d["activation"], d["output"], d["params"]["W2"]
([2, 1, 1], 'relu', 'linear', [[2.0]])
"""

import math

from .errors import ConfigError, ModelFileError, NotFittedError
from .outputs import OUTPUT_LAYERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Tuple

# scikit-learn's name for a hidden activation, and tinynet's.
HIDDEN = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid", "identity": "identity"}

# scikit-learn's out_activation_, and the tinynet output kind (tinynet.outputs) it is.
OUTPUT = {"softmax": "softmax", "logistic": "sigmoid", "identity": "linear"}


def from_sklearn(estimator: object) -> "Dict[str, Any]":
    """The fitted scikit-learn MLP ``estimator`` (or a Pipeline of a
    StandardScaler and one) as a tinynet model dict.

    Raises ``NotFittedError`` for an estimator that is not fitted (no
    ``coefs_``), and ``ModelFileError`` naming the problem for an activation
    tinynet does not have, weights whose shapes do not chain, a weight
    that is not a finite number, or a pipeline step other than a scaler.
    """
    steps = getattr(estimator, "steps", None)
    if isinstance(steps, list) and steps:
        scaler_step, estimator = _pipeline(steps)
        d = from_sklearn(estimator)
        if scaler_step is not None:
            d["scaler"] = _scaler(scaler_step, d["layers"][0])
        first = steps[0][1] if isinstance(steps[0], tuple) and len(steps[0]) == 2 else None
        names = getattr(first, "feature_names_in_", None)
        if names is not None:
            d["features"] = [str(name) for name in _plain(names)]
        return d
    coefs = getattr(estimator, "coefs_", None)
    intercepts = getattr(estimator, "intercepts_", None)
    if coefs is None or intercepts is None:
        raise NotFittedError("%s has no coefs_ and intercepts_: fit it first (from_sklearn "
                             "takes a fitted MLPClassifier or MLPRegressor)"
                             % type(estimator).__name__)
    coefs, intercepts = list(coefs), list(intercepts)
    if not coefs or len(coefs) != len(intercepts):
        raise ModelFileError("coefs_ has %d layers but intercepts_ has %d"
                             % (len(coefs), len(intercepts)))
    hidden = getattr(estimator, "activation", None)
    if hidden not in HIDDEN:
        raise ModelFileError(
            "activation %r: scikit-learn's hidden activations that tinynet has are relu, "
            "tanh, identity and logistic (tinynet's sigmoid)" % (hidden,))
    out = getattr(estimator, "out_activation_", None)
    if out not in OUTPUT:
        raise ModelFileError("out_activation_ %r: tinynet's outputs are softmax, sigmoid "
                             "(scikit-learn's 'logistic') and linear ('identity')" % (out,))
    params: "Dict[str, Any]" = {}
    layers: "List[int]" = []
    for l, (W, b) in enumerate(zip(coefs, intercepts), start=1):
        rows = [_numbers(row, "coefs_[%d] row %d" % (l - 1, i)) for i, row in enumerate(_rows(W))]
        bias = _numbers(_rows(b), "intercepts_[%d]" % (l - 1))
        if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
            raise ModelFileError("coefs_[%d] is not a table of inputs x units" % (l - 1))
        if layers and len(rows) != layers[-1]:
            raise ModelFileError("coefs_[%d] has %d rows but coefs_[%d] has %d columns: the "
                                 "layers do not chain" % (l - 1, len(rows), l - 2, layers[-1]))
        if len(bias) != len(rows[0]):
            raise ModelFileError("intercepts_[%d] has %d values for %d units"
                                 % (l - 1, len(bias), len(rows[0])))
        if not layers:
            layers.append(len(rows))
        layers.append(len(rows[0]))
        params["W%d" % l], params["b%d" % l] = rows, bias
    n_features = getattr(estimator, "n_features_in_", layers[0])
    if n_features != layers[0]:
        raise ModelFileError("n_features_in_ is %r but coefs_[0] has %d rows"
                             % (n_features, layers[0]))
    output = OUTPUT[out]
    kind = OUTPUT_LAYERS[output]
    try:
        kind.check_units(layers[-1])
    except ConfigError as error:
        raise ModelFileError("out_activation_ %r over %d units (multi-label) is not a tinynet "
                             "output: %s" % (out, layers[-1], error))
    classes = getattr(estimator, "classes_", None)
    if classes is not None:
        classes = _plain(classes)
        if not kind.is_classifier or len(classes) != kind.n_classes(layers[-1]):
            raise ModelFileError("classes_ lists %d classes for a %s output of %d units"
                                 % (len(classes), output, layers[-1]))
    features = getattr(estimator, "feature_names_in_", None)
    return {
        "format": "tinynet-model",
        "version": 2,
        "layers": layers,
        "activation": HIDDEN[hidden],
        "output": output,
        "training": {},
        "params": params,
        "scaler": None,
        "target_scaler": None,
        "features": None if features is None else [str(name) for name in _plain(features)],
        "target": None,
        "classes": classes,
    }


def _pipeline(steps: "List[Any]") -> "Tuple[Any, Any]":
    """A pipeline's scaler step (None when there is none) and its final MLP."""
    estimators = []
    for i, step in enumerate(steps):
        if not (isinstance(step, tuple) and len(step) == 2):
            raise ModelFileError("pipeline step %d is not a (name, estimator) pair" % i)
        if step[1] is not None and step[1] != "passthrough":
            estimators.append(step)
    if not estimators:
        raise ModelFileError("the pipeline has no MLP: its steps are all 'passthrough'")
    scalers = estimators[:-1]
    for i, (name, step) in enumerate(scalers):
        # A fitted StandardScaler has both (None for a part it does not use).
        if i > 0 or not (hasattr(step, "mean_") and hasattr(step, "scale_")):
            raise ModelFileError(
                "pipeline step %r (%s) is not the one StandardScaler tinynet can keep before "
                "the network: its only input step is (x - mean) / scale"
                % (name, type(step).__name__))
    return (scalers[0][1] if scalers else None), estimators[-1][1]


def _scaler(step: object, n_inputs: int) -> "Dict[str, List[float]]":
    """A fitted StandardScaler's ``(x - mean_) / scale_`` (None for an unused part)."""
    what = type(step).__name__
    mean = getattr(step, "mean_", None)
    scale = getattr(step, "scale_", None)
    mean = [0.0] * n_inputs if mean is None else _numbers(_rows(mean), what + ".mean_")
    scale = [1.0] * n_inputs if scale is None else _numbers(_rows(scale), what + ".scale_")
    for part, row in (("mean_", mean), ("scale_", scale)):
        if len(row) != n_inputs:
            raise ModelFileError("%s.%s has %d values but the network takes %d inputs"
                                 % (what, part, len(row), n_inputs))
    for j, v in enumerate(scale):
        if v <= 0.0:
            raise ModelFileError("%s.scale_ position %d is %r; a scale must be positive"
                                 % (what, j, v))
    return {"mean": mean, "scale": scale}


def _rows(value: "Any") -> "Any":
    """NumPy arrays as plain lists (``tolist``); lists as they are."""
    tolist = getattr(value, "tolist", None)
    return tolist() if tolist is not None else value


def _plain(values: "Any") -> "List[Any]":
    return list(_rows(values))


def _numbers(row: "Any", where: str) -> "List[float]":
    """``row`` as a list of finite floats, or ModelFileError naming ``where``."""
    try:
        values = list(row)
    except TypeError:
        raise ModelFileError("%s is not a list of numbers" % where)
    result = []
    for j, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ModelFileError("%s position %d is %r, not a number" % (where, j, v))
        try:
            v = float(v)
        except OverflowError:
            raise ModelFileError("%s position %d is too large for a float" % (where, j))
        if not math.isfinite(v):
            raise ModelFileError("%s position %d is %r; weights must be finite" % (where, j, v))
        result.append(v)
    return result

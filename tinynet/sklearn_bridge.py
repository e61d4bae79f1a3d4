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
``activation``       the hidden activation: ``relu``, ``tanh``, ``logistic``
                     (tinynet's ``sigmoid``); ``identity`` is refused, since
                     tinynet has no identity activation
``out_activation_``  the output: ``softmax``, ``logistic`` (one unit: two
                     classes; more units would be multi-label, refused) or
                     ``identity`` (``linear``, a regressor)
``classes_``         ``"classes"``, the labels in column order (classifiers)
``n_features_in_``   checked against the first layer's rows
``feature_names_in_``  ``"features"``, when the estimator was fitted on a
                     table with column names
===================  ==========================================================

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

from .errors import ModelFileError, NotFittedError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List

HIDDEN = {"relu": "relu", "tanh": "tanh", "logistic": "sigmoid"}
OUTPUT = {"softmax": "softmax", "logistic": "sigmoid", "identity": "linear"}


def from_sklearn(estimator: object) -> "Dict[str, Any]":
    """The fitted scikit-learn MLP ``estimator`` as a tinynet model dict.

    Raises ``NotFittedError`` for an estimator that is not fitted (no
    ``coefs_``), and ``ModelFileError`` naming the problem for an activation
    tinynet does not have, weights whose shapes do not chain, or a weight
    that is not a finite number.
    """
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
            "activation %r: tinynet's hidden activations are relu, tanh and sigmoid "
            "(scikit-learn's 'logistic')%s" % (hidden, "; tinynet has no identity activation"
                                                if hidden == "identity" else ""))
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
    if output == "sigmoid" and layers[-1] != 1:
        raise ModelFileError("a logistic output over %d units is multi-label; tinynet's sigmoid "
                             "output has one unit (two classes)" % layers[-1])
    classes = getattr(estimator, "classes_", None)
    if classes is not None:
        classes = _plain(classes)
        expected = 2 if output == "sigmoid" else layers[-1]
        if output == "linear" or len(classes) != expected:
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

"""A network's forward pass over compact arrays: ``Predictor``, for prediction only.

``NeuralNet`` keeps each weight as a float object in a list, ready to be
trained.  ``Predictor`` keeps each row of each layer's weights in an
``array``: 4 bytes a weight on a single-precision board, against about 20 in
a list.  It predicts one row at
a time, so a batch costs no more memory than a row.  ``tinynet.predictor.load``
makes one from a model file.

==========================  ====================================================
``model.predict(X)``        one prediction per row, as ``NeuralNet.predict``
                            gives it (the class labels, when the file has them)
``model.predict_proba(X)``  the output probabilities, one list per row
==========================  ====================================================

>>> from array import array
>>> model = Predictor([2, 1], "relu", "sigmoid",
...                   [[array("d", [1.0]), array("d", [-1.0])]], [array("d", [0.0])])
>>> model.predict([[3.0, 1.0], [0.0, 2.0]])
[1, 0]

Same numbers: each layer computes ``z_j = (a_0 W[0][j] + a_1 W[1][j] + ...) + b_j``,
adding in the order ``NeuralNet``'s kernels do, with the same activations, so
on CPython the probabilities match ``NeuralNet.predict_proba`` to about 1e-16.
On a single-precision board every number keeps 7 significant digits, and the
probabilities match a double-precision computation to about 1e-6.
"""

import math

from .errors import ConfigError, DataError, ShapeError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from array import array
    from typing import Any, List, Optional, Sequence, Tuple

    Scaler = Tuple[array[float], array[float]]  # (mean, scale)

# --- activations of one row (the formulas of tinynet.activations) --------------------


def relu(z: "List[float]") -> "List[float]":
    return [x if x > 0.0 else 0.0 for x in z]


def leaky_relu(z: "List[float]") -> "List[float]":
    return [x if x > 0.0 else 0.01 * x for x in z]


def tanh(z: "List[float]") -> "List[float]":
    return [math.tanh(x) for x in z]


def sigmoid(z: "List[float]") -> "List[float]":
    """``1 / (1 + e**-x)``, written so that ``e`` is never raised to a large power."""
    exp = math.exp
    return [1.0 / (1.0 + exp(-x)) if x >= 0.0 else exp(x) / (1.0 + exp(x)) for x in z]


def softmax(z: "List[float]") -> "List[float]":
    """``e**x_j / sum_k e**x_k``, each ``x`` less the largest, so no exponent is positive."""
    top = max(z)
    exps = [math.exp(x - top) for x in z]
    total = sum(exps, 0.0)
    return [e / total for e in exps]


def linear(z: "List[float]") -> "List[float]":
    """The identity: a regression output, or a hidden layer without an activation."""
    return z


HIDDEN = {"relu": relu, "leaky_relu": leaky_relu, "tanh": tanh, "sigmoid": sigmoid,
          "identity": linear}


# --- output kinds: how a row of outputs becomes a prediction -------------------------


def threshold(a: "List[float]") -> int:
    """Class 1 where the probability is at least 0.5, else class 0."""
    return 1 if a[0] >= 0.5 else 0


def most_probable(a: "List[float]") -> int:
    """The index of the largest probability (the first, on a tie)."""
    best = 0
    for j in range(1, len(a)):
        if a[j] > a[best]:
            best = j
    return best


def values(a: "List[float]") -> object:
    """The outputs themselves: one value, or a list of them for several outputs."""
    return a[0] if len(a) == 1 else a


# What differs between the output kinds, for prediction (``tinynet.outputs``
# holds the full table, losses and targets too, on top of Matrix, which a board
# that only predicts does not load).  For each kind: the last layer's
# activation, how its row becomes a prediction, the fewest and the most units
# (None: any number), and the number of classes (None: one per unit; 0: a
# regression, which has values rather than classes).
OUTPUTS = {
    "sigmoid": (sigmoid, threshold, 1, 1, 2),
    "softmax": (softmax, most_probable, 2, None, None),
    "linear": (linear, values, 1, None, 0),
}


def n_classes(output: str, units: int) -> int:
    """How many classes an output of ``units`` units tells apart (0 for a regression)."""
    classes = OUTPUTS[output][4]
    return units if classes is None else classes


class Predictor:
    """A trained network for prediction only (``tinynet.predictor.load`` reads one).

    ``weights[l]`` and ``biases[l]`` hold the ``W`` and ``b`` of layer
    ``l + 1``, ``W`` as a list of row arrays; ``scaler`` and ``target_scaler``
    are None or ``(mean, scale)`` arrays; ``classes`` is None or the class
    labels, index ``i`` for class ``i``.
    """

    def __init__(self, layers: "List[int]", activation: str, output: str,
                 weights: "List[List[array[float]]]", biases: "List[array[float]]",
                 scaler: "Optional[Scaler]" = None, target_scaler: "Optional[Scaler]" = None,
                 features: "Optional[List[str]]" = None, target: "Optional[str]" = None,
                 classes: "Optional[List[Any]]" = None) -> None:
        self.layers = layers
        self.activation = activation
        self.output = output
        self.weights = weights
        self.biases = biases
        self.scaler = scaler
        self.target_scaler = target_scaler
        self.features = features
        self.target = target
        self.classes = classes

    def __repr__(self) -> str:
        return "<Predictor layers=%r activation=%r output=%r>" % (
            self.layers, self.activation, self.output)

    def predict_proba(self, X: object) -> "List[List[float]]":
        """The output layer's probabilities for each row of ``X``, one list per row."""
        if not n_classes(self.output, self.layers[-1]):
            raise ConfigError("a linear (regression) output has no probabilities: use predict")
        return [self._outputs(row) for row in self._rows(X)]

    def predict(self, X: object) -> "List[Any]":
        """One prediction per row of ``X``, as ``NeuralNet.predict`` gives it.

        Sigmoid output: 1 where the probability is at least 0.5, else 0;
        softmax: the index of the most probable class.  Either becomes the
        file's class label when it lists ``classes``.  Linear: the value (a
        list of values for several outputs), in the targets' own units when
        the file has a ``target_scaler``.
        """
        decide = OUTPUTS[self.output][1]
        result = []
        for row in self._rows(X):
            a = self._outputs(row)
            if self.target_scaler is not None:
                mean, scale = self.target_scaler
                a = [a[j] * scale[j] + mean[j] for j in range(len(a))]
            prediction = decide(a)
            if self.classes is not None:  # a classifier's class index becomes its label
                prediction = self.classes[prediction]  # type: ignore[call-overload]
            result.append(prediction)
        return result

    def _outputs(self, row: "List[float]") -> "List[float]":
        """The last layer's activations for one checked row of raw features."""
        if self.scaler is not None:
            mean, scale = self.scaler
            row = [(row[k] - mean[k]) / scale[k] for k in range(len(row))]
        hidden, last = HIDDEN[self.activation], len(self.weights) - 1
        a = row
        for l in range(last + 1):
            z = affine(a, self.weights[l], self.biases[l])
            a = hidden(z) if l < last else OUTPUTS[self.output][0](z)
        return a

    def _rows(self, X: object) -> "List[List[float]]":
        """The rows of ``X`` as lists of floats, each checked: ``layers[0]`` finite numbers."""
        n = self.layers[0]
        try:
            rows = [] if isinstance(X, (str, bytes)) else list(X)  # type: ignore[call-overload]
        except TypeError:
            rows = []
        if not rows:
            raise DataError("X must be a non-empty list of rows, got %s" % _describe(X))
        checked = []
        for i, row in enumerate(rows):
            try:
                values = [_number(value) for value in row]
            except (TypeError, ValueError):
                raise DataError("X row %d must be a list of %d numbers (wrap a single sample as "
                                "[sample]), got %s" % (i, n, _describe(row)))
            if len(values) != n:
                raise ShapeError("X row %d has %d values but the network has %d inputs"
                                 % (i, len(values), n))
            for j, value in enumerate(values):
                if not math.isfinite(value):
                    raise DataError("X row %d, column %d is %r: values must be finite numbers"
                                    % (i, j, value))
            checked.append(values)
        return checked


def affine(a: "Sequence[float]", W: "List[array[float]]", b: "array[float]") -> "List[float]":
    """``z = a @ W + b`` for one row ``a``: ``z_j = sum over k of a_k W[k][j], plus b_j``.

    Each sum starts at 0 and gets its bias last, as NeuralNet's kernels add
    them.
    """
    n = len(a)
    z = []
    for j in range(len(b)):
        total = 0.0
        for k in range(n):
            total += a[k] * W[k][j]
        z.append(total + b[j])
    return z


def _number(value: object) -> float:
    """``float(value)`` for a number; TypeError for text, None and bools, which are not."""
    if value is None or isinstance(value, (bool, str, bytes)):
        raise TypeError
    return float(value)  # type: ignore[arg-type]


def _describe(value: object) -> str:
    text = repr(value)
    return "%s (%s)" % (text if len(text) <= 40 else text[:37] + "...", type(value).__name__)

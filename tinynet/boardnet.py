"""``BoardNet``: the whole of backpropagation on one page, small enough to train on a board.

>>> net = BoardNet([2, 4, 1], learning_rate=0.5, iterations=500, seed=3)
>>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
>>> net.fit(X, [0, 1, 1, 0]).predict(X)                         # XOR
[0, 1, 1, 0]

``NeuralNet`` trains with Matrix objects, a table of settings, optimizers and
an epoch loop, each in a module of its own: about 70 KB of code on a
microcontroller.  ``BoardNet`` is the same network trained the same way,
written as scalar loops over plain lists in this one module, which trains
with only ``math``, the package's errors and its seeded generator loaded
(``save`` loads ``json`` and the file writer; a warning, on CPython,
``warnings``).  It trains by
plain gradient descent, in mini-batches or on all rows at once, with any
hidden activation ``NeuralNet`` has and a sigmoid, softmax or linear output.
For momentum, Adam, L2, early stopping, scalers or a callback, use ``NeuralNet``.

==========================  ====================================================
``BoardNet(layers, ...)``   the settings, named and defaulted as ``NeuralNet``'s
``net.fit(X, y)``           fresh weights, then ``iterations`` epochs
``net.predict(X)``          a label per row (a value, for a linear output)
``net.predict_proba(X)``    the output probabilities, one list per row
``net.loss``                one mean loss per epoch
``net.params``              ``{"W1": rows, "b1": values, ...}``, as NeuralNet's
``net.classes_``            the sorted labels: output ``i`` means ``classes_[i]``
``net.save(path)``          a model file (README, "The model file") that
                            ``NeuralNet.load`` and ``tinynet.predictor.load`` read
==========================  ====================================================

The maths, for one sample ``x`` (``A0 = x``; layer ``l`` has weights ``Wl``,
``n(l-1)`` rows of ``nl``, and biases ``bl``)::

    forward     zl_j = sum over k of a(l-1)_k Wl[k][j], plus bl_j
                al_j = g(zl_j)             g: the hidden activation, or the output's
    output      dzL_j = aL_j - y_j         cross-entropy after sigmoid or softmax
                dzL_j = 2 (aL_j - y_j) / K squared error over K linear outputs
    backward    gWl[k][j] += a(l-1)_k dzl_j        summed over the batch's samples
                gbl_j     += dzl_j
                da(l-1)_k  = sum over j of dzl_j Wl[k][j]
                dz(l-1)_k  = da(l-1)_k g'(z(l-1)_k)
    update      Wl[k][j] -= learning_rate * (gWl[k][j] / m)     m: the batch's size

Same numbers as ``NeuralNet.fit``: the weights come from ``Random(seed)`` in
the same order, each epoch shuffles with ``Random(seed + 1)`` as
``tinynet.training.batches`` does, and every sum starts from 0.0 and adds
its terms in the order NeuralNet's kernels add them (``tinynet.faststep``
says which).  So on CPython below 3.12 and on PyPy the loss history and the
weights equal ``NeuralNet``'s bit for bit; on CPython 3.12+, whose
``math.sumprod`` and ``sum`` round once per sum, they agree to 1e-12 (about
1e-14 measured on a [40, 40, 10] network).
A failed ``fit`` (bad data, a loss that stops being finite) leaves the
network as it was; a fit that ends with its loss still falling steeply warns
(``ConvergenceWarning``, a line on stderr on MicroPython), as NeuralNet's does.
"""

import math

from .errors import ConfigError, DataError, ModelFileError, NotFittedError, ShapeError
from .rng import Random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

    Rows = List[List[float]]
    Hidden = Tuple[Callable[[float], float], Callable[[float, float, float], float]]
    Row = List[float]
    Output = Tuple[Callable[[Row], Row], Callable[[float, Row, Row, Row], float],
                   Callable[[Row, Row], Row], bool, Optional[int], int, Optional[int]]

# --- hidden activations: g(z), and dz = da * g'(z) from z and a = g(z) ---------------------


def sigmoid(z: float) -> float:
    """``1 / (1 + e**-z)``, never raising ``e`` to a large positive power."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


# name: (g, backward).  ``z <= 0.0`` rather than ``z > 0.0``: a NaN passes on, to be caught.
HIDDEN: "Dict[str, Hidden]" = {
    "relu": (lambda z: 0.0 if z <= 0.0 else z,
             lambda d, z, a: 0.0 if z <= 0.0 else d),
    "leaky_relu": (lambda z: 0.01 * z if z <= 0.0 else z,
                   lambda d, z, a: 0.01 * d if z <= 0.0 else d),
    "tanh": (math.tanh, lambda d, z, a: d * (1.0 - a * a)),
    "sigmoid": (sigmoid, lambda d, z, a: d * a * (1.0 - a)),
    "identity": (lambda z: z, lambda d, z, a: d),
}
HIDDEN_NAMES = ("relu", "leaky_relu", "tanh", "sigmoid", "identity")  # for messages


# --- output kinds: activation of the last layer, and the loss it adds for one sample -------


def sigmoid_out(z: "List[float]") -> "List[float]":
    return [sigmoid(v) for v in z]


def softmax(z: "List[float]") -> "List[float]":
    """``e**z_j / sum_k e**z_k``, each ``z`` less the largest, so no exponent is positive."""
    top = max(z)
    exps = [math.exp(v - top) for v in z]
    total = sum(exps, 0.0)
    return [e / total for e in exps]


def linear(z: "List[float]") -> "List[float]":
    return z


def binary_loss(total: float, z: "List[float]", a: "List[float]", y: "List[float]") -> float:
    """Cross-entropy of a sigmoid, from ``z``: ``max(z, 0) - z y + log(1 + e**-|z|)``."""
    for j in range(len(z)):
        total += (z[j] if z[j] > 0.0 else 0.0) - z[j] * y[j] + math.log(1.0 + math.exp(-abs(z[j])))
    return total


def categorical_loss(total: float, z: "List[float]", a: "List[float]", y: "List[float]") -> float:
    """Cross-entropy of a softmax, by log-softmax: ``log_sum * sum(y) - sum(y z)``."""
    top = max(z)
    log_sum = top + math.log(sum([math.exp(v - top) for v in z], 0.0))
    return total + (log_sum * sum(y, 0.0) - sum([y[j] * z[j] for j in range(len(z))], 0.0))


def cross_entropy_gradient(a: "List[float]", y: "List[float]") -> "List[float]":
    """``dz = a - y``: the cross-entropy's gradient after a sigmoid or a softmax, where
    the activation's derivative cancels (tinynet.losses says how)."""
    return [a[j] - y[j] for j in range(len(a))]


def squared_loss(total: float, z: "List[float]", a: "List[float]", y: "List[float]") -> float:
    """Squared error, ``(a - y)**2`` for each output; the mean divides by ``m K``."""
    for j in range(len(a)):
        total += (a[j] - y[j]) * (a[j] - y[j])
    return total


def squared_gradient(a: "List[float]", y: "List[float]") -> "List[float]":
    """``dz = 2 (a - y) / K``: the mean squared error's gradient over ``K`` linear outputs."""
    return [(a[j] - y[j]) * (2.0 / len(a)) for j in range(len(a))]


# Each output kind: its activation, the loss one sample adds and its gradient, whether
# the mean loss is over the outputs too, the number of classes (None: one per unit; 0: a
# regression, which has values) and the fewest and most units (None: any number).
OUTPUTS: "Dict[str, Output]" = {
    "sigmoid": (sigmoid_out, binary_loss, cross_entropy_gradient, False, 2, 1, 1),
    "softmax": (softmax, categorical_loss, cross_entropy_gradient, False, None, 2, None),
    "linear": (linear, squared_loss, squared_gradient, True, 0, 1, None),
}
OUTPUT_NAMES = ("sigmoid", "softmax", "linear")  # for messages

# NeuralNet's settings that BoardNet does without (NeuralNet has them).
# The most weights and biases a network may hold: tinynet.checks.MAX_VALUES,
# written here so that a board need not load checks (a test keeps them equal).
MAX_VALUES = 2 ** 26

NEURALNET_ONLY = ("optimizer", "momentum", "nesterov", "beta1", "beta2", "epsilon", "alpha",
                  "early_stopping", "validation_fraction", "patience", "tol", "verbose",
                  "callback")


class BoardNet:
    """A network trained by plain gradient descent; see the module docstring."""

    def __init__(self, layers: "Sequence[int]" = (2, 5, 1), learning_rate: float = 0.001,
                 iterations: int = 100, activation: str = "relu", output: str = "auto",
                 init: str = "auto", seed: int = 1, batch_size: "Optional[int]" = None,
                 **others: object) -> None:
        for name in others:
            raise ConfigError("BoardNet has no setting %r%s" % (name, (
                ": BoardNet keeps to plain gradient descent and nothing around it; "
                "NeuralNet has it" if name in NEURALNET_ONLY else "")))
        if not isinstance(layers, (list, tuple)) or len(layers) < 2 or \
                not all(_whole(n) and n >= 1 for n in layers):
            raise ConfigError("layers must be a list of 2 or more sizes >= 1 like [2, 5, 1], "
                              "got %r" % (layers,))
        self.layers = list(layers)
        n_values = sum(n_in * n_out + n_out for n_in, n_out in zip(layers, layers[1:]))
        if n_values > MAX_VALUES:
            raise ConfigError("layers %r would hold %d weights and biases; tinynet builds at "
                              "most %d" % (self.layers, n_values, MAX_VALUES))
        self.learning_rate = _number("learning_rate", learning_rate)
        self.iterations = _count("iterations", iterations, 1)
        self.activation = _choice("activation", activation, HIDDEN_NAMES)
        if output == "auto":
            output = "sigmoid" if self.layers[-1] == 1 else "softmax"
        self.output = _choice("output", output, OUTPUT_NAMES + ("auto",))
        units, (fewest, most) = self.layers[-1], OUTPUTS[output][5:]
        if not fewest <= units <= (most or units):
            raise ConfigError("a %s output does not fit %d output unit%s: sigmoid is for 1, "
                              "softmax for 2 or more" % (output, units, "" if units == 1 else "s"))
        self.init = _choice("init", init, ("auto", "he", "xavier", "normal"))
        self.seed = _count("seed", seed, 0)
        self.batch_size = None if batch_size is None else _count("batch_size", batch_size, 1)
        self.weights: "List[Rows]" = []   # weights[l - 1][k][j] is Wl[k][j]
        self.biases: "Rows" = []          # biases[l - 1][j] is bl_j
        self.loss: "List[float]" = []
        self.classes_: "Optional[List[Any]]" = None

    def __repr__(self) -> str:
        return "BoardNet(layers=%r, learning_rate=%r, iterations=%r, activation=%r, output=%r)" % (
            self.layers, self.learning_rate, self.iterations, self.activation, self.output)

    @property
    def params(self) -> "Dict[str, Any]":
        """``{"W1": rows, "b1": values, ...}``: the weights themselves, not copies."""
        found: "Dict[str, Any]" = {}
        for l in range(len(self.weights)):
            found["W%d" % (l + 1)] = self.weights[l]
            found["b%d" % (l + 1)] = self.biases[l]
        return found

    # --- training -------------------------------------------------------------------------

    def fit(self, X: object, y: object) -> "BoardNet":
        """Train from fresh weights for ``iterations`` epochs; returns the network.

        Each epoch's loss is the mean of its batches' losses (weighted by
        their rows), each measured before its update.  Nothing changes
        unless the whole fit succeeds.
        """
        rows = self._rows(X)
        classes, targets = self._targets(y, len(rows))
        weights, biases = self._initial_weights()
        n, size = len(rows), self.batch_size
        if size is None or size >= n:
            size = n  # one batch of every row, in order: nothing to shuffle
        shuffler, order = Random(self.seed + 1), list(range(n))
        loss = [0.0] * self.iterations  # its room made at once: see tinynet.training.reserved
        for epoch in range(self.iterations):
            for i in range(n):
                order[i] = i
            if size < n:
                shuffler.shuffle(order)
            total = 0.0
            for start in range(0, n, size):
                batch = order[start:start + size]
                total += self._step(weights, biases, rows, targets, batch, epoch) * len(batch)
            loss[epoch] = total / n
        # Each step's loss was measured before its update, so the last update is checked
        # here, on every row: it can leave weights so large that the outputs overflow.
        self._step(weights, biases, rows, targets, order, self.iterations - 1, learn=False)
        self.weights, self.biases, self.loss, self.classes_ = weights, biases, loss, classes
        _warn_if_still_falling(self)
        return self

    def _step(self, weights: "List[Rows]", biases: "Rows", rows: "Rows", targets: "Rows",
              batch: "List[int]", epoch: int, learn: bool = True) -> float:
        """One forward and backward pass over the samples ``batch``, then the update.

        Returns the batch's mean loss, measured with the weights before the update.
        """
        g, backward = HIDDEN[self.activation]
        activate, add_loss, gradient, over_outputs = OUTPUTS[self.output][:4]
        L, K, m = len(weights), self.layers[-1], len(batch)
        gW = [[[0.0] * len(W[0]) for _ in W] for W in weights]  # the gradients' sums
        gb = [[0.0] * len(b) for b in biases]
        loss = 0.0
        for i in batch:
            a = [rows[i]]  # a[l]: layer l's activations; z[l - 1]: its sums
            z = []
            for l in range(L):
                zl = affine(a[l], weights[l], biases[l])
                z.append(zl)
                a.append([g(v) for v in zl] if l < L - 1 else activate(zl))
            y = targets[i]
            loss = add_loss(loss, z[L - 1], a[L], y)
            if not learn:
                continue
            d = gradient(a[L], y)  # dz of the last layer
            for l in range(L - 1, -1, -1):  # the chain rule, last layer first
                W, gWl, gbl, a_in = weights[l], gW[l], gb[l], a[l]
                for j in range(len(d)):
                    gbl[j] += d[j]  # gb_j += dz_j
                for k in range(len(a_in)):
                    row = gWl[k]
                    for j in range(len(d)):
                        row[j] += a_in[k] * d[j]  # gW[k][j] += a_k dz_j
                if l:  # da_k = sum over j of dz_j W[k][j]; then dz_k = da_k g'(z_k)
                    d = [backward(dot(d, W[k]), z[l - 1][k], a_in[k]) for k in range(len(W))]
        loss /= m * K if over_outputs else m
        if not math.isfinite(loss):
            raise ConfigError("training diverged in epoch %d (loss %s): lower the learning "
                              "rate (now %s)" % (epoch + 1, "%.6g" % loss,
                                                 "%.6g" % self.learning_rate))
        if learn:
            rate = self.learning_rate
            for l in range(L):  # W -= rate * (gW / m), and b likewise
                for values, sums in zip(weights[l] + [biases[l]], gW[l] + [gb[l]]):
                    for j in range(len(values)):
                        values[j] -= rate * (sums[j] / m)
        return loss

    def _initial_weights(self) -> "Tuple[List[Rows], Rows]":
        """``Wl`` drawn from ``Random(seed)``, layer by layer and row by row, ``bl`` zeros.

        The spread suits the activation: He's ``sqrt(2 / n_in)`` for ReLU,
        which zeroes half its inputs, Xavier's ``sqrt(2 / (n_in + n_out))``
        for the others, or 1 (``init="normal"``).
        """
        rng, scheme = Random(self.seed), self.init
        if scheme == "auto":
            scheme = "he" if self.activation in ("relu", "leaky_relu") else "xavier"
        weights, biases = [], []
        for n_in, n_out in zip(self.layers, self.layers[1:]):
            std = 1.0
            if scheme == "he":
                std = math.sqrt(2.0 / n_in)
            elif scheme == "xavier":
                std = math.sqrt(2.0 / (n_in + n_out))
            weights.append([[rng.normal(0.0, std) for _ in range(n_out)] for _ in range(n_in)])
            biases.append([0.0] * n_out)
        return weights, biases

    # --- prediction -----------------------------------------------------------------------

    def predict_proba(self, X: object) -> "Rows":
        """The output layer's probabilities for each row of ``X``, one list per row."""
        if OUTPUTS[self.output][4] == 0:
            raise ConfigError("a linear (regression) output has no probabilities: use predict")
        return [self._outputs(row) for row in self._rows(X, True)]

    def predict(self, X: object) -> "List[Any]":
        """A label per row (sigmoid: the second class where the probability is at
        least 0.5; softmax: the most probable), or a linear output's values (a
        float per row for one output, a list for several)."""
        found = []
        for i, row in enumerate(self._rows(X, True)):
            a = self._outputs(row)
            if OUTPUTS[self.output][4] == 0:  # a regression: the values themselves
                found.append(a[0] if len(a) == 1 else a)
                continue
            if not math.isfinite(sum(a)):
                raise DataError("the network's outputs for row %d are %r, not probabilities, "
                                "so they predict no class" % (i, a))
            best = 1 if a[0] >= 0.5 else 0
            if len(a) > 1:
                best = a.index(max(a))
            found.append(self.classes_[best])  # type: ignore[index]
        return found

    def _outputs(self, row: "List[float]") -> "List[float]":
        g, activate, L = HIDDEN[self.activation][0], OUTPUTS[self.output][0], len(self.weights)
        a = row
        for l in range(L):
            z = affine(a, self.weights[l], self.biases[l])
            a = [g(v) for v in z] if l < L - 1 else activate(z)
        return a

    # --- checking what comes in -----------------------------------------------------------

    def _rows(self, X: object, fitted: bool = False) -> "Rows":
        """``X`` as rows of ``layers[0]`` finite floats, or the error naming the row."""
        if fitted and not self.weights:
            raise NotFittedError("this network has no weights yet: call fit(X, y) first")
        n = self.layers[0]
        given = _listed(X)
        if not given:
            raise DataError("X must be a non-empty list of rows, got %r" % (X,))
        rows = []
        for i, row in enumerate(given):
            try:
                if isinstance(row, (str, bytes, dict, set)):
                    raise TypeError
                values = [_float(value) for value in row]
            except (TypeError, ValueError, OverflowError):
                raise _bad_row(i, row, n)
            if len(values) != n:
                raise ShapeError("X row %d has %d values but the network has %d inputs"
                                 % (i, len(values), n))
            for j, value in enumerate(values):
                if not math.isfinite(value):
                    raise DataError("X row %d, column %d is %r: values must be finite numbers"
                                    % (i, j, value))
            rows.append(values)
        return rows

    def _targets(self, y: object, n_rows: int) -> "Tuple[Optional[List[Any]], Rows]":
        """``(classes_, target rows)`` from labels, or ``(None, values)`` for a linear output."""
        labels = _listed(y)
        if labels is None:
            raise DataError("y must be a list of labels or targets, got %r" % (y,))
        if len(labels) != n_rows:
            raise ShapeError("X has %d rows but y has %d labels" % (n_rows, len(labels)))
        K, kind = self.layers[-1], OUTPUTS[self.output][4]
        if kind == 0:
            return None, [_values(value, K, i) for i, value in enumerate(labels)]
        classes = _classes(labels, kind or K)
        place = {label: index for index, label in enumerate(classes)}
        if K == 1:
            return classes, [[float(place[label])] for label in labels]
        return classes, [[1.0 if j == place[label] else 0.0 for j in range(K)]
                         for label in labels]

    # --- the model file -------------------------------------------------------------------

    def save(self, path: str) -> None:
        """Write the network to ``path`` as a model file of version 2 (README, "The model
        file"): ``NeuralNet.load`` and ``tinynet.predictor.load`` read it."""
        import json  # here: training never needs it

        if not self.weights:
            raise NotFittedError("this network has no weights yet: call fit(X, y) before "
                                 "saving it")
        params = self.params
        for name in params:
            for row in params[name] if name[0] == "W" else [params[name]]:
                for value in row:
                    if not math.isfinite(value):
                        raise ModelFileError("cannot save: %s holds %r" % (name, value))
        text = json.dumps({
            "format": "tinynet-model", "version": 2, "layers": self.layers,
            "activation": self.activation, "output": self.output, "classes": self.classes_,
            "training": {"learning_rate": self.learning_rate, "iterations": self.iterations,
                         "init": self.init, "seed": self.seed, "batch_size": self.batch_size},
            "params": params, "scaler": None, "target_scaler": None, "features": None,
            "target": None})
        from . import files  # here: training never needs it

        path = str(path)
        try:  # the text is whole before any file is touched; files says the rest
            files.write_atomically(path, text)
        except OSError as error:
            raise ModelFileError("cannot write model file %r: %s"
                                 % (path, files.reason(error, files.folder(path))))


def affine(a: "List[float]", W: "Rows", b: "List[float]") -> "List[float]":
    """``z_j = (a_0 W[0][j] + a_1 W[1][j] + ...) + b_j``: from 0.0, in input order, bias last."""
    z = []
    for j in range(len(b)):
        total = 0.0
        for k in range(len(a)):
            total += a[k] * W[k][j]
        z.append(total + b[j])
    return z


def dot(d: "List[float]", w: "List[float]") -> float:
    """``d_0 w_0 + d_1 w_1 + ...``, from 0.0, in order."""
    total = 0.0
    for j in range(len(d)):
        total += d[j] * w[j]
    return total


def _warn_if_still_falling(net: BoardNet) -> None:
    """Warn when the mean loss of the last tenth of epochs fell by more than 5% of
    its fall over the whole run (``tinynet.training.still_falling``'s test)."""
    loss, n = net.loss, len(net.loss)
    window = max(1, n // 10)
    if n < 2:
        return
    recent = sum(loss[n - window:], 0.0) / window
    whole = loss[0] - recent
    if not (whole > 0.0 and sum(loss[n - 2 * window:n - window], 0.0) / window - recent
            > 0.05 * whole):
        return
    message = ("the loss was still falling steeply when fit ended (from %.6g to %.6g in %d "
               "epochs): try more iterations (now %d) or a larger learning_rate (now %.6g)"
               % (loss[0], loss[-1], n, n, net.learning_rate))
    try:
        import warnings
    except ImportError:  # MicroPython: a line on stderr
        import sys

        print("ConvergenceWarning: " + message, file=sys.stderr)
        return
    from .messages import ConvergenceWarning

    category: "Any" = ConvergenceWarning  # a Warning on CPython (messages.py says why)
    warnings.warn(message, category, stacklevel=3)


def _classes(labels: "List[Any]", n_classes: int) -> "List[Any]":
    """``classes_`` as ``NeuralNet`` finds it (``tinynet.labels``): ``[0..k-1]``
    when every label is a class index (a whole number, as an int or a float),
    else the sorted distinct labels, which must number ``k``.  Labels are
    numbers, strings or bools, one kind at a time."""
    for i, label in enumerate(labels):
        kind = type(label)
        if kind not in (int, float, str, bool) or kind is float and not math.isfinite(label):
            raise DataError("y[%d] is %r (%s): BoardNet's class labels are finite numbers, "
                            "strings or bools" % (i, label, kind.__name__))
    if all(type(label) in (int, float) and 0 <= label < n_classes and label == int(label)
           for label in labels):
        return list(range(n_classes))
    bools = [label for label in labels if type(label) is bool]
    if bools and len(bools) != len(labels):
        other = [label for label in labels if type(label) is not bool][0]
        raise DataError("y mixes the bool %r with the label %r: Python counts True as 1 and "
                        "False as 0, so give the labels as one or the other" % (bools[0], other))
    try:
        classes = sorted(set(labels))
    except TypeError:
        numbers = [label for label in labels if type(label) is not str]
        strings = [label for label in labels if type(label) is str]
        raise DataError("y mixes labels that cannot be sorted together: %r and %r"
                        % (numbers[0], strings[0]))
    if len(classes) != n_classes:
        raise DataError("y holds %d distinct label%s (%s) but the network tells %d classes "
                        "apart: labels must be the class indices 0..%d, or exactly %d distinct "
                        "values" % (len(classes), "" if len(classes) == 1 else "s",
                                    ", ".join(map(repr, classes[:10])), n_classes,
                                    n_classes - 1, n_classes))
    return classes


def _values(value: object, K: int, i: int) -> "List[float]":
    """A regression target: ``K`` finite numbers (one may come without its list)."""
    try:
        values = [_float(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
    except (TypeError, ValueError, OverflowError):
        raise DataError("y[%d] must be %s, got %r%s" % (i, "a number" if K == 1 else
                                                        "a list of %d numbers" % K, value,
                                                        _too_large(value)))
    if len(values) != K:
        raise ShapeError("y[%d] has %d values but the network has %d outputs"
                         % (i, len(values), K))
    for value in values:
        if not math.isfinite(value):
            raise DataError("y[%d] is %r: targets must be finite numbers" % (i, value))
    return values


def _listed(values: object) -> "Optional[List[Any]]":
    """``values`` as a list when it is a sequence of items (a list, a tuple, a
    generator...), else None: text, a dict or a set is not a row or a column."""
    if isinstance(values, (str, bytes, dict, set)):
        return None
    try:
        return list(values)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        return None


def _bad_row(i: int, row: object, n: int) -> DataError:
    """The error for row ``i`` of X, which is not ``n`` numbers: the first value
    that is not a number, by its column, or the row itself."""
    cells = _listed(row)
    if cells is None:
        return DataError("X row %d must be a list of %d numbers, got %r" % (i, n, row))
    for j, value in enumerate(cells):
        try:
            _float(value)
        except (TypeError, ValueError, OverflowError):
            return DataError("X row %d, column %d is %r (%s): values must be numbers%s"
                             % (i, j, value, type(value).__name__, _too_large(value)))
    return DataError("X row %d must be a list of %d numbers, got %r" % (i, n, row))


def _too_large(value: object) -> str:
    """``" (too large for a float)"`` for a whole number past the float range."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2 ** 1024:
        return " (a whole number too large for a float)"
    return ""


def _float(value: object) -> float:
    """``float(value)`` for a number; TypeError for text, None and bools, which are not."""
    if value is None or isinstance(value, (bool, str, bytes)):
        raise TypeError
    return float(value)  # type: ignore[arg-type]


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(name: str, value: object, least: int) -> int:
    if not _whole(value) or value < least:  # type: ignore[operator]
        raise ConfigError("%s must be a whole number >= %d, got %r" % (name, least, value))
    return value  # type: ignore[return-value]


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not (math.isfinite(value) and value > 0):
        raise ConfigError("%s must be a finite number > 0, got %r" % (name, value))
    return float(value)


def _choice(name: str, value: object, choices: "Sequence[str]") -> str:
    if value not in choices:
        raise ConfigError("unknown %s %r: choose one of %s" % (name, value, ", ".join(choices)))
    return value  # type: ignore[return-value]

"""``NeuralNet``: a fully connected network trained by backpropagation.

>>> net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=3)
>>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
>>> y = [0, 1, 1, 0]                                  # XOR
>>> net.fit(X, y).predict(X)
[0, 1, 1, 0]

The shape of the maths
----------------------
``layers=[n0, n1, ..., nL]`` gives ``L`` layers of weights.  Rows of ``X``
are samples, so with ``A0 = X`` the forward pass is, for ``l = 1..L``::

    Zl = A(l-1) @ Wl + bl        Wl is n(l-1) x nl, bl has nl values
    Al = g(Zl)                   g is the hidden activation; the output layer
                                 uses sigmoid, softmax or nothing (linear)

and the loss compares ``AL`` with the targets ``Y`` (see ``tinynet.losses``).
The backward pass is the chain rule, from the last layer to the first::

    dZL = AL - Y                          (cross-entropy; 2 (AL - Y) / k for MSE)
    dWl = A(l-1).T @ dZl / m              m = number of samples
    dbl = sum of the rows of dZl / m
    dA(l-1) = dZl @ Wl.T
    dZ(l-1) = dA(l-1) * g'(Z(l-1))        elementwise

What the tutorial got wrong
---------------------------
This API follows a well-known from-scratch tutorial, whose backward pass
had four bugs, all fixed here: it divided by a hard-coded ``m = 2`` instead
of the batch size; it formed ``dW2`` from ``Z2`` instead of ``dZ2``; it used
tanh's derivative ``1 - A1**2`` for a ReLU layer; and it summed the bias
gradients over the wrong axis (over units instead of over samples).
``tests/test_network.py`` checks every gradient against finite differences.
"""

import math

from . import inputs
from .activations import hidden_activation, relu as relu_function, sigmoid as sigmoid_function
from .checks import describe
from .errors import ConfigError, NotFittedError
from .losses import cross_entropy_from_probabilities, output_layer
from .matrix import Matrix
from .rng import Random
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

    Param = Union[Matrix, Vector]

INIT_NAMES = ("auto", "he", "xavier", "normal")


class NeuralNet:
    """A fully connected network; see the module docstring for the maths.

    Parameters
    ----------
    layers : sizes from the inputs to the outputs, e.g. ``[2, 5, 1]``.
    learning_rate : step size of gradient descent (the tutorial's 0.001).
    iterations : passes over the training data in ``fit``.
    activation : hidden activation: ``"relu"``, ``"leaky_relu"``, ``"tanh"``,
        ``"sigmoid"``.
    output : ``"auto"`` (sigmoid for one output, softmax for several),
        ``"sigmoid"``, ``"softmax"``, or ``"linear"`` for regression.
    init : weight initialisation: ``"auto"`` (He for relu and leaky relu,
        Xavier for tanh and sigmoid), ``"he"`` (normal, std ``sqrt(2 / n_in)``),
        ``"xavier"`` (normal, std ``sqrt(2 / (n_in + n_out))``) or
        ``"normal"`` (the tutorial's unscaled standard normal).
    seed : seeds tinynet's generator; the same seed gives the same weights
        on every interpreter.
    """

    def __init__(
        self,
        layers: "Sequence[int]" = (2, 5, 1),
        learning_rate: float = 0.001,
        iterations: int = 100,
        activation: str = "relu",
        output: str = "auto",
        init: str = "auto",
        seed: int = 1,
    ) -> None:
        self.layers = _check_layers(layers)
        self.learning_rate = _check_positive("learning_rate", learning_rate)
        if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 1:
            raise ConfigError("iterations must be an int >= 1, got %s" % describe(iterations))
        self.iterations = iterations
        self.hidden_forward, self.hidden_backward = hidden_activation(activation)
        self.activation = activation
        if output == "auto":
            output = "sigmoid" if self.layers[-1] == 1 else "softmax"
        self.output_layer = output_layer(output)
        self.output = output
        if output == "sigmoid" and self.layers[-1] != 1:
            raise ConfigError(
                "a sigmoid output needs 1 output unit, got %d: use softmax for %d classes"
                % (self.layers[-1], self.layers[-1])
            )
        if output == "softmax" and self.layers[-1] < 2:
            raise ConfigError("a softmax output needs at least 2 output units, got 1: use sigmoid")
        if init not in INIT_NAMES:
            raise ConfigError("unknown init %r: choose one of %s" % (init, ", ".join(INIT_NAMES)))
        self.init = init
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise ConfigError("seed must be an int >= 0, got %s" % describe(seed))
        self.seed = seed

        self.params: "Dict[str, Any]" = {}
        self.loss: "List[float]" = []
        self.cache: "Dict[str, Matrix]" = {}
        self.X: "Optional[Matrix]" = None
        self.Y: "Optional[Matrix]" = None
        self.y: "Optional[List[Any]]" = None
        self.sample_size = 0

    # --- the tutorial's building blocks ---------------------------------------------

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L`` (one fewer than ``len(layers)``)."""
        return len(self.layers) - 1

    @property
    def param_names(self) -> "List[str]":
        """``["W1", "b1", "W2", "b2", ...]`` in layer order."""
        names = []
        for l in range(1, self.n_layers + 1):
            names += ["W%d" % l, "b%d" % l]
        return names

    def init_weights(self) -> None:
        """Fresh weights: ``Wl`` drawn from a normal distribution, ``bl`` zeros.

        The draws come from ``Random(seed)`` in order ``W1, W2, ...``, row by
        row, so the same seed gives the same weights on every interpreter.
        Scaling the spread by the layer's fan-in keeps the signal's size
        roughly constant from layer to layer: He (``sqrt(2 / n_in)``) suits
        ReLU, which zeroes half its inputs; Xavier suits tanh and sigmoid.
        """
        rng = Random(self.seed)
        scheme = self.init
        if scheme == "auto":
            scheme = "he" if self.activation in ("relu", "leaky_relu") else "xavier"
        params: "Dict[str, Any]" = {}
        for l in range(1, self.n_layers + 1):
            n_in, n_out = self.layers[l - 1], self.layers[l]
            if scheme == "he":
                std = math.sqrt(2.0 / n_in)
            elif scheme == "xavier":
                std = math.sqrt(2.0 / (n_in + n_out))
            else:
                std = 1.0
            params["W%d" % l] = Matrix.random_normal(n_in, n_out, std=std, seed=rng)
            params["b%d" % l] = Vector.zeros(n_out)
        self.params = params

    def relu(self, Z: Matrix) -> Matrix:
        """``max(0, z)`` for every entry (see ``tinynet.activations``)."""
        return relu_function(Z)

    def sigmoid(self, Z: Matrix) -> Matrix:
        """The numerically stable logistic function of every entry."""
        return sigmoid_function(Z)

    def entropy_loss(self, Y: object, Yhat: Matrix) -> float:
        """Cross-entropy of predicted probabilities ``Yhat`` against labels or targets ``Y``.

        ``Y`` may be a list of labels or a Matrix of 0/1 targets shaped like
        ``Yhat``.  Probabilities are clipped away from 0 and 1, so a
        confident mistake costs about 34.5, never ``log(0)``.
        """
        if self.output == "linear":
            raise ConfigError("entropy_loss is for classifiers; a linear output uses mean squared error")
        targets = Y if isinstance(Y, Matrix) else self._targets(Y, len(Yhat))
        return cross_entropy_from_probabilities(targets, Yhat)

    def forward_propagation(self) -> "Tuple[Matrix, float]":
        """One forward pass over the training data set by ``fit``: ``(Yhat, loss)``.

        Keeps every ``Zl`` and ``Al`` in ``self.cache`` for the backward pass.
        """
        X, Y = self._training_data()
        self.cache = self._forward(X)
        L = self.n_layers
        Yhat = self.cache["A%d" % L]
        return Yhat, self.output_layer.loss(Y, self.cache["Z%d" % L], Yhat)

    def back_propagation(self, Yhat: Matrix) -> "Dict[str, Param]":
        """Gradients from the last forward pass, then one gradient-descent step.

        Returns the gradients it applied (keys ``W1``, ``b1``, ...).
        """
        _, Y = self._training_data()
        cache = dict(self.cache)
        cache["A%d" % self.n_layers] = Yhat
        grads = self._backward(Y, cache)
        self._step(grads)
        return grads

    # --- training and prediction ----------------------------------------------------

    def fit(self, X: object, y: object) -> "NeuralNet":
        """Train from fresh weights for ``iterations`` full-batch steps; returns the network.

        ``X`` is a Matrix or a list of rows; ``y`` a list of labels
        (``0/1`` for a sigmoid output, ``0..k-1`` for softmax) or of target
        values (linear output).  Bad data raises before anything changes.
        If training diverges (the loss stops being finite) the network is
        restored as it was and ConfigError says to lower the learning rate.
        """
        X_checked = inputs.features(X, self.layers[0])
        Y = self._targets(y, len(X_checked))
        saved = self._state()
        self.X, self.Y, self.y, self.sample_size = X_checked, Y, list(_as_list(y)), len(X_checked)
        self.init_weights()
        self.loss = []
        for iteration in range(self.iterations):
            Yhat, loss = self.forward_propagation()
            if not math.isfinite(loss):
                self._restore(saved)
                raise ConfigError(
                    "training diverged at iteration %d (loss %r): lower the learning rate "
                    "(now %r)" % (iteration, loss, self.learning_rate)
                )
            self.back_propagation(Yhat)
            self.loss.append(loss)
        return self

    def predict_proba(self, X: object) -> Matrix:
        """The output layer's probabilities, one row per sample (n x outputs)."""
        if self.output == "linear":
            raise ConfigError("a linear (regression) output has no probabilities: use predict")
        return self._output(X)

    def predict(self, X: object) -> "List[Any]":
        """One prediction per row of ``X``.

        Sigmoid output: label 1 where the probability is at least 0.5, else 0.
        Softmax: the most probable class.  Linear: the predicted values (a
        float per row for one output, a list per row for several).
        """
        A = self._output(X)
        if self.output == "sigmoid":
            return [1 if row[0] >= 0.5 else 0 for row in A.rows]
        if self.output == "softmax":
            return A.argmax(axis=1)
        if A.n_cols == 1:
            return [row[0] for row in A.rows]
        return A.tolist()

    def score(self, X: object, y: object) -> float:
        """Accuracy for a classifier; R² (averaged over outputs) for regression."""
        X_checked = self._checked_features(X)
        if self.output == "linear":
            Y = inputs.regression_targets(y, self.layers[-1], len(X_checked))
            return _r2(Y, self._forward(X_checked)["A%d" % self.n_layers])
        labels = inputs.class_labels(y, self._n_classes(), len(X_checked))
        predicted = self.predict(X_checked)
        return sum(1 for a, b in zip(labels, predicted) if a == b) / len(labels)

    def gradients(self, X: object, y: object) -> "Dict[str, Param]":
        """The gradient of the mean loss with respect to every parameter.

        Same keys as ``params``; nothing about the network changes.
        """
        X_checked = self._checked_features(X)
        Y = self._targets(y, len(X_checked))
        return self._backward(Y, self._forward(X_checked))

    def loss_value(self, X: object, y: object) -> float:
        """The mean loss on ``(X, y)`` with the current weights."""
        X_checked = self._checked_features(X)
        Y = self._targets(y, len(X_checked))
        cache = self._forward(X_checked)
        L = self.n_layers
        return self.output_layer.loss(Y, cache["Z%d" % L], cache["A%d" % L])

    # --- the maths -------------------------------------------------------------------

    def _forward(self, X: Matrix) -> "Dict[str, Matrix]":
        """``A0 = X``; ``Zl = A(l-1) @ Wl + bl``; ``Al = g(Zl)``. Returns all of them."""
        params, L = self.params, self.n_layers
        cache = {"A0": X}
        A = X
        for l in range(1, L + 1):
            Z = A @ params["W%d" % l] + params["b%d" % l]
            A = self.hidden_forward(Z) if l < L else self.output_layer.activate(Z)
            cache["Z%d" % l] = Z
            cache["A%d" % l] = A
        return cache

    def _backward(self, Y: Matrix, cache: "Dict[str, Matrix]") -> "Dict[str, Param]":
        """The chain rule, last layer first (formulas in the module docstring)."""
        params, L = self.params, self.n_layers
        m = len(Y)
        grads: "Dict[str, Param]" = {}
        dZ = self.output_layer.gradient(Y, cache["A%d" % L])
        for l in range(L, 0, -1):
            grads["W%d" % l] = cache["A%d" % (l - 1)].T @ dZ / m
            grads["b%d" % l] = dZ.sum(axis=0) / m
            if l > 1:
                dA = dZ @ params["W%d" % l].T
                dZ = self.hidden_backward(dA, cache["Z%d" % (l - 1)], cache["A%d" % (l - 1)])
        return grads

    def _step(self, grads: "Dict[str, Param]") -> None:
        """Gradient descent, in place: ``W -= learning_rate * dW`` for every parameter."""
        rate = self.learning_rate
        for name in self.param_names:
            self.params[name] -= rate * grads[name]

    # --- helpers ---------------------------------------------------------------------

    def _n_classes(self) -> int:
        return 2 if self.output == "sigmoid" else self.layers[-1]

    def _targets(self, y: object, n_rows: int) -> Matrix:
        """Labels or values as the target Matrix ``Y`` the loss compares with."""
        if self.output == "linear":
            return inputs.regression_targets(y, self.layers[-1], n_rows)
        labels = inputs.class_labels(y, self._n_classes(), n_rows)
        if self.output == "sigmoid":
            return Matrix.wrap([[float(label)] for label in labels], 1)
        k = self.layers[-1]
        return Matrix.wrap([[1.0 if j == label else 0.0 for j in range(k)] for label in labels], k)

    def _checked_features(self, X: object) -> Matrix:
        if not self.params:
            raise NotFittedError("this network has no weights yet: call fit(X, y) first")
        return inputs.features(X, self.layers[0])

    def _output(self, X: object) -> Matrix:
        return self._forward(self._checked_features(X))["A%d" % self.n_layers]

    def _training_data(self) -> "Tuple[Matrix, Matrix]":
        if self.X is None or self.Y is None:
            raise NotFittedError("no training data: call fit(X, y) first")
        if not self.params:
            raise NotFittedError("this network has no weights yet: call init_weights() first")
        return self.X, self.Y

    def _state(self) -> "Dict[str, Any]":
        """Everything fit changes, copied, so a failed fit can put it back."""
        return {
            "params": {name: value.copy() for name, value in self.params.items()},
            "loss": list(self.loss),
            "cache": self.cache,
            "data": (self.X, self.Y, self.y, self.sample_size),
        }

    def _restore(self, state: "Dict[str, Any]") -> None:
        self.params = state["params"]
        self.loss = state["loss"]
        self.cache = state["cache"]
        self.X, self.Y, self.y, self.sample_size = state["data"]

    def __repr__(self) -> str:
        return "NeuralNet(layers=%r, learning_rate=%r, iterations=%r, activation=%r, output=%r)" % (
            self.layers, self.learning_rate, self.iterations, self.activation, self.output)


def _check_layers(layers: object) -> "List[int]":
    """``layers`` as a list of at least two positive ints, or ConfigError."""
    if isinstance(layers, (str, bytes)) or not isinstance(layers, (list, tuple)):
        raise ConfigError("layers must be a list of layer sizes like [2, 5, 1], got %s"
                          % describe(layers))
    if len(layers) < 2:
        raise ConfigError("layers needs at least 2 sizes (inputs and outputs), got %r" % (list(layers),))
    for i, size in enumerate(layers):
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ConfigError("layer %d has size %s: every layer needs at least 1 unit"
                              % (i, describe(size)))
    return list(layers)


def _check_positive(name: str, value: object) -> float:
    """``value`` as a finite float > 0, or ConfigError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError("%s must be a number, got %s" % (name, describe(value)))
    if not (math.isfinite(value) and value > 0):
        raise ConfigError("%s must be a finite number > 0, got %r" % (name, value))
    return float(value)


def _as_list(y: object) -> "List[Any]":
    if isinstance(y, Matrix):
        return y.tolist()
    items: "List[Any]" = list(y)  # type: ignore[call-overload]
    return items


def _r2(Y: Matrix, A: Matrix) -> float:
    """Coefficient of determination ``1 - SS_res / SS_tot``, averaged over outputs.

    An output whose targets are all equal has ``SS_tot = 0``; it scores 1.0
    when predicted exactly and 0.0 otherwise.
    """
    scores = []
    for j in range(Y.n_cols):
        ys = [row[j] for row in Y.rows]
        mean = sum(ys, 0.0) / len(ys)
        ss_tot = sum([(v - mean) * (v - mean) for v in ys], 0.0)
        ss_res = sum([(row_y[j] - row_a[j]) ** 2 for row_y, row_a in zip(Y.rows, A.rows)], 0.0)
        if ss_tot == 0.0:
            scores.append(1.0 if ss_res == 0.0 else 0.0)
        else:
            scores.append(1.0 - ss_res / ss_tot)
    return sum(scores, 0.0) / len(scores)

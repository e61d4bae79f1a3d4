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

from . import inputs, kernels
from .activations import hidden_activation, relu as relu_function, sigmoid as sigmoid_function
from .checks import describe, whole_number
from .errors import ConfigError, DataError, NotFittedError, ShapeError
from .losses import cross_entropy_from_probabilities
from .outputs import output_layer
from .matrix import Matrix
from .metrics import r2_score
from .optimizers import make_optimizer
from .rng import Random
from .training import EarlyStopping, batches, split_off
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

    from . import modelfile
    from .data import StandardScaler
    from .optimizers import Optimizer

    Param = Union[Matrix, Vector]
    Callback = Callable[["NeuralNet", int], object]

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
        (and the same mini-batch order) on every interpreter.

    Training controls (as in scikit-learn's MLPClassifier)
    ------------------------------------------------------
    batch_size : samples per gradient step; None (default) uses them all, as
        the tutorial does.  Batches are reshuffled every epoch.
    optimizer : ``"gd"`` (default), ``"momentum"`` or ``"adam"``; see
        ``tinynet.optimizers``.  ``momentum`` and ``nesterov`` tune the
        momentum optimizer; ``beta1``, ``beta2``, ``epsilon`` tune Adam.
    alpha : L2 penalty: the loss gains ``alpha / (2 m) * sum of all W**2``
        and each ``dW`` gains ``alpha / m * W`` (biases are not penalised).
    early_stopping : hold out ``validation_fraction`` of the training data
        (or use ``fit``'s ``validation_data``), stop once the validation loss
        has not improved by more than ``tol`` for ``patience`` epochs, and
        keep the best weights seen.
    verbose : print progress; True prints about ten lines, an int ``n``
        prints every ``n`` epochs.
    callback : called as ``callback(net, epoch)`` after every epoch; a true
        return value stops training.
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
        batch_size: "Optional[int]" = None,
        optimizer: str = "gd",
        momentum: float = 0.9,
        nesterov: bool = False,
        beta1: float = 0.9,
        beta2: float = 0.999,
        epsilon: float = 1e-8,
        alpha: float = 0.0,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        patience: int = 10,
        tol: float = 1e-4,
        verbose: "Union[bool, int]" = False,
        callback: "Optional[Callback]" = None,
    ) -> None:
        self.layers = _check_layers(layers)
        # ("W1", "b1", "Z1", "A1"), ... for each layer: the keys of params and
        # of the cache, made once here rather than formatted ("W%d" % l) on
        # every pass (measured: a one-sample predict of [2, 5, 1], 7.5 -> 6.5 us).
        self.layer_names = [("W%d" % l, "b%d" % l, "Z%d" % l, "A%d" % l)
                            for l in range(1, len(self.layers))]
        self.learning_rate = _check_positive("learning_rate", learning_rate)
        self.iterations = _check_int("iterations", iterations, 1)
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
        self.seed = _check_int("seed", seed, 0)

        self.batch_size = None if batch_size is None else _check_int("batch_size", batch_size, 1)
        self.optimizer = optimizer
        self.momentum = _check_fraction("momentum", momentum, allow_zero=True)
        if nesterov and optimizer != "momentum":
            raise ConfigError("nesterov=True needs optimizer='momentum', got optimizer=%r" % (optimizer,))
        self.nesterov = _check_bool("nesterov", nesterov)
        self.beta1 = _check_fraction("beta1", beta1, allow_zero=True)
        self.beta2 = _check_fraction("beta2", beta2, allow_zero=True)
        self.epsilon = _check_positive("epsilon", epsilon)
        make_optimizer(optimizer, self.learning_rate)  # refuses an unknown name now
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not (
            math.isfinite(alpha) and alpha >= 0
        ):
            raise ConfigError("alpha must be a finite number >= 0, got %s" % describe(alpha))
        self.alpha = float(alpha)
        self.early_stopping = _check_bool("early_stopping", early_stopping)
        self.validation_fraction = _check_fraction("validation_fraction", validation_fraction)
        self.patience = _check_int("patience", patience, 1)
        if isinstance(tol, bool) or not isinstance(tol, (int, float)) or not (
            math.isfinite(tol) and tol >= 0
        ):
            raise ConfigError("tol must be a finite number >= 0, got %s" % describe(tol))
        self.tol = float(tol)
        if not isinstance(verbose, bool) and (not isinstance(verbose, int) or verbose < 0):
            raise ConfigError("verbose must be True, False or an int >= 0 (0 is off), got %s" % describe(verbose))
        self.verbose = verbose
        if callback is not None and not callable(callback):
            raise ConfigError("callback must be a function called as callback(net, epoch), got %s"
                              % describe(callback))
        self.callback = callback

        self.params: "Dict[str, Any]" = {}
        self.optimizer_state: "Optional[Optimizer]" = None
        self.validation_loss: "List[float]" = []
        self.validation_score: "List[float]" = []
        self.loss: "List[float]" = []
        self.cache: "Dict[str, Matrix]" = {}
        self.X: "Optional[Matrix]" = None
        self.Y: "Optional[Matrix]" = None
        self.y: "Optional[List[Any]]" = None
        # Identities of the X and y that fit stored with Y, so a learner's
        # own net.X / net.y (the tutorial's manual loop) is noticed.
        self._fitted_data: "Tuple[int, int]" = (0, 0)
        self.sample_size = 0
        # Applied to every X before the input layer (fit, predict, score, ...),
        # so a saved model with its scaler predicts on raw features.
        self.scaler: "Optional[StandardScaler]" = None
        # For a linear output only: a scaler fitted on the targets (one column
        # per output).  fit then learns the scaled targets, mean 0 and spread 1
        # whatever their size in the data (a target in the tens of thousands
        # otherwise makes the first gradients huge and training diverge);
        # predict and score undo it, so they speak the targets' own units.
        # loss, validation_loss, loss_value and gradients are in scaled units.
        self.target_scaler: "Optional[StandardScaler]" = None
        # Names of the input columns and of the target, saved with the model
        # so that a program reading a table can pick its columns by name.
        # Not used by the network itself; None when unknown.
        self.feature_names: "Optional[List[str]]" = None
        self.target_name: "Optional[str]" = None

    # --- the tutorial's building blocks ---------------------------------------------

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L`` (one fewer than ``len(layers)``)."""
        return len(self.layers) - 1

    @property
    def param_names(self) -> "List[str]":
        """``["W1", "b1", "W2", "b2", ...]`` in layer order."""
        return [name for W_name, b_name, _, _ in self.layer_names for name in (W_name, b_name)]

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
        self.optimizer_state = make_optimizer(
            self.optimizer, self.learning_rate, self.momentum, self.nesterov,
            self.beta1, self.beta2, self.epsilon,
        )

    def relu(self, Z: Matrix) -> Matrix:
        """``max(0, z)`` for every entry (see ``tinynet.activations``)."""
        return relu_function(Z)

    def sigmoid(self, Z: Matrix) -> Matrix:
        """The numerically stable logistic function of every entry."""
        return sigmoid_function(Z)

    def entropy_loss(self, Y: object, Yhat: "Union[Matrix, Sequence[Sequence[float]]]") -> float:
        """Cross-entropy of predicted probabilities ``Yhat`` against labels or targets ``Y``.

        ``Y`` may be a list of labels or a Matrix of 0/1 targets shaped like
        ``Yhat``.  Probabilities are clipped away from 0 and 1, so a
        confident mistake costs about 34.5, never ``log(0)``.
        """
        if self.output == "linear":
            raise ConfigError("entropy_loss is for classifiers; a linear output uses mean squared error")
        probabilities = Yhat if isinstance(Yhat, Matrix) else Matrix(Yhat)
        if probabilities.n_cols != self.layers[-1]:
            raise ShapeError("Yhat has %d columns but the network has %d outputs"
                             % (probabilities.n_cols, self.layers[-1]))
        if isinstance(Y, Matrix):
            targets = Y
            if targets.shape != probabilities.shape:
                raise ShapeError("cannot compare targets %dx%d with Yhat %dx%d"
                                 % (targets.shape + probabilities.shape))
        else:
            targets = self._targets(Y, len(probabilities))
        return cross_entropy_from_probabilities(targets, probabilities)

    def forward_propagation(self) -> "Tuple[Matrix, float]":
        """One forward pass over the training data set by ``fit``: ``(Yhat, loss)``.

        Keeps every ``Zl`` and ``Al`` in ``self.cache`` for the backward pass.
        """
        X, Y = self._training_data()
        self.cache = self._forward(X)
        return self.cache["A%d" % self.n_layers], self._loss(Y, self.cache)

    def back_propagation(self, Yhat: Matrix) -> "Dict[str, Param]":
        """Gradients from the last forward pass, then one optimizer step
        (with the default ``"gd"``: ``W -= learning_rate * dW``).

        Returns the gradients it applied (keys ``W1``, ``b1``, ...).
        """
        _, Y = self._training_data()
        if not self.cache:
            raise NotFittedError("back_propagation needs a forward pass: call forward_propagation() first")
        if not isinstance(Yhat, Matrix) or Yhat.shape != Y.shape:
            raise ShapeError("Yhat must be the %dx%d Matrix forward_propagation() returned, got %s"
                             % (Y.shape + (describe(Yhat),)))
        cache = dict(self.cache)
        cache["A%d" % self.n_layers] = Yhat
        grads = self._backward(Y, cache)
        if self.optimizer_state is None:
            raise NotFittedError("no optimizer yet: call init_weights() first")
        self.optimizer_state.step(self.params, grads, self.param_names)
        return grads

    # --- training and prediction ----------------------------------------------------

    def fit(self, X: object, y: object, validation_data: "Optional[Tuple[object, object]]" = None
            ) -> "NeuralNet":
        """Train from fresh weights for ``iterations`` epochs; returns the network.

        ``X`` is a Matrix or a list of rows; ``y`` a list of labels
        (``0/1`` for a sigmoid output, ``0..k-1`` for softmax) or of target
        values (linear output).  ``validation_data=(X_val, y_val)`` records
        ``validation_loss`` and ``validation_score`` every epoch (and is what
        early stopping watches, instead of a held-out fraction).

        ``loss`` gets one value per epoch: the mean loss over the epoch's
        batches, each measured before its update.  Bad data raises before
        anything changes; if training fails (the loss stops being finite, the
        callback raises, Ctrl-C) the network is put back as it was.
        """
        X_all = self._features(X)
        y_all = inputs.label_list(y, len(X_all))  # a list once, even if y is a generator
        Y_all = self._targets(y_all, len(X_all))
        validation: "Optional[Tuple[Matrix, Matrix]]" = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ConfigError("validation_data must be a pair (X_val, y_val), got %s"
                                  % describe(validation_data))
            X_val = self._features(validation_data[0])
            validation = (X_val, self._targets(validation_data[1], len(X_val)))
        elif self.early_stopping:
            if len(X_all) < 2:
                raise DataError("early stopping needs at least 2 samples to hold some out")
            train_rows, val_rows = split_off(len(X_all), self.validation_fraction,
                                             Random(self.seed + 2))
            validation = (_take(X_all, val_rows), _take(Y_all, val_rows))
            X_all, Y_all = _take(X_all, train_rows), _take(Y_all, train_rows)
            y_all = [y_all[i] for i in train_rows]

        saved = self._state()
        try:
            self.X, self.Y, self.y, self.sample_size = X_all, Y_all, y_all, len(X_all)
            self._fitted_data = (id(self.X), id(self.y))
            self.init_weights()
            self.loss, self.validation_loss, self.validation_score = [], [], []
            self._train_epochs(X_all, Y_all, validation)
            # Each step's loss is measured before its update, so the last
            # update is checked here: it can leave weights so large that the
            # outputs overflow to inf or NaN.
            final_loss = self._loss(Y_all, self._forward(X_all))
            if not math.isfinite(final_loss):
                raise ConfigError(
                    "training diverged in its last step (loss %r): lower the learning rate "
                    "(now %r)" % (final_loss, self.learning_rate)
                )
        except BaseException:
            self._restore(saved)
            raise
        return self

    def partial_fit(self, X: object, y: object) -> "NeuralNet":
        """One optimizer step on the batch ``(X, y)``, continuing from the current weights.

        For streaming and on-device learning: weights are initialised on the
        first call, and the optimizer's memory (momentum, Adam's moments)
        carries over between calls.  The batch's loss is appended to ``loss``.
        """
        X_batch = self._features(X)
        Y_batch = self._targets(y, len(X_batch))
        saved = self._state()
        try:
            if not self.params:
                self.init_weights()
            self.loss.append(self._train_step(X_batch, Y_batch, 0))
        except BaseException:
            self._restore(saved)
            raise
        return self

    def _train_epochs(self, X: Matrix, Y: Matrix,
                      validation: "Optional[Tuple[Matrix, Matrix]]") -> None:
        """The training loop behind ``fit``: epochs of mini-batch steps."""
        shuffle_rng = Random(self.seed + 1)
        stopper = EarlyStopping(self.patience, self.tol) if self.early_stopping else None
        n = len(X)
        for epoch in range(self.iterations):
            total = 0.0
            for rows in batches(n, self.batch_size, shuffle_rng):
                if len(rows) == n:
                    X_batch, Y_batch = X, Y
                else:
                    X_batch, Y_batch = _take(X, rows), _take(Y, rows)
                total += self._train_step(X_batch, Y_batch, epoch) * len(rows)
            self.loss.append(total / n)
            stop = False
            if validation is not None:
                X_val, Y_val = validation
                cache = self._forward(X_val)
                self.validation_loss.append(self._loss(Y_val, cache))
                self.validation_score.append(self._score(Y_val, cache["A%d" % self.n_layers]))
                if stopper is not None:
                    stop = stopper.update(epoch, self.validation_loss[-1], self.params)
            self._report(epoch, stop)
            if self.callback is not None and self.callback(self, epoch):
                break
            if stop:
                break
        if stopper is not None and stopper.best_params:
            self.params = stopper.best_params

    def _train_step(self, X: Matrix, Y: Matrix, epoch: int) -> float:
        """Forward, loss, backward, update on one batch; returns the batch's loss."""
        cache = self._forward(X)
        loss = self._loss(Y, cache)
        if not math.isfinite(loss):
            raise ConfigError(
                "training diverged in epoch %d (loss %r): lower the learning rate (now %r)"
                % (epoch, loss, self.learning_rate)
            )
        grads = self._backward(Y, cache)
        assert self.optimizer_state is not None  # set by init_weights
        self.optimizer_state.step(self.params, grads, self.param_names)
        return loss

    def _report(self, epoch: int, stopping: bool) -> None:
        """Print a progress line when ``verbose`` asks for one."""
        if not self.verbose:
            return
        # True: every ceil(iterations / 10) epochs, so at most ten lines plus the last epoch's.
        every = self.verbose if self.verbose is not True else -(-self.iterations // 10)
        last = epoch == self.iterations - 1 or stopping
        first = epoch == 0
        if not (first or last or (epoch + 1) % every == 0):
            return
        line = "epoch %d/%d  loss %.6g" % (epoch + 1, self.iterations, self.loss[-1])
        if self.validation_loss:
            name = "r2" if self.output == "linear" else "accuracy"
            line += "  validation loss %.6g  validation %s %.4f" % (
                self.validation_loss[-1], name, self.validation_score[-1])
        if stopping:
            line += "  (early stop: no improvement for %d epochs)" % self.patience
        print(line)

    def predict_proba(self, X: object) -> Matrix:
        """The output layer's probabilities, one row per sample (n x outputs)."""
        if self.output == "linear":
            raise ConfigError("a linear (regression) output has no probabilities: use predict")
        return self._output(X)

    def predict(self, X: object) -> "List[Any]":
        """One prediction per row of ``X``.

        Sigmoid output: label 1 where the probability is at least 0.5, else 0.
        Softmax: the most probable class.  Linear: the predicted values (a
        float per row for one output, a list per row for several), in the
        targets' own units when there is a ``target_scaler``.
        """
        A = self._unscaled(self._output(X))
        if self.output == "sigmoid":
            return [1 if row[0] >= 0.5 else 0 for row in A.rows]
        if self.output == "softmax":
            return A.argmax(axis=1)
        if A.n_cols == 1:
            return [row[0] for row in A.rows]
        return A.tolist()

    def score(self, X: object, y: object) -> float:
        """Accuracy for a classifier; R² (averaged over outputs) for regression,
        comparing ``predict``'s values with ``y`` in the targets' own units."""
        X_checked = self._checked_features(X)
        A = self._forward(X_checked)["A%d" % self.n_layers]
        if self.output == "linear":
            Y = inputs.regression_targets(y, self.layers[-1], len(X_checked))
            return r2_score(Y.rows, self._unscaled(A).rows)
        return self._score(self._targets(y, len(X_checked)), A)

    def gradients(self, X: object, y: object) -> "Dict[str, Param]":
        """The gradient of the mean loss with respect to every parameter.

        Same keys as ``params``; nothing about the network changes.  With a
        ``target_scaler`` this is the loss training minimises: on the scaled
        targets, as ``loss_value`` measures it.
        """
        X_checked = self._checked_features(X)
        Y = self._targets(y, len(X_checked))
        return self._backward(Y, self._forward(X_checked))

    def loss_value(self, X: object, y: object) -> float:
        """The mean loss on ``(X, y)`` with the current weights (L2 penalty included).

        ``y`` is given in the targets' own units; with a ``target_scaler`` the
        loss compares the scaled targets with the network's (scaled) outputs,
        as training does, so it matches the values in ``loss``.
        """
        X_checked = self._checked_features(X)
        Y = self._targets(y, len(X_checked))
        return self._loss(Y, self._forward(X_checked))

    # --- the maths -------------------------------------------------------------------

    def _forward(self, X: Matrix) -> "Dict[str, Matrix]":
        """``A0 = X``; ``Zl = A(l-1) @ Wl + bl``; ``Al = g(Zl)``. Returns all of them."""
        params, L = self.params, self.n_layers
        cache = {"A0": X}
        A = X
        for l, (W_name, b_name, Z_name, A_name) in enumerate(self.layer_names, 1):
            Z = _affine(A, params[W_name], params[b_name])  # A(l-1) @ Wl + bl
            A = self.hidden_forward(Z) if l < L else self.output_layer.activate(Z)
            cache[Z_name] = Z
            cache[A_name] = A
        return cache

    def _loss(self, Y: Matrix, cache: "Dict[str, Matrix]") -> float:
        """The output layer's loss, plus ``alpha / (2 m) * sum of W**2`` when ``alpha > 0``."""
        L = self.n_layers
        loss = self.output_layer.loss(Y, cache["Z%d" % L], cache["A%d" % L])
        if self.alpha:
            squares = 0.0
            for l in range(1, L + 1):
                for row in self.params["W%d" % l].rows:
                    squares += sum([w * w for w in row], 0.0)
            loss += self.alpha / (2.0 * len(Y)) * squares
        return loss

    def _score(self, Y: Matrix, A: Matrix) -> float:
        """Accuracy of outputs ``A`` against targets ``Y`` (R² for a linear output)."""
        if self.output == "linear":
            # During fit both are in target_scaler's units: R² is the same in
            # any units, as long as both sides are rescaled alike.
            return r2_score(Y.rows, A.rows)
        if self.output == "sigmoid":
            hits = sum(1 for y_row, a_row in zip(Y.rows, A.rows) if (a_row[0] >= 0.5) == (y_row[0] == 1.0))
        else:
            hits = sum(1 for want, got in zip(Y.argmax(axis=1), A.argmax(axis=1)) if want == got)
        return hits / len(Y)

    def _backward(self, Y: Matrix, cache: "Dict[str, Matrix]") -> "Dict[str, Param]":
        """The chain rule, last layer first (formulas in the module docstring)."""
        params, L = self.params, self.n_layers
        m = len(Y)
        grads: "Dict[str, Param]" = {}
        dZ = self.output_layer.gradient(Y, cache["A%d" % L])
        for l in range(L, 0, -1):
            dW = cache["A%d" % (l - 1)].T @ dZ / m
            if self.alpha:
                dW += (self.alpha / m) * params["W%d" % l]  # the L2 penalty's gradient
            grads["W%d" % l] = dW
            grads["b%d" % l] = dZ.sum(axis=0) / m
            if l > 1:
                dA = dZ @ params["W%d" % l].T
                dZ = self.hidden_backward(dA, cache["Z%d" % (l - 1)], cache["A%d" % (l - 1)])
        return grads

    # --- helpers ---------------------------------------------------------------------

    def _n_classes(self) -> int:
        return 2 if self.output == "sigmoid" else self.layers[-1]

    def _targets(self, y: object, n_rows: int) -> Matrix:
        """Labels or values as the target Matrix ``Y`` the loss compares with
        (values rescaled by ``target_scaler`` when one is set)."""
        target_scaler = self._target_scaling()
        if self.output == "linear":
            Y = inputs.regression_targets(y, self.layers[-1], n_rows)
            return Y if target_scaler is None else target_scaler.transform(Y)
        labels = inputs.class_labels(y, self._n_classes(), n_rows)
        if self.output == "sigmoid":
            return Matrix.wrap([[float(label)] for label in labels], 1)
        k = self.layers[-1]
        return Matrix.wrap([[1.0 if j == label else 0.0 for j in range(k)] for label in labels], k)

    def _features(self, X: object) -> Matrix:
        """``X`` checked (see ``tinynet.inputs``) and ready for the input layer:
        rescaled by ``scaler`` when one is set."""
        X_checked = inputs.features(X, self.layers[0])
        return X_checked if self.scaler is None else self.scaler.transform(X_checked)

    def _checked_features(self, X: object) -> Matrix:
        """``_features(X)`` for a network that must already have weights."""
        if not self.params:
            raise NotFittedError("this network has no weights yet: call fit(X, y) first")
        return self._features(X)

    def _output(self, X: object) -> Matrix:
        """The output layer's ``AL`` for ``X``: ``_forward`` without keeping each
        layer's ``Z`` and ``A``, which prediction does not need."""
        A = self._checked_features(X)
        params, L = self.params, self.n_layers
        for l, (W_name, b_name, _, _) in enumerate(self.layer_names, 1):
            Z = _affine(A, params[W_name], params[b_name])
            A = self.hidden_forward(Z) if l < L else self.output_layer.activate(Z)
        return A

    def _target_scaling(self) -> "Optional[StandardScaler]":
        """``target_scaler``, or ConfigError if one is set on a classifier."""
        if self.target_scaler is not None and self.output != "linear":
            raise ConfigError("target_scaler rescales the values of a linear (regression) "
                              "output; this network's output is %s: set it to None" % self.output)
        return self.target_scaler

    def _unscaled(self, A: Matrix) -> Matrix:
        """Outputs ``A`` back in the targets' own units: ``A * scale + mean``."""
        target_scaler = self._target_scaling()
        return A if target_scaler is None else target_scaler.inverse_transform(A)

    def _training_data(self) -> "Tuple[Matrix, Matrix]":
        """The data the tutorial's ``forward_propagation`` and ``back_propagation`` use.

        After ``fit`` that is the checked ``X`` and target Matrix ``Y`` it
        stored.  A learner may instead set ``net.X`` and ``net.y`` by hand
        (as the tutorial does) and call ``init_weights()``; those are checked
        and converted here.
        """
        if self.X is None or self.y is None:
            raise NotFittedError("no training data: call fit(X, y), or set net.X and net.y")
        if not self.params:
            raise NotFittedError("this network has no weights yet: call init_weights() first")
        if self.Y is not None and self._fitted_data == (id(self.X), id(self.y)):
            return self.X, self.Y
        X = self._features(self.X)
        return X, self._targets(self.y, len(X))

    def _state(self) -> "Dict[str, Any]":
        """Everything fit changes, copied, so a failed fit can put it back."""
        return {
            "params": {name: value.copy() for name, value in self.params.items()},
            "optimizer": None if self.optimizer_state is None else self.optimizer_state.copy(),
            "loss": list(self.loss),
            "validation": (list(self.validation_loss), list(self.validation_score)),
            "cache": self.cache,
            "data": (self.X, self.Y, self.y, self.sample_size, self._fitted_data),
        }

    def _restore(self, state: "Dict[str, Any]") -> None:
        self.params = state["params"]
        self.optimizer_state = state["optimizer"]
        self.loss = state["loss"]
        self.validation_loss, self.validation_score = state["validation"]
        self.cache = state["cache"]
        self.X, self.Y, self.y, self.sample_size, self._fitted_data = state["data"]

    # --- saving and loading (the format is in tinynet.modelfile) ----------------------
    # tinynet.modelfile is imported when first needed, not with the package: it
    # brings in json (and with it re, enum, ...), which was 6 of the 10 ms that
    # `python3.13 -S -c "import tinynet"` spent importing.

    def save(self, path: "modelfile.Path") -> None:
        """Write the network, with its scalers and column names, to the JSON file ``path``."""
        from . import modelfile

        modelfile.save(self, path)

    @classmethod
    def load(cls, path: "modelfile.Path") -> "NeuralNet":
        """A network read back from a file written by ``save``."""
        from . import modelfile

        return modelfile.load(path, cls)

    def to_dict(self) -> "Dict[str, Any]":
        """The network as plain dicts, lists and numbers, as ``save`` writes it."""
        from . import modelfile

        return modelfile.to_dict(self)

    @classmethod
    def from_dict(cls, d: "Dict[str, Any]") -> "NeuralNet":
        """A network from ``to_dict``'s output, checked entry by entry."""
        from . import modelfile

        return modelfile.from_dict(d, cls)

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
    sizes = []
    for i, size in enumerate(layers):
        whole = whole_number(size)
        if whole is None:
            raise ConfigError("layer %d has size %s: layer sizes must be whole numbers"
                              % (i, describe(size)))
        if whole < 1:
            raise ConfigError("layer %d has size %d: every layer needs at least 1 unit" % (i, whole))
        sizes.append(whole)
    return sizes


def _check_int(name: str, value: object, minimum: int) -> int:
    """``value`` as an int >= ``minimum`` (NumPy integers accepted, bools not), or ConfigError."""
    whole = whole_number(value)
    if whole is None or whole < minimum:
        raise ConfigError("%s must be a whole number >= %d, got %s" % (name, minimum, describe(value)))
    return whole


def _check_positive(name: str, value: object) -> float:
    """``value`` as a finite float > 0, or ConfigError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError("%s must be a number, got %s" % (name, describe(value)))
    if not (math.isfinite(value) and value > 0):
        raise ConfigError("%s must be a finite number > 0, got %r" % (name, value))
    return float(value)


def _check_bool(name: str, value: object) -> bool:
    """``value`` if it is True or False, else ConfigError (``"no"`` is not False)."""
    if value is not True and value is not False:
        raise ConfigError("%s must be True or False, got %s" % (name, describe(value)))
    return value


def _check_fraction(name: str, value: object, allow_zero: bool = False) -> float:
    """``value`` as a float in ``(0, 1)`` (``[0, 1)`` with ``allow_zero``), or ConfigError."""
    low = "[0" if allow_zero else "(0"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError("%s must be a number in %s, 1), got %s" % (name, low, describe(value)))
    if not ((0 <= value if allow_zero else 0 < value) and value < 1):
        raise ConfigError("%s must be in %s, 1), got %r" % (name, low, value))
    return float(value)


def _affine(A: Matrix, W: object, b: object) -> Matrix:
    """``A @ W + b`` in one pass: each dot product gets its bias as it is made.

    The same numbers as ``A @ W + b`` without the intermediate Matrix and the
    second pass over it (measured: ``Z1`` of a [2, 5, 1] network on 1000
    samples, 1.10 ms -> 0.89 ms on CPython 3.11).  Anything that does not fit
    goes the long way, so the error names the shapes as ``@`` and ``+`` do.
    """
    if not (isinstance(W, Matrix) and isinstance(b, Vector)
            and A.n_cols == len(W.rows) and W.n_cols == len(b.data)):
        return A @ W + b  # type: ignore[operator,no-any-return]
    return Matrix.wrap(kernels.matmul_add(A.rows, zip(*W.rows), b.data), W.n_cols)


def _take(matrix: Matrix, rows: "List[int]") -> Matrix:
    """The rows of ``matrix`` at the given indices, as a new Matrix (rows shared, not copied)."""
    source = matrix.rows
    return Matrix.wrap([source[i] for i in rows], matrix.n_cols)

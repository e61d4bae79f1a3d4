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
Its update also summed the gradients over the samples instead of averaging
them, so its ``learning_rate=0.001`` on 216 rows acts like 0.216 here
(README.md, "What the tutorial got wrong").

What else is where
------------------
The network holds its weights and the maths above.  The rest lives in the
module that owns it: the rules of each setting in ``tinynet.settings``, what
the output layer's numbers mean in ``tinynet.outputs``, the epoch loop in
``tinynet.training``, the optimizers in ``tinynet.optimizers``, model files
in ``tinynet.modelfile``.  The last three are imported when first needed, so
loading a model and predicting does not load the training code.
"""

import math

from . import inputs, kernels, settings
from .activations import HIDDEN_ACTIVATIONS, relu as relu_function, sigmoid as sigmoid_function
from .checks import describe
from .errors import ConfigError, NotFittedError, ShapeError
from .losses import cross_entropy_from_probabilities
from .matrix import Matrix
from .outputs import output_layer
from .rng import Random
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

    from .files import Path
    from .optimizers import Optimizer
    from .scaler import StandardScaler

    Param = Union[Matrix, Vector]
    Callback = Callable[["NeuralNet", int], object]
    # The one-row predictor: (net, X, proba) -> the answer, or None for the Matrix path.
    OneRow = Callable[["NeuralNet", object, bool], Optional[List[Any]]]
    # The step code: (net, X, Y) -> (loss, gradients), or None for the textbook path.
    OneBatch = Callable[["NeuralNet", Matrix, Matrix], Optional[Tuple[float, Dict[str, Param]]]]


class NeuralNet:
    """A fully connected network; see the module docstring for the maths.

    ``NeuralNet(layers=[2, 5, 1], learning_rate=0.001, iterations=100)`` is the
    tutorial's network: 2 inputs, a hidden layer of 5 units, 1 output, trained
    by 100 steps of gradient descent of size 0.001.  The other settings (the
    activation, the output layer, the optimizer, mini-batches, L2, early
    stopping, progress) have defaults that keep the tutorial's behaviour;
    ``tinynet.settings`` says what each one means and which values it takes.
    """

    def __init__(
        self,
        layers: "Sequence[int]" = (2, 5, 1),
        learning_rate: float = 0.001,
        iterations: int = 100,
        # the model beyond the tutorial's
        activation: str = "relu", output: str = "auto", init: str = "auto", seed: int = 1,
        # training controls, as in scikit-learn's MLPClassifier
        batch_size: "Optional[int]" = None, optimizer: str = "gd", momentum: float = 0.9,
        nesterov: bool = False, beta1: float = 0.9, beta2: float = 0.999,
        epsilon: float = 1e-8, alpha: float = 0.0, early_stopping: bool = False,
        validation_fraction: float = 0.1, patience: int = 10, tol: float = 1e-4,
        # about one run: progress lines, a function called after every epoch
        verbose: "Union[bool, int]" = False, callback: "Optional[Callback]" = None,
    ) -> None:
        check = settings.check  # each setting's rule, or ConfigError naming it
        self.layers: "List[int]" = check("layers", layers)
        self.learning_rate: float = check("learning_rate", learning_rate)
        self.iterations: int = check("iterations", iterations)
        self.activation: str = check("activation", activation)
        self.output_layer = output_layer(check("output", output), self.layers[-1])
        self.output = self.output_layer.name  # "auto" resolved
        self.init: str = check("init", init)
        self.seed: int = check("seed", seed)
        self.batch_size: "Optional[int]" = check("batch_size", batch_size)
        self.optimizer: str = check("optimizer", optimizer)
        self.momentum: float = check("momentum", momentum)
        self.nesterov: bool = check("nesterov", nesterov)
        self.beta1: float = check("beta1", beta1)
        self.beta2: float = check("beta2", beta2)
        self.epsilon: float = check("epsilon", epsilon)
        self.alpha: float = check("alpha", alpha)
        self.early_stopping: bool = check("early_stopping", early_stopping)
        self.validation_fraction: float = check("validation_fraction", validation_fraction)
        self.patience: int = check("patience", patience)
        self.tol: float = check("tol", tol)
        self.verbose: "Union[bool, int]" = check("verbose", verbose)
        self.callback: "Optional[Callback]" = check("callback", callback)
        settings.check_combination(self.optimizer, self.nesterov)

        self.hidden_forward, self.hidden_backward = HIDDEN_ACTIVATIONS[self.activation]
        # ("W1", "b1", "Z1", "A1"), ... for each layer: the keys of params and
        # of the cache, made once here rather than on every pass.
        self.layer_names = settings.layer_names(len(self.layers) - 1)

        self.params: "Dict[str, Any]" = {}
        self.optimizer_state: "Optional[Optimizer]" = None
        self.loss: "List[float]" = []
        self.validation_loss: "List[float]" = []
        self.validation_score: "List[float]" = []
        self.cache: "Dict[str, Matrix]" = {}
        # A classifier's labels, sorted: output i predicts classes_[i].  Set by
        # fit (tinynet.labels says how) or read from a model file; None until
        # then, and for regression.  Without it, labels are the indices 0..k-1.
        self.classes_: "Optional[List[Any]]" = None
        # The number of epochs fit had completed when Ctrl-C stopped it (their
        # weights are kept), or None when the last fit ran its course.
        self.interrupted_at_epoch: "Optional[int]" = None
        # The training data: set by fit, or by hand as in the tutorial's loop.
        self.X: "Optional[Matrix]" = None
        self.Y: "Optional[Matrix]" = None
        self.y: "Optional[List[Any]]" = None
        self.sample_size = 0
        # The X and y that fit checked and turned into Y, so that a learner's
        # own net.X / net.y (the tutorial's manual loop) is noticed.
        self._fitted_data: "Tuple[object, object]" = (None, None)
        # Applied to every X before the input layer, and saved with the model,
        # so that a loaded model predicts on raw features.
        self.scaler: "Optional[StandardScaler]" = None
        # A linear output's targets, rescaled for training (a target in the
        # tens of thousands makes the first gradients huge); predict and score
        # undo it.  loss, loss_value and gradients are in the scaled units.
        self.target_scaler: "Optional[StandardScaler]" = None
        # Column names saved with the model for programs that read tables.
        self.feature_names: "Optional[List[str]]" = None
        self.target_name: "Optional[str]" = None
        # How predict and predict_proba answer for one row: code written for
        # this network on first use (tinynet.fastpredict), or the Matrix path.
        self._one_row: "OneRow" = _first_one_row
        # How a training step runs: code written for this network on first use
        # (tinynet.faststep), or the textbook path.
        self._one_batch: "OneBatch" = _first_one_batch

    # --- the tutorial's building blocks ---------------------------------------------

    @property
    def n_layers(self) -> int:
        """Number of weight layers ``L`` (one fewer than ``len(layers)``)."""
        return len(self.layer_names)

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
        The optimizer starts afresh too.
        """
        rng = Random(self.seed)
        scheme = self.init
        if scheme == "auto":
            scheme = "he" if self.activation in ("relu", "leaky_relu") else "xavier"
        params: "Dict[str, Any]" = {}
        for l, (W_name, b_name, _, _) in enumerate(self.layer_names, 1):
            n_in, n_out = self.layers[l - 1], self.layers[l]
            if scheme == "he":
                std = math.sqrt(2.0 / n_in)
            elif scheme == "xavier":
                std = math.sqrt(2.0 / (n_in + n_out))
            else:
                std = 1.0
            params[W_name] = Matrix.random_normal(n_in, n_out, std=std, seed=rng)
            params[b_name] = Vector.zeros(n_out)
        self.params = params
        self.optimizer_state = None
        self._optimizer()

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
        if not self.output_layer.is_classifier:
            raise ConfigError("entropy_loss is for classifiers; a %s output uses mean squared "
                              "error" % self.output)
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
        return self.cache[self.layer_names[-1][3]], self._loss(Y, self.cache)

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
        cache[self.layer_names[-1][3]] = Yhat
        grads = self._backward(Y, cache)
        self._optimizer().step(self.params, grads, self.param_names)
        return grads

    # --- training and prediction ----------------------------------------------------

    def fit(self, X: object, y: object, validation_data: "Optional[Tuple[object, object]]" = None
            ) -> "NeuralNet":
        """Train from fresh weights for ``iterations`` epochs; returns the network.

        ``X`` is a Matrix or a list of rows; ``y`` a list of labels or of
        target values (linear output).  Labels may be any hashable values
        (``'setosa'``, ``1..k``, ``-1/1``): ``classes_`` becomes their sorted
        list, and ``predict`` answers in them (``tinynet.labels`` gives the
        rule).  ``validation_data=(X_val, y_val)`` records
        ``validation_loss`` and ``validation_score`` every epoch (and is what
        early stopping watches, instead of a held-out fraction).  ``loss``
        gets one value per epoch: the mean of its batches' losses, each
        measured before its update.

        Bad data raises before anything changes, and a failed fit
        (divergence, a callback that raises) puts the network back as it
        was.  Ctrl-C is not a failure: fit keeps the weights of the last
        completed epoch (with early stopping, the best so far), sets
        ``interrupted_at_epoch``, warns, and returns; a second Ctrl-C while
        it does so propagates.  A fit that ends while its loss is still
        falling steeply warns (``tinynet.messages.ConvergenceWarning``).  The
        loop is ``tinynet.training.fit``.
        """
        from . import training  # here: predicting never needs the training loop

        training.fit(self, X, y, validation_data)
        return self

    def partial_fit(self, X: object, y: object, classes: "Optional[Sequence[Any]]" = None
                    ) -> "NeuralNet":
        """One optimizer step on the batch ``(X, y)``, continuing from the current weights.

        For streaming and on-device learning: weights are initialised on the
        first call, and the optimizer's memory (momentum, Adam's moments)
        carries over between calls.  The batch's loss is appended to ``loss``.
        ``classes`` lists every label the stream will hold (as scikit-learn's
        ``partial_fit`` takes it), for a network without ``classes_``; without
        it the first batch must show them all, unless the labels are the
        indices ``0..k-1``.  Later calls may repeat it, unchanged.
        """
        from . import training

        training.partial_fit(self, X, y, classes)
        return self

    def predict_proba(self, X: object) -> Matrix:
        """The output layer's probabilities, one row per sample (n x outputs)."""
        if not self.output_layer.is_classifier:
            raise ConfigError("a %s (regression) output has no probabilities: use predict"
                              % self.output)
        row = self._one_row(self, X, True)  # one plain row: see tinynet.fastpredict
        if row is not None:
            return Matrix.wrap(row, len(row[0]))
        return self._output(X)

    def predict(self, X: object) -> "List[Any]":
        """One prediction per row of ``X``: a class label from ``classes_``
        (sigmoid: the second class where the probability is at least 0.5;
        softmax: the most probable class), or the values of a linear output
        (a float per row for one output, a list per row for several) in the
        targets' own units.  An output that is NaN or infinite predicts no
        label: that is a DataError naming the row."""
        answer = self._one_row(self, X, False)  # one plain row: see tinynet.fastpredict
        if answer is not None:
            return answer
        layer = self.output_layer
        return layer.predictions(layer.unscaled(self._output(X), self.target_scaler),
                                 self.classes_)

    def score(self, X: object, y: object) -> float:
        """Accuracy for a classifier; R² (averaged over outputs) for regression,
        comparing ``predict``'s values with ``y`` in the targets' own units."""
        X_checked = self._checked_features(X)
        layer = self.output_layer
        A = layer.unscaled(self._propagate(X_checked), self.target_scaler)
        return layer.score(layer.targets(y, self.layers[-1], len(X_checked), None,
                                         self.classes_), A)

    def gradients(self, X: object, y: object) -> "Dict[str, Param]":
        """The gradient of the mean loss with respect to every parameter (keys as
        in ``params``), changing nothing; with a ``target_scaler``, of the loss
        on the scaled targets that training minimises, as ``loss_value`` measures it."""
        X_checked = self._checked_features(X)
        Y = self._targets(y, len(X_checked))
        return self._backward(Y, self._forward(X_checked))

    def loss_value(self, X: object, y: object) -> float:
        """The mean loss on ``(X, y)`` with the current weights (L2 penalty included).

        ``y`` is in the targets' own units; a ``target_scaler`` rescales them
        as training does, so the value matches those in ``loss``.
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
        try:
            for l, (W_name, b_name, Z_name, A_name) in enumerate(self.layer_names, 1):
                Z = _affine(A, params[W_name], params[b_name])  # A(l-1) @ Wl + bl
                A = self.hidden_forward(Z) if l < L else self.output_layer.activate(Z)
                cache[Z_name] = Z
                cache[A_name] = A
        except (KeyError, TypeError, AttributeError, ShapeError):
            self._check_params()  # names the entry of params that broke the pass
            raise
        if A.n_cols != self.layers[-1]:
            self._check_params()
        return cache

    def _propagate(self, X: Matrix) -> Matrix:
        """The output layer's ``AL`` for checked ``X``: ``_forward`` without keeping
        each layer's ``Z`` and ``A``, which prediction does not need."""
        params, L = self.params, self.n_layers
        A = X
        try:
            for l, (W_name, b_name, _, _) in enumerate(self.layer_names, 1):
                Z = _affine(A, params[W_name], params[b_name])
                A = self.hidden_forward(Z) if l < L else self.output_layer.activate(Z)
        except (KeyError, TypeError, AttributeError, ShapeError):
            self._check_params()  # names the entry of params that broke the pass
            raise
        if A.n_cols != self.layers[-1]:  # weights that chain, to the wrong number of outputs
            self._check_params()
        return A

    def _loss(self, Y: Matrix, cache: "Dict[str, Matrix]") -> float:
        """The output layer's loss, plus ``alpha / (2 m) * sum of W**2`` when ``alpha > 0``."""
        _, _, Z_name, A_name = self.layer_names[-1]
        loss = self.output_layer.loss(Y, cache[Z_name], cache[A_name])
        if self.alpha:
            loss += self._penalty(len(Y))
        return loss

    def _penalty(self, m: int) -> float:
        """The L2 penalty's part of the loss on ``m`` samples: ``alpha / (2 m) * sum of W**2``."""
        squares = 0.0
        for W_name, _, _, _ in self.layer_names:
            for row in self.params[W_name].rows:
                squares += sum([w * w for w in row], 0.0)
        return self.alpha / (2.0 * m) * squares

    def _backward(self, Y: Matrix, cache: "Dict[str, Matrix]") -> "Dict[str, Param]":
        """The chain rule, last layer first (formulas in the module docstring)."""
        params, names, L = self.params, self.layer_names, self.n_layers
        m = len(Y)
        grads: "Dict[str, Param]" = {}
        dZ = self.output_layer.gradient(Y, cache[names[-1][3]])  # dZL = AL - Y (cross-entropy)
        for l in range(L, 0, -1):
            W_name, b_name, _, _ = names[l - 1]
            A_previous = cache[names[l - 2][3]] if l > 1 else cache["A0"]
            dW = A_previous.T @ dZ / m  # dWl = A(l-1).T @ dZl / m
            if self.alpha:
                dW += (self.alpha / m) * params[W_name]  # the L2 penalty's gradient
            grads[W_name] = dW
            grads[b_name] = dZ.sum(axis=0) / m  # dbl = sum of the rows of dZl / m
            if l > 1:
                dA = dZ @ params[W_name].T  # dA(l-1) = dZl @ Wl.T
                dZ = self.hidden_backward(dA, cache[names[l - 2][2]], A_previous)
        return grads

    def _train_step(self, X: Matrix, Y: Matrix, epoch: int) -> float:
        """Forward, loss, backward, update on one batch; returns the batch's loss.

        ``epoch`` counts from 0, as the loop does (-1: a ``partial_fit``
        step); a divergence error names it, counting from 1 as progress
        lines do.
        """
        fast = self._one_batch(self, X, Y)  # code written for this network: tinynet.faststep
        if fast is not None:
            loss, grads = fast
            self._stop_if_diverged(loss, epoch, Y)
        else:
            cache = self._forward(X)
            loss = self._loss(Y, cache)
            self._stop_if_diverged(loss, epoch, Y)
            grads = self._backward(Y, cache)
        self._optimizer().step(self.params, grads, self.param_names)
        return loss

    def _stop_if_diverged(self, loss: float, epoch: int, Y: Matrix) -> None:
        """Raise the divergence error (``tinynet.training.diverged``) for a loss that is
        not finite, before any weight changes."""
        if not math.isfinite(loss):
            from .messages import diverged  # only when a step diverges

            raise diverged(self, epoch, loss, Y)

    # --- helpers ---------------------------------------------------------------------

    def _optimizer(self) -> "Optimizer":
        """The optimizer, started afresh if there is none (a loaded model's first step)."""
        if self.optimizer_state is None:
            from .optimizers import make_optimizer  # here: predicting needs no optimizer

            self.optimizer_state = make_optimizer(
                self.optimizer, self.learning_rate, self.momentum, self.nesterov,
                self.beta1, self.beta2, self.epsilon)
        return self.optimizer_state

    def _features(self, X: object) -> Matrix:
        """``X`` checked (see ``tinynet.inputs``) and rescaled by ``scaler`` when one is set."""
        return inputs.features(X, self.layers[0], self.scaler)

    def _checked_features(self, X: object) -> Matrix:
        """``_features(X)`` for a network that must already have weights."""
        if not self.params:
            raise NotFittedError("this network has no weights yet: call fit(X, y) first")
        return self._features(X)

    def _check_params(self) -> None:
        """Raise, naming the entry, unless ``params`` holds a Matrix and a Vector
        of the right shapes for every layer (``tinynet.paramcheck``).

        Training and saving check first.  Prediction only checks when its
        forward pass fails or gives the wrong number of outputs, so that a
        one-sample prediction does not pay for the check every time.
        """
        from .paramcheck import check_params  # here: a fit without trouble never needs it

        check_params(self.params, self.layers)

    def _output(self, X: object) -> Matrix:
        """The output layer's ``AL`` for ``X``, checked."""
        return self._propagate(self._checked_features(X))

    def _targets(self, y: object, n_rows: int, classes: "Optional[List[Any]]" = None) -> Matrix:
        """Labels or values as the target Matrix ``Y`` the loss compares with:
        labels looked up in ``classes`` (default ``classes_``), values rescaled
        by ``target_scaler`` when one is set."""
        return self.output_layer.targets(y, self.layers[-1], n_rows, self.target_scaler,
                                         self.classes_ if classes is None else classes)

    def _keep_training_data(self, X: Matrix, Y: Matrix, y: "List[Any]") -> None:
        """Remember the data ``fit`` checked, for the tutorial's ``forward_propagation``."""
        self.X, self.Y, self.y, self.sample_size = X, Y, y, len(X)
        self._fitted_data = (X, y)

    def _training_data(self) -> "Tuple[Matrix, Matrix]":
        """The data the tutorial's ``forward_propagation`` and ``back_propagation`` use.

        After ``fit`` that is the checked ``X`` and target Matrix ``Y`` it
        stored.  A learner may instead set ``net.X`` and ``net.y`` by hand
        (as the tutorial does) and call ``init_weights()``; those are checked
        and converted here.  Such labels give a network without ``classes_``
        its classes, as ``fit`` would.
        """
        if self.X is None or self.y is None:
            raise NotFittedError("no training data: call fit(X, y), or set net.X and net.y")
        if not self.params:
            raise NotFittedError("this network has no weights yet: call init_weights() first")
        self._check_params()
        fitted_X, fitted_y = self._fitted_data
        if self.Y is not None and self.X is fitted_X and self.y is fitted_y:
            return self.X, self.Y
        X = self._features(self.X)
        labels = inputs.label_list(self.y, len(X))
        classes = self.classes_
        if classes is None:
            classes = self.output_layer.find_classes(labels, self.layers[-1])
        Y = self._targets(labels, len(X), classes)
        self.classes_ = classes
        return X, Y

    # --- saving and loading (tinynet.modelfile, imported when first needed) ----------

    def save(self, path: "Path") -> None:
        """Write the network, with its scalers and column names, to the JSON file ``path``."""
        from . import modelfile  # here: it brings in json, which plain use does not need

        modelfile.save(self, path)

    @classmethod
    def load(cls, path: "Path") -> "NeuralNet":
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

    # --- other formats: ONNX and scikit-learn (imported when first needed) ----------

    @classmethod
    def from_onnx(cls, source: "Union[Path, bytes]") -> "NeuralNet":
        """A network read from an ONNX file (a path) or ONNX bytes, as written by
        ``torch.onnx.export``, skl2onnx or ``to_onnx``; its scaler too (input
        steps before the first layer).  ``tinynet.onnx_import`` says which
        graphs it reads; anything else is a ``ModelFileError`` naming the node.
        """
        from .onnx_import import read_onnx

        return cls.from_dict(read_onnx(source))

    def to_onnx(self, path: "Optional[Path]" = None, dtype: str = "float32") -> bytes:
        """The network (and its scalers) as an ONNX model, for onnxruntime and the
        rest; written to ``path`` too when one is given, whole or not at all.

        ``dtype`` is ``"float32"`` (the default) or ``"float64"``.  A
        classifier's outputs are ``label`` and ``probabilities``, a
        regressor's ``values`` (``tinynet.onnx_export`` shows the graph).
        """
        from . import onnx_export

        if path is None:
            return onnx_export.write_onnx(self.to_dict(), dtype)
        return onnx_export.save_onnx(self.to_dict(), path, dtype)

    @classmethod
    def from_sklearn(cls, estimator: object) -> "NeuralNet":
        """A network that predicts like a fitted scikit-learn ``MLPClassifier`` or
        ``MLPRegressor``, read from its ``coefs_``, ``intercepts_``,
        ``activation``, ``out_activation_`` and ``classes_`` without importing
        scikit-learn (``tinynet.sklearn_bridge``)."""
        from .sklearn_bridge import from_sklearn

        return cls.from_dict(from_sklearn(estimator))

    def __getstate__(self) -> "Dict[str, Any]":
        """What ``pickle`` and ``copy.deepcopy`` keep: everything but the compiled
        one-row code, which is written again on first use."""
        state = dict(self.__dict__)
        state["_one_row"] = _first_one_row
        state["_one_batch"] = _first_one_batch
        return state

    def __repr__(self) -> str:
        return "NeuralNet(layers=%r, learning_rate=%r, iterations=%r, activation=%r, output=%r)" % (
            self.layers, self.learning_rate, self.iterations, self.activation, self.output)


def _first_one_row(net: NeuralNet, X: object, proba: bool) -> "Optional[List[Any]]":
    """A network's first prediction: make its one-row code, keep it, use it.

    Where the interpreter compiles code (``kernels.ROW_LAYERS``), that is the
    function ``tinynet.fastpredict`` writes for the network; elsewhere, or for
    a network it writes none for, ``_matrix_path``.
    """
    one_row: "OneRow" = _matrix_path
    if kernels.ROW_LAYERS is not None:
        from .fastpredict import predictor  # here: a board that never compiles never loads it

        one_row = predictor(net) or _matrix_path
    net._one_row = one_row
    return one_row(net, X, proba)


def _matrix_path(net: NeuralNet, X: object, proba: bool) -> "Optional[List[Any]]":
    """No one-row code: every prediction takes the Matrix path."""
    return None


def _first_one_batch(net: NeuralNet, X: Matrix, Y: Matrix
                     ) -> "Optional[Tuple[float, Dict[str, Param]]]":
    """A network's first training step: make its step code (``tinynet.faststep``) where
    the interpreter compiles code, keep it, use it; else ``_textbook_step``."""
    one_batch: "OneBatch" = _textbook_step
    if kernels.STEP_LAYOUT is not None:
        from .faststep import stepper  # here: a board that never compiles never loads it

        one_batch = stepper(net) or _textbook_step
    net._one_batch = one_batch
    return one_batch(net, X, Y)


def _textbook_step(net: NeuralNet, X: Matrix, Y: Matrix
                   ) -> "Optional[Tuple[float, Dict[str, Param]]]":
    """No step code: every training step takes the textbook path."""
    return None


def _affine(A: Matrix, W: object, b: object) -> Matrix:
    """``A @ W + b`` in one pass: each dot product gets its bias as it is made.

    The same numbers as ``A @ W + b``, without the intermediate Matrix and the
    second pass over it.  Anything that does not fit goes the long way, so
    the error names the shapes as ``@`` and ``+`` do.
    """
    if not (isinstance(W, Matrix) and isinstance(b, Vector)
            and A.n_cols == len(W.rows) and W.n_cols == len(b.data)):
        return A @ W + b  # type: ignore[operator,no-any-return]
    return Matrix.wrap(kernels.matmul_add(A.rows, zip(*W.rows), b.data), W.n_cols)

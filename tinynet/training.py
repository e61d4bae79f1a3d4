"""Training: the loop that drives a network's gradient steps, epoch after epoch.

``NeuralNet.fit`` and ``NeuralNet.partial_fit`` hand their work to ``fit`` and
``partial_fit`` here.  The maths of one step (forward pass, loss, backward
pass, optimizer update) is the network's own ``_train_step``; this module
decides which rows each step sees and when to stop:

=================================  ==============================================
``fit(net, X, y, validation)``     fresh weights, then ``iterations`` epochs
``partial_fit(net, X, y)``         one step on one batch, from the current weights
``batches(n, batch_size, rng)``    the sample indices of each mini-batch of an
                                   epoch, shuffled by a seeded generator (one
                                   batch of all samples, in order, when
                                   ``batch_size`` is None: the tutorial's way)
``split_off(n, fraction, rng)``    indices for training and for validation
``EarlyStopping``                  the best validation loss and its weights;
                                   says when ``patience`` epochs have passed
                                   without an improvement of more than ``tol``
``progress_line(net, epoch, ...)`` the line ``verbose`` prints
``short_number(x)``                a number as progress lines and messages show
                                   it: ``%.6g``, so ``0.693147``, ``1.2e+178``
``still_falling(loss)``            whether a loss history ends still falling
                                   steeply (the convergence warning's test)
``diverged(net, epoch, loss, Y)``  the error for a loss that stopped being finite
=================================  ==============================================

A failed call changes nothing: ``fit`` and ``partial_fit`` copy what they may
change first (``snapshot``) and put it back (``restore``) if anything goes
wrong, be it bad data, a loss that stops being finite, or a callback that
raises.

Ctrl-C is not a failure
-----------------------
A ``KeyboardInterrupt`` during ``fit`` (Ctrl-C, or a callback that raises
it) stops training but keeps what was learned, as scikit-learn and Keras
do: the weights (and optimizer memory) of the last completed epoch, copied
at the end of every epoch, or, with early stopping, the best weights so far.
``loss`` keeps one value per completed epoch, ``net.interrupted_at_epoch``
says how many epochs that is, an ``InterruptedWarning`` says so, and ``fit``
returns normally rather than raising.  A second Ctrl-C before ``fit``
returns is raised as usual, and the fit is then undone like any failure.

Ending too soon
---------------
With a small learning rate or few epochs (the tutorial's defaults: 0.001
and 100), ``fit`` may end long before the network has learned.  It then
warns once (``ConvergenceWarning``), suggesting more iterations, a larger
learning rate or adam.  The test, ``still_falling``: over the last tenth of
the epochs (at least one), the mean loss fell by more than
``STILL_FALLING`` (5%) of its fall over the whole run, from the first
epoch's loss to the mean of that last tenth.  A loss falling at a steady
rate gives about 10%; converged fits give under 3% (0.1% to 2.3% in the
examples and tests; a loss that decays like ``1/t`` on separable data gives
about ``1.1 * final / first`` of it).  A fit that early stopping or the
callback stopped, or Ctrl-C interrupted, is not tested.  On CPython it is a
``warnings`` warning: ``warnings.simplefilter("ignore", ConvergenceWarning)``
silences it.  MicroPython has no ``warnings`` module, so there the warning
is a line on stderr.

The network is handed in; this module never imports it.  It drives the
network's own steps: ``_features`` and ``_targets`` (checked data),
``_train_step``, ``_forward`` and ``_loss``.
"""

import math

from . import inputs
from .checks import describe
from .errors import ConfigError, ConvergenceWarning, DataError, InterruptedWarning
from .matrix import Matrix
from .rng import Random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    from .network import NeuralNet  # for the types only: the network is handed in

    Data = Tuple[Matrix, Matrix]

# How run_epochs ended.
RAN_ITS_COURSE, STOPPED, INTERRUPTED = "ran its course", "stopped", "interrupted"

# fit warns when, over its last tenth of epochs, the loss fell by more than this
# fraction of its fall over the whole run (see "Ending too soon" above).
STILL_FALLING = 0.05


# --- fit and partial_fit ---------------------------------------------------------


def fit(net: "NeuralNet", X: object, y: object, validation_data: object) -> None:
    """Train ``net`` from fresh weights for ``net.iterations`` epochs (see ``NeuralNet.fit``).

    Every argument is checked before anything changes.
    """
    X_all = net._features(X)
    y_all = inputs.label_list(y, len(X_all))  # a list once, even if y is a generator
    classes = net.output_layer.find_classes(y_all, net.layers[-1])  # None for regression
    Y_all = net._targets(y_all, len(X_all), classes)
    validation: "Optional[Data]" = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ConfigError("validation_data must be a pair (X_val, y_val), got %s"
                              % describe(validation_data))
        X_val = net._features(validation_data[0])
        validation = (X_val, net._targets(validation_data[1], len(X_val), classes))
    elif net.early_stopping:
        if len(X_all) < 2:
            raise DataError("early stopping needs at least 2 samples to hold some out")
        train_rows, val_rows = split_off(len(X_all), net.validation_fraction,
                                         Random(net.seed + 2))
        validation = (take_rows(X_all, val_rows), take_rows(Y_all, val_rows))
        X_all, Y_all = take_rows(X_all, train_rows), take_rows(Y_all, train_rows)
        y_all = [y_all[i] for i in train_rows]

    saved = snapshot(net)
    try:
        net._keep_training_data(X_all, Y_all, y_all)
        net.classes_ = classes
        net.interrupted_at_epoch = None
        net.init_weights()
        net.loss, net.validation_loss, net.validation_score = [], [], []
        ending = run_epochs(net, X_all, Y_all, validation)
        # Each step's loss is measured before its update, so the last update
        # is checked here: it can leave weights so large that the outputs
        # overflow to inf or NaN.
        final_loss = net._loss(Y_all, net._forward(X_all))
        if not math.isfinite(final_loss):
            raise diverged(net, len(net.loss) - 1, final_loss, Y_all)
        # Inside the try: a second Ctrl-C while saying so undoes the fit.
        if ending == INTERRUPTED:
            warn(interrupted_message(net), InterruptedWarning)
        elif ending == RAN_ITS_COURSE and still_falling(net.loss):
            warn(still_falling_message(net), ConvergenceWarning)
    except BaseException:
        restore(net, saved)
        raise


def partial_fit(net: "NeuralNet", X: object, y: object, classes: object = None) -> None:
    """One optimizer step on the batch ``(X, y)`` (see ``NeuralNet.partial_fit``)."""
    X_batch = net._features(X)
    y_batch = inputs.label_list(y, len(X_batch))
    layer, n_outputs = net.output_layer, net.layers[-1]
    known = net.classes_
    if classes is not None:
        given = layer.classes_from(classes, n_outputs)
        if known is not None and given != known:
            raise DataError("classes=%r differs from this network's classes_ %r: a network's "
                            "classes cannot change between partial_fit calls" % (given, known))
        known = given
    elif known is None and not net.params:  # the first batch: its labels give the classes
        known = layer.find_classes(y_batch, n_outputs)
    Y_batch = net._targets(y_batch, len(X_batch), known)
    saved = snapshot(net)
    try:
        net.classes_ = known
        if not net.params:
            net.init_weights()
        net.loss.append(net._train_step(X_batch, Y_batch, -1))
    except BaseException:
        restore(net, saved)
        raise


def run_epochs(net: "NeuralNet", X: Matrix, Y: Matrix, validation: "Optional[Data]") -> str:
    """The loop behind ``fit``: epochs of mini-batch steps, then validation, progress,
    the callback and early stopping.

    Returns how it ended: ``RAN_ITS_COURSE`` (every epoch), ``STOPPED`` (by
    early stopping or the callback) or ``INTERRUPTED`` (Ctrl-C: see the
    module docstring).
    """
    shuffle_rng = Random(net.seed + 1)
    stopper = EarlyStopping(net.patience, net.tol) if net.early_stopping else None
    output_layer = net.output_layer
    output_name = net.layer_names[-1][3]  # "AL", the output layer's activations
    n = len(X)
    ending = RAN_ITS_COURSE
    kept = Kept(net, None)  # what Ctrl-C keeps: so far, the initial weights
    try:
        for epoch in range(net.iterations):
            total = 0.0
            for rows in batches(n, net.batch_size, shuffle_rng):
                if len(rows) == n:
                    X_batch, Y_batch = X, Y
                else:
                    X_batch, Y_batch = take_rows(X, rows), take_rows(Y, rows)
                total += net._train_step(X_batch, Y_batch, epoch) * len(rows)
            kept = Kept(net, total / n)
            net.loss.append(kept.loss)  # type: ignore[arg-type]
            stop = False
            if validation is not None:
                X_val, Y_val = validation
                cache = net._forward(X_val)
                validation_loss = net._loss(Y_val, cache)
                if not math.isfinite(validation_loss):
                    raise diverged(net, epoch, validation_loss, Y_val)
                net.validation_loss.append(validation_loss)
                net.validation_score.append(output_layer.score(Y_val, cache[output_name]))
                if stopper is not None:
                    stop = stopper.update(epoch, validation_loss, net.params)
            if net.verbose and shows_epoch(net.verbose, net.iterations, epoch, stop):
                print(progress_line(net, epoch, stop))
            if (net.callback is not None and net.callback(net, epoch)) or stop:
                ending = STOPPED
                break
    except KeyboardInterrupt:
        ending = INTERRUPTED
        kept.restore(net)
    if stopper is not None and stopper.best_params:
        net.params = stopper.best_params
    return ending


class Kept:
    """The weights, optimizer memory and loss of the last completed epoch: what
    Ctrl-C keeps.  Copied at the end of every epoch (weights change in place)."""

    def __init__(self, net: "NeuralNet", loss: "Optional[float]") -> None:
        self.epochs = len(net.loss) + (0 if loss is None else 1)
        self.loss = loss
        self.params = {name: value.copy() for name, value in net.params.items()}
        state = net.optimizer_state
        self.optimizer_state = None if state is None else state.copy()

    def restore(self, net: "NeuralNet") -> None:
        """Put the kept epoch back, and cut the histories to the epochs it completed."""
        net.params = self.params
        net.optimizer_state = self.optimizer_state
        del net.loss[self.epochs:]
        if len(net.loss) < self.epochs:  # interrupted between copying and recording
            net.loss.append(self.loss)  # type: ignore[arg-type]
        del net.validation_loss[self.epochs:]
        del net.validation_score[self.epochs:]
        net.interrupted_at_epoch = self.epochs


# --- messages: progress, warnings, divergence ------------------------------------


def short_number(value: float) -> str:
    """A number as progress lines and messages show it: at most 6 significant
    digits (``%.6g``), so a loss of 1e178 is ``1e+178``, not 179 digits."""
    return "%.6g" % value


def warn(message: str, category: "Any", stacklevel: int = 4) -> None:
    """Warn through ``warnings`` (CPython), pointing at the caller of ``NeuralNet.fit``
    (or, with another ``stacklevel``, of whatever called this); print the line on
    stderr where there is no ``warnings`` module (MicroPython)."""
    try:
        import warnings
    except ImportError:
        import sys

        print("%s: %s" % (category.__name__, message), file=sys.stderr)
        return
    # 1 this function, 2 training.fit, 3 NeuralNet.fit, 4 the user's call
    warnings.warn(message, category, stacklevel=stacklevel)


def still_falling(loss: "List[float]") -> bool:
    """Whether a loss history ends still falling steeply: over its last tenth (at
    least one epoch), the mean loss fell by more than ``STILL_FALLING`` of its
    fall over the whole run (from the first value to the last tenth's mean).

    >>> still_falling([1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])  # a straight line
    True
    >>> still_falling([1.0, 0.3, 0.12, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])  # levelled off
    False
    """
    recent_fall, whole_fall, _ = falls(loss)
    return whole_fall > 0.0 and recent_fall > STILL_FALLING * whole_fall


def falls(loss: "List[float]") -> "Tuple[float, float, int]":
    """``(recent, whole, window)``: how far the mean loss fell over the last
    ``window`` epochs (a tenth of them, at least one), and over the whole run."""
    n = len(loss)
    if n < 2:
        return 0.0, 0.0, 0
    window = max(1, n // 10)
    recent = sum(loss[n - window:], 0.0) / window
    before = sum(loss[n - 2 * window:n - window], 0.0) / window
    return before - recent, loss[0] - recent, window


def still_falling_message(net: "NeuralNet") -> str:
    """The convergence warning's text, with the figures behind it."""
    recent_fall, whole_fall, window = falls(net.loss)
    suggestions = "more iterations (now %d), a larger learning_rate (now %s)" % (
        net.iterations, short_number(net.learning_rate))
    if net.optimizer != "adam":
        suggestions += ", or optimizer='adam'"
    return ("the loss was still falling steeply when fit ended: from %s to %s in %d epochs, "
            "%d%% of that fall in the last %d epoch%s, so the network has not finished learning. "
            "Try %s" % (short_number(net.loss[0]), short_number(net.loss[-1]), len(net.loss),
                        round(100.0 * recent_fall / whole_fall), window,
                        "" if window == 1 else "s", suggestions))


def interrupted_message(net: "NeuralNet") -> str:
    """The line that says training was interrupted, and which weights were kept."""
    epochs = net.interrupted_at_epoch
    if net.early_stopping and net.validation_loss:
        kept = "the best weights so far (by validation loss)"
    elif epochs:
        kept = "the weights after epoch %d" % epochs
    else:
        kept = "the initial weights (no epoch had finished)"
    return "training interrupted after epoch %d of %d: keeping %s" % (
        epochs or 0, net.iterations, kept)


def diverged(net: "NeuralNet", epoch: int, loss: float, Y: Matrix) -> ConfigError:
    """The error for a loss that stopped being finite in ``epoch`` (counted from 0,
    as the loop and the callback count; -1 for a ``partial_fit`` step), on
    targets ``Y``.  The message counts epochs from 1, as progress lines do."""
    when = "in epoch %d" % (epoch + 1) if epoch >= 0 else "in a partial_fit step"
    return ConfigError("training diverged %s (loss %s): lower the learning rate (now %s)%s"
                       % (when, short_number(loss), short_number(net.learning_rate),
                          net.output_layer.divergence_hint(Y, net.target_scaler)))


# --- progress --------------------------------------------------------------------


def shows_epoch(verbose: "Any", iterations: int, epoch: int, stopping: bool) -> bool:
    """Whether ``verbose`` asks for a line after ``epoch``: the first and the last,
    and every ``verbose`` epochs (``True``: every ``ceil(iterations / 10)``, so
    at most ten lines plus the last epoch's)."""
    every = verbose if verbose is not True else -(-iterations // 10)
    last = epoch == iterations - 1 or stopping
    return epoch == 0 or last or (epoch + 1) % every == 0


def progress_line(net: "NeuralNet", epoch: int, stopping: bool) -> str:
    """``epoch 3/100  loss 0.52``, with the validation figures when there are some
    (numbers through ``short_number``)."""
    line = "epoch %d/%d  loss %s" % (epoch + 1, net.iterations, short_number(net.loss[-1]))
    if net.validation_loss:
        line += "  validation loss %s  validation %s %s" % (
            short_number(net.validation_loss[-1]), net.output_layer.score_name,
            short_number(net.validation_score[-1]))
    if stopping:
        line += "  (early stop: no improvement for %d epochs)" % net.patience
    return line


# --- undoing a failed call ---------------------------------------------------------


def snapshot(net: "NeuralNet") -> "Dict[str, Any]":
    """Everything ``fit`` and ``partial_fit`` change, by attribute name, copied
    where they change it in place, so that a failure can put it all back."""
    return {
        "params": {name: value.copy() for name, value in net.params.items()},
        "optimizer_state": None if net.optimizer_state is None else net.optimizer_state.copy(),
        "loss": list(net.loss),
        "validation_loss": list(net.validation_loss),
        "validation_score": list(net.validation_score),
        "classes_": net.classes_,
        "interrupted_at_epoch": net.interrupted_at_epoch,
        "cache": net.cache,
        # The training data the tutorial's forward_propagation reads.
        "X": net.X, "Y": net.Y, "y": net.y, "sample_size": net.sample_size,
        "_fitted_data": net._fitted_data,
    }


def restore(net: "NeuralNet", state: "Dict[str, Any]") -> None:
    """Put back what ``snapshot`` copied."""
    for name, value in state.items():
        setattr(net, name, value)


# --- batches, validation split, early stopping --------------------------------------


def take_rows(matrix: Matrix, rows: "List[int]") -> Matrix:
    """The rows of ``matrix`` at the given indices, as a new Matrix (rows shared, not copied)."""
    source = matrix.rows
    return Matrix.wrap([source[i] for i in rows], matrix.n_cols)


def batches(n: int, batch_size: "Optional[int]", rng: Random) -> "List[List[int]]":
    """Lists of sample indices covering ``range(n)`` once, ``batch_size`` at a time.

    The last batch holds what is left, so it may be smaller.
    """
    order = list(range(n))
    if batch_size is None or batch_size >= n:
        return [order]
    rng.shuffle(order)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def split_off(n: int, fraction: float, rng: Random) -> "Tuple[List[int], List[int]]":
    """Shuffle ``range(n)`` and split it into (training, validation) indices.

    The validation part gets ``round(fraction * n)`` samples, at least 1, and
    the training part keeps at least 1.
    """
    order = list(range(n))
    rng.shuffle(order)
    n_validation = min(max(1, int(fraction * n + 0.5)), n - 1)
    return order[n_validation:], order[:n_validation]


class EarlyStopping:
    """Track the validation loss, keep the best weights, and say when to stop."""

    def __init__(self, patience: int, tol: float) -> None:
        self.patience = patience
        self.tol = tol
        self.best_loss = float("inf")
        self.best_epoch = -1
        self.best_params: "Dict[str, Any]" = {}
        self.epochs_without_improvement = 0

    def update(self, epoch: int, loss: float, params: "Dict[str, Any]") -> bool:
        """Record an epoch's validation loss; True when training should stop.

        An epoch improves when it lowers the best loss by more than ``tol``;
        training stops after ``patience`` epochs in a row without an
        improvement.  A copy of ``params`` is kept for the epoch of lowest
        loss, even one that beat the best by less than ``tol``: those are the
        weights to restore.
        """
        improved = loss < self.best_loss - self.tol
        if loss < self.best_loss:
            self.best_loss = loss
            self.best_epoch = epoch
            self.best_params = {name: value.copy() for name, value in params.items()}
        if improved:
            self.epochs_without_improvement = 0
            return False
        self.epochs_without_improvement += 1
        return self.epochs_without_improvement >= self.patience

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
=================================  ==============================================

A failed call changes nothing: ``fit`` and ``partial_fit`` copy what they may
change first (``snapshot``) and put it back (``restore``) if anything goes
wrong, be it bad data, a loss that stops being finite, a callback that
raises, or Ctrl-C.

The network is handed in; this module never imports it.  It drives the
network's own steps: ``_features`` and ``_targets`` (checked data),
``_train_step``, ``_forward`` and ``_loss``.
"""

import math

from . import inputs
from .checks import describe
from .errors import ConfigError, DataError
from .matrix import Matrix
from .rng import Random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple

    from .network import NeuralNet  # for the types only: the network is handed in

    Data = Tuple[Matrix, Matrix]


# --- fit and partial_fit ---------------------------------------------------------


def fit(net: "NeuralNet", X: object, y: object, validation_data: object) -> None:
    """Train ``net`` from fresh weights for ``net.iterations`` epochs (see ``NeuralNet.fit``).

    Every argument is checked before anything changes.
    """
    X_all = net._features(X)
    y_all = inputs.label_list(y, len(X_all))  # a list once, even if y is a generator
    Y_all = net._targets(y_all, len(X_all))
    validation: "Optional[Data]" = None
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise ConfigError("validation_data must be a pair (X_val, y_val), got %s"
                              % describe(validation_data))
        X_val = net._features(validation_data[0])
        validation = (X_val, net._targets(validation_data[1], len(X_val)))
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
        net.init_weights()
        net.loss, net.validation_loss, net.validation_score = [], [], []
        run_epochs(net, X_all, Y_all, validation)
        # Each step's loss is measured before its update, so the last update
        # is checked here: it can leave weights so large that the outputs
        # overflow to inf or NaN.
        final_loss = net._loss(Y_all, net._forward(X_all))
        if not math.isfinite(final_loss):
            raise ConfigError(
                "training diverged in its last step (loss %r): lower the learning rate "
                "(now %r)" % (final_loss, net.learning_rate)
            )
    except BaseException:
        restore(net, saved)
        raise


def partial_fit(net: "NeuralNet", X: object, y: object) -> None:
    """One optimizer step on the batch ``(X, y)`` (see ``NeuralNet.partial_fit``)."""
    X_batch = net._features(X)
    Y_batch = net._targets(y, len(X_batch))
    if net.params:
        net._check_params()  # before the snapshot, which copies them
    saved = snapshot(net)
    try:
        if not net.params:
            net.init_weights()
        net.loss.append(net._train_step(X_batch, Y_batch, 0))
        # As in fit: the step's loss was measured before its update, and the
        # update can leave finite weights so large that the outputs overflow.
        after = net._loss(Y_batch, net._forward(X_batch))
        if not math.isfinite(after):
            raise ConfigError(
                "training diverged: after this partial_fit step the loss is %r; the step is "
                "undone: lower the learning rate (now %r)" % (after, net.learning_rate)
            )
    except BaseException:
        restore(net, saved)
        raise


def run_epochs(net: "NeuralNet", X: Matrix, Y: Matrix, validation: "Optional[Data]") -> None:
    """The loop behind ``fit``: epochs of mini-batch steps, then validation, progress,
    the callback and early stopping."""
    shuffle_rng = Random(net.seed + 1)
    stopper = EarlyStopping(net.patience, net.tol) if net.early_stopping else None
    output_layer = net.output_layer
    output_name = net.layer_names[-1][3]  # "AL", the output layer's activations
    n = len(X)
    for epoch in range(net.iterations):
        total = 0.0
        for rows in batches(n, net.batch_size, shuffle_rng):
            if len(rows) == n:
                X_batch, Y_batch = X, Y
            else:
                X_batch, Y_batch = take_rows(X, rows), take_rows(Y, rows)
            total += net._train_step(X_batch, Y_batch, epoch) * len(rows)
        net.loss.append(total / n)
        stop = False
        if validation is not None:
            X_val, Y_val = validation
            cache = net._forward(X_val)
            net.validation_loss.append(net._loss(Y_val, cache))
            net.validation_score.append(output_layer.score(Y_val, cache[output_name]))
            if stopper is not None:
                stop = stopper.update(epoch, net.validation_loss[-1], net.params)
        if net.verbose and shows_epoch(net.verbose, net.iterations, epoch, stop):
            print(progress_line(net, epoch, stop))
        if net.callback is not None and net.callback(net, epoch):
            break
        if stop:
            break
    if stopper is not None and stopper.best_params:
        net.params = stopper.best_params


# --- progress --------------------------------------------------------------------


def shows_epoch(verbose: "Any", iterations: int, epoch: int, stopping: bool) -> bool:
    """Whether ``verbose`` asks for a line after ``epoch``: the first and the last,
    and every ``verbose`` epochs (``True``: every ``ceil(iterations / 10)``, so
    at most ten lines plus the last epoch's)."""
    every = verbose if verbose is not True else -(-iterations // 10)
    last = epoch == iterations - 1 or stopping
    return epoch == 0 or last or (epoch + 1) % every == 0


def progress_line(net: "NeuralNet", epoch: int, stopping: bool) -> str:
    """``epoch 3/100  loss 0.52``, with the validation figures when there are some."""
    line = "epoch %d/%d  loss %.6g" % (epoch + 1, net.iterations, net.loss[-1])
    if net.validation_loss:
        line += "  validation loss %.6g  validation %s %.4f" % (
            net.validation_loss[-1], net.output_layer.score_name, net.validation_score[-1])
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

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
``still_falling(loss)``            whether a loss history ends still falling
                                   steeply (the convergence warning's test)
=================================  ==============================================

What training says (progress lines, the warnings, the divergence error) is
in ``tinynet.messages``, loaded only when there is something to say.

On a microcontroller the heap is small and, after thousands of steps, cut
into small pieces; so training asks for no block larger than a batch needs:
the epochs share one list of indices, the loss history's room is made
before the first epoch (``reserved``), and the final check of the loss goes
batch by batch (``loss_in_batches``).  And ``fit`` collects the garbage
before it copies the data, so that the copies, which live as long as the
fit, fill the holes low in the heap that loading the training code left,
rather than split the free room above them (3 KB less heap for the README's
[2, 8, 1] example).

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

import gc
import math
import sys

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
    if sys.implementation.name == "micropython":  # a full collection takes long on CPython
        gc.collect()  # see the module docstring
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
        net.loss, net.validation_loss, net.validation_score = reserved(net.iterations), [], []
        if sys.implementation.name == "micropython":
            gc.collect()
        ending = run_epochs(net, X_all, Y_all, validation)
        # Each step's loss is measured before its update, so the last update
        # is checked here: it can leave weights so large that the outputs
        # overflow to inf or NaN.
        final_loss = loss_in_batches(net, X_all, Y_all)
        if not math.isfinite(final_loss):
            from .messages import diverged

            raise diverged(net, len(net.loss) - 1, final_loss, Y_all)
        # Inside the try: a second Ctrl-C while saying so undoes the fit.
        if ending == INTERRUPTED or (ending == RAN_ITS_COURSE and still_falling(net.loss)):
            from . import messages  # here: most fits end with nothing to say

            if ending == INTERRUPTED:
                messages.warn(messages.interrupted_message(net), messages.InterruptedWarning)
            else:
                messages.warn(messages.still_falling_message(net, *falls(net.loss)),
                              messages.ConvergenceWarning)
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
    if net.params:
        net._check_params()  # before the snapshot, which copies them
    saved = snapshot(net)
    try:
        net.classes_ = known
        if not net.params:
            net.init_weights()
        net.loss.append(net._train_step(X_batch, Y_batch, -1))
        # As in fit: the step's loss was measured before its update, and the
        # update can leave finite weights so large that the outputs overflow.
        after = net._loss(Y_batch, net._forward(X_batch))
        if not math.isfinite(after):
            from .messages import diverged

            raise diverged(net, -1, after, Y_batch)
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
    order = list(range(n))  # one list of indices for every epoch's shuffle
    ending = RAN_ITS_COURSE
    kept = Kept(net, None)  # what Ctrl-C keeps: so far, the initial weights
    try:
        for epoch in range(net.iterations):
            total = 0.0
            for rows in batches(n, net.batch_size, shuffle_rng, order):
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
                    from .messages import diverged

                    raise diverged(net, epoch, validation_loss, Y_val)
                net.validation_loss.append(validation_loss)
                net.validation_score.append(output_layer.score(Y_val, cache[output_name]))
                if stopper is not None:
                    stop = stopper.update(epoch, validation_loss, net.params)
            if net.verbose:
                from . import messages

                if messages.shows_epoch(net.verbose, net.iterations, epoch, stop):
                    print(messages.progress_line(net, epoch, stop))
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


# --- the convergence test ----------------------------------------------------------


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


def batches(n: int, batch_size: "Optional[int]", rng: Random,
            order: "Optional[List[int]]" = None) -> "List[List[int]]":
    """Lists of sample indices covering ``range(n)`` once, ``batch_size`` at a time.

    The last batch holds what is left, so it may be smaller.  ``order``, a
    list of ``n`` ints, is refilled with ``0..n-1`` and shuffled in place when
    given: on a board, a fresh list of every index each epoch is the largest
    block training asks for, and late in training free memory comes in small
    pieces.
    """
    if order is None:
        order = list(range(n))
    else:
        for i in range(n):
            order[i] = i
    if batch_size is None or batch_size >= n:
        return [order]
    rng.shuffle(order)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


def loss_in_batches(net: "NeuralNet", X: Matrix, Y: Matrix) -> float:
    """The mean loss over ``(X, Y)``, computed ``batch_size`` rows at a time
    (all at once for full-batch training), as training saw the data: a board
    has room for one batch's activations, not always for the whole set's."""
    n = len(X)
    size = net.batch_size or n
    if size >= n:
        return net._loss(Y, net._forward(X))
    total = 0.0
    for start in range(0, n, size):
        rows = list(range(start, min(start + size, n)))
        total += net._loss(take_rows(Y, rows), net._forward(take_rows(X, rows))) * len(rows)
    return total / n


def reserved(n: int) -> "List[float]":
    """An empty list with room for ``n`` items on MicroPython, made before training.

    A MicroPython list grows by doubling its storage, which late in training
    needs a block larger than free memory may still hold in one piece;
    deleting the items of a list leaves its storage in place there.
    (CPython gives the storage back: no harm, and no gain.)
    """
    items = [0.0] * n
    del items[:]
    return items


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

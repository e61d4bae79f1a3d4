"""Training helpers: mini-batches, a held-out validation split, early stopping.

``NeuralNet.fit`` uses these; they hold no maths of their own.

* ``batches(n, batch_size, rng)``: the sample indices of each mini-batch of
  one epoch, shuffled by a seeded generator (one batch of all samples, in
  order, when ``batch_size`` is None: the tutorial's full-batch training);
* ``split_off(n, fraction, rng)``: indices for training and for validation;
* ``EarlyStopping``: remembers the best validation loss and its weights and
  says when ``patience`` epochs have passed without an improvement of more
  than ``tol``.
"""

from .rng import Random

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple


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

"""What training says: progress lines, the warnings, and the error of a diverged fit.

==================================  =============================================
``progress_line(net, epoch, ...)``  the line ``verbose`` prints after an epoch
``shows_epoch(verbose, ...)``       whether ``verbose`` asks for that line
``short_number(x)``                 a number as progress lines and messages show
                                    it: ``%.6g``, so ``0.693147``, ``1.2e+178``
``warn(message, category)``         a warning through ``warnings``, or a line on
                                    stderr where there is none (MicroPython)
``still_falling_message(...)``      the convergence warning's text
``interrupted_message(net)``        the text of the warning after Ctrl-C
``diverged(net, epoch, loss, Y)``   the error for a loss that stopped being
                                    finite, with a hint when the targets of a
                                    linear output are far from unit scale
==================================  =============================================

``tinynet.training`` loads this module only when there is something to say:
on a microcontroller, a fit that ends quietly does not hold these texts in its
memory.

The three warnings, which ``fit`` gives through ``warnings`` on CPython (so
``warnings.simplefilter("ignore", ConvergenceWarning)`` silences one) and
prints on stderr on MicroPython, which has no ``warnings`` module:

=========================  ==================================================
``ConvergenceWarning``     ``fit`` ended while the loss was still falling
                           steeply: more epochs, a larger learning rate or
                           adam would help (``tinynet.training`` gives the test)
``InterruptedWarning``     Ctrl-C stopped ``fit``, which kept the weights
                           learned so far
``DataConversionWarning``  ``y`` came as a column (n x 1) where a list of
                           labels was expected, and was read as one
                           (``MLPClassifier``, as scikit-learn warns)
=========================  ==================================================
"""

from .errors import ConfigError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .matrix import Matrix
    from .network import NeuralNet  # for the types only: the network is handed in


try:
    UserWarning
except NameError:  # MicroPython has no warning classes; tinynet prints its warnings there
    UserWarning = Exception


class ConvergenceWarning(UserWarning):
    """``fit`` ended while the loss was still falling steeply (as scikit-learn's)."""


class InterruptedWarning(UserWarning):
    """Ctrl-C stopped ``fit``; the weights learned so far are kept."""


class DataConversionWarning(UserWarning):
    """Data came in another shape than expected and was read as it must be: a
    column of labels as a list of them (scikit-learn's warning of that name)."""


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


def still_falling_message(net: "NeuralNet", recent_fall: float, whole_fall: float,
                          window: int) -> str:
    """The convergence warning's text, with the figures behind it (``training.falls``)."""
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


def diverged(net: "NeuralNet", epoch: int, loss: float, Y: "Matrix") -> ConfigError:
    """The error for a loss that stopped being finite in ``epoch`` (counted from 0,
    as the loop and the callback count; -1 for a ``partial_fit`` step), on
    targets ``Y``.  The message counts epochs from 1, as progress lines do."""
    when = "in epoch %d" % (epoch + 1) if epoch >= 0 else "in a partial_fit step"
    return ConfigError("training diverged %s (loss %s): lower the learning rate (now %s)%s"
                       % (when, short_number(loss), short_number(net.learning_rate),
                          _scale_hint(net, Y)))


# A regression target larger than this in size, when training diverges and
# there is no target_scaler, is named as the likely cause.
FAR_FROM_UNIT_SCALE = 10.0


def _scale_hint(net: "NeuralNet", Y: "Matrix") -> str:
    """What a divergence error adds, beyond lowering the learning rate: targets
    far from unit scale make the first gradients huge, so a linear output
    without ``target_scaler`` whose targets ``Y`` reach over
    ``FAR_FROM_UNIT_SCALE`` in size is told to set one."""
    if net.output_layer.is_classifier or net.target_scaler is not None:
        return ""
    largest = 0.0
    for row in Y.rows:
        for value in row:
            if abs(value) > largest:
                largest = abs(value)
    if largest <= FAR_FROM_UNIT_SCALE:
        return ""
    return ("; the targets reach %.6g, far from unit scale: set net.target_scaler = "
            "StandardScaler().fit(targets as rows) so that training sees them at mean 0 "
            "and spread 1, and predictions come back in their units" % largest)


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

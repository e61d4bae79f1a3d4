"""The exceptions tinynet raises.

Every error is a ``TinynetError``, which is a ``ValueError``: code that already
catches ``ValueError`` for bad input keeps working, and code that wants to be
precise can catch one kind.

=================  ==========================================================
``ShapeError``     sizes that do not fit: ``cannot multiply 3x2 by 3x4``,
                   ragged rows, a feature count that differs from the network
``DataError``      values that are not usable numbers or labels: a string,
                   ``None``, ``True``, NaN or infinity in data, labels that do
                   not fit the network's classes, empty data
``ConfigError``    a setting that cannot work: a non-positive learning rate,
                   an unknown activation, a layer of width 0
``NotFittedError`` asking a network for predictions before it has weights
``ModelFileError`` a model file that is truncated, not JSON, of an unknown
                   version, or whose contents do not describe a network
=================  ==========================================================

And three warnings, which ``fit`` gives through ``warnings`` on CPython (so
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

Messages name the operation and the offending shape, row or value, so the
message alone tells the user what to fix.
"""


class TinynetError(ValueError):
    """Base class of every error tinynet raises on purpose."""


class ShapeError(TinynetError):
    """Operands or data whose shapes do not fit together."""


class DataError(TinynetError):
    """A value that is not a usable number or label."""


class ConfigError(TinynetError):
    """A setting (hyperparameter, name, option) that cannot work."""


class NotFittedError(TinynetError):
    """The network has no weights yet: call ``fit`` or ``init_weights`` first."""


class ModelFileError(TinynetError):
    """A saved model that cannot be read back."""


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

"""Predicting on a microcontroller: ``load(path)`` reads a model file into a ``Predictor``.

>>> from tinynet.predictor import load
>>> model = load("model.json")                              # doctest: +SKIP
>>> model.predict([[5.1, 3.5, 1.4, 0.2]])                   # doctest: +SKIP
[0]

``NeuralNet.load`` rebuilds a whole network, ready to train again.  This is
the other way in, for prediction alone, in as little memory as a small board
has.  It reads every model file ``NeuralNet.save`` writes, and any other that
follows README.md, "The model file", and predicts the same (``tinynet.forward``
says how close the numbers are).

The work is done in two turns, so that the memory of the first is free before
the second comes in:

1. ``tinynet.modelreader`` reads the file a piece at a time, the weights
   straight into ``array``s (with ``tinynet.jsonreader``);
2. ``tinynet.modelcheck`` checks that what was read describes a network, and
   ``tinynet.forward.Predictor`` takes the weights, to predict.

``load`` drops the reading and checking modules from ``sys.modules`` once
they are done, unless they were imported before it was called, so that their
code can be freed: on a board, a module's code takes as much memory as a
small model's weights.
"""

import gc
import sys

from .errors import ModelFileError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List

    from .forward import Predictor

# The modules only reading and checking need.
READING_MODULES = ("tinynet.modelreader", "tinynet.jsonreader", "tinynet.modelcheck")

# Bytes held back, in one piece, while the file is read.  What reading keeps
# (the rows of weights, the column names) lands wherever the heap has a gap,
# and a MicroPython heap is never compacted: without this, the next turn's
# first large request (the table of names the interpreter interns, 1.1 KB for
# a [13, 8, 1] model) can find free memory only in smaller pieces.
ROOM = 1536


def load(path: str) -> "Predictor":
    """The network in the model file ``path``, ready to predict.

    Raises ``tinynet.errors.ModelFileError``, its message starting with the
    path, when the file is missing or does not describe a network.
    """
    imported_before = [name for name in READING_MODULES if name in sys.modules]
    try:
        room = bytearray(ROOM)  # held while reading, let go before the next turn
        values = _read(path)
        del room
        _forget(imported_before)
        return _build(values, path)
    finally:
        _forget(imported_before)


# Each turn runs in a function of its own: once it returns, nothing on the
# stack points at its module any more, which a garbage collector that scans
# the stack (MicroPython's does) would otherwise take for a use.


def _read(path: str) -> "Dict[str, Any]":
    from .modelreader import read

    return read(path)


def _build(values: "Dict[str, Any]", path: str) -> "Predictor":
    # The Predictor's module first: modelcheck needs it too, and the larger
    # module is better compiled (from .py) while less memory is held.
    from .forward import Predictor
    from .modelcheck import check

    try:
        parts = check(values)
    except ModelFileError as error:
        raise ModelFileError("%s: %s" % (path, error))
    return Predictor(**parts)


def _forget(keep: "List[str]") -> None:
    """Drop the reading modules not in ``keep`` from ``sys.modules`` and from the package.

    On MicroPython the garbage is then collected, so that the next module's
    code finds the memory they held free and in one piece.
    """
    package = sys.modules[__name__.rpartition(".")[0]]
    for name in READING_MODULES:
        if name in sys.modules and name not in keep:
            del sys.modules[name]
            try:
                delattr(package, name.rpartition(".")[2])
            except AttributeError:
                pass
    if sys.implementation.name == "micropython":
        gc.collect()

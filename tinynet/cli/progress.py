"""Showing training as it happens: one redrawn line on a terminal, a few plain lines elsewhere."""

import sys
import time
import warnings

from ..network import NeuralNet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Sequence, TextIO

    from ..matrix import Matrix


class Progress:
    """Shows the loss during training, as ``NeuralNet``'s ``callback``.

    On a terminal one line is redrawn in place (``\\r``), at most ten times
    a second; otherwise (a file, a pipe, a CI log) about ten plain lines are
    printed, so the output reads well wherever it goes.  ``lines=True``
    prints the plain lines on a terminal too.
    """

    def __init__(self, iterations: int, stream: "TextIO", lines: bool = False) -> None:
        self.iterations = iterations
        self.stream = stream
        self.interactive = stream.isatty() and not lines
        self.every = (iterations + 9) // 10  # epoch 1, then ten lines at most
        self.last_draw = 0.0
        self.drawn = False
        self.width = 0  # of the longest line drawn, so a shorter one can cover it

    def __call__(self, net: NeuralNet, epoch: int) -> bool:
        done = epoch + 1
        line = "epoch %*d/%d  loss %.6f" % (len(str(self.iterations)), done, self.iterations,
                                           net.loss[-1])
        if self.interactive:
            now = time.monotonic()
            if now - self.last_draw >= 0.1 or done == self.iterations:
                self.width = max(self.width, len(line))
                self.stream.write("\r" + line.ljust(self.width))
                self.stream.flush()
                self.last_draw = now
                self.drawn = True
        elif done == 1 or done % self.every == 0 or done == self.iterations:
            self.stream.write(line + "\n")
            self.stream.flush()  # so a log or a pipe shows progress as it happens
        return False  # never asks training to stop

    def finish(self) -> None:
        """End the redrawn line, so what follows starts on a line of its own."""
        if self.interactive and self.drawn:
            self.stream.write("\n")
            self.drawn = False
        self.stream.flush()


def fit(net: NeuralNet, X: "Matrix", y: "Sequence[Any]", lines: bool = False) -> None:
    """``net.fit(X, y)`` with the progress shown on stdout."""
    progress = Progress(net.iterations, sys.stdout, lines)
    net.callback = progress
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            net.fit(X, y)
    finally:
        progress.finish()
        net.callback = None
    if net.interrupted_at_epoch is not None:
        raise KeyboardInterrupt  # fit kept the weights; the command line does not save them
    for warning in caught:  # a ConvergenceWarning, as one line like the CLI's other warnings
        print("tinynet: warning: %s" % warning.message, file=sys.stderr)

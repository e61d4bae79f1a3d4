"""Showing training as it happens: one redrawn line on a terminal, a few plain lines elsewhere.

A line is the API's own progress line (``tinynet.training.progress_line``:
the epoch, the loss, and the validation loss and score when there is a
validation set), followed by the time so far and an estimate of the time
left: ``epoch 40/200  loss 0.0912  0:03 elapsed, 0:12 left``.
"""

import sys
import time
import warnings

from ..errors import InterruptedWarning
from ..network import NeuralNet
from ..training import progress_line
from .options import warn

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional, Sequence, TextIO

    from ..matrix import Matrix


def duration(seconds: float) -> str:
    """``0:07``, ``12:30``, ``1:02:03``: minutes and seconds, with hours when there are some."""
    whole = int(seconds + 0.5)
    hours, rest = divmod(whole, 3600)
    minutes, seconds_left = divmod(rest, 60)
    if hours:
        return "%d:%02d:%02d" % (hours, minutes, seconds_left)
    return "%d:%02d" % (minutes, seconds_left)


class Progress:
    """Shows the loss during training, as ``NeuralNet``'s ``callback``.

    On a terminal one line is redrawn in place (``\\r``), at most ten times
    a second; otherwise (a file, a pipe, a CI log) about ten plain lines are
    printed, so the output reads well wherever it goes.  ``lines=True``
    prints the plain lines on a terminal too.  ``clock`` (seconds, default
    ``time.monotonic``) times the epochs for the elapsed time and the time
    left; None leaves the times out.
    """

    def __init__(self, iterations: int, stream: "TextIO", lines: bool = False,
                 clock: "Optional[Callable[[], float]]" = time.monotonic) -> None:
        self.iterations = iterations
        self.stream = stream
        self.interactive = stream.isatty() and not lines
        self.every = (iterations + 9) // 10  # epoch 1, then ten lines at most
        self.clock = clock
        self.start = clock() if clock is not None else 0.0
        self.last_draw = -1.0
        self.drawn = False
        self.width = 0  # of the longest line drawn, so a shorter one can cover it

    def line(self, net: NeuralNet, epoch: int) -> str:
        """The progress line after ``epoch`` (counted from 0)."""
        line = progress_line(net, epoch, False)
        if self.clock is not None:
            elapsed = self.clock() - self.start
            done = epoch + 1
            left = elapsed / done * (self.iterations - done)
            line += "  %s elapsed, %s left" % (duration(elapsed), duration(left))
        return line

    def __call__(self, net: NeuralNet, epoch: int) -> bool:
        done = epoch + 1
        if self.interactive:
            now = time.monotonic()
            if self.last_draw < 0 or now - self.last_draw >= 0.1 or done == self.iterations:
                line = self.line(net, epoch)
                self.width = max(self.width, len(line))
                self.stream.write("\r" + line.ljust(self.width))
                self.stream.flush()
                self.last_draw = now
                self.drawn = True
        elif done == 1 or done % self.every == 0 or done == self.iterations:
            self.stream.write(self.line(net, epoch) + "\n")
            self.stream.flush()  # so a log or a pipe shows progress as it happens
        return False  # never asks training to stop

    def finish(self) -> None:
        """End the redrawn line, so what follows starts on a line of its own."""
        if self.interactive and self.drawn:
            self.stream.write("\n")
            self.drawn = False
        self.stream.flush()


def fit(net: NeuralNet, X: "Matrix", y: "Sequence[Any]", lines: bool = False,
        quiet: bool = False, timed: bool = True) -> None:
    """``net.fit(X, y)``, showing the progress on stdout (none if ``quiet``).

    A warning from ``fit`` (the loss still falling steeply when it ended) is
    one line on stderr, ``tinynet: warning: ...``, after the progress.  Ctrl-C
    ends training early without an exception: ``fit`` keeps the weights of
    the last complete epoch and sets ``net.interrupted_at_epoch``, which the
    caller reads.  A second Ctrl-C raises KeyboardInterrupt as usual.
    """
    progress = None if quiet else Progress(net.iterations, sys.stdout, lines,
                                           time.monotonic if timed else None)
    net.callback = progress
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                net.fit(X, y)
            finally:
                if progress is not None:
                    progress.finish()
    finally:
        net.callback = None
    for warning in caught:
        # The caller words an interruption itself (net.interrupted_at_epoch).
        if not issubclass(warning.category, InterruptedWarning):
            warn(str(warning.message))

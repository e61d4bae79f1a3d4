"""What every command shares: the parser's one-line errors, option values, and CommandError.

A command's options are checked by argparse with the functions here, so a bad
value is reported as ``tinynet train: error: argument --iterations: must be a
whole number >= 1, got '0'`` before anything is read or trained.
"""

import argparse
import math
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


class CommandError(Exception):
    """A problem with the user's input, reported as one line on stderr."""


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit status 2)."""

    def error(self, message: str) -> "Any":
        self.exit(EXIT_ERROR, "%s: error: %s (see '%s --help')\n" % (self.prog, message, self.prog))


def warn(message: str) -> None:
    """A one-line warning on stderr, after whatever stdout holds so far."""
    sys.stdout.flush()
    sys.stderr.write("tinynet: warning: %s\n" % message)
    sys.stderr.flush()


# --- option values -----------------------------------------------------------


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number >= 1, got %r" % text)
    return value


def non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError("must be a whole number >= 0, got %r" % text)
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError("must be a number > 0, got %r" % text)
    return value


def fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError("must be a number between 0 and 1, got %r" % text)
    return value

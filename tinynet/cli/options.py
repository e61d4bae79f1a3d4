"""What every command shares: the parser's one-line errors, option values, and CommandError.

A command's options are checked by argparse with the functions here, so a bad
value is reported as ``tinynet train: error: argument --iterations: must be a
whole number >= 1, got '0'`` before anything is read or trained.
"""

import argparse
import math
import sys

from ..errors import ConfigError
from ..settings import SETTINGS_BY_NAME, TRUE_OR_FALSE, WHOLE_NUMBER, WHOLE_NUMBER_OR_NULL
from ..table import MISSING_NAMES, check_delimiter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

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


def fraction_or_zero(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError("must be a number from 0 up to (not including) 1, "
                                         "got %r" % text)
    return value


def delimiter(text: str) -> str:
    """One character; ``tab`` or ``\\t`` (as typed, a backslash and a t) for a tab."""
    if text in ("tab", "\\t", "TAB"):
        text = "\t"
    try:
        return check_delimiter(text)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error))


def _setting_value(name: str) -> "Callable[[str], Any]":
    """An argparse type for the setting ``name``: the text read as its JSON type says,
    then checked by the setting's own rule (``tinynet.settings``)."""
    setting = SETTINGS_BY_NAME[name]
    convert = int if setting.json_type in (WHOLE_NUMBER, WHOLE_NUMBER_OR_NULL) else float

    def value(text: str) -> "Any":
        try:
            number = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError("must be %s, got %r" % (
                setting.json_type.replace(" or null", ""), text))
        try:
            return setting.check(number)
        except ConfigError as error:
            raise argparse.ArgumentTypeError(str(error))

    value.__name__ = name  # what argparse calls the type in its own messages
    return value


def add_setting(parser: "Any", name: str, default: object, metavar: "Optional[str]" = None,
                default_text: "Optional[str]" = None) -> None:
    """Add ``--NAME`` for the ``NeuralNet`` setting ``name``, with its meaning and its rule.

    Both come from ``tinynet.settings``, where every setting is described
    once: an option is checked as the constructor checks it, a named choice
    offers the names the constructor knows, and a true-or-false setting is a
    switch.
    """
    setting = SETTINGS_BY_NAME[name]
    flag = "--" + name.replace("_", "-")
    shown = default_text if default_text is not None else str(default)
    meaning = setting.meaning.replace("%", "%%")
    if setting.json_type == TRUE_OR_FALSE:
        parser.add_argument(flag, action="store_true", help=meaning)
    elif setting.choices:
        parser.add_argument(flag, choices=list(setting.choices), default=default,
                            help="%s; default %s" % (meaning, shown))
    else:
        parser.add_argument(flag, type=_setting_value(name), default=default,
                            metavar=metavar or name.upper(), help="%s; default %s" % (meaning, shown))


def add_input_options(parser: "Any") -> None:
    """The options of every command that reads a table: ``--delimiter`` and ``--drop-missing``."""
    parser.add_argument("--delimiter", type=delimiter, metavar="CHAR",
                        help="the character between fields: ',' ';' '|' or 'tab' (default: a "
                             "tab for .tsv and .tab files, a comma otherwise)")
    parser.add_argument("--drop-missing", action="store_true",
                        help="leave out the rows that miss a value the command needs (an empty "
                             "cell, %s, in any case), and say how many; without it such a cell "
                             "is an error" % ", ".join(MISSING_NAMES))

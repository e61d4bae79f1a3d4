"""The ``tinynet`` command: train, use and check a network from a CSV file.

==============================================  ================================
``tinynet demo``                                train on generated data and show
                                                the loss falling; no files
``tinynet train data.csv --target COL --out M``  train a network, save it to M
``tinynet predict M data.csv``                  predictions as CSV on stdout
``tinynet evaluate M data.csv``                 accuracy and confusion matrix
                                                (R² for regression)
``tinynet export M --to python|c [-o FILE]``    the model as standalone Python
                                                or a C99 header
``tinynet export M --to onnx -o FILE``          the model as an ONNX file
``tinynet import model.onnx --out M``           an ONNX model (PyTorch, scikit-
                                                learn) as a tinynet model file
==============================================  ================================

``train`` saves the names of the feature columns and of the target with the
model, so ``predict`` and ``evaluate`` pick the columns they need by name:
their order in the file does not matter, and other columns are ignored.

Run ``python3 -m tinynet`` from a checkout, or ``tinynet`` once installed;
``--help`` after any command lists its options.

Bad input (a missing file, a cell that is not a number, a model that does
not fit the data, an option out of range) is reported in one line on stderr,
``tinynet: error: ...``, with exit status 2 and no traceback.  Ctrl-C exits
with status 130.  A failed ``train``, ``export`` or ``import`` writes no file.

The package has one module per job: this one builds the parser from the
commands and runs one, turning every failure into one line;
``options`` holds what the commands share (option values, ``CommandError``),
``table`` reads data files, ``labels`` checks class labels, ``progress``
shows training, ``scores`` words the results; and each command is a module
with ``add_parser(commands)`` and ``run(args)``: ``demo``, ``train``,
``predict``, ``evaluate``, ``export``, ``import_onnx`` (``tinynet import``).
A new command is a new module, added to ``COMMANDS`` below.

This package runs only where the full standard library does (it uses
``argparse``); the rest of tinynet stays importable on MicroPython.
"""

try:
    import argparse
except ImportError:  # MicroPython: no argparse
    raise ImportError(
        "the tinynet command line needs CPython or PyPy (it uses argparse); "
        "on MicroPython call NeuralNet, read_csv and friends directly"
    )
import os
import sys

from .. import __version__, files
from ..errors import TinynetError
from . import demo, evaluate, export, import_onnx, predict, train
from .options import EXIT_ERROR, EXIT_INTERRUPTED, CommandError, Parser

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence

# The commands, in the order ``--help`` lists them: each a module with
# ``add_parser(commands)`` (which sets ``run`` as the parser's default) and ``run(args)``.
COMMANDS = (demo, train, predict, evaluate, export, import_onnx)


def build_parser() -> argparse.ArgumentParser:
    """The ``tinynet`` argument parser with its subcommands."""
    parser = Parser(
        prog="tinynet",
        description="Train and use a small neural network on a CSV table.",
        epilog="Run 'tinynet COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version="tinynet %s" % __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: "Optional[Sequence[str]]" = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit status.

    Bare ``tinynet`` prints the help on stderr and returns 2: nothing was
    done, so a script that forgot the command must not look successful,
    and the help is what a person typing it wants to see.
    """
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    args = parser.parse_args(argv)
    try:
        args.run(args)
        sys.stdout.flush()
    except (CommandError, TinynetError) as error:
        report(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``tinynet predict ... | head``): not an error.
        silence_stdout()
        return 0
    except OSError as error:
        # Files are read and saved with their own messages, so what is left
        # is the output: a full disk (``> /dev/full``), a closed terminal.
        report("cannot write to standard output: %s" % files.reason(error, "."))
        silence_stdout()
        return EXIT_ERROR
    except MemoryError:
        report("out of memory: the table or the network is too large for this machine")
        return EXIT_ERROR
    except Exception as error:
        # A bug, not bad input: still one line, but one that says so.
        if os.environ.get("TINYNET_TRACEBACK"):
            raise
        report("unexpected %s: %s (a bug in tinynet: please report it; TINYNET_TRACEBACK=1 "
               "shows where it happened)" % (type(error).__name__, error))
        return EXIT_ERROR
    return 0


def silence_stdout() -> None:
    """Point stdout at nothing, so that Python's final flush of what could not be
    written stays quiet instead of printing a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is no file (a test's StringIO)
        pass


def report(message: str) -> None:
    """``tinynet: error: message`` as one line on stderr."""
    sys.stdout.flush()
    sys.stderr.write("tinynet: error: %s\n" % " ".join(message.split()))
    sys.stderr.flush()

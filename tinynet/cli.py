"""The ``tinynet`` command: train, use and check a network from a CSV file.

==============================================  ================================
``tinynet demo``                                train on generated data and show
                                                the loss falling; no files
``tinynet train data.csv --target COL --out M``  train a network, save it to M
``tinynet predict M data.csv``                  predictions as CSV on stdout
``tinynet evaluate M data.csv``                 accuracy and confusion matrix
                                                (R² for regression)
``tinynet export M --to python|c [-o FILE]``    the model as standalone Python
                                                or a C99 header (stdout without
                                                ``-o``)
==============================================  ================================

``train`` saves the names of the feature columns and of the target with the
model, so ``predict`` and ``evaluate`` pick the columns they need by name:
their order in the file does not matter, and other columns are ignored.

Run ``python3 -m tinynet`` from a checkout, or ``tinynet`` once installed;
``--help`` after any command lists its options.

Bad input (a missing file, a cell that is not a number, a model that does
not fit the data, an option out of range) is reported in one line on stderr,
``tinynet: error: ...``, with exit status 2 and no traceback.  Ctrl-C exits
with status 130.  A failed ``train`` writes no model file.

This module runs only where the full standard library does (it uses
``argparse``); the rest of the package stays importable on MicroPython.
"""

try:
    import argparse
except ImportError:  # MicroPython: no argparse
    raise ImportError(
        "the tinynet command line needs CPython or PyPy (it uses argparse); "
        "on MicroPython call NeuralNet, read_csv and friends directly"
    )
import math
import os
import sys
import time

from . import __version__
from .activations import HIDDEN_ACTIVATION_NAMES
from .checks import class_index
from .data import read_csv, train_test_split
from .datasets import half_moons
from .errors import DataError, TinynetError
from .export import DTYPES as EXPORT_DTYPES, TARGETS as EXPORT_TARGETS, export
from .matrix import Matrix
from .metrics import (
    accuracy,
    confusion_matrix,
    format_confusion_matrix,
    mean_squared_error,
    r2_score,
)
from .network import NeuralNet
from .optimizers import OPTIMIZERS
from .outputs import classifier_for
from .scaler import StandardScaler

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Sequence, TextIO, Tuple


EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


class CommandError(Exception):
    """A problem with the user's input, reported as one line on stderr."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and still exit status 2)."""

    def error(self, message: str) -> "Any":
        self.exit(EXIT_ERROR, "%s: error: %s (see '%s --help')\n" % (self.prog, message, self.prog))


# --- option values -----------------------------------------------------------


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number >= 1, got %r" % text)
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError("must be a whole number >= 0, got %r" % text)
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError("must be a number > 0, got %r" % text)
    return value


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError("must be a number between 0 and 1, got %r" % text)
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``tinynet`` argument parser with its five subcommands."""
    parser = _Parser(
        prog="tinynet",
        description="Train and use a small neural network on a numeric CSV file.",
        epilog="Run 'tinynet COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version="tinynet %s" % __version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo", help="train on two generated half-moons and show the loss falling",
        description="Generate two interleaved half-moons (no files), train a small network "
                    "on three quarters of the points and test it on the rest.")
    demo.add_argument("--seed", type=_non_negative_int, default=0,
                      help="seed for the data and the weights (default 0)")
    demo.add_argument("--iterations", type=_positive_int, default=300, metavar="N",
                      help="training epochs (default 300)")

    train = commands.add_parser(
        "train", help="train a network on a CSV file and save it",
        description="Read a numeric CSV file with a header row, hold back a test part "
                    "(stratified by class), standardise the features (and, with "
                    "--regression, the target), train, report accuracy (R^2 with "
                    "--regression) and save the model with its scaling and column names.")
    train.add_argument("csv", help="the training data: a CSV file with a header row")
    train.add_argument("--target", required=True, metavar="COL",
                       help="the column holding the answers: class labels 0, 1, ..., k-1, "
                            "or numbers with --regression")
    train.add_argument("--out", required=True, metavar="MODEL",
                       help="where to save the model (JSON); written only if training succeeds")
    train.add_argument("--hidden", type=_positive_int, action="append", metavar="UNITS",
                       help="units in a hidden layer; repeat for more layers (default: one "
                            "layer of 8)")
    train.add_argument("--iterations", type=_positive_int, default=500, metavar="N",
                       help="training epochs (default 500)")
    train.add_argument("--learning-rate", type=_positive_float, default=0.1, metavar="RATE",
                       help="step size (default 0.1)")
    train.add_argument("--activation", choices=HIDDEN_ACTIVATION_NAMES, default="relu",
                       help="hidden activation (default relu)")
    train.add_argument("--optimizer", choices=list(OPTIMIZERS), default="gd",
                       help="how gradients update the weights (default gd)")
    train.add_argument("--batch-size", type=_positive_int, default=None, metavar="N",
                       help="samples per step (default: all of them)")
    train.add_argument("--seed", type=_non_negative_int, default=0,
                       help="seed for the split, the weights and the batches (default 0)")
    train.add_argument("--test-fraction", type=_fraction, default=0.25, metavar="F",
                       help="share of the rows held back for testing (default 0.25)")
    train.add_argument("--regression", action="store_true",
                       help="predict a number (linear output, scored by R^2) instead of a class")

    predict = commands.add_parser(
        "predict", help="print a saved model's predictions for a CSV file",
        description="Print one prediction per data row as CSV (header 'prediction'). "
                    "The model's feature columns are found by name; other columns are "
                    "ignored.")
    predict.add_argument("model", help="a model file saved by 'tinynet train'")
    predict.add_argument("csv", help="the samples: a CSV file with a header row")
    predict.add_argument("--target", metavar="COL",
                         help="a column to ignore if the file has it (the answers); only "
                              "needed for a model saved without column names")

    evaluate = commands.add_parser(
        "evaluate", help="score a saved model on a labelled CSV file",
        description="Print the accuracy and the confusion matrix (R^2 and mean squared error "
                    "for a regression model).")
    evaluate.add_argument("model", help="a model file saved by 'tinynet train'")
    evaluate.add_argument("csv", help="labelled data: a CSV file with a header row")
    evaluate.add_argument("--target", metavar="COL",
                          help="the column holding the answers (default: the target column "
                               "the model was trained on)")

    dtypes = sorted(set(d for choices in EXPORT_DTYPES.values() for d in choices))
    export_ = commands.add_parser(
        "export", help="write a saved model as standalone Python or as a C header",
        description="Write the model as code that predicts without tinynet: one Python "
                    "module (imports only math, struct and sys; runs on CPython, PyPy and "
                    "MicroPython) or one C99 header (static inline functions, static const "
                    "weights, nothing beyond math.h).")
    export_.add_argument("model", help="a model file saved by 'tinynet train' or NeuralNet.save")
    export_.add_argument("--to", required=True, choices=EXPORT_TARGETS,
                         help="the language to write")
    export_.add_argument("-o", "--out", metavar="FILE",
                         help="the file to write, whole or not at all (default: standard "
                              "output)")
    export_.add_argument("--name", help="the module's name, the prefix of the C identifiers "
                                        "(default: FILE's name, else 'model')")
    export_.add_argument("--dtype", choices=dtypes,
                         help="how the weights are stored: python float64 (default) or "
                              "float32; c float32 (default) or int8")
    return parser


# --- running ------------------------------------------------------------------


def main(argv: "Optional[Sequence[str]]" = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            run_demo(args)
        elif args.command == "train":
            run_train(args)
        elif args.command == "predict":
            run_predict(args)
        elif args.command == "evaluate":
            run_evaluate(args)
        else:
            run_export(args)
        sys.stdout.flush()
    except (CommandError, TinynetError) as error:
        _report(str(error))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``tinynet predict ... | head``): not an error.
        # Point stdout at nothing so Python's final flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return 0


def _report(message: str) -> None:
    sys.stdout.flush()
    sys.stderr.write("tinynet: error: %s\n" % " ".join(message.split()))
    sys.stderr.flush()


def _read(path: str, target: "Optional[str]") -> "Tuple[Matrix, Optional[List[float]], List[str]]":
    """``read_csv``, with file-system problems turned into one-line messages."""
    try:
        return read_csv(path, target)
    except FileNotFoundError:
        raise CommandError("%s: no such file" % path)
    except IsADirectoryError:
        raise CommandError("%s is a directory, not a CSV file" % path)
    except UnicodeDecodeError:
        raise CommandError("%s is not a text file (it must be UTF-8 encoded CSV)" % path)
    except OSError as error:
        raise CommandError("cannot read %s: %s" % (path, error.strerror or error))


def _class_labels(y: "List[float]", path: str, target: str, n_classes: "Optional[int]") -> "List[int]":
    """The target column as class labels, or CommandError naming the row and the value.

    Each value goes through ``checks.class_index``, the rule ``one_hot`` and the
    metrics use too; with ``n_classes`` (a saved model's) every label must
    also be below it.
    """
    labels = []
    for i, value in enumerate(y):
        where = "%s: column %r, data row %d" % (path, target, i + 1)
        try:
            label = class_index(value, where)
        except DataError as error:
            raise CommandError("%s (for numeric targets, train with --regression)" % error)
        if n_classes is not None and label >= n_classes:
            raise CommandError("%s holds %d, but this model's classes are 0..%d"
                               % (where, label, n_classes - 1))
        labels.append(label)
    return labels


def _class_count(labels: "List[int]", path: str, target: str) -> int:
    """k for labels that are exactly 0..k-1, every class present, or CommandError.

    A column of IDs or measurements picked as the target by mistake would
    otherwise ask for a softmax layer of millions of units.
    """
    k = max(labels) + 1
    where = "%s: column %r" % (path, target)
    if k > len(labels):
        raise CommandError(
            "%s holds %d (data row %d) but has only %d rows: class labels are 0..k-1 with "
            "every class present, so this looks like an ID or a measurement column, not classes "
            "(choose the class column with --target, or predict a number with --regression)"
            % (where, k - 1, labels.index(k - 1) + 1, len(labels)))
    present = set(labels)
    missing = [c for c in range(k) if c not in present]
    if missing:
        shown = ", ".join(str(c) for c in missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise CommandError(
            "%s holds labels up to %d but never %s: class labels must be 0..k-1 with every "
            "class present (renumber the classes; for an ID or a measurement column, choose "
            "another with --target or use --regression)" % (where, k - 1, shown))
    if k < 2:
        raise CommandError("%s holds only the class 0: a classifier needs at least two classes"
                           % where)
    return k


def _warn_about_rare_classes(labels: "List[int]", k: int, path: str, target: str) -> None:
    """A one-line warning on stderr for classes with a single row.

    Such a class is most often a typo (a ``2`` in a column of 0s and 1s),
    which would otherwise only show as an unexpected class count.  Training
    goes on: the class may be real, only rare.
    """
    rows: "List[List[int]]" = [[] for _ in range(k)]
    for i, label in enumerate(labels):
        rows[label].append(i + 1)
    rare = ["%d (data row %d)" % (c, rows[c][0]) for c in range(k) if len(rows[c]) < 2]
    if rare:
        sys.stdout.flush()
        sys.stderr.write(
            "tinynet: warning: %s: column %r has only one row of class %s: too few to learn "
            "%s or test %s (a typo?); training a %d-class model anyway\n"
            % (path, target, ", of class ".join(rare), "it" if len(rare) == 1 else "them",
               "it" if len(rare) == 1 else "them", k))
        sys.stderr.flush()


def _model_inputs(X: "Matrix", names: "List[str]", net: NeuralNet, path: str,
                  target: "Optional[str]") -> "Matrix":
    """The columns of ``X`` (named ``names``) that the model takes, in its order.

    With the feature names saved by ``train`` the columns are found by name
    and the others ignored; a missing one is a CommandError.  A model saved
    without names takes the columns in file order, except ``target``, and
    the file must have exactly as many as the model has inputs.
    """
    features = net.feature_names
    if features is not None:
        if target is not None and target in features:
            raise CommandError("--target %s names one of the model's input columns (%s)"
                               % (target, ", ".join(features)))
        missing = [name for name in features if name not in names]
        if missing:
            raise CommandError("%s has no column%s %s, which the model takes as input (its "
                               "inputs: %s)" % (path, "" if len(missing) == 1 else "s",
                                                ", ".join(repr(name) for name in missing),
                                                ", ".join(features)))
        columns = [names.index(name) for name in features]
    else:
        columns = [j for j, name in enumerate(names) if name != target]
        names = [names[j] for j in columns]
        n_inputs = net.layers[0]
        if len(columns) != n_inputs:
            message = "%s has %d feature column%s (%s) but the model takes %d input%s" % (
                path, len(columns), "" if len(columns) == 1 else "s", ", ".join(names),
                n_inputs, "" if n_inputs == 1 else "s")
            if target is None and len(columns) == n_inputs + 1:
                message += "; if one column holds the answers, name it with --target"
            raise CommandError(message)
    if columns == list(range(X.n_cols)):
        return X
    return Matrix.wrap([[row[j] for j in columns] for row in X.rows], len(columns))


def _model_kind(net: NeuralNet) -> str:
    return net.output_layer.describe(net.layers[-1])


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


def _fit(net: NeuralNet, X: "Matrix", y: "Sequence[Any]", lines: bool = False) -> None:
    progress = Progress(net.iterations, sys.stdout, lines)
    net.callback = progress
    try:
        net.fit(X, y)
    finally:
        progress.finish()
        net.callback = None


def _score_line(name: str, net: NeuralNet, X: "Matrix", y: "Sequence[Any]") -> str:
    predicted = net.predict(X)
    if not net.output_layer.is_classifier:
        return "%s r2 %.4f  (mean squared error %.6g)" % (
            name, r2_score(list(y), predicted), mean_squared_error(list(y), predicted))
    correct = sum(1 for a, b in zip(y, predicted) if a == b)
    return "%s accuracy %.4f  (%d of %d)" % (name, accuracy(list(y), predicted), correct, len(y))


# --- train ----------------------------------------------------------------------


def run_train(args: argparse.Namespace) -> None:
    _check_writable(args.out, args.csv)
    X, y, names = _read(args.csv, args.target)
    assert y is not None  # a target was given
    hidden = args.hidden or [8]
    if args.regression:
        targets: "List[Any]" = list(y)
        layers = [X.n_cols] + hidden + [1]
        output = "linear"
    else:
        targets = _class_labels(y, args.csv, args.target, None)
        k = _class_count(targets, args.csv, args.target)
        output, n_outputs = classifier_for(k)
        layers = [X.n_cols] + hidden + [n_outputs]
    X_train, X_test, y_train, y_test = train_test_split(
        X, targets, args.test_fraction, seed=args.seed, stratify=not args.regression)
    if not args.regression:
        _warn_about_rare_classes(targets, k, args.csv, args.target)
    net = NeuralNet(layers=layers, learning_rate=args.learning_rate, iterations=args.iterations,
                    activation=args.activation, output=output, seed=args.seed,
                    optimizer=args.optimizer, batch_size=args.batch_size)
    # Fitted on the training part only: the test part stays unseen.
    net.scaler = StandardScaler().fit(X_train)
    if args.regression:
        # The network learns targets of mean 0 and spread 1 and predicts in
        # the file's units: a target in the thousands would otherwise make
        # the first steps huge, and training diverge.
        net.target_scaler = StandardScaler().fit([[value] for value in y_train])
    net.feature_names, net.target_name = names, args.target
    print("training a %s network on %d rows of %s (%d held back for testing): %s"
          % ("-".join(str(n) for n in layers), len(X_train), args.csv, len(X_test),
             _model_kind(net)))
    _fit(net, X_train, y_train)
    print(_score_line("train", net, X_train, y_train))
    print(_score_line("test ", net, X_test, y_test))
    net.save(args.out)
    print("saved the model to %s" % args.out)


def _check_writable(path: str, data_path: str) -> None:
    """CommandError now, before training, if the model could not be saved at ``path``."""
    if os.path.realpath(path) == os.path.realpath(data_path):
        raise CommandError("--out %s is the training data: give the model another file name" % path)
    if os.path.isdir(path):
        raise CommandError("--out %s is a directory; give a file name such as model.json" % path)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise CommandError("cannot save the model to %s: the folder %s does not exist"
                           % (path, folder))


# --- predict and evaluate ---------------------------------------------------------


def run_predict(args: argparse.Namespace) -> None:
    net = NeuralNet.load(args.model)
    X, _, names = _read(args.csv, None)  # every column: the target may be there or not
    target = args.target if args.target is not None else net.target_name
    X = _model_inputs(X, names, net, args.csv, target)
    predicted = net.predict(X)
    if predicted and isinstance(predicted[0], list):
        header = ",".join("prediction_%d" % (j + 1) for j in range(len(predicted[0])))
        lines = [",".join(repr(v) for v in row) for row in predicted]
    else:
        header = "prediction"
        lines = [repr(v) for v in predicted]
    sys.stdout.write(header + "\n" + "".join(line + "\n" for line in lines))


def run_evaluate(args: argparse.Namespace) -> None:
    net = NeuralNet.load(args.model)
    target = args.target if args.target is not None else net.target_name
    if target is None:
        raise CommandError("%s does not name its target column: say which column holds the "
                           "answers with --target COL" % args.model)
    X, y, names = _read(args.csv, target)
    assert y is not None
    X = _model_inputs(X, names, net, args.csv, target)
    print("%s: %s on %d rows of %s" % (args.model, _model_kind(net), len(X), args.csv))
    if not net.output_layer.is_classifier:
        print(_score_line("", net, X, list(y)).strip())
        return
    n_classes = net.output_layer.n_classes(net.layers[-1])
    labels = _class_labels(y, args.csv, target, n_classes)
    print(_score_line("", net, X, labels).strip())
    print()
    print(format_confusion_matrix(confusion_matrix(labels, net.predict(X), n_classes)))


# --- export -------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> None:
    if args.out is not None and os.path.isdir(args.out):
        raise CommandError("-o %s is a directory; give a file name such as model.%s"
                           % (args.out, "py" if args.to == "python" else "h"))
    text = export(args.model, args.to, args.out, args.name, args.dtype)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print("wrote %s (%s, %d bytes)" % (
            args.out, "a Python module" if args.to == "python" else "a C99 header", len(text)))


# --- demo ---------------------------------------------------------------------------


def run_demo(args: argparse.Namespace) -> None:
    X, y = half_moons(200, noise=0.2, seed=args.seed)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, seed=args.seed, stratify=True)
    net = NeuralNet(layers=[2, 16, 1], activation="tanh", optimizer="adam", learning_rate=0.02,
                    iterations=args.iterations, seed=args.seed)
    net.scaler = StandardScaler().fit(X_train)
    print("Two half-moons: %d points (o = class 0, x = class 1), no straight line between them."
          % len(X))
    print("Training a 2-16-1 network (tanh, Adam) on %d of them, testing on the other %d."
          % (len(X_train), len(X_test)))
    print()
    _fit(net, X_train, y_train, lines=True)  # the point is to see the loss fall
    print()
    print(_score_line("train", net, X_train, y_train))
    print(_score_line("test ", net, X_test, y_test))
    print()
    print("What the network learned (. = predicts class 0, space = class 1):")
    print(_region_map(net, X, y))


def _region_map(net: NeuralNet, X: "List[List[float]]", y: "List[int]",
                width: int = 64, height: int = 20) -> str:
    """The plane as text: each character is the class the network predicts there,
    with the data points drawn on top."""
    xs, ys = [p[0] for p in X], [p[1] for p in X]
    left, right = min(xs) - 0.1, max(xs) + 0.1
    bottom, top = min(ys) - 0.1, max(ys) + 0.1
    centres = [[left + (c + 0.5) * (right - left) / width, top - (r + 0.5) * (top - bottom) / height]
               for r in range(height) for c in range(width)]
    regions = net.predict(centres)
    grid = [["." if regions[r * width + c] == 0 else " " for c in range(width)]
            for r in range(height)]
    for (px, py), label in zip(X, y):
        c = min(width - 1, int((px - left) / (right - left) * width))
        r = min(height - 1, int((top - py) / (top - bottom) * height))
        grid[r][c] = "o" if label == 0 else "x"
    border = "+" + "-" * width + "+"
    return "\n".join([border] + ["|" + "".join(row) + "|" for row in grid] + [border])

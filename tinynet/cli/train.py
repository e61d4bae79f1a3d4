"""``tinynet train``: train a network on a table, report how it did, and save it."""

import os

from ..data import train_test_split
from ..errors import DataError
from ..network import NeuralNet
from ..outputs import classifier_for
from ..scaler import StandardScaler
from ..training import interrupted_message
from . import progress
from .labels import check_classes, labels_for
from .options import (
    CommandError,
    add_input_options,
    add_setting,
    fraction_or_zero,
    positive_int,
)
from .scores import model_kind, score_line
from .table import STDIN, DataFile, dropped_line

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, List, Optional, Tuple

    from ..matrix import Matrix

DEFAULT_TEST_FRACTION = 0.25

# Settings that only some other option makes use of: None on the command line
# means not given, so that giving one without that option can be refused.
DEFAULTS = {"momentum": 0.9, "validation_fraction": 0.1, "patience": 10}


def add_parser(commands: "Any") -> None:
    train = commands.add_parser(
        "train", help="train a network on a CSV file and save it",
        description="Read a CSV file with a header row, hold back a test part (stratified "
                    "by class) or take the test rows from --test, standardise the features "
                    "(and, with --regression, the target), train, report accuracy (R^2 with "
                    "--regression) and save the model with its scaling, its classes and its "
                    "column names.")
    train.add_argument("csv", help="the training data: a CSV file with a header row "
                                   "('-' reads standard input)")
    train.add_argument("--target", required=True, metavar="COL",
                       help="the column holding the answers: class labels of any kind (words, "
                            "numbers), or numbers with --regression")
    train.add_argument("--out", required=True, metavar="MODEL",
                       help="where to save the model (JSON); written only if training succeeds "
                            "or is interrupted with Ctrl-C")
    train.add_argument("--ignore", action="append", default=[], metavar="COL",
                       help="a column that is not a feature (an ID, a name); repeat for more. "
                            "Every other column but the target must hold numbers")
    train.add_argument("--test", metavar="FILE",
                       help="test on the rows of FILE (same columns) and train on all of CSV, "
                            "instead of holding back --test-fraction")
    train.add_argument("--test-fraction", type=fraction_or_zero, default=None, metavar="F",
                       help="share of the rows held back for testing, from 0 (train on all "
                            "rows, no test) up to 1; default %g" % DEFAULT_TEST_FRACTION)
    train.add_argument("--regression", action="store_true",
                       help="predict a number (linear output, scored by R^2) instead of a class")
    train.add_argument("--hidden", type=positive_int, action="append", metavar="UNITS",
                       help="units in a hidden layer; repeat for more layers (default: one "
                            "layer of 8)")
    add_setting(train, "iterations", 500, "N")
    add_setting(train, "learning_rate", 0.1, "RATE")
    add_setting(train, "activation", "relu")
    add_setting(train, "optimizer", "gd")
    add_setting(train, "batch_size", None, "N", "all rows")
    add_setting(train, "momentum", None, "M", "%g, with --optimizer momentum" % DEFAULTS["momentum"])
    add_setting(train, "alpha", 0.0, "ALPHA")
    add_setting(train, "early_stopping", False)
    add_setting(train, "validation_fraction", None, "F",
                "%g, with --early-stopping" % DEFAULTS["validation_fraction"])
    add_setting(train, "patience", None, "N", "%d, with --early-stopping" % DEFAULTS["patience"])
    add_setting(train, "seed", 0, "S", "0; it also seeds the split")
    add_input_options(train)
    train.add_argument("--quiet", action="store_true",
                       help="print no progress lines while training")
    train.set_defaults(run=run)


def check_options(args: "argparse.Namespace") -> None:
    """CommandError for options that are fine alone but not together; then fill in
    the ``DEFAULTS`` of the options not given."""
    if args.test is not None and args.test_fraction is not None:
        raise CommandError("--test and --test-fraction both say which rows to test on: "
                           "give one of them")
    if args.test is not None and args.test == args.csv == STDIN:
        raise CommandError("the training data and --test cannot both be standard input ('-')")
    if args.out == STDIN:
        raise CommandError("--out - : a model is saved to a file (give it a name such as "
                           "model.json); standard output is for the report")
    if args.momentum is not None and args.optimizer != "momentum":
        raise CommandError("--momentum applies to --optimizer momentum (the optimizer is %s)"
                           % args.optimizer)
    if not args.early_stopping:
        for name in ("validation_fraction", "patience"):
            if getattr(args, name) is not None:
                raise CommandError("--%s applies with --early-stopping"
                                   % name.replace("_", "-"))
    for name, default in DEFAULTS.items():
        if getattr(args, name) is None:
            setattr(args, name, default)


def run(args: "argparse.Namespace") -> None:
    check_options(args)
    check_writable(args.out, args.csv)
    data = DataFile(args.csv, args.delimiter)
    names, X, y, classes = read_training_data(data, args)
    X_test: "Optional[Matrix]"
    if args.test is not None:
        test = DataFile(args.test, args.delimiter)
        X_test, y_test = read_test_data(test, names, classes, args)
        X_train, y_train = X, y
        tested = "testing on %d rows of %s" % (len(X_test), test.name)
    else:
        fraction = DEFAULT_TEST_FRACTION if args.test_fraction is None else args.test_fraction
        X_train, X_test, y_train, y_test = split(X, y, fraction, args)
        tested = ("none held back for testing" if X_test is None
                  else "%d held back for testing" % len(X_test))

    net = build_network(args, X_train, y_train, classes)
    net.feature_names, net.target_name = names, args.target
    print("training a %s network on %d rows of %s (%s): %s"
          % ("-".join(str(n) for n in net.layers), len(X_train), data.name, tested,
             model_kind(net)))
    progress.fit(net, X_train, y_train, quiet=args.quiet)
    report_ending(net)  # raises KeyboardInterrupt if Ctrl-C came before any epoch ended
    print(score_line("train", net, X_train, y_train))
    if X_test is not None:
        print(score_line("test ", net, X_test, y_test))
    net.save(args.out)
    print("saved the model to %s" % args.out)


def read_training_data(data: DataFile, args: "argparse.Namespace"
                       ) -> "Tuple[List[str], Matrix, List[Any], Optional[List[Any]]]":
    """The feature names, X, the answers y and (for a classifier) the classes."""
    target = data.column(args.target, "target column")
    ignored = [data.column(name, "column to ignore") for name in args.ignore]
    if target in ignored:
        raise CommandError("--ignore %s names the target column" % args.target)
    columns = [j for j in range(len(data.table.names)) if j != target and j not in ignored]
    if not columns:
        raise CommandError("%s has no feature columns: every column is the target or ignored"
                           % data.name)
    dropped = data.missing_values(columns + [target], args.drop_missing)
    if dropped:
        print(dropped_line(dropped, data))
    try:
        X = data.numbers(columns)
    except DataError as error:
        if not str(error).endswith("is not a number"):  # a number gone wrong, not a word
            raise
        raise CommandError("%s (a column that is not a feature, such as an ID or a name, can "
                           "be left out with --ignore COL)" % error)
    if args.regression:
        return [data.table.names[j] for j in columns], X, data.column_numbers(target), None
    y = data.labels(target)
    return [data.table.names[j] for j in columns], X, y, check_classes(y, data, target)


def read_test_data(test: DataFile, names: "List[str]", classes: "Optional[List[Any]]",
                   args: "argparse.Namespace") -> "Tuple[Matrix, List[Any]]":
    """X and y of the ``--test`` file: the training file's columns, found by name."""
    columns = [test.column(name, "feature column") for name in names]
    target = test.column(args.target, "target column")
    dropped = test.missing_values(columns + [target], args.drop_missing)
    if dropped:
        print(dropped_line(dropped, test))
    X = test.numbers(columns)
    if classes is None:
        return X, test.column_numbers(target)
    return X, labels_for(classes, test, target)


def build_network(args: "argparse.Namespace", X: "Matrix", y: "List[Any]",
                  classes: "Optional[List[Any]]") -> NeuralNet:
    """The network the options describe, with scalers fitted on the training part."""
    hidden = args.hidden or [8]
    if classes is None:
        output, n_outputs = "linear", 1
    else:
        output, n_outputs = classifier_for(len(classes))
    net = NeuralNet(layers=[X.n_cols] + hidden + [n_outputs], learning_rate=args.learning_rate,
                    iterations=args.iterations, activation=args.activation, output=output,
                    seed=args.seed, optimizer=args.optimizer, batch_size=args.batch_size,
                    alpha=args.alpha, momentum=args.momentum,
                    early_stopping=args.early_stopping,
                    validation_fraction=args.validation_fraction, patience=args.patience)
    # Fitted on the training part only: the test part stays unseen.
    net.scaler = StandardScaler().fit(X)
    if classes is None:
        # The network learns targets of mean 0 and spread 1 and predicts in
        # the file's units: a target in the thousands would otherwise make
        # the first steps huge, and training diverge.
        net.target_scaler = StandardScaler().fit([[value] for value in y])
    return net


def report_ending(net: NeuralNet) -> None:
    """A line saying why training ended before its last epoch, if it did.

    After Ctrl-C (``interrupted_at_epoch``) the model trained so far is
    scored and saved, unless no epoch had ended: then there is nothing to
    save, and KeyboardInterrupt ends the command.
    """
    epochs = len(net.loss)
    if net.interrupted_at_epoch is not None:
        if net.interrupted_at_epoch == 0:
            print("training was interrupted (Ctrl-C) before its first epoch ended: nothing "
                  "was learned, so no model is saved")
            raise KeyboardInterrupt
        print("%s (Ctrl-C); saving that model (press Ctrl-C again to quit without saving)"
              % interrupted_message(net))
    elif net.early_stopping and epochs < net.iterations:
        losses = net.validation_loss
        best = min(range(len(losses)), key=losses.__getitem__) + 1
        print("stopped early after epoch %d of %d: the validation loss has not improved for %d "
              "epochs; kept the weights of epoch %d" % (epochs, net.iterations, net.patience,
                                                        best))


def split(X: "Matrix", y: "List[Any]", fraction: float, args: "argparse.Namespace"
          ) -> "Tuple[Matrix, Optional[Matrix], List[Any], List[Any]]":
    """The training and test parts (``None`` and ``[]`` for the test part when ``fraction`` is 0)."""
    if fraction == 0:
        return X, None, y, []
    return train_test_split(X, y, fraction, seed=args.seed, stratify=not args.regression)


def check_writable(path: str, data_path: str) -> None:
    """CommandError now, before training, if the model could not be saved at ``path``."""
    if data_path != STDIN and os.path.realpath(path) == os.path.realpath(data_path):
        raise CommandError("--out %s is the training data: give the model another file name" % path)
    if os.path.isdir(path):
        raise CommandError("--out %s is a directory; give a file name such as model.json" % path)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise CommandError("cannot save the model to %s: the folder %s does not exist"
                           % (path, folder))

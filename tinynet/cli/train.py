"""``tinynet train``: train a network on a table, report how it did, and save it."""

import os

from ..activations import HIDDEN_ACTIVATION_NAMES
from ..data import train_test_split
from ..network import NeuralNet
from ..optimizers import OPTIMIZERS
from ..outputs import classifier_for
from ..scaler import StandardScaler
from . import progress
from .labels import class_count, class_labels, warn_about_rare_classes
from .options import CommandError, fraction, non_negative_int, positive_float, positive_int
from .scores import model_kind, score_line
from .table import read

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, List


def add_parser(commands: "Any") -> None:
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
    train.add_argument("--hidden", type=positive_int, action="append", metavar="UNITS",
                       help="units in a hidden layer; repeat for more layers (default: one "
                            "layer of 8)")
    train.add_argument("--iterations", type=positive_int, default=500, metavar="N",
                       help="training epochs (default 500)")
    train.add_argument("--learning-rate", type=positive_float, default=0.1, metavar="RATE",
                       help="step size (default 0.1)")
    train.add_argument("--activation", choices=HIDDEN_ACTIVATION_NAMES, default="relu",
                       help="hidden activation (default relu)")
    train.add_argument("--optimizer", choices=list(OPTIMIZERS), default="gd",
                       help="how gradients update the weights (default gd)")
    train.add_argument("--batch-size", type=positive_int, default=None, metavar="N",
                       help="samples per step (default: all of them)")
    train.add_argument("--seed", type=non_negative_int, default=0,
                       help="seed for the split, the weights and the batches (default 0)")
    train.add_argument("--test-fraction", type=fraction, default=0.25, metavar="F",
                       help="share of the rows held back for testing (default 0.25)")
    train.add_argument("--regression", action="store_true",
                       help="predict a number (linear output, scored by R^2) instead of a class")
    train.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    check_writable(args.out, args.csv)
    X, y, names = read(args.csv, args.target)
    assert y is not None  # a target was given
    hidden = args.hidden or [8]
    if args.regression:
        targets: "List[Any]" = list(y)
        layers = [X.n_cols] + hidden + [1]
        output = "linear"
    else:
        targets = class_labels(y, args.csv, args.target, None)
        k = class_count(targets, args.csv, args.target)
        output, n_outputs = classifier_for(k)
        layers = [X.n_cols] + hidden + [n_outputs]
    X_train, X_test, y_train, y_test = train_test_split(
        X, targets, args.test_fraction, seed=args.seed, stratify=not args.regression)
    if not args.regression:
        warn_about_rare_classes(targets, k, args.csv, args.target)
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
             model_kind(net)))
    progress.fit(net, X_train, y_train)
    print(score_line("train", net, X_train, y_train))
    print(score_line("test ", net, X_test, y_test))
    net.save(args.out)
    print("saved the model to %s" % args.out)


def check_writable(path: str, data_path: str) -> None:
    """CommandError now, before training, if the model could not be saved at ``path``."""
    if os.path.realpath(path) == os.path.realpath(data_path):
        raise CommandError("--out %s is the training data: give the model another file name" % path)
    if os.path.isdir(path):
        raise CommandError("--out %s is a directory; give a file name such as model.json" % path)
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise CommandError("cannot save the model to %s: the folder %s does not exist"
                           % (path, folder))

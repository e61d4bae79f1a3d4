"""``tinynet evaluate``: score a saved model on a labelled table."""

from ..metrics import confusion_matrix, format_confusion_matrix
from ..network import NeuralNet
from .labels import class_labels
from .options import CommandError
from .scores import model_kind, score_line
from .table import model_inputs, read

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_parser(commands: "Any") -> None:
    evaluate = commands.add_parser(
        "evaluate", help="score a saved model on a labelled CSV file",
        description="Print the accuracy and the confusion matrix (R^2 and mean squared error "
                    "for a regression model).")
    evaluate.add_argument("model", help="a model file saved by 'tinynet train'")
    evaluate.add_argument("csv", help="labelled data: a CSV file with a header row")
    evaluate.add_argument("--target", metavar="COL",
                          help="the column holding the answers (default: the target column "
                               "the model was trained on)")
    evaluate.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    net = NeuralNet.load(args.model)
    target = args.target if args.target is not None else net.target_name
    if target is None:
        raise CommandError("%s does not name its target column: say which column holds the "
                           "answers with --target COL" % args.model)
    X, y, names = read(args.csv, target)
    assert y is not None
    X = model_inputs(X, names, net, args.csv, target)
    print("%s: %s on %d rows of %s" % (args.model, model_kind(net), len(X), args.csv))
    if not net.output_layer.is_classifier:
        print(score_line("", net, X, list(y)).strip())
        return
    n_classes = net.output_layer.n_classes(net.layers[-1])
    labels = class_labels(y, args.csv, target, n_classes)
    print(score_line("", net, X, labels).strip())
    print()
    print(format_confusion_matrix(confusion_matrix(labels, net.predict(X), n_classes)))

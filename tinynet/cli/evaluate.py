"""``tinynet evaluate``: score a saved model on a labelled table."""

from ..metrics import confusion_matrix, format_confusion_matrix
from ..network import NeuralNet
from .labels import classes_of, labels_for
from .options import CommandError, add_input_options
from .scores import model_kind, score_line
from .table import DataFile, dropped_line, model_columns

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_parser(commands: "Any") -> None:
    evaluate = commands.add_parser(
        "evaluate", help="score a saved model on a labelled CSV file",
        description="Print the accuracy and the confusion matrix, headed by the model's "
                    "classes (R^2 and mean squared error for a regression model).")
    evaluate.add_argument("model", help="a model file saved by 'tinynet train'")
    evaluate.add_argument("csv", help="labelled data: a CSV file with a header row ('-' reads "
                                      "standard input)")
    evaluate.add_argument("--target", metavar="COL",
                          help="the column holding the answers (default: the target column "
                               "the model was trained on)")
    add_input_options(evaluate)
    evaluate.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    net = NeuralNet.load(args.model)
    target_name = args.target if args.target is not None else net.target_name
    if target_name is None:
        raise CommandError("%s does not name its target column: say which column holds the "
                           "answers with --target COL" % args.model)
    data = DataFile(args.csv, args.delimiter)
    target = data.column(target_name, "target column")
    columns = model_columns(data, net, target_name)
    dropped = data.missing_values(columns + [target], args.drop_missing)
    X = data.numbers(columns)
    print("%s: %s on %d rows of %s" % (args.model, model_kind(net), len(X), data.name))
    if dropped:
        print(dropped_line(dropped, data))
    if not net.output_layer.is_classifier:
        y = data.column_numbers(target)
        print(score_line("", net, X, y).strip())
        return
    classes = classes_of(net)
    labels = labels_for(classes, data, target)
    predicted = net.predict(X)
    print(score_line("", net, X, labels, predicted).strip())
    print()
    print(format_confusion_matrix(confusion_matrix(labels, predicted, labels=classes), classes))

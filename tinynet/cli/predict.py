"""``tinynet predict``: a saved model's predictions for a table, as CSV on stdout."""

import sys

from ..network import NeuralNet
from .labels import classes_of
from .options import CommandError, add_input_options
from .table import DataFile, dropped_line, format_row, model_columns

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, List


def add_parser(commands: "Any") -> None:
    predict = commands.add_parser(
        "predict", help="print a saved model's predictions for a CSV file",
        description="Print one prediction per data row as CSV (header 'prediction'), in the "
                    "labels the model was trained on. The model's feature columns are found "
                    "by name; other columns are ignored and may hold anything.")
    predict.add_argument("model", help="a model file saved by 'tinynet train'")
    predict.add_argument("csv", help="the samples: a CSV file with a header row ('-' reads "
                                     "standard input)")
    predict.add_argument("--proba", action="store_true",
                         help="print each class's probability instead, one column per class, "
                              "headed by the class")
    predict.add_argument("--id", metavar="COL",
                         help="copy this column (an ID, a name) to the output, as its first "
                              "column")
    predict.add_argument("--target", metavar="COL",
                         help="a column to ignore if the file has it (the answers); only "
                              "needed for a model saved without column names")
    add_input_options(predict)
    predict.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    net = NeuralNet.load(args.model)
    if args.proba and not net.output_layer.is_classifier:
        raise CommandError("--proba: %s predicts numbers (regression), not classes with "
                           "probabilities" % args.model)
    data = DataFile(args.csv, args.delimiter)
    id_column = None if args.id is None else data.column(args.id, "--id column")
    target = args.target if args.target is not None else net.target_name
    columns = model_columns(data, net, target, [] if args.id is None else [args.id])
    if id_column is not None and id_column in columns:
        raise CommandError("--id %s names one of the model's input columns" % args.id)
    dropped = data.missing_values(columns, args.drop_missing)
    X = data.numbers(columns)

    if args.proba:
        header, rows = probabilities(net, X)
    else:
        predicted = net.predict(X)
        if predicted and isinstance(predicted[0], list):
            header = ["prediction_%d" % (j + 1) for j in range(len(predicted[0]))]
            rows = [[repr(v) for v in row] for row in predicted]
        else:
            header = ["prediction"]
            rows = [[cell(v)] for v in predicted]
    if id_column is not None:
        header = [data.table.names[id_column]] + header
        rows = [[ids] + row for ids, row in zip(data.cells(id_column), rows)]
    write = sys.stdout.write
    write(format_row(header, data.delimiter))
    for row in rows:
        write(format_row(row, data.delimiter))
    if dropped:
        sys.stdout.flush()
        sys.stderr.write("tinynet: %s\n" % dropped_line(dropped, data))


def probabilities(net: NeuralNet, X: "Any") -> "Any":
    """The header (the classes) and rows of ``--proba``: one probability per class.

    A sigmoid output gives the second class's probability p; the first's is 1 - p.
    """
    classes = classes_of(net)
    P = net.predict_proba(X)
    if P.n_cols == 1:
        rows = [[repr(1.0 - p), repr(p)] for (p,) in P.rows]
    else:
        rows = [[repr(p) for p in row] for row in P.rows]
    return [cell(c) for c in classes], rows


def cell(value: object) -> str:
    """A label or a number as a CSV cell: words as they are, numbers as Python writes them
    (``repr``: a float reads back as the same float)."""
    return value if isinstance(value, str) else repr(value)

"""``tinynet predict``: a saved model's predictions for a table, as CSV on stdout."""

import sys

from ..network import NeuralNet
from .table import model_inputs, read

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_parser(commands: "Any") -> None:
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
    predict.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    net = NeuralNet.load(args.model)
    X, _, names = read(args.csv, None)  # every column: the target may be there or not
    target = args.target if args.target is not None else net.target_name
    X = model_inputs(X, names, net, args.csv, target)
    predicted = net.predict(X)
    if predicted and isinstance(predicted[0], list):
        header = ",".join("prediction_%d" % (j + 1) for j in range(len(predicted[0])))
        lines = [",".join(repr(v) for v in row) for row in predicted]
    else:
        header = "prediction"
        lines = [repr(v) for v in predicted]
    sys.stdout.write(header + "\n" + "".join(line + "\n" for line in lines))

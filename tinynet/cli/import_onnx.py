"""``tinynet import``: an ONNX model (from PyTorch, scikit-learn, ...) as a tinynet model file.

The work is ``NeuralNet.from_onnx`` (``tinynet.onnx_import``); this module
reads the options, refuses to overwrite the ONNX file itself, and says what
it read.  The model file is written whole or not at all.
"""

import os

from ..labels import show_labels
from ..network import NeuralNet
from .options import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_parser(commands: "Any") -> None:
    parser = commands.add_parser(
        "import", help="read an ONNX model and save it as a tinynet model file",
        description="Read a multilayer perceptron from an ONNX file (torch.onnx.export of "
                    "Linear layers and activations, skl2onnx's MLPClassifier or MLPRegressor, "
                    "or 'tinynet export --to onnx') and save it as a tinynet model file, for "
                    "'tinynet predict', 'tinynet evaluate' and NeuralNet.load.")
    parser.add_argument("onnx", help="the ONNX file (its external data file, if any, beside it)")
    parser.add_argument("-o", "--out", required=True, metavar="MODEL",
                        help="the model file to write (JSON), whole or not at all")
    parser.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    if os.path.isdir(args.out):
        raise CommandError("--out %s is a directory; give a file name such as model.json"
                           % args.out)
    if os.path.exists(args.out) and os.path.realpath(args.out) == os.path.realpath(args.onnx):
        raise CommandError("--out %s is the ONNX file: give the model another file name"
                           % args.out)
    net = NeuralNet.from_onnx(args.onnx)
    net.save(args.out)
    hidden = ("%s hidden activation" % net.activation if len(net.layers) > 2
              else "no hidden layer")
    kind = net.output_layer.describe(net.layers[-1])
    if net.classes_ is not None:
        kind += " (classes %s)" % show_labels(net.classes_)
    print("wrote %s: layers %s, %s, %s, %s"
          % (args.out, net.layers, hidden, kind,
             "with an input scaler" if net.scaler is not None else "no input scaler"))

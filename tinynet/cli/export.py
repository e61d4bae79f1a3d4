"""``tinynet export``: a saved model as standalone Python, a C99 header, or an ONNX file.

The work is ``tinynet.export``'s (Python, C) and ``tinynet.onnx_export``'s
(ONNX); this module reads the options and says where the result went.
Without ``-o`` the text goes to standard output, and so do ONNX's bytes
unless standard output is a terminal.
"""

import os
import sys

from ..export import DTYPES, TARGETS, export
from ..network import NeuralNet
from ..onnx_export import DTYPES as ONNX_DTYPES
from .options import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

# Each target's file extension, and what the written file is, in words.
WRITTEN = {"python": ("py", "a Python module"), "c": ("h", "a C99 header"),
           "onnx": ("onnx", "an ONNX model")}
ONNX_DTYPE_NAMES = ("float32", "float64")  # the default first


def add_parser(commands: "Any") -> None:
    dtypes = sorted(set(dtype for choices in DTYPES.values() for dtype in choices) |
                    set(ONNX_DTYPES))
    parser = commands.add_parser(
        "export", help="write a saved model as standalone Python, a C header or ONNX",
        description="Write the model as code that predicts without tinynet: one Python "
                    "module (imports only math, struct and sys; runs on CPython, PyPy and "
                    "MicroPython) or one C99 header (static inline functions, static const "
                    "weights, nothing beyond math.h); or as an ONNX model (IR version 8, "
                    "opset 13) for onnxruntime and the frameworks that read ONNX.")
    parser.add_argument("model", help="a model file saved by 'tinynet train' or NeuralNet.save")
    parser.add_argument("--to", required=True, choices=TARGETS + ("onnx",),
                        help="the language or format to write")
    parser.add_argument("-o", "--out", metavar="FILE",
                        help="the file to write, whole or not at all (default: standard output)")
    parser.add_argument("--name", help="the module's name, the prefix of the C identifiers "
                                       "(default: FILE's name, else 'model'); not for onnx")
    parser.add_argument("--dtype", choices=dtypes,
                        help="how the weights are stored: for python float64 (the default) or "
                             "float32; for c float32 (the default) or int8; for onnx float32 "
                             "(the default) or float64")
    parser.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    extension, what = WRITTEN[args.to]
    if args.out is not None and os.path.isdir(args.out):
        raise CommandError("-o %s is a directory; give a file name such as model.%s"
                           % (args.out, extension))
    if args.to == "onnx":
        _onnx(args)
        return
    text = export(args.model, args.to, args.out, args.name, args.dtype)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print("wrote %s (%s, %d bytes)" % (args.out, what, len(text)))


def _onnx(args: "argparse.Namespace") -> None:
    """The model as an ONNX file: to ``-o``, or as bytes to a pipe or a file."""
    dtype = args.dtype or ONNX_DTYPE_NAMES[0]
    if dtype not in ONNX_DTYPES:
        raise CommandError("unknown dtype %r for ONNX: choose %s"
                           % (dtype, " or ".join(ONNX_DTYPE_NAMES)))
    if args.name is not None:
        raise CommandError("--name names Python modules and C identifiers; an ONNX file "
                           "has no name to give")
    if args.out is None and sys.stdout.isatty():
        raise CommandError("an ONNX model is binary: give -o FILE, or redirect standard output")
    net = NeuralNet.load(args.model)
    data = net.to_onnx(args.out, dtype)
    if args.out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
    else:
        print("wrote %s (%s, %s, %d bytes)" % (args.out, WRITTEN["onnx"][1], dtype, len(data)))

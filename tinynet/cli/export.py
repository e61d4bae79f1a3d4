"""``tinynet export``: a saved model as standalone Python or as a C99 header.

The work is ``tinynet.export``'s; this module reads the options and says
where the text went.  Without ``-o`` the text goes to standard output.
"""

import os
import sys

from ..export import DTYPES, TARGETS, export
from .options import CommandError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def add_parser(commands: "Any") -> None:
    dtypes = sorted(set(dtype for choices in DTYPES.values() for dtype in choices))
    parser = commands.add_parser(
        "export", help="write a saved model as standalone Python or as a C header",
        description="Write the model as code that predicts without tinynet: one Python "
                    "module (imports only math, struct and sys; runs on CPython, PyPy and "
                    "MicroPython) or one C99 header (static inline functions, static const "
                    "weights, nothing beyond math.h).")
    parser.add_argument("model", help="a model file saved by 'tinynet train' or NeuralNet.save")
    parser.add_argument("--to", required=True, choices=TARGETS, help="the language to write")
    parser.add_argument("-o", "--out", metavar="FILE",
                        help="the file to write, whole or not at all (default: standard output)")
    parser.add_argument("--name", help="the module's name, the prefix of the C identifiers "
                                       "(default: FILE's name, else 'model')")
    parser.add_argument("--dtype", choices=dtypes,
                        help="how the weights are stored: for python float64 (the default) or "
                             "float32; for c float32 (the default) or int8")
    parser.set_defaults(run=run)


def run(args: "argparse.Namespace") -> None:
    if args.out is not None and os.path.isdir(args.out):
        raise CommandError("-o %s is a directory; give a file name such as model.%s"
                           % (args.out, "py" if args.to == "python" else "h"))
    text = export(args.model, args.to, args.out, args.name, args.dtype)
    if args.out is None:
        sys.stdout.write(text)
    else:
        print("wrote %s (%s, %d bytes)" % (
            args.out, "a Python module" if args.to == "python" else "a C99 header", len(text)))

"""A trained model written out as one standalone Python module.

``python_source(plan, name, dtype)`` returns the text of a module that
predicts without tinynet: it imports only ``math``, ``struct`` and ``sys``
(built into every Python, MicroPython's board firmware included) and holds
everything else itself: the scaler, the weights, the output kind and the
class labels.

What the module offers
----------------------
=======================  =====================================================
``predict_proba(row)``   the output layer for one row, as a list: the same
                         numbers as ``NeuralNet.predict_proba([row])[0]``
``predict(row)``         the class, one of ``CLASSES``; for regression the
                         value (a float; a list for several outputs), in the
                         target's units
``LAYERS``, ``ACTIVATION``, ``OUTPUT``, ``FEATURES``, ``CLASSES`` (``TARGET``)
                         what the model is. ``FEATURES`` is None when the
                         model file does not name its inputs; ``CLASSES`` is
                         ``(0, 1, ...)`` when it does not name its classes
=======================  =====================================================

A row is a sequence of ``LAYERS[0]`` numbers in the training columns' order,
raw: the module applies the scaler.  A row of another length raises
``ValueError``; nothing else is checked, to keep a prediction fast.

Two ways to run one network
---------------------------
The numbers sit in the module as packed little-endian floats, ``bytes``
constants: 8 bytes a number as float64 (the default: the model file's
numbers exactly) or 4 as float32.  A float literal costs a microcontroller
about 20 bytes of RAM, a packed number 4 or 8: that is what lets a
[64, 32, 10] network fit a board with 48 KB of heap.  On import the module
picks how to compute with them:

* **MicroPython** runs loops that read each unit's numbers from the bytes
  with ``struct.unpack_from`` when they are needed: nothing is copied, so
  the RAM is the bytes themselves plus one unit's worth of numbers.
* **CPython and PyPy** write the forward pass out as straight-line code,
  ``z0 = a0 * 0.53 + a1 * -1.2 + ...``, and compile it once with ``exec``.
  With no loop, no indexing and the weights as constants in the code, it
  runs faster than any loop over lists (README, "Deploying", has the
  figures).  Where ``math.sumprod`` exists (CPython 3.12+) a layer of more
  than 16 inputs calls it instead, which is faster there.

The code that writes the straight-line function is the docstring of the
module's ``_straight_line`` function, run with ``exec``.  A docstring, not a
string constant, because MicroPython keeps no docstrings (``mpy-cross``
drops them): a board spends no RAM holding code it never runs.  Under
``python -OO``, which drops docstrings too, the loops run instead.

Both ways add each unit's terms in input order and then its bias, as
tinynet's own loops do, so on a double-precision interpreter the numbers
agree with ``NeuralNet.predict_proba`` to the last bit or so.

>>> from tinynet.network import NeuralNet
>>> from tinynet.export_plan import read_plan
>>> net = NeuralNet(layers=[2, 3, 1], seed=1)
>>> net.init_weights()
>>> scope = {}
>>> exec(python_source(read_plan(net.to_dict())), scope)
>>> got = scope["predict_proba"]([0.5, -1.0])
>>> want = net.predict_proba([[0.5, -1.0]]).tolist()[0]
>>> all(abs(g - w) <= 1e-12 * abs(w) for g, w in zip(got, want))  # math.sumprod on 3.12+
True
"""

import struct

from .errors import ConfigError
from .export_plan import ExportPlan, header_lines, identifier, wrap_header
# A hidden activation as code for one value ``{0}`` (shared with the code the
# network writes for itself), used here in the loop over the packed bytes and
# in the straight-line code alike.
from .fastpredict import HIDDEN_CODE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Protocol

    from .export_plan import Label

    class OutputCode(Protocol):
        """How one kind of output layer (``tinynet.outputs``) is written in the module.

        ``helper`` is the function it needs (``SIGMOID``, ``SOFTMAX``) or "";
        ``packed_end`` ends ``_forward_packed``, from the last layer's list
        ``z``; ``straight_end`` is the builder's code adding the straight-line
        function's return line, from the names of the last layer's values
        (the list ``z``); ``public`` defines ``predict`` and ``predict_proba``
        from ``_forward``; ``usage`` is the header's example.
        """

        helper: str

        def packed_end(self, plan: ExportPlan, code: str) -> "List[str]": ...

        def straight_end(self, plan: ExportPlan, code: str) -> str: ...

        def public(self, plan: ExportPlan) -> "List[str]": ...

        def usage(self, plan: ExportPlan, module: str) -> "List[str]": ...

# Packed number formats: the struct code and its size in bytes.
DTYPES = {"float64": ("d", 8), "float32": ("f", 4)}
DTYPE_NAMES = ("float64", "float32")

SIGMOID = '''

def _sigmoid(z):
    # 1 / (1 + e**-z), never raising e to a large positive power (MicroPython
    # raises ValueError where CPython would overflow).
    if z >= 0.0:
        return 1.0 / (1.0 + exp(-z))
    e = exp(z)
    return e / (1.0 + e)
'''

SOFTMAX = '''

def _softmax(z):
    # e**z_j / sum_k e**z_k, the largest z subtracted first: every power is
    # then at most 0, so nothing overflows and the sum is at least 1.
    top = max(z)
    e = [exp(v - top) for v in z]
    total = sum(e, 0.0)
    return [v / total for v in e]
'''

DENSE = '''

def _dense(l, a):
    # Layer l's z from its inputs a: z[j] = (sum over k of a[k] * w[k]) + bias,
    # with unit j's numbers w unpacked from the bytes only when needed.
    n = LAYERS[l - 1]
    z = []
    for j in range(LAYERS[l]):
        w = unpack_from("<%d{code}" % (n + 1), PACKED[l - 1], j * (n + 1) * {size})
        s = 0.0
        for k in range(n):
            s += a[k] * w[k]
        z.append(s + w[n])
    return z
'''

# The code that writes the straight-line forward pass (see the module
# docstring), as it goes into the module's ``_straight_line`` docstring.
# A unit's sum is cut into lines of 100 terms: CPython compiles
# ``a + b + ...`` recursively, and thousands of terms in one expression would
# exceed its recursion limit.  {scale}, {hidden} and {result} are filled in
# for each model, {code} and {size} for the dtype.
STRAIGHT_LINE = '''
try:
    from math import sumprod
except ImportError:
    sumprod = None
n = LAYERS[0]
a = ["a%d" % k for k in range(n)]
code = ["def forward(x):", " if len(x) != %d:" % n,
        "  raise ValueError('a row holds %d numbers, got %%d' %% len(x))" % n,
        " %s, = x" % ", ".join(a)]{scale}
for l in range(1, len(LAYERS)):
    n = LAYERS[l - 1]
    wide = sumprod and n > 16
    if wide:
        code.append(" a = [%s]" % ", ".join(a))
    for j in range(LAYERS[l]):
        w = unpack_from("<%d{code}" % (n + 1), PACKED[l - 1], j * (n + 1) * {size})
        t = ["sumprod(a, %r)" % (w[:n],)] if wide else ["%s * %r" % (a[k], w[k]) for k in range(n)]
        for k in range(0, len(t), 100):
            code.append(" z%d = %s%s" % (j, "z%d + " % j if k else "", " + ".join(t[k:k + 100])))
        code.append(" z%d = z%d + %r" % (j, j, w[n]))
    z = ["z%d" % j for j in range(LAYERS[l])]
    a = ["a%d" % j for j in range(LAYERS[l])]
    if l < len(LAYERS) - 1:
        code += [" %s = %s" % (a[j], "{hidden}".format(z[j])) for j in range(LAYERS[l])]
{result}
exec("\\n".join(code), globals())
'''

SCALE_LINES = '''
s = unpack_from("<%d{code}" % (2 * n), SCALER)
code += [" %s = (%s - %r) / %r" % (a[k], a[k], s[k], s[n + k]) for k in range(n)]'''


def python_source(plan: ExportPlan, name: str = "model", dtype: str = "float64") -> str:
    """The text of a standalone module predicting like the network in ``plan``.

    ``name`` is the module's name in the usage comment (made a valid name);
    ``dtype`` is ``"float64"`` (the default: the weights exactly) or
    ``"float32"`` (half the bytes, predictions within about 1e-6 relative).
    """
    if dtype not in DTYPES:
        raise ConfigError("unknown dtype %r for Python: choose %s"
                          % (dtype, " or ".join(DTYPE_NAMES)))
    code, size = DTYPES[dtype]
    lines = ["# " + line if line else "#"
             for line in wrap_header(_header(plan, identifier(name, "model"), dtype))]
    helpers = _helpers(plan)
    imports = ["exp"] if helpers else []
    if _has_hidden(plan) and "tanh(" in HIDDEN_CODE[plan.activation]:
        imports.append("tanh")
    lines.append("")
    if imports:
        lines.append("from math import " + ", ".join(imports))
    lines += ["from struct import unpack_from", "import sys", ""]
    lines += _constants(plan)
    lines += _packed_numbers(plan, code)
    text = "\n".join(lines) + "\n" + "".join(helpers)
    text += _filled(DENSE, code, size)
    text += _packed_forward(plan, code)
    text += _straight_line(plan, code, size)
    text += _public_functions(plan)
    return text


def _filled(template: str, code: str, size: int) -> str:
    return template.replace("{code}", code).replace("{size}", str(size))


def _header(plan: ExportPlan, module: str, dtype: str) -> "List[str]":
    count = plan.n_weights() + plan.n_biases()
    lines = header_lines(plan, python_string, python_label, "tinynet export --to python")
    lines.append("Weights:    %s, %d numbers (%d bytes), packed in bytes constants"
                 % (dtype, count, count * DTYPES[dtype][1]))
    lines += [
        "",
        "Runs on CPython 3.8+, PyPy and MicroPython; imports math, struct, sys.",
        "",
        "    import %s" % module,
    ]
    lines += OUTPUT_CODE[plan.output].usage(plan, module) + [""]
    if plan.mean is not None:
        lines += ["A row is a list (or tuple) of %d numbers in FEATURES order, raw (as in"
                  % plan.n_inputs, "the training data: the module scales them)."]
    else:
        lines.append("A row is a list (or tuple) of %d numbers in FEATURES order."
                     % plan.n_inputs)
    lines += [
        "A row of another length raises ValueError; nothing else is checked.",
    ]
    return lines


def _has_hidden(plan: ExportPlan) -> bool:
    return len(plan.layers) > 2


def _helpers(plan: ExportPlan) -> "List[str]":
    """The helper functions the module needs (``_sigmoid``, ``_softmax``), as code."""
    helpers = []
    if _has_hidden(plan) and "_sigmoid(" in HIDDEN_CODE[plan.activation]:
        helpers.append(SIGMOID)
    output_helper = OUTPUT_CODE[plan.output].helper
    if output_helper and output_helper not in helpers:
        helpers.append(output_helper)
    return helpers


def _constants(plan: ExportPlan) -> "List[str]":
    lines = [
        "LAYERS = %s" % _tuple([str(n) for n in plan.layers]),
        "ACTIVATION = %s" % python_string(plan.activation),
        "OUTPUT = %s" % python_string(plan.output),
        "FEATURES = %s" % ("None" if plan.features is None
                           else _tuple([python_string(f) for f in plan.features])),
    ]
    if not plan.is_classifier:
        lines.append("TARGET = %s" % ("None" if plan.target is None
                                      else python_string(plan.target)))
    else:
        labels = plan.classes if plan.classes is not None else list(range(plan.n_classes))
        lines.append("CLASSES = %s  # predict returns one of these" % _tuple(
            [python_label(label) for label in labels]))
    return lines


def _packed_numbers(plan: ExportPlan, code: str) -> "List[str]":
    """The scalers and the layers as ``bytes`` constants."""
    kind = "float64" if code == "d" else "float32"
    last = len(plan.layers) - 1
    lines = [""]
    if plan.mean is not None and plan.scale is not None:
        lines += [
            "# The scaler: input k goes in as (x[k] - mean[k]) / scale[k]. SCALER holds",
            "# the %d means, then the %d scales, as little-endian %s (struct \"<%s\")."
            % (plan.n_inputs, plan.n_inputs, kind, code),
            "SCALER = " + _packed(plan.mean + plan.scale, code),
            "",
        ]
    if plan.target_mean is not None and plan.target_scale is not None:
        lines += [
            "# The target scaler, undone: output j comes out as z[j] * scale[j] + mean[j].",
            "# TARGET_SCALER holds the %d means, then the %d scales, packed the same way."
            % (plan.n_outputs, plan.n_outputs),
            "TARGET_SCALER = " + _packed(plan.target_mean + plan.target_scale, code),
            "",
        ]
    lines += [
        "# The layers as little-endian %s (struct \"<%s\"), one line per unit: its"
        % (kind, code),
        "# weight from each input in turn, then its bias. PACKED[l - 1] holds layer l:",
        "# LAYERS[l] units of LAYERS[l - 1] inputs.",
    ]
    for l, (units, biases) in enumerate(zip(plan.units, plan.biases), 1):
        lines.append("LAYER%d = (" % l)
        for weights, bias in zip(units, biases):
            lines.append("    " + _packed(weights + [bias], code))
        lines.append(")")
    lines.append("PACKED = %s" % _tuple(["LAYER%d" % l for l in range(1, last + 1)]))
    return lines


def _packed(numbers: "List[float]", code: str) -> str:
    """``numbers`` as a ``bytes`` literal of little-endian floats (struct code ``code``)."""
    try:
        return bytes_literal(struct.pack("<%d%s" % (len(numbers), code), *numbers))
    except OverflowError:
        raise ConfigError("the model holds %r, too large for a 32-bit float (the largest is "
                          "about 3.4e38): export it as float64" % max(numbers, key=abs))


def _packed_forward(plan: ExportPlan, code: str) -> str:
    """The forward pass over the packed bytes, as MicroPython runs it."""
    n_in, last = plan.n_inputs, len(plan.layers) - 1
    lines = [
        "",
        "",
        "def _forward_packed(x):",
        "    # MicroPython: the forward pass as loops over the packed bytes.",
        "    if len(x) != %d:" % n_in,
        "        raise ValueError(\"a row holds %d numbers, got %%d\" %% len(x))" % n_in,
    ]
    if plan.mean is not None:
        lines += [
            "    s = unpack_from(\"<%d%s\", SCALER)" % (2 * n_in, code),
            "    a = [(x[k] - s[k]) / s[%d + k] for k in range(%d)]" % (n_in, n_in),
        ]
    else:
        lines.append("    a = x")
    for l in range(1, last):
        lines.append("    a = [%s for v in _dense(%d, a)]" % (
            HIDDEN_CODE[plan.activation].format("v"), l))
    lines.append("    z = _dense(%d, a)" % last)
    lines += OUTPUT_CODE[plan.output].packed_end(plan, code)
    return "\n".join(lines) + "\n"


def _straight_line(plan: ExportPlan, code: str, size: int) -> str:
    """The straight-line builder for this model, as the docstring of ``_straight_line``."""
    hidden = HIDDEN_CODE[plan.activation] if _has_hidden(plan) else "{0}"
    text = (STRAIGHT_LINE.replace("{scale}", SCALE_LINES if plan.mean is not None else "")
            .replace("{hidden}", hidden).replace("{result}", OUTPUT_CODE[plan.output].straight_end(plan, code)))
    return "\n".join([
        "",
        "",
        "# CPython and PyPy: the forward pass written out as straight-line code, one",
        "# term per weight, compiled on import: several times faster than the loops.",
        "# The code that writes it is this function's docstring, run with exec:",
        "# MicroPython keeps no docstrings, so a board spends no RAM on it (and",
        "# under python -OO, which drops them too, the loops run instead).",
        "def _straight_line():",
        "    r\"\"\"" + _filled(text, code, size) + "\"\"\"",
        "",
    ])


def _public_functions(plan: ExportPlan) -> str:
    lines = [
        "",
        "if sys.implementation.name == \"micropython\" or not _straight_line.__doc__:",
        "    _forward = _forward_packed",
        "else:",
        "    _scope = dict(globals())",
        "    exec(_straight_line.__doc__, _scope)",
        "    _forward = _scope[\"forward\"]",
        "",
    ]
    lines += OUTPUT_CODE[plan.output].public(plan)
    lines.append("")
    return "\n".join(lines)


class _ClassifierCode:
    """A classifier: the forward pass gives the probabilities, predict picks a class."""

    helper = ""
    meaning = ""  # what predict_proba's list holds
    predict_body: "List[str]" = []

    def public(self, plan: ExportPlan) -> "List[str]":
        return ["predict_proba = _forward  # row -> the output layer: a list of probabilities",
                "", "", "def predict(row):"] + self.predict_body

    def usage(self, plan: ExportPlan, module: str) -> "List[str]":
        return ["    %s.predict(row)        # the class: one of CLASSES" % module,
                "    %s.predict_proba(row)  # %s" % (module, self.meaning)]


class _SigmoidCode(_ClassifierCode):
    helper = SIGMOID
    meaning = "[p], p the probability of class 1"
    predict_body = [
        "    # Class 1 where its probability is at least 0.5.",
        "    return CLASSES[1] if predict_proba(row)[0] >= 0.5 else CLASSES[0]",
    ]

    def packed_end(self, plan: ExportPlan, code: str) -> "List[str]":
        return ["    return [_sigmoid(z[0])]"]

    def straight_end(self, plan: ExportPlan, code: str) -> str:
        return "code.append(\" return [_sigmoid(z0)]\")"


class _SoftmaxCode(_ClassifierCode):
    helper = SOFTMAX
    meaning = "one probability per class, in CLASSES order"
    predict_body = [
        "    # The most probable class (the first of equals).",
        "    p = predict_proba(row)",
        "    best = 0",
        "    for k in range(1, len(p)):",
        "        if p[k] > p[best]:",
        "            best = k",
        "    return CLASSES[best]",
    ]

    def packed_end(self, plan: ExportPlan, code: str) -> "List[str]":
        return ["    return _softmax(z)"]

    def straight_end(self, plan: ExportPlan, code: str) -> str:
        return "code.append(\" return _softmax([%s])\" % \", \".join(z))"


class _LinearCode:
    """Regression: predict is the forward pass, in the target's units."""

    helper = ""

    def packed_end(self, plan: ExportPlan, code: str) -> "List[str]":
        k = plan.n_outputs
        if plan.target_mean is None:
            return ["    return z[0]" if k == 1 else "    return z"]
        return ["    t = unpack_from(\"<%d%s\", TARGET_SCALER)" % (2 * k, code),
                "    return z[0] * t[1] + t[0]" if k == 1 else
                "    return [z[j] * t[%d + j] + t[j] for j in range(%d)]" % (k, k)]

    def straight_end(self, plan: ExportPlan, code: str) -> str:
        k = plan.n_outputs
        lines = []
        if plan.target_mean is not None:
            lines += ["t = unpack_from(\"<%d%s\", TARGET_SCALER)" % (2 * k, code),
                      "z = [\"%%s * %%r + %%r\" %% (z[j], t[%d + j], t[j]) for j in range(%d)]"
                      % (k, k)]
        lines.append("code.append(\" return \" + z[0])" if k == 1 else
                     "code.append(\" return [%s]\" % \", \".join(z))")
        return "\n".join(lines)

    def public(self, plan: ExportPlan) -> "List[str]":
        return ["predict = _forward  # row -> the predicted value%s" % (
                    "" if plan.n_outputs == 1 else "s (a list)"),
                "", "", "def predict_proba(row):",
                "    raise ValueError(\"a linear (regression) model has no probabilities: "
                "use predict\")"]

    def usage(self, plan: ExportPlan, module: str) -> "List[str]":
        return ["    %s.predict(row)  # the predicted value%s" % (
            module, " (a float)" if plan.n_outputs == 1 else "s (a list)")]


# Each output kind's row (tinynet.outputs.OUTPUT_NAMES names them all).
OUTPUT_CODE: "Dict[str, OutputCode]" = {
    "sigmoid": _SigmoidCode(),
    "softmax": _SoftmaxCode(),
    "linear": _LinearCode(),
}


def _tuple(items: "List[str]") -> str:
    """Python code for a tuple of the given item codes (a one-item tuple keeps its comma)."""
    if len(items) == 1:
        return "(%s,)" % items[0]
    return "(%s)" % ", ".join(items)


def python_string(text: str) -> str:
    """``text`` as a Python string literal of printable ASCII only.

    Quotes and backslashes are escaped, every other character outside
    printable ASCII becomes ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``: the
    literal holds no newline, so it is safe in a ``#`` comment too, and it
    reads the same on every interpreter and in every editor.

    >>> print(python_string('a "b"\\n\\u00e9'))
    "a \\"b\\"\\x0a\\xe9"
    """
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in "\"\\":
            out.append("\\" + ch)
        elif 32 <= code < 127:
            out.append(ch)
        elif code < 0x100:
            out.append("\\x%02x" % code)
        elif code < 0x10000:
            out.append("\\u%04x" % code)
        else:
            out.append("\\U%08x" % code)
    out.append('"')
    return "".join(out)


def python_label(label: "Label") -> str:
    """A class label as Python code: a string literal, or the number's ``repr``."""
    if isinstance(label, str):
        return python_string(label)
    return repr(label)


def bytes_literal(data: bytes) -> str:
    """``data`` as a ``b"..."`` literal: printable ASCII as itself, other bytes as ``\\xNN``."""
    out = ['b"']
    for byte in data:
        if byte in (0x22, 0x5C):  # " and \
            out.append("\\" + chr(byte))
        elif 32 <= byte < 127:
            out.append(chr(byte))
        else:
            out.append("\\x%02x" % byte)
    out.append('"')
    return "".join(out)

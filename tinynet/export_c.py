"""A trained model written out as one C99 header.

``c_source(plan, name, dtype)`` returns a header that predicts without
tinynet, for a microcontroller or any C program: ``static inline``
functions, the weights as ``static const`` arrays (flash, on a
microcontroller), no ``malloc``, nothing beyond ``<math.h>``.

What the header offers (``NAME`` is the ``name`` prefix, ``NAME_`` upper case
for macros):

===========================================  ======================================
``NAME_predict_proba(const float *x,         the output layer for one row ``x`` of
float *out)``                                ``NAME_N_INPUTS`` raw inputs: ``out[0]``
                                             is P(class 1) for a sigmoid output,
                                             ``out[j]`` P(class j) for softmax
``int NAME_predict(const float *x)``         the class, ``0 .. NAME_N_CLASSES - 1``
``NAME_class_name(int c)``                   class ``c``'s label as text
``NAME_predict_values(const float *x,        regression (a linear output) instead:
float *out)``                                ``NAME_N_OUTPUTS`` values, in the
                                             target's units
``NAME_N_INPUTS``, ``NAME_IN_<FEATURE>``     the input count, and each named
                                             input's position in ``x``
===========================================  ======================================

The numbers
-----------
Every step is tinynet's, in single precision: ``(x - mean) / scale``, then
per layer ``z_j = (sum_k a_k w_jk) + b_j`` (the sum first, in input order,
then the bias), the hidden activation, and the output with the same stable
formulas (a sigmoid that never takes ``expf`` of a large positive number, a
softmax that subtracts the largest value first).  Probabilities agree with
``NeuralNet.predict_proba`` to about 1e-6 relative.

With ``dtype="int8"`` each layer's weights are stored as int8 with one scale
per layer, and each layer's input is quantised to int8 when the layer runs,
so the dot products are integer sums (the header's comment says exactly
how); biases and activations stay float.

>>> from tinynet.network import NeuralNet
>>> from tinynet.export_plan import read_plan
>>> net = NeuralNet(layers=[2, 3, 1], seed=1)
>>> net.init_weights()
>>> text = c_source(read_plan(net.to_dict()), "tiny")
>>> "static inline int tiny_predict(const float *x)" in text
True
"""

import struct

from .errors import ConfigError
from .export_plan import (ExportPlan, header_lines, identifier, unique_identifiers,
                          wrap_header)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Protocol, Tuple

    from .export_plan import Label

    class OutputCode(Protocol):
        """How one kind of output layer (``tinynet.outputs``) is written in C:
        whether it needs the sigmoid helper, the header's usage lines, and the
        public functions (from ``NAME_forward_``)."""

        needs_sigmoid: bool

        def usage(self, p: str, P: str) -> "List[str]": ...

        def functions(self, plan: ExportPlan, p: str) -> str: ...

DTYPE_NAMES = ("float32", "int8")

# A hidden activation in C, for one float ``{0}``.
HIDDEN_CODE = {
    "relu": "{0} > 0.0f ? {0} : 0.0f",
    "leaky_relu": "{0} > 0.0f ? {0} : 0.01f * {0}",
    "tanh": "tanhf({0})",
    "sigmoid": "{p}_sigmoid_({0})",
    "identity": "{0}",
}

# How many numbers go on one line of an array: floats, then int8 weights.
FLOATS_PER_LINE = 6
INTS_PER_LINE = 16


def c_source(plan: ExportPlan, name: str = "model", dtype: str = "float32") -> str:
    """The text of a C99 header predicting like the network in ``plan``.

    ``name`` prefixes every identifier (made a valid C name: ``"my-model"``
    gives ``my_model_predict``); ``dtype`` is ``"float32"`` or ``"int8"``.
    """
    if dtype not in DTYPE_NAMES:
        raise ConfigError("unknown dtype %r for C: choose %s" % (dtype, " or ".join(DTYPE_NAMES)))
    p = identifier(name, "model")
    writer = _Writer(plan, p, dtype)
    return writer.text()


class _Writer:
    """The header for one plan, written part by part."""

    def __init__(self, plan: ExportPlan, prefix: str, dtype: str) -> None:
        self.plan = plan
        self.p = prefix
        self.P = prefix.upper()
        self.dtype = dtype
        self.steps = self.schedule()
        # The activation buffers, as wide as the widest layer they hold.
        self.widths: "Dict[str, int]" = {}
        for _, _, target, size in self.steps:
            if target in ("a", "b"):
                self.widths[target] = max(size, self.widths.get(target, 0))
        # int8: the quantised input of the widest layer.
        self.q_width = max(plan.layers[:-1]) if dtype == "int8" else 0

    def schedule(self) -> "List[Tuple[int, str, str, int]]":
        """The forward pass as steps ``(layer, source, target, width)``.

        Layer 0 is the scaler.  Sources and targets are ``x`` (the caller's
        inputs), the buffers ``a`` and ``b`` (used in turn, so at most two
        exist) and ``out`` (the caller's outputs, which the last layer fills).
        """
        layers, last = self.plan.layers, len(self.plan.layers) - 1
        steps = []
        current = "x"
        if self.plan.mean is not None:
            steps.append((0, "x", "a", layers[0]))
            current = "a"
        for l in range(1, last + 1):
            target = "out" if l == last else ("b" if current == "a" else "a")
            steps.append((l, current, target, layers[l]))
            current = target
        return steps

    def text(self) -> str:
        parts = [
            self.comment(),
            "#ifndef %s_TINYNET_H" % self.P,
            "#define %s_TINYNET_H" % self.P,
            "",
            "#include <math.h>",
            "",
            self.macros(),
            self.arrays(),
            self.functions(),
            "#endif /* %s_TINYNET_H */" % self.P,
            "",
        ]
        return "\n".join(parts)

    # --- the comment at the top ------------------------------------------------------

    def comment(self) -> str:
        plan = self.plan
        lines = header_lines(plan, c_string, c_label, "tinynet export --to c")
        n_w, n_b = plan.n_weights(), plan.n_biases()
        if self.dtype == "int8":
            weights = ("int8, %d weights in %d bytes, one float scale per layer; %d float "
                       "biases (%d bytes)" % (n_w, n_w, n_b, 4 * n_b))
        else:
            weights = "float32, %d weights and %d biases (%d bytes)" % (n_w, n_b, 4 * (n_w + n_b))
        lines.append("Weights:    %s, static const" % weights)
        lines.append("RAM:        %s" % self.ram())
        lines += [""] + self.usage()
        if self.dtype == "int8":
            lines += [""] + INT8_NOTE
        body = "\n".join((" * " + line).rstrip() for line in wrap_header(lines))
        return "/*\n%s\n */\n" % body

    def ram(self) -> str:
        floats = sum(self.widths.values())
        if not floats and not self.q_width:
            return "a few locals: no buffers, no heap, no static state"
        parts = []
        if floats:
            parts.append("%d float%s of activation buffers (%d bytes)" % (
                floats, "" if floats == 1 else "s", 4 * floats))
        if self.q_width:
            parts.append("%d int8 of quantised inputs (%d bytes)" % (self.q_width, self.q_width))
        return "%s on the stack, %d bytes in all; no heap, no static state" % (
            " and ".join(parts), 4 * floats + self.q_width)

    def usage(self) -> "List[str]":
        plan, p, P = self.plan, self.p, self.P
        lines = ["Use: x holds %s_N_INPUTS floats, raw (as in the training data), in" % P]
        if plan.features is not None:
            first = unique_identifiers(plan.features, "input")[0].upper()
            lines.append("input order: x[%s_IN_%s] is input %s, and so on." % (
                P, first, c_string(plan.features[0])))
        else:
            lines.append("input order.")
        return lines + OUTPUT_CODE[plan.output].usage(p, P)

    # --- macros and arrays -------------------------------------------------------------

    def macros(self) -> str:
        plan, P = self.plan, self.P
        lines = [
            "#define %s_N_INPUTS %d" % (P, plan.n_inputs),
            "#define %s_N_OUTPUTS %d" % (P, plan.n_outputs),
        ]
        if plan.is_classifier:
            lines.append("#define %s_N_CLASSES %d" % (P, plan.n_classes))
        if plan.features is not None:
            lines += ["", "/* Each input's place in x, by name. */"]
            names = unique_identifiers(plan.features, "input")
            for i, (feature, macro) in enumerate(zip(plan.features, names)):
                lines.append("#define %s_IN_%s %d /* %s */" % (P, macro.upper(), i,
                                                              c_string(feature)))
        return "\n".join(lines) + "\n"

    def arrays(self) -> str:
        plan, p = self.plan, self.p
        out: "List[str]" = []
        if plan.mean is not None and plan.scale is not None:
            out += ["/* The scaler: input k goes in as (x[k] - mean[k]) / scale[k]. */",
                    _float_array("%s_mean" % p, plan.mean),
                    _float_array("%s_scale" % p, plan.scale), ""]
        if plan.target_mean is not None and plan.target_scale is not None:
            out += ["/* The target scaler, undone: value j is z[j] * scale[j] + mean[j]. */",
                    _float_array("%s_target_mean" % p, plan.target_mean),
                    _float_array("%s_target_scale" % p, plan.target_scale), ""]
        for l, (units, biases) in enumerate(zip(plan.units, plan.biases), 1):
            n_in, n_out = plan.layers[l - 1], plan.layers[l]
            out.append("/* Layer %d: %d unit%s of %d input%s. %s_w%d[%d * j + k] is the weight "
                       "from input k" % (l, n_out, "" if n_out == 1 else "s", n_in,
                                         "" if n_in == 1 else "s", p, l, n_in))
            out.append("   into unit j (W%d[k][j] in the model file)%s. */" % (
                l, "; w = q * %s_w%d_scale" % (p, l) if self.dtype == "int8" else ""))
            flat = [w for unit in units for w in unit]
            if self.dtype == "int8":
                q, scale = quantised(flat)
                out.append(_int8_array("%s_w%d" % (p, l), q, n_in))
                out.append("static const float %s_w%d_scale = %s;" % (p, l, c_float(scale)))
            else:
                out.append(_float_array("%s_w%d" % (p, l), flat, n_in))
            out += [_float_array("%s_b%d" % (p, l), biases), ""]
        if plan.is_classifier:
            labels = plan.classes if plan.classes is not None else list(range(plan.n_classes))
            out += ["/* The class labels, as text. */",
                    "static const char *const %s_classes[%d] = {%s};" % (
                        p, len(labels), ", ".join(c_string(_label_text(c)) for c in labels)), ""]
        return "\n".join(out)

    # --- functions ---------------------------------------------------------------------

    def functions(self) -> str:
        plan, p = self.plan, self.p
        parts = []
        hidden_sigmoid = len(plan.layers) > 2 and "_sigmoid_" in self.hidden("v")
        if hidden_sigmoid or OUTPUT_CODE[plan.output].needs_sigmoid:
            parts.append(SIGMOID.replace("{p}", p))
        parts.append((DENSE_INT8 if self.dtype == "int8" else DENSE).replace("{p}", p))
        parts.append(self.forward())
        parts.append(self.outputs())
        return "\n".join(parts)

    def hidden(self, value: str) -> str:
        return HIDDEN_CODE[self.plan.activation].replace("{p}", self.p).format(value)

    def forward(self) -> str:
        """``NAME_forward_``: the layers, from the raw inputs to the last layer's z."""
        plan, p = self.plan, self.p
        last = len(plan.layers) - 1
        lines = [
            "/* The last layer's z for the raw inputs x, written to out. */",
            "static inline void %s_forward_(const float *x, float *out)" % p,
            "{",
        ]
        buffers = ["%s[%d]" % (name, self.widths[name]) for name in sorted(self.widths)]
        if buffers:
            lines.append("    float %s;" % ", ".join(buffers))
        if self.q_width:
            lines.append("    signed char q[%d];" % self.q_width)
        if plan.mean is not None or last > 1:
            lines.append("    int i;")
        for l, source, target, size in self.steps:
            if l == 0:
                lines += [
                    "    for (i = 0; i < %d; i++) {" % size,
                    "        a[i] = (x[i] - %s_mean[i]) / %s_scale[i];" % (p, p),
                    "    }",
                ]
                continue
            lines.append("    " + self.dense_call(l, source, target))
            if l < last:
                lines += [
                    "    for (i = 0; i < %d; i++) {" % size,
                    "        %s[i] = %s;" % (target, self.hidden("%s[i]" % target)),
                    "    }",
                ]
        lines.append("}")
        return "\n".join(lines) + "\n"

    def dense_call(self, l: int, source: str, target: str) -> str:
        n_in, n_out = self.plan.layers[l - 1], self.plan.layers[l]
        if self.dtype == "int8":
            return "%s_dense_q_(%s_w%d, %s_w%d_scale, %s_b%d, %d, %d, %s, %s, q);" % (
                self.p, self.p, l, self.p, l, self.p, l, n_in, n_out, source, target)
        return "%s_dense_(%s_w%d, %s_b%d, %d, %d, %s, %s);" % (
            self.p, self.p, l, self.p, l, n_in, n_out, source, target)

    def outputs(self) -> str:
        """The public functions: the output kind's (``OUTPUT_CODE``)."""
        return OUTPUT_CODE[self.plan.output].functions(self.plan, self.p)


SIGMOID = """/* 1 / (1 + e^-z), never taking expf of a large positive number. */
static inline float {p}_sigmoid_(float z)
{
    if (z >= 0.0f) {
        return 1.0f / (1.0f + expf(-z));
    } else {
        float e = expf(z);
        return e / (1.0f + e);
    }
}
"""

DENSE = """/* One layer: out[j] = (sum over k of w[n_in * j + k] * in[k]) + b[j]. */
static inline void {p}_dense_(const float *w, const float *b, int n_in,
    int n_out, const float *in, float *out)
{
    int j, k;
    for (j = 0; j < n_out; j++) {
        float s = 0.0f;
        for (k = 0; k < n_in; k++) {
            s += w[n_in * j + k] * in[k];
        }
        out[j] = s + b[j];
    }
}
"""

DENSE_INT8 = """/* One layer with int8 weights w (each standing for w * w_scale): the inputs
   are quantised to q (see the note at the top), the dot products are summed
   as integers, and out[j] = sum * (w_scale * in_scale) + b[j]. */
static inline void {p}_dense_q_(const signed char *w, float w_scale,
    const float *b, int n_in, int n_out, const float *in, float *out, signed char *q)
{
    float top = 0.0f, to_q, in_scale;
    int j, k;
    for (k = 0; k < n_in; k++) {
        float v = fabsf(in[k]);
        if (v > top) {
            top = v;
        }
    }
    if (top == 0.0f) {
        for (j = 0; j < n_out; j++) {
            out[j] = b[j];
        }
        return;
    }
    to_q = 127.0f / top;
    in_scale = top / 127.0f;
    for (k = 0; k < n_in; k++) {
        float v = in[k] * to_q;
        q[k] = (signed char)(v >= 0.0f ? (int)(v + 0.5f) : -(int)(0.5f - v));
    }
    for (j = 0; j < n_out; j++) {
        long sum = 0;
        for (k = 0; k < n_in; k++) {
            sum += (long)w[n_in * j + k] * q[k];
        }
        out[j] = (float)sum * (w_scale * in_scale) + b[j];
    }
}
"""

INT8_NOTE = [
    "int8: layer l's weights are stored as q = round(w / s) with s = (largest",
    "|w| in the layer) / 127, so each is within s / 2 of the trained weight.",
    "When a layer runs, its input a (the scaled inputs for layer 1, the previous",
    "layer's activations after that) is quantised the same way: t = (largest",
    "|a|) / 127 and q_a = round(a / t), in -127..127. Then z_j = (sum over k of",
    "q_jk q_a,k) * s * t + b_j, the sum taken exactly in a long (32 bits or",
    "more). Biases, activations and outputs stay float.",
]


class _SigmoidCode:
    """One unit: its sigmoid is the probability of class 1."""

    needs_sigmoid = True

    def usage(self, p: str, P: str) -> "List[str]":
        return _classifier_usage(p, P, "p[0]: the probability of class 1")

    def functions(self, plan: ExportPlan, p: str) -> str:
        proba = [
            "/* out[0] = the probability of class 1 for the raw inputs x. */",
            "static inline void %s_predict_proba(const float *x, float *out)" % p,
            "{",
            "    %s_forward_(x, out);" % p,
            "    out[0] = %s_sigmoid_(out[0]);" % p,
            "}",
            "",
            "/* The class for the raw inputs x: 1 where its probability is at least 0.5. */",
            "static inline int %s_predict(const float *x)" % p,
            "{",
            "    float proba[1];",
            "    %s_predict_proba(x, proba);" % p,
            "    return proba[0] >= 0.5f ? 1 : 0;",
            "}",
        ]
        return "\n".join(proba + [""] + _class_name(p)) + "\n"


class _SoftmaxCode:
    """k units: their softmax holds one probability per class."""

    needs_sigmoid = False

    def usage(self, p: str, P: str) -> "List[str]":
        return _classifier_usage(p, P, "p[j]: the probability of class j")

    def functions(self, plan: ExportPlan, p: str) -> str:
        k = plan.n_outputs
        lines = [
            "/* out[j] = the probability of class j for the raw inputs x (softmax: the",
            "   largest z is subtracted first, so expf never overflows). */",
            "static inline void %s_predict_proba(const float *x, float *out)" % p,
            "{",
            "    float top, total = 0.0f;",
            "    int j;",
            "    %s_forward_(x, out);" % p,
            "    top = out[0];",
            "    for (j = 1; j < %d; j++) {" % k,
            "        if (out[j] > top) {",
            "            top = out[j];",
            "        }",
            "    }",
            "    for (j = 0; j < %d; j++) {" % k,
            "        out[j] = expf(out[j] - top);",
            "        total += out[j];",
            "    }",
            "    for (j = 0; j < %d; j++) {" % k,
            "        out[j] /= total;",
            "    }",
            "}",
            "",
            "/* The class for the raw inputs x: the most probable (the first of equals). */",
            "static inline int %s_predict(const float *x)" % p,
            "{",
            "    float proba[%d];" % k,
            "    int j, best = 0;",
            "    %s_predict_proba(x, proba);" % p,
            "    for (j = 1; j < %d; j++) {" % k,
            "        if (proba[j] > proba[best]) {",
            "            best = j;",
            "        }",
            "    }",
            "    return best;",
            "}",
        ]
        return "\n".join(lines + [""] + _class_name(p)) + "\n"


class _LinearCode:
    """Regression: the values themselves, in the target's units."""

    needs_sigmoid = False

    def usage(self, p: str, P: str) -> "List[str]":
        return ["    float y[%s_N_OUTPUTS];" % P,
                "    %s_predict_values(x, y);  (the predicted values)" % p]

    def functions(self, plan: ExportPlan, p: str) -> str:
        lines = [
            "/* The predicted values for the raw inputs x: out[j] is output j%s. */" % (
                ", in the target's units" if plan.target_mean is not None else ""),
            "static inline void %s_predict_values(const float *x, float *out)" % p,
            "{",
        ]
        if plan.target_mean is not None:
            lines += [
                "    int j;",
                "    %s_forward_(x, out);" % p,
                "    for (j = 0; j < %d; j++) {" % plan.n_outputs,
                "        out[j] = out[j] * %s_target_scale[j] + %s_target_mean[j];" % (p, p),
                "    }",
            ]
        else:
            lines.append("    %s_forward_(x, out);" % p)
        lines.append("}")
        return "\n".join(lines) + "\n"


def _classifier_usage(p: str, P: str, meaning: str) -> "List[str]":
    return ["    float p[%s_N_OUTPUTS];" % P,
            "    %s_predict_proba(x, p);  (%s)" % (p, meaning),
            "    int c = %s_predict(x);  (the class: 0 .. %s_N_CLASSES - 1)" % (p, P),
            "    const char *label = %s_class_name(c);" % p]


def _class_name(p: str) -> "List[str]":
    return ["/* Class c's label as text (c from %s_predict). */" % p,
            "static inline const char *%s_class_name(int c)" % p,
            "{",
            "    return %s_classes[c];" % p,
            "}"]


# How each output kind (tinynet.outputs.OUTPUT_NAMES) is written in C.
OUTPUT_CODE: "Dict[str, OutputCode]" = {
    "sigmoid": _SigmoidCode(),
    "softmax": _SoftmaxCode(),
    "linear": _LinearCode(),
}


def quantised(weights: "List[float]") -> "Tuple[List[int], float]":
    """``weights`` as int8 values and one scale: ``w ~ q * scale``, ``|q| <= 127``.

    The scale is ``max |w| / 127``, so the largest weight maps to +-127 and
    every weight is rounded to the nearest step (halves away from zero).
    All-zero weights get scale 1.0 (and every q is 0).
    """
    top = max(abs(w) for w in weights)
    if top == 0.0:
        return [0] * len(weights), 1.0
    scale = top / 127.0
    q = []
    for w in weights:
        v = w / scale
        n = int(abs(v) + 0.5)
        q.append(min(127, n) if v >= 0.0 else -min(127, n))
    return q, scale


def _float_array(name: str, values: "List[float]", per_line: "Optional[int]" = None) -> str:
    """A ``static const float`` array; ``per_line`` numbers a line (a unit's worth)."""
    items = [c_float(v) for v in values]
    return "static const float %s[%d] = {\n%s\n};" % (
        name, len(items), _rows(items, per_line or len(items), FLOATS_PER_LINE))


def _int8_array(name: str, values: "List[int]", per_line: int) -> str:
    items = [str(v) for v in values]
    return "static const signed char %s[%d] = {\n%s\n};" % (
        name, len(items), _rows(items, per_line, INTS_PER_LINE))


def _rows(items: "List[str]", group: int, per_line: int) -> str:
    """Items as indented lines, at most ``per_line`` a line; each group (a unit's
    weights) starts a new line."""
    lines = []
    for start in range(0, len(items), group):
        chunk = items[start:start + group]
        for cut in range(0, len(chunk), per_line):
            lines.append("    " + ", ".join(chunk[cut:cut + per_line]) + ",")
    lines[-1] = lines[-1][:-1]
    return "\n".join(lines)


def c_float(value: float) -> str:
    """``value`` rounded to single precision, as a C ``float`` literal that reads back exactly.

    >>> c_float(0.1), c_float(1.0), c_float(-2.5e-08), c_float(3e38)
    ('0.100000001f', '1.0f', '-2.50000003e-08f', '3.00000001e+38f')
    """
    single = struct.unpack("<f", single_bytes(value))[0]
    text = "%.9g" % single
    if "." not in text and "e" not in text:
        text += ".0"
    return text + "f"


def single_bytes(value: float) -> bytes:
    """``value`` packed as a little-endian float32, or ConfigError if it is too large for one."""
    try:
        return struct.pack("<f", value)
    except OverflowError:
        raise ConfigError("the model holds %r, too large for a 32-bit float (the largest is "
                          "about 3.4e38)" % value)


def c_string(text: str) -> str:
    """``text`` as a C string literal that is also safe inside a ``/* */`` comment.

    The UTF-8 bytes outside printable ASCII, and ``"``, ``\\``, ``?`` (no
    trigraphs), ``*`` and ``/`` (no ``*/`` or ``/*``), are written as
    three-digit octal escapes, which never run into the next character.

    >>> print(c_string('a */ "b"\\n'))
    "a \\052\\057 \\042b\\042\\012"
    """
    out = ['"']
    for byte in text.encode("utf-8"):
        if 32 <= byte < 127 and chr(byte) not in "\"\\?*/":
            out.append(chr(byte))
        else:
            out.append("\\%03o" % byte)
    out.append('"')
    return "".join(out)


def c_label(label: "Label") -> str:
    return c_string(_label_text(label))


def _label_text(label: "Label") -> str:
    """A class label as text: a string as itself, a number as Python writes it."""
    return label if isinstance(label, str) else repr(label)

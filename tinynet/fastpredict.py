"""Predicting one row fast: each network's forward pass written out as Python, once.

``net.predict([row])`` on the textbook path turns the row into a Matrix,
scans it, transposes every ``W`` and wraps each layer's result in a new
Matrix.  For a [2, 5, 1] network that machinery costs ten times the
arithmetic.  So the first time a network predicts, ``predictor`` writes a
function that does the same arithmetic for one row on plain floats and
compiles it with ``exec``; ``NeuralNet.predict`` and ``predict_proba`` try
it before the textbook path.  ``source(net)`` shows the code.  For
``layers=[2, 5, 1]`` on CPython it reads, after the checks of ``X``::

    params = net.params
    W = params["W1"]
    b = params["b1"]
    ...
    (w1_0_0, w1_0_1, w1_0_2, w1_0_3, w1_0_4), (w1_1_0, w1_1_1, ...) = W.rows
    b1_0, b1_1, b1_2, b1_3, b1_4 = b.data
    z = a0_0 * w1_0_0 + a0_1 * w1_1_0 + b1_0
    a1_0 = z if z > 0.0 else 0.0
    ...
    z0 = 0.0 + a1_0 * w2_0_0 + a1_1 * w2_1_0 + ... + a1_4 * w2_4_0 + b2_0

Why it is faster
----------------
No Matrix is made and nothing is transposed; with the loops gone, each
number is a local variable, and what remains is the arithmetic, reading the
weights, and the checks.  A layer is written in one of four ways, chosen per
interpreter and size of layer by ``tinynet.kernels.ROW_LAYERS``:

===========  ==============================================  ==================
way          what the code does                              used for
===========  ==============================================  ==================
``names``    one line per unit, one term per weight; the     small layers on
             weights are first unpacked into local names     CPython
``indexed``  the same, each term reading its weight from     small layers on
             its row (``w1_0[3]``): fewer names, which PyPy  PyPy
             prefers (its compiled code copies every local
             of a function it enters)
``columns``  ``z = [dot(a, column) + b_j ...]`` with the     wider layers on
             kernel's ``dot``, over a transposed copy of     CPython; very wide
             ``W`` kept between calls (``Columns``)          ones on PyPy
``blocks``   one loop over the inputs, adding into one       wider layers on
             local per unit: no transposed copy, and the     PyPy
             sums stay in registers
===========  ==============================================  ==================

A layer is small up to ``SMALL_INPUTS`` inputs and ``SMALL_UNITS`` units,
wide up to ``WIDE_UNITS`` units.  The code is compiled into a module of its
own: PyPy's JIT reads a module's globals as constants, where those of a
plain dict would be looked up on every call.  MicroPython never runs this
module (compiling would cost a board RAM it needs); it predicts through the
Matrix path.

How it is kept equal to the textbook path
-----------------------------------------
* **Changed weights are honoured.**  The function reads ``net.params``,
  ``net.scaler``, ``net.target_scaler`` and ``net.classes_`` on every call,
  so a weight changed in place (``W[i, j] = v``, ``W.rows[i][j] = v``,
  ``W -= ...``) or an entry replaced (``net.params["W1"] = ...``) is used by
  the next prediction.  Two things are kept between calls: which objects
  in ``params`` it has seen to be a Matrix and a Vector (a type never
  changes), and the transposed copy of a ``columns`` layer, which
  ``Columns`` checks against ``W`` before each use.
* **The same sums.**  Every unit adds ``a0 * w0j + a1 * w1j + ... + bj`` in
  that order, as the kernels do, and the activations, the softmax and the
  sigmoid are the textbook's formulas step for step.  The kernels start
  each sum from 0.0, and so does the output layer here.  Hidden layers
  leave that 0.0 out: it can only turn a sum of ``-0.0`` into ``0.0``, which
  no later step can tell apart (the output layer's ``0.0 +`` makes any
  all-zero sum ``0.0``, as the kernels do).  So on CPython below 3.12 and on
  PyPy the results are the Matrix path's bit for bit.  On CPython 3.12+ the
  kernel's ``math.sumprod`` rounds once per dot product, while the ``names``
  and ``indexed`` ways round after every term, as the other interpreters do:
  there the two paths can differ in the last bits (README, "Performance").
* **Only the plain case.**  It answers for one row given as a list of
  floats, all finite (the input check, in one pass), with weights and
  biases of the right types and shapes, and outputs that are finite.
  Anything else (several rows, ints, NaN, a broken ``params``, a scaler of
  another class) makes it return None, and the textbook path runs: it gives
  the answer, or raises the error it always raised.  An exception inside the
  function means the same.
"""

import math
import types

from . import kernels
from .activations import LEAKY_SLOPE, sigmoid_scalar
from .matrix import Matrix
from .scaler import StandardScaler
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

    from .network import NeuralNet

    Predict = Callable[["NeuralNet", object, bool], Optional[List[Any]]]

# Each hidden activation (tinynet.activations) as Python code for one value
# ``{0}``; ``tinynet.export_python`` writes its modules with it too.
HIDDEN_CODE = {
    "relu": "{0} if {0} > 0.0 else 0.0",
    "leaky_relu": "{0} if {0} > 0.0 else %r * {0}" % LEAKY_SLOPE,
    "tanh": "tanh({0})",
    "sigmoid": "_sigmoid({0})",
    "identity": "{0}",
}

# A layer is "small" up to this many inputs and units (1,024 terms, written
# out one by one), "wide" up to WIDE_UNITS units (the blocks way keeps a local
# per unit: more would make a loop too long for PyPy's JIT), "huge" beyond.
SMALL_INPUTS = 16
SMALL_UNITS = 64
WIDE_UNITS = 128


def predictor(net: "NeuralNet") -> "Optional[Predict]":
    """The compiled ``predict(net, X, proba)`` for ``net``'s shape, activation and
    output, or None when there is none (an activation or output it does not write)."""
    code = source(net)
    if code is None:
        return None
    namespace = run(code, "tinynet.fastpredict.generated", {
        "Matrix": Matrix, "Vector": Vector, "StandardScaler": StandardScaler,
        "Columns": Columns, "exp": math.exp, "tanh": math.tanh, "_sigmoid": sigmoid_scalar,
        "dot": kernels.dot,
    })
    return namespace["make"]()  # type: ignore[no-any-return]


# Code already compiled, by its text: networks of one shape share it.
COMPILED: "Dict[str, Any]" = {}


def run(code: str, name: str, names: "Dict[str, Any]") -> "Dict[str, Any]":
    """Run ``code`` (compiled once per text) in a new module called ``name`` that
    holds ``names``, and return the module's namespace.

    A module of its own, not a plain dict: PyPy's JIT reads a module's
    globals as constants, and a plain dict's on every call.
    """
    compiled = COMPILED.get(code)
    if compiled is None:
        compiled = COMPILED[code] = compile(code, "<%s>" % name, "exec")
    module = types.ModuleType(name)
    module.__dict__.update(names)
    exec(compiled, module.__dict__)
    return module.__dict__


def source(net: "NeuralNet") -> "Optional[str]":
    """The Python code ``predictor`` compiles for ``net`` (None when it writes none,
    and where ``kernels.ROW_LAYERS`` says no code is written)."""
    layers, activation, table = net.layers, net.activation, kernels.ROW_LAYERS
    if table is None or activation not in HIDDEN_CODE or net.output not in OUTPUT_WRITERS:
        return None
    ways = [table[layer_size(layers[l - 1], layers[l])] for l in range(1, len(layers))]
    code = Code()
    code.line("def make():")
    code.indent()
    # The entries of params last seen to be a Matrix and a Vector (read_layer).
    checked = ["%s%d_checked" % (name, l) for l in range(1, len(layers)) for name in "Wb"]
    code.line("%s = None" % " = ".join(checked))
    if "columns" in ways:
        code.line("caches = [Columns() for _ in range(%d)]" % ways.count("columns"))
    code.line("")
    code.line("def predict(net, X, proba):")
    code.indent()
    code.line("nonlocal %s" % ", ".join(checked))
    code.line("try:")
    code.indent()
    values = write_input(code, layers[0], ways[0] in ("names", "indexed"))
    L = len(layers) - 1
    for l in range(1, L + 1):
        # The hidden layers' activation as code for one value; None for the last.
        formula = HIDDEN_CODE[activation] if l < L else None
        values = LAYER_WRITERS[ways[l - 1]](code, l, values, layers[l], formula,
                                            ways[:l - 1].count("columns"))
    OUTPUT_WRITERS[net.output](code, as_names(code, values, "z"))
    code.dedent()
    code.line("except Exception:")
    code.line("    return None  # the textbook path decides")
    code.dedent()
    code.line("")
    code.line("return predict")
    return code.text()


def layer_size(n_in: int, n_out: int) -> str:
    """A layer of ``n_in`` inputs and ``n_out`` units is "small", "wide" or "huge":
    ``tinynet.kernels.ROW_LAYERS`` says which way each is written here."""
    if n_in <= SMALL_INPUTS and n_out <= SMALL_UNITS:
        return "small"
    return "wide" if n_out <= WIDE_UNITS else "huge"


class Columns:
    """A wide layer's ``W`` transposed (one tuple per unit), kept between predictions.

    Transposing a 64 x 32 ``W`` costs about as much as a third of the
    products, so the copy is kept, with a ``snapshot``: a copy of ``W.rows``
    as it was (new row lists holding the same float objects).  Before each
    use, ``W.rows == snapshot`` compares them, in C, and mostly by identity
    (the same float object is equal to itself without looking at its value).
    Any change to a weight, however it was made, shows up as a difference,
    and the copy is made again.

    The one change ``==`` cannot see is a zero changing its sign (``0.0 ==
    -0.0``), so a ``W`` holding an exact zero is never kept: it is
    transposed on every call.  Any other two numbers that compare equal are
    the same number, and give the same products.
    """

    __slots__ = ("snapshot", "columns")

    def __init__(self) -> None:
        self.snapshot: "Optional[List[List[float]]]" = None
        self.columns: "List[Tuple[float, ...]]" = []

    def of(self, W: Matrix, n_in: int, n_out: int) -> "Optional[List[Tuple[float, ...]]]":
        """The columns of ``W`` (an ``n_in x n_out`` Matrix), or None for another shape."""
        rows = W.rows
        if self.snapshot is not None and rows == self.snapshot:
            return self.columns
        if len(rows) != n_in or any(len(row) != n_out for row in rows):
            return None
        self.columns = list(zip(*rows))
        self.snapshot = None if any(0.0 in row for row in rows) else [list(row) for row in rows]
        return self.columns


# --- writing the code ------------------------------------------------------------


class Code:
    """Lines of Python being written, the current indentation, and the module's constants."""

    def __init__(self) -> None:
        self.lines: "List[str]" = []
        self.depth = 0
        self.constants: "List[str]" = []

    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text if text else "")

    def indent(self) -> None:
        self.depth += 1

    def dedent(self) -> None:
        self.depth -= 1

    def refuse_if(self, condition: str, why: str = "") -> None:
        """``if condition: return None``: step aside for the textbook path."""
        self.line("if %s:%s" % (condition, "  # " + why if why else ""))
        self.line("    return None")

    def text(self) -> str:
        return "\n".join(self.constants + self.lines) + "\n"


class Values:
    """``n`` numbers the code holds at some point: as separate names, or in one list."""

    def __init__(self, n: int, names: "Optional[List[str]]" = None, list_name: str = "") -> None:
        self.n = n
        self.names = names
        self.list_name = list_name


def as_names(code: Code, values: Values, prefix: str) -> "List[str]":
    """``values`` as names (unpacking their list into ``prefix0, prefix1, ...`` if need be)."""
    if values.names is not None:
        return values.names
    names = ["%s%d" % (prefix, j) for j in range(values.n)]
    code.line("%s = %s" % (joined(names), values.list_name))
    return names


def as_list(code: Code, values: Values, name: str) -> str:
    """``values`` as a list (making one called ``name`` if need be)."""
    if values.names is None:
        return values.list_name
    code.line("%s = [%s]" % (name, ", ".join(values.names)))
    return name


def joined(names: "Sequence[str]") -> str:
    """``a, b, c`` for unpacking; a single name keeps its comma (``a,``)."""
    return ", ".join(names) + ("," if len(names) == 1 else "")


def write_input(code: Code, n: int, as_names: bool) -> Values:
    """The row's checks (one list of ``n`` finite floats, in one pass) and the scaler."""
    code.refuse_if("type(X) is not list")
    code.line("row, = X  # one row (more or fewer raise ValueError: the textbook path)")
    if not as_names:
        code.refuse_if("type(row) is not list or len(row) != %d" % n)
        code.constants.append("FLOATS = [float] * %d" % n)
        # map(type, ...), sum and comparing with [float, float, ...] run in C.
        # 0.0 * sum is 0.0 unless a value is NaN or infinite (or the sum
        # overflows: then the textbook path decides).
        code.refuse_if("list(map(type, row)) != FLOATS or 0.0 * sum(row) != 0.0",
                       "floats, all finite")
        open_scaler(code, n)
        code.line("row = [(x - m) / s for x, m, s in zip(row, mean, scale)]")
        code.refuse_if("0.0 * sum(row) != 0.0")
        code.dedent()
        return Values(n, list_name="row")
    names = ["a0_%d" % k for k in range(n)]
    code.refuse_if("type(row) is not list")
    code.line("%s = row" % joined(names))
    code.refuse_if(" or ".join("type(%s) is not float" % a for a in names)
                   + " or 0.0 * (%s) != 0.0" % " + ".join(names), "floats, all finite")
    open_scaler(code, n)
    for k, a in enumerate(names):
        code.line("%s = (%s - mean[%d]) / scale[%d]" % (a, a, k, k))
    code.refuse_if("0.0 * (%s) != 0.0" % " + ".join(names))
    code.dedent()
    return Values(n, names)


def open_scaler(code: Code, n: int) -> None:
    """``if scaler is not None:``, with the scaler's ``mean`` and ``scale`` checked
    (a StandardScaler of ``n`` features) and read; the caller writes the body
    and dedents."""
    code.line("scaler = net.scaler")
    code.line("if scaler is not None:")
    code.indent()
    code.refuse_if("type(scaler) is not StandardScaler")
    code.line("mean, scale = scaler.mean.data, scaler.scale.data")
    code.refuse_if("len(mean) != %d or len(scale) != %d" % (n, n))


def read_layer(code: Code, l: int, n_out: int) -> None:
    """``W`` and ``b`` of layer ``l``, read from ``net.params`` now: a Matrix of
    ``n_out`` columns and a Vector.  An object's type and a Matrix's width never
    change, so each entry is checked once, when it is first seen."""
    if l == 1:
        code.line("params = net.params")
    code.line("W = params[\"W%d\"]" % l)
    code.line("b = params[\"b%d\"]" % l)
    code.line("if W is not W%d_checked or b is not b%d_checked:" % (l, l))
    code.indent()
    code.refuse_if("type(W) is not Matrix or type(b) is not Vector or W.n_cols != %d" % n_out)
    code.line("W%d_checked, b%d_checked = W, b" % (l, l))
    code.dedent()


def write_terms(code: Code, l: int, values: Values, n_out: int, formula: "Optional[str]",
                weights_as_names: bool) -> Values:
    """Layer ``l`` one term per weight: ``z = a0 * W[0][j] + a1 * W[1][j] + ... + b[j]``.

    With ``weights_as_names`` (the ``names`` way) every weight is unpacked
    into a local name first, which also checks that each row holds
    ``n_out`` numbers; otherwise (``indexed``) each term reads its weight
    from its row, ``w1_0[j]``: fewer local names, which PyPy prefers (its
    compiled code copies every local of a function it enters).
    """
    inputs = as_names(code, values, "a%d_" % (l - 1))
    read_layer(code, l, n_out)
    if weights_as_names:
        weights = [["w%d_%d_%d" % (l, k, j) for j in range(n_out)] for k in range(len(inputs))]
        code.line("%s = W.rows" % joined(["(%s)" % joined(row) for row in weights]))
    else:
        rows = ["w%d_%d" % (l, k) for k in range(len(inputs))]
        code.line("%s = W.rows" % joined(rows))
        weights = [["%s[%d]" % (row, j) for j in range(n_out)] for row in rows]
    code.line("%s = b.data" % joined(["b%d_%d" % (l, j) for j in range(n_out)]))
    names = []
    for j in range(n_out):
        terms = " + ".join("%s * %s" % (a, row[j]) for a, row in zip(inputs, weights))
        if formula is None:  # the last layer: its sums start from 0.0, as the kernels' do
            names.append("z%d" % j)
            code.line("z%d = 0.0 + %s + b%d_%d" % (j, terms, l, j))
        else:
            names.append("a%d_%d" % (l, j))
            code.line("z = %s + b%d_%d" % (terms, l, j))
            code.line("%s = %s" % (names[-1], formula.format("z")))
    return Values(n_out, names)


def write_names(code: Code, l: int, values: Values, n_out: int, formula: "Optional[str]",
                cache: int) -> Values:
    return write_terms(code, l, values, n_out, formula, True)


def write_indexed(code: Code, l: int, values: Values, n_out: int, formula: "Optional[str]",
                  cache: int) -> Values:
    return write_terms(code, l, values, n_out, formula, False)


def write_columns(code: Code, l: int, values: Values, n_out: int, formula: "Optional[str]",
                  cache: int) -> Values:
    """Layer ``l`` as the kernel's dot products with the columns of ``W`` (``Columns``)."""
    a = as_list(code, values, "a")
    read_layer(code, l, n_out)
    code.line("columns = caches[%d].of(W, %d, %d)" % (cache, values.n, n_out))
    code.line("bias = b.data")
    code.refuse_if("columns is None or len(bias) != %d" % n_out)
    code.line("z = [dot(%s, column) + c for column, c in zip(columns, bias)]" % a)
    if formula is None:
        return Values(n_out, list_name="z")
    code.line("a = [%s for v in z]" % formula.format("v"))
    return Values(n_out, list_name="a")


def write_blocks(code: Code, l: int, values: Values, n_out: int, formula: "Optional[str]",
                 cache: int) -> Values:
    """Layer ``l`` as one loop over the inputs, adding into one local per unit.

    ``zj`` starts at 0.0 and gets ``a[k] * W[k][j]`` for k = 0, 1, ... in
    turn, then ``b[j]``: the sum of a dot product with column j, in its order.
    """
    a = as_list(code, values, "a")
    read_layer(code, l, n_out)
    code.line("rows = W.rows")
    code.line("b%d = b.data" % l)
    code.refuse_if("len(rows) != %d or len(b%d) != %d" % (values.n, l, n_out))
    z = ["z%d" % j for j in range(n_out)]
    w = ["w%d" % j for j in range(n_out)]
    code.line("%s = 0.0" % " = ".join(z))
    code.line("for k in range(%d):" % values.n)
    code.indent()
    code.line("x = %s[k]" % a)
    code.line("%s = rows[k]" % joined(w))
    for zj, wj in zip(z, w):
        code.line("%s += x * %s" % (zj, wj))
    code.dedent()
    if formula is None:
        for j, zj in enumerate(z):
            code.line("%s += b%d[%d]" % (zj, l, j))
        return Values(n_out, z)
    names = []
    for j, zj in enumerate(z):
        names.append("a%d_%d" % (l, j))
        code.line("z = %s + b%d[%d]" % (zj, l, j))
        code.line("%s = %s" % (names[-1], formula.format("z")))
    return Values(n_out, names)


LAYER_WRITERS = {"names": write_names, "indexed": write_indexed, "columns": write_columns,
                 "blocks": write_blocks}


# --- the output layer: probabilities, labels or values ------------------------------


def write_sigmoid(code: Code, z: "List[str]") -> None:
    """One unit: ``p = sigmoid(z)``; label 1 where ``p >= 0.5`` (tinynet.outputs)."""
    code.refuse_if("net.target_scaler is not None", "the textbook path refuses it")
    z0 = z[0]
    code.line("if %s >= 0.0:" % z0)
    code.line("    p = 1.0 / (1.0 + exp(-%s))" % z0)
    code.line("else:")
    code.line("    e = exp(%s)" % z0)
    code.line("    p = e / (1.0 + e)")
    code.line("if proba:")
    code.line("    return [[p]]")
    code.line("if p >= 0.5:")
    code.line("    label = 1")
    code.line("elif p >= 0.0:")
    code.line("    label = 0")
    code.line("else:")
    code.line("    return None  # NaN: no label")
    write_label(code)


def write_softmax(code: Code, z: "List[str]") -> None:
    """``e**(z_j - max z) / sum_k e**(z_k - max z)``; the label is the most probable
    class, the first of equals (``tinynet.activations.softmax``, ``Matrix.argmax``)."""
    code.refuse_if("net.target_scaler is not None", "the textbook path refuses it")
    e = ["e%d" % j for j in range(len(z))]
    p = ["p%d" % j for j in range(len(z))]
    code.line("top = max(%s)" % ", ".join(z))
    for ej, zj in zip(e, z):
        code.line("%s = exp(%s - top)" % (ej, zj))
    code.line("total = sum([%s], 0.0)" % ", ".join(e))
    for pj, ej in zip(p, e):
        code.line("%s = %s / total" % (pj, ej))
    code.refuse_if("0.0 * (%s) != 0.0" % " + ".join(p), "NaN: no label")
    code.line("if proba:")
    code.line("    return [[%s]]" % ", ".join(p))
    code.line("label, best = 0, p0")
    for j in range(1, len(p)):
        code.line("if p%d > best:" % j)
        code.line("    label, best = %d, p%d" % (j, j))
    write_label(code)


def write_label(code: Code) -> None:
    code.line("classes = net.classes_")
    code.line("return [label] if classes is None else [classes[label]]")


def write_linear(code: Code, z: "List[str]") -> None:
    """The values themselves (``A = Z``), in the targets' units: ``z * scale + mean``
    when there is a target scaler; a float for one output, a list for several."""
    code.line("target_scaler = net.target_scaler")
    code.line("if target_scaler is not None:")
    code.indent()
    code.refuse_if("type(target_scaler) is not StandardScaler")
    code.line("mean, scale = target_scaler.mean.data, target_scaler.scale.data")
    code.refuse_if("len(mean) != %d or len(scale) != %d" % (len(z), len(z)))
    for j, zj in enumerate(z):
        code.line("%s = %s * scale[%d] + mean[%d]" % (zj, zj, j, j))
    code.dedent()
    code.refuse_if("proba or 0.0 * (%s) != 0.0" % " + ".join(z), "not finite: no value")
    code.line("return [%s]" % (z[0] if len(z) == 1 else "[%s]" % ", ".join(z)))


OUTPUT_WRITERS = {"sigmoid": write_sigmoid, "softmax": write_softmax, "linear": write_linear}

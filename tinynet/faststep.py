"""One training step fast: each network's forward and backward pass written out per sample.

``NeuralNet._train_step`` on the textbook path computes a batch layer by
layer: ``Z1 = X @ W1 + b1`` as a new Matrix, its activation as another,
then ``A.T @ dZ`` with two transposes, and so on; every operation makes a
list per sample.  For a small network most of the time goes into that
machinery.  So, the first time a network trains, ``stepper`` writes a
function that does the same arithmetic one sample at a time on plain
floats, with every weight, every gradient and every intermediate value in a
local variable, and compiles it with ``exec``; ``_train_step`` tries it
before the textbook path.  It returns the batch's loss and the gradients,
and the optimizer applies them as it would the textbook's.  ``source(net)``
shows the code; for ``layers=[2, 5, 1]`` (relu, sigmoid) the loop over the
samples reads::

    for x, y in zip(X.rows, Y.rows):
        a0_0, a0_1 = x
        y0, = y
        z1_0 = 0.0 + a0_0 * w1_0_0 + a0_1 * w1_1_0 + b1_0
        a1_0 = z1_0 if z1_0 > 0.0 else 0.0
        ...
        z2_0 = 0.0 + a1_0 * w2_0_0 + a1_1 * w2_1_0 + ... + a1_4 * w2_4_0 + b2_0
        a2_0 = _sigmoid(z2_0)
        loss += (z2_0 if z2_0 > 0.0 else 0.0) - z2_0 * y0 + log(1.0 + exp(-abs(z2_0)))
        d2_0 = a2_0 - y0
        gb2_0 += d2_0
        gw2_0_0 += a1_0 * d2_0
        ...
        d = 0.0 + d2_0 * w2_0_0
        d1_0 = d if z1_0 > 0.0 else 0.0
        ...
        gw1_1_4 += a0_1 * d1_4

Only networks up to a size (``tinynet.kernels.STEP_SIZES``) are written
out: the code grows with the number of weights, and past some width the
textbook's C-level products catch up.  Larger ones, and MicroPython
(which compiles nothing: ``tinynet.kernels.STEP_LAYOUT``), train on the
textbook path.  The layout is chosen per interpreter by
``tinynet.kernels.STEP_LAYOUT``: on CPython the loop over the samples shown
above (``samples``); on PyPy a loop over the samples for each unit, each
unit's values kept as a list over the samples (``units``), because PyPy's
JIT compiles a loop whole only when its body is short.

How it is kept equal to the textbook path
-----------------------------------------
Every number is the textbook's, made the same way:

* ``Z = A @ W + b``: each unit's sum starts from 0.0 and adds ``a_k * W[k][j]``
  in input order, then the bias, as the kernels' dot products do;
* ``dW = A.T @ dZ / m`` and ``db = sum of dZ / m``: each gradient starts from
  0.0 and adds one sample's term after another, in sample order, which is the
  order of a dot product over the samples; the division comes last;
* ``dA = dZ @ W.T``: from 0.0, the terms in unit order;
* the activations, their derivatives, the losses and their gradients are
  the textbook's formulas step for step (``tinynet.activations``,
  ``tinynet.losses``); the loss adds the samples' terms in order, as they do;
* the L2 penalty and the optimizer are the textbook's own code.

So on CPython below 3.12 and on PyPy a step gives the textbook's loss and
weights bit for bit.  On CPython 3.12+ the kernels' ``math.sumprod`` and
``sum`` round once per sum; the code here rounds after every term, as the
other interpreters do (so its numbers are theirs): the two paths differ in
the last bits there (README, "Performance").

It steps aside (returns None, and the textbook path runs) for anything it
was not written for: weights of another type or shape, data that is not a
pair of Matrices of the network's widths, an empty batch; an exception
inside it means the same.  It changes nothing itself (the optimizer applies
the gradients it returns), so stepping aside at any point is safe.
"""

import math

from . import kernels
from .activations import LEAKY_SLOPE, sigmoid_scalar
from .fastpredict import HIDDEN_CODE, Code, joined, run
from .matrix import Matrix
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple

    from .network import NeuralNet

    Step = Callable[["NeuralNet", Matrix, Matrix], Optional[Tuple[float, Dict[str, Any]]]]

# Each hidden activation's derivative applied to ``{d}``, the gradient that
# reaches a unit, as tinynet.activations' *_backward functions compute it
# from the unit's ``{z}`` and ``{a}``.
BACKWARD_CODE = {
    "relu": "{d} if {z} > 0.0 else 0.0",
    "leaky_relu": "{d} if {z} > 0.0 else %r * {d}" % LEAKY_SLOPE,
    "tanh": "{d} * (1.0 - {a} * {a})",
    "sigmoid": "{d} * {a} * (1.0 - {a})",
    "identity": "{d}",
}


def stepper(net: "NeuralNet") -> "Optional[Step]":
    """The compiled ``step(net, X, Y)`` for ``net``'s shape, activation and output,
    or None when there is none (a network too large, an activation it does not write)."""
    code = source(net)
    if code is None:
        return None
    namespace = run(code, "tinynet.faststep.generated", {
        "Matrix": Matrix, "Vector": Vector, "exp": math.exp, "log": math.log, "tanh": math.tanh,
        "_sigmoid": sigmoid_scalar})
    return namespace["step"]  # type: ignore[no-any-return]


def source(net: "NeuralNet") -> "Optional[str]":
    """The Python code ``stepper`` compiles for ``net`` (None when it writes none)."""
    layers, activation, layout = net.layers, net.activation, kernels.STEP_LAYOUT
    if layout is None or activation not in BACKWARD_CODE or net.output not in OUTPUT_STEPS:
        return None
    most_inputs, most_units, most_weights = kernels.STEP_SIZES
    pairs = list(zip(layers, layers[1:]))
    if (any(n_in > most_inputs or n_out > most_units for n_in, n_out in pairs)
            or sum(n_in * n_out for n_in, n_out in pairs) > most_weights):
        return None
    L = len(layers) - 1
    code = Code()
    code.line("def step(net, X, Y):")
    code.indent()
    code.line("try:")
    code.indent()
    code.refuse_if("type(X) is not Matrix or type(Y) is not Matrix or X.n_cols != %d or "
                   "Y.n_cols != %d or len(X.rows) != len(Y.rows) or not X.rows"
                   % (layers[0], layers[-1]))
    code.line("params = net.params")
    for l in range(1, L + 1):
        write_weights(code, l, layers[l - 1], layers[l])
    code.line("m = len(X.rows)")
    code.line("loss = 0.0")
    LAYOUTS[layout](code, layers, activation, net.output)
    code.line("grads = {}")
    for l in range(L, 0, -1):
        rows = ["[%s]" % ", ".join("gw%d_%d_%d / m" % (l, k, j) for j in range(layers[l]))
                for k in range(layers[l - 1])]
        code.line("grads[\"W%d\"] = Matrix.wrap([%s], %d)" % (l, ", ".join(rows), layers[l]))
        code.line("grads[\"b%d\"] = Vector.wrap([%s])"
                  % (l, ", ".join("gb%d_%d / m" % (l, j) for j in range(layers[l]))))
    code.line("loss /= %s" % OUTPUT_STEPS[net.output][1].format(k=layers[-1]))
    code.line("alpha = net.alpha")
    code.line("if alpha:  # the L2 penalty, as NeuralNet._loss and _backward add it")
    code.indent()
    code.line("loss += net._penalty(m)")
    for l in range(1, L + 1):
        code.line("grads[\"W%d\"] += (alpha / m) * params[\"W%d\"]" % (l, l))
    code.dedent()
    code.line("return loss, grads")
    code.dedent()
    code.line("except Exception:")
    code.line("    return None  # the textbook path decides (and raises what it raises)")
    return code.text()


def write_by_samples(code: Code, layers: "List[int]", activation: str, output: str) -> None:
    """The ``samples`` layout: one loop over the samples, each sample's forward and
    backward pass written out in it, every value and every gradient's sum a local."""
    L = len(layers) - 1
    gradients = [name for l in range(1, L + 1) for name in
                 ["gw%d_%d_%d" % (l, k, j) for k in range(layers[l - 1]) for j in range(layers[l])]
                 + ["gb%d_%d" % (l, j) for j in range(layers[l])]]
    code.line("%s = 0.0  # the gradients' sums over the samples" % " = ".join(gradients))
    code.line("for x, y in zip(X.rows, Y.rows):")
    code.indent()
    code.line("%s = x" % joined(names("a0_", layers[0])))
    code.line("%s = y" % joined(names("y", layers[-1])))
    for l in range(1, L + 1):  # forward
        inputs = names("a%d_" % (l - 1), layers[l - 1])
        for j in range(layers[l]):
            code.line("z%d_%d = 0.0 + %s + b%d_%d" % (l, j, terms(inputs, l, j), l, j))
            if l < L:
                code.line("a%d_%d = %s" % (l, j, HIDDEN_CODE[activation].format("z%d_%d" % (l, j))))
    OUTPUT_STEPS[output][0](code, L, layers[-1])
    for l in range(L, 0, -1):  # backward
        for j in range(layers[l]):
            code.line("gb%d_%d += d%d_%d" % (l, j, l, j))
            for k in range(layers[l - 1]):
                code.line("gw%d_%d_%d += a%d_%d * d%d_%d" % (l, k, j, l - 1, k, l, j))
        if l > 1:
            for k in range(layers[l - 1]):
                code.line("d = 0.0 + %s" % back_terms(["d%d_%d" % (l, j) for j in range(layers[l])],
                                                     l, k))
                code.line("d%d_%d = %s" % (l - 1, k, BACKWARD_CODE[activation].format(
                    d="d", z="z%d_%d" % (l - 1, k), a="a%d_%d" % (l - 1, k))))
    code.dedent()


def write_by_units(code: Code, layers: "List[int]", activation: str, output: str) -> None:
    """The ``units`` layout: a loop over the samples for each unit, keeping each unit's
    values as a column (a list over the samples); every loop's body is short."""
    L = len(layers) - 1
    code.line("rows, targets = X.rows, Y.rows")
    code.line("samples = range(m)")

    def inputs_of(l: int) -> "List[str]":  # layer l's inputs for sample i
        if l == 1:
            return ["x[%d]" % k for k in range(layers[0])]
        return ["a%d_%d[i]" % (l - 1, k) for k in range(layers[l - 1])]

    for l in range(1, L):  # forward through the hidden layers, a unit at a time
        for j in range(layers[l]):
            z, a = "z%d_%d" % (l, j), "a%d_%d" % (l, j)
            code.line("%s = [0.0] * m" % z)
            code.line("%s = [0.0] * m" % a)
            code.line("for i in samples:")
            code.indent()
            if l == 1:
                code.line("x = rows[i]")
            code.line("z = 0.0 + %s + b%d_%d" % (terms(inputs_of(l), l, j), l, j))
            code.line("%s[i] = z" % z)
            code.line("%s[i] = %s" % (a, HIDDEN_CODE[activation].format("z")))
            code.dedent()
    k = layers[-1]  # the output layer, all its units in one loop: the loss needs them all
    for j in range(k):
        code.line("dc%d_%d = [0.0] * m" % (L, j))
    code.line("for i in samples:")
    code.indent()
    if L == 1:
        code.line("x = rows[i]")
    code.line("%s = targets[i]" % joined(names("y", k)))
    for j in range(k):
        code.line("z%d_%d = 0.0 + %s + b%d_%d" % (L, j, terms(inputs_of(L), L, j), L, j))
    OUTPUT_STEPS[output][0](code, L, k)
    for j in range(k):
        code.line("dc%d_%d[i] = d%d_%d" % (L, j, L, j))
    code.dedent()
    for l in range(L, 0, -1):  # backward
        ins = inputs_of(l)
        for j in range(layers[l]):
            sums = names("g", len(ins))
            code.line("gb = %s = 0.0" % " = ".join(sums))
            code.line("for i in samples:")
            code.indent()
            if l == 1:
                code.line("x = rows[i]")
            code.line("d = dc%d_%d[i]" % (l, j))
            code.line("gb += d")
            for g, a in zip(sums, ins):
                code.line("%s += %s * d" % (g, a))
            code.dedent()
            code.line("gb%d_%d = gb" % (l, j))
            code.line("%s = %s" % (joined(["gw%d_%d_%d" % (l, kk, j) for kk in range(len(ins))]),
                                   ", ".join(sums)))
        if l > 1:
            for kk in range(layers[l - 1]):
                code.line("dc%d_%d = [0.0] * m" % (l - 1, kk))
                code.line("for i in samples:")
                code.indent()
                code.line("d = 0.0 + %s" % back_terms(["dc%d_%d[i]" % (l, j)
                                                       for j in range(layers[l])], l, kk))
                code.line("dc%d_%d[i] = %s" % (l - 1, kk, BACKWARD_CODE[activation].format(
                    d="d", z="z%d_%d[i]" % (l - 1, kk), a="a%d_%d[i]" % (l - 1, kk))))
                code.dedent()


LAYOUTS = {"samples": write_by_samples, "units": write_by_units}


def terms(inputs: "List[str]", l: int, j: int) -> str:
    """``a0 * w_l_0_j + a1 * w_l_1_j + ...``: unit j's terms, in input order."""
    return " + ".join("%s * w%d_%d_%d" % (a, l, k, j) for k, a in enumerate(inputs))


def back_terms(d: "List[str]", l: int, k: int) -> str:
    """``d0 * w_l_k_0 + d1 * w_l_k_1 + ...``: what reaches input k of layer l, in unit order."""
    return " + ".join("%s * w%d_%d_%d" % (dj, l, k, j) for j, dj in enumerate(d))


def names(prefix: str, n: int) -> "List[str]":
    return ["%s%d" % (prefix, j) for j in range(n)]


def write_weights(code: Code, l: int, n_in: int, n_out: int) -> None:
    """Layer ``l``'s ``W`` and ``b`` from ``net.params``, checked, into local names."""
    code.line("W = params[\"W%d\"]" % l)
    code.line("b = params[\"b%d\"]" % l)
    code.refuse_if("type(W) is not Matrix or type(b) is not Vector or W.n_cols != %d" % n_out)
    code.line("%s = W.rows" % joined(["(%s)" % joined(names("w%d_%d_" % (l, k), n_out))
                                       for k in range(n_in)]))
    code.line("%s = b.data" % joined(names("b%d_" % l, n_out)))


# --- the output layers: activation, loss term and dZ, per sample (tinynet.losses) ---------


def step_sigmoid(code: Code, L: int, k: int) -> None:
    """Sigmoid and binary cross-entropy from ``z``: ``max(z, 0) - z y + log(1 + e**-|z|)``;
    ``dZ = A - Y``."""
    for j in range(k):
        z, a, y = "z%d_%d" % (L, j), "a%d_%d" % (L, j), "y%d" % j
        code.line("%s = _sigmoid(%s)" % (a, z))
        code.line("loss += (%s if %s > 0.0 else 0.0) - %s * %s + log(1.0 + exp(-abs(%s)))"
                  % (z, z, z, y, z))
        code.line("d%d_%d = %s - %s" % (L, j, a, y))


def step_softmax(code: Code, L: int, k: int) -> None:
    """Softmax and categorical cross-entropy by log-softmax; ``dZ = A - Y``."""
    z = names("z%d_" % L, k)
    y = names("y", k)
    code.line("top = max(%s)" % ", ".join(z))
    code.line("e = [%s]" % ", ".join("exp(%s - top)" % zj for zj in z))
    code.line("total = sum(e, 0.0)")
    for j in range(k):
        code.line("a%d_%d = e[%d] / total" % (L, j, j))
    # The loss, as categorical_cross_entropy writes it (its exponentials again).
    code.line("log_sum = top + log(sum([%s], 0.0))" % ", ".join("exp(%s - top)" % zj for zj in z))
    code.line("loss += log_sum * sum([%s], 0.0) - sum([%s], 0.0)"
              % (", ".join(y), ", ".join("%s * %s" % (yj, zj) for yj, zj in zip(y, z))))
    for j in range(k):
        code.line("d%d_%d = a%d_%d - y%d" % (L, j, L, j, j))


def step_linear(code: Code, L: int, k: int) -> None:
    """``A = Z``, squared error ``(a - y)**2``; ``dZ = (A - Y) * (2 / k)``."""
    for j in range(k):
        code.line("a%d_%d = z%d_%d" % (L, j, L, j))
        code.line("loss += (a%d_%d - y%d) * (a%d_%d - y%d)" % (L, j, j, L, j, j))
        code.line("d%d_%d = (a%d_%d - y%d) * %r" % (L, j, L, j, j, 2.0 / k))


# Each output kind's per-sample code, and what its summed loss is divided by
# (tinynet.losses: a mean over the samples; for squared error, over the outputs too).
OUTPUT_STEPS = {
    "sigmoid": (step_sigmoid, "m"),
    "softmax": (step_softmax, "m"),
    "linear": (step_linear, "(m * {k})"),
}

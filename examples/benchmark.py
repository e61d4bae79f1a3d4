"""How fast is tinynet?  A benchmark against the fastest bare-list code (and NumPy, if present).

Run it from a checkout; nothing needs installing (the repository root is put
on ``sys.path``)::

    python3 examples/benchmark.py              # the full run: several minutes
    python3 examples/benchmark.py --quick      # seconds: one call per case, small sizes
    python3 examples/benchmark.py --rounds 11  # more rounds, steadier medians
    python3 examples/benchmark.py --no-numpy   # leave NumPy out even if it is installed
    python3 examples/benchmark.py --sections 1,3   # only some of the sections below
    python3 examples/benchmark.py --digits     # also time a digits-sized fit (seconds)

It needs CPython 3.8+ or PyPy.  MicroPython has no ``time.process_time`` and
no ``subprocess``: ``examples/benchmark_board.py`` is its small counterpart.

What is compared
----------------
tinynet is raced against bare Python lists doing the same maths.  Which way
of writing bare-list code is fastest depends on the interpreter and the
shape, so every section runs several *variants* of the bare code (each
written as fast as we could make it), checks that each computes tinynet's
numbers, and compares tinynet with the fastest of them, per row.

1. ``A @ B`` on Matrix objects against bare-list products in five idioms:
   ``math.sumprod`` (CPython 3.12+), ``sum(map(operator.mul, ...))``, loops
   over ``zip``, loops over indices, and the row-major "axpy" order that
   needs no transpose.  The loops use lists throughout (PyPy's JIT is fastest
   when every row has the same type).
2. One full-batch training step (forward, loss, backward, gradient-descent
   update) of a relu/sigmoid network with binary cross-entropy.  The bare
   variants differ in layout: samples as rows, samples as columns (one list
   per feature, so the dot products run over the samples), a hybrid of the
   two, and one fused loop over the samples.  Each is checked to give
   tinynet's loss and updated weights before anything is timed.
3. Predicting one sample given as a plain list, against a bare forward pass
   with the weights kept in the layout it likes best (transposed, or
   row-major, or unrolled into straight-line code for small layers).  The
   output layer's sigmoid or softmax is part of the bare code.
4. The CPU cost of ``import tinynet`` in a fresh process.
5. NumPy, if it can be imported, as a reference column in 1 to 3.  It is
   never needed: without it those columns are left out.
6. How the training step scales with the number of samples and the width
   of the hidden layer.
7. With ``--digits``: one ``fit`` of a digits-sized network ([64, 32, 10],
   1437 synthetic rows, adam, batches of 32, 30 epochs), tinynet alone.

How it measures
---------------
Machines are shared and noisy, so:

* time is the process's CPU time (``time.process_time``), not wall-clock time;
* the cases that are compared run interleaved, in rounds, in one process (each
  round in a rotated order), so a slow moment of the machine hits them all;
* each case is first called until one timing lasts long enough to measure;
  on PyPy it is first called thousands of times more, because the JIT
  compiles a large function only after a few thousand calls and the first
  ones can be a hundred times slower than the rest;
* the report gives the median over rounds, and ratios (``tinynet / bare``)
  are taken inside each round before the median is taken; ``--spread``
  adds the lowest and highest of those per-round ratios.

Absolute times differ from machine to machine; the ratios travel better.
"""

import math
import operator
import os
import shutil
import subprocess
import sys
import tempfile
import time
import timeit
import warnings
from itertools import repeat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tinynet import Matrix, Random, kernels  # noqa: E402
from tinynet.network import NeuralNet  # noqa: E402

# CPU time of this process; wall-clock time only where there is nothing better.
clock = getattr(time, "process_time", time.time)

PYPY = sys.implementation.name == "pypy"
SUMPROD = getattr(math, "sumprod", None)  # CPython 3.12+

MATMUL_SHAPES = [(1, 2, 5), (303, 13, 8), (64, 64, 64), (256, 128, 64)]  # (n, k, m): n x k @ k x m
# The products in one training step of [13, 8, 1] on 303 samples and of [2, 5, 1] on 1000.
STEP_SHAPES = [(303, 13, 8), (303, 8, 1), (8, 303, 1), (303, 1, 8), (13, 303, 8),
               (1000, 2, 5), (1000, 5, 1), (5, 1000, 1), (1000, 1, 5), (2, 1000, 5)]
STEP_CASES = [([13, 8, 1], 303), ([2, 5, 1], 1000)]  # (layers, samples)
PREDICT_LAYERS = [[2, 5, 1], [13, 8, 1], [64, 32, 1], [64, 32, 10]]  # the last has a softmax output
LEARNING_RATE = 0.01
# Layers with at most this many inputs get an unrolled bare forward pass
# (straight-line code, one line per unit), as one would write by hand.
UNROLL_LIMIT = 16


# --- measuring ----------------------------------------------------------------------

class Settings:
    """How hard to measure: rounds per comparison and the CPU time of one timing."""

    def __init__(self, quick, rounds, numpy_module, sections=(1, 2, 3, 4, 5, 6),
                 digits=False, spread=False):
        self.quick = quick
        self.sections = sections
        self.rounds = rounds
        self.target = 0.0 if quick else 0.04  # seconds; 0 means a single call per timing
        self.import_runs = 1 if quick else 15
        self.numpy = numpy_module
        self.digits = digits
        self.spread = spread
        # PyPy: how many calls (or CPU seconds) warm a case up before it is timed.
        self.jit_calls = 0 if quick or not PYPY else 10000
        self.jit_seconds = 2.0


def make_timer(function):
    """A ``timeit.Timer`` that calls ``function`` and reads the CPU clock.

    ``timeit`` compiles a fresh timing loop for every Timer, which matters on
    PyPy: a single loop shared by all the cases would be traced by the JIT
    for whichever case came first and then slowed down the others.  The
    garbage collector stays on (timeit turns it off by default), because
    collecting is part of what a real computation costs.
    """
    return timeit.Timer(function, setup="gc.enable()", timer=clock)


def jit_warm_up(timer, settings):
    """Call a case ``jit_calls`` times (or for ``jit_seconds``), doubling the batch.

    Measured on PyPy 7.3: ``net.predict([row])`` of a [2, 5, 1] network took
    about 120 us per call for its first thousand calls (its trace was too long
    and had to be split up) and 2.5 us from about the three-thousandth on.
    Timing it straight after ``calls_needed`` caught the slow phase.
    """
    done, spent, calls = 0, 0.0, 1
    while done < settings.jit_calls and spent < settings.jit_seconds:
        spent += timer.timeit(calls)
        done += calls
        calls *= 2


def calls_needed(timer, target):
    """How many calls make one timing last about ``target`` seconds (warming up on the way)."""
    calls = 1
    while True:
        elapsed = timer.timeit(calls)
        if elapsed >= target:
            return calls
        if elapsed < target / 10:
            calls *= 10
        else:
            return int(calls * target / elapsed) + 1


def compare(cases, settings, rounds=None):
    """Time ``cases`` (a list of ``(name, function)``) interleaved in rounds.

    Returns ``{name: [seconds per call in round 1, round 2, ...]}``.
    """
    timers = [make_timer(function) for _, function in cases]
    for timer in timers:
        jit_warm_up(timer, settings)
    calls = [calls_needed(timer, settings.target) for timer in timers]
    times = {name: [] for name, _ in cases}
    count = len(cases)
    for round_number in range(settings.rounds if rounds is None else rounds):
        for i in range(count):
            k = (i + round_number) % count  # rotate who goes first
            times[cases[k][0]].append(timers[k].timeit(calls[k]) / calls[k])
    return times


def median(values):
    ordered = sorted(values)
    if not ordered:
        return math.nan
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def round_ratios(times, numerator, denominator):
    """``numerator / denominator`` in each round (both timed in the same round)."""
    return [a / b for a, b in zip(times[numerator], times[denominator]) if b > 0.0]


def ratio(times, numerator, denominator):
    """Median over rounds of ``numerator / denominator``, each pair timed in the same round."""
    return median(round_ratios(times, numerator, denominator))


def fastest(times, names):
    """The name among ``names`` with the lowest median time."""
    return min((median(times[name]), name) for name in names)[1]


def show_time(seconds):
    if seconds != seconds:  # NaN: not measured
        return "-"
    if seconds < 1e-3:
        return "%.2f us" % (seconds * 1e6) if seconds < 1e-5 else "%.1f us" % (seconds * 1e6)
    if seconds < 1.0:
        return "%.2f ms" % (seconds * 1e3)
    return "%.2f s" % seconds


def show_ratio(value):
    return "-" if value != value else "%.2fx" % value


def show_paired(times, numerator, denominator, settings):
    """The median ratio, with the per-round range when ``--spread`` asks for it."""
    ratios = round_ratios(times, numerator, denominator)
    text = show_ratio(median(ratios))
    if settings.spread and ratios:
        text += " (%.2f-%.2f)" % (min(ratios), max(ratios))
    return text


def print_table(header, rows):
    """Columns padded to a common width: the first left-aligned, the others right-aligned."""
    table = [header] + rows
    widths = [max(len(row[j]) for row in table) for j in range(len(header))]
    for row in table:
        cells = ["%-*s" % (widths[0], row[0])]
        cells += ["%*s" % (width, cell) for cell, width in zip(row[1:], widths[1:])]
        print("  ".join(cells).rstrip())
    print()


# --- data ---------------------------------------------------------------------------

def sample_data(n_samples, n_features, seed=7):
    """Standard normal features and 0/1 labels that depend on them, as bare lists."""
    rng = Random(seed)
    X = [[rng.normal() for _ in range(n_features)] for _ in range(n_samples)]
    y = [1 if row[0] + 0.5 * row[-1] > 0.0 else 0 for row in X]
    return X, y


def fresh_net(layers, seed=1):
    """A relu network with its initial weights and plain gradient descent.

    One output is a sigmoid, several a softmax.  The biases start at small
    non-zero values (tinynet's start at 0), so that adding them is real work
    that a check would catch if it were left out.
    """
    net = NeuralNet(layers=layers, learning_rate=LEARNING_RATE, activation="relu",
                    output="sigmoid" if layers[-1] == 1 else "softmax", optimizer="gd", seed=seed)
    net.init_weights()
    rng = Random(seed + 100)
    for l in range(1, len(layers)):
        net.params["b%d" % l].data[:] = [0.1 * rng.normal() for _ in range(layers[l])]
    return net


def bare_params(net):
    """The network's weights as bare lists: ``[W1, b1, W2, b2]``."""
    return [net.params["W1"].tolist(), net.params["b1"].tolist(),
            net.params["W2"].tolist(), net.params["b2"].tolist()]


def transposed(rows):
    """The columns of a list of rows, each as a list (never a tuple: see section 1)."""
    return [list(column) for column in zip(*rows)]


# --- 1. the bare-list matrix products, one per idiom -------------------------------
# Each takes two lists of rows.  The dot-product idioms transpose the right
# operand first, as tinynet does, because a dot product walks a row and a
# column side by side; "axpy" walks B's rows and needs no transpose.

mul, add, sub = operator.mul, operator.add, operator.sub


def product_sumprod(a, b):
    """CPython 3.12+: ``math.sumprod`` does the whole dot product in C."""
    columns = list(zip(*b))
    sumprod = SUMPROD
    return [[sumprod(row, col) for col in columns] for row in a]


def product_map(a, b):
    """``sum(map(operator.mul, row, col))``: the loop runs inside built-ins (C on CPython)."""
    columns = list(zip(*b))
    return [[sum(map(mul, row, col)) for col in columns] for row in a]


def product_zip(a, b):
    """Plain loops over ``zip``, all rows lists."""
    columns = transposed(b)
    result = []
    for row in a:
        out = []
        for col in columns:
            total = 0.0
            for x, w in zip(row, col):
                total += x * w
            out.append(total)
        result.append(out)
    return result


def product_indexed(a, b):
    """Loops over indices, all rows lists: what PyPy's JIT (and MicroPython) do best."""
    columns = transposed(b)
    size = len(b)
    result = []
    for row in a:
        out = []
        for col in columns:
            total = 0.0
            for k in range(size):
                total += row[k] * col[k]
            out.append(total)
        result.append(out)
    return result


def product_axpy(a, b):
    """Row-major "axpy": row i of the result gathers ``a[i][k] * (row k of b)`` for k in order.

    Each entry still adds its products in the order k = 0, 1, ..., so the sums
    are the same as a dot product's; only the loops are nested the other way.
    """
    width = len(b[0])
    columns = range(width)
    result = []
    for row in a:
        out = [0.0] * width
        for x, b_row in zip(row, b):
            for j in columns:
                out[j] += x * b_row[j]
        result.append(out)
    return result


IDIOMS = [
    ("sumprod", product_sumprod, SUMPROD is not None),
    ("map", product_map, True),
    ("zip", product_zip, True),
    ("indexed", product_indexed, True),
    ("axpy", product_axpy, True),
]


def expected_idiom():
    """The idiom ``tinynet.kernels`` is meant to pick here (its own table, restated)."""
    name = sys.implementation.name
    if name == "micropython":
        return "indexed"
    if name == "pypy":
        return "map"
    if SUMPROD is not None:
        return "sumprod"
    return "map"


def idiom_function(name):
    for idiom, function, available in IDIOMS:
        if idiom == name and available:
            return function
    raise ValueError("idiom %r is not available here" % name)


def kernel_product():
    """The bare product in the idiom ``tinynet.kernels`` uses here: the "rows" training
    step (the previous benchmark's baseline) multiplies with it."""
    return idiom_function(expected_idiom())


# --- 2. one training step on bare lists ------------------------------------------------
# Every variant does one gradient-descent step of a network with one hidden
# layer: layers [n_in, n_hidden, 1], relu hidden units, a sigmoid output and
# binary cross-entropy, the maths of tinynet's step:
#
#   Z1 = X @ W1 + b1, A1 = relu(Z1), Z2 = A1 @ W2 + b2, A2 = sigmoid(Z2)
#   loss = mean of max(z, 0) - z y + log(1 + e**-|z|)       (z in Z2)
#   dZ2 = A2 - Y, dW2 = A1.T @ dZ2 / m, db2 = column sums of dZ2 / m
#   dZ1 = (dZ2 @ W2.T) where Z1 > 0 (else 0), dW1 = X.T @ dZ1 / m, db1 = ...
#   W -= learning_rate * dW, b -= learning_rate * db
#
# They add every sum in the order tinynet does (samples, then features, in
# index order), so with the same dot product they give the same bits.  A
# variant takes (weights, data, learning rate), updates the weights in place
# and returns the loss before the update.  Weights and data come in the
# variant's own layout, made once beforehand (as a fit would, once, for
# all its epochs): see ``step_layout``.

exp, log = math.exp, math.log


def sigmoid(z):
    """The logistic function, never exponentiating a large positive number."""
    if z >= 0.0:
        return 1.0 / (1.0 + exp(-z))
    e = exp(z)
    return e / (1.0 + e)


if SUMPROD is not None:
    dot = SUMPROD
else:
    def dot(a, b):
        """The dot product of two long lists, in C where CPython can."""
        return sum(map(mul, a, b))


def step_rows(params, data, learning_rate):
    """Samples as rows, the textbook layout, with tinynet's kind of product (``kernel_product``)."""
    W1, b1, W2, b2 = params
    X, y_rows = data
    product = kernel_product()
    m = len(X)
    Z1 = [[z + b for z, b in zip(row, b1)] for row in product(X, W1)]
    A1 = [[z if z > 0.0 else 0.0 for z in row] for row in Z1]
    Z2 = [[z + b for z, b in zip(row, b2)] for row in product(A1, W2)]
    A2 = [[sigmoid(z) for z in row] for row in Z2]
    loss = 0.0
    for z_row, y_row in zip(Z2, y_rows):
        for z, y in zip(z_row, y_row):
            loss += (z if z > 0.0 else 0.0) - z * y + log(1.0 + exp(-abs(z)))
    loss /= m
    dZ2 = [[a - y for a, y in zip(a_row, y_row)] for a_row, y_row in zip(A2, y_rows)]
    dW2 = [[g / m for g in row] for row in product(transposed(A1), dZ2)]
    db2 = [sum(col, 0.0) / m for col in zip(*dZ2)]
    dA1 = product(dZ2, transposed(W2))
    dZ1 = [[d if z > 0.0 else 0.0 for d, z in zip(d_row, z_row)] for d_row, z_row in zip(dA1, Z1)]
    dW1 = [[g / m for g in row] for row in product(transposed(X), dZ1)]
    db1 = [sum(col, 0.0) / m for col in zip(*dZ1)]
    for W, dW in ((W1, dW1), (W2, dW2)):
        for w_row, g_row in zip(W, dW):
            w_row[:] = [w - learning_rate * g for w, g in zip(w_row, g_row)]
    for b, db in ((b1, db1), (b2, db2)):
        b[:] = [v - learning_rate * g for v, g in zip(b, db)]
    return loss


def sigmoid_loss_gradient(Z2, y, b):
    """The output layer on a column of samples: ``(sum of the losses, dZ2)``.

    ``Z2`` lacks its bias ``b``, which is added here.  One loop does the
    sigmoid, the loss and ``dZ2 = A2 - Y``: they share ``e**-|z|``.
    """
    total = 0.0
    dZ2 = []
    append = dZ2.append
    for z, target in zip(Z2, y):
        z += b
        if z >= 0.0:
            e = exp(-z)
            a = 1.0 / (1.0 + e)
        else:
            e = exp(z)
            a = e / (1.0 + e)
        total += (z if z > 0.0 else 0.0) - z * target + log(1.0 + e)
        append(a - target)
    return total, dZ2


def step_columns(params, data, learning_rate):
    """Samples as columns (one list per feature), with the loops inside built-ins.

    ``Z1[j]`` is ``X[0] * W1[0][j] + X[1] * W1[1][j] + ...`` over whole
    columns: a chain of lazy ``map`` objects, so on CPython each column is
    made by one pass in C.  The gradients are dot products over the samples,
    as long as the data set (``math.sumprod`` on 3.12+, else ``sum(map(mul))``).
    """
    W1, b1, W2, b2 = params
    X_columns, y = data
    m = len(y)
    n_inputs, n_hidden = len(W1), len(b1)
    Z1, A1 = [], []
    Z2 = None
    for j in range(n_hidden):
        z = map(mul, X_columns[0], repeat(W1[0][j]))
        for k in range(1, n_inputs):
            z = map(add, z, map(mul, X_columns[k], repeat(W1[k][j])))
        z = list(map(add, z, repeat(b1[j])))
        a = [v if v > 0.0 else 0.0 for v in z]
        Z1.append(z)
        A1.append(a)
        term = map(mul, a, repeat(W2[j][0]))
        Z2 = term if Z2 is None else map(add, Z2, term)
    b = b2[0]
    loss, dZ2 = sigmoid_loss_gradient(Z2, y, b)
    dW2 = [dot(a, dZ2) / m for a in A1]
    dZ1 = []
    for j in range(n_hidden):
        w = W2[j][0]
        dZ1.append([d * w if z > 0.0 else 0.0 for d, z in zip(dZ2, Z1[j])])
    for k in range(n_inputs):
        x = X_columns[k]
        W1[k][:] = [w - learning_rate * (dot(x, dz) / m) for w, dz in zip(W1[k], dZ1)]
    b1[:] = [v - learning_rate * (sum(dz, 0.0) / m) for v, dz in zip(b1, dZ1)]
    for j in range(n_hidden):
        W2[j][0] = W2[j][0] - learning_rate * dW2[j]
    b2[0] = b - learning_rate * (sum(dZ2, 0.0) / m)
    return loss / m


def step_column_loops(params, data, learning_rate):
    """Samples as columns, every loop over indices: PyPy's JIT turns these into tight machine loops."""
    W1, b1, W2, b2 = params
    X_columns, y = data
    m = len(y)
    n_inputs, n_hidden = len(W1), len(b1)
    samples = range(m)
    Z1 = []
    Z2 = [0.0] * m
    for j in range(n_hidden):
        z = [0.0] * m
        for k in range(n_inputs):
            x, w = X_columns[k], W1[k][j]
            for i in samples:
                z[i] += x[i] * w
        b, w = b1[j], W2[j][0]
        for i in samples:
            v = z[i] + b
            z[i] = v
            if v > 0.0:  # A1 = relu(Z1); a zero adds nothing to Z2
                Z2[i] += v * w
        Z1.append(z)
    b = b2[0]
    loss, dZ2 = sigmoid_loss_gradient(Z2, y, b)
    db2 = 0.0
    for i in samples:
        db2 += dZ2[i]
    for j in range(n_hidden):
        z, w = Z1[j], W2[j][0]
        dz = [0.0] * m
        dw2 = db1 = 0.0
        for i in samples:
            v = z[i]
            if v > 0.0:
                d = dZ2[i]
                dw2 += v * d
                d *= w
                dz[i] = d
                db1 += d
        for k in range(n_inputs):
            x = X_columns[k]
            total = 0.0
            for i in samples:
                total += x[i] * dz[i]
            W1[k][j] = W1[k][j] - learning_rate * (total / m)
        b1[j] = b1[j] - learning_rate * (db1 / m)
        W2[j][0] = w - learning_rate * (dw2 / m)
    b2[0] = b - learning_rate * (db2 / m)
    return loss / m


def step_hybrid(params, data, learning_rate):
    """Rows forward (each ``Z1`` entry one ``math.sumprod`` over the features, with
    ``W1`` transposed), columns backward (the gradients' dot products run over samples)."""
    W1, b1, W2, b2 = params
    X, X_columns, y = data
    m = len(y)
    n_inputs, n_hidden = len(W1), len(b1)
    pairs = list(zip(transposed(W1), b1))
    Z1 = transposed([[dot(x, w) + b for w, b in pairs] for x in X])
    A1 = [[v if v > 0.0 else 0.0 for v in z] for z in Z1]
    Z2 = map(mul, A1[0], repeat(W2[0][0]))
    for j in range(1, n_hidden):
        Z2 = map(add, Z2, map(mul, A1[j], repeat(W2[j][0])))
    b = b2[0]
    loss, dZ2 = sigmoid_loss_gradient(Z2, y, b)
    dW2 = [dot(a, dZ2) / m for a in A1]
    dZ1 = []
    for j in range(n_hidden):
        w = W2[j][0]
        dZ1.append([d * w if z > 0.0 else 0.0 for d, z in zip(dZ2, Z1[j])])
    for k in range(n_inputs):
        x = X_columns[k]
        W1[k][:] = [w - learning_rate * (dot(x, dz) / m) for w, dz in zip(W1[k], dZ1)]
    b1[:] = [v - learning_rate * (sum(dz, 0.0) / m) for v, dz in zip(b1, dZ1)]
    for j in range(n_hidden):
        W2[j][0] = W2[j][0] - learning_rate * dW2[j]
    b2[0] = b - learning_rate * (sum(dZ2, 0.0) / m)
    return loss / m


def step_fused(params, data, learning_rate):
    """One loop over the samples does everything for a sample, forward and backward.

    The gradients are accumulated sample by sample, in sample order from 0.0,
    which is the order a dot product over the samples adds them in.  ``W1``
    is kept transposed (one list per hidden unit) and ``W2`` as a flat list.
    """
    W1_T, b1, w2, b2 = params
    X, y = data
    m = len(y)
    n_hidden, n_inputs = len(W1_T), len(W1_T[0])
    inputs, hidden = range(n_inputs), range(n_hidden)
    g1 = [[0.0] * n_inputs for _ in hidden]
    gb1 = [0.0] * n_hidden
    gw2 = [0.0] * n_hidden
    gb2 = loss = 0.0
    h = [0.0] * n_hidden
    b = b2[0]
    for i in range(m):
        x = X[i]
        z = 0.0
        for j in hidden:
            w = W1_T[j]
            t = 0.0
            for k in inputs:
                t += x[k] * w[k]
            t += b1[j]
            h[j] = t
            if t > 0.0:
                z += t * w2[j]
        z += b
        target = y[i]
        if z >= 0.0:
            e = exp(-z)
            a = 1.0 / (1.0 + e)
        else:
            e = exp(z)
            a = e / (1.0 + e)
        loss += (z if z > 0.0 else 0.0) - z * target + log(1.0 + e)
        dz = a - target
        gb2 += dz
        for j in hidden:
            t = h[j]
            if t > 0.0:
                gw2[j] += t * dz
                d = dz * w2[j]
                gb1[j] += d
                g = g1[j]
                for k in inputs:
                    g[k] += x[k] * d
    for j in hidden:
        w, g = W1_T[j], g1[j]
        for k in inputs:
            w[k] = w[k] - learning_rate * (g[k] / m)
        b1[j] = b1[j] - learning_rate * (gb1[j] / m)
        w2[j] = w2[j] - learning_rate * (gw2[j] / m)
    b2[0] = b - learning_rate * (gb2 / m)
    return loss / m


# (name, function, layout, available here)
STEP_VARIANTS = [
    ("rows", step_rows, "rows", True),
    ("columns", step_columns, "columns", True),
    ("col-loops", step_column_loops, "columns", True),
    ("hybrid", step_hybrid, "hybrid", SUMPROD is not None),  # its short dot products need sumprod
    ("fused", step_fused, "fused", True),
]


def step_layout(layout, params, X, y):
    """A copy of ``params`` and the data, in a variant's layout: ``(weights, data)``."""
    W1, b1, W2, b2 = [[list(row) for row in params[0]], list(params[1]),
                      [list(row) for row in params[2]], list(params[3])]
    targets = [float(label) for label in y]
    if layout == "rows":
        return [W1, b1, W2, b2], (X, [[t] for t in targets])
    if layout == "columns":
        return [W1, b1, W2, b2], (transposed(X), targets)
    if layout == "hybrid":
        return [W1, b1, W2, b2], (X, transposed(X), targets)
    return [transposed(W1), b1, [row[0] for row in W2], b2], (X, targets)  # fused


def step_weights(layout, weights):
    """A variant's weights back as ``[W1, b1, W2, b2]`` in tinynet's layout."""
    if layout == "fused":
        return [transposed(weights[0]), weights[1], [[w] for w in weights[2]], weights[3]]
    return weights


def step_variants():
    return [(name, function, layout) for name, function, layout, available in STEP_VARIANTS if available]


# --- 3. predicting one sample on bare lists ---------------------------------------------
# A forward pass for one sample ``x`` (a list), through a relu hidden layer
# and an output layer, ending in ``finish(z)``: the output layer's sigmoid or
# softmax and the label (``label_sigmoid``, ``label_softmax``), or just the
# probabilities (``probabilities_sigmoid``, ...), which the checks compare with
# tinynet's ``predict_proba``.  The weights are prepared once, in the layout
# each variant likes (``predict_layout``): ``T`` holds them transposed, one
# list per unit (``[W1.T, b1, W2.T, b2]``), ``P`` as tinynet keeps them.

def label_sigmoid(z):
    """Label 1 when ``sigmoid(z[0]) >= 0.5``, else 0."""
    z = z[0]
    if z >= 0.0:
        p = 1.0 / (1.0 + exp(-z))
    else:
        e = exp(z)
        p = e / (1.0 + e)
    return 1 if p >= 0.5 else 0


def probabilities_sigmoid(z):
    return [sigmoid(z[0])]


def probabilities_softmax(z):
    """``e**(z_j - max z) / sum_k e**(z_k - max z)``: tinynet's softmax, step for step."""
    top = max(z)
    exps = [exp(v - top) for v in z]
    total = sum(exps, 0.0)
    return [e / total for e in exps]


def label_softmax(z):
    """The most probable class (the first one on a tie), as tinynet's ``predict``."""
    probabilities = probabilities_softmax(z)
    best = 0
    for k in range(1, len(probabilities)):
        if probabilities[k] > probabilities[best]:
            best = k
    return best


def forward_sumprod(T, x, finish):
    """Transposed weights, ``math.sumprod`` for each unit (CPython 3.12+)."""
    W1_T, b1, W2_T, b2 = T
    sumprod = SUMPROD
    h = [sumprod(x, w) + b for w, b in zip(W1_T, b1)]
    h = [v if v > 0.0 else 0.0 for v in h]
    return finish([sumprod(h, w) + b for w, b in zip(W2_T, b2)])


def forward_map(T, x, finish):
    """Transposed weights, ``sum(map(mul, ...))`` for each unit."""
    W1_T, b1, W2_T, b2 = T
    h = [sum(map(mul, x, w)) + b for w, b in zip(W1_T, b1)]
    h = [v if v > 0.0 else 0.0 for v in h]
    return finish([sum(map(mul, h, w)) + b for w, b in zip(W2_T, b2)])


def forward_loops(T, x, finish):
    """Transposed ``W1``, index loops; each positive hidden unit is added straight
    into the outputs (row-major ``W2``), so the zeros of relu cost nothing."""
    W1_T, b1, W2, b2 = T
    inputs = range(len(x))
    outputs = range(len(b2))
    z = [0.0] * len(b2)
    for j in range(len(W1_T)):
        w = W1_T[j]
        t = 0.0
        for k in inputs:
            t += x[k] * w[k]
        t += b1[j]
        if t > 0.0:
            row = W2[j]
            for o in outputs:
                z[o] += t * row[o]
    for o in outputs:
        z[o] += b2[o]
    return finish(z)


def forward_zip(T, x, finish):
    """Transposed weights, loops over ``zip``."""
    W1_T, b1, W2_T, b2 = T
    h = []
    for w, b in zip(W1_T, b1):
        t = 0.0
        for a, c in zip(x, w):
            t += a * c
        t += b
        h.append(t if t > 0.0 else 0.0)
    z = []
    for w, b in zip(W2_T, b2):
        t = 0.0
        for a, c in zip(h, w):
            t += a * c
        z.append(t + b)
    return finish(z)


def forward_axpy(P, x, finish):
    """Row-major weights, as tinynet keeps them: ``z += x[k] * (row k of W)``."""
    W1, b1, W2, b2 = P
    hidden = range(len(b1))
    h = [0.0] * len(b1)
    for a, row in zip(x, W1):
        for j in hidden:
            h[j] += a * row[j]
    outputs = range(len(b2))
    z = [0.0] * len(b2)
    for t, b, row in zip(h, b1, W2):
        t += b
        if t > 0.0:
            for o in outputs:
                z[o] += t * row[o]
    return finish([v + b for v, b in zip(z, b2)])


def make_unrolled(n_inputs, n_hidden, n_outputs, finish):
    """Straight-line code for one shape, as one would write it by hand for a small layer.

    The weights are still read from the lists ``T`` on every call (so changing
    them is honoured): only the loops are gone.  Each sum is written left to
    right, ``x0 * w[0] + x1 * w[1] + ... + b``, the order of a dot product.
    For a sigmoid output the label is worked out inline.
    """
    xs = ["x%d" % k for k in range(n_inputs)]
    lines = ["def forward(T, x):",
             "    W1_T, b1, W2_T, b2 = T",
             "    %s, = x" % ", ".join(xs)]
    for j in range(n_hidden):
        lines.append("    w = W1_T[%d]" % j)
        lines.append("    t = %s + b1[%d]" % (" + ".join("%s * w[%d]" % (x, k) for k, x in enumerate(xs)), j))
        lines.append("    h%d = t if t > 0.0 else 0.0" % j)
    for o in range(n_outputs):
        lines.append("    w = W2_T[%d]" % o)
        lines.append("    z%d = %s + b2[%d]" % (o, " + ".join("h%d * w[%d]" % (j, j) for j in range(n_hidden)), o))
    if finish is label_sigmoid:
        lines += ["    if z0 >= 0.0:",
                  "        p = 1.0 / (1.0 + exp(-z0))",
                  "    else:",
                  "        e = exp(z0)",
                  "        p = e / (1.0 + e)",
                  "    return 1 if p >= 0.5 else 0"]
    else:
        lines.append("    return finish([%s])" % ", ".join("z%d" % o for o in range(n_outputs)))
    namespace = {"exp": exp, "finish": finish}
    exec("\n".join(lines), namespace)
    return namespace["forward"]


# (name, function, layout, available here)
PREDICT_VARIANTS = [
    ("sumprod", forward_sumprod, "transposed", SUMPROD is not None),
    ("map", forward_map, "transposed", True),
    ("loops", forward_loops, "loops", True),
    ("zip", forward_zip, "transposed", True),
    ("axpy", forward_axpy, "rows", True),
    ("unrolled", None, "transposed", True),  # made per shape by make_unrolled
]


def predict_layout(layout, params):
    W1, b1, W2, b2 = [[list(row) for row in params[0]], list(params[1]),
                      [list(row) for row in params[2]], list(params[3])]
    if layout == "transposed":
        return [transposed(W1), b1, transposed(W2), b2]
    if layout == "loops":
        return [transposed(W1), b1, W2, b2]
    return [W1, b1, W2, b2]


def bare_predictors(params, layers, finish, x):
    """``[(name, call)]``: ``call()`` runs one variant on the sample ``x``, ending in
    ``finish``, with its weights made from ``params`` beforehand, in its layout."""
    result = []
    for name, function, layout, available in PREDICT_VARIANTS:
        if not available or (name == "unrolled" and layers[0] > UNROLL_LIMIT):
            continue
        weights = predict_layout(layout, params)
        if name == "unrolled":
            unrolled = make_unrolled(layers[0], layers[1], layers[2], finish)
            result.append((name, lambda unrolled=unrolled, weights=weights: unrolled(weights, x)))
        else:
            result.append((name, lambda function=function, weights=weights: function(weights, x, finish)))
    return result


# --- NumPy, as a reference only ---------------------------------------------------------

def load_numpy(allowed):
    """NumPy, single-threaded, or None.

    One thread, because CPU time is what is measured: a multi-threaded BLAS
    keeps its worker threads spinning for a while after each call, and that
    time would be billed to whichever case happens to run next.
    """
    if not allowed:
        return None
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    try:
        import numpy
    except ImportError:
        return None
    return numpy


def numpy_params(np, params):
    return [np.array(params[0]), np.array(params[1]), np.array(params[2]), np.array(params[3])]


def numpy_step(np, params, X, Y, learning_rate):
    """The same step as the bare variants with NumPy arrays (updated in place)."""
    W1, b1, W2, b2 = params
    m = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0.0)
    Z2 = A1 @ W2 + b2
    A2 = 1.0 / (1.0 + np.exp(-Z2))
    loss = float(np.sum(np.maximum(Z2, 0.0) - Z2 * Y + np.log(1.0 + np.exp(-np.abs(Z2))))) / m
    dZ2 = A2 - Y
    dW2 = A1.T @ dZ2 / m
    db2 = dZ2.sum(axis=0) / m
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0.0)
    dW1 = X.T @ dZ1 / m
    db1 = dZ1.sum(axis=0) / m
    W1 -= learning_rate * dW1
    b1 -= learning_rate * db1
    W2 -= learning_rate * dW2
    b2 -= learning_rate * db2
    return loss


def numpy_predict_proba(np, params, rows):
    """NumPy's forward pass on a list of rows (converting the list is part of the cost)."""
    W1, b1, W2, b2 = params
    X = np.asarray(rows, dtype=float)
    Z = np.maximum(X @ W1 + b1, 0.0) @ W2 + b2
    if Z.shape[1] == 1:
        return 1.0 / (1.0 + np.exp(-Z))
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def numpy_predict(np, params, rows):
    P = numpy_predict_proba(np, params, rows)
    if P.shape[1] == 1:
        return (P[:, 0] >= 0.5).astype(int)
    return P.argmax(axis=1)


# --- checks -------------------------------------------------------------------------

def assert_close(expected, got, tolerance, what):
    """Raise unless every entry agrees to ``tolerance`` (relative to the entry's size, at least 1)."""
    worst = max_difference(expected, got)
    if not worst <= tolerance:
        raise AssertionError("%s differs by %r (tolerance %r)" % (what, worst, tolerance))


def max_difference(expected, got):
    """The largest ``|a - b| / max(1, |a|)`` over two equally shaped nested lists."""
    if not isinstance(expected, (list, tuple)):
        return abs(expected - got) / max(1.0, abs(expected))
    if len(expected) != len(got):
        return math.inf
    worst = 0.0
    for a, b in zip(expected, got):
        worst = max(worst, max_difference(a, b))
    return worst


def check_step(layers, n_samples, numpy_module=None):
    """One step by tinynet and by every bare variant (and NumPy): how far apart they end up.

    Returns tinynet's loss and ``{variant: (loss difference, largest weight
    difference)}``, all from the same initial weights and data.
    """
    X, y = sample_data(n_samples, layers[0])
    net = fresh_net(layers)
    start = bare_params(net)
    loss = net._train_step(Matrix(X), Matrix([[float(label)] for label in y]), 0)
    tinynet_after = bare_params(net)
    result = {}
    for name, function, layout in step_variants():
        weights, data = step_layout(layout, start, X, y)
        bare_loss = function(weights, data, LEARNING_RATE)
        result[name] = (abs(bare_loss - loss), max_difference(tinynet_after, step_weights(layout, weights)))
    if numpy_module is not None:
        np = numpy_module
        arrays = numpy_params(np, start)
        numpy_loss = numpy_step(np, arrays, np.array(X), np.array([[float(label)] for label in y]),
                                LEARNING_RATE)
        result["numpy"] = (abs(numpy_loss - loss), max_difference(tinynet_after, [p.tolist() for p in arrays]))
    return loss, result


def check_predict(layers, n_samples=6):
    """Every bare forward pass against tinynet on a few samples: the largest difference
    of the probabilities, and whether every label agreed (raises if one did not)."""
    X, _ = sample_data(n_samples, layers[0], seed=11)
    net = fresh_net(layers)
    params = bare_params(net)
    softmax = layers[-1] > 1
    probabilities = probabilities_softmax if softmax else probabilities_sigmoid
    label = label_softmax if softmax else label_sigmoid
    worst = {}
    for x in X:
        expected_p = net.predict_proba([x]).rows[0]
        expected_label = net.predict([x])[0]
        for (name, proba), (_, predict) in zip(bare_predictors(params, layers, probabilities, x),
                                               bare_predictors(params, layers, label, x)):
            worst[name] = max(worst.get(name, 0.0), max_difference(expected_p, proba()))
            if predict() != expected_label:
                raise AssertionError("%s predicts %r for %r, tinynet %r" % (name, predict(), x, expected_label))
    return worst


# --- the sections ---------------------------------------------------------------------

def header(settings):
    implementation = sys.implementation.name
    print("tinynet benchmark")
    print("interpreter : %s %s" % (implementation, sys.version.replace("\n", " ")))
    print("executable  : %s" % sys.executable)
    print("date        : %s" % time.strftime("%Y-%m-%d %H:%M:%S"))
    print("cpu_count   : %s" % os.cpu_count())
    print("kernel      : tinynet.kernels.KERNEL = %r" % kernels.KERNEL)
    timer = "time.process_time (CPU time)" if clock is not time.time else "time.time (wall clock)"
    print("method      : %s; %d round(s), cases interleaved; medians over rounds;" % (timer, settings.rounds))
    print("              ratios are taken within each round, then the median%s"
          % (" [--quick: one call per timing, numbers are not meaningful]" if settings.quick else ""))
    if settings.jit_calls:
        print("              every case first called %d times (or %.0f s) to let the JIT compile it"
              % (settings.jit_calls, settings.jit_seconds))
    if settings.numpy is not None:
        print("numpy       : %s, single-threaded (a reference column only; tinynet never uses it)"
              % settings.numpy.__version__)
    else:
        print("numpy       : not used (not importable, or --no-numpy)")
    print()


def warm_up(idioms, settings):
    """Run every version over the shapes of a training step before anything is timed.

    In real use one kernel serves every product a network needs.  That matters
    on PyPy: the machine code its JIT makes for a Python loop depends on the
    shapes the loop has met, and a loop that has only ever seen one shape can
    be several times faster than the same loop in a working network.

    Even after the same warm-up, PyPy 7.3.11 ran the index-loop product three
    to four times slower in this script (64x64 @ 64x64: 2.9-3.4 ms) than the
    same source in a small script of its own (0.6-0.9 ms), while
    ``sum(map(mul))`` ran alike in both; we did not find out why.  The loop
    figures here are what loops do inside a larger program, not their best.
    """
    for n, k, m in STEP_SHAPES + MATMUL_SHAPES:
        a = Matrix.random_normal(n, k, seed=3).tolist()
        b = Matrix.random_normal(k, m, seed=4).tolist()
        A, B = Matrix(a), Matrix(b)
        for _ in range(1 if settings.quick else 10):
            A @ B
            for _, function in idioms:
                function(a, b)


def section_matmul(settings):
    """1. Matrix @ Matrix against every bare-list idiom available here."""
    np = settings.numpy
    idioms = [(name, function) for name, function, available in IDIOMS if available]
    names = [name for name, _ in idioms]
    print("1. Matrix @ Matrix: time per product (tinynet / fastest bare idiom), after every")
    print("   version has first multiplied all the shapes below and those of the training steps in 2")
    warm_up(idioms, settings)
    rows = []
    wins = {}
    for n, k, m in MATMUL_SHAPES:
        a = Matrix.random_normal(n, k, seed=1).tolist()
        b = Matrix.random_normal(k, m, seed=2).tolist()
        A, B = Matrix(a), Matrix(b)
        cases = [("tinynet", lambda: A @ B)]
        for name, function in idioms:
            cases.append((name, lambda function=function: function(a, b)))
        if np is not None:
            a_np, b_np = np.array(a), np.array(b)
            cases.append(("numpy", lambda: a_np @ b_np))
        # Same numbers from every version, before timing them.
        reference = (A @ B).rows
        for name, function in idioms:
            assert_close(reference, function(a, b), 1e-12, "%s product at %dx%d@%dx%d" % (name, n, k, k, m))
        times = compare(cases, settings)
        best = fastest(times, names)
        wins[best] = wins.get(best, 0) + 1
        row = ["%dx%d @ %dx%d" % (n, k, k, m), show_time(median(times["tinynet"]))]
        row += [show_time(median(times[name])) for name in names]
        if np is not None:
            row.append(show_time(median(times["numpy"])))
        row += [show_paired(times, "tinynet", best, settings), best]
        if np is not None:
            row.append(show_ratio(ratio(times, "tinynet", "numpy")))
        rows.append(row)
    head = ["shape", "tinynet"] + names
    head += ["numpy"] if np is not None else []
    head += ["tinynet/bare", "fastest bare"]
    head += ["tinynet/numpy"] if np is not None else []
    print_table(head, rows)
    summary = ", ".join("%s at %d of %d shapes" % (name, count, len(MATMUL_SHAPES))
                        for name, count in sorted(wins.items(), key=lambda item: -item[1]))
    verdict = "agrees" if wins.get(kernels.KERNEL, 0) == max(wins.values()) else "DISAGREES"
    print("fastest bare idiom here: %s; tinynet.kernels chose %r: %s" % (summary, kernels.KERNEL, verdict))
    print()


def step_cases(layers, n_samples, settings, variants=None):
    """The (name, function) pairs that each run one training step, on their own weights."""
    X, y = sample_data(n_samples, layers[0])
    net = fresh_net(layers)
    params = bare_params(net)
    X_matrix, Y_matrix = Matrix(X), Matrix([[float(label)] for label in y])
    cases = [("tinynet", lambda: net._train_step(X_matrix, Y_matrix, 0))]
    for name, function, layout in step_variants():
        if variants is None or name in variants:
            weights, data = step_layout(layout, params, X, y)
            cases.append((name, lambda function=function, weights=weights, data=data:
                          function(weights, data, LEARNING_RATE)))
    np = settings.numpy
    if np is not None:
        arrays = numpy_params(np, params)
        X_np, Y_np = np.array(X), np.array([[float(label)] for label in y])
        cases.append(("numpy", lambda: numpy_step(np, arrays, X_np, Y_np, LEARNING_RATE)))
    return cases


def section_step(settings):
    """2. One full-batch training step against every bare-list step."""
    np = settings.numpy
    names = [name for name, _, _ in step_variants()]
    print("2. One full-batch training step (forward, loss, backward, gd update); relu hidden,")
    print("   sigmoid output, binary cross-entropy.  Bare layouts: rows = samples as rows, with")
    print("   the %s product; columns = one list per feature, loops in built-ins; col-loops = the"
          % expected_idiom())
    print("   same with index loops; hybrid = rows forward, columns backward; fused = one loop per sample")
    for layers, n_samples in STEP_CASES:
        loss, differences = check_step(layers, n_samples, np)
        for name in names + (["numpy"] if np is not None else []):
            loss_difference, weight_difference = differences[name]
            if not (loss_difference <= 1e-12 and weight_difference <= 1e-12):
                raise AssertionError("%s step disagrees with tinynet on %r: loss by %r, weights by %r"
                                     % (name, layers, loss_difference, weight_difference))
            print("   check %-12s %-9s same loss (%.15f, |difference| %.1e), same weights (max %.1e)"
                  % (str(layers), name, loss, loss_difference, weight_difference))
    print()
    rows = []
    for layers, n_samples in STEP_CASES:
        times = compare(step_cases(layers, n_samples, settings), settings)
        best = fastest(times, names)
        row = ["%s, %d samples" % (layers, n_samples), show_time(median(times["tinynet"]))]
        row += [show_time(median(times[name])) for name in names]
        if np is not None:
            row.append(show_time(median(times["numpy"])))
        row += [show_paired(times, "tinynet", best, settings), best]
        row.append(show_ratio(ratio(times, "tinynet", "rows")))
        if np is not None:
            row.append(show_ratio(ratio(times, "tinynet", "numpy")))
        rows.append(row)
    head = ["network", "tinynet"] + names + (["numpy"] if np is not None else [])
    head += ["tinynet/bare", "fastest bare", "tinynet/rows"]
    head += ["tinynet/numpy"] if np is not None else []
    print_table(head, rows)


def section_predict(settings):
    """3. Latency of predicting one sample given as a plain list."""
    np = settings.numpy
    print("3. Predicting one sample (a plain list in, a label out); relu hidden layer, sigmoid")
    print("   output (softmax for 10 outputs), computed by every bare variant: sumprod/map/zip =")
    print("   transposed weights with that dot product; loops = index loops; axpy = row-major")
    print("   weights; unrolled = straight-line code per shape (up to %d inputs)" % UNROLL_LIMIT)
    for layers in PREDICT_LAYERS:
        worst = check_predict(layers)
        print("   check %-13s same labels; probabilities within %.1e" % (layers, max(worst.values())))
    print()
    all_names = [name for name, _, _, available in PREDICT_VARIANTS if available]
    time_rows, summary = [], []
    for layers in PREDICT_LAYERS:
        X, _ = sample_data(1, layers[0], seed=11)
        sample = X[0]
        net = fresh_net(layers)
        params = bare_params(net)
        label = label_softmax if layers[-1] > 1 else label_sigmoid
        bare = bare_predictors(params, layers, label, sample)
        names = [name for name, _ in bare]
        cases = [("predict", lambda: net.predict([sample])),
                 ("predict_proba", lambda: net.predict_proba([sample]))] + bare
        if np is not None:
            arrays = numpy_params(np, params)
            assert numpy_predict(np, arrays, [sample]).tolist() == net.predict([sample])
            cases.append(("numpy", lambda: numpy_predict(np, arrays, [sample])))
        times = compare(cases, settings)
        best = fastest(times, names)
        time_rows.append([str(layers)] + [show_time(median(times[name])) if name in times else "-"
                                          for name in ["predict", "predict_proba"] + all_names]
                         + ([show_time(median(times["numpy"]))] if np is not None else []))
        loop_names = [name for name in names if name != "unrolled"]
        row = [str(layers), show_time(median(times["predict"])), best, show_paired(times, "predict", best, settings),
               show_ratio(ratio(times, "predict", fastest(times, loop_names)))]
        if np is not None:
            row.append(show_ratio(ratio(times, "predict", "numpy")))
        summary.append(row)
    head = ["network", "predict", "predict_proba"] + all_names + (["numpy"] if np is not None else [])
    print_table(head, time_rows)
    head = ["network", "predict", "fastest bare", "predict/bare", "predict/bare without unrolled"]
    head += ["predict/numpy"] if np is not None else []
    print_table(head, summary)


def child_cpu_seconds(arguments, environment):
    """CPU time (user + system) of a fresh interpreter run with ``arguments`` in the repository root."""
    try:
        import resource
    except ImportError:
        resource = None
    if resource is not None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
    else:
        before_times = os.times()
    subprocess.run([sys.executable] + arguments, cwd=ROOT, env=environment, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if resource is not None:
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    after_times = os.times()  # only 10 ms resolution on most systems
    return ((after_times.children_user - before_times.children_user)
            + (after_times.children_system - before_times.children_system))


def section_import(settings):
    """4. The CPU cost of starting an interpreter that imports tinynet.

    Compiled bytecode is kept, as it is after an install, but in a temporary
    directory (``PYTHONPYCACHEPREFIX``) so the checkout is left untouched; a
    PYTHONDONTWRITEBYTECODE in the environment would otherwise make every
    run compile tinynet from source.  The ``-S`` rows leave out the ``site``
    module, and with it whatever ``.pth`` files in site-packages import at
    start-up, which can make ``pass`` itself expensive.
    """
    print("4. Import cost: CPU time of a fresh interpreter (median of %d runs, interleaved;"
          % settings.import_runs)
    print("   bytecode cached in a temporary PYTHONPYCACHEPREFIX, as after an install)")
    cache = tempfile.mkdtemp(prefix="tinynet-benchmark-")
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment["PYTHONPYCACHEPREFIX"] = cache
    runs = [  # (name, arguments, the run it is compared with)
        ("-c pass", ["-c", "pass"], "-c pass"),
        ("-c 'import tinynet'", ["-c", "import tinynet"], "-c pass"),
        ("-c 'from tinynet.network import NeuralNet'",
         ["-c", "from tinynet.network import NeuralNet"], "-c pass"),
        ("-S -c pass", ["-S", "-c", "pass"], "-S -c pass"),
        ("-S -c 'import tinynet'", ["-S", "-c", "import tinynet"], "-S -c pass"),
    ]
    try:
        for _, arguments, _ in runs:
            child_cpu_seconds(arguments, environment)  # fills the bytecode cache
        times = {name: [] for name, _, _ in runs}
        for run in range(settings.import_runs):
            for i in range(len(runs)):
                name, arguments, _ = runs[(i + run) % len(runs)]
                times[name].append(child_cpu_seconds(arguments, environment))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    rows = []
    for name, _, baseline in runs:
        rows.append([name, show_time(median(times[name])), show_ratio(ratio(times, name, baseline))])
    print_table(["%s ..." % os.path.basename(sys.executable), "CPU time", "vs pass"], rows)


def section_scaling(settings):
    """6. Training-step time as the samples and the hidden width grow.

    Against the layouts that scale (columns, col-loops, hybrid, fused), and
    with at most three rounds: the largest step takes seconds.
    """
    sizes = (100, 1000) if settings.quick else (100, 1000, 10000)
    widths = (8, 32) if settings.quick else (8, 32, 128)
    contenders = ("columns", "col-loops", "hybrid", "fused")
    print("6. Scaling: one training step of [13, h, 1] on n samples, tinynet (tinynet / fastest of")
    print("   the bare %s, at most 3 rounds)" % ", ".join(contenders))
    without_numpy = Settings(settings.quick, settings.rounds, None)
    rows = []
    for n_samples in sizes:
        row = ["n = %d" % n_samples]
        for width in widths:
            cases = step_cases([13, width, 1], n_samples, without_numpy, contenders)
            times = compare(cases, settings, rounds=min(settings.rounds, 3))
            best = fastest(times, [name for name, _ in cases[1:]])
            row.append("%s (%s %s)" % (show_time(median(times["tinynet"])),
                                       show_ratio(ratio(times, "tinynet", best)), best))
        rows.append(row)
    print_table([""] + ["h = %d" % width for width in widths], rows)


def digits_like(n_samples, seed=5):
    """Rows shaped like scikit-learn's digits: 64 pixels from 0 to 16, labels 0..9.

    Each class has its own mean image; a row is that image plus noise,
    clipped to [0, 16], so the classes can be learnt, as real digits can.
    """
    rng = Random(seed)
    means = [[rng.uniform(0.0, 16.0) for _ in range(64)] for _ in range(10)]
    X, y = [], []
    for i in range(n_samples):
        label = i % 10
        X.append([min(16.0, max(0.0, v + rng.normal(0.0, 4.0))) for v in means[label]])
        y.append(label)
    return X, y


def section_digits(settings):
    """7. A digits-sized fit, tinynet alone: [64, 32, 10], adam, batches of 32."""
    n_samples, epochs = (200, 2) if settings.quick else (1437, 30)
    X, y = digits_like(n_samples)
    net = NeuralNet(layers=[64, 32, 10], learning_rate=0.001, iterations=epochs, optimizer="adam",
                    batch_size=32, seed=1)
    with warnings.catch_warnings():  # a ConvergenceWarning would only interrupt the table
        warnings.simplefilter("ignore")
        start = clock()
        net.fit(X, y)
        seconds = clock() - start
    print("7. Digits-sized training: [64, 32, 10] on %d synthetic rows, adam, batch 32, %d epochs"
          % (n_samples, epochs))
    print_table(["fit", "CPU time", "per epoch", "training accuracy"],
                [["tinynet", show_time(seconds), show_time(seconds / epochs), "%.3f" % net.score(X, y)]])


def parse_arguments(argv):
    quick, rounds, use_numpy, sections = False, None, True, (1, 2, 3, 4, 5, 6)
    digits = spread = False
    arguments = list(argv)
    while arguments:
        argument = arguments.pop(0)
        if argument == "--quick":
            quick = True
        elif argument == "--no-numpy":
            use_numpy = False
        elif argument == "--digits":
            digits = True
        elif argument == "--spread":
            spread = True
        elif argument == "--rounds" and arguments:
            rounds = int(arguments.pop(0))
        elif argument.startswith("--rounds="):
            rounds = int(argument.split("=", 1)[1])
        elif argument == "--sections" and arguments:
            sections = tuple(int(part) for part in arguments.pop(0).split(","))
        elif argument in ("-h", "--help"):
            print(__doc__)
            sys.exit(0)
        else:
            sys.exit("benchmark.py: unknown argument %r (try --help)" % argument)
    if rounds is None:
        rounds = 1 if quick else 9
    if rounds < 1:
        sys.exit("benchmark.py: --rounds needs a number >= 1")
    if digits and 7 not in sections:
        sections = tuple(sections) + (7,)
    return Settings(quick, rounds, load_numpy(use_numpy), sections, digits, spread)


def main(argv):
    settings = parse_arguments(argv)
    header(settings)
    sections = settings.sections
    if 1 in sections:
        section_matmul(settings)
    if 2 in sections:
        section_step(settings)
    if 3 in sections:
        section_predict(settings)
    if 4 in sections:
        section_import(settings)
    if 5 in sections:
        if settings.numpy is not None:
            print("5. NumPy %s: shown as the numpy columns of 1 to 3" % settings.numpy.__version__)
        else:
            print("5. NumPy: not importable here (or --no-numpy), so no numpy columns")
        print()
    if 6 in sections:
        section_scaling(settings)
    if 7 in sections:
        section_digits(settings)


if __name__ == "__main__":
    main(sys.argv[1:])

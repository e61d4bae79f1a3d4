"""How fast is tinynet?  A benchmark against bare Python lists (and NumPy, if present).

Run it from a checkout; nothing needs installing (the repository root is put
on ``sys.path``)::

    python3 examples/benchmark.py              # the full run: a few minutes
    python3 examples/benchmark.py --quick      # seconds: one call per case, small sizes
    python3 examples/benchmark.py --rounds 11  # more rounds, steadier medians
    python3 examples/benchmark.py --no-numpy   # leave NumPy out even if it is installed
    python3 examples/benchmark.py --sections 1,3   # only some of the sections below

It needs CPython 3.8+ or PyPy.  MicroPython has no ``time.process_time`` and
no ``subprocess``, so it is not supported here (``tinynet/kernels.py`` quotes
what was measured there by hand).

What is compared
----------------
1. ``A @ B`` on Matrix objects against the same product on bare lists, in
   every idiom that ``tinynet.kernels`` chooses between, so the choice it
   made for this interpreter can be checked.  Every bare version transposes
   its right operand first, as tinynet does.
2. One full-batch training step (forward, backward, gradient-descent update)
   of a relu/sigmoid network with binary cross-entropy, against the same
   maths written by hand on bare lists.  Both are checked to give the same
   loss and the same updated weights before anything is timed.
3. How long predicting one sample takes.
4. The CPU cost of ``import tinynet`` in a fresh process.
5. NumPy, if it can be imported, as a reference column in 1 to 3.  It is
   never needed: without it those columns are left out.
6. How the training step scales with the number of samples and the width
   of the hidden layer.

How it measures
---------------
Machines are shared and noisy, so:

* time is the process's CPU time (``time.process_time``), not wall-clock time;
* the cases that are compared run interleaved, in rounds, in one process (each
  round in a rotated order), so a slow moment of the machine hits them all;
* each case is first called until one timing lasts long enough to measure,
  which also warms up PyPy's JIT;
* the report gives the median over rounds, and ratios (``tinynet / bare``)
  are taken inside each round before the median is taken.

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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tinynet import Matrix, Random, kernels  # noqa: E402
from tinynet.network import NeuralNet  # noqa: E402

# CPU time of this process; wall-clock time only where there is nothing better.
clock = getattr(time, "process_time", time.time)

MATMUL_SHAPES = [(1, 2, 5), (303, 13, 8), (64, 64, 64), (256, 128, 64)]  # (n, k, m): n x k @ k x m
# The products in one training step of [13, 8, 1] on 303 samples and of [2, 5, 1] on 1000.
STEP_SHAPES = [(303, 13, 8), (303, 8, 1), (8, 303, 1), (303, 1, 8), (13, 303, 8),
               (1000, 2, 5), (1000, 5, 1), (5, 1000, 1), (1000, 1, 5), (2, 1000, 5)]
STEP_CASES = [([13, 8, 1], 303), ([2, 5, 1], 1000)]  # (layers, samples)
PREDICT_LAYERS = [[2, 5, 1], [13, 8, 1], [64, 32, 1]]
LEARNING_RATE = 0.01


# --- measuring ----------------------------------------------------------------------

class Settings:
    """How hard to measure: rounds per comparison and the CPU time of one timing."""

    def __init__(self, quick, rounds, numpy_module, sections=(1, 2, 3, 4, 5, 6)):
        self.quick = quick
        self.sections = sections
        self.rounds = rounds
        self.target = 0.0 if quick else 0.04  # seconds; 0 means a single call per timing
        self.import_runs = 1 if quick else 15
        self.numpy = numpy_module


def make_timer(function):
    """A ``timeit.Timer`` that calls ``function`` and reads the CPU clock.

    ``timeit`` compiles a fresh timing loop for every Timer, which matters on
    PyPy: a single loop shared by all the cases would be traced by the JIT
    for whichever case came first and then slowed down the others.  The
    garbage collector stays on (timeit turns it off by default), because
    collecting is part of what a real computation costs.
    """
    return timeit.Timer(function, setup="gc.enable()", timer=clock)


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


def compare(cases, settings):
    """Time ``cases`` (a list of ``(name, function)``) interleaved in rounds.

    Returns ``{name: [seconds per call in round 1, round 2, ...]}``.
    """
    timers = [make_timer(function) for _, function in cases]
    calls = [calls_needed(timer, settings.target) for timer in timers]
    times = {name: [] for name, _ in cases}
    count = len(cases)
    for round_number in range(settings.rounds):
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


def ratio(times, numerator, denominator):
    """Median over rounds of ``numerator / denominator``, each pair timed in the same round."""
    return median([a / b for a, b in zip(times[numerator], times[denominator]) if b > 0.0])


def show_time(seconds):
    if seconds != seconds:  # NaN: not measured
        return "-"
    if seconds < 1e-3:
        return "%.1f us" % (seconds * 1e6)
    if seconds < 1.0:
        return "%.2f ms" % (seconds * 1e3)
    return "%.2f s" % seconds


def show_ratio(value):
    return "-" if value != value else "%.2fx" % value


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
    """A relu/sigmoid network with its initial weights and plain gradient descent."""
    net = NeuralNet(layers=layers, learning_rate=LEARNING_RATE, activation="relu",
                    output="sigmoid", optimizer="gd", seed=seed)
    net.init_weights()
    return net


def bare_params(net):
    """The network's weights as bare lists: ``[W1, b1, W2, b2]``."""
    return [net.params["W1"].tolist(), net.params["b1"].tolist(),
            net.params["W2"].tolist(), net.params["b2"].tolist()]


# --- 1. the bare-list matrix products, one per idiom -------------------------------
# Each takes two lists of rows and transposes the right operand, as tinynet does,
# because every fast dot product walks a row and a column side by side.

def product_sumprod(a, b):
    """CPython 3.12+: ``math.sumprod`` does the whole dot product in C."""
    columns = list(zip(*b))
    sumprod = math.sumprod
    return [[sumprod(row, col) for col in columns] for row in a]


def product_map(a, b):
    """CPython < 3.12 and PyPy: ``sum(map(operator.mul, row, col))``, a loop inside built-ins."""
    columns = list(zip(*b))
    mul = operator.mul
    return [[sum(map(mul, row, col)) for col in columns] for row in a]


def product_zip(a, b):
    """Plain loops over ``zip``: fast on PyPy for a single shape, less so once mixed."""
    columns = list(zip(*b))
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
    """MicroPython: loops over indices (its ``zip`` is slow and ``operator.mul`` missing)."""
    columns = list(zip(*b))
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


IDIOMS = [
    ("sumprod", product_sumprod, hasattr(math, "sumprod")),
    ("map", product_map, hasattr(operator, "mul")),
    ("zip", product_zip, True),
    ("indexed", product_indexed, True),
]


def expected_idiom():
    """The idiom this interpreter should find fastest (and tinynet.kernels should pick)."""
    name = sys.implementation.name
    if name == "micropython":
        return "indexed"
    if name == "pypy":
        return "map"
    if hasattr(math, "sumprod"):
        return "sumprod"
    return "map"


def idiom_function(name):
    for idiom, function, available in IDIOMS:
        if idiom == name and available:
            return function
    raise ValueError("idiom %r is not available here" % name)


# --- 2. one training step on bare lists ------------------------------------------------

def sigmoid(z):
    """The logistic function, never exponentiating a large positive number."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def bare_step(params, X, y_rows, learning_rate, product):
    """One gradient-descent step of a one-hidden-layer relu/sigmoid network.

    ``params`` is ``[W1, b1, W2, b2]`` as bare lists, updated in place;
    ``product(a, b)`` is a bare-list ``a @ b``.  Returns the loss before the update.
    """
    W1, b1, W2, b2 = params
    m = len(X)
    # Forward: Z1 = X @ W1 + b1, A1 = relu(Z1), Z2 = A1 @ W2 + b2, A2 = sigmoid(Z2).
    Z1 = [[z + b for z, b in zip(row, b1)] for row in product(X, W1)]
    A1 = [[z if z > 0.0 else 0.0 for z in row] for row in Z1]
    Z2 = [[z + b for z, b in zip(row, b2)] for row in product(A1, W2)]
    A2 = [[sigmoid(z) for z in row] for row in Z2]
    # Binary cross-entropy from Z: max(z, 0) - z y + log(1 + e**-|z|), mean over samples.
    log, exp = math.log, math.exp
    loss = 0.0
    for z_row, y_row in zip(Z2, y_rows):
        for z, y in zip(z_row, y_row):
            loss += (z if z > 0.0 else 0.0) - z * y + log(1.0 + exp(-abs(z)))
    loss /= m
    # Backward: dZ2 = A2 - Y, dW2 = A1.T @ dZ2 / m, db2 = column sums of dZ2 / m,
    # dA1 = dZ2 @ W2.T, dZ1 = dA1 where Z1 > 0 (else 0), dW1 = X.T @ dZ1 / m.
    dZ2 = [[a - y for a, y in zip(a_row, y_row)] for a_row, y_row in zip(A2, y_rows)]
    dW2 = [[g / m for g in row] for row in product(list(zip(*A1)), dZ2)]
    db2 = [sum(col, 0.0) / m for col in zip(*dZ2)]
    dA1 = product(dZ2, list(zip(*W2)))
    dZ1 = [[d if z > 0.0 else 0.0 for d, z in zip(d_row, z_row)] for d_row, z_row in zip(dA1, Z1)]
    dW1 = [[g / m for g in row] for row in product(list(zip(*X)), dZ1)]
    db1 = [sum(col, 0.0) / m for col in zip(*dZ1)]
    # Update: W -= learning_rate * dW, in place.
    for W, dW in ((W1, dW1), (W2, dW2)):
        for w_row, g_row in zip(W, dW):
            w_row[:] = [w - learning_rate * g for w, g in zip(w_row, g_row)]
    for b, db in ((b1, db1), (b2, db2)):
        b[:] = [v - learning_rate * g for v, g in zip(b, db)]
    return loss


def bare_predict_proba(params, rows, product):
    """The forward pass alone: the sigmoid output for each row."""
    W1, b1, W2, b2 = params
    A1 = [[z + b if z + b > 0.0 else 0.0 for z, b in zip(row, b1)] for row in product(rows, W1)]
    return [[sigmoid(z + b) for z, b in zip(row, b2)] for row in product(A1, W2)]


def bare_predict(params, rows, product):
    return [1 if row[0] >= 0.5 else 0 for row in bare_predict_proba(params, rows, product)]


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
    """The same step as ``bare_step`` with NumPy arrays (updated in place)."""
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
    return 1.0 / (1.0 + np.exp(-(np.maximum(X @ W1 + b1, 0.0) @ W2 + b2)))


def numpy_predict(np, params, rows):
    return (numpy_predict_proba(np, params, rows)[:, 0] >= 0.5).astype(int)


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
    """
    for n, k, m in STEP_SHAPES:
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
    print("1. Matrix @ Matrix: time per product (tinynet / fastest bare idiom), after every")
    print("   version has first multiplied the shapes of the training steps in 2")
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
        fastest = min((median(times[name]), name) for name, _ in idioms)[1]
        wins[fastest] = wins.get(fastest, 0) + 1
        row = ["%dx%d @ %dx%d" % (n, k, k, m), show_time(median(times["tinynet"]))]
        row += [show_time(median(times[name])) for name, _ in idioms]
        if np is not None:
            row.append(show_time(median(times["numpy"])))
        row += [show_ratio(ratio(times, "tinynet", fastest)), fastest]
        if np is not None:
            row.append(show_ratio(ratio(times, "tinynet", "numpy")))
        rows.append(row)
    head = ["shape", "tinynet"] + [name for name, _ in idioms]
    head += ["numpy"] if np is not None else []
    head += ["tinynet/bare", "fastest bare"]
    head += ["tinynet/numpy"] if np is not None else []
    print_table(head, rows)
    summary = ", ".join("%s at %d of %d shapes" % (name, count, len(MATMUL_SHAPES))
                        for name, count in sorted(wins.items(), key=lambda item: -item[1]))
    verdict = "agrees" if wins.get(kernels.KERNEL, 0) == max(wins.values()) else "DISAGREES"
    print("fastest bare idiom here: %s; tinynet.kernels chose %r: %s" % (summary, kernels.KERNEL, verdict))
    print()


def assert_close(expected, got, tolerance, what):
    """Raise unless every entry agrees to ``tolerance`` (relative to the entry's size, at least 1)."""
    worst = max_difference(expected, got)
    if not worst <= tolerance:
        raise AssertionError("%s differs by %r (tolerance %r)" % (what, worst, tolerance))


def max_difference(expected, got):
    """The largest ``|a - b| / max(1, |a|)`` over two equally shaped nested lists."""
    worst = 0.0
    for row_a, row_b in zip(expected, got):
        if isinstance(row_a, (list, tuple)):
            if len(row_a) != len(row_b):
                return math.inf
            worst = max(worst, max_difference(row_a, row_b))
        else:
            worst = max(worst, abs(row_a - row_b) / max(1.0, abs(row_a)))
    return worst if len(expected) == len(got) else math.inf


def check_step(layers, n_samples, numpy_module=None):
    """One step by tinynet, by the bare-list step (and by NumPy): how far apart they end up.

    Returns ``{"bare": (loss difference, largest weight difference), "numpy": ...}``
    and the tinynet loss, all from the same initial weights and data.
    """
    X, y = sample_data(n_samples, layers[0])
    y_rows = [[float(label)] for label in y]
    net = fresh_net(layers)
    params = bare_params(net)
    start = [p for p in bare_params(net)]
    loss = net._train_step(Matrix(X), Matrix(y_rows), 0)
    tinynet_after = bare_params(net)
    result = {}
    bare_loss = bare_step(params, X, y_rows, LEARNING_RATE, idiom_function(expected_idiom()))
    result["bare"] = (abs(bare_loss - loss), max_difference(tinynet_after, params))
    if numpy_module is not None:
        np = numpy_module
        arrays = numpy_params(np, start)
        numpy_loss = numpy_step(np, arrays, np.array(X), np.array(y_rows), LEARNING_RATE)
        result["numpy"] = (abs(numpy_loss - loss), max_difference(tinynet_after, [p.tolist() for p in arrays]))
    return loss, result


def step_cases(layers, n_samples, settings):
    """The (name, function) pairs that each run one training step, on their own weights."""
    X, y = sample_data(n_samples, layers[0])
    y_rows = [[float(label)] for label in y]
    net = fresh_net(layers)
    params = bare_params(net)
    X_matrix, Y_matrix = Matrix(X), Matrix(y_rows)
    product = idiom_function(expected_idiom())
    cases = [
        ("tinynet", lambda: net._train_step(X_matrix, Y_matrix, 0)),
        ("bare", lambda: bare_step(params, X, y_rows, LEARNING_RATE, product)),
    ]
    np = settings.numpy
    if np is not None:
        arrays = numpy_params(np, bare_params(fresh_net(layers)))
        X_np, Y_np = np.array(X), np.array(y_rows)
        cases.append(("numpy", lambda: numpy_step(np, arrays, X_np, Y_np, LEARNING_RATE)))
    return cases


def section_step(settings):
    """2. One full-batch training step against the bare-list step."""
    np = settings.numpy
    print("2. One full-batch training step (forward, backward, gd update); relu hidden,")
    print("   sigmoid output, binary cross-entropy; bare step uses the %r product" % expected_idiom())
    rows = []
    for layers, n_samples in STEP_CASES:
        loss, differences = check_step(layers, n_samples, np)
        for name, (loss_difference, weight_difference) in sorted(differences.items()):
            if not (loss_difference <= 1e-12 and weight_difference <= 1e-12):
                raise AssertionError("%s step disagrees with tinynet on %r: loss by %r, weights by %r"
                                     % (name, layers, loss_difference, weight_difference))
            print("   check %-12s %-5s same loss (%.15f, |difference| %.1e), same weights (max %.1e)"
                  % (str(layers), name, loss, loss_difference, weight_difference))
        times = compare(step_cases(layers, n_samples, settings), settings)
        row = ["%s, %d samples" % (layers, n_samples), show_time(median(times["tinynet"])),
               show_time(median(times["bare"]))]
        if np is not None:
            row.append(show_time(median(times["numpy"])))
        row.append(show_ratio(ratio(times, "tinynet", "bare")))
        if np is not None:
            row.append(show_ratio(ratio(times, "tinynet", "numpy")))
        rows.append(row)
    print()
    head = ["network", "tinynet", "bare"] + (["numpy"] if np is not None else []) + ["tinynet/bare"]
    head += ["tinynet/numpy"] if np is not None else []
    print_table(head, rows)


def section_predict(settings):
    """3. Latency of predicting one sample given as a plain list."""
    np = settings.numpy
    print("3. Predicting one sample (a plain list in, labels or probabilities out)")
    product = idiom_function(expected_idiom())
    rows = []
    for layers in PREDICT_LAYERS:
        X, _ = sample_data(1, layers[0])
        sample = X[0]
        net = fresh_net(layers)
        params = bare_params(net)
        assert net.predict([sample]) == bare_predict(params, [sample], product)
        assert_close(net.predict_proba([sample]).rows, bare_predict_proba(params, [sample], product),
                     1e-12, "predict_proba of %r" % (layers,))
        cases = [
            ("predict", lambda: net.predict([sample])),
            ("predict_proba", lambda: net.predict_proba([sample])),
            ("bare predict", lambda: bare_predict(params, [sample], product)),
        ]
        if np is not None:
            arrays = numpy_params(np, params)
            assert numpy_predict(np, arrays, [sample]).tolist() == net.predict([sample])
            cases.append(("numpy predict", lambda: numpy_predict(np, arrays, [sample])))
            cases.append(("numpy proba", lambda: numpy_predict_proba(np, arrays, [sample])))
        times = compare(cases, settings)
        row = [str(layers)] + [show_time(median(times[name])) for name, _ in cases]
        row.append(show_ratio(ratio(times, "predict", "bare predict")))
        if np is not None:
            row.append(show_ratio(ratio(times, "predict", "numpy predict")))
            row.append(show_ratio(ratio(times, "predict_proba", "numpy proba")))
        rows.append(row)
    head = ["network", "predict", "predict_proba", "bare predict"]
    head += ["numpy predict", "numpy proba"] if np is not None else []
    head += ["predict/bare"]
    head += ["predict/numpy", "proba/numpy"] if np is not None else []
    print_table(head, rows)


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
    """6. Training-step time as the samples and the hidden width grow."""
    sizes = (100, 1000) if settings.quick else (100, 1000, 10000)
    widths = (8, 32) if settings.quick else (8, 32, 128)
    print("6. Scaling: one training step of [13, h, 1] on n samples, tinynet (tinynet/bare)")
    rows = []
    for n_samples in sizes:
        row = ["n = %d" % n_samples]
        for width in widths:
            times = compare(step_cases([13, width, 1], n_samples, Settings(
                settings.quick, settings.rounds, None)), settings)
            row.append("%s (%s)" % (show_time(median(times["tinynet"])),
                                    show_ratio(ratio(times, "tinynet", "bare"))))
        rows.append(row)
    print_table([""] + ["h = %d" % width for width in widths], rows)


def parse_arguments(argv):
    quick, rounds, use_numpy, sections = False, None, True, (1, 2, 3, 4, 5, 6)
    arguments = list(argv)
    while arguments:
        argument = arguments.pop(0)
        if argument == "--quick":
            quick = True
        elif argument == "--no-numpy":
            use_numpy = False
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
        rounds = 1 if quick else 7
    if rounds < 1:
        sys.exit("benchmark.py: --rounds needs a number >= 1")
    return Settings(quick, rounds, load_numpy(use_numpy), sections)


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


if __name__ == "__main__":
    main(sys.argv[1:])

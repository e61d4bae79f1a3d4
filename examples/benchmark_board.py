"""How fast is tinynet on a microcontroller?  A small benchmark for MicroPython.

``examples/benchmark.py`` needs ``time.process_time`` and ``subprocess``,
which a board does not have.  This script needs only ``time``, ``math`` and
``gc``: it times predicting one sample and a full-batch training step, with
bare-list code and with tinynet, and reports microseconds per prediction and
training rows per second.  Run it on the board-like Unix build (32-bit,
single-precision floats, a fixed heap the size of a Pico's)::

    MICROPYPATH=. ../shared/micropython-unix/micropython -X heapsize=256K examples/benchmark_board.py

(from the repository root, so that ``import tinynet`` finds the package), or
under CPython for comparison: ``python3 examples/benchmark_board.py``.  Add
``--quick`` for a smoke run with small sizes.  A case that does not fit in
the heap says so: with tinynet imported, training on these data sets needed
``-X heapsize=4M`` in our runs (measured 2026-11-27), while the bare code
trains in 256 KB.  On the Unix port the bytecode timings also grow with the
heap (a [2, 5, 1] prediction: 9-10 us at 256K, 31 us at 4M), so compare
figures taken with the same ``heapsize``.

The bare code is written with index loops, the idiom MicroPython runs
fastest (it has no ``operator`` module on a board, and its ``zip`` is slow).
Each bare function is also compiled a second time with
``@micropython.native`` (machine code instead of bytecode, where the port
supports it) to show whether that helps.  If ``import tinynet`` fails, the
tinynet rows are skipped with the reason.

A board has only a wall clock (``time.ticks_us``); the Unix port reads
the process's CPU time from Linux where it can (see ``choose_clock``).
Each case runs interleaved with the others in several rounds and the
fastest round is reported.  Floats are single precision on a board, so results are compared
with tinynet's to a relative 1e-4, not bit for bit.
"""

import gc
import math
import sys
import time

if sys.implementation.name != "micropython":  # a checkout's tinynet, as benchmark.py finds it
    import os

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

QUICK = "--quick" in sys.argv
ROUNDS = 3 if QUICK else 15
ROUND_US = 20000 if QUICK else 50000  # the length of one timing



def schedstat_us():
    """This process's CPU time in microseconds, from Linux's /proc/self/schedstat."""
    with open("/proc/self/schedstat") as stat:
        return int(stat.read().split()[0]) // 1000


def choose_clock():
    """``(name, now, elapsed)``: the best clock here, in microseconds.

    A board has only its wall clock (``ticks_us``).  The Unix port on a
    shared machine would count other programs' time in it, so there the
    process's CPU time from ``/proc/self/schedstat`` is used, when Linux
    provides it; CPython has ``time.process_time``.
    """
    if hasattr(time, "process_time"):
        return ("time.process_time (CPU time)", lambda: time.process_time() * 1e6,
                lambda end, start: end - start)
    try:
        schedstat_us()
    except (OSError, ValueError, IndexError):
        return "time.ticks_us (wall clock)", time.ticks_us, time.ticks_diff
    return "/proc/self/schedstat (CPU time)", schedstat_us, lambda end, start: end - start


CLOCK_NAME, now_us, elapsed_us = choose_clock()

exp, log = math.exp, math.log

# The bare code, compiled twice below: as it is, and with @micropython.native
# in front of every function.  Kept as source text so the two copies cannot
# drift apart.
BARE_SOURCE = """
def forward(T, x):
    # [W1 transposed, b1, W2, b2]; each positive hidden unit goes straight into the output.
    W1_T, b1, W2, b2 = T
    n_inputs = len(x)
    z = 0.0
    for j in range(len(W1_T)):
        w = W1_T[j]
        t = 0.0
        for k in range(n_inputs):
            t += x[k] * w[k]
        t += b1[j]
        if t > 0.0:
            z += t * W2[j][0]
    z += b2[0]
    if z >= 0.0:
        p = 1.0 / (1.0 + exp(-z))
    else:
        e = exp(z)
        p = e / (1.0 + e)
    return 1 if p >= 0.5 else 0


def train_step(params, X, y, learning_rate):
    # One full-batch gradient-descent step of [n, h, 1], relu and sigmoid, binary
    # cross-entropy: one loop over the samples, forward and backward for each.
    W1_T, b1, w2, b2 = params
    m = len(y)
    n_hidden = len(W1_T)
    n_inputs = len(W1_T[0])
    g1 = [[0.0] * n_inputs for _ in range(n_hidden)]
    gb1 = [0.0] * n_hidden
    gw2 = [0.0] * n_hidden
    gb2 = 0.0
    loss = 0.0
    h = [0.0] * n_hidden
    b = b2[0]
    for i in range(m):
        x = X[i]
        z = 0.0
        for j in range(n_hidden):
            w = W1_T[j]
            t = 0.0
            for k in range(n_inputs):
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
        for j in range(n_hidden):
            t = h[j]
            if t > 0.0:
                gw2[j] += t * dz
                d = dz * w2[j]
                gb1[j] += d
                g = g1[j]
                for k in range(n_inputs):
                    g[k] += x[k] * d
    for j in range(n_hidden):
        w = W1_T[j]
        g = g1[j]
        for k in range(n_inputs):
            w[k] = w[k] - learning_rate * (g[k] / m)
        b1[j] = b1[j] - learning_rate * (gb1[j] / m)
        w2[j] = w2[j] - learning_rate * (gw2[j] / m)
    b2[0] = b - learning_rate * (gb2 / m)
    return loss / m
"""


def compile_bare(native):
    """The bare functions as a dict, compiled with ``@micropython.native`` if asked."""
    source = BARE_SOURCE
    if native:
        source = source.replace("\ndef ", "\n@micropython.native\ndef ")
    namespace = {"exp": exp, "log": log}
    if native:
        import micropython

        namespace["micropython"] = micropython
    exec(source, namespace)
    return namespace


def native_support():
    """None if ``@micropython.native`` compiles here, else why not."""
    if sys.implementation.name != "micropython":
        return "not MicroPython"
    try:
        compile_bare(True)
    except Exception as error:  # SyntaxError/ValueError where the port has no native emitter
        return "%s: %s" % (type(error).__name__, error)
    return None


class Draws:
    """A tiny seeded generator (a linear congruential one), the same on every interpreter."""

    def __init__(self, seed):
        self.state = seed

    def uniform(self):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return self.state / 2147483648.0

    def normal(self):
        """Roughly standard normal: the sum of four uniforms, centred and scaled."""
        return (self.uniform() + self.uniform() + self.uniform() + self.uniform() - 2.0) * 1.7320508


def network(layers, seed):
    """``(W1, b1, W2, b2)`` as bare row-major lists, He-scaled, small biases."""
    draws = Draws(seed)
    n_in, n_hidden = layers[0], layers[1]
    W1 = [[draws.normal() * math.sqrt(2.0 / n_in) for _ in range(n_hidden)] for _ in range(n_in)]
    b1 = [0.1 * draws.normal() for _ in range(n_hidden)]
    W2 = [[draws.normal() * math.sqrt(2.0 / n_hidden)] for _ in range(n_hidden)]
    return W1, b1, W2, [0.05]


def samples(n_samples, n_features, seed):
    """``n_samples`` rows of normal features, their 0/1 labels, and the labels as floats.

    Every list is made at its full length before any number is drawn: made
    later, a long list needs a long free block in a heap that the draws'
    short-lived floats have cut into small pieces (on a 256 KB heap, 303 rows
    of 13 built by comprehensions fail with MemoryError).
    """
    draws = Draws(seed)
    X, labels, targets = [None] * n_samples, [0] * n_samples, [0.0] * n_samples
    for i in range(n_samples):
        row = [0.0] * n_features
        for k in range(n_features):
            row[k] = draws.normal()
        X[i] = row
        labels[i] = 1 if row[0] + 0.5 * row[-1] > 0.0 else 0
        targets[i] = float(labels[i])
    return X, labels, targets


def transposed(rows):
    return [[row[j] for row in rows] for j in range(len(rows[0]))]


def load_tinynet():
    """``(NeuralNet, Matrix, Vector)``, or the reason ``import tinynet`` failed."""
    try:
        from tinynet import Matrix, NeuralNet, Vector
    except Exception as error:  # ImportError, or whatever a module raised while importing
        return None, "%s: %s" % (type(error).__name__, error)
    return (NeuralNet, Matrix, Vector), None


def tinynet_net(tinynet, layers, weights, learning_rate=0.01, iterations=1):
    """A tinynet network holding ``weights``."""
    NeuralNet, Matrix, Vector = tinynet
    net = NeuralNet(layers=layers, learning_rate=learning_rate, iterations=iterations,
                    activation="relu", output="sigmoid", seed=1)
    net.init_weights()
    W1, b1, W2, b2 = weights
    net.params["W1"], net.params["b1"] = Matrix(W1), Vector(b1)
    net.params["W2"], net.params["b2"] = Matrix(W2), Vector(b2)
    return net


def time_once(function, calls):
    """Microseconds per call over ``calls`` calls (never 0: some clocks tick in ms)."""
    gc.collect()
    start = now_us()
    for _ in range(calls):
        function()
    return max(elapsed_us(now_us(), start), 1) / calls


def calls_needed(function):
    """How many calls make one timing last about ``ROUND_US`` (some clocks tick in ms)."""
    calls = 1
    while True:
        elapsed = time_once(function, calls) * calls
        if elapsed >= ROUND_US / 10:
            return max(1, int(calls * ROUND_US / elapsed))
        calls *= 4


def compare(cases):
    """Microseconds per call of each ``(name, function)``: the fastest of its rounds.

    The cases run interleaved, in rounds.  With a wall clock on a shared
    machine a round can include time spent running other programs; the
    fastest round is the one least disturbed (on a board, all are alike).
    """
    calls = [calls_needed(function) for _, function in cases]
    times = [[] for _ in cases]
    for round_number in range(ROUNDS):
        for i in range(len(cases)):
            k = (i + round_number) % len(cases)
            times[k].append(time_once(cases[k][1], calls[k]))
    result = {}
    for (name, _), values in zip(cases, times):
        result[name] = min(values)
    return result


def close(a, b):
    return abs(a - b) <= 1e-4 * max(1.0, abs(a), abs(b))


def time_predict(layers, kinds, tinynet):
    """Microseconds per one-sample prediction of each kind (a function of its own,
    so that its weights are garbage once it returns)."""
    W1, b1, W2, b2 = network(layers, seed=layers[0])
    T = [transposed(W1), b1, W2, b2]
    x = samples(1, layers[0], seed=7)[0][0]
    cases = []
    for kind, functions in kinds:
        forward = functions["forward"]
        cases.append((kind, lambda forward=forward: forward(T, x)))
    if tinynet is not None:
        net = tinynet_net(tinynet, layers, (W1, b1, W2, b2))
        if net.predict([x])[0] != cases[0][1]():
            raise AssertionError("tinynet and the bare forward pass disagree on %r" % (layers,))
        cases.append(("tinynet", lambda: net.predict([x])))
    return compare(cases)


def predict_section(kinds, tinynet):
    print("Predicting one sample (a list in, a label out): microseconds per call")
    print("%-12s %10s %10s %10s  %s" % ("network", "bare", "native", "tinynet", "tinynet/bare"))
    layer_sets = [[2, 5, 1], [13, 8, 1]] if QUICK else [[2, 5, 1], [13, 8, 1], [64, 32, 1]]
    for layers in layer_sets:
        gc.collect()
        try:
            times = time_predict(layers, kinds, tinynet)
        except MemoryError:
            print("%-12s does not fit in this heap" % (layers,))
            continue
        print("%-12s %10s %10s %10s  %s" % (
            str(layers), "%.1f" % times["bare"],
            "%.1f" % times["native"] if "native" in times else "-",
            "%.1f" % times["tinynet"] if "tinynet" in times else "-",
            "%.2fx" % (times["tinynet"] / times["bare"]) if "tinynet" in times else "-"))
    print()


def time_training(layers, n_samples, kinds, tinynet):
    """Median microseconds per training step of each kind, on one data set.

    A function of its own, so that its data is garbage once it returns and
    the next data set finds the heap in one piece.
    """
    weights = network(layers, seed=layers[0])
    X, labels, y = samples(n_samples, layers[0], seed=3)
    cases = []
    losses = {}
    for kind, functions in kinds:
        W1, b1, W2, b2 = weights
        params = [transposed(W1), list(b1), [row[0] for row in W2], list(b2)]
        step = functions["train_step"]
        losses[kind] = step(params, X, y, 0.01)
        cases.append((kind, lambda step=step, params=params: step(params, X, y, 0.01)))
    if tinynet is not None:
        # The first step's loss through the public API, from the same weights...
        net = tinynet_net(tinynet, layers, weights)
        net.partial_fit(X, labels)
        if not close(net.loss[0], losses["bare"]):
            raise AssertionError("tinynet's loss %r, the bare step's %r" % (net.loss[0], losses["bare"]))
        # ...and the time of one step on data checked beforehand, as fit takes it
        # each epoch (the step examples/benchmark.py times too).
        Matrix = tinynet[1]
        X_matrix, Y_matrix = Matrix(X), Matrix([[target] for target in y])
        cases.append(("tinynet", lambda: net._train_step(X_matrix, Y_matrix, 0)))
    return compare(cases)


def training_section(kinds, tinynet):
    print("One full-batch training step (forward, loss, backward, gd update): rows per second")
    print("%-20s %10s %10s %10s  %s" % ("network", "bare", "native", "tinynet", "tinynet/bare"))
    cases = [([13, 8, 1], 30), ([2, 5, 1], 100)] if QUICK else [([13, 8, 1], 303), ([2, 5, 1], 1000)]
    for layers, n_samples in cases:
        gc.collect()
        try:
            times = time_training(layers, n_samples, kinds, tinynet)
        except MemoryError:
            print("%-20s does not fit in this heap" % ("%s x %d" % (layers, n_samples)))
            continue
        rates = dict((name, n_samples / (seconds * 1e-6)) for name, seconds in times.items())
        print("%-20s %10s %10s %10s  %s" % (
            "%s x %d" % (layers, n_samples), "%.0f" % rates["bare"],
            "%.0f" % rates["native"] if "native" in rates else "-",
            "%.0f" % rates["tinynet"] if "tinynet" in rates else "-",
            "%.2fx" % (times["tinynet"] / times["bare"]) if "tinynet" in times else "-"))
    print()


def main():
    print("tinynet board benchmark%s" % (" (--quick: sizes too small to mean much)" if QUICK else ""))
    print("interpreter : %s %s" % (sys.implementation.name, sys.version))
    if hasattr(gc, "mem_free"):
        gc.collect()
        print("heap        : %d bytes free at start" % gc.mem_free())
    print("method      : %s, %d interleaved rounds, the fastest of each case" % (CLOCK_NAME, ROUNDS))
    kinds = [("bare", compile_bare(False))]
    reason = native_support()
    if reason is None:
        kinds.append(("native", compile_bare(True)))
        print("native      : the bare code again with @micropython.native")
    else:
        print("native      : skipped (%s)" % reason)
    tinynet, reason = load_tinynet()
    if tinynet is None:
        print("tinynet     : SKIPPED, import tinynet failed here (%s)" % reason)
    else:
        print("tinynet     : imported")
    print()
    predict_section(kinds, tinynet)
    training_section(kinds, tinynet)


main()

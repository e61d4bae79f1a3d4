"""How fast tinynet's board jobs run: a one-row prediction, and training rows per second.

The jobs are those whose memory README.md, "On a microcontroller", budgets: predicting
one row with ``tinynet.predictor`` (and, for comparison, with ``NeuralNet``) for a
[13, 8, 1] and a [64, 32, 10] network, and training [2, 8, 1] and [13, 8, 1] networks on
64 rows in batches of 8 with ``tinynet.boardnet.BoardNet`` (and with ``NeuralNet``).  Run it on the board-like build of MicroPython, from the
checkout::

    MICROPYPATH=. ../shared/micropython-unix/micropython -X heapsize=512K examples/board_speed.py

on a board (copy it next to ``lib/tinynet/`` and run it with ``mpremote run``), or under
CPython for comparison (``python3 examples/board_speed.py``).  The heap is 512 KB for
``NeuralNet.load``, which reads the [64, 32, 10] file whole; the predictor needs far less.  ``--quick`` runs each case
once, to see that the script works.

Times are wall-clock (``time.ticks_us``: a board has no CPU clock), the median of
several rounds; a busy machine makes them longer.  On MicroPython, BoardNet prints a
``ConvergenceWarning`` line for each timed [13, 8, 1] fit: ten epochs have not converged,
and the timing does not care.  The script writes and removes
``board_speed_model.json`` in the current folder.
"""

import gc
import json
import os
import sys
import time

if sys.implementation.name != "micropython":  # a checkout's tinynet, as the other examples
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The predictor first: on a board, its modules find the heap still in one piece.
from tinynet.predictor import load  # noqa: E402
from tinynet import NeuralNet  # noqa: E402
from tinynet.boardnet import BoardNet  # noqa: E402

if sys.implementation.name != "micropython":  # a few timed epochs have not converged
    import warnings

    warnings.simplefilter("ignore")

QUICK = "--quick" in sys.argv
ROUNDS = 1 if QUICK else 7
MODEL_FILE = "board_speed_model.json"

if hasattr(time, "ticks_us"):
    def elapsed_us(start):
        return time.ticks_diff(time.ticks_us(), start)

    now_us = time.ticks_us
else:  # CPython
    def now_us():
        return int(time.perf_counter() * 1e6)

    def elapsed_us(start):
        return now_us() - start


def medians_us(functions, calls):
    """Microseconds per call of each function: the median of ``ROUNDS`` rounds of
    ``calls`` calls, the functions taking turns in each round (so that a busy machine
    slows them alike)."""
    times = [[] for _ in functions]
    for _ in range(ROUNDS):
        for function, spent in zip(functions, times):
            gc.collect()
            start = now_us()
            for _ in range(calls):
                function()
            spent.append(elapsed_us(start) / calls)
    return [sorted(spent)[len(spent) // 2] for spent in times]


def write_model(layers, path):
    """Write a model file of ``layers`` one matrix row at a time, weights from a formula.

    Any program may write the format (README.md, "The model file"); this one needs no
    more memory than a row, where ``NeuralNet.save`` builds the whole text first.
    """
    with open(path, "w") as f:
        f.write('{"format": "tinynet-model", "version": 1, "layers": %s, "activation": "relu", '
                '"output": "%s", "params": {' % (json.dumps(layers),
                                                 "sigmoid" if layers[-1] == 1 else "softmax"))
        for l in range(1, len(layers)):
            n_in, n_out = layers[l - 1], layers[l]
            f.write('%s"W%d": [' % ("" if l == 1 else ", ", l))
            for i in range(n_in):
                row = [(((i * 7 + j * 3) % 11) / 11.0 - 0.5) / n_in ** 0.5 for j in range(n_out)]
                f.write((", " if i else "") + json.dumps(row))
            f.write('], "b%d": %s' % (l, json.dumps([0.01 * j for j in range(n_out)])))
        f.write("}}\n")


def prediction(layers, calls):
    """One-row predict times: (tinynet.predictor us, NeuralNet us)."""
    write_model(layers, MODEL_FILE)
    model = load(MODEL_FILE)
    net = NeuralNet.load(MODEL_FILE)
    row = [((i * 7) % 13) / 13.0 - 0.5 for i in range(layers[0])]
    if model.predict([row]) != net.predict([row]):
        raise AssertionError("the Predictor and NeuralNet disagree on %r" % (layers,))
    return medians_us([lambda: model.predict([row]), lambda: net.predict([row])], calls)


def training(layers, epochs):
    """Rows per second of fitting ``layers`` on 64 rows in batches of 8: (BoardNet, NeuralNet)."""
    n_inputs = layers[0]
    X = [[((i * 5 + k * 3) % 11) / 5.5 - 1.0 for k in range(n_inputs)] for i in range(64)]
    y = [1 if row[0] * row[-1] > 0 else 0 for row in X]

    def last_epoch(net, epoch):
        # Ends the fit at its last epoch: all epochs run, and fit does not judge
        # whether a few epochs of timing have converged (no ConvergenceWarning).
        return epoch == epochs - 1

    def fit():
        NeuralNet(layers=layers, learning_rate=0.5, iterations=epochs, batch_size=8,
                  seed=1, callback=last_epoch).fit(X, y)

    def board_fit():
        BoardNet(layers=layers, learning_rate=0.5, iterations=epochs, batch_size=8,
                 seed=1).fit(X, y)

    board_us, network_us = medians_us([board_fit, fit], 1)
    return 64 * epochs / (board_us * 1e-6), 64 * epochs / (network_us * 1e-6)


def main():
    print("tinynet board jobs, %s %s" % (sys.implementation.name, sys.version.split()[0]))
    print("one-row predict (us)     tinynet.predictor   NeuralNet")
    for layers, calls in (([13, 8, 1], 100), ([64, 32, 10], 10)):
        if QUICK:
            calls = 1
        predictor_us, network_us = prediction(layers, calls)
        print("%-24s %17.0f %11.0f" % (layers, predictor_us, network_us))
    os.remove(MODEL_FILE)
    print("training, 64 rows, batches of 8 (rows per second)   BoardNet   NeuralNet")
    for layers in ([2, 8, 1], [13, 8, 1]):
        print("%-24s %17.0f %11.0f" % ((layers,) + training(layers, 2 if QUICK else 10)))


main()

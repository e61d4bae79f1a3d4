"""Deploying: train a network, export it, and predict with tinynet nowhere in sight.

The exported Python module needs nothing but Python (CPython, PyPy, or
MicroPython on a microcontroller); the C header needs nothing but a C compiler.
This script trains the demo's network on the two half-moons, writes both into
the current folder, then imports the Python module and checks it against the
network.

Run from a checkout, nothing to install:

    python3 examples/deploy.py

then, for the C header, something like:

    cc -std=c99 -O2 my_program.c -lm     (with #include "moons_model.h")
"""

import importlib
import os
import sys
import time

# Make the checkout importable: tinynet/ sits at the repository root.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tinynet.data import StandardScaler, train_test_split  # noqa: E402
from tinynet.datasets import half_moons  # noqa: E402
from tinynet.export import to_c, to_python  # noqa: E402
from tinynet.network import NeuralNet  # noqa: E402


def train():
    """The network `python3 -m tinynet demo` trains: 2-16-1, tanh, Adam, scaled inputs."""
    X, y = half_moons(200, noise=0.2, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, seed=0, stratify=True)
    net = NeuralNet(layers=[2, 16, 1], activation="tanh", optimizer="adam",
                    learning_rate=0.02, iterations=300, seed=0)
    net.scaler = StandardScaler().fit(X_train)
    net.feature_names = ["x", "y"]
    net.fit(X_train, y_train)
    return net, [list(row) for row in X_test], y_test


def best_time(function, row, repeat=2000):
    """The fastest of five runs of ``repeat`` calls, in microseconds per call."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            function(row)
        best = min(best, (time.perf_counter() - start) / repeat)
    return best * 1e6


def main():
    net, X_test, y_test = train()
    print("trained %r" % net)

    to_python(net, "moons_model.py")
    to_c(net, "moons_model.h")
    print("wrote moons_model.py (%d bytes) and moons_model.h (%d bytes)"
          % (os.path.getsize("moons_model.py"), os.path.getsize("moons_model.h")))

    # Import the module as any program would: it is a plain .py file.
    sys.path.insert(0, os.getcwd())
    moons_model = importlib.import_module("moons_model")

    row = [round(v, 3) for v in X_test[0]]
    print()
    print("moons_model.predict(%r) = %r" % (row, moons_model.predict(row)))
    print("moons_model.predict_proba(%r) = %r" % (row, moons_model.predict_proba(row)))

    exported = [moons_model.predict(r) for r in X_test]
    expected = net.predict(X_test)
    worst = max(abs(moons_model.predict_proba(r)[0] - p[0])
                for r, p in zip(X_test, net.predict_proba(X_test).tolist()))
    if exported != expected:
        raise SystemExit("the exported module disagrees with the network")
    print("the exported module agrees with the network on all %d test rows "
          "(probabilities within %.1e)" % (len(X_test), worst))
    accuracy = sum(1 for a, b in zip(exported, y_test) if a == b) / len(y_test)
    print("test accuracy: %.1f%%" % (100 * accuracy))

    print()
    print("one prediction: %.1f us with the exported module, %.1f us with NeuralNet.predict"
          % (best_time(moons_model.predict, row), best_time(lambda r: net.predict([r]), row)))


if __name__ == "__main__":
    main()

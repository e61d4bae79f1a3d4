"""Multiclass classification: a softmax network learns a three-armed spiral.

With three output units the network ends in softmax: each row of
``predict_proba`` is three probabilities that sum to 1, the loss is
categorical cross-entropy, and ``predict`` picks the most probable class.

Run from a checkout, nothing to install:

    python3 examples/multiclass.py
"""

import os
import sys

# Make the checkout importable: tinynet/ sits at the repository root.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tinynet.datasets import spiral  # noqa: E402
from tinynet.network import NeuralNet  # noqa: E402

CLASSES = 3
ITERATIONS = 600
SYMBOLS = "o+x"


def confusion(labels, predicted):
    """counts[true][predicted]: how often each class was taken for each other one."""
    counts = [[0] * CLASSES for _ in range(CLASSES)]
    for truth, guess in zip(labels, predicted):
        counts[truth][guess] += 1
    return counts


def decision_map(net, size=21):
    """The square -1..1 x -1..1 as characters: the class the network predicts at each point."""
    width = 2 * size
    points = [[-1.0 + 2.0 * i / (width - 1), 1.0 - 2.0 * j / (size - 1)]
              for j in range(size) for i in range(width)]
    labels = net.predict(points)
    return "\n".join("".join(SYMBOLS[label] for label in labels[j * width:(j + 1) * width])
                     for j in range(size))


def main():
    X, y = spiral(40, classes=CLASSES, noise=0.2, seed=0)
    print("spiral: %d points, %d per class, labels 0..%d" % (len(X), len(X) // CLASSES, CLASSES - 1))

    net = NeuralNet(layers=[2, 24, CLASSES], learning_rate=0.5, iterations=ITERATIONS, seed=2)
    print("network: %r" % net)
    net.fit(X, y)

    # The loss starts near log(3) = 1.0986: three classes, no idea yet.
    print()
    for i in list(range(0, ITERATIONS, ITERATIONS // 10)) + [ITERATIONS - 1]:
        print("iteration %4d  loss %.4f" % (i + 1, net.loss[i]))

    predicted = net.predict(X)
    print()
    print("training accuracy: %5.1f%%" % (100 * net.score(X, y)))
    print()
    print("confusion (rows: true class, columns: predicted class)")
    for label, row in enumerate(confusion(y, predicted)):
        print("  class %d  %s" % (label, "  ".join("%3d" % count for count in row)))

    print()
    print("probabilities for the first three points (each row sums to 1):")
    for x, probabilities in zip(X[:3], net.predict_proba(X[:3]).tolist()):
        print("  (%6.3f, %6.3f) -> %s" % (x[0], x[1], "  ".join("%.3f" % p for p in probabilities)))

    print()
    print("what the network predicts over the plane (%s = class 0, 1, 2):" % ", ".join(SYMBOLS))
    print(decision_map(net))


if __name__ == "__main__":
    main()

"""Binary classification: a small network learns two interleaved half-moons.

No straight line separates the two moons, so a model without a hidden layer
(logistic regression) cannot get them all right; one hidden layer of ReLU
units bends the boundary around them.

Run from a checkout, nothing to install:

    python3 examples/binary_classification.py
"""

import os
import sys

# Make the checkout importable: tinynet/ sits at the repository root.
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from tinynet.datasets import half_moons  # noqa: E402
from tinynet.metrics import accuracy  # noqa: E402
from tinynet.network import NeuralNet  # noqa: E402

ITERATIONS = 500


def decision_map(net, width=48, height=16):
    """The plane from x = -1.5..2.5, y = -1..1.5 as characters: the class the network predicts."""
    points = [[-1.5 + 4.0 * i / (width - 1), 1.5 - 2.5 * j / (height - 1)]
              for j in range(height) for i in range(width)]
    labels = net.predict(points)
    lines = []
    for j in range(height):
        lines.append("".join(".#"[label] for label in labels[j * width:(j + 1) * width]))
    return "\n".join(lines)


def main():
    X_train, y_train = half_moons(200, noise=0.1, seed=0)
    X_test, y_test = half_moons(100, noise=0.1, seed=1)
    print("half-moons: %d training points, %d test points, labels 0 and 1"
          % (len(X_train), len(X_test)))

    net = NeuralNet(layers=[2, 16, 1], learning_rate=0.5, iterations=ITERATIONS, seed=1)
    print("network: %r" % net)
    net.fit(X_train, y_train)

    # net.loss holds the mean cross-entropy before each gradient step.
    print()
    for i in list(range(0, ITERATIONS, ITERATIONS // 10)) + [ITERATIONS - 1]:
        print("iteration %4d  loss %.4f" % (i + 1, net.loss[i]))

    print()
    print("training accuracy: %5.1f%%" % (100 * net.score(X_train, y_train)))
    print("test accuracy:     %5.1f%%" % (100 * accuracy(y_test, net.predict(X_test))))
    print()
    print("what the network predicts over the plane (# = class 1, . = class 0):")
    print(decision_map(net))


if __name__ == "__main__":
    main()

"""One forward and one backward pass through a [2, 5, 1] network, a matrix at a time.

This script does by hand, with ``Matrix`` operations, what ``NeuralNet``
does inside: it prints every matrix beside the formula it comes from, then
checks the result against ``net.gradients()`` and against finite
differences (nudging one weight and watching the loss move).

Shapes to keep in mind (m samples, rows are samples)::

    X  m x 2      W1 2 x 5   b1 5 values      W2 5 x 1   b2 1 value
    Z1, A1  m x 5                              Z2, A2  m x 1

Run from a checkout, nothing to install:

    python3 examples/walkthrough.py
"""

import math
import os
import sys

# Make the checkout importable without installing it.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tinynet import Matrix, Vector  # noqa: E402
from tinynet.network import NeuralNet  # noqa: E402


def shape_of(value):
    if isinstance(value, Matrix):
        return "%dx%d" % value.shape
    return "vector of %d" % len(value)


def show(formula, value, why="", note=""):
    """Print ``formula``, the shape of its result and why, then the values and a note."""
    print("%-28s shape %s%s" % (formula, shape_of(value), "    # " + why if why else ""))
    for line in str(value).splitlines():
        print("    " + line)
    if note:
        print("    " + note)
    print()


def relu(z):
    return z if z > 0.0 else 0.0


def relu_slope(z):
    # ReLU's derivative: 1 where the unit was active, 0 where it was cut off.
    return 1.0 if z > 0.0 else 0.0


def sigmoid(z):
    # The textbook formula; fine here because z stays small.  tinynet uses a
    # form that never overflows (see tinynet/activations.py).
    return 1.0 / (1.0 + math.exp(-z))


def main():
    X = Matrix([[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8]])
    y = [1, 0, 1]
    Y = Matrix([[float(label)] for label in y])
    m = len(X)

    net = NeuralNet(layers=[2, 5, 1], seed=4)
    net.init_weights()
    # init_weights leaves the biases at 0.  Small non-zero biases make the
    # example more general, and keep every Z away from ReLU's kink at 0,
    # where the finite-difference check at the end would be meaningless.
    net.params["b1"] = Vector([0.1, -0.1, 0.2, 0.05, -0.2])
    net.params["b2"] = Vector([0.1])
    W1, b1 = net.params["W1"], net.params["b1"]
    W2, b2 = net.params["W2"], net.params["b2"]

    print("=== the data and the parameters")
    print()
    show("X", X, "m = %d samples, 2 features" % m)
    show("Y", Y, "the labels as a column")
    show("W1", W1, "He initialisation: normal, std sqrt(2 / n_in) = sqrt(2 / 2)")
    show("b1", b1)
    show("W2", W2, "std sqrt(2 / 5)")
    show("b2", b2)

    print("=== forward pass: inputs to prediction")
    print()
    Z1 = X @ W1 + b1
    show("Z1 = X @ W1 + b1", Z1, "b1 is added to every row")
    A1 = Z1.map(relu)
    show("A1 = relu(Z1)", A1, "negative entries become 0")
    Z2 = A1 @ W2 + b2
    show("Z2 = A1 @ W2 + b2", Z2)
    A2 = Z2.map(sigmoid)
    show("A2 = sigmoid(Z2)", A2, "the probability of label 1")

    per_sample = [-(t * math.log(a) + (1 - t) * math.log(1 - a))
                  for t, a in zip(Y.column(0), A2.column(0))]
    loss = sum(per_sample) / m
    print("loss = -mean(Y log A2 + (1 - Y) log(1 - A2)) = %.10f" % loss)
    print("net.loss_value(X, y)                        = %.10f" % net.loss_value(X, y))
    print()

    print("=== backward pass: the chain rule, last layer first")
    print()
    dZ2 = A2 - Y
    show("dZ2 = A2 - Y", dZ2, "sigmoid + cross-entropy: the a(1 - a) terms cancel")
    dW2 = A1.T @ dZ2 / m
    show("dW2 = A1.T @ dZ2 / m", dW2, "m = %d, the real batch size (not a fixed 2)" % m)
    db2 = dZ2.sum(axis=0) / m
    show("db2 = sum(dZ2, axis=0) / m", db2, "summed over the samples")
    dA1 = dZ2 @ W2.T
    show("dA1 = dZ2 @ W2.T", dA1, "the error sent back through W2")
    dZ1 = dA1 * Z1.map(relu_slope)
    show("dZ1 = dA1 * relu'(Z1)", dZ1, "ReLU's slope, 1 or 0 (not tanh's 1 - A1**2)",
         "(-0.0 is zero: a negative number times 0.0 keeps its sign in floating point)")
    dW1 = X.T @ dZ1 / m
    show("dW1 = X.T @ dZ1 / m", dW1)
    db1 = dZ1.sum(axis=0) / m
    show("db1 = sum(dZ1, axis=0) / m", db1)

    print("=== compared with net.gradients(X, y)")
    print()
    mine = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
    theirs = net.gradients(X, y)
    largest = 0.0
    for name in net.param_names:
        ours, its = _flat(mine[name].tolist()), _flat(theirs[name].tolist())
        difference = max(abs(a - b) for a, b in zip(ours, its))
        largest = max(largest, difference)
        print("d%-3s largest difference %.1e" % (name, difference))
    if largest > 1e-12:
        sys.exit("the gradients computed above DISAGREE with net.gradients()")
    print("the gradients computed above agree with net.gradients() (largest difference %.1e)"
          % largest)
    print()

    print("=== finite differences: nudge one parameter by +-h and watch the loss")
    print()
    h = 1e-6
    print("dL/dp is about (loss(p + h) - loss(p - h)) / 2h, with h = %g" % h)
    for name, index in [("W1", (0, 0)), ("W1", (1, 2)), ("b1", 2), ("W2", (0, 0)), ("b2", 0)]:
        param = net.params[name]
        old = param[index]
        param[index] = old + h
        loss_up = net.loss_value(X, y)
        param[index] = old - h
        loss_down = net.loss_value(X, y)
        param[index] = old
        numerical = (loss_up - loss_down) / (2 * h)
        analytic = mine[name][index]
        error = abs(numerical - analytic) / max(abs(numerical) + abs(analytic), 1e-300)
        label = "d%s[%s]" % (name, ", ".join(str(i) for i in index) if isinstance(index, tuple)
                             else index)
        print("%-10s backprop % .9f   finite difference % .9f   relative error %.1e"
              % (label, analytic, numerical, error))


def _flat(values):
    """A Matrix's rows or a Vector's values as one flat list."""
    if values and isinstance(values[0], list):
        return [x for row in values for x in row]
    return values


if __name__ == "__main__":
    main()

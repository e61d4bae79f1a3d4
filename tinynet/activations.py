"""Activation functions, each beside the derivative that backpropagation needs.

A layer computes ``Z = A_prev @ W + b`` and then ``A = g(Z)`` for an
activation ``g`` applied to every entry.  Going backwards, the chain rule
turns the gradient of the loss with respect to ``A`` into the gradient with
respect to ``Z``, one entry at a time::

    dZ = dA * g'(Z)        (elementwise)

So every hidden activation here comes as a pair:

===============  =============================  ===================================
name             ``g(z)``                       ``g'(z)``, as the backward pass uses it
===============  =============================  ===================================
``relu``         ``max(0, z)``                  ``1 if z > 0 else 0``
``leaky_relu``   ``z if z > 0 else 0.01 z``     ``1 if z > 0 else 0.01``
``tanh``         ``tanh(z)``                    ``1 - A**2``  (with ``A = tanh(z)``)
``sigmoid``      ``1 / (1 + e**-z)``            ``A (1 - A)`` (with ``A = sigmoid(z)``)
``identity``     ``z``                          ``1``
===============  =============================  ===================================

A hidden layer without an activation (``identity``) adds no expressive power,
since a product of linear maps is linear; it is there for scikit-learn's
``activation='identity'`` and for linear bottlenecks.

The ``*_backward(dA, Z, A)`` functions return ``dZ`` directly: computing
``g'(Z)`` and multiplying in one pass saves a whole matrix per layer.

``softmax`` is only used on the output layer, where its derivative combines
with the cross-entropy loss into the simple ``A - Y`` (see ``tinynet.losses``
and ``tinynet.outputs``).

>>> from tinynet import Matrix
>>> relu(Matrix([[-1.0, 2.0]]))
Matrix([[0.0, 2.0]])
>>> sigmoid(Matrix([[0.0, -1000.0, 1000.0]]))
Matrix([[0.5, 0.0, 1.0]])
>>> softmax(Matrix([[1000.0, 1000.0]]))
Matrix([[0.5, 0.5]])
"""

import math

from .checks import check_choice
from .matrix import Matrix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Dict, Tuple

    Forward = Callable[[Matrix], Matrix]
    Backward = Callable[[Matrix, Matrix, Matrix], Matrix]

# The slope of leaky ReLU for negative inputs.
LEAKY_SLOPE = 0.01


def relu(Z: Matrix) -> Matrix:
    """``max(0, z)`` for every entry."""
    return Matrix.wrap([[z if z > 0.0 else 0.0 for z in row] for row in Z.rows], Z.n_cols)


def relu_backward(dA: Matrix, Z: Matrix, A: Matrix) -> Matrix:
    """``dZ = dA * relu'(Z)``: the gradient passes where ``z > 0`` and stops elsewhere.

    (At exactly ``z = 0`` ReLU has no derivative; we use 0, as is usual.)
    """
    return Matrix.wrap(
        [[d if z > 0.0 else 0.0 for d, z in zip(d_row, z_row)]
         for d_row, z_row in zip(dA.rows, Z.rows)],
        Z.n_cols,
    )


def leaky_relu(Z: Matrix) -> Matrix:
    """``z`` for positive entries, ``0.01 z`` for the others: a ReLU that never quite stops."""
    slope = LEAKY_SLOPE
    return Matrix.wrap([[z if z > 0.0 else slope * z for z in row] for row in Z.rows], Z.n_cols)


def leaky_relu_backward(dA: Matrix, Z: Matrix, A: Matrix) -> Matrix:
    """``dZ = dA * leaky_relu'(Z)``, where the derivative is 1 or 0.01."""
    slope = LEAKY_SLOPE
    return Matrix.wrap(
        [[d if z > 0.0 else slope * d for d, z in zip(d_row, z_row)]
         for d_row, z_row in zip(dA.rows, Z.rows)],
        Z.n_cols,
    )


def tanh(Z: Matrix) -> Matrix:
    """The hyperbolic tangent of every entry (``math.tanh`` never overflows)."""
    tanh_ = math.tanh
    return Matrix.wrap([[tanh_(z) for z in row] for row in Z.rows], Z.n_cols)


def tanh_backward(dA: Matrix, Z: Matrix, A: Matrix) -> Matrix:
    """``dZ = dA * (1 - A**2)``, since ``tanh'(z) = 1 - tanh(z)**2``."""
    return Matrix.wrap(
        [[d * (1.0 - a * a) for d, a in zip(d_row, a_row)]
         for d_row, a_row in zip(dA.rows, A.rows)],
        Z.n_cols,
    )


def sigmoid_scalar(z: float) -> float:
    """``1 / (1 + e**-z)`` without ever computing ``e`` to a large positive power.

    For ``z >= 0``, ``e**-z`` is at most 1, so the textbook formula is safe.
    For ``z < 0`` it would compute ``e**-z = e**|z|``, which overflows for
    ``|z|`` past about 709 (and MicroPython raises already), so we multiply
    top and bottom by ``e**z`` instead: ``e**z / (1 + e**z)``, where ``e**z``
    is at most 1.
    """
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def sigmoid(Z: Matrix) -> Matrix:
    """The logistic function of every entry, squashing it into ``[0, 1]``."""
    s = sigmoid_scalar
    return Matrix.wrap([[s(z) for z in row] for row in Z.rows], Z.n_cols)


def sigmoid_backward(dA: Matrix, Z: Matrix, A: Matrix) -> Matrix:
    """``dZ = dA * A * (1 - A)``, since ``sigmoid'(z) = sigmoid(z) (1 - sigmoid(z))``."""
    return Matrix.wrap(
        [[d * a * (1.0 - a) for d, a in zip(d_row, a_row)]
         for d_row, a_row in zip(dA.rows, A.rows)],
        Z.n_cols,
    )


def softmax(Z: Matrix) -> Matrix:
    """Each row turned into probabilities: ``e**z_j / sum_k e**z_k``.

    Subtracting the row's largest value first changes nothing mathematically
    (the common factor ``e**-max`` cancels) but keeps every exponent at most
    0, so nothing overflows and the largest term is exactly 1 (the sum is
    never 0).
    """
    exp = math.exp
    result = []
    for row in Z.rows:
        top = max(row)
        exps = [exp(z - top) for z in row]
        total = sum(exps, 0.0)
        result.append([e / total for e in exps])
    return Matrix.wrap(result, Z.n_cols)


def identity(Z: Matrix) -> Matrix:
    """``A = Z`` (a copy): the linear output of a regression network, or a hidden
    layer without an activation."""
    return Z.copy()


def identity_backward(dA: Matrix, Z: Matrix, A: Matrix) -> Matrix:
    """``dZ = dA``, since ``identity'(z) = 1``.

    ``dA`` is handed on as it is: the backward pass makes it afresh for each
    layer (``dZ @ W.T``) and never changes it in place.
    """
    return dA


# Hidden-layer activations by name: (g, backward).
HIDDEN_ACTIVATIONS: "Dict[str, Tuple[Forward, Backward]]" = {
    "relu": (relu, relu_backward),
    "leaky_relu": (leaky_relu, leaky_relu_backward),
    "tanh": (tanh, tanh_backward),
    "sigmoid": (sigmoid, sigmoid_backward),
    "identity": (identity, identity_backward),
}

# Names in a fixed order for messages (MicroPython's dicts are not ordered).
HIDDEN_ACTIVATION_NAMES = ("relu", "leaky_relu", "tanh", "sigmoid", "identity")


def hidden_activation(name: str) -> "Tuple[Forward, Backward]":
    """The ``(g, backward)`` pair called ``name``, or ConfigError listing the choices."""
    return HIDDEN_ACTIVATIONS[check_choice("activation", name, HIDDEN_ACTIVATION_NAMES)]

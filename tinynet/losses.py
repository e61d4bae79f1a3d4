"""Loss functions, each beside its gradient.

The loss measures how far the network's outputs ``A`` are from the targets
``Y`` (one row per sample), averaged over the ``m`` samples.  Training needs
its gradient with respect to the output layer's ``Z``; for each output layer
(``tinynet.outputs`` pairs them up) that gradient comes out remarkably simple:

===========  ==============  =====================================  ===================
output       activation      loss (mean over samples)               ``dL/dZ`` per sample
===========  ==============  =====================================  ===================
``sigmoid``  ``sigmoid(Z)``  binary cross-entropy                   ``A - Y``
``softmax``  ``softmax(Z)``  categorical cross-entropy              ``A - Y``
``linear``   ``A = Z``       squared error, mean over k outputs     ``2 (A - Y) / k``
===========  ==============  =====================================  ===================

Why ``A - Y``: for one sigmoid unit, ``L = -(y log a + (1 - y) log(1 - a))``
so ``dL/da = (a - y) / (a (1 - a))``, and ``da/dz = a (1 - a)``; the two
``a (1 - a)`` cancel.  Softmax with cross-entropy cancels the same way.
The backward pass divides by ``m`` when it forms ``dW`` and ``db``, because
the loss is a mean over samples.

Numerical stability: both cross-entropies are computed from ``Z``, not from
``A``.  ``sigmoid(40)`` is exactly 1.0 in floating point, so
``log(1 - a)`` would be ``log(0)``; written in terms of ``z`` the loss is
``max(z, 0) - z y + log(1 + e**-|z|)``, which never exponentiates a
positive number and never takes the log of anything below 1.  Likewise
``log softmax(z)_j = z_j - max(z) - log(sum_k e**(z_k - max(z)))``.

>>> from tinynet import Matrix
>>> from tinynet.activations import sigmoid
>>> Y = Matrix([[1.0], [0.0]])
>>> Z = Matrix([[1000.0], [-1000.0]])        # confident and right
>>> binary_cross_entropy(Y, Z, sigmoid(Z))
0.0
>>> binary_cross_entropy(Matrix([[0.0]]), Matrix([[1000.0]]), Matrix([[1.0]]))
1000.0
"""

import math

from .matrix import Matrix

# Probabilities are kept this far from 0 and 1 where a loss must be computed
# from probabilities alone (``cross_entropy_from_probabilities``).
PROBABILITY_CLIP = 1e-15


def binary_cross_entropy(Y: Matrix, Z: Matrix, A: Matrix) -> float:
    """Mean over samples of ``-(y log a + (1 - y) log(1 - a))`` with ``a = sigmoid(z)``.

    Computed from ``z`` as ``max(z, 0) - z y + log(1 + e**-|z|)``: the same
    value, but exact where ``a`` has rounded to 0 or 1.
    """
    log, exp = math.log, math.exp
    total = 0.0
    for y_row, z_row in zip(Y.rows, Z.rows):
        for y, z in zip(y_row, z_row):
            total += (z if z > 0.0 else 0.0) - z * y + log(1.0 + exp(-abs(z)))
    return total / len(Y.rows)


def categorical_cross_entropy(Y: Matrix, Z: Matrix, A: Matrix) -> float:
    """Mean over samples of ``-sum_j y_j log softmax(z)_j``, using log-softmax (see module)."""
    log, exp = math.log, math.exp
    total = 0.0
    for y_row, z_row in zip(Y.rows, Z.rows):
        top = max(z_row)
        log_sum = top + log(sum([exp(z - top) for z in z_row], 0.0))
        # -sum_j y_j (z_j - log_sum) = log_sum * sum_j y_j - sum_j y_j z_j
        total += log_sum * sum(y_row, 0.0) - sum([y * z for y, z in zip(y_row, z_row)], 0.0)
    return total / len(Y.rows)


def cross_entropy_gradient(Y: Matrix, A: Matrix) -> Matrix:
    """``dL/dZ = A - Y`` per sample, for sigmoid or softmax outputs with cross-entropy."""
    return A - Y


def squared_error(Y: Matrix, Z: Matrix, A: Matrix) -> float:
    """Mean over samples and outputs of ``(a - y)**2``: the loss of a linear output.

    (``tinynet.metrics.mean_squared_error`` computes the same number from
    lists of targets and predictions, as a score for a person to read.)
    """
    total = 0.0
    for y_row, a_row in zip(Y.rows, A.rows):
        for y, a in zip(y_row, a_row):
            total += (a - y) * (a - y)
    return total / (len(Y.rows) * Y.n_cols)


def squared_error_gradient(Y: Matrix, A: Matrix) -> Matrix:
    """``dL/dZ = 2 (A - Y) / k`` per sample, for ``k`` linear outputs (``A = Z``)."""
    return (A - Y) * (2.0 / Y.n_cols)


def cross_entropy_from_probabilities(Y: Matrix, P: Matrix) -> float:
    """Cross-entropy of probabilities ``P`` (not logits) against targets ``Y``.

    One column means binary cross-entropy, several mean categorical.  Each
    probability is first clipped into ``[1e-15, 1 - 1e-15]`` so that a
    probability of exactly 0 or 1 never reaches ``log``.  Networks compute
    their loss from ``Z`` instead, which needs no clipping.
    """
    log = math.log
    low, high = PROBABILITY_CLIP, 1.0 - PROBABILITY_CLIP
    total = 0.0
    for y_row, p_row in zip(Y.rows, P.rows):
        for y, p in zip(y_row, p_row):
            p = low if p < low else high if p > high else p
            total -= y * log(p)
            if P.n_cols == 1:
                total -= (1.0 - y) * log(1.0 - p)
    return total / len(Y.rows)

"""Optimizers: how a gradient becomes a change of the weights.

Every optimizer updates the parameters *in place* (the Matrix and Vector
objects in ``params`` stay the same objects) and keeps whatever memory it
needs (velocities, moment estimates) between steps, so ``partial_fit`` can
carry on where the last step stopped.

``OPTIMIZERS`` maps each name to its class (the command line reads it too);
each class names in ``SETTINGS`` the network settings its constructor takes.

=================  ===========================================================
``"gd"``           plain gradient descent: ``w -= lr * g``
``"momentum"``     ``v = mu v - lr g``, then ``w += v``: a heavy ball that
                   keeps rolling through small bumps (``mu`` = ``momentum``);
                   with ``nesterov=True`` it looks ahead: ``w += mu v - lr g``
                   with the new ``v`` (Sutskever et al., 2013, in the form most
                   libraries use)
``"adam"``         per-weight step sizes from running averages of ``g`` and
                   ``g**2`` (Kingma and Ba, 2015, Algorithm 1)
=================  ===========================================================

Adam, as published (``t`` counts steps from 1)::

    m = beta1 m + (1 - beta1) g          first moment: a smoothed gradient
    v = beta2 v + (1 - beta2) g**2       second moment: a smoothed squared gradient
    m_hat = m / (1 - beta1**t)           both start at 0, so early averages are
    v_hat = v / (1 - beta2**t)           too small; dividing corrects that bias
    w -= lr m_hat / (sqrt(v_hat) + epsilon)
"""

import math

from .checks import check_choice
from .matrix import Matrix
from .settings import OPTIMIZER_NAMES
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Sequence, Union

    Param = Union[Matrix, Vector]


def rows_of(param: "Param") -> "List[List[float]]":
    """The lists holding a parameter's values: a Matrix's rows, or a Vector as one row."""
    if isinstance(param, Matrix):
        return param.rows
    return [param.data]


def zeros_like(param: "Param") -> "Param":
    """A parameter-shaped container of zeros, for an optimizer's memory."""
    if isinstance(param, Matrix):
        return Matrix.zeros(len(param.rows), param.n_cols)
    return Vector.zeros(len(param.data))


class GradientDescent:
    """``w -= learning_rate * g``: the tutorial's update."""

    SETTINGS = ("learning_rate",)

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = learning_rate

    def step(self, params: "Dict[str, Param]", grads: "Dict[str, Param]", names: "Sequence[str]") -> None:
        rate = self.learning_rate
        for name in names:
            params[name] -= rate * grads[name]

    def copy(self) -> "GradientDescent":
        return GradientDescent(self.learning_rate)


class Momentum:
    """Gradient descent with a velocity; ``nesterov=True`` for the look-ahead form."""

    SETTINGS = ("learning_rate", "momentum", "nesterov")

    def __init__(self, learning_rate: float, momentum: float, nesterov: bool) -> None:
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.velocity: "Dict[str, Param]" = {}

    def step(self, params: "Dict[str, Param]", grads: "Dict[str, Param]", names: "Sequence[str]") -> None:
        rate, mu, nesterov = self.learning_rate, self.momentum, self.nesterov
        for name in names:
            if name not in self.velocity:
                self.velocity[name] = zeros_like(params[name])
            for w_row, g_row, v_row in zip(rows_of(params[name]), rows_of(grads[name]),
                                           rows_of(self.velocity[name])):
                for j in range(len(w_row)):
                    g = g_row[j]
                    v = mu * v_row[j] - rate * g
                    v_row[j] = v
                    w_row[j] += mu * v - rate * g if nesterov else v

    def copy(self) -> "Momentum":
        twin = Momentum(self.learning_rate, self.momentum, self.nesterov)
        twin.velocity = {name: value.copy() for name, value in self.velocity.items()}
        return twin


class Adam:
    """Adam: step sizes adapted per weight from the gradient's running moments."""

    SETTINGS = ("learning_rate", "beta1", "beta2", "epsilon")

    def __init__(self, learning_rate: float, beta1: float, beta2: float, epsilon: float) -> None:
        self.learning_rate = learning_rate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.t = 0
        self.m: "Dict[str, Param]" = {}
        self.v: "Dict[str, Param]" = {}

    def step(self, params: "Dict[str, Param]", grads: "Dict[str, Param]", names: "Sequence[str]") -> None:
        rate, beta1, beta2, epsilon = self.learning_rate, self.beta1, self.beta2, self.epsilon
        self.t += 1
        correction1 = 1.0 - beta1 ** self.t
        correction2 = 1.0 - beta2 ** self.t
        sqrt = math.sqrt
        for name in names:
            if name not in self.m:
                self.m[name] = zeros_like(params[name])
                self.v[name] = zeros_like(params[name])
            for w_row, g_row, m_row, v_row in zip(rows_of(params[name]), rows_of(grads[name]),
                                                  rows_of(self.m[name]), rows_of(self.v[name])):
                for j in range(len(w_row)):
                    g = g_row[j]
                    m = beta1 * m_row[j] + (1.0 - beta1) * g
                    v = beta2 * v_row[j] + (1.0 - beta2) * g * g
                    m_row[j] = m
                    v_row[j] = v
                    w_row[j] -= rate * (m / correction1) / (sqrt(v / correction2) + epsilon)

    def copy(self) -> "Adam":
        twin = Adam(self.learning_rate, self.beta1, self.beta2, self.epsilon)
        twin.t = self.t
        twin.m = {name: value.copy() for name, value in self.m.items()}
        twin.v = {name: value.copy() for name, value in self.v.items()}
        return twin


if TYPE_CHECKING:
    Optimizer = Union[GradientDescent, Momentum, Adam]

# Name -> class, in the order of settings.OPTIMIZER_NAMES, where the names live
# so that a network can check one without loading this module.
OPTIMIZERS: "Dict[str, Any]" = dict(
    zip(OPTIMIZER_NAMES, (GradientDescent, Momentum, Adam)))


def make_optimizer(
    name: str,
    learning_rate: float,
    momentum: float = 0.9,
    nesterov: bool = False,
    beta1: float = 0.9,
    beta2: float = 0.999,
    epsilon: float = 1e-8,
) -> "Optimizer":
    """A fresh optimizer called ``name`` (see the module table), or ConfigError.

    Each optimizer takes the settings its class names in ``SETTINGS``.
    """
    settings = {"learning_rate": learning_rate, "momentum": momentum, "nesterov": nesterov,
                "beta1": beta1, "beta2": beta2, "epsilon": epsilon}
    optimizer_class = OPTIMIZERS[check_choice("optimizer", name, OPTIMIZER_NAMES)]
    optimizer: "Optimizer" = optimizer_class(*[settings[key] for key in optimizer_class.SETTINGS])
    return optimizer

"""tinynet: a neural network in pure Python, with nothing to install.

========================  ==================================================
``Vector``, ``Matrix``    linear algebra over plain lists (``tinynet.vector``,
                          ``tinynet.matrix``)
``NeuralNet``             the network: ``fit``, ``predict``, ``gradients``
                          (``tinynet.network``; maths in ``activations``,
                          ``losses``, ``optimizers``)
``Random``                a seeded generator that gives the same numbers on
                          every interpreter (``tinynet.rng``)
``ShapeError`` ...        the exceptions (``tinynet.errors``)
========================  ==================================================

>>> from tinynet import Matrix, Vector
>>> Matrix([[1, 2], [3, 4]]) @ Vector([1, 1])
Vector([3.0, 7.0])
"""

from .errors import (
    ConfigError,
    DataError,
    ModelFileError,
    NotFittedError,
    ShapeError,
    TinynetError,
)
from .matrix import Matrix
from .network import NeuralNet
from .rng import Random
from .vector import Vector

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "DataError",
    "Matrix",
    "ModelFileError",
    "NeuralNet",
    "NotFittedError",
    "Random",
    "ShapeError",
    "TinynetError",
    "Vector",
    "__version__",
]

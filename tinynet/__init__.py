"""tinynet: a neural network in pure Python, with nothing to install.

========================  ==================================================
``Vector``, ``Matrix``    linear algebra over plain lists (``tinynet.vector``,
                          ``tinynet.matrix``)
``NeuralNet``             the network: ``fit``, ``predict``, ``gradients``
                          (``tinynet.network``; maths in ``activations``,
                          ``losses``, ``optimizers``)
``Random``                a seeded generator that gives the same numbers on
                          every interpreter (``tinynet.rng``)
``read_csv``, ``train_test_split``, ``StandardScaler``, ``one_hot``
                          data without pandas (``tinynet.data``)
``accuracy``, ``confusion_matrix``, ``r2_score`` ...
                          scores (``tinynet.metrics``)
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
from .data import StandardScaler, one_hot, read_csv, read_csv_text, train_test_split
from .matrix import Matrix
from .metrics import accuracy, confusion_matrix, format_confusion_matrix, mean_squared_error, r2_score
from .network import NeuralNet
from .rng import Random
from .vector import Vector

__version__ = "0.1.0"

__all__ = [
    "StandardScaler",
    "accuracy",
    "confusion_matrix",
    "format_confusion_matrix",
    "mean_squared_error",
    "one_hot",
    "r2_score",
    "read_csv",
    "read_csv_text",
    "train_test_split",
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

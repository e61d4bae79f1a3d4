"""tinynet: a neural network in pure Python, with nothing to install.

========================  ==================================================
``Vector``, ``Matrix``    linear algebra over plain lists (``tinynet.vector``,
                          ``tinynet.matrix``)
``NeuralNet``             the network: ``fit``, ``predict``, ``gradients``
                          (``tinynet.network``; maths in ``activations``,
                          ``losses``, ``outputs``, ``optimizers``)
``Random``                a seeded generator that gives the same numbers on
                          every interpreter (``tinynet.rng``)
``read_csv``, ``train_test_split``, ``one_hot``
                          data without pandas (``tinynet.data``)
``StandardScaler``        rescale features to mean 0, spread 1
                          (``tinynet.scaler``)
``accuracy``, ``confusion_matrix``, ``r2_score`` ...
                          scores (``tinynet.metrics``)
``ShapeError`` ...        the exceptions (``tinynet.errors``)
``ConvergenceWarning``, ``InterruptedWarning``
                          the warnings ``fit`` gives (``tinynet.messages``)
``MLPClassifier``,        scikit-learn's names for a network: code written
``MLPRegressor``          for its MLP runs unchanged (``tinynet.estimators``)
========================  ==================================================

>>> from tinynet import Matrix, Vector
>>> Matrix([[1, 2], [3, 4]]) @ Vector([1, 1])
Vector([3.0, 7.0])

Importing tinynet loads nothing else: each name above is looked up in
``HOMES`` the first time it is used (a module-level ``__getattr__``,
PEP 562), and only the module that owns it is loaded then, with what that
module needs.  So ``from tinynet import Matrix`` does not load the network,
and a board that only predicts does not load the training code.

The modules stand on six floors; a module imports only from its own floor
or the floors below (``tests/test_architecture.py`` checks it):

1. foundations: ``errors``, ``checks``, ``kernels``, ``rng``, ``protobuf``,
   ``jsonkeys``, ``jsonreader``
2. linear algebra: ``vector``, ``matrix`` (and how they print: ``printing``)
3. network maths: ``activations``, ``losses``, ``labels``, ``outputs``,
   ``metrics``, ``optimizers``, ``scaler``, ``inputs``, ``arraylike``,
   ``settings``, ``paramcheck``, ``meanings``
4. the network: ``training`` (with code written for a network: ``fastpredict``,
   ``faststep``), ``messages``, ``files``, ``modelfile`` (and the
   ONNX and scikit-learn formats: ``onnx_proto``, ``onnx_values``,
   ``onnx_labels``, ``onnx_scaling``, ``onnx_layers``, ``onnx_import``,
   ``onnx_export``, ``sklearn_bridge``), ``network``, a board's way to
   predict: ``predictor`` (with ``modelreader``, ``modelcheck``, ``forward``),
   and its way to train: ``boardnet``
5. what uses a network: ``table``, ``data``, ``datasets``, the exporters
   ``export_plan``, ``export_python``, ``export_c``, ``export``, and
   scikit-learn's names ``estimators`` (on ``mlp_base``)
6. the command line: ``cli`` (a package: one module per command, and
   what the commands share), ``__main__``
"""

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
    "ConvergenceWarning",
    "DataError",
    "InterruptedWarning",
    "MLPClassifier",
    "MLPRegressor",
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

# Each public name and the module that owns it.
HOMES = {
    "ConfigError": "errors",
    "ConvergenceWarning": "messages",
    "DataError": "errors",
    "InterruptedWarning": "messages",
    "ModelFileError": "errors",
    "NotFittedError": "errors",
    "ShapeError": "errors",
    "TinynetError": "errors",
    "Random": "rng",
    "Vector": "vector",
    "Matrix": "matrix",
    "StandardScaler": "scaler",
    "accuracy": "metrics",
    "confusion_matrix": "metrics",
    "format_confusion_matrix": "metrics",
    "mean_squared_error": "metrics",
    "r2_score": "metrics",
    "NeuralNet": "network",
    "MLPClassifier": "estimators",
    "MLPRegressor": "estimators",
    "one_hot": "data",
    "read_csv": "data",
    "read_csv_text": "data",
    "train_test_split": "data",
}

TYPE_CHECKING = False
if TYPE_CHECKING:  # the exact types, for mypy; at run time __getattr__ finds them
    from .data import one_hot, read_csv, read_csv_text, train_test_split
    from .estimators import MLPClassifier, MLPRegressor
    from .errors import (
        ConfigError,
        DataError,
        ModelFileError,
        NotFittedError,
        ShapeError,
        TinynetError,
    )
    from .matrix import Matrix
    from .messages import ConvergenceWarning, InterruptedWarning
    from .metrics import (
        accuracy,
        confusion_matrix,
        format_confusion_matrix,
        mean_squared_error,
        r2_score,
    )
    from .network import NeuralNet
    from .rng import Random
    from .scaler import StandardScaler
    from .vector import Vector


def __getattr__(name: str) -> object:
    """Load the module that owns ``name`` and return it (PEP 562).

    The value is then kept in this module, so each name is looked up once.
    """
    home = HOMES.get(name)
    if home is None:
        return _submodule(name)
    value = getattr(__import__("tinynet." + home, None, None, [name]), name)
    globals()[name] = value
    return value


def _submodule(name: str) -> object:
    """The module ``tinynet.<name>``: ``from tinynet import matrix`` asks this
    module for the attribute first, and MicroPython does not then fall back to
    importing the submodule.  A name that is no module is an AttributeError.
    (Modules are not listed here: on a board, every name held costs memory.)
    """
    module = "tinynet." + name
    if name[:2] != "__":  # dunder names are asked about by tools, never modules
        try:
            return __import__(module, None, None, ["__name__"])
        except ImportError as error:
            # Only the module's own absence means "no such attribute"; an
            # import failing inside it (cli needs argparse) is its error.
            if getattr(error, "name", None) != module and repr(module) not in str(error):
                raise
    raise AttributeError("module 'tinynet' has no attribute %r" % name)

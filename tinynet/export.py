"""Deploy without tinynet: a trained model as standalone Python or as C.

======================================================  ==================================
``to_python(model, path=None, name=None,               one Python module: ``predict``,
dtype="float64")``                                     ``predict_proba``; imports only
                                                       ``math``, ``struct`` and ``sys``
``to_c(model, path=None, name=None, dtype="float32")``  one C99 header: ``static inline``
                                                       functions, ``static const``
                                                       weights, nothing beyond
                                                       ``<math.h>``
``export(model, target, path=None, name=None,          either, by ``target``:
dtype=None)``                                          ``"python"`` or ``"c"``
======================================================  ==================================

``model`` is a fitted ``NeuralNet``, a model-file dict (what
``net.to_dict()`` returns, or the parsed JSON of a model file), or the path
of a model file.  Each call returns the generated text; with ``path`` it
also writes it there, completely or not at all (``files.write_atomically``):
a failed export leaves the old file, or none, never half a file.

``name`` names what the text defines: the Python module in its usage
comment, the prefix of every C identifier (``heart_predict``).  It defaults
to the file name without its extension, else ``"model"``.  Any text is
accepted: it is made into a valid name (``"my model"`` gives ``my_model``).

``tinynet.export_python`` and ``tinynet.export_c`` write the two languages;
``tinynet.export_plan`` reads the model for both.

>>> from tinynet.network import NeuralNet
>>> net = NeuralNet(layers=[2, 3, 1], seed=1)
>>> net.init_weights()
>>> scope = {}
>>> exec(to_python(net), scope)
>>> got = scope["predict_proba"]([0.5, -1.0])
>>> want = net.predict_proba([[0.5, -1.0]]).tolist()[0]
>>> all(abs(g - w) <= 1e-12 * abs(w) for g, w in zip(got, want))  # math.sumprod on 3.12+
True
>>> "static inline int model_predict(const float *x)" in to_c(net)
True
"""

from . import files
from .errors import ConfigError, ModelFileError
from .export_c import c_source
from .export_plan import read_plan
from .export_python import python_source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Optional, Union

    from .files import Path
    from .network import NeuralNet

    Model = Union[NeuralNet, Dict[str, Any], Path]

# Each target's writer and default dtype; the names in a fixed order for messages.
TARGETS = ("python", "c")
DTYPES = {"python": ("float64", "float32"), "c": ("float32", "int8")}


def to_python(model: "Model", path: "Optional[Path]" = None, name: "Optional[str]" = None,
              dtype: str = "float64") -> str:
    """``model`` as one standalone Python module (see ``tinynet.export_python``).

    ``dtype`` is ``"float64"`` (the weights exactly, the default) or
    ``"float32"`` (half the bytes; predictions within about 1e-6 relative).
    """
    return export(model, "python", path, name, dtype)


def to_c(model: "Model", path: "Optional[Path]" = None, name: "Optional[str]" = None,
         dtype: str = "float32") -> str:
    """``model`` as one C99 header (see ``tinynet.export_c``).

    ``dtype`` is ``"float32"`` (the default) or ``"int8"`` (weights a
    quarter of the size, integer dot products).
    """
    return export(model, "c", path, name, dtype)


def export(model: "Model", target: str, path: "Optional[Path]" = None,
           name: "Optional[str]" = None, dtype: "Optional[str]" = None) -> str:
    """``model`` as code for ``target`` (``"python"`` or ``"c"``), written to ``path`` if given.

    Raises ``ConfigError`` for an unknown target or dtype, ``ModelFileError``
    for a model that cannot be read (or a ``path`` that cannot be written),
    and ``NotFittedError`` for a network without weights.  Nothing is
    written unless the whole text was made.
    """
    if target not in TARGETS:
        raise ConfigError("unknown export target %r: choose %s" % (target, " or ".join(TARGETS)))
    if dtype is None:
        dtype = DTYPES[target][0]
    if dtype not in DTYPES[target]:
        raise ConfigError("unknown dtype %r for %s: choose %s" % (
            dtype, "Python" if target == "python" else "C", " or ".join(DTYPES[target])))
    target_path = None
    if path is not None:
        target_path = files.path_text(path)
        if target_path is None:
            raise ModelFileError("an output path must be a str, got %r" % (path,))
    if name is None:
        name = _stem(target_path) if target_path is not None else "model"
    plan = read_plan(_model_dict(model))
    write: "Callable[..., str]" = python_source if target == "python" else c_source
    text = write(plan, name, dtype)
    if target_path is not None:
        try:
            files.write_atomically(target_path, text)
        except OSError as error:
            raise ModelFileError("cannot write %s: %s"
                                 % (target_path, files.reason(error, files.folder(target_path))))
    return text


def _model_dict(model: "Model") -> "Dict[str, Any]":
    """A model-file dict from a NeuralNet, a dict or a path (checked later by ``read_plan``)."""
    from .network import NeuralNet

    if isinstance(model, NeuralNet):
        return model.to_dict()
    if isinstance(model, dict):
        return model
    if isinstance(model, str) or hasattr(model, "__fspath__"):
        return NeuralNet.load(model).to_dict()
    raise ModelFileError("cannot export %s: give a NeuralNet, a model-file dict or the path "
                         "of a model file" % type(model).__name__)


def _stem(path: str) -> str:
    """The file name without folder or extension: ``out/heart.h`` -> ``heart``."""
    base = path.replace("\\", "/").rstrip("/").split("/")[-1]
    dot = base.find(".")
    return base[:dot] if dot > 0 else base

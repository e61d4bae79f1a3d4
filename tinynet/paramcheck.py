"""Checking a network's weights: ``params`` holds ``W1, b1, ...`` of the right
types and shapes.

``NeuralNet._check_params`` loads this module when it has something to
check: before training further, before saving, and when a forward pass
fails.  A learner may replace an entry of ``net.params`` by hand (a plain
list, a deleted ``b2``, a matrix of the wrong size); the error then names
that entry and what it should be.

>>> from tinynet.matrix import Matrix
>>> from tinynet.vector import Vector
>>> check_params({"W1": Matrix.zeros(2, 1), "b1": Vector.zeros(1)}, [2, 1])
>>> check_params({"W1": Matrix.zeros(2, 1)}, [2, 1])
Traceback (most recent call last):
...
tinynet.errors.ConfigError: params['b1'] is missing: layers [2, 1] need a Vector of 1 value there (init_weights() makes fresh ones)
"""

from .checks import describe
from .errors import ConfigError, ShapeError
from .matrix import Matrix
from .settings import layer_names
from .vector import Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence


def check_params(params: object, layers: "Sequence[int]") -> None:
    """Raise unless ``params`` holds exactly what a network of ``layers`` needs.

    That is ``Wl`` as an ``n(l-1) x nl`` Matrix and ``bl`` as a Vector of
    ``nl`` values for every layer ``l``.  A learner may replace an entry by
    hand (a plain list, a deleted ``b2``, a matrix of the wrong size); the
    error then names that entry and what it should be, instead of a
    TypeError or KeyError from deep inside the forward pass.  (A wrong shape
    that happens to chain would even predict without error, from the wrong
    number of outputs.)
    """
    if not isinstance(params, dict):
        raise ConfigError("params must be a dict of W1, b1, ..., got %s" % describe(params))
    for l, (W_name, b_name, _, _) in enumerate(layer_names(len(layers) - 1), 1):
        n_in, n_out = layers[l - 1], layers[l]
        W, b = params.get(W_name), params.get(b_name)
        if type(W) is not Matrix or len(W.rows) != n_in or W.n_cols != n_out:
            _bad_param(W_name, W, "a %dx%d Matrix" % (n_in, n_out), layers, W_name in params)
        if type(b) is not Vector or len(b.data) != n_out:
            _bad_param(b_name, b, "a Vector of %d value%s" % (n_out, "" if n_out == 1 else "s"),
                       layers, b_name in params)


def _bad_param(name: str, value: object, wanted: str, layers: "Sequence[int]",
               present: bool) -> None:
    where = "params[%r]" % name
    needs = "layers %r need %s there" % (list(layers), wanted)
    if not present:
        raise ConfigError("%s is missing: %s (init_weights() makes fresh ones)" % (where, needs))
    if isinstance(value, Matrix):
        raise ShapeError("%s is a %dx%d Matrix, but %s" % ((where,) + value.shape + (needs,)))
    if isinstance(value, Vector):
        raise ShapeError("%s is a Vector of %d value%s, but %s"
                         % (where, len(value), "" if len(value) == 1 else "s", needs))
    raise ConfigError("%s is %s, but %s" % (where, describe(value), needs))

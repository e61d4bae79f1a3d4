"""The settings of a ``NeuralNet``, described once: their rules and where they are kept.

``NeuralNet(...)`` checks each of its arguments with ``check(name, value)``,
and a model file writes and reads the training settings named in
``TRAINING_SETTINGS``, with the JSON type each row gives.  Both read the one
table ``SETTINGS`` below, so a setting added there is checked, saved and
loaded alike.  (The defaults are in ``NeuralNet``'s signature, where a reader
of the tutorial's API looks for them.)

Every setting belongs to one of three groups:

* ``model``: what the network is (``layers``, ``activation``, ``output``);
  a model file keeps them at its top level;
* ``training``: how it learns; a model file keeps them under ``training``,
  so a loaded network can go on training the same way;
* ``run``: about one call only (``verbose``, ``callback``); never saved.

>>> check("learning_rate", 0.1)
0.1
>>> check("layers", [2, 5, 1])
[2, 5, 1]
>>> check("optimizer", "rmsprop")
Traceback (most recent call last):
...
tinynet.errors.ConfigError: unknown optimizer 'rmsprop' (str): choose one of gd, momentum, adam
>>> layer_names(2)
[('W1', 'b1', 'Z1', 'A1'), ('W2', 'b2', 'Z2', 'A2')]
>>> param_names(2)
['W1', 'b1', 'W2', 'b2']

The names of the optimizers and of the weight initialisations live here,
where the constructor can check them without loading the code behind them
(``tinynet.optimizers`` builds its table from ``OPTIMIZER_NAMES``).
"""

from .activations import HIDDEN_ACTIVATION_NAMES
from .checks import (
    check_bool,
    check_choice,
    check_count,
    check_fraction,
    check_int,
    check_non_negative,
    check_positive,
    describe,
    whole_number,
)
from .errors import ConfigError
from .outputs import OUTPUT_NAMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

    Rule = Callable[[str, object], Any]

OPTIMIZER_NAMES = ("gd", "momentum", "adam")
INIT_NAMES = ("auto", "he", "xavier", "normal")

# The JSON type a model file keeps a training setting as, in the words its
# messages use.  (JSON's ``true`` must not stand in for 1, nor ``"no"`` for false.)
NUMBER = "a number"
WHOLE_NUMBER = "a whole number"
WHOLE_NUMBER_OR_NULL = "a whole number or null"
TRUE_OR_FALSE = "true or false"
NAME = "a name (a string)"


def check_layers(name: str, layers: object) -> "List[int]":
    """``layers`` as a list of at least two positive ints, or ConfigError."""
    if isinstance(layers, (str, bytes)) or not isinstance(layers, (list, tuple)):
        raise ConfigError("layers must be a list of layer sizes like [2, 5, 1], got %s"
                          % describe(layers))
    if len(layers) < 2:
        raise ConfigError("layers needs at least 2 sizes (inputs and outputs), got %r"
                          % (list(layers),))
    sizes = []
    for i, size in enumerate(layers):
        whole = whole_number(size)
        if whole is None:
            raise ConfigError("layer %d has size %s: layer sizes must be whole numbers"
                              % (i, describe(size)))
        if whole < 1:
            raise ConfigError("layer %d has size %d: every layer needs at least 1 unit" % (i, whole))
        sizes.append(whole)
    # Checked here, before any weight exists: a size like 10**9 must fail at
    # once, not after minutes of allocating.
    check_count("layers %r" % (sizes,), weight_count(sizes), noun="weights and biases")
    return sizes


def weight_count(layers: "Sequence[int]") -> int:
    """How many numbers a network of these layer sizes holds: ``n(l-1) * nl``
    weights and ``nl`` biases for every layer ``l``."""
    return sum(n_in * n_out + n_out for n_in, n_out in zip(layers, layers[1:]))


def _count(name: str, value: object) -> int:
    return check_int(name, value, 1)


def _seed(name: str, value: object) -> int:
    return check_int(name, value, 0)


def _batch_size(name: str, value: object) -> "Any":
    return None if value is None else check_int(name, value, 1)


def _fraction_or_zero(name: str, value: object) -> float:
    return check_fraction(name, value, allow_zero=True)


def _verbose(name: str, value: object) -> "Any":
    if value is not True and value is not False:
        whole = whole_number(value)
        if whole is None or whole < 0:
            raise ConfigError("%s must be True, False or an int >= 0 (0 is off), got %s"
                              % (name, describe(value)))
        return whole
    return value


def _callback(name: str, value: object) -> "Any":
    if value is not None and not callable(value):
        raise ConfigError("%s must be a function called as callback(net, epoch), got %s"
                          % (name, describe(value)))
    return value


class Setting:
    """One setting: its name, its group, the rule its values follow (a function,
    or the list of names in ``choices``) and its JSON type in a model file.  What
    it means is ``tinynet.meanings.MEANINGS[name]``."""

    __slots__ = ("name", "group", "rule", "choices", "json_type")

    def __init__(self, name: str, group: str, rule: "Optional[Rule]", json_type: str,
                 choices: "Sequence[str]" = ()) -> None:
        self.name = name
        self.group = group
        self.rule = rule
        self.choices = choices
        self.json_type = json_type

    def __repr__(self) -> str:
        return "<Setting %s>" % self.name

    def check(self, value: object) -> "Any":
        """``value`` checked (and converted: NumPy integers become ints), or ConfigError."""
        if self.rule is None:  # one of the names in choices
            return check_choice(self.name, value, self.choices)
        return self.rule(self.name, value)


# One row per setting, in the constructor's order.  What each means, in words,
# is in tinynet.meanings: only people read it, and on a microcontroller every
# string in a table is memory held for as long as the program runs.
SETTINGS = (
    Setting("layers", "model", check_layers, ""),
    Setting("learning_rate", "training", check_positive, NUMBER),
    Setting("iterations", "training", _count, WHOLE_NUMBER),
    Setting("activation", "model", None, NAME, HIDDEN_ACTIVATION_NAMES),
    Setting("output", "model", None, NAME, ("auto",) + OUTPUT_NAMES),
    Setting("init", "training", None, NAME, INIT_NAMES),
    Setting("seed", "training", _seed, WHOLE_NUMBER),
    Setting("batch_size", "training", _batch_size, WHOLE_NUMBER_OR_NULL),
    Setting("optimizer", "training", None, NAME, OPTIMIZER_NAMES),
    Setting("momentum", "training", _fraction_or_zero, NUMBER),
    Setting("nesterov", "training", check_bool, TRUE_OR_FALSE),
    Setting("beta1", "training", _fraction_or_zero, NUMBER),
    Setting("beta2", "training", _fraction_or_zero, NUMBER),
    Setting("epsilon", "training", check_positive, NUMBER),
    Setting("alpha", "training", check_non_negative, NUMBER),
    Setting("early_stopping", "training", check_bool, TRUE_OR_FALSE),
    Setting("validation_fraction", "training", check_fraction, NUMBER),
    Setting("patience", "training", _count, WHOLE_NUMBER),
    Setting("tol", "training", check_non_negative, NUMBER),
    Setting("verbose", "run", _verbose, ""),
    Setting("callback", "run", _callback, ""),
)

SETTINGS_BY_NAME: "Dict[str, Setting]" = {setting.name: setting for setting in SETTINGS}

# The settings a model file keeps under "training", in the order it writes them.
TRAINING_SETTINGS = tuple(setting.name for setting in SETTINGS if setting.group == "training")


def check(name: str, value: object) -> "Any":
    """The value of setting ``name`` checked by its rule, or ConfigError naming it."""
    return SETTINGS_BY_NAME[name].check(value)


def check_combination(optimizer: str, nesterov: bool) -> None:
    """ConfigError for settings that are fine alone but not together."""
    if nesterov and optimizer != "momentum":
        raise ConfigError("nesterov=True needs optimizer='momentum', got optimizer=%r"
                          % (optimizer,))


def layer_names(n_layers: int) -> "List[Tuple[str, str, str, str]]":
    """``("W1", "b1", "Z1", "A1"), ...``: the names of each layer's weights, bias,
    ``Z`` and ``A``, for ``params``, the cache and the model file.  Made here
    only, once per network."""
    return [("W%d" % l, "b%d" % l, "Z%d" % l, "A%d" % l) for l in range(1, n_layers + 1)]


def param_names(n_layers: int) -> "List[str]":
    """``["W1", "b1", "W2", "b2", ...]``: the parameters of ``n_layers`` layers, in order."""
    return [name for W, b, _, _ in layer_names(n_layers) for name in (W, b)]

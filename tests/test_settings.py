"""tinynet.settings: the settings are described once, and the constructor, the model file
and the command line all read that one description."""

import inspect

import pytest

from tinynet import ConfigError, NeuralNet, cli
from tinynet.meanings import MEANINGS
from tinynet.activations import HIDDEN_ACTIVATION_NAMES, HIDDEN_ACTIVATIONS
from tinynet.optimizers import OPTIMIZERS, Adam, GradientDescent, Momentum, make_optimizer
from tinynet.settings import (
    OPTIMIZER_NAMES,
    SETTINGS,
    TRAINING_SETTINGS,
    check,
    layer_names,
    param_names,
)


def test_every_constructor_argument_is_one_setting_in_the_same_order() -> None:
    parameters = list(inspect.signature(NeuralNet.__init__).parameters)[1:]
    assert [setting.name for setting in SETTINGS] == parameters
    assert all(setting.group in ("model", "training", "run") for setting in SETTINGS)
    assert sorted(MEANINGS) == sorted(parameters)  # and what each means, once
    assert all(MEANINGS[name] for name in parameters)


def test_each_setting_given_is_kept_on_the_network() -> None:
    def callback(net: object, epoch: int) -> bool:
        return False

    values = dict(layers=[3, 4, 2], learning_rate=0.2, iterations=7, activation="tanh",
                  output="softmax", init="xavier", seed=5, batch_size=3, optimizer="momentum",
                  momentum=0.5, nesterov=True, beta1=0.8, beta2=0.9, epsilon=1e-6, alpha=0.1,
                  early_stopping=True, validation_fraction=0.3, patience=4, tol=0.01,
                  verbose=2, callback=callback)
    assert sorted(values) == sorted(setting.name for setting in SETTINGS)
    net = NeuralNet(**values)  # type: ignore[arg-type]
    for name, value in values.items():
        assert getattr(net, name) == value, name


def test_a_model_file_keeps_exactly_the_training_settings() -> None:
    net = NeuralNet([2, 3, 1], learning_rate=0.05, alpha=0.5, seed=9)
    net.init_weights()
    saved = net.to_dict()
    assert list(saved["training"]) == list(TRAINING_SETTINGS)
    assert TRAINING_SETTINGS == tuple(s.name for s in SETTINGS if s.group == "training")
    assert {s.name for s in SETTINGS if s.group == "model"} == {"layers", "activation", "output"}
    assert (saved["training"]["learning_rate"], saved["training"]["alpha"]) == (0.05, 0.5)


@pytest.mark.parametrize("name, bad", [("learning_rate", 0), ("iterations", 0), ("init", "glorot"),
                                       ("seed", -1), ("batch_size", 0), ("optimizer", "sgd"),
                                       ("momentum", 1), ("nesterov", 1), ("alpha", -1),
                                       ("validation_fraction", 1), ("verbose", -1),
                                       ("callback", 3), ("layers", [2]), ("activation", "elu"),
                                       ("output", "tanh")])
def test_the_constructor_and_check_refuse_alike(name: str, bad: object) -> None:
    with pytest.raises(ConfigError) as direct:
        check(name, bad)
    with pytest.raises(ConfigError) as constructed:
        NeuralNet(**{name: bad})  # type: ignore[arg-type]
    assert str(direct.value) == str(constructed.value)
    assert name in str(direct.value) or "layer" in str(direct.value)


def test_parameter_names_are_made_in_one_place() -> None:
    assert layer_names(2) == [("W1", "b1", "Z1", "A1"), ("W2", "b2", "Z2", "A2")]
    assert param_names(3) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    net = NeuralNet([4, 3, 3, 2])
    assert net.layer_names == layer_names(3) and net.param_names == param_names(3)


def test_the_optimizer_table_is_built_from_the_names_the_constructor_checks() -> None:
    assert list(OPTIMIZERS) == list(OPTIMIZER_NAMES)
    assert [OPTIMIZERS[name] for name in OPTIMIZER_NAMES] == [GradientDescent, Momentum, Adam]
    adam = make_optimizer("adam", 0.1, beta1=0.5, beta2=0.6, epsilon=0.7)
    assert (adam.learning_rate, adam.beta1, adam.beta2, adam.epsilon) == (0.1, 0.5, 0.6, 0.7)
    momentum = make_optimizer("momentum", 0.2, momentum=0.3, nesterov=True)
    assert (momentum.learning_rate, momentum.momentum, momentum.nesterov) == (0.2, 0.3, True)


def test_the_command_line_offers_the_tables_names() -> None:
    train = cli.build_parser()._subparsers._group_actions[0].choices["train"]  # type: ignore[union-attr]
    choices = {action.dest: list(action.choices) for action in train._actions if action.choices}
    assert choices["optimizer"] == list(OPTIMIZER_NAMES)
    assert choices["activation"] == list(HIDDEN_ACTIVATION_NAMES) == list(HIDDEN_ACTIVATIONS)

"""What ``MLPClassifier`` and ``MLPRegressor`` share: ``MLPEstimator``.

``tinynet.estimators`` holds the two estimators and explains them; this
module is the part they have in common, so that each of them reads as what
makes it a classifier or a regressor:

==============================  ================================================
``MLPEstimator``                scikit-learn's parameters (``get_params``,
                                ``set_params``), its epoch loop around
                                ``NeuralNet.partial_fit`` (shuffling, batches,
                                ``tol`` and ``n_iter_no_change``, early
                                stopping, Ctrl-C), the fitted attributes, and
                                ``from_sklearn``, ``from_onnx``, ``to_onnx``
``ACTIVATIONS``                 scikit-learn's hidden activations, as tinynet
                                names them
``hidden_sizes(value)``         ``hidden_layer_sizes`` checked, as a list
``seed_from(random_state)``     the network's seed (None: a fresh one)
``distinct(labels, where)``     the sorted distinct labels
``warn(message, category)``     a warning from where the user called
==============================  ================================================

>>> hidden_sizes((8, 4)), ACTIVATIONS["logistic"]
([8, 4], 'sigmoid')
"""

import math
import sys

from . import messages, training
from .arraylike import Table, read_table
from .checks import (
    check_bool,
    check_fraction,
    check_int,
    check_non_negative,
    check_positive,
    describe,
    first_non_finite,
    iterate,
    whole_number,
)
from .errors import ConfigError, DataError, ModelFileError, NotFittedError, ShapeError
from .labels import plain_label
from .matrix import Matrix
from .messages import ConvergenceWarning, InterruptedWarning
from .network import NeuralNet
from .optimizers import rows_of
from .rng import Random
from .training import take_rows

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple

    # What an estimator's _targets gives: the targets, the output layer's
    # name and units, and the classes for the network's partial_fit.
    Targets = Tuple[Any, str, int, Any]

# scikit-learn's hidden activations, as tinynet calls them, in scikit-learn's order.
ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}
ACTIVATION_NAMES = ("identity", "logistic", "tanh", "relu")

# tinynet's output layers, as scikit-learn's out_activation_ names them.
OUT_ACTIVATIONS = {"sigmoid": "logistic", "softmax": "softmax", "linear": "identity"}

# batch_size='auto': min(AUTO_BATCH, n_samples).
AUTO_BATCH = 200

# The network's settings that fit may change on a network it goes on training.
CONTINUED_SETTINGS = ("optimizer", "learning_rate", "alpha", "momentum", "nesterov", "beta1",
                      "beta2", "epsilon")

# tinynet's hidden activations that scikit-learn has, by scikit-learn's name for them.
SKLEARN_ACTIVATIONS = {tinynet: sklearn for sklearn, tinynet in ACTIVATIONS.items()}


class MLPEstimator:
    """What both estimators share: parameters, the epoch loop, inputs and outputs.

    A subclass lists its constructor's parameters in ``PARAMETERS`` and
    decides what differs: its targets (``_targets``), the output layer, the
    gradient's scale and the loss's units, and its tags for scikit-learn.
    """

    PARAMETERS: "Tuple[str, ...]" = (
        "hidden_layer_sizes", "activation", "solver", "alpha", "batch_size", "learning_rate",
        "learning_rate_init", "power_t", "max_iter", "shuffle", "random_state", "tol",
        "verbose", "warm_start", "momentum", "nesterovs_momentum", "early_stopping",
        "validation_fraction", "beta_1", "beta_2", "epsilon", "n_iter_no_change", "max_fun",
    )
    _estimator_type = ""  # scikit-learn before 1.6 reads this
    _classifier = False  # whether the output layer predicts classes
    _other = ""

    # The parameters, set by the subclasses' __init__ (for mypy: their values
    # are whatever the user gave, checked by fit).
    hidden_layer_sizes: "Any"
    activation: "Any"
    solver: "Any"
    alpha: "Any"
    batch_size: "Any"
    learning_rate: "Any"
    learning_rate_init: "Any"
    power_t: "Any"
    max_iter: "Any"
    shuffle: "Any"
    random_state: "Any"
    tol: "Any"
    verbose: "Any"
    warm_start: "Any"
    momentum: "Any"
    nesterovs_momentum: "Any"
    early_stopping: "Any"
    validation_fraction: "Any"
    beta_1: "Any"
    beta_2: "Any"
    epsilon: "Any"
    n_iter_no_change: "Any"
    max_fun: "Any"

    # --- parameters, as scikit-learn's clone and grid search use them ---------------

    def get_params(self, deep: bool = True) -> "Dict[str, Any]":
        """The constructor's parameters by name, as given (``deep`` changes
        nothing: no parameter is itself an estimator)."""
        return {name: getattr(self, name) for name in self.PARAMETERS}

    def set_params(self, **params: "Any") -> "Any":
        """Change parameters by name and return the estimator.  An unknown name
        is a ConfigError; values are checked by the next ``fit``, as in scikit-learn."""
        for name in params:
            if name not in self.PARAMETERS:
                raise ConfigError("%s has no parameter %r; its parameters are %s" % (
                    type(self).__name__, name, ", ".join(sorted(self.PARAMETERS))))
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        """``MLPClassifier(hidden_layer_sizes=(10,), max_iter=500)``: the parameters
        that differ from the defaults, as scikit-learn shows an estimator."""
        defaults = type(self)()
        changed = []
        for name in self.PARAMETERS:
            value, default = getattr(self, name), getattr(defaults, name)
            if type(value) is not type(default) or value != default:
                changed.append("%s=%r" % (name, value))
        return "%s(%s)" % (type(self).__name__, ", ".join(changed))

    # --- training ---------------------------------------------------------------------

    def fit(self, X: object, y: object) -> "Any":
        """Train for up to ``max_iter`` epochs and return the estimator.

        From fresh weights, unless ``warm_start`` is True and the estimator is
        already fitted: then from the fitted weights, with a fresh optimizer
        (as in scikit-learn).
        """
        return self._fit(X, y, False, None)

    def _fit(self, X: object, y: object, incremental: bool, classes: object) -> "Any":
        """``fit`` (``incremental`` False) and ``partial_fit`` (one epoch, True).

        Everything is checked before anything changes, and a failure (bad
        data, a loss that stops being finite) leaves the estimator as it was.
        """
        plan = self._plan()
        if incremental and plan["early_stopping"]:
            raise ConfigError("partial_fit cannot hold data back for early_stopping=True: set "
                              "early_stopping=False")
        table = read_table(X)
        if y is None:
            raise DataError("%s requires y to be passed, but the target y is None"
                            % type(self).__name__)
        net = self.__dict__.get("network_") if incremental or plan["warm_start"] else None
        fresh_optimizer = net is None or not incremental  # partial_fit keeps its optimizer
        if net is not None:
            self._check_width(table)
            self._check_same_network(net, plan)
        targets, output, n_units, classes = self._targets(y, len(table.matrix.rows), net,
                                                          classes, incremental)
        seed = plan["seed"]
        if net is None:
            net = NeuralNet(
                layers=[table.matrix.n_cols] + plan["hidden"] + [n_units],
                activation=plan["activation"], output=output, seed=seed,
                optimizer="adam" if plan["solver"] == "adam" else "momentum")
            net.init_weights()
            record = new_record(plan["early_stopping"])
        else:
            record = self._fitted_record()
        X_train, train_targets, validation = table.matrix, targets, None
        if plan["early_stopping"]:
            train_rows, val_rows = validation_split(len(X_train.rows), plan["validation_fraction"],
                                                    Random(seed + 2))
            validation = (take_rows(X_train, val_rows), take(targets, val_rows))
            X_train = take_rows(X_train, train_rows)
            train_targets = take(targets, train_rows)
        saved = training.snapshot(net)
        saved.update((name, getattr(net, name)) for name in CONTINUED_SETTINGS)
        try:
            self._configure(net, plan, n_units, fresh_optimizer)
            self._run_epochs(net, plan, X_train, train_targets, classes, validation, record,
                             incremental, Random(seed + 1))
        except BaseException:
            training.restore(net, saved)
            raise
        self._commit(net, table.answer, table.names, record)
        return self

    def _configure(self, net: NeuralNet, plan: "Dict[str, Any]", n_units: int,
                   fresh_optimizer: bool) -> None:
        """Give the network the plan's optimizer settings, in tinynet's units (see
        "The regressor's loss" in ``tinynet.estimators``), and a fresh optimizer
        that takes them, unless ``partial_fit`` goes on with the one it has (as
        scikit-learn's does)."""
        scale = self._gradient_scale(n_units)
        sgd = plan["solver"] == "sgd"
        if fresh_optimizer or net.optimizer_state is None:
            # The solver's optimizer, also for a network that was imported (a model
            # dict names none) or fitted with another solver before a warm start.
            net.optimizer = "momentum" if sgd else "adam"
        # Adam's steps do not depend on the gradient's scale; plain steps do.
        rate = plan["learning_rate_init"]
        net.learning_rate = rate / scale if sgd else rate
        net.alpha = plan["alpha"] * scale
        net.momentum, net.nesterov = plan["momentum"], sgd and plan["nesterov"]
        net.beta1, net.beta2, net.epsilon = plan["beta_1"], plan["beta_2"], plan["epsilon"] * scale
        if fresh_optimizer:
            net.optimizer_state = None  # made afresh, with these settings, by the first step

    def _run_epochs(self, net: NeuralNet, plan: "Dict[str, Any]", X: Matrix, targets: "Any",
                    classes: "Any", validation: "Any", record: "Dict[str, Any]",
                    incremental: bool, rng: Random) -> None:
        """scikit-learn's loop: epochs of mini-batch steps, the loss, the stopping rule.

        Ctrl-C after the first epoch keeps the weights and warns; before it,
        the fit is undone and the KeyboardInterrupt goes on.
        """
        n = len(X.rows)
        batch_size = plan["batch_size"]
        batch_size = min(AUTO_BATCH if batch_size == "auto" else batch_size, n)
        record["n_iter"] = 0
        stopped = False
        try:
            for _ in range(1 if incremental else plan["max_iter"]):
                order = list(range(n))
                if plan["shuffle"]:
                    rng.shuffle(order)
                total = 0.0
                try:
                    for start in range(0, n, batch_size):
                        rows = order[start:start + batch_size]
                        batch_loss = self._step(net, take_rows(X, rows),
                                                take(targets, rows), classes, plan)
                        total += batch_loss * len(rows)
                except ConfigError:
                    # The data were checked before the loop: what is left is a
                    # loss that is no longer finite.
                    raise self._diverged(record["n_iter"] + 1, plan)
                record["n_iter"] += 1
                record["t"] += n
                record["loss"] = total / n
                record["loss_curve"].append(record["loss"])
                if plan["verbose"]:
                    print("Iteration %d, loss = %.8f" % (record["n_iter"], record["loss"]))
                self._count_epochs_without_improvement(net, plan, validation, record)
                if record["no_improvement"] > plan["n_iter_no_change"]:
                    stopped = True
                    if plan["verbose"]:
                        print("%s did not improve more than tol=%f for %d consecutive epochs. "
                              "Stopping." % ("Validation score" if validation else "Training loss",
                                             plan["tol"], plan["n_iter_no_change"]))
                    break
        except KeyboardInterrupt:
            if record["n_iter"] == 0:
                raise
            warn("%s: training interrupted after %d iterations; the weights trained so far "
                 "are kept" % (type(self).__name__, record["n_iter"]), InterruptedWarning)
            stopped = True
        if record["best_params"]:
            net.params = record["best_params"]  # early stopping keeps the best weights
        if first_non_finite(row for name in net.param_names
                            for row in rows_of(net.params[name])) is not None:
            raise self._diverged(record["n_iter"], plan)
        if not incremental and not stopped:
            warn("%s: maximum iterations (%d) reached and the optimization hasn't converged "
                 "yet: the %s still improved by more than tol=%r in the last %d epochs; raise "
                 "max_iter or learning_rate_init" % (
                     type(self).__name__, plan["max_iter"],
                     "validation score" if validation else "training loss", plan["tol"],
                     plan["n_iter_no_change"] + 1), ConvergenceWarning)

    def _count_epochs_without_improvement(self, net: NeuralNet, plan: "Dict[str, Any]",
                                          validation: "Any", record: "Dict[str, Any]") -> None:
        """scikit-learn's count of epochs in a row that improved by ``tol`` or less:
        the training loss, or with early stopping the validation score (whose
        best weights are kept)."""
        tol = plan["tol"]
        if validation is None:
            loss = record["loss"]
            if loss > record["best_loss"] - tol:
                record["no_improvement"] += 1
            else:
                record["no_improvement"] = 0
            record["best_loss"] = min(record["best_loss"], loss)
            return
        score = net.score(*validation)
        record["validation_scores"].append(score)
        if plan["verbose"]:
            print("Validation score: %f" % score)
        if score < record["best_validation_score"] + tol:
            record["no_improvement"] += 1
        else:
            record["no_improvement"] = 0
        if score > record["best_validation_score"]:
            record["best_validation_score"] = score
            record["best_params"] = {name: value.copy() for name, value in net.params.items()}

    def _step(self, net: NeuralNet, X: Matrix, targets: "Any", classes: "Any",
              plan: "Dict[str, Any]") -> float:
        """One optimizer step on a batch (the network's ``partial_fit``); returns the
        batch's loss as tinynet measures it, before the step."""
        net.partial_fit(X, targets, classes)
        return net.loss.pop()  # the estimator keeps its own curve: loss_curve_

    def _diverged(self, iteration: int, plan: "Dict[str, Any]") -> ConfigError:
        """The error for a loss or a weight that is no longer a finite number."""
        return ConfigError("%s: training diverged in iteration %d (the loss is no longer a "
                           "finite number): lower learning_rate_init (now %r), or rescale the "
                           "data to unit size (tinynet.StandardScaler)%s"
                           % (type(self).__name__, iteration, plan["learning_rate_init"],
                              self._diverged_hint()))

    def _diverged_hint(self) -> str:
        return ""

    # --- the parameters -----------------------------------------------------------------

    def _plan(self) -> "Dict[str, Any]":
        """The parameters checked, as the loop and the network use them, or a
        ConfigError that names the parameter and what to use instead."""
        name = type(self).__name__
        if self.activation not in ACTIVATION_NAMES:
            raise ConfigError("%s: unknown activation %s: choose one of %s"
                              % (name, describe(self.activation), ", ".join(ACTIVATION_NAMES)))
        if self.solver == "lbfgs":
            raise ConfigError("%s: solver='lbfgs' is not available in tinynet (it needs line "
                              "searches over the whole data set): use solver='adam' (the "
                              "default) or solver='sgd'" % name)
        if self.solver not in ("adam", "sgd"):
            raise ConfigError("%s: unknown solver %s: choose 'adam' or 'sgd'"
                              % (name, describe(self.solver)))
        if self.learning_rate in ("invscaling", "adaptive"):
            raise ConfigError(
                "%s: learning_rate=%r (a schedule) is not available in tinynet: use "
                "learning_rate='constant' and choose learning_rate_init, or solver='adam', "
                "which adapts the step of each weight" % (name, self.learning_rate))
        if self.learning_rate != "constant":
            raise ConfigError("%s: unknown learning_rate %s: tinynet has 'constant'"
                              % (name, describe(self.learning_rate)))
        early_stopping = check_bool("early_stopping", self.early_stopping)
        check_non_negative("power_t", self.power_t)  # only 'invscaling' uses it
        check_int("max_fun", self.max_fun, 1)  # only 'lbfgs' uses it
        return {
            "hidden": hidden_sizes(self.hidden_layer_sizes),
            "activation": ACTIVATIONS[self.activation],
            "solver": self.solver,
            "alpha": check_non_negative("alpha", self.alpha),
            "batch_size": "auto" if self.batch_size == "auto" else check_int(
                "batch_size", self.batch_size, 1, wanted="'auto' or a whole number >= 1"),
            "learning_rate_init": check_positive("learning_rate_init", self.learning_rate_init),
            "max_iter": check_int("max_iter", self.max_iter, 1),
            "shuffle": check_bool("shuffle", self.shuffle),
            "seed": seed_from(self.random_state),
            "tol": check_non_negative("tol", self.tol),
            "verbose": check_verbose(self.verbose),
            "warm_start": check_bool("warm_start", self.warm_start),
            "momentum": check_fraction("momentum", self.momentum, allow_zero=True),
            "nesterov": check_bool("nesterovs_momentum", self.nesterovs_momentum),
            "early_stopping": early_stopping,
            "validation_fraction": check_fraction("validation_fraction",
                                                  self.validation_fraction,
                                                  allow_zero=not early_stopping),
            "beta_1": check_fraction("beta_1", self.beta_1, allow_zero=True),
            "beta_2": check_fraction("beta_2", self.beta_2, allow_zero=True),
            "epsilon": check_positive("epsilon", self.epsilon),
            "n_iter_no_change": check_int("n_iter_no_change", self.n_iter_no_change, 1),
        }

    def _check_same_network(self, net: NeuralNet, plan: "Dict[str, Any]") -> None:
        """ConfigError when the parameters no longer describe the fitted network."""
        if net.layers[1:-1] != plan["hidden"] or net.activation != plan["activation"]:
            raise ConfigError(
                "%s: warm_start and partial_fit go on training the fitted network (layers %r, "
                "activation %r), but hidden_layer_sizes or activation have changed since: "
                "call fit with warm_start=False to start afresh"
                % (type(self).__name__, net.layers, net.activation))

    # --- what each estimator decides ---------------------------------------------------

    # ``_targets(y, n_rows, net, classes, incremental)``: ``y`` checked, as
    # (the targets to train on, the output layer's name and units, the
    # classes to hand to the network's ``partial_fit``); ``net`` is the
    # fitted network that training goes on with, or None.
    _targets: "Callable[[object, int, Optional[NeuralNet], object, bool], Targets]"

    def _gradient_scale(self, n_units: int) -> float:
        """How many times scikit-learn's gradient tinynet's loss has (see the module)."""
        return 1.0

    # --- the fitted state ---------------------------------------------------------------

    def _fitted_network(self) -> NeuralNet:
        """The network, or NotFittedError (scikit-learn's too, when it is loaded)."""
        net = self.__dict__.get("network_")
        if net is None:
            raise not_fitted_error("this %s is not fitted yet: call fit(X, y) first"
                                   % type(self).__name__)
        return net  # type: ignore[no-any-return]

    def _fitted_record(self) -> "Dict[str, Any]":
        """The training record of the fitted estimator, copied, for training that goes on."""
        return {
            "loss": self.loss_, "loss_curve": list(self.loss_curve_), "t": self.t_,
            "n_iter": self.n_iter_, "no_improvement": self.__dict__["_no_improvement_count"],
            "best_loss": math.inf if self.best_loss_ is None else self.best_loss_,
            "validation_scores": list(self.validation_scores_ or []),
            "best_validation_score": (-math.inf if self.best_validation_score_ is None
                                      else self.best_validation_score_),
            "best_params": {},
        }

    def _commit(self, net: NeuralNet, answer: "Callable[[Any], Any]",
                names: "Optional[List[str]]", record: "Dict[str, Any]") -> None:
        """Set the fitted attributes from the trained network and the record;
        ``answer`` makes them the caller's kind of data (``Table.answer``),
        ``names`` are the column names of ``X``, when it had them."""
        self.network_ = net
        self.n_features_in_ = net.layers[0]
        if names is not None:
            self.feature_names_in_ = answer(names)
        elif "feature_names_in_" in self.__dict__:
            del self.feature_names_in_
        self.n_layers_ = len(net.layers)
        self.n_outputs_ = net.layers[-1]
        self.out_activation_ = OUT_ACTIVATIONS[net.output]
        self.coefs_ = [answer(net.params[W].tolist()) for W, _, _, _ in net.layer_names]
        self.intercepts_ = [answer(net.params[b].tolist()) for _, b, _, _ in net.layer_names]
        self.loss_ = record["loss"]
        self.loss_curve_ = record["loss_curve"]
        self.n_iter_ = record["n_iter"]
        self.t_ = record["t"]
        self._no_improvement_count = record["no_improvement"]
        self.validation_scores_: "Optional[List[float]]" = None
        self.best_validation_score_: "Optional[float]" = None
        self.best_loss_: "Optional[float]" = None
        if self.early_stopping is True:
            self.validation_scores_ = record["validation_scores"]
            self.best_validation_score_ = record["best_validation_score"]
        else:
            self.best_loss_ = record["best_loss"]

    def _check_width(self, table: "Table") -> None:
        """ShapeError when ``X`` has another number of features than ``fit`` saw."""
        if table.matrix.n_cols != self.n_features_in_:
            raise ShapeError("X has %d features, but %s is expecting %d features as input"
                             % (table.matrix.n_cols, type(self).__name__, self.n_features_in_))

    def _read(self, X: object) -> "Tuple[NeuralNet, Table]":
        """The fitted network, and ``X`` read and checked for it."""
        net = self._fitted_network()
        table = read_table(X)
        self._check_width(table)
        return net, table

    # --- other formats: a fitted scikit-learn MLP, ONNX ---------------------------------

    @classmethod
    def from_sklearn(cls, estimator: object) -> "Any":
        """An estimator fitted with the weights of scikit-learn's fitted ``estimator``
        (an ``MLPClassifier`` or ``MLPRegressor``, or a ``Pipeline`` of a
        ``StandardScaler`` and one), read without importing scikit-learn
        (``NeuralNet.from_sklearn``).  See "Importing a network" in
        ``tinynet.estimators`` for what it sets."""
        return cls._imported(NeuralNet.from_sklearn(estimator), "from_sklearn",
                             "the %s" % type(estimator).__name__)

    @classmethod
    def from_onnx(cls, source: "Any") -> "Any":
        """An estimator fitted with the network of an ONNX file (a path) or ONNX
        bytes, as ``NeuralNet.from_onnx`` reads them: written by skl2onnx,
        ``torch.onnx.export`` or ``to_onnx``.  See "Importing a network" in
        ``tinynet.estimators`` for what it sets."""
        from .files import path_text

        net = NeuralNet.from_onnx(source)
        path = None if isinstance(source, (bytes, bytearray, memoryview)) else path_text(source)
        return cls._imported(net, "from_onnx",
                             "the ONNX model" if path is None else "ONNX file %r" % path)

    def to_onnx(self, path: "Any" = None, dtype: str = "float32") -> bytes:
        """The fitted network as an ONNX model (``NeuralNet.to_onnx``): its bytes,
        also written to ``path`` when one is given.  A classifier's outputs are
        ``label`` and ``probabilities`` (one column, P(``classes_[1]``), for two
        classes), a regressor's ``values``; ``dtype`` is ``"float32"`` or
        ``"float64"``."""
        return self._fitted_network().to_onnx(path, dtype)

    @classmethod
    def _imported(cls, net: NeuralNet, how: str, what: str) -> "Any":
        """A new estimator holding ``net`` as if ``fit`` had made it: parameters that
        describe it, the fitted attributes, and a record of no training.

        ``what`` names the source in messages: ModelFileError when it is a
        regressor given to the classifier (or the other way round), or has a
        hidden activation scikit-learn's MLP does not have.
        """
        name = "%s.%s" % (cls.__name__, how)
        kind = net.output_layer
        if kind.is_classifier != cls._classifier:
            wanted, other = ("classes", "values") if cls._classifier else ("values", "classes")
            raise ModelFileError("%s: %s predicts %s (%s), not %s: import it with %s.%s"
                                 % (name, what, other, kind.describe(net.layers[-1]), wanted,
                                    cls._other, how))
        activation = SKLEARN_ACTIVATIONS.get(net.activation)
        if activation is None:
            raise ModelFileError(
                "%s: %s has the hidden activation %s, which scikit-learn's MLP does not have "
                "(its activations are %s): read it with NeuralNet.%s, which keeps it"
                % (name, what, net.activation, ", ".join(ACTIVATION_NAMES), how))
        if kind.is_classifier and net.classes_ is None:
            # A file that names no labels (PyTorch's): its classes are the indices,
            # as the network predicts them.
            net.classes_ = list(range(kind.n_classes(net.layers[-1])))
        estimator = cls().set_params(hidden_layer_sizes=tuple(net.layers[1:-1]),
                                     activation=activation)
        estimator._commit(net, plain, net.feature_names, imported_record())
        return estimator

    # --- scikit-learn's tags, built by the scikit-learn that asks -----------------------

    def __sklearn_tags__(self) -> "Any":
        """scikit-learn's ``Tags`` for this estimator.  Only scikit-learn calls this,
        so ``sklearn.utils`` is loaded; tinynet itself never imports it."""
        utils = sys.modules.get("sklearn.utils")
        if utils is None:
            raise AttributeError("__sklearn_tags__ is for scikit-learn, which is not loaded")
        regressor = self._estimator_type == "regressor"
        return utils.Tags(
            estimator_type=self._estimator_type,
            target_tags=utils.TargetTags(required=True, multi_output=regressor),
            classifier_tags=None if regressor else utils.ClassifierTags(multi_label=False),
            regressor_tags=utils.RegressorTags() if regressor else None,
            input_tags=utils.InputTags(sparse=False, allow_nan=False))


def distinct(labels: "List[Any]", where: str) -> "List[Any]":
    """The distinct labels, as plain values (``tinynet.labels.plain_label``)."""
    seen: "Dict[Any, bool]" = {}
    for i, label in enumerate(labels):
        seen[plain_label(label, "%s[%d]" % (where, i))] = True
    return list(seen)


# --- checking parameters -----------------------------------------------------------------


def hidden_sizes(value: object) -> "List[int]":
    """``hidden_layer_sizes`` as a list of positive ints: an int is one layer."""
    whole = whole_number(value)
    if whole is not None:
        sizes: "List[object]" = [whole]
    else:
        items = iterate(value)
        if items is None:
            raise ConfigError("hidden_layer_sizes must be a tuple of layer sizes like (100,), "
                              "got %s" % describe(value))
        sizes = list(items)
    result = []
    for i, size in enumerate(sizes):
        result.append(check_int("hidden_layer_sizes[%d]" % i, size, 1))
    return result


def check_verbose(value: object) -> "Any":
    """``verbose`` as True, False or an int >= 0 (any true value prints every epoch)."""
    if value is True or value is False:
        return value
    return check_int("verbose", value, 0, wanted="True, False or a whole number >= 0")


def seed_from(random_state: object) -> int:
    """The network's seed: ``random_state`` itself, or for None a fresh one
    (``fresh_seed``), so that each fit draws other weights, as in scikit-learn."""
    if random_state is None:
        return fresh_seed()
    whole = whole_number(random_state)
    if whole is None or whole < 0:
        hint = ""
        if getattr(random_state, "randint", None) is not None:
            hint = "; tinynet draws its own numbers and cannot use a NumPy RandomState"
        raise ConfigError("random_state must be None or a whole number >= 0, got %s%s"
                          % (describe(random_state), hint))
    return whole


def fresh_seed() -> int:
    """32 random bits from the operating system (``os.urandom``), or from the clock
    where there is no such source."""
    try:
        from os import urandom

        return int.from_bytes(urandom(4), "big")
    except (ImportError, NotImplementedError, OSError):
        import time

        return int(time.time() * 1000003) & 0xFFFFFFFF


def take(targets: "Any", rows: "List[int]") -> "Any":
    """The targets of the samples ``rows``: labels from a list, values from a Matrix."""
    if isinstance(targets, Matrix):
        return take_rows(targets, rows)
    return [targets[i] for i in rows]


def validation_split(n: int, fraction: float, rng: Random) -> "Tuple[List[int], List[int]]":
    """Shuffled sample indices for (training, validation): ``ceil(fraction * n)``
    held out, as scikit-learn's ``train_test_split`` does; at least 2, and at
    least 1 left to train on."""
    n_validation = int(math.ceil(fraction * n))
    if n_validation < 2 or n - n_validation < 1:
        raise DataError("the validation set is too small: validation_fraction=%r of %d samples "
                        "holds out %d; early stopping needs at least 2 (and 1 to train on): "
                        "raise validation_fraction or give more samples"
                        % (fraction, n, n_validation))
    order = list(range(n))
    rng.shuffle(order)
    return order[n_validation:], order[:n_validation]


def imported_record() -> "Dict[str, Any]":
    """The training record of an imported network: nothing trained here, so no
    loss (``loss_``, ``best_loss_`` None), an empty ``loss_curve_``, and
    ``n_iter_`` and ``t_`` 0."""
    record = new_record(False)
    record["best_loss"] = None
    return record


def plain(values: "Any") -> "Any":
    """Values as they are: an import answers in lists (``Table.answer`` without NumPy)."""
    return values


def new_record(early_stopping: bool) -> "Dict[str, Any]":
    """The training record of a fresh network: what the loop updates, and
    ``_commit`` turns into fitted attributes."""
    return {"loss": None, "loss_curve": [], "t": 0, "n_iter": 0, "no_improvement": 0,
            "best_loss": math.inf, "validation_scores": [],
            "best_validation_score": -math.inf, "best_params": {}}


# --- errors and warnings that scikit-learn's tools recognise -------------------------------

_SKLEARN_NOT_FITTED: "Dict[str, Any]" = {}


def not_fitted_error(message: str) -> NotFittedError:
    """tinynet's NotFittedError, which is also scikit-learn's when scikit-learn is
    loaded, so that its tools (``check_is_fitted``, its estimator checks)
    recognise it."""
    exceptions = sys.modules.get("sklearn.exceptions")
    if exceptions is None:
        return NotFittedError(message)
    both = _SKLEARN_NOT_FITTED.get("class")
    if both is None:
        both = type("NotFittedError", (NotFittedError, exceptions.NotFittedError),
                    {"__module__": __name__})
        _SKLEARN_NOT_FITTED["class"] = both
    return both(message)  # type: ignore[no-any-return]


def warn(message: str, category: "Any") -> None:
    """Warn the caller of ``fit`` or ``partial_fit`` (``tinynet.messages.warn``)."""
    # 1 messages.warn, 2 this function, 3 _run_epochs or _targets, 4 _fit,
    # 5 fit or partial_fit, 6 the caller
    messages.warn(message, category, stacklevel=6)

"""``MLPClassifier`` and ``MLPRegressor``: a ``NeuralNet`` behind scikit-learn's names.

Code written for scikit-learn's multi-layer perceptron runs unchanged on
plain lists, without scikit-learn or NumPy:

>>> from tinynet import MLPClassifier
>>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
>>> clf = MLPClassifier(hidden_layer_sizes=(8,), activation="tanh", solver="sgd",
...                     learning_rate_init=0.5, max_iter=500, random_state=1)
>>> clf.fit(X, ["same", "differ", "differ", "same"]).predict([[0, 1], [1, 1]])
['differ', 'same']
>>> clf.classes_, clf.n_layers_, clf.out_activation_
(['differ', 'same'], 3, 'logistic')

Each estimator builds a ``NeuralNet`` (kept as ``network_``, so it can be
saved as a tinynet model file) and trains it through ``partial_fit``, one
mini-batch at a time, in scikit-learn's epoch loop:

=======================  =====================================================
scikit-learn             tinynet
=======================  =====================================================
``hidden_layer_sizes``   ``layers = [n_features, *hidden_layer_sizes, outputs]``
``activation``           ``relu``, ``tanh``, ``identity``; ``logistic`` is
                         tinynet's ``sigmoid``
``solver``               ``'adam'``: ``optimizer='adam'`` with ``beta_1``,
                         ``beta_2``, ``epsilon``; ``'sgd'``:
                         ``optimizer='momentum'`` with ``momentum`` and
                         ``nesterov=nesterovs_momentum``
``learning_rate_init``   ``learning_rate``
``alpha``                ``alpha``: both add ``alpha / (2 m) * sum of W**2``
                         to the loss of a batch of ``m`` samples
``batch_size``           ``'auto'`` is ``min(200, n_samples)``
``random_state``         ``seed``; None draws a fresh seed for each fit
=======================  =====================================================

The loop is scikit-learn's: each epoch shuffles the samples (``shuffle``),
steps through them ``batch_size`` at a time, and records the mean of the
batches' losses in ``loss_curve_``.  Training stops when the loss has not
fallen by more than ``tol`` below its best for more than
``n_iter_no_change`` epochs, or, with ``early_stopping``, when the score on
a held-out ``validation_fraction`` has not risen by more than ``tol`` for
that long (the best weights are then kept).  Reaching ``max_iter`` first
warns with ``tinynet.ConvergenceWarning``.  Ctrl-C keeps the weights
of the epochs already done, and warns.

The regressor's loss
--------------------
scikit-learn's regression loss is ``1/2`` of the mean squared error, and its
gradient is ``A - Y`` for each of the ``k`` outputs.  tinynet's is the mean
squared error, with gradient ``2 (A - Y) / k``: ``c = 2 / k`` times
scikit-learn's.  So ``MLPRegressor`` gives the network ``alpha * c`` (the
penalty's gradient grows alike), ``learning_rate_init / c`` for ``'sgd'``
and ``epsilon * c`` for ``'adam'``; each step is then scikit-learn's step.
``loss_`` and ``loss_curve_`` are reported in scikit-learn's units.

What differs from scikit-learn
------------------------------
* Weights start from tinynet's He or Xavier normal draws (``tinynet.rng``),
  not scikit-learn's Glorot uniform ones, and biases at 0: results are close
  to scikit-learn's, never equal.
* Adam adds ``epsilon`` to ``sqrt(v_hat)``, as the paper writes it;
  scikit-learn folds the bias correction into the step size, which puts a
  larger epsilon (``epsilon / sqrt(1 - beta_2**t)``) in the first steps.
* ``solver='lbfgs'``, the learning-rate schedules (``'invscaling'``,
  ``'adaptive'``), ``loss='poisson'``, multi-label ``y`` and sparse matrices
  are refused with an error that names what to use.  ``power_t`` and
  ``max_fun`` belong to those and are accepted but unused.  ``fit`` takes no
  ``sample_weight``.
* The validation split of ``early_stopping`` is not stratified, and a
  ``batch_size`` larger than the data is clipped to it without a warning.

Inputs and outputs
------------------
``X`` is anything iterable row by row: lists, tuples, a ``Matrix``, a NumPy
array, a pandas DataFrame (read with ``to_numpy``; its column names become
``feature_names_in_``).  tinynet never imports NumPy.  When ``X`` is a NumPy
array (or a DataFrame), NumPy is already loaded, and the results come back
as NumPy arrays made by that module (``predict``, ``predict_proba``, and
``coefs_``, ``intercepts_``, ``classes_`` after ``fit``), as scikit-learn
returns them; otherwise they are lists.

Importing a network
-------------------
``MLPClassifier.from_sklearn(est)`` and ``MLPRegressor.from_sklearn(est)``
take a fitted scikit-learn MLP (or a ``Pipeline`` of a ``StandardScaler``
and one), ``from_onnx(path)`` an ONNX file (skl2onnx's, PyTorch's, or one
written by ``to_onnx``).  Each returns an estimator that is fitted already
and predicts as its source does:

* ``hidden_layer_sizes`` and ``activation`` describe the network; the other
  parameters keep their defaults (the source does not say how it was
  trained).
* The fitted attributes are those ``fit`` sets, as lists.  ``classes_`` are
  the labels the source names, or the class indices ``0..k-1`` when it names
  none (PyTorch's files).  Nothing was trained here: ``loss_`` and
  ``best_loss_`` are None, ``loss_curve_`` is empty, ``n_iter_`` and ``t_``
  are 0.
* An input scaler that comes with the network (the pipeline's
  ``StandardScaler``, an ONNX file's ``Sub`` and ``Div``) stays with
  ``network_`` and rescales ``X`` before the first layer: the estimator
  takes raw features, as its source does, and ``coefs_[0]`` is applied to
  the rescaled ones.
* ``fit`` trains afresh, as scikit-learn's does; ``warm_start=True`` and
  ``partial_fit`` go on from the imported weights, with the solver's
  optimizer started afresh.
* A regressor given to ``MLPClassifier`` (or a classifier to
  ``MLPRegressor``) and a hidden activation scikit-learn does not have
  (leaky ReLU) are refused with a ``ModelFileError`` that says what reads
  them instead.

``to_onnx(path)`` writes the fitted network as an ONNX file
(``NeuralNet.to_onnx``), which ``from_onnx`` reads back.

scikit-learn's own tools (``clone``, pipelines, ``check_estimator``) read
an estimator through ``get_params``, ``set_params`` and
``__sklearn_tags__``; the last one builds scikit-learn's tags with the
scikit-learn that asks for them, already loaded.
"""

import math

from .arraylike import read_targets
from .checks import describe, iterate
from .errors import ConfigError, DataError, ShapeError
from .labels import class_indices, classes_from
from .matrix import Matrix
from .messages import DataConversionWarning
from .mlp_base import MLPEstimator, distinct, warn
from .network import NeuralNet
from .outputs import classifier_for

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional

    from .mlp_base import Targets


class MLPClassifier(MLPEstimator):
    """scikit-learn's ``MLPClassifier`` on a tinynet network (see the module docstring).

    Labels may be any values that sort together (strings, numbers, bools);
    ``classes_`` is their sorted list (``tinynet.labels``).  Two classes
    train one logistic output unit, more a softmax unit per class.
    """

    _estimator_type = "classifier"
    _classifier = True
    _other = "MLPRegressor"  # the estimator an import of the other kind is pointed to

    def __init__(self, hidden_layer_sizes: "Any" = (100,), activation: str = "relu",
                 solver: str = "adam", alpha: float = 0.0001, batch_size: "Any" = "auto",
                 learning_rate: str = "constant", learning_rate_init: float = 0.001,
                 power_t: float = 0.5, max_iter: int = 200, shuffle: bool = True,
                 random_state: "Optional[int]" = None, tol: float = 1e-4, verbose: bool = False,
                 warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    def partial_fit(self, X: object, y: object, classes: object = None) -> "MLPClassifier":
        """One epoch over ``(X, y)`` in mini-batches, from the current weights.

        The first call must list every class in ``classes`` (one batch may
        not hold them all); later calls may repeat the same list.
        """
        return self._fit(X, y, True, classes)  # type: ignore[no-any-return]

    def predict(self, X: object) -> "Any":
        """The most probable class of each row, one of ``classes_``."""
        net, table = self._read(X)
        return table.answer(net.predict(table.matrix))

    def predict_proba(self, X: object) -> "Any":
        """A row of probabilities per sample, one column per class of ``classes_``
        (two columns for two classes, as in scikit-learn)."""
        return self._probabilities(X, False)

    def predict_log_proba(self, X: object) -> "Any":
        """The natural logarithms of ``predict_proba``.  A probability that has
        rounded to 0 gives ``-inf``, as in scikit-learn (``log(0)`` is never
        evaluated)."""
        return self._probabilities(X, True)

    def score(self, X: object, y: object) -> float:
        """The fraction of rows whose predicted class is the one in ``y`` (accuracy)."""
        from .metrics import accuracy

        net, table = self._read(X)
        predicted = net.predict(table.matrix)
        return accuracy(read_targets(y, len(predicted)), predicted)

    def _probabilities(self, X: object, log: bool) -> "Any":
        net, table = self._read(X)
        P = net.predict_proba(table.matrix)
        rows = P.tolist()
        if P.n_cols == 1:  # one logistic unit: the probability of classes_[1]
            rows = [[1.0 - row[0], row[0]] for row in rows]
        if log:
            rows = [[math.log(p) if p > 0.0 else -math.inf for p in row] for row in rows]
        return table.answer(rows)

    def _commit(self, net: NeuralNet, answer: "Callable[[Any], Any]",
                names: "Optional[List[str]]", record: "Dict[str, Any]") -> None:
        super()._commit(net, answer, names, record)
        self.classes_ = answer(list(net.classes_ or ()))

    # What a classifier decides.

    def _targets(self, y: object, n_rows: int, net: "Optional[NeuralNet]", classes: object,
                 incremental: bool) -> "Targets":
        """The labels, checked, and the classes: those of the fitted network when
        training goes on, else the ``classes`` given to the first ``partial_fit``,
        else the sorted distinct labels of ``y``."""
        labels = read_targets(y, n_rows)
        if getattr(y, "ndim", 1) == 2 and labels and not isinstance(labels[0], list):
            warn("A column-vector y was passed when a 1d array was expected: its column is "
                 "read as the labels", DataConversionWarning)
        for i, label in enumerate(labels):
            if isinstance(label, (list, tuple)):
                raise DataError("y[%d] is %s: y must hold one label per sample (tinynet has no "
                                "multi-label classification)" % (i, describe(label)))
        if net is not None:
            known = list(net.classes_ or ())
            given = None if classes is None else read_targets(classes, None)
            if given is not None and classes_from(given, len(distinct(given, "classes")),
                                                  "classes") != known:
                raise DataError("classes=%s differs from classes_ %r of the first partial_fit: "
                                "the classes cannot change" % (describe(classes), known))
            class_indices(labels, known, len(known))  # each label must be a known class
            return labels, net.output, net.layers[-1], None
        if classes is not None:
            given = read_targets(classes, None)
            known = classes_from(given, len(distinct(given, "classes")), "classes")
            class_indices(labels, known, len(known))
        elif incremental:
            raise ConfigError("the first call to partial_fit must list every class: "
                              "partial_fit(X, y, classes=[...])")
        else:
            known = classes_from(labels, len(distinct(labels, "y")), "y")
        continuous = [label for label in known if type(label) is float and label != int(label)]
        if continuous:
            raise DataError("Unknown label type: y holds continuous values such as %r, not "
                            "class labels; use MLPRegressor to predict values" % continuous[0])
        if len(known) < 2:
            raise DataError("y holds only one class, %r: a classifier needs at least 2 classes"
                            % (known[0],))
        output, n_units = classifier_for(len(known))
        return labels, output, n_units, known


class MLPRegressor(MLPEstimator):
    """scikit-learn's ``MLPRegressor`` on a tinynet network (see the module docstring).

    ``y`` holds a number per sample, or a row of ``k`` numbers for ``k``
    outputs, and ``predict`` answers alike.  As in scikit-learn the targets
    are not rescaled: targets far from unit size train better scaled.
    """

    PARAMETERS = ("loss",) + MLPEstimator.PARAMETERS
    _estimator_type = "regressor"
    _classifier = False
    _other = "MLPClassifier"
    loss: "Any"

    def __init__(self, loss: str = "squared_error", hidden_layer_sizes: "Any" = (100,),
                 activation: str = "relu", solver: str = "adam", alpha: float = 0.0001,
                 batch_size: "Any" = "auto", learning_rate: str = "constant",
                 learning_rate_init: float = 0.001, power_t: float = 0.5, max_iter: int = 200,
                 shuffle: bool = True, random_state: "Optional[int]" = None, tol: float = 1e-4,
                 verbose: bool = False, warm_start: bool = False, momentum: float = 0.9,
                 nesterovs_momentum: bool = True, early_stopping: bool = False,
                 validation_fraction: float = 0.1, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-8, n_iter_no_change: int = 10, max_fun: int = 15000) -> None:
        self.loss = loss
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    def partial_fit(self, X: object, y: object) -> "MLPRegressor":
        """One epoch over ``(X, y)`` in mini-batches, from the current weights."""
        return self._fit(X, y, True, None)  # type: ignore[no-any-return]

    def predict(self, X: object) -> "Any":
        """The predicted values: a number per row for one output, a row of
        ``n_outputs_`` numbers for several."""
        net, table = self._read(X)
        return table.answer(net.predict(table.matrix))

    def score(self, X: object, y: object) -> float:
        """R² of the predictions against ``y``, averaged evenly over the outputs
        (``tinynet.metrics.r2_score``)."""
        from .metrics import r2_score

        net, table = self._read(X)
        predicted = net.predict(table.matrix)
        return r2_score(read_targets(y, len(predicted)), predicted)

    def _plan(self) -> "Dict[str, Any]":
        if self.loss != "squared_error":
            raise ConfigError("MLPRegressor: loss=%s is not available in tinynet: use "
                              "loss='squared_error'" % describe(self.loss))
        return super()._plan()

    # What a regressor decides.

    def _targets(self, y: object, n_rows: int, net: "Optional[NeuralNet]", classes: object,
                 incremental: bool) -> "Targets":
        """The targets as an ``n_rows x k`` Matrix of finite numbers."""
        from .inputs import regression_targets

        values = read_targets(y, n_rows)
        first = values[0] if values else None
        k = 1 if first is None or iterate(first) is None else len(list(iterate(first) or ()))
        if net is not None and k != net.layers[-1]:
            raise ShapeError("y has %d values per sample, but %s was fitted with %d outputs"
                             % (k, type(self).__name__, net.layers[-1]))
        return regression_targets(values, k, n_rows), "linear", k, None

    def _diverged_hint(self) -> str:
        return ", the targets y too: scikit-learn's MLPRegressor does not rescale them either"

    def _gradient_scale(self, n_units: int) -> float:
        return 2.0 / n_units

    def _step(self, net: NeuralNet, X: Matrix, targets: "Any", classes: "Any",
              plan: "Dict[str, Any]") -> float:
        """The batch's loss in scikit-learn's units: ``L / 2 + (1 - 1/k) P``.

        tinynet's batch loss ``L`` is ``2 D + c P``, where ``D`` is
        scikit-learn's data loss, ``P = alpha / (2 m) * sum of W**2`` its
        penalty and ``c = 2 / k``; scikit-learn's loss is ``D + P``.  ``P`` is
        measured before the step, as the loss is.
        """
        k = net.layers[-1]
        if k == 1 or not plan["alpha"]:
            return super()._step(net, X, targets, classes, plan) / 2.0
        squares = 0.0
        for W, _, _, _ in net.layer_names:
            for row in net.params[W].rows:
                squares += sum([w * w for w in row], 0.0)
        penalty: float = plan["alpha"] / (2.0 * len(X.rows)) * squares
        return super()._step(net, X, targets, classes, plan) / 2.0 + (1.0 - 1.0 / k) * penalty

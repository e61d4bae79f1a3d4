"""Output layers: what the last layer's numbers mean, one kind per row of a table.

Everything that differs between a classifier and a regressor is decided by
the output layer, so each kind below owns all of it, and the rest of tinynet
asks the network's ``output_layer`` instead of testing its name:

===========  ======  ==========  ============  ==================  ==================  ========
kind         units   activation  loss          targets from ``y``  predictions         score
===========  ======  ==========  ============  ==================  ==================  ========
``sigmoid``  1       sigmoid     binary        label 0 or 1 as     1 where the         accuracy
                                 cross-        the row ``[0.0]``   probability is at
                                 entropy       or ``[1.0]``        least 0.5, else 0
``softmax``  k >= 2  softmax     categorical   label c as a row    the most probable   accuracy
                                 cross-        of 0s with a 1 in   class
                                 entropy       column c
``linear``   any     none        squared       the values, scaled  the values, in the  R²
                     (A = Z)     error         by a target_scaler  targets' units
===========  ======  ==========  ============  ==================  ==================  ========

A classifier turns labels into targets in two steps, and outputs into
predictions in the reverse ones.  Labels become class indices ``0..k-1``,
each label's position in the network's ``classes_`` (``class_indices``, from
``tinynet.labels``, which also builds ``classes_`` from the labels of a
first fit: ``find_classes``), and class indices become target rows
(``target_rows``).  Outputs become class indices (``predicted_indices``),
and class indices become labels: ``classes_[i]``.  An output that is not a
finite number never becomes a label: ``predicted_indices`` raises a
DataError naming the row.

The activations are in ``tinynet.activations`` and the losses, each beside
its gradient, in ``tinynet.losses``.

>>> layer = output_layer("auto", 3)
>>> layer
<OutputLayer softmax>
>>> layer.target_rows([2, 0], 3)
Matrix([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
>>> layer.predicted_indices(Matrix([[0.1, 0.7, 0.2]]))
[1]
>>> layer.predictions(Matrix([[0.1, 0.7, 0.2]]), ["cat", "dog", "fox"])
['dog']
>>> output_layer("sigmoid", 1).describe(1)
'2 classes, sigmoid output'
"""

import math

from .activations import identity, sigmoid, softmax
from .checks import check_choice, first_non_finite
from .errors import ConfigError, DataError
from .inputs import label_list, regression_targets
from .labels import class_indices, classes_from, find_classes
from .losses import (
    binary_cross_entropy,
    categorical_cross_entropy,
    cross_entropy_gradient,
    squared_error,
    squared_error_gradient,
)
from .matrix import Matrix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple

    from .scaler import StandardScaler

    Activation = Callable[[Matrix], Matrix]
    Loss = Callable[[Matrix, Matrix, Matrix], float]
    Gradient = Callable[[Matrix, Matrix], Matrix]

# In a fixed order for messages (MicroPython's dicts keep no order).
OUTPUT_NAMES = ("sigmoid", "softmax", "linear")

class OutputLayer:
    """One kind of output layer: its activation, its loss and the loss's gradient,
    and what its outputs mean (see the module's table)."""

    __slots__ = ("name", "activate", "loss", "gradient")
    is_classifier = True
    score_name = "accuracy"

    def __init__(self, name: str, activate: "Activation", loss: "Loss", gradient: "Gradient") -> None:
        self.name = name
        self.activate = activate
        self.loss = loss
        self.gradient = gradient

    def __repr__(self) -> str:
        return "<OutputLayer %s>" % self.name

    def check_units(self, n_outputs: int) -> None:
        """ConfigError unless this kind of output works with ``n_outputs`` units."""

    def n_classes(self, n_outputs: int) -> int:
        """How many classes ``n_outputs`` units of this kind tell apart."""
        raise ConfigError("a %s output predicts values, not classes" % self.name)

    def describe(self, n_outputs: int) -> str:
        """The kind in words, for people: ``2 classes, sigmoid output``."""
        return "%d classes, %s output" % (self.n_classes(n_outputs), self.name)

    def find_classes(self, y: "List[Any]", n_outputs: int) -> "Optional[List[Any]]":
        """The ``classes_`` that labels ``y`` give (``tinynet.labels.find_classes``)."""
        return find_classes(y, self.n_classes(n_outputs), self.describe(n_outputs))

    def classes_from(self, values: object, n_outputs: int) -> "List[Any]":
        """A list of classes given outright (``partial_fit``'s ``classes=``), checked."""
        return classes_from(label_list(values, None, "classes"), self.n_classes(n_outputs),
                            "classes")

    def targets(self, y: object, n_outputs: int, n_rows: int,
                target_scaler: "Optional[StandardScaler]",
                classes: "Optional[List[Any]]" = None) -> Matrix:
        """Labels or values ``y`` as the target Matrix ``Y`` the loss compares with.

        A label becomes its position in ``classes``; without ``classes`` the
        labels must be the class indices themselves.
        """
        self._refuse(target_scaler)
        indices = class_indices(label_list(y, n_rows), classes, self.n_classes(n_outputs))
        return self.target_rows(indices, n_outputs)

    def target_rows(self, indices: "List[int]", n_outputs: int) -> Matrix:
        """Class indices ``0..k-1`` as target rows."""
        raise ConfigError("a %s output has no classes" % self.name)

    def unscaled(self, A: Matrix, target_scaler: "Optional[StandardScaler]") -> Matrix:
        """Outputs ``A`` in the targets' own units (a classifier's are probabilities)."""
        self._refuse(target_scaler)
        return A

    def predictions(self, A: Matrix, classes: "Optional[List[Any]]" = None) -> "List[Any]":
        """One prediction per row of outputs ``A``: a label from ``classes`` (the
        class index itself without them), or the values."""
        indices = self.predicted_indices(A)
        if classes is None:
            return indices
        return [classes[index] for index in indices]

    def predicted_indices(self, A: Matrix) -> "List[int]":
        """The class index each row of outputs ``A`` predicts."""
        raise ConfigError("a %s output has no classes" % self.name)

    def score(self, Y: Matrix, A: Matrix) -> float:
        """How good outputs ``A`` are against targets ``Y``: the fraction of
        samples whose predicted class is the target's class."""
        from .metrics import accuracy  # here: only scoring needs the metrics

        return accuracy(self.predicted_indices(Y), self.predicted_indices(A))

    def _refuse(self, target_scaler: "Optional[StandardScaler]") -> None:
        if target_scaler is not None:
            raise ConfigError("target_scaler rescales the values of a linear (regression) "
                              "output; this network's output is %s: set it to None" % self.name)


class SigmoidOutput(OutputLayer):
    """One unit: the probability of class 1, so two classes."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("sigmoid", sigmoid, binary_cross_entropy, cross_entropy_gradient)

    def check_units(self, n_outputs: int) -> None:
        if n_outputs != 1:
            raise ConfigError(
                "a sigmoid output needs 1 output unit, got %d: use softmax for %d classes"
                % (n_outputs, n_outputs)
            )

    def n_classes(self, n_outputs: int) -> int:
        return 2

    def target_rows(self, indices: "List[int]", n_outputs: int) -> Matrix:
        return Matrix.wrap([[float(index)] for index in indices], 1)

    def predicted_indices(self, A: Matrix) -> "List[int]":
        indices = []
        for row in A.rows:
            p = row[0]
            if p >= 0.5:
                indices.append(1)
            elif p >= 0.0:
                indices.append(0)
            else:  # NaN: no comparison holds
                not_a_label(A, len(indices))
        return indices


class SoftmaxOutput(OutputLayer):
    """k units: one probability per class, adding up to 1."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("softmax", softmax, categorical_cross_entropy, cross_entropy_gradient)

    def check_units(self, n_outputs: int) -> None:
        if n_outputs < 2:
            raise ConfigError("a softmax output needs at least 2 output units, got 1: use sigmoid")

    def n_classes(self, n_outputs: int) -> int:
        return n_outputs

    def target_rows(self, indices: "List[int]", n_outputs: int) -> Matrix:
        return Matrix.wrap([[1.0 if j == index else 0.0 for j in range(n_outputs)]
                            for index in indices], n_outputs)

    def predicted_indices(self, A: Matrix) -> "List[int]":
        isfinite = math.isfinite
        for i, row in enumerate(A.rows):
            if not isfinite(sum(row)):
                not_a_label(A, i)
        return A.argmax(axis=1)


class LinearOutput(OutputLayer):
    """Regression: the outputs are the predicted values themselves."""

    __slots__ = ()
    is_classifier = False
    score_name = "r2"

    def __init__(self) -> None:
        super().__init__("linear", identity, squared_error, squared_error_gradient)

    def describe(self, n_outputs: int) -> str:
        return "regression, linear output"

    def find_classes(self, y: "List[Any]", n_outputs: int) -> "Optional[List[Any]]":
        """None: values have no classes."""
        return None

    def targets(self, y: object, n_outputs: int, n_rows: int,
                target_scaler: "Optional[StandardScaler]",
                classes: "Optional[List[Any]]" = None) -> Matrix:
        """The values, rescaled by ``target_scaler`` when there is one: fit then
        learns targets of mean 0 and spread 1, whatever their size in the data."""
        Y = regression_targets(y, n_outputs, n_rows)  # checked finite, so scaled without a rescan
        return Y if target_scaler is None else target_scaler.transform_finite(Y)

    def unscaled(self, A: Matrix, target_scaler: "Optional[StandardScaler]") -> Matrix:
        """``A * scale + mean``: undo the target scaling."""
        return A if target_scaler is None else target_scaler.inverse_transform(A)

    def predictions(self, A: Matrix, classes: "Optional[List[Any]]" = None) -> "List[Any]":
        """A float per row for one output, a list per row for several; NaN or
        infinity is refused as for a classifier (a value, like a label, that
        overflowed says nothing)."""
        bad = first_non_finite(A.rows)
        if bad is not None:
            raise DataError(
                "the network's outputs for row %d are %r, not finite numbers, so they predict "
                "no value: the row's values are too large for the weights, or the weights "
                "have diverged" % (bad[0], A.rows[bad[0]]))
        if A.n_cols == 1:
            return [row[0] for row in A.rows]
        return A.tolist()

    def score(self, Y: Matrix, A: Matrix) -> float:
        """R², averaged over the outputs (``tinynet.metrics.r2_score``).  It is the
        same in any units, as long as ``Y`` and ``A`` are in the same ones."""
        from .metrics import r2_score  # here: only scoring needs the metrics

        return r2_score(Y.rows, A.rows)


def not_a_label(A: Matrix, row: int) -> None:
    """DataError for the row of outputs ``A`` that holds NaN or infinity: such an
    output predicts no class, and reading it as class 0 would be a silent lie."""
    raise DataError(
        "the network's outputs for row %d are %r, not probabilities, so they predict no "
        "class: the row's values are too large for the weights, or the weights have "
        "diverged" % (row, A.rows[row]))


OUTPUT_LAYERS: "Dict[str, OutputLayer]" = {
    "sigmoid": SigmoidOutput(),
    "softmax": SoftmaxOutput(),
    "linear": LinearOutput(),
}


def output_layer(name: str, n_outputs: int = 0) -> OutputLayer:
    """The output layer called ``name`` for ``n_outputs`` units, or ConfigError.

    ``"auto"`` picks a classifier: sigmoid for one unit, softmax for several.
    Without ``n_outputs`` the unit count is not checked.
    """
    if name == "auto" and n_outputs:
        name = "sigmoid" if n_outputs == 1 else "softmax"
    layer = OUTPUT_LAYERS[check_choice("output", name, OUTPUT_NAMES)]
    if n_outputs:
        layer.check_units(n_outputs)
    return layer


def classifier_for(n_classes: int) -> "Tuple[str, int]":
    """The output (name and number of units) for ``n_classes`` classes: one sigmoid
    unit for two classes, a softmax unit per class for more."""
    return ("sigmoid", 1) if n_classes == 2 else ("softmax", n_classes)

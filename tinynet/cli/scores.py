"""How a model did, in the lines ``train``, ``evaluate`` and ``demo`` print."""

from ..metrics import accuracy, mean_squared_error, r2_score
from ..network import NeuralNet
from ..training import short_number

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List, Optional, Sequence

    from ..matrix import Matrix


def model_kind(net: NeuralNet) -> str:
    """``2 classes, sigmoid output``, or ``regression, linear output``."""
    return net.output_layer.describe(net.layers[-1])


def score_line(name: str, net: NeuralNet, X: "Matrix", y: "Sequence[Any]",
               predicted: "Optional[List[Any]]" = None) -> str:
    """``test  accuracy 0.9583  (46 of 48)``, or R² and the mean squared error.

    ``predicted`` saves predicting again when the caller has the predictions.
    """
    if predicted is None:
        predicted = net.predict(X)
    if not net.output_layer.is_classifier:
        return "%s r2 %.4f  (mean squared error %s)" % (
            name, r2_score(list(y), predicted), short_number(mean_squared_error(list(y), predicted)))
    correct = sum(1 for a, b in zip(y, predicted) if a == b)
    return "%s accuracy %.4f  (%d of %d)" % (name, accuracy(list(y), predicted), correct, len(y))

"""Finite-difference gradient checks, shared by the network and training tests.

``numerical_gradients`` nudges every parameter entry by ``+h`` and ``-h`` and
takes the central difference of the loss; ``relative_error`` compares two
sets of gradients as ``|a - b| / (|a| + |b|)`` over all their entries.
"""

import math

from tinynet import Matrix, NeuralNet, Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Tuple, Union


def flat(param: "Union[Matrix, Vector]") -> "List[float]":
    """A parameter's (or a gradient's) values as one list."""
    if isinstance(param, Matrix):
        return [x for row in param.tolist() for x in row]
    return param.tolist()


def gradient_norms(
    a: "Dict[str, Union[Matrix, Vector]]", b: "Dict[str, Union[Matrix, Vector]]"
) -> "Tuple[float, float, float]":
    """``|a - b|``, ``|a|`` and ``|b|``, each over all the parameters together."""
    diff = norm_a = norm_b = 0.0
    for name in a:
        for x, y in zip(flat(a[name]), flat(b[name])):
            diff += (x - y) ** 2
            norm_a += x * x
            norm_b += y * y
    return math.sqrt(diff), math.sqrt(norm_a), math.sqrt(norm_b)


def relative_error(a: "Dict[str, Union[Matrix, Vector]]", b: "Dict[str, Union[Matrix, Vector]]") -> float:
    diff, norm_a, norm_b = gradient_norms(a, b)
    return diff / (norm_a + norm_b)


def numerical_gradients(
    net: NeuralNet, X: object, y: object, h: float = 1e-5
) -> "Dict[str, Union[Matrix, Vector]]":
    """Central differences ``(L(p + h) - L(p - h)) / 2h`` for every parameter entry."""
    result: "Dict[str, Union[Matrix, Vector]]" = {}
    for name in net.param_names:
        param = net.params[name]
        if isinstance(param, Vector):
            values = []
            for j in range(len(param)):
                old = param[j]
                param[j] = old + h
                plus = net.loss_value(X, y)
                param[j] = old - h
                minus = net.loss_value(X, y)
                param[j] = old
                values.append((plus - minus) / (2 * h))
            result[name] = Vector(values)
        else:
            rows = []
            for i in range(param.shape[0]):
                row = []
                for j in range(param.shape[1]):
                    old = param[i, j]
                    param[i, j] = old + h
                    plus = net.loss_value(X, y)
                    param[i, j] = old - h
                    minus = net.loss_value(X, y)
                    param[i, j] = old
                    row.append((plus - minus) / (2 * h))
                rows.append(row)
            result[name] = Matrix(rows)
    return result

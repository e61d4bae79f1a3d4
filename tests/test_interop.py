"""Numbers from other libraries: NumPy-style integer and float scalars.

NumPy itself is not installed where the tests run (tinynet never depends on
it), so these stand-ins reproduce the two protocols that matter: an integer
type that is not a subclass of ``int`` but implements ``__index__`` (like
``numpy.int64``), and a subclass of ``float`` (like ``numpy.float64``).
"""

import pytest

from tinynet import DataError, Matrix, NeuralNet, Vector, one_hot
from tinynet.data import train_test_split


class Int64:
    """Behaves like numpy.int64 for these purposes: __index__, __int__, __float__."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value

    def __int__(self) -> int:
        return self.value

    def __float__(self) -> float:
        return float(self.value)

    def __repr__(self) -> str:
        return "Int64(%d)" % self.value


class Float64(float):
    """A float subclass, as numpy.float64 is."""


XOR = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]


def test_integer_scalars_from_other_libraries_are_labels() -> None:
    labels = [Int64(0), Int64(1), Int64(1), Int64(0)]
    net = NeuralNet([2, 4, 1], learning_rate=0.5, iterations=500, seed=3).fit(XOR, labels)
    assert net.predict(XOR) == [0, 1, 1, 0]
    assert one_hot([Int64(2), Int64(0)], 3) == Matrix([[0, 0, 1], [1, 0, 0]])


def test_integer_scalars_from_other_libraries_are_settings() -> None:
    net = NeuralNet(layers=[Int64(2), Int64(3), 1], iterations=Int64(7), batch_size=Int64(2),
                    patience=Int64(3), seed=Int64(5))
    assert net.layers == [2, 3, 1] and all(type(size) is int for size in net.layers)
    assert (net.iterations, net.batch_size, net.patience, net.seed) == (7, 2, 3, 5)
    assert type(net.iterations) is int


def test_a_bad_layer_size_is_named_for_what_it_is() -> None:
    from tinynet import ConfigError

    with pytest.raises(ConfigError, match="layer 1 has size 2.5 .*whole numbers"):
        NeuralNet([2, 2.5, 1])
    with pytest.raises(ConfigError, match="layer 1 has size 0: every layer needs at least 1 unit"):
        NeuralNet([2, 0, 1])


def test_scalars_from_other_libraries_keep_a_matrix_a_matrix() -> None:
    m = Matrix([[1.0, 2.0]])
    for scalar in (Float64(2.0), Int64(2)):
        for result in (m * scalar, scalar * m, m - scalar, scalar - m, m / scalar):
            assert isinstance(result, Matrix)
        assert isinstance(Vector([1.0]) * scalar, Vector)
    assert m * Float64(2.0) == Matrix([[2.0, 4.0]])
    assert Int64(3) - m == Matrix([[2.0, 1.0]])
    w = Matrix([[1.0, 2.0]])
    same = w
    w -= Float64(0.5)
    assert w is same and w == Matrix([[0.5, 1.5]])


def test_matrices_index_with_integer_scalars_from_other_libraries() -> None:
    m = Matrix([[1.0, 2.0], [3.0, 4.0]])
    assert m[Int64(1), Int64(0)] == 3.0
    assert m[Int64(1)] == Vector([3.0, 4.0])


def test_an_index_out_of_range_names_the_shape() -> None:
    m = Matrix([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with pytest.raises(IndexError, match=r"\(5, 0\) is out of range for 3x2"):
        m[5, 0]
    with pytest.raises(IndexError, match="3 is out of range for 3x2"):
        m[3]


def test_split_labels_from_other_libraries_can_be_trained_on() -> None:
    X = [[float(i), float(i % 3)] for i in range(20)]
    y = [Int64(i % 2) for i in range(20)]
    X_train, X_test, y_train, y_test = train_test_split(X, y, 0.25, seed=1)
    net = NeuralNet([2, 3, 1], iterations=3).fit(X_train, y_train)
    assert len(net.predict(X_test)) == len(y_test) == 5


def test_bools_are_still_not_numbers() -> None:
    # As class labels they are labels of their own (classes_ [False, True]),
    # never the numbers 0 and 1: they do not mix with them.
    net = NeuralNet([2, 3, 1]).fit(XOR, [False, True, True, False])
    assert net.classes_ == [False, True] and type(net.predict(XOR)[0]) is bool
    with pytest.raises(DataError, match="mixes the bool"):
        NeuralNet([2, 3, 1]).fit(XOR, [False, 1, True, 0])
    with pytest.raises(TypeError):
        Matrix([[1.0]]) * True  # type: ignore[operator]

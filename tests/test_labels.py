"""Tests for class labels of any kind: ``classes_``, predictions in the original labels,
and every refusal (tinynet/labels.py and its use by the network)."""

import math

import pytest

from tinynet import DataError, NeuralNet, ShapeError, StandardScaler, kernels
from tinynet.datasets import blobs, xor
from tinynet.labels import class_indices, classes_from, find_classes, plain_label, sorted_distinct

NAMES = ["setosa", "versicolor", "virginica"]
IRIS_CENTRES = ((5.0, 3.4, 1.5, 0.25), (5.9, 2.8, 4.3, 1.3), (6.6, 3.0, 5.5, 2.0))


class Int64:
    """Like numpy.int64: not an int, but an integer through __index__ (and no item())."""

    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value

    def __hash__(self):
        return hash(self.value)

    def __eq__(self, other):
        return self.value == other


class NumpyScalar:
    """Like a NumPy scalar of any dtype: item() gives the plain Python value."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value

    def __hash__(self):
        return hash(self.value)

    def __eq__(self, other):
        return self.value == other


class Str(str):
    """Like numpy.str_, a subclass of str."""


class Float(float):
    """Like numpy.float64, a subclass of float."""


def iris_like(n=15, seed=0):
    X, y = blobs(n, centers=IRIS_CENTRES, std=0.35, seed=seed)
    return X, y


# --- the rule -------------------------------------------------------------------


@pytest.mark.parametrize("labels, n_classes, expected", [
    ([0, 1, 1, 0], 2, [0, 1]),
    ([1, 1, 1], 2, [0, 1]),                          # indices: a class may be absent
    ([0, 2, 2], 3, [0, 1, 2]),
    ([0.0, 1.0], 2, [0, 1]),                         # whole floats are indices too
    ([-1, 1, 1, -1], 2, [-1, 1]),
    ([1, 2, 3, 2], 3, [1, 2, 3]),                    # 1..k: not indices, since 3 >= k
    ([2, 1], 2, [1, 2]),
    ([1.0, 2.0], 2, [1.0, 2.0]),
    ([2.5, -0.5, 2.5], 2, [-0.5, 2.5]),
    ([1, 2.5], 2, [1, 2.5]),                         # ints and floats sort together
    ([True, False, True], 2, [False, True]),
    (["virginica", "setosa", "versicolor", "setosa"], 3, NAMES),
    (["b", "B", "a"], 3, ["B", "a", "b"]),           # by code point, as np.unique
    (["é", "z", "e"], 3, ["e", "z", "é"]),
    ([(1, "b"), (1, "a")], 2, [(1, "a"), (1, "b")]),  # any hashable sortable values
])
def test_classes_are_indices_or_the_sorted_distinct_labels(labels, n_classes, expected):
    classes = find_classes(labels, n_classes)
    assert classes == expected
    assert [type(c) for c in classes] == [type(c) for c in expected]


def test_values_from_other_libraries_become_plain_python_values():
    assert find_classes([Int64(3), Int64(1)], 2) == [1, 3]
    assert find_classes([NumpyScalar("b"), NumpyScalar("a")], 2) == ["a", "b"]
    assert find_classes([NumpyScalar(True), NumpyScalar(False)], 2) == [False, True]
    classes = find_classes([Str("b"), Str("a")], 2)
    assert classes == ["a", "b"] and all(type(c) is str for c in classes)
    classes = find_classes([Float(2.5), Float(0.5)], 2)
    assert classes == [0.5, 2.5] and all(type(c) is float for c in classes)
    assert find_classes([Int64(0), Int64(1)], 2) == [0, 1]  # NumPy indices stay indices
    assert plain_label(NumpyScalar(7), "y[0]") == 7 and type(plain_label(Str("x"), "")) is str


@pytest.mark.parametrize("labels, n_classes, message", [
    ([0, 1, 2], 2, r"y holds 3 distinct labels \(0, 1, 2\) but the network tells 2 classes apart"),
    (["a", "a"], 2, r"y holds 1 distinct label \('a'\) but the network tells 2 classes apart: "
                    r"labels must be the class indices 0..1, or exactly 2 distinct values"),
    (["a", 1], 2, r"y mixes labels that cannot be sorted together: 1 \(int\) and 'a' \(str\)"),
    ([None, "a"], 2, r"y mixes labels that cannot be sorted together: None \(NoneType\) and "
                     r"'a' \(str\)"),
    ([True, 2], 2, r"y mixes the bool True with the number 2"),
    ([False, 1.5], 2, r"y mixes the bool False with the number 1.5"),
    ([0.5, float("nan")], 2, r"y\[1\] is nan: class labels must be finite"),
    ([0.5, float("inf")], 2, r"y\[1\] is inf: class labels must be finite"),
    ([[1], [2]], 2, r"y\[0\] is \[1\] \(list\): class labels must be hashable"),
    ([{"a": 1}, "b"], 2, r"y\[0\] is \{'a': 1\} \(dict\): class labels must be hashable"),
])
def test_labels_that_cannot_be_classes_are_refused(labels, n_classes, message):
    with pytest.raises(DataError, match=message):
        find_classes(labels, n_classes)


def test_a_long_list_of_labels_is_shortened_in_messages():
    with pytest.raises(DataError, match=r"\(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, \.\.\. \(50 in all\)\)"):
        find_classes(list(range(50)), 3)


def test_labels_are_looked_up_by_equality_but_bools_never_match_numbers():
    assert class_indices(["b", "a", "c"], ["a", "b", "c"], 3) == [1, 0, 2]
    assert class_indices([1.0, 0, Int64(1), NumpyScalar(0)], [0, 1], 2) == [1, 0, 1, 0]
    assert class_indices([NumpyScalar(True)], [False, True], 2) == [1]
    for label, classes in ((True, [0, 1]), (1, [False, True]), ("1", [0, 1]), ([1], [0, 1])):
        with pytest.raises(DataError, match=r"y\[0\] is .*: class labels must be hashable|"
                                            r"which is not one of this network's classes"):
            class_indices([label], classes, 2)


def test_without_classes_the_labels_must_be_the_indices():
    assert class_indices([1, 0.0], None, 2) == [1, 0]
    with pytest.raises(DataError, match=r"y\[0\] is 2: this network's labels must be 0 or 1"):
        class_indices([2], None, 2)
    with pytest.raises(DataError, match=r"y\[0\] is 'a'"):
        class_indices(["a"], None, 3)


def test_classes_given_outright_are_sorted_and_deduplicated_and_counted():
    assert classes_from(["b", "a", "b"], 2, "classes") == ["a", "b"]
    assert classes_from([0, 1, 2], 3, "classes") == [0, 1, 2]
    with pytest.raises(DataError, match=r"classes names 2 distinct classes \(0, 1\) but the "
                                        r"network tells 3 classes apart"):
        classes_from([0, 1], 3, "classes")  # unlike y, a given list is never taken as indices
    assert sorted_distinct([3, 1, 3], "x") == [1, 3]


# --- the network, end to end ----------------------------------------------------------


def test_string_labels_fit_predict_score_save_load_and_predict_again(tmp_path):
    X, y = iris_like()
    names = [NAMES[label] for label in y]
    net = NeuralNet(layers=[4, 8, 3], learning_rate=0.05, iterations=200, optimizer="adam")
    net.scaler = StandardScaler().fit(X)
    net.fit(X, names)
    assert net.classes_ == NAMES
    predicted = net.predict(X)
    assert all(type(label) is str for label in predicted)
    # The same network trained on the indices: the same weights, so the same
    # predictions, mapped through classes_.
    twin = NeuralNet(layers=[4, 8, 3], learning_rate=0.05, iterations=200, optimizer="adam")
    twin.scaler = StandardScaler().fit(X)
    twin.fit(X, y)
    assert twin.classes_ == [0, 1, 2]
    assert twin.params["W1"] == net.params["W1"] and twin.loss == net.loss
    assert predicted == [NAMES[index] for index in twin.predict(X)]
    assert net.score(X, names) == twin.score(X, y) > 0.9
    path = str(tmp_path / "iris.json")
    net.save(path)
    loaded = NeuralNet.load(path)
    assert loaded.classes_ == NAMES
    assert loaded.predict(X) == predicted
    assert loaded.score(X, names) == net.score(X, names)
    loaded.partial_fit(X[:5], names[:5])  # later training maps labels through classes_
    assert loaded.classes_ == NAMES


@pytest.mark.parametrize("labels", [[-1, 1], [1, 2], [1.0, 2.0], [False, True], ["no", "yes"]])
def test_binary_labels_of_any_kind_train_like_zero_and_one(labels):
    X, y = xor()
    reference = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=3).fit(X, y)
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=3)
    net.fit(X, [labels[label] for label in y])
    assert net.classes_ == labels
    assert net.params["W1"] == reference.params["W1"]
    predicted = net.predict(X)
    assert predicted == [labels[label] for label in y]
    assert [type(label) for label in predicted] == [type(labels[0])] * 4
    assert net.predict_proba(X) == reference.predict_proba(X)


def test_labels_one_to_k_come_back_as_given():
    X, y = iris_like()
    net = NeuralNet(layers=[4, 6, 3], learning_rate=0.05, iterations=100, optimizer="adam")
    net.fit(X, [label + 1 for label in y])
    assert net.classes_ == [1, 2, 3]
    assert set(net.predict(X)) <= {1, 2, 3}
    assert net.score(X, [label + 1 for label in y]) > 0.9


def test_integer_labels_fit_exactly_as_before_and_predict_ints():
    # Labels 0..k-1 are their own indices: classes_ is [0..k-1], the targets
    # are the same rows, so the weights are those of float labels 0.0/1.0 too.
    X, y = xor()
    a = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=50, seed=1).fit(X, y)
    b = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=50, seed=1)
    b.fit(X, [float(label) for label in y])
    assert a.classes_ == b.classes_ == [0, 1]
    assert a.params == b.params and a.loss == b.loss
    assert all(type(p) is int for p in b.predict(X))


def test_validation_data_and_early_stopping_use_the_classes_of_y():
    X, y = iris_like(20)
    names = [NAMES[label] for label in y]
    X_val, y_val = iris_like(5, seed=1)
    net = NeuralNet(layers=[4, 6, 3], learning_rate=0.05, iterations=30, optimizer="adam")
    net.fit(X, names, validation_data=(X_val, [NAMES[label] for label in y_val]))
    assert len(net.validation_score) == 30
    with pytest.raises(DataError, match=r"y\[0\] is 'rose' \(str\), which is not one of this "
                                        r"network's classes: 'setosa', 'versicolor', 'virginica'"):
        net.fit(X, names, validation_data=(X_val[:1], ["rose"]))
    stopped = NeuralNet(layers=[4, 6, 3], learning_rate=0.05, iterations=200, optimizer="adam",
                        early_stopping=True).fit(X, names)
    assert stopped.classes_ == NAMES and set(stopped.predict(X)) <= set(NAMES)


def test_an_unknown_label_later_is_refused_naming_it_and_the_classes():
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=20).fit(X, ["a", "b", "b", "a"])
    before = (net.params["W1"].tolist(), list(net.loss))
    for call in (net.score, net.partial_fit, net.gradients, net.loss_value):
        with pytest.raises(DataError, match=r"y\[3\] is 'c' \(str\), which is not one of this "
                                            r"network's classes: 'a', 'b'"):
            call(X, ["a", "b", "b", "c"])
    assert (net.params["W1"].tolist(), list(net.loss)) == before
    assert net.classes_ == ["a", "b"]


def test_partial_fit_finds_the_classes_in_its_first_batch_or_in_classes():
    X, y = iris_like(4)
    names = [NAMES[label] for label in y]
    net = NeuralNet(layers=[4, 5, 3], learning_rate=0.1)
    with pytest.raises(DataError, match=r"y holds 2 distinct labels \('setosa', 'versicolor'\) "
                                        r"but the network tells 3 classes apart"):
        net.partial_fit(X[:2], names[:2])
    assert net.classes_ is None and not net.params  # unchanged
    net.partial_fit(X[:2], names[:2], classes=["virginica", "setosa", "versicolor"])
    assert net.classes_ == NAMES
    net.partial_fit(X[2:4], names[2:4])
    net.partial_fit(X[2:4], names[2:4], classes=NAMES)  # repeating them is fine
    with pytest.raises(DataError, match=r"classes=\['a', 'b', 'c'\] differs from this network's "
                                        r"classes_ \['setosa', 'versicolor', 'virginica'\]"):
        net.partial_fit(X[:2], names[:2], classes=["a", "b", "c"])
    assert len(net.loss) == 3
    first = NeuralNet(layers=[4, 5, 3]).partial_fit(X, names)  # a batch with every class
    assert first.classes_ == NAMES
    indices = NeuralNet(layers=[4, 5, 3]).partial_fit(X[:1], [2])  # indices: one is enough
    assert indices.classes_ == [0, 1, 2]


def test_the_tutorials_manual_loop_takes_string_labels():
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, seed=3)
    net.X, net.y = X, ["even" if label == 0 else "odd" for label in y]
    net.init_weights()
    for _ in range(500):
        Yhat, loss = net.forward_propagation()
        net.back_propagation(Yhat)
    assert net.classes_ == ["even", "odd"]
    assert net.entropy_loss(net.y, Yhat) == pytest.approx(loss, rel=1e-9)  # from A, not Z
    assert net.predict(X) == net.y
    reference = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=3).fit(X, y)
    if kernels.KERNEL == "sumprod":
        # fit's written-out step rounds after every term, sumprod once per sum
        # (tinynet.faststep): the same weights to the last few bits
        for got, want in zip(net.params["W1"].rows, reference.params["W1"].rows):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-12)
    else:
        assert net.params["W1"] == reference.params["W1"]


def test_numpy_like_labels_predict_plain_python_values():
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=300, seed=3)
    net.fit(X, [NumpyScalar("no") if label == 0 else NumpyScalar("yes") for label in y])
    assert net.classes_ == ["no", "yes"] and all(type(c) is str for c in net.classes_)
    assert net.score(X, [Str("no"), Str("yes"), Str("yes"), Str("no")]) == 1.0


@pytest.mark.parametrize("k, labels", [(1, ["a", "b", "b", "a"]), (3, ["a", "b", "c", "a"])])
def test_a_non_finite_output_is_never_turned_into_a_label(k, labels):
    X, _ = xor()
    net = NeuralNet(layers=[2, 2, k], learning_rate=0.1, iterations=5).fit(X, labels)
    # Finite weights, but for rows holding a 1 the two hidden units reach 1e308
    # and the output adds -inf to +inf: NaN.  Row 0, [0, 0], stays finite.
    for i in range(2):
        for j in range(2):
            net.params["W1"][i, j] = 1e308
    for j in range(k):
        net.params["W2"][0, j] = -1e308
        net.params["W2"][1, j] = 1e308
    assert net.predict(X[:1]) in (["a"], ["b"], ["c"])
    with pytest.raises(DataError, match=r"the network's outputs for row 1 are \[nan.*\], not "
                                        r"probabilities, so they predict no class"):
        net.predict(X)
    with pytest.raises(DataError, match="predict no class"):
        net.score(X, labels)


def test_score_and_predict_refuse_bad_labels_before_anything_else():
    X, y = xor()
    net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=20).fit(X, y)
    with pytest.raises(ShapeError, match="X has 4 rows but y has 3 labels"):
        net.score(X, [0, 1, 1])
    assert math.isfinite(net.loss_value(X, [1.0, 0, 1, 0]))


def test_string_labels_fit_predict_save_and_load_on_micropython(tmp_path):
    import mpy

    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    printed = mpy.run_micropython(
        """
        from tinynet import NeuralNet
        from tinynet.datasets import xor
        X, y = xor()
        names = ["even", "odd"]
        net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=3)
        net.fit(X, [names[label] for label in y])
        print(net.classes_)
        print(net.predict(X))
        net.save("/model.json")
        loaded = NeuralNet.load("/model.json")
        print(loaded.classes_, loaded.predict(X) == net.predict(X))
        net = NeuralNet(layers=[2, 4, 1], learning_rate=0.5, iterations=3, seed=3)
        net.fit(X, [-1, 1, 1, -1])
        print(net.classes_, type(net.predict(X)[0]).__name__)
        try:
            net.score(X, [-1, 1, 1, 0])
        except ValueError as error:
            print(error)
        """,
        out={"/model.json": tmp_path / "model.json"},
    )
    assert printed.splitlines()[:4] == [
        "['even', 'odd']",
        "['even', 'odd', 'odd', 'even']",
        "['even', 'odd'] True",
        "[-1, 1] int",
    ]
    # MicroPython has no warnings module: the convergence warning of the 3-epoch
    # fit is a line on stderr, not part of what was printed.
    assert printed.splitlines()[4] == (
        "y[3] is 0 (int), which is not one of this network's classes: -1, 1")
    with open(str(tmp_path / "model.json")) as handle:
        assert '"classes": ["even", "odd"]' in handle.read()

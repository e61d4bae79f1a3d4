"""tinynet in single precision, as on a microcontroller: the board-like MicroPython build.

There a float has 24 bits of mantissa (about 7 significant digits), so numbers cannot be
bit-identical with CPython's doubles. What the README promises instead, and these tests
check against the CPython running them:

* ``tinynet.Random`` draws the same integers; ``uniform()`` is CPython's value rounded
  to single precision, bit for bit; ``normal()`` agrees to about 1e-7 relative, a few
  units in the last place (its arithmetic is done in single precision), so seeded
  weights agree to about 7 digits;
* a model trained on CPython predicts within 1e-5 relative, with the same labels
  (``NeuralNet.load`` here; ``tinynet.predictor`` in ``test_predictor.py``);
* training works: XOR and a three-blob softmax problem learn as on CPython, their loss
  histories within 1e-2 relative of CPython's (measured: 5e-6 and 1.4e-4).
"""

import json
import math
import struct

import pytest

import board
from datasets import blobs, heart_like
from tinynet import NeuralNet, Random, StandardScaler

HEAP_KB = 512


@pytest.fixture(autouse=True)
def needs_board() -> None:
    board.require_board("py")


def single(x: float) -> float:
    """``x`` rounded to the nearest single-precision float."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def test_random_uniform_is_cpythons_rounded_and_normal_is_within_a_few_units() -> None:
    printed = board.run_board(
        """
        import struct
        from tinynet.rng import Random
        for seed in (0, 1, 7):
            rng = Random(seed)
            bits = [rng.next_u64() for _ in range(3)]
            uniform = [rng.uniform() for _ in range(300)]
            normal = [rng.normal() for _ in range(300)]
            print(" ".join(str(b) for b in bits))
            print(" ".join(str(struct.unpack("<I", struct.pack("<f", x))[0]) for x in uniform))
            print(" ".join(str(struct.unpack("<I", struct.pack("<f", x))[0]) for x in normal))
        """, HEAP_KB)
    lines = printed.splitlines()
    for i, seed in enumerate((0, 1, 7)):
        rng = Random(seed)
        assert [int(b) for b in lines[3 * i].split()] == [rng.next_u64() for _ in range(3)]
        got_uniform = [struct.unpack("<f", struct.pack("<I", int(b)))[0]
                       for b in lines[3 * i + 1].split()]
        assert got_uniform == [single(rng.uniform()) for _ in range(300)]
        got_normal = [struct.unpack("<f", struct.pack("<I", int(b)))[0]
                      for b in lines[3 * i + 2].split()]
        want_normal = [rng.normal() for _ in range(300)]
        assert got_normal != [single(x) for x in want_normal]  # not bit for bit ...
        for got, want in zip(got_normal, want_normal):  # ... but a few units in the last place
            assert math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-4)


def test_a_model_trained_on_cpython_predicts_within_1e_5_with_the_same_labels(tmp_path) -> None:
    X, y = heart_like(120, seed=1)
    net = NeuralNet(layers=[13, 8, 8, 1], learning_rate=0.1, iterations=60, seed=3,
                    optimizer="momentum")
    net.scaler = StandardScaler().fit(X)
    net.fit(X[:90], y[:90])
    net.save(str(tmp_path / "model.json"))
    test_rows = X[90:]
    printed = board.run_board(
        """
        import json
        from tinynet import NeuralNet
        net = NeuralNet.load("model.json")
        X = json.loads(%r)
        print(json.dumps(net.predict_proba(X).tolist()))
        print(json.dumps(net.predict(X)))
        """ % json.dumps(test_rows), HEAP_KB, files={"model.json": tmp_path / "model.json"})
    probabilities, labels = [json.loads(line) for line in printed.splitlines()]
    for got, want in zip(probabilities, net.predict_proba(test_rows).tolist()):
        assert math.isclose(got[0], want[0], rel_tol=1e-5)
    assert labels == net.predict(test_rows)


TRAIN_SCRIPT = """
import json
from %s import %s as Trainer
X, y = json.loads(%r)
net = Trainer(%s)
net.fit(X, y)
print(json.dumps(net.loss))
print(json.dumps(net.predict(X)))
"""


# NeuralNet, and BoardNet (a board's lean trainer, which has no adam: plain gradient descent).
TRAINERS = {"NeuralNet": ("tinynet", {"optimizer": "adam"}),
            "BoardNet": ("tinynet.boardnet", {})}


@pytest.mark.parametrize("trainer", sorted(TRAINERS))
@pytest.mark.parametrize("problem", ["xor", "three blobs"])
def test_training_works_in_single_precision(problem, trainer) -> None:
    module, extra = TRAINERS[trainer]
    if problem == "xor":
        X, y = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0]
        settings = dict(layers=[2, 4, 1], learning_rate=0.5, iterations=500, seed=3)
    else:
        X, y = blobs(30, centers=[[0.0, 0.0], [3.0, 3.0], [0.0, 4.0]], std=0.6, seed=2)
        settings = dict(layers=[2, 8, 3], learning_rate=0.1, iterations=60, seed=4,
                        batch_size=16, **extra)
    arguments = ", ".join("%s=%r" % item for item in settings.items())
    printed = board.run_board(TRAIN_SCRIPT % (module, trainer, json.dumps([X, y]), arguments),
                              HEAP_KB)
    loss, predicted = [json.loads(line) for line in printed.splitlines()]
    reference = NeuralNet(**settings).fit(X, y)  # type: ignore[arg-type]
    assert predicted == y  # it learned every point
    assert loss[-1] < loss[0] / 10
    assert len(loss) == len(reference.loss)
    for got, want in zip(loss, reference.loss):
        assert math.isclose(got, want, rel_tol=1e-2)

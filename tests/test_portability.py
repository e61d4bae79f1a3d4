"""The same numbers everywhere: MicroPython and PyPy against the CPython running pytest.

* A seed gives bit-identical initial weights on every interpreter (compared
  as the integers behind each float's 64 bits, so no printing or parsing of
  floats can blur a difference).
* A network trains, predicts and scores under MicroPython.
* A model trained and saved here loads under MicroPython and PyPy and gives
  the same probabilities (to 1e-12: their ``math.exp`` may differ in the last
  bit), and a model saved under MicroPython loads here.

MicroPython runs through ``tests/mpy.py`` (Node.js and the pinned WebAssembly
port); PyPy is Debian's ``pypy3``.  Locally a missing one is skipped with the
reason; in CI (``CI=true``) it is a failure.
"""

import json
import os
import struct
import subprocess
import sys

import pytest

import mpy
from tinynet import NeuralNet

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Prints every initial weight of three seeded networks as its 64-bit pattern.
WEIGHT_BITS_SCRIPT = """
import struct
from tinynet import NeuralNet

def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]

for layers, activation, seed in (([3, 4, 2], "relu", 7), ([13, 8, 1], "tanh", 1), ([2, 5, 1], "relu", 123)):
    net = NeuralNet(layers, activation=activation, seed=seed)
    net.init_weights()
    for name in net.param_names:
        param = net.params[name]
        rows = param.rows if hasattr(param, "rows") else [param.data]
        print(name, " ".join(str(bits(x)) for row in rows for x in row))
"""


def weight_bits_here() -> str:
    """What WEIGHT_BITS_SCRIPT prints when run by the CPython running the tests."""
    lines = []
    for layers, activation, seed in (([3, 4, 2], "relu", 7), ([13, 8, 1], "tanh", 1),
                                     ([2, 5, 1], "relu", 123)):
        net = NeuralNet(layers, activation=activation, seed=seed)
        net.init_weights()
        for name in net.param_names:
            param = net.params[name]
            rows = param.rows if hasattr(param, "rows") else [param.data]
            values = [struct.unpack("<Q", struct.pack("<d", x))[0] for row in rows for x in row]
            lines.append(name + " " + " ".join(str(v) for v in values))
    return "\n".join(lines) + "\n"


def pypy() -> str:
    found = mpy.find_interpreters().get("pypy3")
    mpy.require_or_skip("PyPy (pypy3)", found, "install it with `apt-get install pypy3`")
    assert found is not None
    return found


def run_pypy(code: str) -> str:
    result = subprocess.run(
        [pypy(), "-c", code], cwd=REPO, env=dict(os.environ, PYTHONPATH=REPO),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def needs_micropython() -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())


def test_initial_weights_are_bit_identical_on_micropython() -> None:
    needs_micropython()
    assert mpy.run_micropython(WEIGHT_BITS_SCRIPT) == weight_bits_here()


def test_initial_weights_are_bit_identical_on_pypy() -> None:
    assert run_pypy(WEIGHT_BITS_SCRIPT) == weight_bits_here()


def test_network_trains_and_predicts_xor_on_micropython() -> None:
    needs_micropython()
    printed = mpy.run_micropython(
        """
        from tinynet import NeuralNet
        X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        y = [0, 1, 1, 0]
        net = NeuralNet([2, 4, 1], learning_rate=0.5, iterations=500, seed=3).fit(X, y)
        print(net.predict(X))
        print(net.loss[0] > net.loss[-1])
        """
    )
    assert printed.splitlines() == ["[0, 1, 1, 0]", "True"]


def test_training_on_micropython_matches_cpython_closely() -> None:
    # Training uses math.exp, whose last bit may differ between C libraries, so
    # the loss histories agree closely rather than bit for bit.
    needs_micropython()
    X = [[0.1 * i, 0.05 * (i % 7) - 0.2] for i in range(30)]
    y = [1 if row[0] + row[1] > 1.2 else 0 for row in X]
    here = NeuralNet([2, 6, 1], learning_rate=0.3, iterations=40, activation="tanh", seed=5).fit(X, y)
    printed = mpy.run_micropython(
        """
        import json
        from tinynet import NeuralNet
        X = [[0.1 * i, 0.05 * (i %% 7) - 0.2] for i in range(30)]
        y = [1 if row[0] + row[1] > 1.2 else 0 for row in X]
        net = NeuralNet([2, 6, 1], learning_rate=0.3, iterations=40, activation="tanh", seed=5).fit(X, y)
        print(json.dumps(net.loss))
        """ % ()
    )
    there = json.loads(printed)
    assert len(there) == len(here.loss) == 40
    for a, b in zip(there, here.loss):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-14)


def test_command_line_says_clearly_that_micropython_lacks_argparse() -> None:
    needs_micropython()
    printed = mpy.run_micropython(
        """
        try:
            import tinynet.cli
        except ImportError as error:
            print("ImportError:", error)
        """
    )
    assert printed.startswith("ImportError:")
    assert "argparse" in printed and "MicroPython" in printed


def test_model_saved_here_predicts_the_same_probabilities_on_pypy(tmp_path) -> None:
    X = [[0.1 * i - 1.0, (0.37 * i) % 1.0] for i in range(24)]
    y = [i % 3 for i in range(24)]
    net = NeuralNet([2, 7, 3], learning_rate=0.2, iterations=30, activation="tanh", seed=4).fit(X, y)
    path = tmp_path / "model.json"
    net.save(str(path))
    printed = run_pypy(
        "import json\n"
        "from tinynet import NeuralNet\n"
        "net = NeuralNet.load(%r)\n"
        "print(json.dumps(net.predict_proba(%r).tolist()))\n" % (str(path), X)
    )
    there = json.loads(printed)
    here = net.predict_proba(X).tolist()
    assert len(there) == len(here) == 24
    for row_there, row_here in zip(there, here):
        for a, b in zip(row_there, row_here):
            assert abs(a - b) <= 1e-12

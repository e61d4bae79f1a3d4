"""The four jobs with a RAM budget on a microcontroller, for the tests and for measuring.

This is a helper module, not a test file. ``tests/test_board_budgets.py`` runs each job
on the board-like MicroPython at its budget; running this file prints the smallest heap
each job needs now, as ``.py`` and as ``.mpy`` (``python tests/boardjobs.py``; set
``TINYNET_MICROPYTHON`` and ``TINYNET_MPY_CROSS`` first).

Each job is written the way README.md, "On a microcontroller", tells board users to do
it. The model files are the kind ``tinynet train`` writes: trained, with a scaler and
the names of the columns.
"""

import os
import sys
import tempfile
import warnings

TESTS = os.path.dirname(os.path.abspath(__file__))
for folder in (TESTS, os.path.dirname(TESTS)):  # run as a script: the helpers and the package
    if folder not in sys.path:
        sys.path.insert(0, folder)

import board  # noqa: E402
from datasets import heart_like  # noqa: E402
from tinynet import NeuralNet, Random, StandardScaler  # noqa: E402

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Tuple

HEART_ROW = [62.9, 0.61, 0.29, 125.7, 214.3, 0.33, 0.22, 182.5, 0.84, 4.2, 2.5, 0.87, 2.26]
WIDE_ROW = [((i * 7) % 13) / 13.0 - 0.5 for i in range(64)]

IMPORT = """
import tinynet
print(tinynet.__version__)
"""

PREDICT = """
from tinynet.predictor import load
model = load("model.json")
print(model.predict([%r]))
"""

# 64 points on a grid over [-1, 1]^2, labelled 1 in the quadrants where x * y > 0, learned
# by BoardNet, the board's trainer.  Its expected output is NeuralNet's on CPython, so the
# job also shows that the two train alike.
TRAIN = """
from tinynet.boardnet import BoardNet
X = [[(i %% 8) / 3.5 - 1.0, (i // 8) / 3.5 - 1.0] for i in range(64)]
y = [1 if a * b > 0 else 0 for a, b in X]
net = BoardNet(layers=[2, 8, 1], learning_rate=0.5, iterations=100, batch_size=8, seed=1)
net.fit(X, y)
print(net.predict(%r))
"""
TRAIN_ROWS = [[0.6, 0.7], [-0.6, 0.7], [-0.8, -0.5], [0.9, -0.4]]

# job name: (code, model file it reads or None, (.py budget, .mpy budget) in KB)
JOBS = {
    "import tinynet": (IMPORT, None, (24, 12)),
    "load a [13, 8, 1] model file and predict one row": (PREDICT % (HEART_ROW,), "13", (40, 20)),
    "load a [64, 32, 10] model file and predict one row": (PREDICT % (WIDE_ROW,), "64", (96, 64)),
    "train [2, 8, 1] on 64 rows, batch_size=8, 100 epochs, then predict":
        (TRAIN % (TRAIN_ROWS,), None, (112, 96)),
}

# The same job with NeuralNet itself (for momentum, adam and the rest): it fits a board's
# heap only as .mpy (tests/test_board_budgets.py holds it to the job's .mpy budget).
NEURALNET_TRAIN = (TRAIN % (TRAIN_ROWS,)).replace(
    "from tinynet.boardnet import BoardNet", "from tinynet import NeuralNet").replace(
    "BoardNet(", "NeuralNet(")


def heart_model() -> NeuralNet:
    """A [13, 8, 1] network trained on heart-like data, with a scaler and column names."""
    X, y = heart_like(120, seed=0)
    net = NeuralNet(layers=[13, 8, 1], learning_rate=0.1, iterations=50, seed=0)
    net.scaler = StandardScaler().fit(X)
    net.feature_names = ["feature_%d" % i for i in range(13)]
    net.target_name = "label"
    return net.fit(X, y)


def wide_model() -> NeuralNet:
    """A [64, 32, 10] network (the size of a digits classifier), trained a little."""
    rng = Random(5)
    X = [[rng.uniform(-1.0, 1.0) for _ in range(64)] for _ in range(40)]
    y = [i % 10 for i in range(40)]
    net = NeuralNet(layers=[64, 32, 10], learning_rate=0.05, iterations=5, seed=0)
    net.scaler = StandardScaler().fit(X)
    net.feature_names = ["pixel_%d" % i for i in range(64)]
    net.target_name = "digit"
    return net.fit(X, y)


MODELS = {"13": heart_model, "64": wide_model}


def model_files(folder: str) -> "Dict[str, str]":
    """Save the jobs' model files in ``folder``; returns their paths by name."""
    paths = {}
    for name, make in MODELS.items():
        paths[name] = os.path.join(folder, "model%s.json" % name)
        with warnings.catch_warnings():  # a few epochs: trained enough to have weights
            warnings.simplefilter("ignore")
            make().save(paths[name])
    return paths


def expected_output(job: str) -> str:
    """What the job prints, as computed by the CPython running this."""
    if job == "import tinynet":
        import tinynet

        return tinynet.__version__
    if "13, 8, 1" in job:
        return repr(heart_model().predict([HEART_ROW]))
    if "64, 32, 10" in job:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return repr(wide_model().predict([WIDE_ROW]))
    X = [[(i % 8) / 3.5 - 1.0, (i // 8) / 3.5 - 1.0] for i in range(64)]
    y = [1 if a * b > 0 else 0 for a, b in X]
    net = NeuralNet(layers=[2, 8, 1], learning_rate=0.5, iterations=100, batch_size=8, seed=1)
    return repr(net.fit(X, y).predict(TRAIN_ROWS))


def run_kwargs(job: str, paths: "Dict[str, str]") -> "Dict[str, object]":
    """``board.run_board`` keyword arguments for ``job``: its model file as model.json."""
    model = JOBS[job][1]
    return {"files": {"model.json": paths[model]}} if model else {}


def measure() -> "List[Tuple[str, int, int]]":
    """The smallest heaps of every job now: (job, .py KB, .mpy KB)."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        paths = model_files(folder)
        for job, (code, _, _) in JOBS.items():
            kwargs = run_kwargs(job, paths)
            rows.append((job,) + tuple(board.smallest_heap(code, form, **kwargs)
                                       for form in board.FORMS))
    return rows  # type: ignore[return-value]


if __name__ == "__main__":
    print("| job | `.py` | `.mpy` | budget |")
    print("|---|---|---|---|")
    for job, py_kb, mpy_kb in measure():
        budget = JOBS[job][2]
        print("| %s | %d KB | %d KB | <= %d / %d KB |" % ((job, py_kb, mpy_kb) + budget))
    print("| the training job with NeuralNet | %d KB | %d KB | - / <= 96 KB |"
          % tuple(board.smallest_heap(NEURALNET_TRAIN, form) for form in board.FORMS))

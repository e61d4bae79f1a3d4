"""What a microcontroller gets: the board-side modules, their imports, and mip's package file.

The board-side modules are those that predicting from a model file (``tinynet.predictor``),
training on a board (``tinynet.boardnet``) and training, saving and loading a network
(``NeuralNet``) need, as followed through their imports (those inside functions too),
from the names a board user imports.
``tinynet/package.json`` (for ``mip``) lists exactly those. Left out on purpose: the
command line (it needs ``argparse``), the CSV reader and data splitting (``tinynet.data``,
``tinynet.table``: a board's data comes from its sensors), the toy data sets, the ONNX
and scikit-learn converters, the export to standalone Python and C, and the settings'
meanings in words (``tinynet.meanings``, the command line's help): desktop tools.

Each board-side module must import on the board-like build (stock firmware has only
its built-in modules, so no ``operator``, no ``typing``), and may import nothing beyond
the built-in modules that build has.
"""

import ast
import json
import os

import pytest

import board
import mpy
import test_architecture

PACKAGE = os.path.join(mpy.REPO_ROOT, "tinynet")
PACKAGE_FILE = os.path.join(PACKAGE, "package.json")

# Where a board user starts: the package, the board's predictor, and the public names.
ENTRY_MODULES = ("__init__", "predictor", "boardnet", "network", "matrix", "vector", "rng",
                 "scaler", "errors", "metrics")
DESKTOP_ONLY = {"__main__", "cli", "data", "datasets", "onnx_export", "onnx_import",
                "onnx_proto", "protobuf", "sklearn_bridge", "export", "export_plan",
                "export_python", "export_c", "meanings", "table", "onnx_values",
                "onnx_labels", "onnx_scaling", "onnx_layers", "mlp_base", "estimators", "arraylike",
                # code written for each network, where the interpreter compiles it: a board
                # never loads these (kernels.ROW_LAYERS and STEP_LAYOUT are None there)
                "fastpredict", "faststep"}

# The built-in modules of the board-like MicroPython 1.27 build (help('modules'), listed in
# ../shared/micropython.md); a board has these or fewer, and nothing else unless shipped.
BUILT_IN = {
    "array", "binascii", "builtins", "cmath", "collections", "deflate", "errno", "framebuf",
    "gc", "hashlib", "heapq", "io", "json", "machine", "math", "micropython", "os",
    "platform", "random", "re", "select", "socket", "struct", "sys", "time", "uctypes",
    "vfs", "_thread", "_asyncio", "termios", "websocket",
}


def board_modules() -> "set[str]":
    """The entry modules and every package module they import, at any depth, short of
    the desktop-only ones (``NeuralNet.to_onnx`` imports the ONNX writer, for one)."""
    found: "set[str]" = set()
    waiting = list(ENTRY_MODULES)
    while waiting:
        module = waiting.pop()
        if module not in found and not desktop_only(module):
            found.add(module)
            waiting += sorted(test_architecture.GRAPH[module][0])
    return found


def desktop_only(module: str) -> bool:
    return module in DESKTOP_ONLY or module.startswith("cli.")  # the command line's parts


def test_every_module_is_either_board_side_or_desktop_only() -> None:
    modules = set(test_architecture.module_names())
    assert board_modules() == {module for module in modules if not desktop_only(module)}
    assert DESKTOP_ONLY <= modules


def test_the_mip_package_file_lists_exactly_the_board_side_modules() -> None:
    with open(PACKAGE_FILE) as handle:
        package = json.load(handle)
    assert sorted(package) == ["urls", "version"]
    import tinynet

    assert package["version"] == tinynet.__version__
    installed = [target for target, _ in package["urls"]]
    assert len(installed) == len(set(installed))
    assert sorted(installed) == sorted("tinynet/%s.py" % m for m in board_modules())
    for target, source in package["urls"]:
        # Relative to package.json itself, which mip and mpremote resolve against its URL.
        assert target == "tinynet/" + source
        assert os.path.isfile(os.path.join(PACKAGE, source)), source


def outside_imports(module: str) -> "set[str]":
    """The modules ``module`` needs from outside the package, at run time."""
    path = os.path.join(PACKAGE, *module.split("."))
    if not os.path.isfile(path + ".py"):
        path = os.path.join(path, "__init__")  # a subpackage: tinynet/cli/__init__.py
    with open(path + ".py") as handle:
        return imports_needed(handle.read())


def imports_needed(source: str) -> "set[str]":
    """The modules outside the package that ``source`` imports, at any depth.

    Left out: imports for the type checker only (under ``if TYPE_CHECKING:``), and
    imports the code can do without (tried under an ``except ImportError`` that does
    not raise).
    """
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            skipped.update(id(inner) for part in node.body for inner in ast.walk(part))
        if isinstance(node, ast.Try) and any(
                getattr(handler.type, "id", None) == "ImportError"
                and not any(isinstance(inner, ast.Raise) for inner in ast.walk(handler))
                for handler in node.handlers):
            skipped.update(id(inner) for part in node.body for inner in ast.walk(part))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add((node.module or "").split(".")[0])
    found.discard("tinynet")
    return found


@pytest.mark.parametrize("module", sorted(board_modules()))
def test_a_board_side_module_imports_only_built_in_modules(module) -> None:
    assert outside_imports(module) <= BUILT_IN, outside_imports(module) - BUILT_IN


def test_the_check_above_sees_imports_inside_functions_and_skips_optional_ones() -> None:
    source = """
import math
from . import kernels
from tinynet.matrix import Matrix
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List
try:
    import operator
except ImportError:
    operator = None
try:
    import re
except ImportError:
    raise ImportError("this needs re")
def later():
    import argparse
    from os import path
"""
    assert imports_needed(source) == {"math", "re", "argparse", "os"}
    assert "operator" not in outside_imports("kernels")  # tried, with a fallback
    assert "argparse" in outside_imports("cli")  # a desktop module, for contrast


@pytest.mark.parametrize("form", board.FORMS)
def test_every_board_side_module_imports_on_the_board_like_build(form) -> None:
    board.require_board(form)
    modules = sorted(board_modules() - {"__init__"})
    printed = board.run_board(
        """
        import sys
        import tinynet
        for name in %r:
            __import__("tinynet." + name)
        print(sorted(name for name in sys.modules if name.startswith("tinynet")))
        """ % (modules,), 512, form)
    assert printed.strip() == repr(sorted(["tinynet"] + ["tinynet." + m for m in modules]))


def test_training_and_predicting_on_a_board_load_no_desktop_only_module() -> None:
    # fastpredict and faststep compile code for a network; a board must take the
    # Matrix path instead and never load them.
    board.require_board("py")
    printed = board.run_board(
        """
        import sys
        from tinynet import NeuralNet
        net = NeuralNet(layers=[2, 3, 1], learning_rate=0.5, iterations=3, batch_size=2, seed=1)
        net.fit([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], [1, 1, 0, 0])
        print(net.predict([[0.0, 1.0]]), net.predict_proba([[1.0, 0.0]]).shape)
        print(sorted(name[8:] for name in sys.modules if name.startswith("tinynet.")))
        """, 512)
    answer, loaded = printed.strip().splitlines()
    assert answer.endswith("(1, 1)")
    loaded_modules = set(eval(loaded))
    assert {"network", "training", "matrix"} <= loaded_modules
    assert not loaded_modules & DESKTOP_ONLY, loaded_modules & DESKTOP_ONLY


def test_the_desktop_only_modules_say_why_they_do_not_run_there() -> None:
    board.require_board("py")
    printed = board.run_board(
        """
        try:
            import tinynet.cli
        except ImportError as error:
            print("ImportError", error)
        """, 512)
    assert printed.startswith("ImportError")

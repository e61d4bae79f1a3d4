"""The package's shape: modules on floors, imports that run one way, and imports that stay cheap.

Every module of ``tinynet`` stands on one floor of ``FLOORS``.  A module may
import from its own floor and the floors below, never from a floor above, and
no chain of imports may come back to where it started.  Imports inside
functions (loaded when first needed) count like any other; imports under
``if TYPE_CHECKING:`` never run (they exist for mypy) and are only held to
the floors, not to the no-circle rule.

The second half checks what importing costs: ``import tinynet`` loads no other
module, ``from tinynet import Matrix`` only the linear algebra, and a loaded
model predicts without the training code, the data helpers or the metrics.
"""

import ast
import os
import subprocess
import sys

import pytest

import mpy
import tinynet

PACKAGE = os.path.join(mpy.REPO_ROOT, "tinynet")

# The floors, bottom first (README.md, "Architecture", says what each module owns).
FLOORS = [
    ("foundations", ["errors", "checks", "kernels", "rng", "protobuf", "jsonkeys",
                     "jsonreader"]),
    ("linear algebra", ["printing", "vector", "matrix"]),
    ("network maths", ["activations", "losses", "labels", "outputs", "metrics", "optimizers",
                       "scaler", "inputs", "arraylike", "settings", "paramcheck", "meanings"]),
    ("the network", ["training", "fastpredict", "faststep", "files", "modelfile", "onnx_proto",
                     "onnx_values", "onnx_labels", "onnx_scaling", "onnx_layers", "onnx_import", "onnx_export",
                     "sklearn_bridge", "network", "messages", "modelreader", "modelcheck",
                     "forward", "predictor", "boardnet"]),
    ("what uses a network", ["table", "data", "datasets", "export_plan", "export_python",
                             "export_c", "export", "mlp_base", "estimators"]),
    ("command line", ["cli", "cli.options", "cli.table", "cli.labels", "cli.progress",
                      "cli.scores", "cli.demo", "cli.train", "cli.predict", "cli.evaluate",
                      "cli.export", "cli.import_onnx", "__main__"]),
]
FLOOR = {module: level for level, (_, modules) in enumerate(FLOORS, 1) for module in modules}


def module_names() -> "list[str]":
    """The package's modules: ``matrix`` for ``tinynet/matrix.py``; a subpackage's
    ``__init__.py`` by the subpackage's name (``cli``) and its modules by a dotted
    name (``cli.train``)."""
    names = []
    for name in os.listdir(PACKAGE):
        if name.endswith(".py"):
            names.append(name[:-3])
        elif os.path.isfile(os.path.join(PACKAGE, name, "__init__.py")):
            names += [name if inner == "__init__.py" else "%s.%s" % (name, inner[:-3])
                      for inner in os.listdir(os.path.join(PACKAGE, name))
                      if inner.endswith(".py")]
    return sorted(names)


def source_path(module: str) -> str:
    """The file of a name from ``module_names``."""
    parts = module.split(".")
    if len(parts) == 1 and os.path.isdir(os.path.join(PACKAGE, module)):
        parts.append("__init__")
    return os.path.join(PACKAGE, *parts) + ".py"


def is_subpackage(module: str) -> bool:
    return source_path(module).endswith("__init__.py") and module != "__init__"


def imports_of(module: str) -> "tuple[set[str], set[str]]":
    """The package modules ``module`` imports: (at run time, for the type checker only).

    Run time includes imports inside functions.  ``from . import x`` counts as
    an import of module ``x`` when there is one, and of ``__init__`` otherwise
    (``from . import __version__``).  Inside a subpackage (``cli``), ``.`` is
    the subpackage and ``..`` the package.
    """
    with open(source_path(module)) as handle:
        tree = ast.parse(handle.read())
    # The dotted prefix a relative import of each level starts from.
    if "." in module or is_subpackage(module):
        bases = {1: module.split(".")[0] + ".", 2: ""}
    else:
        bases = {1: ""}
    type_only_nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and \
                node.test.id == "TYPE_CHECKING":
            for inner in node.body:
                type_only_nodes.update(id(sub) for sub in ast.walk(inner))
    known = set(module_names())
    run_time: "set[str]" = set()
    type_only: "set[str]" = set()
    for node in ast.walk(tree):
        found = []
        if isinstance(node, ast.ImportFrom):
            if node.level >= 1 or (node.module or "").split(".")[0] == "tinynet":
                assert node.level in bases, "%s: relative import beyond the package" % module
                base = bases.get(node.level, "")
                path = [part for part in (node.module or "").split(".") if part]
                if node.level == 0:
                    path = path[1:]
                if path:
                    dotted = base + path[0]
                    if len(path) > 1 and dotted + "." + path[1] in known:
                        dotted += "." + path[1]
                    found.append(dotted)
                else:
                    for alias in node.names:
                        if base + alias.name in known:
                            found.append(base + alias.name)
                        else:
                            found.append(base.rstrip(".") or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "tinynet":
                    dotted = ".".join(parts[1:3])
                    found.append(dotted if dotted in known else parts[1] if len(parts) > 1
                                 else "__init__")
        for name in found:
            (type_only if id(node) in type_only_nodes else run_time).add(name)
    run_time.discard(module)
    type_only -= run_time | {module}
    return run_time, type_only


GRAPH = {module: imports_of(module) for module in module_names()}


def test_every_module_stands_on_one_floor() -> None:
    placed = [module for _, modules in FLOORS for module in modules]
    assert len(placed) == len(set(placed))
    assert sorted(placed + ["__init__"]) == module_names()


@pytest.mark.parametrize("module", sorted(FLOOR))
def test_no_module_imports_from_a_floor_above_its_own(module: str) -> None:
    run_time, type_only = GRAPH[module]
    for imported in sorted(run_time | type_only):
        if imported == "__init__":
            continue  # the front door: see test_the_front_door_imports_nothing_when_it_runs
        assert FLOOR[imported] <= FLOOR[module], (
            "%s (floor %d, %s) imports %s from floor %d (%s)"
            % (module, FLOOR[module], FLOORS[FLOOR[module] - 1][0], imported, FLOOR[imported],
               FLOORS[FLOOR[imported] - 1][0]))


def test_no_chain_of_imports_comes_back_to_its_start() -> None:
    def visit(module: str, path: "list[str]") -> None:
        for imported in sorted(GRAPH[module][0]):
            assert imported not in path, "import circle: %s" % " -> ".join(
                path[path.index(imported):] + [imported])
            visit(imported, path + [imported])

    for module in GRAPH:
        visit(module, [module])


def test_model_files_and_the_training_loop_are_handed_the_network() -> None:
    for module in ("training", "files", "modelfile"):
        assert "network" not in GRAPH[module][0], module
    assert "matrix" not in GRAPH["vector"][0]
    for module in ("inputs", "metrics", "scaler"):
        assert "data" not in GRAPH[module][0], module


def test_the_front_door_imports_nothing_when_it_runs() -> None:
    run_time, _ = GRAPH["__init__"]
    assert run_time == set()
    # Its table names a real home for every public name, and every module.
    for name in tinynet.__all__:
        if name != "__version__":
            home = tinynet.HOMES[name]
            assert name in vars(__import__("tinynet." + home, None, None, [name])), name
    # Every module is an attribute of the package (as MicroPython's `from tinynet import matrix`
    # needs); other names are not.
    top_level = {name for name in module_names() if "." not in name}
    for module in top_level - {"__init__", "__main__", "cli"}:
        assert getattr(tinynet, module).__name__ == "tinynet." + module
    for name in ("no_such_module", "__wrapped__"):
        with pytest.raises(AttributeError, match="has no attribute"):
            getattr(tinynet, name)


def test_every_public_name_is_the_object_its_home_module_defines() -> None:
    import tinynet.data
    import tinynet.scaler

    for name in tinynet.__all__:
        getattr(tinynet, name)
    assert tinynet.StandardScaler is tinynet.data.StandardScaler is tinynet.scaler.StandardScaler
    with pytest.raises(AttributeError, match="no attribute 'Matrx'"):
        tinynet.Matrx  # type: ignore[attr-defined]


# --- what importing costs --------------------------------------------------------


def loaded_after(code: str) -> "set[str]":
    """The tinynet modules (and json) loaded in a fresh interpreter after running ``code``."""
    script = ("import sys\n%s\nprint(' '.join(sorted(name for name in sys.modules "
              "if name.startswith('tinynet') or name == 'json')))" % code)
    result = subprocess.run([sys.executable, "-S", "-c", script], cwd=mpy.REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return {name.replace("tinynet.", "") for name in result.stdout.split()}


def test_import_tinynet_loads_nothing_else() -> None:
    assert loaded_after("import tinynet; tinynet.__version__") == {"tinynet"}


def test_the_linear_algebra_loads_without_the_network() -> None:
    loaded = loaded_after("from tinynet import Matrix, Vector\nMatrix([[1.0]]) @ Vector([2.0])")
    assert loaded <= {"tinynet", "errors", "checks", "kernels", "rng", "vector", "matrix"}
    assert {"matrix", "vector"} <= loaded


def test_predicting_from_a_model_file_loads_no_training_data_or_metrics_code(tmp_path) -> None:
    from tinynet import NeuralNet, StandardScaler

    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    for output, y in (("sigmoid", [0, 1, 1, 0]), ("linear", [0.5, 1.0, 1.5, 2.0])):
        net = NeuralNet([2, 3, 1], output=output, iterations=3).fit(X, y)
        net.scaler = StandardScaler().fit(X)
        path = str(tmp_path / (output + ".json"))
        net.save(path)
        loaded = loaded_after("from tinynet import NeuralNet\n"
                              "print(NeuralNet.load(%r).predict([[0.5, 0.5]]))" % path)
        assert {"network", "modelfile", "json"} <= loaded
        assert not loaded & {"data", "datasets", "metrics", "optimizers", "training", "cli"}


def test_the_network_runs_where_the_operator_module_is_missing() -> None:
    # Stock MicroPython firmware has no operator module (only the WebAssembly
    # build carries a copy); this hides CPython's from the package.
    code = ("import sys\nsys.modules['operator'] = None\n"
            "from tinynet import Matrix, NeuralNet, kernels\n"
            "X = [[0, 0], [0, 1], [1, 0], [1, 1]]\n"
            "net = NeuralNet([2, 4, 1], learning_rate=0.5, iterations=500, seed=3).fit(X, [0, 1, 1, 0])\n"
            "print(net.predict(X), repr(Matrix([[1, 2]]) * Matrix([[3, 4]])), kernels.mul.__name__)")
    result = subprocess.run([sys.executable, "-S", "-c", code], cwd=mpy.REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[0, 1, 1, 0] Matrix([[3.0, 8.0]]) _mul\n"


def test_names_and_modules_load_lazily_on_micropython() -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    printed = mpy.run_micropython(
        """
        import sys
        import tinynet
        print(sorted(name for name in sys.modules if name.startswith("tinynet")))
        from tinynet import Matrix, kernels
        print("tinynet.network" in sys.modules, kernels.KERNEL)
        net = tinynet.NeuralNet([2, 3, 1])
        print(type(net).__name__, "tinynet.network" in sys.modules, tinynet.Matrix is Matrix)
        try:
            tinynet.Matrx
        except AttributeError:
            print("AttributeError")
        """
    )
    assert printed.splitlines() == ["['tinynet']", "False indexed", "NeuralNet True True",
                                    "AttributeError"]

"""``examples/benchmark.py`` runs, prints its tables, and compares like with like.

Nothing here looks at a time: timings depend on the machine.  What is checked
is that the script works from a checkout (in its ``--quick`` mode) and that the
bare-list code it races against tinynet computes the same numbers as tinynet.
"""

import importlib.util
import os
import subprocess
import sys

import pytest

import mpy
from tinynet import Matrix

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(REPO_ROOT, "examples", "benchmark.py")
BOARD_SCRIPT = os.path.join(REPO_ROOT, "examples", "benchmark_board.py")


def load_benchmark():
    spec = importlib.util.spec_from_file_location("tinynet_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


benchmark = load_benchmark()


@pytest.fixture(scope="module")
def quick_run():
    """The output of ``benchmark.py --quick --digits``, run as a user would, from the checkout."""
    result = subprocess.run(
        [sys.executable, SCRIPT, "--quick", "--digits"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_quick_run_reports_the_interpreter_date_and_cpu_count(quick_run):
    assert "interpreter : %s" % sys.implementation.name in quick_run
    assert "date        : " in quick_run
    assert "cpu_count   : %s" % os.cpu_count() in quick_run


def test_quick_run_prints_every_section(quick_run):
    for heading in ("1. Matrix @ Matrix", "2. One full-batch training step", "3. Predicting one sample",
                    "4. Import cost", "5. NumPy", "6. Scaling", "7. Digits-sized training"):
        assert heading in quick_run


def test_quick_run_has_a_row_per_shape_and_network(quick_run):
    lines = quick_run.splitlines()
    for n, k, m in benchmark.MATMUL_SHAPES:
        assert any(line.startswith("%dx%d @ %dx%d " % (n, k, k, m)) for line in lines)
    for layers, n_samples in benchmark.STEP_CASES:
        assert any(line.startswith("%s, %d samples " % (layers, n_samples)) for line in lines)
    for layers in benchmark.PREDICT_LAYERS:
        assert sum(1 for line in lines if line.startswith("%s " % (layers,))) == 2  # times, ratios
    for run in ("-c pass ", "-c 'import tinynet' ", "-S -c pass ", "-S -c 'import tinynet' "):
        assert any(line.startswith(run) for line in lines)
    assert any(line.startswith("n = 100 ") for line in lines)
    assert any(line.startswith("tinynet ") and "per epoch" not in line for line in lines)


def test_quick_run_names_the_fastest_bare_idiom_and_the_kernel(quick_run):
    assert "fastest bare idiom here: " in quick_run
    assert "tinynet.kernels chose %r" % benchmark.kernels.KERNEL in quick_run


def test_quick_run_checked_every_bare_step_and_forward_pass_against_tinynet(quick_run):
    for layers, _ in benchmark.STEP_CASES:
        for name, _, _ in benchmark.step_variants():
            assert "check %-12s %-9s same loss" % (layers, name) in quick_run
    for layers in benchmark.PREDICT_LAYERS:
        assert "check %-13s same labels" % (layers,) in quick_run


STEP_VARIANT_NAMES = [name for name, _, _ in benchmark.step_variants()]


@pytest.mark.parametrize("layers, n_samples", [([2, 5, 1], 40), ([13, 8, 1], 30), ([3, 16, 1], 7), ([1, 3, 1], 9)])
def test_every_bare_step_gives_tinynets_loss_and_weights(layers, n_samples):
    loss, differences = benchmark.check_step(layers, n_samples)
    assert loss > 0.0
    assert sorted(differences) == sorted(STEP_VARIANT_NAMES)
    for name, (loss_difference, weight_difference) in differences.items():
        assert loss_difference <= 1e-12, name
        assert weight_difference <= 1e-12, name


def test_the_bare_steps_change_the_weights():
    """A step that forgot its update would still match a tinynet that made none."""
    X, y = benchmark.sample_data(20, 2)
    start = benchmark.bare_params(benchmark.fresh_net([2, 5, 1]))
    for name, function, layout in benchmark.step_variants():
        weights, data = benchmark.step_layout(layout, start, X, y)
        function(weights, data, benchmark.LEARNING_RATE)
        assert benchmark.max_difference(start, benchmark.step_weights(layout, weights)) > 1e-6, name


@pytest.mark.parametrize("name", STEP_VARIANT_NAMES)
def test_every_bare_step_keeps_agreeing_over_several_steps(name):
    X, y = benchmark.sample_data(25, 2)
    net = benchmark.fresh_net([2, 5, 1])
    function, layout = [(f, lay) for n, f, lay in benchmark.step_variants() if n == name][0]
    weights, data = benchmark.step_layout(layout, benchmark.bare_params(net), X, y)
    X_matrix, Y_matrix = Matrix(X), Matrix([[float(label)] for label in y])
    for epoch in range(5):
        loss = net._train_step(X_matrix, Y_matrix, epoch)
        bare_loss = function(weights, data, benchmark.LEARNING_RATE)
        assert abs(loss - bare_loss) <= 1e-12
    assert benchmark.max_difference(benchmark.bare_params(net), benchmark.step_weights(layout, weights)) <= 1e-12


@pytest.mark.parametrize("name", [name for name, _, available in benchmark.IDIOMS if available])
def test_every_bare_product_matches_tinynets(name):
    product = benchmark.idiom_function(name)
    for n, k, m in benchmark.MATMUL_SHAPES + benchmark.STEP_SHAPES[:3]:
        A = Matrix.random_normal(n, k, seed=n + k)
        B = Matrix.random_normal(k, m, seed=k + m)
        assert benchmark.max_difference((A @ B).rows, product(A.rows, B.rows)) <= 1e-12


@pytest.mark.parametrize("layers", [[2, 5, 1], [13, 8, 1], [64, 32, 1], [3, 4, 3], [64, 32, 10], [1, 2, 1]])
def test_every_bare_forward_pass_matches_tinynet(layers):
    worst = benchmark.check_predict(layers, n_samples=8)  # raises if a label differs
    expected = [name for name, _, _, available in benchmark.PREDICT_VARIANTS if available]
    if layers[0] > benchmark.UNROLL_LIMIT:
        expected.remove("unrolled")
    assert sorted(worst) == sorted(expected)
    assert max(worst.values()) <= 1e-12


def test_bare_forward_passes_read_the_weights_on_every_call():
    """Changing a weight after a bare forward pass was set up changes its answer, as it
    would change tinynet's: none of them (the unrolled one included) has the weights baked in."""
    params = benchmark.bare_params(benchmark.fresh_net([2, 5, 1]))
    x = [0.5, -0.25]
    finish = benchmark.probabilities_sigmoid
    unrolled = benchmark.make_unrolled(2, 5, 1, finish)
    for name, function, layout, available in benchmark.PREDICT_VARIANTS:
        if not available:
            continue
        weights = benchmark.predict_layout(layout, params)
        if name == "unrolled":
            run = lambda: unrolled(weights, x)[0]  # noqa: E731
        else:
            run = lambda: function(weights, x, finish)[0]  # noqa: E731
        before = run()
        weights[3][0] += 1.0  # b2, the same list in every layout
        assert run() > before, name


def test_digits_like_data_has_the_digits_shape():
    X, y = benchmark.digits_like(30)
    assert len(X) == 30 and all(len(row) == 64 for row in X)
    assert all(0.0 <= value <= 16.0 for row in X for value in row)
    assert sorted(set(y)) == list(range(10))


def test_pypy_warm_up_only_where_there_is_a_jit():
    settings = benchmark.parse_arguments(["--rounds", "3", "--no-numpy"])
    assert settings.jit_calls == (10000 if sys.implementation.name == "pypy" else 0)
    assert benchmark.parse_arguments(["--quick", "--no-numpy"]).jit_calls == 0


def test_runs_without_numpy(capsys):
    settings = benchmark.parse_arguments(["--quick", "--no-numpy", "--sections", "2"])
    assert settings.numpy is None
    assert settings.rounds == 1
    assert benchmark.parse_arguments(["--no-numpy"]).rounds == 9
    assert 7 in benchmark.parse_arguments(["--no-numpy", "--digits"]).sections
    benchmark.main(["--quick", "--no-numpy", "--sections", "2"])
    printed = capsys.readouterr().out
    assert "numpy       : not used" in printed
    assert "numpy" not in printed.split("2. One full-batch", 1)[1]


def test_median_and_paired_ratio():
    assert benchmark.median([3.0, 1.0, 2.0]) == 2.0
    assert benchmark.median([4.0, 1.0, 2.0, 3.0]) == 2.5
    times = {"tinynet": [2.0, 3.0, 9.0], "bare": [1.0, 2.0, 3.0]}
    assert benchmark.ratio(times, "tinynet", "bare") == 2.0  # ratios 2, 1.5, 3: median 2


def test_refuses_unknown_arguments():
    with pytest.raises(SystemExit):
        benchmark.parse_arguments(["--fast"])


# --- examples/benchmark_board.py, the MicroPython counterpart -----------------------------

def run_board_script(script, cwd):
    result = subprocess.run([sys.executable, script, "--quick"], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_board_benchmark_times_bare_code_and_tinynet():
    printed = run_board_script(BOARD_SCRIPT, REPO_ROOT)
    assert "tinynet     : imported" in printed
    lines = printed.splitlines()
    for first in ("[2, 5, 1] ", "[13, 8, 1] ", "[13, 8, 1] x 30 ", "[2, 5, 1] x 100 "):
        row = [line for line in lines if line.startswith(first) and (" x " in first) == (" x " in line)]
        assert len(row) == 1, first
        cells = row[0][len(first):].split()
        assert float(cells[0]) > 0.0 and float(cells[2]) > 0.0  # bare and tinynet
        assert cells[1] == "-"  # no @micropython.native outside MicroPython
        assert cells[3].endswith("x")


def test_board_benchmark_reports_bare_figures_when_tinynet_does_not_import(tmp_path):
    """A broken tinynet beside the script (found first) is skipped with its error."""
    (tmp_path / "examples").mkdir()
    (tmp_path / "tinynet").mkdir()
    (tmp_path / "tinynet" / "__init__.py").write_text("import operator_missing_here\n")
    script = tmp_path / "examples" / "benchmark_board.py"
    with open(BOARD_SCRIPT) as source:
        script.write_text(source.read())
    printed = run_board_script(str(script), str(tmp_path))
    assert "tinynet     : SKIPPED, import tinynet failed here" in printed
    assert "operator_missing_here" in printed
    row = [line for line in printed.splitlines() if line.startswith("[2, 5, 1] ") and " x " not in line]
    assert float(row[0].split()[3]) > 0.0 and row[0].split()[5] == "-"


def test_board_benchmark_runs_on_micropython():
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    with open(BOARD_SCRIPT) as source:
        code = "import sys\nsys.argv.append('--quick')\n" + source.read()
    printed = mpy.run_micropython(code, heap_mb=2, timeout=300)
    assert "interpreter : micropython" in printed
    assert "native      : " in printed
    assert "tinynet     : imported" in printed  # the WebAssembly build has operator frozen in
    assert sum(1 for line in printed.splitlines() if line.startswith("[") and line.endswith("x")) == 4

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

from tinynet import Matrix

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(REPO_ROOT, "examples", "benchmark.py")


def load_benchmark():
    spec = importlib.util.spec_from_file_location("tinynet_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


benchmark = load_benchmark()


@pytest.fixture(scope="module")
def quick_run():
    """The output of ``benchmark.py --quick``, run as a user would, from the checkout."""
    result = subprocess.run(
        [sys.executable, SCRIPT, "--quick"],
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
                    "4. Import cost", "5. NumPy", "6. Scaling"):
        assert heading in quick_run


def test_quick_run_has_a_row_per_shape_and_network(quick_run):
    lines = quick_run.splitlines()
    for n, k, m in benchmark.MATMUL_SHAPES:
        assert any(line.startswith("%dx%d @ %dx%d " % (n, k, k, m)) for line in lines)
    for layers, n_samples in benchmark.STEP_CASES:
        assert any(line.startswith("%s, %d samples " % (layers, n_samples)) for line in lines)
    for layers in benchmark.PREDICT_LAYERS:
        assert any(line.startswith("%s " % (layers,)) for line in lines)
    for run in ("-c pass ", "-c 'import tinynet' ", "-S -c pass ", "-S -c 'import tinynet' "):
        assert any(line.startswith(run) for line in lines)
    assert any(line.startswith("n = 100 ") for line in lines)


def test_quick_run_names_the_fastest_bare_idiom_and_the_kernel(quick_run):
    assert "fastest bare idiom here: " in quick_run
    assert "tinynet.kernels chose %r" % benchmark.kernels.KERNEL in quick_run


def test_quick_run_checked_the_bare_step_against_tinynet(quick_run):
    for layers, _ in benchmark.STEP_CASES:
        assert "check %-12s bare  same loss" % (layers,) in quick_run


@pytest.mark.parametrize("layers, n_samples", [([2, 5, 1], 40), ([13, 8, 1], 30), ([3, 16, 1], 7)])
def test_bare_step_gives_tinynets_loss_and_weights(layers, n_samples):
    loss, differences = benchmark.check_step(layers, n_samples)
    loss_difference, weight_difference = differences["bare"]
    assert loss > 0.0
    assert loss_difference <= 1e-12
    assert weight_difference <= 1e-12


def test_bare_step_keeps_agreeing_over_several_steps():
    X, y = benchmark.sample_data(25, 2)
    y_rows = [[float(label)] for label in y]
    net = benchmark.fresh_net([2, 5, 1])
    params = benchmark.bare_params(net)
    product = benchmark.idiom_function(benchmark.expected_idiom())
    X_matrix, Y_matrix = Matrix(X), Matrix(y_rows)
    for epoch in range(5):
        loss = net._train_step(X_matrix, Y_matrix, epoch)
        bare_loss = benchmark.bare_step(params, X, y_rows, benchmark.LEARNING_RATE, product)
        assert abs(loss - bare_loss) <= 1e-12
    assert benchmark.max_difference(benchmark.bare_params(net), params) <= 1e-12


@pytest.mark.parametrize("name", [name for name, _, available in benchmark.IDIOMS if available])
def test_every_bare_product_matches_tinynets(name):
    product = benchmark.idiom_function(name)
    for n, k, m in benchmark.MATMUL_SHAPES + benchmark.STEP_SHAPES[:3]:
        A = Matrix.random_normal(n, k, seed=n + k)
        B = Matrix.random_normal(k, m, seed=k + m)
        assert benchmark.max_difference((A @ B).rows, product(A.rows, B.rows)) <= 1e-12


def test_bare_predict_matches_tinynet():
    product = benchmark.idiom_function(benchmark.expected_idiom())
    for layers in benchmark.PREDICT_LAYERS:
        X, _ = benchmark.sample_data(6, layers[0])
        net = benchmark.fresh_net(layers)
        params = benchmark.bare_params(net)
        assert net.predict(X) == benchmark.bare_predict(params, X, product)
        assert benchmark.max_difference(net.predict_proba(X).rows,
                                        benchmark.bare_predict_proba(params, X, product)) <= 1e-12


def test_runs_without_numpy(capsys):
    settings = benchmark.parse_arguments(["--quick", "--no-numpy", "--sections", "2"])
    assert settings.numpy is None
    assert settings.rounds == 1
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

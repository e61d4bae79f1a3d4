"""The package type-checks under ``mypy --strict``: run as part of the test suite
so the check cannot be forgotten."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_mypy_strict_reports_no_issues() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "tinynet"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
    )
    assert result.returncode == 0, result.stdout


def test_package_ships_py_typed_marker() -> None:
    assert os.path.isfile(os.path.join(REPO, "tinynet", "py.typed"))

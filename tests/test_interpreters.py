"""``import tinynet`` works under PyPy and under every supported CPython.

This only checks that the package imports and reports its version on each one;
``.ci/interpreters.sh`` runs the whole test suite under each of them.
"""

import subprocess

import pytest

import mpy
import tinynet

# CPython 3.11 runs pytest itself, so it is left out here.
INTERPRETERS = ["pypy3", "python3.8", "python3.9", "python3.10", "python3.12", "python3.13"]


@pytest.mark.parametrize("name", INTERPRETERS)
def test_tinynet_imports_and_reports_its_version(name: str) -> None:
    python = mpy.find_interpreters().get(name)
    mpy.require_or_skip(name, python)
    code = "import sys; sys.path.insert(0, %r); import tinynet; print(tinynet.__version__)" % (
        mpy.REPO_ROOT,
    )
    result = subprocess.run(
        [python, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=120,
    )
    assert result.returncode == 0, "%s failed to import tinynet:\n%s" % (name, result.stderr)
    assert result.stdout.strip() == tinynet.__version__

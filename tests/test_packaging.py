"""The source distribution carries what its own tests need, and the license.

The sdist is built for real, not checked from MANIFEST.in by reading it:
what matters is what setuptools puts in the archive.  It is built offline
with the setuptools installed here (``setuptools.build_meta``, the backend
``pyproject.toml`` names, called directly), so nothing is downloaded, as
``python -m build --no-isolation`` would do.  That needs setuptools 77 or
later, the first to read the SPDX string ``license = "MIT"``; the dev extras
(``pip install -e '.[dev]'``) install it.  Without it the test is skipped
locally with the reason, and fails under ``CI=true``.

The build runs in a copy of the checkout, so it leaves no ``*.egg-info``
behind.  The file is left out of the runs under other interpreters
(``.ci/interpreters.sh``): what goes into the archive does not depend on the
interpreter running pytest, and setuptools 77 needs Python 3.9.
"""

import os
import shutil
import subprocess
import sys
import tarfile

import mpy

# What a checkout may hold that is no part of the sources (virtualenvs, npm's
# install, caches, build output).
NOT_SOURCES = (".git", "node_modules", "__pycache__", ".pytest_cache", ".mypy_cache", "build",
               "dist")


def is_source(name: str) -> bool:
    return not (name in NOT_SOURCES or name.startswith(".venv") or name.endswith(".egg-info")
                or name.endswith(".pyc"))


def files_under(root: str, folder: str) -> "set[str]":
    """The source files under ``root/folder``, as paths relative to ``root``."""
    found = set()
    for path, folders, names in os.walk(os.path.join(root, folder)):
        folders[:] = [name for name in folders if is_source(name)]
        for name in names:
            if is_source(name):
                found.add(os.path.relpath(os.path.join(path, name), root).replace(os.sep, "/"))
    return found


def setuptools_version() -> "tuple[int, ...]":
    """The installed setuptools' version, as numbers; () when there is none."""
    result = subprocess.run([sys.executable, "-c", "import setuptools; print(setuptools.__version__)"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, timeout=60)
    if result.returncode != 0:
        return ()
    return tuple(int(part) for part in result.stdout.split(".")[:2] if part.isdigit())


def test_the_sdist_carries_the_tests_the_examples_the_readme_and_the_license(tmp_path) -> None:
    mpy.require_or_skip("setuptools >= 77", setuptools_version() >= (77,),
                        "pip install 'setuptools>=77' (the dev extras do)")
    source = str(tmp_path / "source")
    shutil.copytree(mpy.REPO_ROOT, source,
                    ignore=lambda folder, names: [name for name in names if not is_source(name)])
    out = str(tmp_path / "dist")
    os.mkdir(out)
    built = subprocess.run(
        [sys.executable, "-c", "import setuptools.build_meta as backend; "
                               "print(backend.build_sdist(%r))" % out],
        cwd=source, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
        timeout=300)
    assert built.returncode == 0, built.stderr
    archive = os.path.join(out, built.stdout.split()[-1])
    with tarfile.open(archive) as sdist:
        members = sdist.getnames()
        top = members[0].split("/")[0]
        names = {name[len(top) + 1:] for name in members if name.startswith(top + "/")}
        pkg_info = sdist.extractfile(top + "/PKG-INFO").read().decode("utf-8")  # type: ignore[union-attr]

    wanted = (files_under(mpy.REPO_ROOT, "tests") | files_under(mpy.REPO_ROOT, "examples")
              | files_under(mpy.REPO_ROOT, "tinynet")
              | {"README.md", "LICENSE", "pyproject.toml", "MANIFEST.in"})
    assert sorted(wanted - names) == []
    # The tests it needs are there (examples/benchmark.py was once missing).
    assert {"tests/test_cli.py", "tests/mpy.py", "tests/micropython/run.mjs",
            "tests/micropython/package-lock.json", "examples/benchmark.py",
            "examples/walkthrough.py", "tinynet/cli/__init__.py", "tinynet/py.typed"} <= names
    # And nothing that is not a source file (but setuptools' own metadata).
    assert not [name for name in names if not name.startswith("tinynet.egg-info")
                and not all(is_source(part) for part in name.split("/"))]
    assert "License-Expression: MIT" in pkg_info.splitlines()
    assert "License-File: LICENSE" in pkg_info.splitlines()


def test_the_license_is_mit_with_this_projects_copyright_line() -> None:
    with open(os.path.join(mpy.REPO_ROOT, "LICENSE")) as handle:
        lines = handle.read().splitlines()
    assert lines[0] == "MIT License"
    assert lines[2].startswith("Copyright (c) ") and lines[2].endswith(" the tinynet authors")
    assert "Permission is hereby granted, free of charge" in lines[4]

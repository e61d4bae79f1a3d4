"""tinynet under MicroPython (WebAssembly port on Node.js), through the ``mpy`` helper.

These pin the harness itself: the package imports there, files cross both ways, and an
exception raised inside MicroPython fails the test with its type named. Tests of the
package's behaviour on MicroPython belong beside the module they test, using ``mpy``.
"""

import json

import pytest

import mpy


@pytest.fixture(autouse=True)
def needs_micropython() -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())


def test_tinynet_imports_and_has_a_string_version() -> None:
    printed = mpy.run_micropython(
        """
        import sys
        import tinynet
        print(sys.implementation.name)
        print(type(tinynet.__version__).__name__, tinynet.__version__)
        """
    )
    implementation, version_line = printed.splitlines()
    assert implementation == "micropython"
    assert version_line.startswith("str ")
    assert len(version_line) > len("str ")


def test_tinynet_is_imported_from_the_copied_package() -> None:
    printed = mpy.run_micropython("import tinynet\nprint(tinynet.__file__)")
    assert printed.strip() == "/lib/tinynet/__init__.py"


def test_file_goes_in_and_a_written_file_comes_back_out(tmp_path) -> None:
    source = tmp_path / "model.json"
    source.write_text(json.dumps({"weights": [[0.5, -1.25], [3.0, 1e-3]]}))
    target = tmp_path / "back" / "doubled.json"
    printed = mpy.run_micropython(
        """
        import json
        with open("/models/model.json") as f:
            model = json.load(f)
        doubled = [[2 * w for w in row] for row in model["weights"]]
        with open("/doubled.json", "w") as f:
            json.dump({"weights": doubled}, f)
        print("saved")
        """,
        files={"/models/model.json": source},
        out={"/doubled.json": target},
    )
    assert printed == "saved\n"
    assert json.loads(target.read_text()) == {"weights": [[1.0, -2.5], [6.0, 2e-3]]}


def test_exception_inside_micropython_fails_with_its_type_named() -> None:
    with pytest.raises(mpy.MicroPythonError) as caught:
        mpy.run_micropython(
            """
            def check(n):
                if n < 0:
                    raise ValueError("n must be non-negative, got %d" % n)
            check(-3)
            """
        )
    assert caught.value.exc_type == "ValueError"
    assert "ValueError" in str(caught.value)
    assert "n must be non-negative, got -3" in str(caught.value)


def test_non_zero_exit_fails_and_zero_exit_succeeds() -> None:
    with pytest.raises(mpy.MicroPythonError) as caught:
        mpy.run_micropython("import sys\nsys.exit(3)")
    assert caught.value.returncode == 3
    assert caught.value.exc_type is None
    assert mpy.run_micropython("import sys\nprint('done')\nsys.exit(0)") == "done\n"


def test_missing_out_file_is_an_error(tmp_path) -> None:
    with pytest.raises(mpy.MicroPythonError, match="did not write"):
        mpy.run_micropython("pass", out={"/never_written.json": tmp_path / "x.json"})

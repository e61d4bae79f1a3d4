"""The board-like MicroPython harness (``tests/board.py``) itself.

These pin what the budget tests rely on: the binary computes in single precision, a
heap limit is enforced as on a board, a run that does not fit is told apart from a
run that fails, and the package compiles to ``.mpy``. Tests of tinynet's behaviour
there live beside the module they test.
"""

import pytest

import board


@pytest.fixture(autouse=True)
def needs_board() -> None:
    board.require_board("py")


def test_floats_are_single_precision_like_a_board() -> None:
    printed = board.run_board("print(1 / 3)\nprint(float('1e39'))", heap_kb=16, path=[])
    assert printed.split() == ["0.33333334", "inf"]


@pytest.mark.parametrize("form", board.FORMS)
def test_every_path_held_in_ram_is_the_same_wherever_the_run_is(form: str) -> None:
    # The package is lib/tinynet and the script is imported, so no absolute path (whose
    # length depends on the temporary folder) reaches sys.path or a module's name: a
    # budget must not pass in one folder and fail in a longer one.
    board.require_board(form)
    printed = board.run_board("import sys, tinynet\nprint(sys.path, tinynet.__file__)", 64, form)
    assert printed.split() == ["['',", "'lib']", "lib/tinynet/__init__.%s" % form]


def test_only_built_in_modules_can_be_imported() -> None:
    printed = board.run_board(
        """
        for name in ("operator", "typing", "json", "math", "array", "struct"):
            try:
                __import__(name)
                print(name, "yes")
            except ImportError:
                print(name, "no")
        """,
        heap_kb=32,
        path=[],
    )
    assert printed.split() == ["operator", "no", "typing", "no", "json", "yes",
                               "math", "yes", "array", "yes", "struct", "yes"]


def test_a_job_larger_than_the_heap_raises_memory_error() -> None:
    code = "data = bytearray(20000)\nprint(len(data))"
    assert board.fits(code, 64, path=[])
    assert not board.fits(code, 16, path=[])
    with pytest.raises(board.BoardError) as raised:
        board.run_board(code, 16, path=[])
    assert raised.value.exc_type == "MemoryError"


def test_a_failure_other_than_memory_is_raised_not_counted_as_too_big() -> None:
    with pytest.raises(board.BoardError) as raised:
        board.fits("raise ValueError('broken job')", 64, path=[])
    assert raised.value.exc_type == "ValueError"
    assert "broken job" in str(raised.value)


def test_smallest_heap_finds_the_edge_of_a_known_allocation() -> None:
    code = "data = bytearray(40000)"
    smallest = board.smallest_heap(code, "py", low_kb=8, high_kb=256, path=[])
    assert 40 <= smallest <= 48
    assert board.fits(code, smallest, path=[])
    assert not board.fits(code, smallest - 1, path=[])


def test_files_are_copied_into_the_working_folder(tmp_path) -> None:
    source = tmp_path / "numbers.txt"
    source.write_text("1.5 2.5\n")
    printed = board.run_board(
        "with open('numbers.txt') as f:\n    print(sum(float(w) for w in f.read().split()))",
        heap_kb=16, files={"numbers.txt": source}, path=[])
    assert printed.strip() == "4.0"


def test_the_package_compiles_to_mpy_files(tmp_path) -> None:
    board.require_board("mpy")
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("def double(x):\n    return 2 * x\n")
    root = board.compiled_package(str(package), "pkg")
    printed = board.run_board("import pkg\nprint(pkg.__file__, pkg.double(21))", 16, path=[root])
    location, answer = printed.split()
    assert location.endswith("/pkg/__init__.mpy")
    assert answer == "42"


def test_smallest_heap_is_above_a_failure_just_over_the_edge() -> None:
    # Fits from 10 KB, except at 14 KB: as a job whose blocks land badly at one size.
    code = """
    import gc
    total = gc.mem_free() + gc.mem_alloc()
    data = bytearray(7000)
    if 13900 <= total < 14900:  # the total of a 14 KB heap (the GC keeps some for its tables)
        raise MemoryError("lands badly at this size")
    """
    assert board.fits(code, 13, path=[]) and not board.fits(code, 14, path=[])
    assert board.smallest_heap(code, "py", low_kb=4, high_kb=64, path=[]) == 15

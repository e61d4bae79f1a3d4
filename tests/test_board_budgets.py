"""Each job's RAM budget on a microcontroller, checked on the board-like MicroPython.

The board-like build (32-bit objects, single-precision floats, a fixed heap that raises
``MemoryError`` past it) runs each job of ``tests/boardjobs.py`` with exactly its budget
of heap, the package as ``.py`` source and compiled to ``.mpy``. A job that no longer
fits fails here; one that fits must also print what CPython computes.

| job | `.py` | `.mpy` |
|---|---|---|
| `import tinynet` | 24 KB | 12 KB |
| load a [13, 8, 1] model file and predict one row | 40 KB | 20 KB |
| load a [64, 32, 10] model file and predict one row | 96 KB | 64 KB |
| train [2, 8, 1] on 64 rows, `batch_size=8`, 100 epochs, then predict | 112 KB | 96 KB |

``python tests/boardjobs.py`` prints how much each job needs now.
"""

import pytest

import board
import boardjobs


@pytest.fixture(scope="module")
def model_paths(tmp_path_factory) -> "dict[str, str]":
    return boardjobs.model_files(str(tmp_path_factory.mktemp("models")))


@pytest.mark.parametrize("form", board.FORMS)
@pytest.mark.parametrize("job", list(boardjobs.JOBS))
def test_the_job_runs_within_its_budget(job, form, model_paths) -> None:
    board.require_board(form)
    code, _, budgets = boardjobs.JOBS[job]
    budget_kb = budgets[board.FORMS.index(form)]
    try:
        printed = board.run_board(code, budget_kb, form, **boardjobs.run_kwargs(job, model_paths))
    except board.BoardError as error:
        if error.exc_type != "MemoryError":
            raise
        pytest.fail("%s no longer fits in %d KB as .%s:\n%s" % (job, budget_kb, form, error),
                    pytrace=False)
    assert printed.strip() == boardjobs.expected_output(job)


def test_the_budgets_are_the_issues_table() -> None:
    budgets = [budget for _, _, budget in boardjobs.JOBS.values()]
    assert budgets == [(24, 12), (40, 20), (96, 64), (112, 96)]

"""Seeded random hostile inputs (``tests/hostile.py``), on this interpreter and on MicroPython.

Three kinds: operators on random Matrix, Vector and scalar operands against a slow
reference; mutated model files, each refused with a ModelFileError or loaded to a model
whose predictions are finite; mutated CSV text, each refused with a DataError exactly when
a slow reference parser refuses it, else read to exactly its numbers.  Every case checks
the exact result or the exact exception, and that the operands or models are unchanged.

The seeds are fixed, so a failure names a case that can be run again; the counts make the
whole file take a few seconds on CPython.
"""

import json
import math
import os

import pytest

import hostile
import mpy
from tinynet import DataError, Matrix, ModelFileError, NeuralNet, Random, ShapeError, Vector

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

OPERATOR_CASES = 4000
MODEL_FILE_CASES = 600
CSV_CASES = 3000


# --- the references themselves ------------------------------------------------------------


@pytest.mark.parametrize("op, a, b, expected", [
    ("+", Matrix([[1.0, 2.0]]), Vector([10.0, 20.0]), ("M", [[11.0, 22.0]])),
    ("-", Vector([10.0, 20.0]), Matrix([[1.0, 2.0], [3.0, 4.0]]), ("M", [[9.0, 18.0],
                                                                         [7.0, 16.0]])),
    ("/", 1, Vector([2.0, 0.0]), ("error", "ZeroDivisionError")),
    ("*", Matrix([[1.0]]), True, ("error", "TypeError")),
    ("*", Matrix([[1.0]]), 10 ** 400, ("error", "DataError")),
    ("@", Vector([1.0, 2.0]), Matrix([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]), ("V", [1.0, 2.0, 3.0])),
    ("@", Matrix([[1.0, 2.0]]), Matrix([[1.0, 2.0]]), ("error", "ShapeError")),
    ("@", Vector([1.0, 2.0]), Vector([3.0, 4.0]), ("float", 11.0)),
    ("+=", Vector([1.0, 2.0]), Matrix([[1.0, 2.0]]), ("error", "ShapeError")),
    ("+=", Matrix([[1.0, 2.0]]), Vector([1.0, 2.0]), ("M", [[2.0, 4.0]])),
    ("+", 1, 2, ("skip", None)),
])
def test_the_operator_reference_gives_the_documented_answers(
        op: str, a: object, b: object, expected: object) -> None:
    assert hostile.reference_operation(op, a, b) == expected


@pytest.mark.parametrize("text, expected", [
    ("a,b\n1,2\n3,4\n", ([[1.0, 2.0], [3.0, 4.0]], ["a", "b"])),
    ('\ufeff a , "say ""hi"" (cm)"\r\n1, 2.5\r\n\r\n3, 4\r\n', ([[1.0, 2.5], [3.0, 4.0]],
                                                             ["a", 'say "hi" (cm)'])),
    ('x\n"7"\n-.5e1\n+3.\n', ([[7.0], [-5.0], [3.0]], ["x"])),
    ("a,b\n1,2\n3,x\n", None),
    ("a,b\n1,2\n3\n", None),
    ("a,a\n1,2\n", None),
    ("a,\n1,2\n", None),
    ("a\n", None),
    ("", None),
    ("a\n1_000\n", None),
    ("a\n\uff11\n", None),
    ('a\n" 1"\n', None),
    ("a\nnan\n", None),
    ("a\n1e999\n", None),
    ('a\n"1"x\n', None),
    ('a\n"1\n', None),
])
def test_the_csv_reference_reads_the_documented_examples(text: str, expected: object) -> None:
    assert hostile.reference_csv(text) == expected


def test_the_csv_reference_labels_are_ints_only_when_every_cell_is_whole() -> None:
    assert hostile.reference_labels(["0", "+1", "-2", "007"]) == [0, 1, -2, 7]
    assert hostile.reference_labels(["0", "1.0"]) == [0.0, 1.0]
    assert hostile.reference_labels(["1" * 19]) is None


def test_the_json_writer_of_the_model_mutations_round_trips_and_can_repeat_keys() -> None:
    value = {"a": [1.0, -0.0, 2, None, True, False, "x\"\\\u00e9"], "b": {"c": []}}
    assert json.loads(hostile.dump(hostile.tree(value))) == value
    twice = hostile.Obj([["k", 1], ["k", 2]])
    assert hostile.dump(twice) == '{"k": 1, "k": 2}'


# --- the fuzz on this interpreter -----------------------------------------------------------


def test_random_operations_give_the_reference_result_or_its_exception() -> None:
    counts = hostile.run_operator_fuzz(OPERATOR_CASES, seed=15)
    assert sum(counts.values()) == OPERATOR_CASES
    # Every kind of outcome was met, so the fuzz is not stuck in one corner.
    for outcome in ("value", "ShapeError", "TypeError", "DataError", "ZeroDivisionError"):
        assert counts.get(outcome, 0) >= 20, counts


def test_mutated_model_files_are_refused_or_load_to_finite_predictions(tmp_path: "Path") -> None:
    counts = hostile.run_model_file_fuzz(MODEL_FILE_CASES, seed=15, folder=str(tmp_path))
    assert sum(counts.values()) == MODEL_FILE_CASES
    assert counts.get("refused", 0) >= 100 and counts.get("loaded", 0) >= 30, counts
    assert sorted(os.listdir(str(tmp_path))) == ["base0.json", "base1.json", "base2.json",
                                                  "base3.json"]


def test_from_dict_never_changes_the_dict_it_is_given(tmp_path: "Path") -> None:
    texts = hostile.model_texts(str(tmp_path))
    checked = 0
    for how, data in hostile.mutated_model_files(Random(16), texts, MODEL_FILE_CASES):
        try:
            d = json.loads(data.decode("utf-8"))
            before = json.dumps(d, sort_keys=True)
        except (ValueError, RecursionError):  # not JSON, or (PyPy) too deep to write back
            continue
        try:
            NeuralNet.from_dict(d)
        except ModelFileError:
            pass
        assert json.dumps(d, sort_keys=True) == before, how
        checked += 1
    assert checked >= 200


def test_mutated_csv_text_is_read_exactly_or_refused_as_the_reference_says() -> None:
    counts = hostile.run_csv_fuzz(CSV_CASES, seed=15)
    assert sum(counts.values()) == CSV_CASES
    for outcome in ("refused", "read", "read with a target"):
        assert counts.get(outcome, 0) >= 200, counts


# --- the same on MicroPython -----------------------------------------------------------------


def test_the_same_fuzz_passes_on_micropython() -> None:
    mpy.require_or_skip("MicroPython", mpy.micropython_available())
    printed = mpy.run_micropython(
        """
        import json, os
        import hostile
        os.mkdir("/fuzz")
        print(json.dumps([hostile.run_operator_fuzz(1500, 15),
                          hostile.run_model_file_fuzz(150, 15, "/fuzz"),
                          hostile.run_csv_fuzz(800, 15)]))
        """,
        files={"/lib/hostile.py": os.path.join(mpy.REPO_ROOT, "tests", "hostile.py")},
        timeout=300,
    )
    operators, model_files, csv = json.loads(printed)
    assert sum(operators.values()) == 1500 and operators["ShapeError"] > 0
    assert sum(model_files.values()) == 150 and model_files["refused"] > 0
    assert sum(csv.values()) == 800 and csv["refused"] > 0 and csv["read"] > 0

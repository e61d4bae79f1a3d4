"""Hostile inputs for the tests: seeded mutations, and slow references to check the answers.

This is a helper module, not a test file (``tests/test_hostile_fuzz.py`` runs it).  It is
plain Python that MicroPython runs too, so the same seeded cases (drawn from
``tinynet.Random``, which gives the same numbers everywhere) run on every interpreter:
``test_hostile_fuzz.py`` copies it into MicroPython's filesystem and calls the ``run_*``
functions there.

=====================================  ===============================================
``run_operator_fuzz(count, seed)``     random ``@ + - * /`` and in-place ``+= -=`` on
                                       Matrix, Vector and scalars (ints, floats, NaN,
                                       bools, None, strings, lists), each checked against
                                       ``reference_operation``: the exact result or the
                                       exact exception type, and operands unchanged
``run_model_file_fuzz(count, seed,     mutated model files (truncated, bytes flipped or
    folder)``                          inserted, keys repeated, removed or renamed, values
                                       of another type, huge numbers, deep nesting): each
                                       loads to a model whose predictions are finite, or
                                       raises ModelFileError; the models saved are unchanged
``run_csv_fuzz(count, seed)``          mutated CSV text through ``read_csv_text``: a
                                       DataError exactly when ``reference_csv`` refuses
                                       it, else exactly its numbers
=====================================  ===============================================

Each ``run_*`` returns a dict counting the outcomes (``{"TypeError": 41, "value": 180,
...}``) and raises AssertionError, naming the case, at the first wrong one.  The
references are written here from the documented rules, never by asking tinynet.
"""

import math
import os
import sys

from tinynet import Matrix, NeuralNet, Random, StandardScaler, Vector
from tinynet.data import read_csv_text
from tinynet.errors import DataError, ModelFileError, ShapeError, TinynetError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Tuple


MICROPYTHON = sys.implementation.name == "micropython"


def choice(rng: "Random", items: "Any") -> "Any":
    return items[rng.randrange(len(items))]


def count(counts: "Dict[str, int]", outcome: str) -> None:
    counts[outcome] = counts.get(outcome, 0) + 1


def same_float(a: float, b: float) -> bool:
    """Bit for bit, as far as Python can tell: NaN equals NaN, and -0.0 differs from 0.0."""
    if a != a or b != b:
        return a != a and b != b
    return a == b and (a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, b))


def same_rows(a: "List[List[float]]", b: "List[List[float]]") -> bool:
    return len(a) == len(b) and all(
        len(x) == len(y) and all(same_float(p, q) for p, q in zip(x, y)) for x, y in zip(a, b))


# --- operators on Matrix, Vector and scalars ---------------------------------------------

# Entries: small whole numbers (so sums of products are exact in any order),
# signed zeros, and the special values.
ENTRIES = (0.0, -0.0, 1.0, -2.0, 3.0, 0.5, -7.0, float("nan"), float("inf"), -float("inf"))
FINITE_ENTRIES = (0.0, 1.0, -2.0, 3.0, 0.5, -7.0, 4.0)
# Scalars arithmetic takes, and their values as floats.
SCALARS = (0, 1, -3, 2.5, -0.0, 0.0, float("nan"), float("inf"), -float("inf"), 7)
# A whole number too large for a float: DataError.
HUGE_INTS = (10 ** 400, -(10 ** 400))
# What arithmetic does not take: Python's TypeError (bools are refused on purpose).
NOT_NUMBERS = (True, False, None, "a", "2", [1.0, 2.0], (1.0,), b"1")
OPERATORS = ("+", "-", "*", "/", "@", "+=", "-=")


def random_table(rng: "Random", n_rows: int, n_cols: int, entries: "Any") -> "List[List[float]]":
    return [[choice(rng, entries) for _ in range(n_cols)] for _ in range(n_rows)]


def random_operand(rng: "Random", finite: bool) -> "Any":
    """A Matrix or Vector of 1 to 3 rows and columns, or a scalar, or something else."""
    entries = FINITE_ENTRIES if finite else ENTRIES
    kind = rng.randrange(10)
    if kind < 4:
        return Matrix(random_table(rng, 1 + rng.randrange(3), 1 + rng.randrange(3), entries))
    if kind < 7:
        return Vector(random_table(rng, 1, 1 + rng.randrange(3), entries)[0])
    if kind < 8:
        return choice(rng, SCALARS)
    if kind < 9:
        return choice(rng, NOT_NUMBERS)
    return choice(rng, HUGE_INTS)


def describe_operand(value: "Any") -> str:
    if isinstance(value, (Matrix, Vector)):
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** 20:
        return "-10**400" if value < 0 else "10**400"
    return repr(value)


def _kind(value: "Any") -> str:
    """How the reference sees an operand: M, V, S (a scalar), BIG (an int beyond floats) or X."""
    if isinstance(value, Matrix):
        return "M"
    if isinstance(value, Vector):
        return "V"
    if isinstance(value, bool):
        return "X"
    if isinstance(value, float):
        return "S"
    if isinstance(value, int):
        return "S" if -10 ** 300 < value < 10 ** 300 else "BIG"
    return "X"


def _apply(op: str, a: float, b: float) -> float:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return a / b  # ZeroDivisionError for b == 0, as Python's floats do


def _elementwise(op: str, a: "Any", b: "Any", ka: str, kb: str) -> "Tuple[str, Any]":
    """("M", rows) / ("V", values), or ("error", name), for a op b entry by entry."""
    if ka == "S" and kb == "S":
        return ("skip", None)
    if "X" in (ka, kb):
        return ("error", "TypeError")
    if "BIG" in (ka, kb):
        return ("error", "DataError")
    if ka == "M" and kb == "M":
        if len(a.rows) != len(b.rows) or a.n_cols != b.n_cols:
            return ("error", "ShapeError")
        pairs = [list(zip(r, s)) for r, s in zip(a.rows, b.rows)]
        kind = "M"
    elif ka == "M" or kb == "M":
        table = a if ka == "M" else b
        other = b if ka == "M" else a
        if kb == "S" or ka == "S":
            line = [float(other)] * table.n_cols
        elif len(other.data) != table.n_cols:
            return ("error", "ShapeError")
        else:
            line = list(other.data)
        if ka == "M":
            pairs = [list(zip(row, line)) for row in table.rows]
        else:
            pairs = [list(zip(line, row)) for row in table.rows]
        kind = "M"
    else:  # vectors and scalars
        if ka == "V" and kb == "V":
            if len(a.data) != len(b.data):
                return ("error", "ShapeError")
            pairs = [list(zip(a.data, b.data))]
        elif ka == "V":
            pairs = [[(x, float(b)) for x in a.data]]
        else:
            pairs = [[(float(a), x) for x in b.data]]
        kind = "V"
    try:
        rows = [[_apply(op, x, y) for x, y in row] for row in pairs]
    except ZeroDivisionError:
        return ("error", "ZeroDivisionError")
    return (kind, rows if kind == "M" else rows[0])


def _dot(xs: "List[float]", ys: "List[float]") -> float:
    total = 0.0
    for x, y in zip(xs, ys):
        total += x * y
    return total


def _matmul(a: "Any", b: "Any", ka: str, kb: str) -> "Tuple[str, Any]":
    if ka in ("S", "BIG") and kb in ("S", "BIG"):
        return ("skip", None)
    if ka not in ("M", "V") or kb not in ("M", "V"):
        return ("error", "TypeError")
    if ka == "V" and kb == "V":
        if len(a.data) != len(b.data):
            return ("error", "ShapeError")
        return ("float", _dot(a.data, b.data))
    left = a.rows if ka == "M" else [a.data]
    right = b.rows if kb == "M" else [[x] for x in b.data]
    if len(left[0]) != len(right):
        return ("error", "ShapeError")
    columns = [[row[j] for row in right] for j in range(len(right[0]))]
    rows = [[_dot(row, column) for column in columns] for row in left]
    if ka == "M" and kb == "M":
        return ("M", rows)
    return ("V", rows[0] if ka == "V" else [row[0] for row in rows])


def reference_operation(op: str, a: "Any", b: "Any") -> "Tuple[str, Any]":
    """What ``a op b`` must give, worked out from plain lists.

    ``("M", rows)``, ``("V", values)`` or ``("float", x)`` for a result;
    ``("error", name)`` for the exception it must raise; ``("skip", None)`` for two
    plain scalars (Python's business, not tinynet's).  In place, ``a op= b`` must
    keep ``a``'s type and identity: a Vector cannot become a table.
    """
    ka, kb = _kind(a), _kind(b)
    if ka not in ("M", "V") and kb not in ("M", "V"):
        return ("skip", None)
    if MICROPYTHON and isinstance(a, bool) and op in ("+", "-", "*", "/"):
        # MicroPython turns a bool on the left into an int before it asks the
        # right operand (``True + M`` reaches Matrix.__radd__ as 1): it cannot be
        # told from ``1 + M`` there.
        a, ka = int(a), "S"
    if op == "@":
        return _matmul(a, b, ka, kb)
    if op in ("+=", "-="):
        if ka not in ("M", "V"):
            return ("skip", None)
        result = _elementwise(op[0], a, b, ka, kb)
        if ka == "V" and kb == "M" and result[0] != "error":
            return ("error", "ShapeError")  # the result would be a table
        return result
    return _elementwise(op, a, b, ka, kb)


def _operate(op: str, a: "Any", b: "Any") -> "Any":
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    if op == "@":
        return a @ b
    if op == "+=":
        a += b
        return a
    a -= b
    return a


def _snapshot(value: "Any") -> "Any":
    if isinstance(value, Matrix):
        return ("M", value.tolist())
    if isinstance(value, Vector):
        return ("V", [value.tolist()])
    return ("other", value)


def _unchanged(before: "Any", value: "Any") -> bool:
    after = _snapshot(value)
    if before[0] == "other":
        return after[0] == "other" and after[1] is before[1]
    return before[0] == after[0] and same_rows(before[1], after[1])


def check_operation(op: str, a: "Any", b: "Any") -> str:
    """Run ``a op b``; assert it matches ``reference_operation``; return the outcome."""
    expected = reference_operation(op, a, b)
    if expected[0] == "skip":
        return "skipped"
    case = "%s %s %s" % (describe_operand(a), op, describe_operand(b))
    before_a, before_b = _snapshot(a), _snapshot(b)
    try:
        result = _operate(op, a, b)
    except Exception as error:  # the type is compared with the reference's just below
        name = type(error).__name__
        assert expected == ("error", name), "%s raised %s (%s), expected %r" % (
            case, name, error, expected)
        if name in ("ShapeError", "DataError", "TypeError", "ZeroDivisionError"):
            assert _unchanged(before_a, a) and _unchanged(before_b, b), \
                "%s raised %s but changed an operand" % (case, name)
        return name
    assert expected[0] != "error", "%s gave %r, expected %s" % (case, result, expected[1])
    if op in ("+=", "-="):
        assert result is a, "%s did not update %r in place" % (case, a)
    else:
        assert _unchanged(before_a, a), "%s changed its left operand" % case
    assert _unchanged(before_b, b), "%s changed its right operand" % case
    kind, value = expected
    if kind == "float":
        assert isinstance(result, float) and same_float(result, value), \
            "%s gave %r, expected %r" % (case, result, value)
    elif kind == "M":
        assert type(result) is Matrix and same_rows(result.tolist(), value), \
            "%s gave %r, expected Matrix(%r)" % (case, result, value)
        assert result.n_cols == len(value[0])
    else:
        assert type(result) is Vector and same_rows([result.tolist()], [value]), \
            "%s gave %r, expected Vector(%r)" % (case, result, value)
    return "value"


def run_operator_fuzz(n_cases: int, seed: int) -> "Dict[str, int]":
    """``n_cases`` random operations, each checked by ``check_operation``."""
    rng = Random(seed)
    counts: "Dict[str, int]" = {}
    for _ in range(n_cases):
        op = choice(rng, OPERATORS)
        finite = op == "@"  # products mix entries, and NaN * 0 is NaN in any order
        count(counts, check_operation(op, random_operand(rng, finite), random_operand(rng, finite)))
    return counts


# --- model files -------------------------------------------------------------------------


class Raw:
    """Text written into the JSON as it is: ``1e400``, ``[[[[1]]]]``."""

    def __init__(self, text: str) -> None:
        self.text = text


class Obj:
    """A JSON object as a list of [key, value] pairs, so that a key may appear twice."""

    def __init__(self, pairs: "List[List[Any]]") -> None:
        self.pairs = pairs


def tree(value: "Any") -> "Any":
    """Parsed JSON with every dict as an Obj (keys sorted: the same order everywhere)."""
    if isinstance(value, dict):
        return Obj([[key, tree(value[key])] for key in sorted(value)])
    if isinstance(value, list):
        return [tree(item) for item in value]
    return value


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) > 0x7E:
            out.append("\\u%04x" % ord(char))
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def dump(node: "Any") -> str:
    """JSON text for a tree (NaN and infinities as Python's json writes them)."""
    if isinstance(node, Obj):
        return "{" + ", ".join(_string(key) + ": " + dump(value) for key, value in node.pairs) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(dump(item) for item in node) + "]"
    if isinstance(node, Raw):
        return node.text
    if node is None:
        return "null"
    if node is True:
        return "true"
    if node is False:
        return "false"
    if isinstance(node, float):
        if node != node:
            return "NaN"
        if node in (float("inf"), -float("inf")):
            return "Infinity" if node > 0 else "-Infinity"
        return repr(node)
    if isinstance(node, int):
        return str(node)
    return _string(node)


def places(node: "Any", found: "List[Tuple[Any, int]]") -> "List[Tuple[Any, int]]":
    """Every (container, index) in the tree: a list and its index, or an Obj and a pair's."""
    if isinstance(node, Obj):
        for i, pair in enumerate(node.pairs):
            found.append((node, i))
            places(pair[1], found)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found.append((node, i))
            places(item, found)
    return found


def _get(container: "Any", i: int) -> "Any":
    return container.pairs[i][1] if isinstance(container, Obj) else container[i]


def _set(container: "Any", i: int, value: "Any") -> None:
    if isinstance(container, Obj):
        container.pairs[i][1] = value
    else:
        container[i] = value


# Values a mutation puts where another was: every JSON type, and some near misses.
OTHER_VALUES = (None, True, False, 0, -1, 2, 2.5, "", "relu", "tinynet-model", [], [1.0],
                [[1.0]], [[1.0, 2.0]], [None], "W1")
HUGE_NUMBERS = (1e308, -1e308, 1.7976931348623157e308, 5e-324, -0.0, 10 ** 400, Raw("1e400"),
                Raw("-1e999"), Raw("1e-400"), Raw("123456789012345678901234567890"), 10 ** 30)
INSERTED_BYTES = (b"{", b"}", b"[", b"]", b",", b":", b'"', b"0", b"-", b"e", b" ", b"\\",
                  b"\x00", b"\xff", b"\xc3", b"NaN", b"1e999", b"\xef\xbb\xbf", b"//")


def _mutate_bytes(rng: "Random", data: bytes) -> "Tuple[str, bytes]":
    kind = rng.randrange(4)
    at = rng.randrange(len(data))
    if kind == 0:
        return "truncated at %d" % at, data[:at]
    if kind == 1:
        bit = 1 << rng.randrange(8)
        return "byte %d xor %d" % (at, bit), data[:at] + bytes([data[at] ^ bit]) + data[at + 1:]
    if kind == 2:
        inserted = choice(rng, INSERTED_BYTES)
        return "%r inserted at %d" % (inserted, at), data[:at] + inserted + data[at:]
    span = 1 + rng.randrange(20)
    return "%d bytes cut at %d" % (span, at), data[:at] + data[at + span:]


def _mutate_tree(rng: "Random", root: "Any") -> str:
    """Change the tree in place; say how."""
    spots = places(root, [])
    container, i = choice(rng, spots)
    kind = rng.randrange(8)
    if kind == 7 and isinstance(root, Obj):  # finite weights so large the outputs overflow
        factor = choice(rng, (1e200, -1e200, 1e300))
        for key, value in root.pairs:
            if key == "params":
                for container, i in places(value, []):
                    number = _get(container, i)
                    if isinstance(number, float) and abs(number) <= 1.0:
                        _set(container, i, number * factor)
        return "every weight times %r" % factor
    if kind == 0:  # a key twice in one object
        objects = [spot for spot in spots if isinstance(spot[0], Obj)]
        container, i = choice(rng, objects) if objects else (root, 0)
        key, value = container.pairs[i]
        copy = value if rng.randrange(2) else choice(rng, OTHER_VALUES)
        container.pairs.insert(rng.randrange(len(container.pairs) + 1), [key, copy])
        return "key %r twice" % key
    if kind == 1:  # a value of another type
        value = choice(rng, OTHER_VALUES)
        _set(container, i, value)
        return "value replaced by %r" % (value,)
    if kind == 2:  # a huge or tiny number
        number = choice(rng, HUGE_NUMBERS)
        _set(container, i, number)
        return "value replaced by %s" % (number.text if isinstance(number, Raw) else
                                         "10**400" if number == 10 ** 400 else repr(number))
    if kind == 3:  # deep nesting
        depth = choice(rng, (30, 3000, 100000))
        _set(container, i, Raw("[" * depth + "1.0" + "]" * depth))
        return "value nested %d deep" % depth
    if kind == 4 and isinstance(container, Obj):  # a key removed
        key = container.pairs.pop(i)[0]
        return "key %r removed" % key
    if kind == 5 and isinstance(container, Obj):  # a key renamed
        old = container.pairs[i][0]
        container.pairs[i][0] = choice(rng, ("W9", "Format", "b1", "", "W1 ", "\u0057\u0031",
                                             "mean", "training", "features"))
        return "key %r renamed %r" % (old, container.pairs[i][0])
    if isinstance(container, list) and len(container) > 1:  # an item dropped or doubled
        if rng.randrange(2):
            container.pop(i)
            return "list item %d dropped" % i
        container.insert(i, _get(container, i))
        return "list item %d doubled" % i
    _set(container, i, _get(container, i))
    return "unchanged (a valid file)"


def model_texts(folder: str) -> "List[str]":
    """Four small saved models: a classifier with a scaler and column names, a softmax,
    a regressor with both scalers and one with none."""
    rows = [[0.5, -1.0], [2.0, 3.0], [-1.5, 0.25]]
    sigmoid = NeuralNet([2, 3, 1], seed=1)
    sigmoid.init_weights()
    sigmoid.scaler = StandardScaler().fit(rows)
    sigmoid.feature_names, sigmoid.target_name = ["a", "b"], "label"
    softmax = NeuralNet([3, 4, 3], activation="tanh", seed=2)
    softmax.init_weights()
    linear = NeuralNet([2, 3, 2], output="linear", activation="leaky_relu", seed=3)
    linear.init_weights()
    linear.scaler = StandardScaler().fit(rows)
    linear.target_scaler = StandardScaler().fit([[10.0, -3.0], [30.0, 5.0]])
    plain = NeuralNet([2, 2, 1], output="linear", seed=4)
    plain.init_weights()
    texts = []
    for i, net in enumerate((sigmoid, softmax, linear, plain)):
        path = "%s/base%d.json" % (folder, i)
        net.save(path)
        with open(path) as handle:
            texts.append(handle.read())
    return texts


def mutated_model_files(rng: "Random", texts: "List[str]", n_cases: int) -> "Any":
    """``n_cases`` pairs (how the file was changed, its bytes)."""
    import json

    for _ in range(n_cases):
        text = choice(rng, texts)
        if rng.randrange(2):
            yield _mutate_bytes(rng, text.encode())
        else:
            root = tree(json.loads(text))
            how = _mutate_tree(rng, root)
            yield how, dump(root).encode()


def check_loaded_model(path: str, how: str) -> str:
    """Load ``path``: a ModelFileError, or a model whose predictions are all finite
    (a prediction refused because the outputs are not finite counts as that)."""
    try:
        net = NeuralNet.load(path)
    except ModelFileError:
        return "refused"
    # Any other exception escapes: the caller reports the case.
    X = [[0.25 * (j + 1) * (-1) ** j for j in range(net.layers[0])], [3.0] * net.layers[0]]
    outputs = net._propagate(net._features(X))  # the last layer's numbers
    finite = all(math.isfinite(x) for row in outputs.rows for x in row)
    if finite and net.target_scaler is not None:  # and in the targets' units
        try:
            outputs = net.target_scaler.inverse_transform(outputs)
        except DataError:
            finite = False
    try:
        predictions = net.predict(X)
    except TinynetError as error:
        assert not finite, "%s: loaded, then predict raised %r on finite outputs" % (how, error)
        return "prediction refused"
    assert finite, "%s: predict returned %r from outputs %r" % (how, predictions, outputs.rows)
    copy = NeuralNet.from_dict(net.to_dict())
    assert copy.predict(X) == predictions, "%s: the loaded model does not round-trip" % how
    return "loaded"


def run_model_file_fuzz(n_cases: int, seed: int, folder: str) -> "Dict[str, int]":
    """``n_cases`` mutated model files, each checked by ``check_loaded_model``; the models
    that were saved (the caller's) must be unchanged at the end."""
    texts = model_texts(folder)
    originals = [NeuralNet.load("%s/base%d.json" % (folder, i)) for i in range(len(texts))]
    before = [net.to_dict() for net in originals]
    counts: "Dict[str, int]" = {}
    for i, (how, data) in enumerate(mutated_model_files(Random(seed), texts, n_cases)):
        # A new name each time: rewriting one file is several times slower on ext4.
        path = "%s/mutated%d.json" % (folder, i)
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            outcome = check_loaded_model(path, how)
        except AssertionError:
            raise
        except Exception as error:
            raise AssertionError("%s: %s escaped: %s" % (how, type(error).__name__, error))
        count(counts, outcome)
        os.remove(path)
    assert [net.to_dict() for net in originals] == before, "a loaded model changed"
    return counts


# --- CSV text ------------------------------------------------------------------------------


def reference_number(cell: str) -> "Optional[float]":
    """A CSV number (``[+-]digits[.digits][(e|E)[+-]digits]``, ASCII digits, at least
    one before or after the point), as a finite float; None when it is not one."""
    text = cell
    if text[:1] in ("+", "-"):
        text = text[1:]
    mantissa, exponent = text, ""
    for mark in ("e", "E"):
        if mark in text:
            mantissa, exponent = text.split(mark, 1)
            break
    whole, point, fraction = mantissa.partition(".") if "." in mantissa else (mantissa, "", "")
    digits = "0123456789"
    if not (whole or fraction) or any(c not in digits for c in whole + fraction):
        return None
    if "e" in text or "E" in text:
        if exponent[:1] in ("+", "-"):
            exponent = exponent[1:]
        if not exponent or any(c not in digits for c in exponent):
            return None
    value = float(cell)  # the grammar is a subset of float()'s
    return value if math.isfinite(value) else None


def reference_fields(line: str) -> "Optional[List[str]]":
    """A line's fields: split at commas outside double quotes; a quoted field keeps what is
    inside (``""`` is one ``"``) and may have spaces around it; unquoted fields are stripped.
    None for a quote left open or text after a closing quote."""
    fields = []
    i, n = 0, len(line)
    while True:
        while i < n and line[i] in " \t":
            i += 1
        if i < n and line[i] == '"':
            value = ""
            i += 1
            while True:
                if i >= n:
                    return None
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        value += '"'
                        i += 2
                        continue
                    i += 1
                    break
                value += line[i]
                i += 1
            while i < n and line[i] in " \t":
                i += 1
            if i < n and line[i] != ",":
                return None
        else:
            start = i
            while i < n and line[i] != ",":
                i += 1
            value = line[start:i].strip(" \t")
        fields.append(value)
        if i >= n:
            return fields
        i += 1


def reference_csv(text: str) -> "Optional[Tuple[List[List[float]], List[str]]]":
    """(rows of numbers, column names) as ``read_csv_text(text)`` must return them, or
    None where it must raise DataError: lines end at ``\\n`` (a ``\\r`` before it
    dropped), blank lines are skipped, the first line is the header (after a byte order
    mark), and every other line has one number per column."""
    lines = text.split("\n")
    if lines[0][:1] == "\ufeff":
        lines[0] = lines[0][1:]
    lines = [line[:-1] if line[-1:] == "\r" else line for line in lines]
    lines = [line for line in lines if line.strip(" \t")]
    if len(lines) < 2:
        return None
    names = reference_fields(lines[0])
    if names is None or any(not name for name in names) or len(set(names)) != len(names):
        return None
    rows = []
    for line in lines[1:]:
        fields = reference_fields(line)
        if fields is None or len(fields) != len(names):
            return None
        row = [reference_number(field) for field in fields]
        if None in row:
            return None
        rows.append(row)
    return rows, names


def reference_labels(cells: "List[str]") -> "Optional[List[Any]]":
    """A target column as ``read_csv_text`` returns it: ints when every cell is a whole
    number (sign and digits), floats otherwise; None when a whole cell has more than 18
    digits (readers may then give an int or a float: not a case the fuzz makes)."""
    wholes = []
    for cell in cells:
        digits = cell[1:] if cell[:1] in ("+", "-") else cell
        if not digits or any(c not in "0123456789" for c in digits):
            return [float(cell) for cell in cells]
        if len(digits) > 18:
            return None
        wholes.append(int(cell))
    return wholes


# Cells as CSV files write numbers, and cells that are not numbers (Python's float()
# takes some of them: underscores, other scripts' digits, nan, surrounding spaces).
CSV_NUMBERS = ("0", "1", "-2", "+3", "007", "1.5", "-0.25", ".5", "5.", "1e3", "2E-2",
               "-1.5e+2", "-0", "0.0", "123456789", "1e-400", "3.141592653589793",
               "1.7976931348623157e308", "4.9e-324", "999999999999999999")
CSV_NOT_NUMBERS = ("", "abc", "1_000", "\uff11\uff12", "\u0661\u0662", "nan", "NaN", "inf",
                   "-Infinity", "1e999", "0x10", "1.2.3", "--1", "1e", "e5", ".", "+", "1 2",
                   "NA", "?", "1e5.0", " 1.5 ", "1" * 400, "\u00bd")
CSV_NAMES = ("a", "b", "x1", "sepal length", "height (cm)", "label", "y", 'say "hi"', "c,d",
             " padded ")
CSV_INSERTED = (",", '"', " ", "\t", "\n", "0", "7", ".", "-", "+", "e", "_", "x",
                "\u0661", '""', "\n\n", ",,")


def _csv_field(rng: "Random", cell: str) -> str:
    """A cell as CSV text: quoted when it must be (or by chance), spaces around or not."""
    if any(c in cell for c in ',"') or cell != cell.strip(" \t") or rng.randrange(6) == 0:
        text = '"' + cell.replace('"', '""') + '"'
    else:
        text = cell
    return choice(rng, ("", " ", "\t")) + text + choice(rng, ("", " "))


def random_csv(rng: "Random") -> str:
    """A small CSV table, most of the time valid, then mutated by 0 to 3 edits."""
    n_cols = 1 + rng.randrange(3)
    names = []
    while len(names) < n_cols:
        name = choice(rng, CSV_NAMES)
        if name not in names or rng.randrange(8) == 0:  # sometimes a name twice
            names.append(name)
    rows = [[choice(rng, CSV_NUMBERS) if rng.randrange(12) else choice(rng, CSV_NOT_NUMBERS)
             for _ in range(n_cols)] for _ in range(rng.randrange(4))]
    end = choice(rng, ("\n", "\r\n"))
    lines = [",".join(_csv_field(rng, cell) for cell in row) for row in [names] + rows]
    if rng.randrange(4) == 0:
        lines.insert(rng.randrange(len(lines) + 1), choice(rng, ("", "  ", "\t")))
    text = ("\ufeff" if rng.randrange(8) == 0 else "") + end.join(lines)
    text += end if rng.randrange(3) else ""
    for _ in range(rng.randrange(4)):
        text = _mutate_csv(rng, text)
    # A lone \r: some readers end a line there, some do not; the fuzz leaves it out.
    return text.replace("\r\n", "\n").replace("\r", "").replace("\n", end)


def _mutate_csv(rng: "Random", text: str) -> str:
    if not text:
        return choice(rng, CSV_INSERTED)
    kind = rng.randrange(5)
    at = rng.randrange(len(text) + 1)
    if kind == 0:
        return text[:at] + choice(rng, CSV_INSERTED) + text[at:]
    if kind == 1:
        return text[:at] + text[at + 1 + rng.randrange(3):]
    if kind == 2:
        return text[:at]
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    if kind == 3:
        return "\n".join(lines[:i] + [lines[i]] + lines[i:])
    return "\n".join(lines[:i] + lines[i + 1:])


def check_csv(text: str) -> str:
    """``read_csv_text(text)`` against ``reference_csv``, with and without a target."""
    expected = reference_csv(text)
    try:
        X, y, names = read_csv_text(text)
    except (DataError, ShapeError) as error:
        assert expected is None, "%r raised %r, expected %r" % (text, error, expected)
        return "refused"
    assert expected is not None, "%r gave %r, expected a DataError" % (text, (X, names))
    rows, expected_names = expected
    assert y is None and names == expected_names, "%r gave names %r" % (text, names)
    assert type(X) is Matrix and same_rows(X.tolist(), rows), "%r gave %r, expected %r" % (
        text, X, rows)
    target = expected_names[0]
    labels = reference_labels([_cells(text)[i][0] for i in range(len(rows))])
    if labels is None:
        return "read"
    try:
        X, y, names = read_csv_text(text, target)
    except DataError as error:
        assert len(expected_names) == 1, "%r with target %r raised %r" % (text, target, error)
        return "read"
    assert names == expected_names[1:] and same_rows(X.tolist(), [row[1:] for row in rows]), \
        "%r with target %r gave %r" % (text, target, (X, names))
    assert y == labels and [type(v) for v in y] == [type(v) for v in labels], \
        "%r with target %r gave y %r, expected %r" % (text, target, y, labels)
    return "read with a target"


def _cells(text: str) -> "List[List[str]]":
    """The data rows' cells, as ``reference_csv`` splits them (for a valid text)."""
    lines = text.split("\n")
    if lines[0][:1] == "\ufeff":
        lines[0] = lines[0][1:]
    lines = [line[:-1] if line[-1:] == "\r" else line for line in lines]
    lines = [line for line in lines if line.strip(" \t")]
    return [reference_fields(line) or [] for line in lines[1:]]


def run_csv_fuzz(n_cases: int, seed: int) -> "Dict[str, int]":
    """``n_cases`` random CSV texts, each checked by ``check_csv``."""
    rng = Random(seed)
    counts: "Dict[str, int]" = {}
    for _ in range(n_cases):
        text = random_csv(rng)
        try:
            outcome = check_csv(text)
        except AssertionError:
            raise
        except Exception as error:
            raise AssertionError("%r: %s escaped: %s" % (text, type(error).__name__, error))
        count(counts, outcome)
    return counts

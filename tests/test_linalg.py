"""Tests for tinynet's linear algebra: Vector, Matrix and the kernels beneath them.

Every expected value is computed in this file from plain lists with plain
loops (the ``ref_`` functions), never by asking tinynet, and compared on many
shapes, the degenerate ones included: 1x1, 1xN, Nx1 and long thin ones.

Sums of products are compared with a tolerance scaled by the sum of the
absolute terms: ``math.sumprod`` (CPython 3.12+) and ``sum`` of floats
(compensated since 3.12) round more accurately than a naive loop, so the last
bits may differ.  Elementwise results are compared exactly: one IEEE
operation per entry leaves no room for a difference.
"""

import decimal
import doctest
import fractions
import math
import random
import re
import struct
import sys

import pytest

import tinynet
import tinynet.checks
import tinynet.errors
import tinynet.kernels
import tinynet.matrix
import tinynet.vector
from tinynet import ConfigError, DataError, Matrix, Random, ShapeError, TinynetError, Vector
from tinynet.kernels import KERNELS, MATMUL_ADD, choose_kernel

# --- shapes --------------------------------------------------------------------

_shape_rng = random.Random(20240601)

# (rows, cols) for single-matrix tests.
SHAPES = [(1, 1), (1, 7), (7, 1), (200, 3), (3, 200), (4, 5), (10, 10)] + [
    (_shape_rng.randint(1, 9), _shape_rng.randint(1, 9)) for _ in range(6)
]

# (n, k, p) for the product of an n x k and a k x p matrix.
PRODUCT_SHAPES = [
    (1, 1, 1), (1, 50, 1), (1, 1, 9), (9, 1, 1), (6, 1, 4), (200, 3, 1),
    (3, 200, 2), (1, 7, 5), (5, 7, 1), (2, 3, 4),
] + [(_shape_rng.randint(1, 9), _shape_rng.randint(1, 9), _shape_rng.randint(1, 9))
     for _ in range(8)]

VECTOR_LENGTHS = [1, 2, 3, 10, 11, 50, 300]


def shape_id(shape):
    return "x".join(str(n) for n in shape)


# --- data ----------------------------------------------------------------------

def random_rows(rng, n_rows, n_cols, low=-5.0, high=5.0):
    return [[rng.uniform(low, high) for _ in range(n_cols)] for _ in range(n_rows)]


def random_values(rng, n, low=-5.0, high=5.0):
    return [rng.uniform(low, high) for _ in range(n)]


def nonzero_rows(rng, n_rows, n_cols):
    """Entries of magnitude 0.5 to 5 with random signs: safe divisors."""
    return [[rng.choice((-1.0, 1.0)) * rng.uniform(0.5, 5.0) for _ in range(n_cols)]
            for _ in range(n_rows)]


# --- naive references ----------------------------------------------------------

def ref_dot(a, b):
    assert len(a) == len(b)
    total = 0.0
    for k in range(len(a)):
        total += a[k] * b[k]
    return total


def ref_abs_dot(a, b):
    """Sum of |a[k] * b[k]|: the scale that rounding errors of a dot product follow."""
    total = 0.0
    for k in range(len(a)):
        total += abs(a[k] * b[k])
    return total


def ref_column(rows, j):
    return [rows[i][j] for i in range(len(rows))]


def ref_transpose(rows):
    return [ref_column(rows, j) for j in range(len(rows[0]))]


def ref_matmul(a, b):
    return [[ref_dot(row, ref_column(b, j)) for j in range(len(b[0]))] for row in a]


def ref_abs_matmul(a, b):
    return [[ref_abs_dot(row, ref_column(b, j)) for j in range(len(b[0]))] for row in a]


def ref_sum(values):
    total = 0.0
    for x in values:
        total += x
    return total


def ref_argmax(values):
    best = 0
    for k in range(len(values)):
        if values[k] > values[best]:
            best = k
    return best


def ref_add(a, b):
    return a + b


def ref_sub(a, b):
    return a - b


def ref_mul(a, b):
    return a * b


def ref_div(a, b):
    return a / b


# The operators as written in source, beside their references.
OPERATORS = [
    ("+", lambda x, y: x + y, ref_add, "add"),
    ("-", lambda x, y: x - y, ref_sub, "subtract"),
    ("*", lambda x, y: x * y, ref_mul, "multiply"),
    ("/", lambda x, y: x / y, ref_div, "divide"),
]
OPERATOR_IDS = [symbol for symbol, _, _, _ in OPERATORS]


# --- assertions ----------------------------------------------------------------

TOLERANCE = 1e-12


def assert_close(got, want, scale):
    assert abs(got - want) <= TOLERANCE * scale, (got, want, scale)


def assert_rows_close(got_rows, want_rows, scale_rows):
    assert len(got_rows) == len(want_rows)
    for got, want, scale in zip(got_rows, want_rows, scale_rows):
        assert len(got) == len(want)
        for g, w, s in zip(got, want, scale):
            assert_close(g, w, s)


def assert_all_floats(values):
    for x in values:
        assert type(x) is float, (x, type(x))


def assert_names(message, *pieces):
    """Each piece occurs in the message as a whole token ("3x2" not inside "13x2")."""
    for piece in pieces:
        pattern = "(?<![0-9])" + re.escape(piece) + "(?![0-9])"
        assert re.search(pattern, message), (piece, message)


def matrix_shape_text(shape):
    return "%dx%d" % shape


# === construction ================================================================

def test_matrix_from_lists_tuples_and_generators_holds_floats():
    want = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]]
    sources = [
        [[1, 2, 3], [4, 5, 6.5]],
        ((1, 2, 3), (4, 5, 6.5)),
        [range(1, 4), (4, 5, 6.5)],
        (iter(row) for row in [[1, 2, 3], [4, 5, 6.5]]),
    ]
    for source in sources:
        m = Matrix(source)
        assert m.tolist() == want
        for row in m.tolist():
            assert_all_floats(row)


def test_vector_from_list_tuple_range_and_generator_holds_floats():
    for source in ([1, 2, 3.5], (1, 2, 3.5), (x for x in [1, 2, 3.5])):
        v = Vector(source)
        assert v.tolist() == [1.0, 2.0, 3.5]
        assert_all_floats(v.tolist())
    assert Vector(range(4)).tolist() == [0.0, 1.0, 2.0, 3.0]


def test_matrix_from_matrix_or_vector_rows_copies_them():
    source = Matrix([[1, 2], [3, 4]])
    m = Matrix(source)
    source[0, 0] = 99
    assert m.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert Matrix([Vector([1, 2]), Vector([3, 4])]).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    v = Vector(Vector([5, 6]))
    assert v.tolist() == [5.0, 6.0]


def test_construction_copies_the_caller_lists():
    rows = [[1.0, 2.0], [3.0, 4.0]]
    values = [1.0, 2.0]
    m = Matrix(rows)
    v = Vector(values)
    rows[0][0] = 99.0
    rows.append([5.0, 6.0])
    values[0] = 99.0
    assert m.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert v.tolist() == [1.0, 2.0]


def test_fraction_and_decimal_are_accepted_as_numbers():
    m = Matrix([[fractions.Fraction(1, 4), decimal.Decimal("2.5")], [1, 2.0]])
    assert m.tolist() == [[0.25, 2.5], [1.0, 2.0]]
    assert_all_floats(m.tolist()[0])
    v = Vector([fractions.Fraction(3, 8), decimal.Decimal("-1.25")])
    assert v.tolist() == [0.375, -1.25]
    assert_all_floats(v.tolist())


NON_NUMBERS = [True, False, "1", "a", None, [1], (1, 2), b"1", 1 + 2j, object(), {}]


NON_NUMBER_IDS = [type(x).__name__ + repr(x)[:8] for x in NON_NUMBERS]


@pytest.mark.parametrize("bad", NON_NUMBERS, ids=NON_NUMBER_IDS)
def test_non_number_entries_are_refused_naming_row_and_position(bad):
    with pytest.raises(DataError) as info:
        Matrix([[1, 2, 3], [4, 5, bad]])
    assert_names(str(info.value), "row 1", "position 2")
    with pytest.raises(DataError) as info:
        Vector([1, bad, 3])
    assert_names(str(info.value), "position 1")


def test_nested_junk_is_refused_with_data_error():
    with pytest.raises(DataError):
        Matrix([[[1, 2], [3, 4]]])
    with pytest.raises(DataError):
        Matrix([[1, [2]], [3, 4]])
    with pytest.raises(DataError):
        Vector([[1, 2]])
    with pytest.raises(DataError):
        Vector([Vector([1])])
    with pytest.raises(DataError):
        Matrix([[Matrix([[1]])]])


@pytest.mark.parametrize("bad_row", [1, 2.5, None, True, "ab", b"ab", object()],
                         ids=["int", "float", "None", "bool", "str", "bytes", "object"])
def test_rows_that_are_not_sequences_are_refused_naming_the_row(bad_row):
    with pytest.raises(DataError) as info:
        Matrix([[1, 2], bad_row])
    assert_names(str(info.value), "row 1")


@pytest.mark.parametrize("bad", [None, 5, 2.5, True, "123", b"12", Vector([1, 2])],
                         ids=["None", "int", "float", "bool", "str", "bytes", "Vector"])
def test_whole_argument_that_is_not_a_sequence_is_refused(bad):
    with pytest.raises(DataError):
        Matrix(bad)
    if not isinstance(bad, Vector):
        with pytest.raises(DataError):
            Vector(bad)


@pytest.mark.parametrize("rows, bad_row, bad_len, first_len", [
    ([[1, 2], [3, 4], [5]], 2, 1, 2),
    ([[1], [2, 3]], 1, 2, 1),
    ([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3, 4]], 3, 4, 3),
    ([[1, 2], []], 1, 0, 2),
])
def test_ragged_rows_raise_shape_error_naming_the_row_and_both_lengths(
        rows, bad_row, bad_len, first_len):
    with pytest.raises(ShapeError) as info:
        Matrix(rows)
    message = str(info.value)
    assert "row %d has %d" % (bad_row, bad_len) in message, message
    assert "row 0 has %d" % first_len in message, message


@pytest.mark.parametrize("make", [
    lambda: Matrix([]), lambda: Matrix([[]]), lambda: Matrix([[], []]), lambda: Matrix(()),
    lambda: Matrix(iter([])), lambda: Vector([]), lambda: Vector(()), lambda: Vector(iter([])),
], ids=["[]", "[[]]", "[[],[]]", "()", "iter-matrix", "vector[]", "vector()", "iter-vector"])
def test_empty_matrix_or_vector_is_refused_with_shape_error(make):
    with pytest.raises(ShapeError):
        make()


def test_every_error_is_a_value_error():
    for kind in (ShapeError, DataError, ConfigError):
        assert issubclass(kind, TinynetError)
        assert issubclass(kind, ValueError)


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_zeros_ones_and_full_match_naive_tables(shape):
    n_rows, n_cols = shape
    built = [
        (Matrix.zeros(n_rows, n_cols), 0.0), (Matrix.ones(n_rows, n_cols), 1.0),
        (Matrix.full(n_rows, n_cols, -2.5), -2.5), (Matrix.full(n_rows, n_cols, 3), 3.0),
    ]
    for m, value in built:
        assert m.shape == shape
        assert m.tolist() == [[value] * n_cols for _ in range(n_rows)]
        assert_all_floats(m.tolist()[0])
    m = Matrix.zeros(n_rows, n_cols)
    m[0, 0] = 7.0
    assert m[n_rows - 1, n_cols - 1] == (7.0 if shape == (1, 1) else 0.0)  # rows not shared


@pytest.mark.parametrize("size", [1, 2, 5, 12])
def test_identity_has_ones_on_the_diagonal_only(size):
    want = [[1.0 if i == j else 0.0 for j in range(size)] for i in range(size)]
    assert Matrix.identity(size).tolist() == want


def test_vector_zeros_ones_and_full():
    assert Vector.zeros(3).tolist() == [0.0, 0.0, 0.0]
    assert Vector.ones(1).tolist() == [1.0]
    assert Vector.full(4, 2).tolist() == [2.0] * 4
    assert_all_floats(Vector.full(4, 2).tolist())


BAD_SIZES = [0, -1, 2.5, True, "3", None]
BAD_SIZE_IDS = ["0", "-1", "2.5", "True", "'3'", "None"]


@pytest.mark.parametrize("bad", BAD_SIZES, ids=BAD_SIZE_IDS)
def test_bad_sizes_are_refused_with_shape_error_naming_the_size(bad):
    builders = [
        lambda: Matrix.zeros(bad, 2), lambda: Matrix.zeros(2, bad),
        lambda: Matrix.ones(bad, 3), lambda: Matrix.ones(3, bad),
        lambda: Matrix.full(bad, 2, 1.0), lambda: Matrix.full(2, bad, 1.0),
        lambda: Matrix.identity(bad),
        lambda: Matrix.random_normal(bad, 2), lambda: Matrix.random_normal(2, bad),
        lambda: Matrix.random_uniform(bad, 2), lambda: Matrix.random_uniform(2, bad),
        lambda: Vector.zeros(bad), lambda: Vector.ones(bad), lambda: Vector.full(bad, 1.0),
    ]
    for build in builders:
        with pytest.raises(ShapeError) as info:
            build()
        assert repr(bad) in str(info.value)


@pytest.mark.parametrize("bad", ["a", None, True, [1.0]], ids=["str", "None", "bool", "list"])
def test_full_refuses_a_fill_value_that_is_not_a_number(bad):
    with pytest.raises(DataError):
        Matrix.full(2, 2, bad)
    with pytest.raises(DataError):
        Vector.full(2, bad)


# === random matrices ===============================================================

@pytest.mark.parametrize("build", [Matrix.random_normal, Matrix.random_uniform],
                         ids=["normal", "uniform"])
def test_random_matrices_are_reproducible_from_the_seed_and_differ_across_seeds(build):
    a = build(5, 4, seed=42)
    assert a == build(5, 4, seed=42)
    assert a != build(5, 4, seed=43)
    assert build(5, 4) == build(5, 4, seed=0)  # the default seed is fixed too
    assert len(set(x for row in a.tolist() for x in row)) == 20  # not one repeated value


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_random_matrices_have_the_asked_shape(shape):
    for m in (Matrix.random_normal(*shape, seed=1), Matrix.random_uniform(*shape, seed=1)):
        assert m.shape == shape
        assert len(m.tolist()) == shape[0]
        assert all(len(row) == shape[1] for row in m.tolist())
        assert_all_floats(m.tolist()[0])


def test_random_uniform_stays_in_its_range():
    values = [x for row in Matrix.random_uniform(40, 50, low=-2.0, high=3.0, seed=5).tolist()
              for x in row]
    assert all(-2.0 <= x < 3.0 for x in values)
    assert min(values) < -1.9 and max(values) > 2.9  # and fills it
    assert all(0.0 <= x < 1.0 for row in Matrix.random_uniform(20, 20, seed=6).tolist()
               for x in row)


def test_random_normal_has_the_asked_mean_and_spread():
    values = [x for row in Matrix.random_normal(50, 80, mean=3.0, std=0.5, seed=8).tolist()
              for x in row]
    mean = ref_sum(values) / len(values)
    std = math.sqrt(ref_sum([(x - mean) ** 2 for x in values]) / len(values))
    assert abs(mean - 3.0) < 0.05
    assert abs(std - 0.5) < 0.05


def test_random_matrices_draw_row_by_row_from_tinynet_random():
    rng = Random(7)
    want = [[rng.normal(0.5, 2.0) for _ in range(3)] for _ in range(4)]
    assert Matrix.random_normal(4, 3, mean=0.5, std=2.0, seed=7).tolist() == want
    rng = Random(11)
    want = [[rng.uniform(-1.0, 4.0) for _ in range(5)] for _ in range(2)]
    assert Matrix.random_uniform(2, 5, low=-1.0, high=4.0, seed=11).tolist() == want


def test_random_matrices_continue_a_random_passed_as_seed():
    rng = Random(9)
    first = Matrix.random_uniform(2, 3, seed=rng)
    second = Matrix.random_uniform(2, 3, seed=rng)
    reference = Random(9)
    assert first.tolist() == [[reference.uniform() for _ in range(3)] for _ in range(2)]
    assert second.tolist() == [[reference.uniform() for _ in range(3)] for _ in range(2)]
    assert rng.next_u64() == reference.next_u64()  # the caller's generator moved on

    rng = Random(10)
    first = Matrix.random_normal(3, 3, seed=rng)
    second = Matrix.random_normal(1, 3, seed=rng)
    reference = Random(10)
    assert first.tolist() == [[reference.normal() for _ in range(3)] for _ in range(3)]
    assert second.tolist() == [[reference.normal() for _ in range(3)]]


@pytest.mark.parametrize("seed", [-1, True, 1.5, "1", None],
                         ids=["-1", "True", "1.5", "'1'", "None"])
def test_random_matrices_refuse_a_bad_seed(seed):
    with pytest.raises(ConfigError):
        Matrix.random_normal(2, 2, seed=seed)
    with pytest.raises(ConfigError):
        Matrix.random_uniform(2, 2, seed=seed)


# === reading ===========================================================================

@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_shape_and_len(shape):
    m = Matrix(random_rows(random.Random(1), *shape))
    assert m.shape == shape
    assert len(m) == shape[0]
    v = Vector(random_values(random.Random(2), shape[1]))
    assert v.shape == (shape[1],)
    assert len(v) == shape[1]


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_iterating_a_matrix_yields_its_rows_as_vector_copies(shape):
    rows = random_rows(random.Random(3), *shape)
    m = Matrix(rows)
    seen = list(m)
    assert len(seen) == shape[0]
    for got, want in zip(seen, rows):
        assert isinstance(got, Vector)
        assert got.tolist() == want
    seen[0][0] = 1234.5
    seen[-1] += 1.0
    assert m.tolist() == rows


def test_iterating_a_vector_yields_its_floats():
    values = random_values(random.Random(4), 9)
    assert list(Vector(values)) == values


def test_vector_indexing_with_positive_and_negative_indices():
    values = random_values(random.Random(5), 6)
    v = Vector(values)
    for i in range(-6, 6):
        assert v[i] == values[i]
    with pytest.raises(IndexError):
        v[6]
    with pytest.raises(IndexError):
        v[-7]


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_matrix_entries_and_rows_with_positive_and_negative_indices(shape):
    n_rows, n_cols = shape
    rows = random_rows(random.Random(6), n_rows, n_cols)
    m = Matrix(rows)
    for i in list(range(min(n_rows, 4))) + [-1, -n_rows]:
        row = m[i]
        assert isinstance(row, Vector)
        assert row.tolist() == rows[i]
        for j in list(range(min(n_cols, 4))) + [-1, -n_cols]:
            assert m[i, j] == rows[i][j]
    row = m[0]
    row[0] = 1234.5  # a copy: the Matrix keeps its value
    assert m[0, 0] == rows[0][0]
    with pytest.raises(IndexError):
        m[n_rows]
    with pytest.raises(IndexError):
        m[0, n_cols]
    with pytest.raises(IndexError):
        m[-n_rows - 1, 0]


@pytest.mark.parametrize("key", [
    (slice(None), 0), slice(0, 1), (0, slice(None)), (0, 0, 0), (0,), "0", 1.0, True,
    (True, 0), None,
], ids=["[:,0]", "[0:1]", "[0,:]", "[0,0,0]", "[(0,)]", "['0']", "[1.0]", "[True]",
        "[True,0]", "[None]"])
def test_matrix_refuses_slices_and_keys_that_are_not_int_pairs(key):
    rows = [[1.0, 2.0], [3.0, 4.0]]
    m = Matrix(rows)
    with pytest.raises(TypeError):
        m[key]
    with pytest.raises(TypeError):
        m[key] = [5.0, 6.0]
    assert m.tolist() == rows


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_transpose_matches_the_naive_transpose(shape):
    rows = random_rows(random.Random(7), *shape)
    m = Matrix(rows)
    t = m.T
    assert isinstance(t, Matrix)
    assert t.shape == (shape[1], shape[0])
    assert t.tolist() == ref_transpose(rows)
    assert t.T == m
    t[0, 0] = 1234.5
    assert m[0, 0] == rows[0][0]


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_column_gives_column_j_as_a_vector(shape):
    rows = random_rows(random.Random(8), *shape)
    m = Matrix(rows)
    for j in list(range(shape[1])) + [-1]:
        column = m.column(j)
        assert isinstance(column, Vector)
        assert column.tolist() == ref_column(rows, j)
    with pytest.raises(IndexError):
        m.column(shape[1])


def test_tolist_returns_independent_copies():
    rows = [[1.0, 2.0], [3.0, 4.0]]
    m = Matrix(rows)
    listed = m.tolist()
    assert listed == rows
    listed[0][0] = 99.0
    listed[1] = [0.0, 0.0]
    assert m.tolist() == rows
    v = Vector([1.0, 2.0])
    listed = v.tolist()
    listed[0] = 99.0
    assert v.tolist() == [1.0, 2.0]


def test_copy_is_equal_and_independent():
    m = Matrix([[1, 2], [3, 4]])
    c = m.copy()
    assert isinstance(c, Matrix) and c == m and c is not m
    c[0, 0] = 99
    c[1] = [7, 8]
    assert m.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    v = Vector([1, 2])
    w = v.copy()
    assert isinstance(w, Vector) and w == v
    w[0] = 99
    w += 1
    assert v.tolist() == [1.0, 2.0]


def test_setitem_sets_entries_and_whole_rows_as_floats():
    m = Matrix.zeros(3, 3)
    m[1, 2] = 7
    m[-1, 0] = fractions.Fraction(1, 2)
    m[0] = (1, 2, 3)
    m[-2] = Vector([4, 5, m[1, 2]])
    assert m.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 7.0], [0.5, 0.0, 0.0]]
    for row in m.tolist():
        assert_all_floats(row)
    v = Vector.zeros(3)
    v[0] = 2
    v[-1] = decimal.Decimal("0.25")
    assert v.tolist() == [2.0, 0.0, 0.25]
    assert_all_floats(v.tolist())


def test_setting_a_row_keeps_no_link_to_the_source():
    m = Matrix.zeros(2, 2)
    source = [1.0, 2.0]
    m[0] = source
    source[0] = 99.0
    assert m[0, 0] == 1.0


@pytest.mark.parametrize("bad", ["a", True, None, [1.0], 1 + 1j],
                         ids=["str", "bool", "None", "list", "complex"])
def test_setitem_refuses_bad_entries_and_leaves_the_value(bad):
    m = Matrix([[1, 2], [3, 4]])
    with pytest.raises(DataError):
        m[0, 1] = bad
    assert m.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    v = Vector([1, 2])
    with pytest.raises(DataError):
        v[1] = bad
    assert v.tolist() == [1.0, 2.0]


def test_setitem_refuses_bad_rows_and_leaves_the_row():
    m = Matrix([[1, 2, 3], [4, 5, 6]])
    for bad in ([1, 2], [1, 2, 3, 4], Vector([1.0])):
        with pytest.raises(ShapeError) as info:
            m[1] = bad
        assert_names(str(info.value), "2x3")
    for bad in ([1, "a", 3], [1, None, 3], [True, 1, 2], 5, None, "abc"):
        with pytest.raises(DataError):
            m[1] = bad
    assert m.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    with pytest.raises(IndexError):
        m[2] = [1, 2, 3]
    with pytest.raises(IndexError):
        m[0, 3] = 1.0


# === repr and str ========================================================================

def awkward_value(rng):
    """Values whose repr is easy to get wrong: tiny, huge, negative, inexact."""
    return rng.choice([
        rng.uniform(-1.0, 1.0), rng.uniform(-1e6, 1e6), float(rng.randint(-9, 9)),
        rng.uniform(-1.0, 1.0) * 1e-300, rng.uniform(-1.0, 1.0) * 1e300, 0.1 + 0.2, -0.0,
    ])


@pytest.mark.parametrize("shape", [(1, 1), (1, 10), (10, 1), (10, 10), (3, 4), (2, 7)],
                         ids=shape_id)
def test_repr_of_a_small_matrix_evaluates_back_to_an_equal_matrix(shape):
    rng = random.Random(shape_id(shape))
    m = Matrix([[awkward_value(rng) for _ in range(shape[1])] for _ in range(shape[0])])
    text = repr(m)
    assert text.startswith("Matrix([[")
    again = eval(text, {"Matrix": Matrix, "Vector": Vector})
    assert isinstance(again, Matrix)
    assert again == m


@pytest.mark.parametrize("length", [1, 2, 10])
def test_repr_of_a_small_vector_evaluates_back_to_an_equal_vector(length):
    rng = random.Random(length)
    v = Vector([awkward_value(rng) for _ in range(length)])
    text = repr(v)
    assert text.startswith("Vector([")
    again = eval(text, {"Matrix": Matrix, "Vector": Vector})
    assert isinstance(again, Vector)
    assert again == v


@pytest.mark.parametrize("shape", [(11, 2), (2, 11), (50, 50), (300, 1)], ids=shape_id)
def test_repr_of_a_large_matrix_is_shortened_and_does_not_evaluate(shape):
    rows = random_rows(random.Random(9), *shape)
    text = repr(Matrix(rows))
    assert matrix_shape_text(shape) in text
    assert "..." in text
    assert repr(rows[0][0]) in text and repr(rows[-1][-1]) in text
    assert len(text) < 1000
    with pytest.raises(SyntaxError):
        eval(text, {"Matrix": Matrix, "Vector": Vector})


@pytest.mark.parametrize("length", [11, 500])
def test_repr_of_a_long_vector_is_shortened_and_does_not_evaluate(length):
    values = random_values(random.Random(10), length)
    text = repr(Vector(values))
    assert str(length) in text and "..." in text
    assert repr(values[0]) in text and repr(values[-1]) in text
    assert repr(values[length // 2]) not in text
    with pytest.raises(SyntaxError):
        eval(text, {"Matrix": Matrix, "Vector": Vector})


def grid_lines(text):
    """The lines of a printed Matrix with the outer brackets blanked out."""
    assert text.startswith("[[") and text.endswith("]]")
    lines = text.split("\n")
    assert lines[-1].endswith("]]")
    lines[-1] = lines[-1][:-1]  # the closing bracket of the whole grid
    return [" " + line[1:] if line.startswith("[") else line for line in lines]


def cells_and_ends(line):
    """The cells of one grid line and the column where each one ends."""
    assert line.startswith(" [") and line.endswith("]")
    inner = line[2:-1]
    found = list(re.finditer(r"\S+", inner))
    return [m.group() for m in found], [m.end() for m in found]


def assert_cell_shows(cell, value):
    assert math.isclose(float(cell), value, rel_tol=1e-3, abs_tol=0.0), (cell, value)


def assert_aligned_grid(text, shown_rows):
    """All lines equally long, every column right-aligned, every cell showing its value."""
    lines = grid_lines(text)
    assert len(lines) == len(shown_rows)
    assert len(set(len(line) for line in lines)) == 1, text
    ends = None
    for line, values in zip(lines, shown_rows):
        cells, line_ends = cells_and_ends(line)
        assert len(cells) == len(values), (line, values)
        if ends is None:
            ends = line_ends
        assert line_ends == ends, text
        for cell, value in zip(cells, values):
            if value is None:
                assert cell == "..."
            else:
                assert_cell_shows(cell, value)


@pytest.mark.parametrize("shape", [(1, 1), (1, 10), (10, 1), (10, 10), (3, 4)], ids=shape_id)
def test_str_of_a_matrix_is_an_aligned_grid_of_its_values(shape):
    rng = random.Random(shape_id(shape) + "str")
    rows = [[rng.choice([rng.uniform(-1.0, 1.0), rng.uniform(-1000.0, 1000.0),
                         float(rng.randint(-5, 5)), rng.uniform(-1.0, 1.0) * 1e-6])
             for _ in range(shape[1])] for _ in range(shape[0])]
    text = str(Matrix(rows))
    assert_aligned_grid(text, rows)
    assert "..." not in text


def test_str_shows_whole_numbers_as_floats():
    assert str(Matrix([[1, -2], [30, 4]])) == "[[ 1.0  -2.0]\n [30.0   4.0]]"
    assert str(Vector([1, 2.5])) == "[1.0  2.5]"


@pytest.mark.parametrize("shape", [(20, 30), (11, 2), (2, 11), (200, 3)], ids=shape_id)
def test_str_of_a_large_matrix_is_shortened_with_dots_and_stays_aligned(shape):
    n_rows, n_cols = shape
    rows = random_rows(random.Random(11), n_rows, n_cols, -100.0, 100.0)

    def shorten(items, gap):
        return items if len(items) <= 10 else items[:3] + [gap] + items[-3:]

    shown = shorten([shorten(row, None) for row in rows], None)
    width = len(shorten(list(range(n_cols)), None))
    shown = [[None] * width if row is None else row for row in shown]
    text = str(Matrix(rows))
    assert "..." in text
    assert_aligned_grid(text, shown)


def test_str_of_a_vector_shows_its_values_and_shortens_long_ones():
    values = random_values(random.Random(12), 5)
    text = str(Vector(values))
    cells = text[1:-1].split()
    assert text.startswith("[") and text.endswith("]")
    for cell, value in zip(cells, values):
        assert_cell_shows(cell, value)
    long_values = random_values(random.Random(13), 40)
    cells = str(Vector(long_values))[1:-1].split()
    assert cells[3] == "..." and len(cells) == 7
    for cell, value in zip(cells[:3] + cells[4:], long_values[:3] + long_values[-3:]):
        assert_cell_shows(cell, value)


# === products ============================================================================

@pytest.mark.parametrize("length", VECTOR_LENGTHS)
def test_vector_dot_vector_matches_the_naive_sum(length):
    rng = random.Random(length)
    a, b = random_values(rng, length), random_values(rng, length)
    got = Vector(a) @ Vector(b)
    assert type(got) is float
    assert_close(got, ref_dot(a, b), ref_abs_dot(a, b))


@pytest.mark.parametrize("shape", PRODUCT_SHAPES, ids=shape_id)
def test_matrix_times_matrix_matches_the_naive_product(shape):
    n, k, p = shape
    rng = random.Random(shape_id(shape))
    a, b = random_rows(rng, n, k), random_rows(rng, k, p)
    got = Matrix(a) @ Matrix(b)
    assert isinstance(got, Matrix)
    assert got.shape == (n, p)
    assert_rows_close(got.tolist(), ref_matmul(a, b), ref_abs_matmul(a, b))
    assert_all_floats(got.tolist()[0])


@pytest.mark.parametrize("shape", PRODUCT_SHAPES, ids=shape_id)
def test_matrix_times_vector_treats_the_vector_as_a_column(shape):
    n, k, _ = shape
    rng = random.Random(shape_id(shape) + "Mv")
    a, x = random_rows(rng, n, k), random_values(rng, k)
    got = Matrix(a) @ Vector(x)
    assert isinstance(got, Vector)
    column = [[value] for value in x]
    assert_rows_close([got.tolist()], ref_transpose(ref_matmul(a, column)),
                      ref_transpose(ref_abs_matmul(a, column)))


@pytest.mark.parametrize("shape", PRODUCT_SHAPES, ids=shape_id)
def test_vector_times_matrix_treats_the_vector_as_a_row(shape):
    _, k, p = shape
    rng = random.Random(shape_id(shape) + "vM")
    x, b = random_values(rng, k), random_rows(rng, k, p)
    got = Vector(x) @ Matrix(b)
    assert isinstance(got, Vector)
    assert_rows_close([got.tolist()], ref_matmul([x], b), ref_abs_matmul([x], b))


def test_product_with_the_identity_gives_the_matrix_back():
    rows = random_rows(random.Random(14), 4, 6)
    m = Matrix(rows)
    assert (Matrix.identity(4) @ m).tolist() == rows
    assert (m @ Matrix.identity(6)).tolist() == rows


def test_products_leave_their_operands_unchanged():
    rng = random.Random(15)
    a, b, x = random_rows(rng, 3, 4), random_rows(rng, 4, 2), random_values(rng, 4)
    ma, mb, vx = Matrix(a), Matrix(b), Vector(x)
    ma @ mb, ma @ vx, vx @ mb, vx @ vx
    assert (ma.tolist(), mb.tolist(), vx.tolist()) == (a, b, x)


MISMATCHED = [((3, 2), (3, 4)), ((1, 5), (4, 1)), ((7, 1), (2, 7)), ((2, 3), (2, 3))]


MISMATCHED_IDS = [shape_id(left) + "@" + shape_id(right) for left, right in MISMATCHED]


@pytest.mark.parametrize("left, right", MISMATCHED, ids=MISMATCHED_IDS)
def test_matrix_product_with_mismatched_sizes_names_both_shapes(left, right):
    a, b = Matrix.ones(*left), Matrix.ones(*right)
    with pytest.raises(ShapeError) as info:
        a @ b
    assert_names(str(info.value), matrix_shape_text(left), matrix_shape_text(right))


def test_matrix_vector_products_with_mismatched_sizes_name_both_shapes():
    with pytest.raises(ShapeError) as info:
        Matrix.ones(3, 2) @ Vector.ones(3)
    assert_names(str(info.value), "3x2", "vector of length 3")
    with pytest.raises(ShapeError) as info:
        Vector.ones(2) @ Matrix.ones(3, 4)
    assert_names(str(info.value), "vector of length 2", "3x4")
    with pytest.raises(ShapeError) as info:
        Matrix.ones(1, 5) @ Vector.ones(1)
    assert_names(str(info.value), "1x5", "vector of length 1")
    with pytest.raises(ShapeError) as info:
        Vector.ones(4) @ Matrix.ones(3, 2)
    assert_names(str(info.value), "vector of length 4", "3x2")
    with pytest.raises(ShapeError) as info:
        Matrix.ones(2, 1) @ Vector.ones(6)
    assert_names(str(info.value), "2x1", "vector of length 6")
    with pytest.raises(ShapeError) as info:
        Vector.ones(2) @ Vector.ones(3)
    assert_names(str(info.value), "length 2", "3")


@pytest.mark.parametrize("other", [2, 2.0, "a", [1.0, 2.0], [[1.0], [2.0]], None],
                         ids=["int", "float", "str", "list", "nested-list", "None"])
def test_matrix_product_with_an_unknown_operand_raises_type_error(other):
    m, v = Matrix.ones(2, 2), Vector.ones(2)
    for operand in (m, v):
        with pytest.raises(TypeError):
            operand @ other
        with pytest.raises(TypeError):
            other @ operand


# === elementwise arithmetic =====================================================

def ref_table(rows, op, scalar=None, vector=None, other_rows=None, reflected=False):
    """Apply op entry by entry, the way the maths reads."""
    out = []
    for i in range(len(rows)):
        row = []
        for j in range(len(rows[0])):
            x = rows[i][j]
            if scalar is not None:
                y = scalar
            elif vector is not None:
                y = vector[j]
            else:
                y = other_rows[i][j]
            row.append(op(y, x) if reflected else op(x, y))
        out.append(row)
    return out


@pytest.mark.parametrize("symbol, apply, ref, verb", OPERATORS, ids=OPERATOR_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_matrix_with_a_scalar_on_either_side(shape, symbol, apply, ref, verb):
    rng = random.Random(shape_id(shape) + symbol)
    rows = nonzero_rows(rng, *shape)
    m = Matrix(rows)
    for scalar in (3, -2, 0.5, rng.uniform(-4.0, 4.0)):
        right = apply(m, scalar)
        left = apply(scalar, m)
        assert isinstance(right, Matrix) and isinstance(left, Matrix)
        assert right.tolist() == ref_table(rows, ref, scalar=float(scalar))
        assert left.tolist() == ref_table(rows, ref, scalar=float(scalar), reflected=True)
        assert_all_floats(left.tolist()[0])
    assert m.tolist() == rows


@pytest.mark.parametrize("symbol, apply, ref, verb", OPERATORS, ids=OPERATOR_IDS)
@pytest.mark.parametrize("length", VECTOR_LENGTHS)
def test_vector_with_a_scalar_or_a_vector(length, symbol, apply, ref, verb):
    rng = random.Random(str(length) + symbol)
    a = [rng.choice((-1.0, 1.0)) * rng.uniform(0.5, 5.0) for _ in range(length)]
    b = [rng.choice((-1.0, 1.0)) * rng.uniform(0.5, 5.0) for _ in range(length)]
    va, vb = Vector(a), Vector(b)
    for scalar in (3, 0.25):
        assert apply(va, scalar).tolist() == [ref(x, float(scalar)) for x in a]
        assert apply(scalar, va).tolist() == [ref(float(scalar), x) for x in a]
    got = apply(va, vb)
    assert isinstance(got, Vector)
    assert got.tolist() == [ref(x, y) for x, y in zip(a, b)]
    assert apply(vb, va).tolist() == [ref(y, x) for x, y in zip(a, b)]
    assert (va.tolist(), vb.tolist()) == (a, b)


@pytest.mark.parametrize("symbol, apply, ref, verb", OPERATORS, ids=OPERATOR_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_matrix_with_a_matrix_of_the_same_shape(shape, symbol, apply, ref, verb):
    rng = random.Random(shape_id(shape) + symbol + "MM")
    a, b = nonzero_rows(rng, *shape), nonzero_rows(rng, *shape)
    got = apply(Matrix(a), Matrix(b))
    assert isinstance(got, Matrix)
    assert got.tolist() == ref_table(a, ref, other_rows=b)


@pytest.mark.parametrize("symbol, apply, ref, verb", OPERATORS, ids=OPERATOR_IDS)
@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_vector_is_broadcast_over_the_rows_on_either_side(shape, symbol, apply, ref, verb):
    rng = random.Random(shape_id(shape) + symbol + "Mb")
    rows = nonzero_rows(rng, *shape)
    b = nonzero_rows(rng, 1, shape[1])[0]
    m, vb = Matrix(rows), Vector(b)
    right = apply(m, vb)  # M op b: b[j] meets column j of every row
    left = apply(vb, m)   # b op M: the same, with b on the left of op
    assert isinstance(right, Matrix) and isinstance(left, Matrix)
    assert right.tolist() == ref_table(rows, ref, vector=b)
    assert left.tolist() == ref_table(rows, ref, vector=b, reflected=True)
    assert (m.tolist(), vb.tolist()) == (rows, b)


def test_broadcast_subtraction_and_division_keep_the_operand_order():
    m = Matrix([[1, 2], [4, 8]])
    b = Vector([10, 100])
    assert (m - b).tolist() == [[-9.0, -98.0], [-6.0, -92.0]]
    assert (b - m).tolist() == [[9.0, 98.0], [6.0, 92.0]]
    assert (m / b).tolist() == [[0.1, 0.02], [0.4, 0.08]]
    assert (b / m).tolist() == [[10.0, 50.0], [2.5, 12.5]]
    assert (1 - m).tolist() == [[0.0, -1.0], [-3.0, -7.0]]
    assert (2 / m).tolist() == [[2.0, 1.0], [0.5, 0.25]]


def test_unary_minus_negates_every_entry():
    rows = random_rows(random.Random(16), 3, 4)
    m = Matrix(rows)
    assert (-m).tolist() == [[-x for x in row] for row in rows]
    assert m.tolist() == rows
    values = random_values(random.Random(17), 5)
    assert (-Vector(values)).tolist() == [-x for x in values]


@pytest.mark.parametrize("symbol, apply, ref, verb", OPERATORS, ids=OPERATOR_IDS)
def test_elementwise_shape_mismatches_name_both_shapes(symbol, apply, ref, verb):
    cases = [
        (Matrix.ones(3, 2), Matrix.ones(3, 4), ("3x2", "3x4")),
        (Matrix.ones(2, 3), Matrix.ones(3, 2), ("2x3", "3x2")),
        (Matrix.ones(1, 5), Matrix.ones(5, 1), ("1x5", "5x1")),
        (Matrix.ones(2, 3), Matrix.ones(4, 3), ("2x3", "4x3")),
        (Matrix.ones(4, 3), Matrix.ones(2, 3), ("4x3", "2x3")),
        (Matrix.ones(3, 2), Vector.ones(3), ("3x2", "vector of length 3")),
        (Vector.ones(3), Matrix.ones(3, 2), ("3x2", "vector of length 3")),
        (Matrix.ones(7, 1), Vector.ones(7), ("7x1", "vector of length 7")),
        (Vector.ones(2), Vector.ones(3), ("length 2", "3")),
    ]
    for left, right, names in cases:
        with pytest.raises(ShapeError) as info:
            apply(left, right)
        assert_names(str(info.value), *names)
        assert verb in str(info.value)


UNKNOWN = ["a", [1.0, 2.0], [[1.0, 2.0]], (1.0, 2.0), None, True, {}]
UNKNOWN_IDS = ["str", "list", "nested-list", "tuple", "None", "bool", "dict"]


@pytest.mark.parametrize("symbol, apply, ref, verb", OPERATORS, ids=OPERATOR_IDS)
@pytest.mark.parametrize("other", UNKNOWN, ids=UNKNOWN_IDS)
def test_elementwise_with_an_unknown_operand_raises_type_error(other, symbol, apply, ref, verb):
    for operand in (Matrix([[1.0, 2.0]]), Vector([1.0, 2.0])):
        with pytest.raises(TypeError):
            apply(operand, other)
        with pytest.raises(TypeError):
            apply(other, operand)


class Other:
    """An operand tinynet does not know, which knows how to combine with anything."""

    def __add__(self, other):
        return "Other + " + type(other).__name__

    def __radd__(self, other):
        return type(other).__name__ + " + Other"

    def __rmul__(self, other):
        return type(other).__name__ + " * Other"

    def __rsub__(self, other):
        return type(other).__name__ + " - Other"

    def __rtruediv__(self, other):
        return type(other).__name__ + " / Other"

    def __rmatmul__(self, other):
        return type(other).__name__ + " @ Other"


def test_unknown_operands_get_their_reflected_method_called():
    for operand in (Matrix([[1.0]]), Vector([1.0])):
        name = type(operand).__name__
        assert operand + Other() == name + " + Other"
        assert operand - Other() == name + " - Other"
        assert operand * Other() == name + " * Other"
        assert operand / Other() == name + " / Other"
        assert operand @ Other() == name + " @ Other"
        assert Other() + operand == "Other + " + name
        assert operand.__add__("a") is NotImplemented


def test_division_by_zero_raises_zero_division_error():
    m = Matrix([[1.0, 2.0], [3.0, 0.0]])
    v = Vector([1.0, 0.0])
    for divide in (lambda: m / 0, lambda: m / 0.0, lambda: 1 / m, lambda: v / 0,
                   lambda: 1.0 / v, lambda: m / v, lambda: Matrix.ones(2, 2) / m,
                   lambda: Vector.ones(2) / v, lambda: Vector.ones(2) / m):
        with pytest.raises(ZeroDivisionError):
            divide()
    assert m.tolist() == [[1.0, 2.0], [3.0, 0.0]]


# === in place ==================================================================

def row_ids(m):
    return [id(row) for row in m.rows]


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_in_place_update_keeps_the_matrix_and_its_row_lists(shape):
    rng = random.Random(shape_id(shape) + "inplace")
    w, dw, d2 = random_rows(rng, *shape), random_rows(rng, *shape), random_rows(rng, *shape)
    W, dW, D2 = Matrix(w), Matrix(dw), Matrix(d2)
    original, rows_before = W, row_ids(W)
    learning_rate = 0.1
    W -= learning_rate * dW
    assert W is original and row_ids(W) == rows_before
    want = [[w[i][j] - learning_rate * dw[i][j] for j in range(shape[1])] for i in range(shape[0])]
    assert W.tolist() == want
    W += D2
    assert W is original and row_ids(W) == rows_before
    assert W.tolist() == ref_table(want, ref_add, other_rows=d2)
    assert dW.tolist() == dw


def test_in_place_update_with_a_broadcast_vector_or_a_scalar():
    rows = random_rows(random.Random(18), 4, 3)
    b = random_values(random.Random(19), 3)
    W = Matrix(rows)
    original, rows_before = W, row_ids(W)
    W += Vector(b)
    assert W is original and row_ids(W) == rows_before
    assert W.tolist() == ref_table(rows, ref_add, vector=b)
    W -= 2
    assert W is original and row_ids(W) == rows_before
    assert W.tolist() == ref_table(ref_table(rows, ref_add, vector=b), ref_sub, scalar=2.0)


def test_in_place_update_of_a_vector_keeps_its_list():
    values = random_values(random.Random(20), 5)
    grads = random_values(random.Random(21), 5)
    b = Vector(values)
    original, data = b, b.data
    b -= 0.5 * Vector(grads)
    assert b is original and b.data is data
    assert b.tolist() == [x - 0.5 * g for x, g in zip(values, grads)]
    b += 1
    assert b is original and b.data is data
    assert b.tolist() == [x - 0.5 * g + 1.0 for x, g in zip(values, grads)]


def test_in_place_update_with_a_wrong_shape_raises_and_leaves_the_matrix_unchanged():
    rows = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    W = Matrix(rows)
    rows_before = row_ids(W)
    for bad in (Matrix.ones(3, 2), Matrix.ones(2, 2), Vector.ones(2), Vector.ones(4)):
        with pytest.raises(ShapeError):
            W -= bad
        with pytest.raises(ShapeError):
            W += bad
    for bad in ("a", [1.0, 2.0, 3.0], None):
        with pytest.raises(TypeError):
            W -= bad
    assert isinstance(W, Matrix)
    assert W.tolist() == rows and row_ids(W) == rows_before


def test_in_place_update_of_a_vector_by_a_matrix_is_refused():
    # Python's fallback (b = b + M) would silently turn the bias into a Matrix.
    b = Vector([1.0, 2.0])
    original = b
    with pytest.raises(ShapeError) as info:
        b += Matrix.ones(3, 2)
    assert_names(str(info.value), "vector of length 2", "3x2")
    with pytest.raises(ShapeError):
        b -= Matrix.ones(1, 2)
    with pytest.raises(ShapeError):
        b -= Vector.ones(3)
    with pytest.raises(TypeError):
        b -= "a"
    assert b is original and b.tolist() == [1.0, 2.0]


# === reductions, maps, comparisons ===================================================

@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_sum_and_mean_over_all_columns_and_rows(shape):
    n_rows, n_cols = shape
    rows = random_rows(random.Random(shape_id(shape) + "sum"), n_rows, n_cols)
    m = Matrix(rows)
    all_values = [x for row in rows for x in row]
    scale = ref_sum([abs(x) for x in all_values])
    total = m.sum()
    assert type(total) is float
    assert_close(total, ref_sum(all_values), scale)
    assert_close(m.mean(), ref_sum(all_values) / (n_rows * n_cols), scale / (n_rows * n_cols))
    assert_close(m.sum(axis=None), total, scale)

    column_sums = m.sum(axis=0)
    column_means = m.mean(axis=0)
    assert isinstance(column_sums, Vector) and len(column_sums) == n_cols
    assert isinstance(column_means, Vector) and len(column_means) == n_cols
    for j in range(n_cols):
        column = ref_column(rows, j)
        column_scale = ref_sum([abs(x) for x in column])
        assert_close(column_sums[j], ref_sum(column), column_scale)
        assert_close(column_means[j], ref_sum(column) / n_rows, column_scale / n_rows)

    row_sums = m.sum(axis=1)
    row_means = m.mean(axis=1)
    assert isinstance(row_sums, Vector) and len(row_sums) == n_rows
    assert isinstance(row_means, Vector) and len(row_means) == n_rows
    for i in range(n_rows):
        row_scale = ref_sum([abs(x) for x in rows[i]])
        assert_close(row_sums[i], ref_sum(rows[i]), row_scale)
        assert_close(row_means[i], ref_sum(rows[i]) / n_cols, row_scale / n_cols)


def test_sum_and_mean_of_small_integers_are_exact():
    m = Matrix([[1, 2, 3], [4, 5, 6]])
    assert m.sum() == 21.0 and m.mean() == 3.5
    assert m.sum(axis=0).tolist() == [5.0, 7.0, 9.0]
    assert m.mean(axis=0).tolist() == [2.5, 3.5, 4.5]
    assert m.sum(axis=1).tolist() == [6.0, 15.0]
    assert m.mean(axis=1).tolist() == [2.0, 5.0]


@pytest.mark.parametrize("length", VECTOR_LENGTHS)
def test_vector_sum_and_mean(length):
    values = random_values(random.Random(length), length)
    v = Vector(values)
    scale = ref_sum([abs(x) for x in values])
    assert_close(v.sum(), ref_sum(values), scale)
    assert_close(v.mean(), ref_sum(values) / length, scale / length)


@pytest.mark.parametrize("axis", [2, -1, "0", 1.5, [0]], ids=["2", "-1", "'0'", "1.5", "[0]"])
def test_sum_mean_and_argmax_refuse_a_bad_axis(axis):
    m = Matrix([[1.0, 2.0], [3.0, 4.0]])
    for reduce in (m.sum, m.mean, m.argmax):
        with pytest.raises(ShapeError) as info:
            reduce(axis=axis)
        assert repr(axis) in str(info.value)
    with pytest.raises(ShapeError):
        m.argmax(axis=None)


def test_map_applies_the_function_to_every_entry():
    rows = random_rows(random.Random(22), 5, 3)
    m = Matrix(rows)
    got = m.map(lambda x: x * x + 1.0)
    assert isinstance(got, Matrix) and got is not m
    assert got.tolist() == [[x * x + 1.0 for x in row] for row in rows]
    assert m.tolist() == rows
    assert Matrix([[1.5, -2.5]]).map(math.floor).tolist() == [[1.0, -3.0]]  # ints become floats
    assert_all_floats(Matrix([[1.5, -2.5]]).map(math.floor).tolist()[0])
    values = random_values(random.Random(23), 4)
    assert Vector(values).map(abs).tolist() == [abs(x) for x in values]


@pytest.mark.parametrize("result", ["x", None, True, [1.0]], ids=["str", "None", "bool", "list"])
def test_map_refuses_a_function_that_returns_a_non_number(result):
    with pytest.raises(DataError):
        Matrix([[1.0, 2.0]]).map(lambda x: result)
    with pytest.raises(DataError):
        Vector([1.0, 2.0]).map(lambda x: result)


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_argmax_per_row_and_per_column_picks_the_first_of_ties(shape):
    rng = random.Random(shape_id(shape) + "argmax")
    rows = [[float(rng.randint(0, 3)) for _ in range(shape[1])] for _ in range(shape[0])]
    m = Matrix(rows)
    assert m.argmax() == [ref_argmax(row) for row in rows]
    assert m.argmax(axis=1) == [ref_argmax(row) for row in rows]
    assert m.argmax(axis=0) == [ref_argmax(ref_column(rows, j)) for j in range(shape[1])]
    assert Vector(rows[0]).argmax() == ref_argmax(rows[0])


def test_argmax_ties_choose_the_first_index():
    m = Matrix([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0], [-1.0, -5.0, -1.0]])
    assert m.argmax() == [1, 0, 0]
    assert m.argmax(axis=0) == [1, 0, 0]
    assert Vector([0.0, 7.0, 7.0]).argmax() == 1


def test_equality_is_exact_and_inequality_is_its_opposite():
    rows = random_rows(random.Random(24), 3, 4)
    a, b = Matrix(rows), Matrix(rows)
    assert a == b and not (a != b)
    b[2, 3] = rows[2][3] + 1e-15
    assert a != b and not (a == b)
    assert Matrix([[0.1 + 0.2]]) != Matrix([[0.3]])
    assert Vector([1, 2]) == Vector([1.0, 2.0]) and not (Vector([1, 2]) != Vector([1.0, 2.0]))
    assert Vector([1.0, 2.0]) != Vector([1.0, 2.0 + 1e-15])


def test_equality_needs_the_same_shape_and_type():
    assert Matrix([[1, 2, 3, 4]]) != Matrix([[1, 2], [3, 4]])
    assert Matrix([[1, 2, 3, 4]]) != Matrix([[1], [2], [3], [4]])
    assert Matrix([[1, 2]]) != Vector([1, 2])
    assert Vector([1, 2]) != Matrix([[1, 2]])
    assert not (Matrix([[1, 2]]) == Vector([1, 2]))
    assert Matrix([[1, 2]]) != [[1.0, 2.0]]
    assert Vector([1, 2]) != [1.0, 2.0]
    assert Vector([1, 2]) != Vector([1, 2, 3])
    assert Matrix([[1.0]]) != 1.0


def test_matrix_and_vector_are_not_hashable():
    for value in (Matrix([[1.0]]), Vector([1.0])):
        with pytest.raises(TypeError):
            hash(value)
        with pytest.raises(TypeError):
            {value}


def test_allclose_uses_relative_and_absolute_tolerances():
    rows = random_rows(random.Random(25), 3, 3, 1.0, 5.0)
    a = Matrix(rows)
    nudged = Matrix([[x * (1.0 + 1e-11) for x in row] for row in rows])
    assert a.allclose(nudged)
    assert not a.allclose(nudged, rel_tol=1e-13, abs_tol=0.0)
    far = Matrix([[x * (1.0 + 1e-6) for x in row] for row in rows])
    assert not a.allclose(far)
    assert a.allclose(far, rel_tol=1e-5)
    assert Matrix([[0.0]]).allclose(Matrix([[1e-13]]))
    assert not Matrix([[0.0]]).allclose(Matrix([[1e-13]]), abs_tol=0.0)
    assert Matrix([[0.0]]).allclose(Matrix([[1e-3]]), abs_tol=1e-2)
    v = Vector(rows[0])
    assert v.allclose(Vector([x * (1.0 + 1e-11) for x in rows[0]]))
    assert not v.allclose(Vector([x * (1.0 + 1e-6) for x in rows[0]]))
    assert v.allclose(Vector([x * (1.0 + 1e-6) for x in rows[0]]), rel_tol=1e-5)


def test_allclose_is_false_for_a_shape_mismatch_and_refuses_other_types():
    assert not Matrix.ones(2, 3).allclose(Matrix.ones(3, 2))
    assert not Matrix.ones(1, 4).allclose(Matrix.ones(2, 2))
    assert not Vector.ones(2).allclose(Vector.ones(3))
    with pytest.raises(TypeError):
        Matrix.ones(1, 2).allclose(Vector.ones(2))
    with pytest.raises(TypeError):
        Vector.ones(2).allclose(Matrix.ones(1, 2))
    with pytest.raises(TypeError):
        Matrix.ones(1, 1).allclose([[1.0]])


# === kernels =========================================================================

# math.sumprod exists on CPython 3.12+ only, so its kernel is tested where it
# can run (the CI runs the suite on 3.12 and 3.13 too) rather than skipped.
RUNNABLE_KERNELS = sorted(
    name for name in KERNELS if name != "sumprod" or getattr(math, "sumprod", None) is not None
)


def test_the_three_documented_kernels_exist():
    assert sorted(KERNELS) == ["indexed", "map", "sumprod"]


@pytest.mark.parametrize("name", RUNNABLE_KERNELS)
def test_kernel_dot_matches_the_naive_sum(name):
    dot, _ = KERNELS[name]
    rng = random.Random(name)
    for length in VECTOR_LENGTHS:
        a, b = random_values(rng, length), random_values(rng, length)
        got = dot(a, b)
        assert isinstance(got, float)
        assert_close(got, ref_dot(a, b), ref_abs_dot(a, b))
        assert_close(dot(tuple(a), tuple(b)), ref_dot(a, b), ref_abs_dot(a, b))


@pytest.mark.parametrize("name", RUNNABLE_KERNELS)
def test_kernel_matmul_matches_the_naive_product(name):
    _, matmul = KERNELS[name]
    rng = random.Random(name + "matmul")
    for n, k, p in PRODUCT_SHAPES:
        a, b = random_rows(rng, n, k), random_rows(rng, k, p)
        want, scale = ref_matmul(a, b), ref_abs_matmul(a, b)
        columns = ref_transpose(b)  # kernels take the right operand as its columns
        assert_rows_close(matmul(a, columns), want, scale)
        assert_rows_close(matmul(a, [tuple(col) for col in columns]), want, scale)


@pytest.mark.parametrize("name", RUNNABLE_KERNELS)
def test_kernel_matmul_add_is_the_product_plus_the_bias_exactly(name):
    assert sorted(MATMUL_ADD) == sorted(KERNELS)
    _, matmul = KERNELS[name]
    matmul_add = MATMUL_ADD[name]
    rng = random.Random(name + "matmul_add")
    for n, k, p in PRODUCT_SHAPES:
        a, b, bias = random_rows(rng, n, k), random_rows(rng, k, p), random_values(rng, p)
        columns = ref_transpose(b)
        # The same numbers to the last bit: the bias is added after the dot product.
        want = [[z + c for z, c in zip(row, bias)] for row in matmul(a, columns)]
        assert matmul_add(a, columns, bias) == want
        assert matmul_add(a, zip(*b), bias) == want  # the columns may come as an iterator


def same_bits(x, y):
    return struct.pack("<d", x) == struct.pack("<d", y)


# sum() adds with extra precision on CPython 3.12+ (so does sumprod): the map
# kernel adds term by term only before that.
PLAIN_SUM_KERNELS = ["indexed"] + (["map"] if sys.version_info < (3, 12) else [])


@pytest.mark.parametrize("name", PLAIN_SUM_KERNELS)
def test_small_products_give_the_kernels_numbers_bit_for_bit(name):
    # The loops over B's rows add each entry's terms in a dot product's order,
    # from 0.0 (so a sum of -0.0 terms is 0.0, as the kernels make it).
    _, matmul = KERNELS[name]
    rng = random.Random(name + "small")
    shapes = PRODUCT_SHAPES + [(1, 2, 5), (2, 1, 3), (4, 4, 4)]
    for n, k, p in shapes:
        a, b = random_rows(rng, n, k), random_rows(rng, k, p)
        for got_row, want_row in zip(tinynet.kernels.small_matmul(a, b, p), matmul(a, ref_transpose(b))):
            assert all(same_bits(x, y) for x, y in zip(got_row, want_row))
    zeros = tinynet.kernels.small_matmul([[0.0, -0.0]], [[-1.0, 1.0], [1.0, -1.0]], 2)
    assert all(same_bits(x, 0.0) for x in zeros[0])


def test_matrix_products_take_the_small_path_up_to_its_size_and_agree_across_it():
    rng = random.Random("threshold")
    for n, k, p in [(1, 2, 5), (4, 4, 4), (4, 4, 5), (8, 8, 8)]:
        A, B = Matrix(random_rows(rng, n, k)), Matrix(random_rows(rng, k, p))
        small = n * k * p <= tinynet.kernels.SMALL_PRODUCT
        assert (A @ B).rows == (tinynet.kernels.small_matmul(A.rows, B.rows, p) if small
                                else tinynet.kernels.matmul(A.rows, ref_transpose(B.rows)))
        assert_rows_close((A @ B).rows, ref_matmul(A.rows, B.rows), ref_abs_matmul(A.rows, B.rows))
    assert tinynet.kernels.SMALL_PRODUCT == (0 if tinynet.kernels.KERNEL == "sumprod" else 64)


def test_choose_kernel_names_the_one_for_this_interpreter():
    name = sys.implementation.name
    if name == "micropython":
        expected = "indexed"
    elif name == "pypy":
        expected = "map"
    elif sys.version_info >= (3, 12):
        expected = "sumprod"
    else:
        expected = "map"
    assert choose_kernel() == expected
    assert tinynet.kernels.KERNEL == expected
    assert (tinynet.kernels.dot, tinynet.kernels.matmul) == KERNELS[expected]


@pytest.mark.parametrize("symbol, op", [("add", ref_add), ("sub", ref_sub), ("mul", ref_mul),
                                        ("truediv", ref_div)])
def test_elementwise_kernel_operators_match_plain_arithmetic(symbol, op):
    rng = random.Random(symbol)
    for _ in range(50):
        x, y = rng.uniform(-5.0, 5.0), rng.uniform(0.5, 5.0)
        assert getattr(tinynet.kernels, symbol)(x, y) == op(x, y)
        assert getattr(tinynet.kernels, "_" + symbol)(x, y) == op(x, y)  # the MicroPython ones


# === docstrings ========================================================================

@pytest.mark.parametrize("module", [tinynet, tinynet.vector, tinynet.matrix, tinynet.kernels,
                                    tinynet.checks, tinynet.errors],
                         ids=lambda module: module.__name__)
def test_docstring_examples_run(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if module in (tinynet, tinynet.vector, tinynet.matrix):
        assert result.attempted > 0

#!/usr/bin/env bash
# Run the test suite under PyPy and under each CPython besides the main one (3.11).
#
# Installs what that needs on a fresh Debian machine (pypy3 from apt, MicroPython from
# npm), then for each interpreter: a venv .venv-<name> with pytest (pip picks a release
# that supports that interpreter), and `python -m pytest` with the repository on
# PYTHONPATH, over pyproject.toml's testpaths (tests/ and the package's doctests). Two interpreters run at a time; each one's output goes to its own log,
# printed when all are done. Exits non-zero if any run fails, or (with CI=true) if an
# interpreter is missing.
#
# `bash .ci/interpreters.sh --setup-only` installs pypy3 and MicroPython and stops: the
# main test run needs MicroPython too, so .ci/run must install it before that run.
#
# Some test files are left out of these runs because the main run (CPython 3.11) does
# them once and they do not depend on the interpreter running pytest: the mypy check,
# the MicroPython tests (they drive Node.js), the board tests, the interpreter smoke
# tests, and the sdist check (setuptools 77, which it builds with, needs Python 3.9).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
NAMES=(pypy3 python3.8 python3.9 python3.10 python3.12 python3.13)
PARALLEL=2
script_start=$SECONDS

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! command -v pypy3 >/dev/null; then
    echo "== installing pypy3 (apt-get)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pypy3 >/dev/null
fi
echo "== installing MicroPython (npm ci --prefix tests/micropython)"
npm ci --prefix tests/micropython --no-audit --no-fund --loglevel=error
echo "   setup took $((SECONDS - script_start)) s"
if [ "${1:-}" = --setup-only ]; then
    exit 0
fi

# name=path for each interpreter found (tests/mpy.py checks that each one really runs).
declare -A FOUND=()
while IFS='=' read -r name path; do
    FOUND[$name]=$path
done < <(python3 tests/mpy.py)

LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

# run_one NAME PYTHON: venv, pytest, test run; leaves NAME.log, .status, .seconds, .pytest.
# (set -e does not apply inside `( ... ) || status=$?`, hence the explicit checks.)
run_one() {
    local name=$1 python=$2 venv=$REPO/.venv-$1 start=$SECONDS status=0
    (
        echo "== $name: $python ($("$python" -c 'import sys; print(sys.version.split()[0])'))"
        if ! "$venv/bin/python" -c 'import pytest' 2>/dev/null; then
            rm -rf "$venv" &&
                "$python" -m venv "$venv" &&
                "$venv/bin/python" -m pip install -q -q --disable-pip-version-check pytest ||
                { echo "could not set up $venv"; exit 1; }
        fi
        "$venv/bin/python" -c 'import pytest; print("pytest", pytest.__version__)' |
            tee "$LOGS/$name.pytest"
        echo "   venv ready after $((SECONDS - start)) s"
        PYTHONPATH=$REPO timeout 900 "$venv/bin/python" -m pytest -q -p no:cacheprovider \
            --ignore=tests/test_typing.py --ignore=tests/test_micropython.py \
            --ignore=tests/test_interpreters.py --ignore=tests/test_board.py \
            --ignore=tests/test_board_budgets.py --ignore=tests/test_board_package.py \
            --ignore=tests/test_packaging.py
    ) >"$LOGS/$name.log" 2>&1 || status=$?
    echo "$status" >"$LOGS/$name.status"
    echo "$((SECONDS - start))" >"$LOGS/$name.seconds"
}

missing=()
for name in "${NAMES[@]}"; do
    if [ -z "${FOUND[$name]:-}" ]; then
        missing+=("$name")
        continue
    fi
    while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do
        wait -n || true
    done
    echo "== starting $name at $((SECONDS - script_start)) s"
    run_one "$name" "${FOUND[$name]}" &
done
wait

failed=()
for name in "${NAMES[@]}"; do
    [ -f "$LOGS/$name.status" ] || continue
    echo
    cat "$LOGS/$name.log"
done
echo
echo "== summary (total $((SECONDS - script_start)) s)"
for name in "${NAMES[@]}"; do
    if [ ! -f "$LOGS/$name.status" ]; then
        echo "   $name: not found"
        continue
    fi
    status=$(cat "$LOGS/$name.status")
    result=passed
    if [ "$status" != 0 ]; then
        result="FAILED (exit $status)"
        failed+=("$name")
    fi
    printf '   %-11s %-22s %4s s  %s\n' "$name" "$result" "$(cat "$LOGS/$name.seconds")" \
        "$(tr -d '\n' <"$LOGS/$name.pytest" 2>/dev/null)"
done

if [ "${#missing[@]}" -gt 0 ]; then
    echo "   not found: ${missing[*]} (pyenv install 3.X for CPython, apt-get install pypy3)"
    if [ "${CI:-}" = true ]; then
        failed+=("${missing[@]}")
    fi
fi
if [ "${#failed[@]}" -gt 0 ]; then
    echo "interpreters.sh: failed: ${failed[*]}"
    exit 1
fi
echo "interpreters.sh: all interpreters passed"

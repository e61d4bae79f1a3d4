#!/usr/bin/env bash
# The source distribution: build it as a user would (`python -m build --sdist`, in a
# throwaway virtualenv so the project's own dev tools stay pytest and mypy), check that
# it carries every file git tracks under tinynet/, tests/ and examples/, the README and
# the license, with the SPDX license in its metadata, then collect the whole test suite
# and run the example tests from the unpacked archive, so a user who unpacks it can run
# them. Usage: bash .ci/sdist.sh PYTHON (the interpreter with pytest, e.g. .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 -m venv "$WORK/build-venv"
"$WORK/build-venv/bin/pip" install -q -q --disable-pip-version-check build
"$WORK/build-venv/bin/python" -m build --sdist --outdir "$WORK/dist" . >"$WORK/build.log" 2>&1 ||
    { cat "$WORK/build.log"; exit 1; }
archive=$(ls "$WORK"/dist/tinynet-*.tar.gz)
echo "== sdist: $(basename "$archive")"

tar -tzf "$archive" | sed 's|^[^/]*/||' | sort >"$WORK/packed"
{ git ls-files tinynet tests examples; echo README.md; echo LICENSE; echo pyproject.toml; } |
    sort >"$WORK/wanted"
missing=$(comm -23 "$WORK/wanted" "$WORK/packed")
if [ -n "$missing" ]; then
    echo "sdist.sh: the sdist lacks:"; echo "$missing"; exit 1
fi
stray=$(grep -E '(^|/)(node_modules|__pycache__|\.venv[^/]*)/' "$WORK/packed" || true)
if [ -n "$stray" ]; then
    echo "sdist.sh: the sdist holds files that are no sources:"; echo "$stray" | head; exit 1
fi
tar -xzf "$archive" -C "$WORK"
unpacked=$(ls -d "$WORK"/tinynet-*/)
grep -qx 'License-Expression: MIT' "$unpacked/PKG-INFO" ||
    { echo "sdist.sh: PKG-INFO does not say License-Expression: MIT"; exit 1; }

cd "$unpacked"
PYTHONPATH=. "$PYTHON" -m pytest -q --collect-only -p no:cacheprovider >"$WORK/collect.log" 2>&1 ||
    { tail -20 "$WORK/collect.log"; exit 1; }
echo "== sdist: $(tail -1 "$WORK/collect.log")"
PYTHONPATH=. "$PYTHON" -m pytest -q -p no:cacheprovider tests/test_readme.py tests/test_benchmark.py \
    tests/test_network.py -k "example or readme or quick or smoke"
echo "sdist.sh: the sdist carries its sources and runs its tests"

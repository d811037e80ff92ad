#!/usr/bin/env bash
# Runs every check lede's CI runs: format, lints, all tests (unit, doc, integration with DuckDB
# and pandas), docs. Makes the Python venv the consumer tests need on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests cannot install themselves: said in one line, before anything runs.
need() { command -v "$1" >/dev/null 2>&1 || { echo "scripts/test.sh: $2" >&2; exit 1; }; }
need cargo "no cargo on PATH: install Rust with rustup (https://rustup.rs)"
need cc "no C compiler (cc): zstd-sys builds C code; install Debian's build-essential"
need python3 "no python3: install Debian's python3 and python3-venv"
python3 -c 'import venv, ensurepip' 2>/dev/null \
    || { echo "scripts/test.sh: python3 cannot make venvs: install Debian's python3-venv" >&2; exit 1; }

venv=.venv
if ! "$venv/bin/python" -c 'import duckdb, pandas, polars, pyarrow, pytz, PIL, warcio' 2>/dev/null \
    || ! "$venv/bin/maturin" --version >/dev/null 2>&1; then
    echo "==> making $venv with the test readers (tests/requirements.txt)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/requirements.txt
fi
export LEDE_TEST_PYTHON="$PWD/$venv/bin/python"
# Debian packages the tests need, installed with apt when missing (as root, or through sudo):
# missing PACKAGE WHY — one apt-get update for all of them.
wanted=()
missing() { wanted+=("$1"); echo "==> installing Debian's $1 ($2)"; }
command -v chromium >/dev/null 2>&1 || missing chromium "the HTML report test opens it in a headless browser"
[ -n "$(fc-list :lang=zh 2>/dev/null)" ] || missing fonts-noto-cjk "the HTML report test checks that CJK text renders as glyphs"
command -v jq >/dev/null 2>&1 || missing jq "README's run-report example uses it, and the suite runs it as written"
command -v valgrind >/dev/null 2>&1 || missing valgrind "the scaling test counts instructions with callgrind"
command -v wget >/dev/null 2>&1 || missing wget "the archive tests crawl a local server with wget --warc-file"
if [ ${#wanted[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${wanted[@]}" >/dev/null
fi

echo "==> cargo fmt --check"
cargo fmt --all --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
echo "==> tests"
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --locked --profile ci
else
    cargo test --workspace --locked --lib --bins --tests
fi
cargo test --workspace --locked --doc
echo "==> the README's install command and sample run: cargo install --locked --path . (into"
echo "    target/, a debug build to reuse the tests' one), then lede run --verbose on a copy of data/"
CARGO_TARGET_DIR="$PWD/target" cargo install --locked --quiet --path . --debug --root target/install-check
sample=$(mktemp -d)
cp -r data pipeline.toml "$sample"
(cd "$sample" && "$OLDPWD/target/install-check/bin/lede" run --verbose)
rm -rf "$sample"
echo "==> work grows linearly with each kind of element (instruction counts, valgrind)"
cargo test --release --locked -p lede-clean --lib scaling
echo "==> the Python package: a wheel, installed in a fresh venv, tested with no Rust on PATH;"
echo "    the Ray and Spark recipes against lede run (Spark needs java on PATH)"
rm -rf target/wheels target/wheel-venv
"$venv/bin/maturin" build --locked --quiet --out target/wheels
python3 -m venv target/wheel-venv
target/wheel-venv/bin/pip install --quiet --disable-pip-version-check target/wheels/lede-*.whl -r tests/python/requirements.txt
# Ray reports usage to its makers unless told not to; this machine talks to no one.
env -i PATH="$PWD/target/wheel-venv/bin:/usr/bin:/bin" HOME="$HOME" LANG=C.UTF-8 RAY_USAGE_STATS_ENABLED=0 \
    target/wheel-venv/bin/pytest -q -p no:cacheprovider tests/python
echo "==> docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked --quiet

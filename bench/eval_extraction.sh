#!/usr/bin/env bash
# Builds lede, makes a venv with duckdb and trafilatura (bench/.venv-eval), and prints the
# extraction table of bench/eval_extraction.py: lede against trafilatura on ScrapingHub and WCXB.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=bench/.venv-eval
if ! "$venv/bin/python" -c 'import duckdb, trafilatura' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check duckdb==2.0.0 trafilatura==2.3.1 lxml_html_clean
fi
cargo build --release --locked -q --bin lede
exec "$venv/bin/python" bench/eval_extraction.py "$@"

#!/usr/bin/env bash
# Whole-run benchmark: lede against the read/parse floor and the Python peer, on one tree, in one
# run, on this machine. Prints one table; append it to bench/RESULTS.md with the date.
#
#   bench/run.sh [--files N] [--peer-sample N] [--skip-peer] [--dir DIR]
#
#   --files N        replicate the 80,012-file bulk tree to N files (distinct paths, each copy
#                    edited slightly so duplicates stay realistic); default: the bulk tree as is
#   --peer-sample N  run the Python peer on every k-th file (N files) instead of the whole tree;
#                    its rates are per file, so they compare, but say so when you quote them
#   --skip-peer      leave the peer out
#   --dir DIR        where to unpack (default: a temp dir); kept between runs to save unpacking
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
files=0 peer_sample=0 skip_peer=0 dir=""
while [ $# -gt 0 ]; do
    case "$1" in
        --files) files=$2; shift 2 ;;
        --peer-sample) peer_sample=$2; shift 2 ;;
        --skip-peer) skip_peer=1; shift ;;
        --dir) dir=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
dir=${dir:-$(mktemp -d)}
tree=$dir/tree
results=$dir/results
mkdir -p "$results"
rm -f "$results"/*

if [ ! -d "$tree" ]; then
    echo "==> unpacking ../shared/bench/bulk.tar.zst into $tree"
    mkdir -p "$tree"
    tar --zstd -xf ../shared/bench/bulk.tar.zst -C "$tree"
fi
if [ "$files" -gt 0 ]; then
    echo "==> replicating to $files files"
    python3 bench/replicate.py "$tree" "$files"
fi

echo "==> building (release)"
cargo build --release --locked -q --bin lede -p lede --example parse_floor 2>/dev/null \
    || cargo build --release --locked -q --bin lede && cargo build --release --locked -q -p lede-clean --example parse_floor
lede=$root/target/release/lede
floor=$root/target/release/examples/parse_floor
timed() { # NAME COMMAND… : /usr/bin/time -v into results/NAME.time, stdout into results/NAME.out
    local name=$1; shift
    sync
    /usr/bin/time -v -o "$results/$name.time" "$@" > "$results/$name.out" 2> "$results/$name.err" || {
        echo "$name failed:"; tail -5 "$results/$name.err"; exit 1; }
}

echo "==> floor: read every byte (tar through a pipe)"
# Not `tar -cf /dev/null`: GNU tar sees /dev/null and reads no file contents at all. Reading
# every byte here also puts the tree in the page cache for every step after it, the floor and
# lede alike (the tree is smaller than this machine's memory).
timed read_bytes sh -c 'tar -cf - -C "$1" . | cat > /dev/null' sh "$tree"
echo "==> floor: walk and stat (find)"
timed walk_stat find "$tree" -type f -printf '%s %T@\n'
echo "==> floor: read + HTML parse, 2 threads"
timed parse_floor "$floor" "$tree" 2
echo "==> lede run, cold"
rm -rf "$dir/out"
timed lede_cold "$lede" run -i "$tree" -o "$dir/out" --threads 2 --verbose
cp "$(ls -d "$dir"/out/_runs/*.json | tail -1)" "$results/lede_cold.json"
echo "==> lede run, nothing changed"
timed lede_noop "$lede" run -i "$tree" -o "$dir/out" --threads 2 --verbose
cp "$(ls -d "$dir"/out/_runs/*.json | tail -1)" "$results/lede_noop.json"
du -sb "$dir/out/articles" | cut -f1 > "$results/dataset_bytes"

if [ "$skip_peer" = 0 ]; then
    venv=$root/bench/.venv
    if ! "$venv/bin/python" -c 'import trafilatura, frontmatter, bs4, lxml, pyarrow, markdown, dateutil' 2>/dev/null; then
        echo "==> installing the Python peer's packages into bench/.venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q trafilatura lxml_html_clean python-frontmatter beautifulsoup4 lxml pyarrow markdown python-dateutil
    fi
    peer_tree=$tree
    if [ "$peer_sample" -gt 0 ]; then
        peer_tree=$dir/peer-sample
        rm -rf "$peer_tree"
        python3 bench/sample.py "$tree" "$peer_tree" "$peer_sample"
    fi
    for extractor in trafilatura bs4; do
        echo "==> Python peer ($extractor, 2 processes) on $(find "$peer_tree" -type f | wc -l) files"
        rm -rf "$dir/peer-out-$extractor"
        timed "peer_$extractor" "$venv/bin/python" ../shared/bench/py_peer.py "$peer_tree" "$dir/peer-out-$extractor" \
            --extractor "$extractor" --procs 2
    done
fi

python3 bench/report.py "$results" "$tree"

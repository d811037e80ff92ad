#!/usr/bin/env bash
# The engine paths against the CLI, side by side in one sitting, on one tree: `lede run`, the Ray
# recipe (a local Ray cluster) and the Spark recipe (local[N]), each cold into a fresh output.
# Wall time; CPU seconds of the whole machine during the run (the engines run daemons, JVMs and
# worker processes outside the command's own accounting); peak memory as the largest sum of
# the proportional set sizes of every process of the run's session, sampled every second
# (reading them costs CPU), and the largest single process (a worker, the JVM) seen.
#
#   bench/engines.sh VENV TREE [WORKDIR]
#
#   VENV     a venv with the lede wheel (release build), ray[data] and pyspark installed
#   TREE     the input tree (e.g. ../shared/bench/bulk.tar.zst unpacked)
#   WORKDIR  where the outputs go (default: a temp dir)
set -euo pipefail
venv=$1 tree=$2 work=${3:-$(mktemp -d)}
mkdir -p "$work"
root=$(cd "$(dirname "$0")/.." && pwd)
cores=$(nproc)
export RAY_USAGE_STATS_ENABLED=0

# Runs "$@" in its own session; prints "wall_s cpu_s peak_mb largest_process_mb".
measure() {
    local cpu_before cpu_after peak=0 largest=0 sum one start end pid sid
    cpu_before=$(awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat)
    start=$(date +%s.%N)
    setsid "$@" >"$work/last.log" 2>&1 &
    pid=$!
    sid=$pid
    while kill -0 "$pid" 2>/dev/null; do
        # Proportional set sizes: memory shared between processes (Ray's object store, the
        # workers' libraries) counts once, split among them.
        read -r sum one < <(ps -o pid= -s "$sid" 2>/dev/null | while read -r p; do
            awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null
        done | awk '{s+=$1; if ($1>m) m=$1} END {print s+0, m+0}')
        [ "$sum" -gt "$peak" ] && peak=$sum
        [ "$one" -gt "$largest" ] && largest=$one
        sleep 1
    done
    wait "$pid" || { echo "failed: $*" >&2; tail -20 "$work/last.log" >&2; return 1; }
    end=$(date +%s.%N)
    cpu_after=$(awk '/^cpu /{print $2+$3+$4+$6+$7+$8}' /proc/stat)
    awk -v s="$start" -v e="$end" -v a="$cpu_before" -v b="$cpu_after" -v p="$peak" \
        -v l="$largest" -v hz="$(getconf CLK_TCK)" \
        'BEGIN {printf "%.1f %.1f %.0f %.0f\n", e-s, (b-a)/hz, p/1024, l/1024}'
}

fail() { echo "a run failed; its log: $work/last.log" >&2; exit 1; }

files=$(find "$tree" -type f | wc -l)
# Every run reads the tree from the page cache, the first one too.
find "$tree" -type f -print0 | xargs -0 cat >/dev/null
echo "tree: $tree ($files files), $cores cores"
printf "| run | seconds | × CLI | CPU s | peak MB, all processes | largest process MB |\n|---|---:|---:|---:|---:|---:|\n"
rm -rf "$work/cli" "$work/ray" "$work/spark"
read -r cli_s cli_cpu cli_mb cli_one < <(cd "$work" && measure "$venv/bin/lede" run -i "$tree" -o "$work/cli" -q -c /dev/null) || fail
printf "| lede run (CLI from the wheel) | %s | 1.00 | %s | %s | %s |\n" "$cli_s" "$cli_cpu" "$cli_mb" "$cli_one"
read -r ray_s ray_cpu ray_mb ray_one < <(cd "$work" && measure "$venv/bin/python" "$root/examples/ray_pipeline.py" "$tree" "$work/ray") || fail
printf "| Ray recipe, local cluster | %s | %.2f | %s | %s | %s |\n" "$ray_s" "$(echo "$ray_s / $cli_s" | bc -l)" "$ray_cpu" "$ray_mb" "$ray_one"
read -r spark_s spark_cpu spark_mb spark_one < <(cd "$work" && measure "$venv/bin/python" "$root/examples/spark_pipeline.py" "$tree" "$work/spark" --master "local[$cores]") || fail
printf "| Spark recipe, local[%s] | %s | %.2f | %s | %s | %s |\n" "$cores" "$spark_s" "$(echo "$spark_s / $cli_s" | bc -l)" "$spark_cpu" "$spark_mb" "$spark_one"

# The same rows? Every article column but ingested_at, and the rejects, in DuckDB.
"$venv/bin/python" - "$work" <<'PY'
import sys, duckdb
work = sys.argv[1]
def rows(out):
    return duckdb.sql(f"select * exclude (ingested_at) from read_parquet('{work}/{out}/articles/**/*.parquet', hive_partitioning = true) order by id").fetchall()
def rejects(out):
    return duckdb.sql(f"select source_path, stage, error from read_parquet('{work}/{out}/rejects/*.parquet') order by 1").fetchall()
cli = rows("cli")
for engine in ("ray", "spark"):
    print(f"{engine}: {len(rows(engine))} articles, equal to the CLI's {len(cli)}: {rows(engine) == cli}; rejects equal: {rejects(engine) == rejects('cli')}")
PY

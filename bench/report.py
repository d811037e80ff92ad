"""Prints the benchmark table from bench/run.sh's results directory. Usage: report.py RESULTS TREE"""
import json
import os
import re
import sys

results, tree = sys.argv[1], sys.argv[2]


def time_v(name):
    text = open(os.path.join(results, f"{name}.time")).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = parts[-1] + 60 * parts[-2] + (3600 * parts[-3] if len(parts) > 2 else 0)
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", text).group(1)
    return seconds, rss_kb / 1024, int(cpu)


def out_json(name):
    for line in reversed(open(os.path.join(results, f"{name}.out")).read().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


tree_files = sum(len(fs) for _, _, fs in os.walk(tree))
tree_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tree) for f in fs)
rows = []


def add(label, name, files, nbytes, out_rows="", rejects=""):
    if not os.path.exists(os.path.join(results, f"{name}.time")):
        return None
    seconds, rss, cpu = time_v(name)
    rate = files / seconds
    rows.append((label, files, seconds, rate, nbytes / 1e6 / seconds, rss, cpu, out_rows, rejects))
    return rate


add("read every byte (tar | cat)", "read_bytes", tree_files, tree_bytes)
add("walk + stat (find)", "walk_stat", tree_files, 0)
floor = add("read + HTML parse, 2 threads", "parse_floor", tree_files, tree_bytes)
cold = json.load(open(os.path.join(results, "lede_cold.json")))
lede = add("lede run, cold", "lede_cold", cold["discovered"], cold["bytes_read"], cold["written"], cold["rejected"])
noop = json.load(open(os.path.join(results, "lede_noop.json")))
add("lede run, nothing changed", "lede_noop", noop["discovered"], 0, noop["written"], noop["rejected"])
peers = {}
for extractor in ["trafilatura", "bs4"]:
    name = f"peer_{extractor}"
    if os.path.exists(os.path.join(results, f"{name}.time")):
        j = out_json(name)
        peers[extractor] = add(f"Python peer, {extractor}, 2 procs", name, j.get("files", 0),
                               j.get("mb_per_s", 0) * time_v(name)[0] * 1e6, j.get("rows", ""), j.get("rejects", ""))

print(f"\ntree: {tree_files} files, {tree_bytes / 1e6:.0f} MB")
print("| run | files | seconds | files/s | MB/s | peak RSS MB | CPU % | rows | rejects |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for label, files, seconds, rate, mbs, rss, cpu, out_rows, rejects in rows:
    print(f"| {label} | {files} | {seconds:.2f} | {rate:,.0f} | {mbs:.1f} | {rss:.0f} | {cpu} | {out_rows} | {rejects} |")
dataset = int(open(os.path.join(results, "dataset_bytes")).read())
print(f"\ndataset: {dataset / 1e6:.1f} MB, {dataset / max(cold['written'], 1):.0f} bytes/article, "
      f"input/output {tree_bytes / dataset:.2f}x")
if lede and floor:
    print(f"lede / read+parse floor: {lede / floor:.2f}")
for extractor, rate in peers.items():
    if lede and rate:
        print(f"lede / peer ({extractor}): {lede / rate:.1f}x")
walk = [r for r in rows if r[0].startswith("walk")]
noop_row = [r for r in rows if r[0].endswith("nothing changed")]
if walk and noop_row:
    print(f"no-op rerun / walk+stat: {noop_row[0][2] / walk[0][2]:.1f}x")

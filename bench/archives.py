"""WARC throughput: lede on a WARC built from the bulk tree's HTML pages, against reading the
same WARC with warcio and FastWARC (a plain reader: records out, payloads read, nothing else),
and against lede on the same pages as loose files; and whether the two lede runs give the same
articles. One run of each, in turn, on an idle machine.

usage: bench/archives.py BULK_TREE WORK [--lede target/release/lede]"""
import argparse
import gzip
import io
import json
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote


def build_warc(pages, warc):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(warc, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for page in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            uri = "http://bulk.test/" + quote(str(page.relative_to(pages_root)))
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(page.read_bytes()), http_headers=http))


def read_warcio(warc):
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with open(warc, "rb") as stream:
        for record in ArchiveIterator(stream):
            record.content_stream().read()
            n += 1
    return n


def read_fastwarc(warc):
    from fastwarc.warc import ArchiveIterator

    n = 0
    with open(warc, "rb") as stream:
        for record in ArchiveIterator(stream):
            record.reader.read()
            n += 1
    return n


def timed(what):
    started = time.perf_counter()
    result = what()
    return result, time.perf_counter() - started


def lede_run(lede, work, inputs, out, config):
    subprocess.run([lede, "run", "-c", str(config), "-i", str(inputs), "-o", str(out), "--full", "-q"], cwd=work, check=False)
    reports = sorted((out / "_runs").glob("*.json"))
    return json.loads(reports[-1].read_text())


parser = argparse.ArgumentParser()
parser.add_argument("bulk", type=Path)
parser.add_argument("work", type=Path)
parser.add_argument("--lede", default="target/release/lede")
args = parser.parse_args()
lede = str(Path(args.lede).resolve())
pages_root = args.bulk
pages = sorted(args.bulk.rglob("*.html"))
work = args.work
(work / "crawl").mkdir(parents=True, exist_ok=True)
warc = work / "crawl" / "bulk-html.warc.gz"
if not warc.exists():
    build_warc(pages, warc)
config = work / "html.toml"
config.write_text('[input]\ninclude = ["**/*.html", "**/*.warc"]\n[dedup]\nenabled = false\n')
size = warc.stat().st_size
raw = sum(p.stat().st_size for p in pages)
rows = []
for name, read in [("warcio", read_warcio), ("FastWARC", read_fastwarc)]:
    try:
        n, seconds = timed(lambda: read(warc))
        rows.append((name + " (read only)", n, seconds))
    except ImportError as err:
        print(f"{name}: not installed ({err})", file=sys.stderr)
on_warc = lede_run(lede, work, work / "crawl", work / "out-warc", config)
on_loose = lede_run(lede, work, args.bulk, work / "out-loose", config)
rows.append(("lede run on the WARC", on_warc["written"] + on_warc["rejected"], on_warc["wall_seconds"]))
rows.append(("lede run on the loose pages", on_loose["written"] + on_loose["rejected"], on_loose["wall_seconds"]))
print(f"{len(pages)} pages, {raw / 1e6:.0f} MB; the WARC {size / 1e6:.0f} MB gzipped\n")
print("| reader | records | seconds | records/s | MB/s of the .warc.gz |")
print("|---|---|---|---|---|")
for name, n, seconds in rows:
    print(f"| {name} | {n} | {seconds:.2f} | {n / seconds:.0f} | {size / 1e6 / seconds:.1f} |")
print(f"\nlede on the WARC: cpu {on_warc['cpu_seconds']:.1f} s, peak RSS {on_warc['peak_rss_mb']:.0f} MB; on the loose pages: cpu {on_loose['cpu_seconds']:.1f} s, peak RSS {on_loose['peak_rss_mb']:.0f} MB")
same = subprocess.run([sys.executable, "tests/consumers/same_articles.py", str(work / "out-loose"), str(work / "out-warc"), "content"], capture_output=True, text=True, check=True)
verdict = json.loads(same.stdout)
print(f"same articles: {verdict['left']} loose, {verdict['right']} from the WARC; {len(verdict['only_left'])} differ (where the loose page has no url, the crawler's address gives one, and the url-born columns are not compared)")

#!/usr/bin/env python3
"""Main-content extraction quality of lede against trafilatura, on the two public benchmarks in
../shared/extraction (ScrapingHub, 181 news pages, MIT; WCXB dev, 711 article pages, CC-BY-4.0).

    python bench/eval_extraction.py [--lede target/release/lede] [--extraction ../shared/extraction]

Needs duckdb, and trafilatura for the peer (bench/eval_extraction.sh makes a venv with both).
Metrics, as the benchmarks define them:
- ScrapingHub: token 4-shingles (`\\w+` tokens), per page TP/FP/FN normalised to sum 1,
  precision and recall averaged over pages, F1 of the two means;
- WCXB: word F1 per page (multiset overlap of lower-cased `\\w+` tokens), averaged; for a page
  whose reference text is mostly CJK, character bigrams of its CJK runs instead (`\\w+` would
  make one token of a whole Chinese sentence);
- WCXB metadata: title (equal after folding case and blanks), author (one contains the other),
  publish date (same calendar day; lede's is the local day where the page wrote its zone).
Pages/s: lede's whole run (parse, clean, Parquet) on 2 threads; trafilatura's `extract()` in one
process, per core.
"""
import argparse
import gzip
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb

WORD = re.compile(r"\w+", re.UNICODE)
CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def shingle_tp_fp_fn(true, pred, n=4):
    def shingles(text):
        tokens = WORD.findall(text or "")
        return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])

    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scrapinghub_scores(pairs):
    precisions, recalls = [], []
    for true, pred in pairs:
        tp, fp, fn = shingle_tp_fp_fn(true, pred)
        if tp + fp > 0:
            precisions.append(1.0 if fp == fn == 0 else tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(1.0 if fp == fn == 0 else tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def tokens_for(reference, text):
    if reference and len(CJK.findall(reference)) > 0.3 * len(reference):
        bigrams = []
        for run in re.findall("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+", text or ""):
            bigrams += [run[i : i + 2] for i in range(max(1, len(run) - 1))]
        return Counter(bigrams)
    return Counter(t.lower() for t in WORD.findall(text or ""))


def word_f1(reference, text):
    t, p = tokens_for(reference, reference), tokens_for(reference, text)
    overlap = sum((t & p).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    return 2 * precision * recall / (precision + recall)


def fold(s):
    return " ".join((s or "").lower().split())


def pages_in(pages_dir):
    return sorted(pages_dir.glob("*.html.gz"))


def key_of(name):
    return name.removesuffix(".gz").removesuffix(".html")


def run_lede(lede, pages_dir, out):
    started = time.perf_counter()
    subprocess.run([lede, "run", "-i", str(pages_dir), "-o", str(out), "--full", "-q", "-j", "2"], check=True)
    seconds = time.perf_counter() - started
    rows = duckdb.connect().execute(
        # The local day where the page wrote its zone, else the UTC day.
        "select source_path, text, title, author, (timezone('UTC', published_at) "
        "+ to_minutes(coalesce(published_utc_offset, 0)))::date::varchar "
        f"from read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)"
    ).fetchall()
    return {key_of(r[0]): r[1:] for r in rows}, seconds


def run_trafilatura(pages):
    import trafilatura

    results, started = {}, time.perf_counter()
    for page in pages:
        html = gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace")
        text = trafilatura.extract(html) or ""
        meta = trafilatura.extract_metadata(html)
        results[key_of(page.name)] = (
            text,
            meta.title if meta else None,
            meta.author if meta else None,
            meta.date[:10] if meta and meta.date else None,
        )
    return results, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lede", default="target/release/lede")
    parser.add_argument("--extraction", default="../shared/extraction", type=Path)
    parser.add_argument("--skip-peer", action="store_true")
    parser.add_argument("--per-page", type=Path, help="write each page's score and text here (TSV)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lede-eval-"))
    rows, per_page = [], []
    try:
        # ScrapingHub
        truth = json.loads((args.extraction / "scrapinghub/ground-truth.json").read_text())
        # lede reads the gzipped pages as they are shipped.
        pages = pages_in(args.extraction / "scrapinghub/html")
        systems = {"lede": run_lede(args.lede, args.extraction / "scrapinghub/html", work / "out-scrapinghub")}
        if not args.skip_peer:
            systems["trafilatura"] = run_trafilatura(pages)
        for name, (extracted, seconds) in systems.items():
            pairs = [(truth[k]["articleBody"], (extracted.get(k) or ("",))[0]) for k in truth]
            scores = scrapinghub_scores(pairs)
            if args.per_page:
                per_page.extend(("scrapinghub", name, k, scrapinghub_scores([pair])["f1"]) for k, pair in zip(truth, pairs))
            rows.append(("ScrapingHub", name, scores, None, len(pages) / seconds))
        # WCXB dev
        gt = {p.stem: json.loads(p.read_text())["ground_truth"] for p in (args.extraction / "wcxb-dev/ground-truth").glob("*.json")}
        pages = pages_in(args.extraction / "wcxb-dev/html")
        systems = {"lede": run_lede(args.lede, args.extraction / "wcxb-dev/html", work / "out-wcxb")}
        if not args.skip_peer:
            systems["trafilatura"] = run_trafilatura(pages)
        for name, (extracted, seconds) in systems.items():
            f1s, title, author, date = [], 0, [0, 0], [0, 0]
            for key, truth_page in gt.items():
                text, t, a, d = extracted.get(key) or ("", None, None, None)
                f1s.append(word_f1(truth_page.get("main_content") or "", text))
                if args.per_page:
                    per_page.append(("wcxb", name, key, f1s[-1]))
                title += fold(t) == fold(truth_page.get("title"))
                if truth_page.get("author"):
                    author[1] += 1
                    author[0] += bool(a) and (fold(a) in fold(truth_page["author"]) or fold(truth_page["author"]) in fold(a))
                if truth_page.get("publish_date"):
                    date[1] += 1
                    date[0] += (d or "")[:10] == truth_page["publish_date"][:10]
            metadata = {"title": title / len(gt), "author": author[0] / max(1, author[1]), "date": date[0] / max(1, date[1])}
            rows.append(("WCXB dev", name, {"f1": sum(f1s) / len(f1s)}, metadata, len(pages) / seconds))
    finally:
        shutil.rmtree(work)
    if args.per_page:
        args.per_page.write_text("".join(f"{d}\t{n}\t{k}\t{f:.4f}\n" for d, n, k, f in per_page))
    print("| set | system | F1 | precision | recall | title | author | date | pages/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for dataset, name, s, m, rate in rows:
        cell = lambda v: f"{v:.3f}" if v is not None else "–"
        print(f"| {dataset} | {name} | {cell(s['f1'])} | {cell(s.get('precision'))} | {cell(s.get('recall'))} | "
              f"{cell(m and m['title'])} | {cell(m and m['author'])} | {cell(m and m['date'])} | {rate:.0f} |")


if __name__ == "__main__":
    sys.exit(main())

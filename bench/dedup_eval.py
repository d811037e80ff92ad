#!/usr/bin/env python3
"""Precision and recall of lede's near-duplicate detection.

    python bench/dedup_eval.py [--lede target/release/lede] [--threshold 0.7] INPUT_DIR...

1. Runs lede over the inputs and reads the clean texts back.
2. Makes edited copies of every article with at least 400 characters of text, three per
   article: a changed headline (same text), an added promo line, and a trimmed paragraph (the
   last of three or more, else the last fifth of the text). Each copy is an HTML fragment with
   front matter, published a day after its original, under a directory of its own.
3. Runs lede over the inputs plus the copies and compares its clusters (articles sharing a
   canonical copy) with the truth, pair by pair:
   - truth: the exact Jaccard similarity of the two texts' shingles (3-token runs, a Han/Kana/
     Hangul character a token, a lower-cased run of letters and digits elsewhere, as lede
     shingles them) reaches the threshold;
   - constructed recall: the share of copies clustered with their original, whatever their
     exact similarity.
Prints the table that README quotes.
"""
import argparse
import html
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import duckdb

CJK = re.compile(
    "[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u1100-\u11ff"
    "\u3130-\u318f\uac00-\ud7af\uff66-\uff9d\U00020000-\U0003134f]"
)
PROMOS = [
    "Subscribe to our newsletter to get the latest stories every morning.",
    "（欢迎点击此处订阅我们的简报，我们将在每个工作日发送最新内容至您的邮箱。）",
]


def tokens(text):
    out, word = [], []
    for c in text:
        if CJK.match(c):
            if word:
                out.append("".join(word))
                word = []
            out.append(c)
        elif c.isalnum():
            word.append(c.lower())
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def shingles(text):
    t = tokens(text)
    if 0 < len(t) < 3:
        return {tuple(t)}
    return {tuple(t[i : i + 3]) for i in range(len(t) - 2)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def run_lede(lede, inputs, out, threshold):
    config = Path(out).with_suffix(".toml")
    config.write_text(f"[dedup]\nthreshold = {threshold}\n")
    args = [lede, "run", "-c", str(config), "-o", out, "--full", "-q"]
    for i in inputs:
        args += ["-i", str(i)]
    subprocess.run(args, check=True)
    con = duckdb.connect()
    return con.execute(
        "select id, source_path, text, duplicate_of, published_at "
        f"from read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)"
    ).fetchall()


def edited_copies(rows, copies_dir):
    """Writes the copies; returns {copy source_path: original id}."""
    made = {}
    rng = random.Random(7)
    for id_, path, text, _, published in rows:
        if len(text) < 400:
            continue
        paragraphs = text.split("\n\n")
        trimmed = (
            paragraphs[:-1]
            if len(paragraphs) >= 3
            else ["\n\n".join(paragraphs)[: len(text) * 4 // 5]]
        )
        variants = {
            "headline": paragraphs,
            "promo": paragraphs + [rng.choice(PROMOS)],
            "trimmed": trimmed,
        }
        date = (published.isoformat() if published else "2020-01-01T00:00:00+00:00")
        for kind, paras in variants.items():
            name = f"{kind}/{id_}.html"
            body = "\n".join(
                "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>" for p in paras
            )
            # A day later than the original, so that the original is the canonical copy.
            front = f"---\ntitle: copy ({kind}) of {id_}\ndate: {date}\n---\n"
            target = copies_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(front + body + "\n")
            made[name] = id_
    # Shift every copy's date a day later.
    for name in made:
        p = copies_dir / name
        s = p.read_text()
        m = re.search(r"date: (\d{4}-\d\d-\d\d)", s)
        y, mo, d = map(int, m.group(1).split("-"))
        import datetime

        later = datetime.date(y, mo, d) + datetime.timedelta(days=1)
        p.write_text(s.replace(m.group(0), f"date: {later.isoformat()}", 1))
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--lede", default="target/release/lede")
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lede-dedup-eval-"))
    try:
        originals = run_lede(args.lede, args.inputs, str(work / "originals"), args.threshold)
        copies_dir = work / "copies"
        made = edited_copies(originals, copies_dir)
        rows = run_lede(args.lede, list(args.inputs) + [copies_dir], str(work / "all"), args.threshold)
        by_id = {r[0]: r for r in rows}
        id_of_path = {r[1]: r[0] for r in rows}
        cluster = {r[0]: (r[3] or r[0]) for r in rows}
        # Truth over all pairs of texts that have a word.
        sets = {r[0]: shingles(r[2]) for r in rows}
        ids = [i for i in sets if sets[i]]
        truth, predicted = set(), set()
        for a, b in itertools.combinations(sorted(ids), 2):
            if jaccard(sets[a], sets[b]) >= args.threshold:
                truth.add((a, b))
            if cluster[a] == cluster[b]:
                predicted.add((a, b))
        hits = len(truth & predicted)
        precision = hits / len(predicted) if predicted else 1.0
        recall = hits / len(truth) if truth else 1.0
        per_kind = defaultdict(lambda: [0, 0])
        for name, original in made.items():
            copy_id = id_of_path[name]
            kind = name.split("/")[0]
            per_kind[kind][1] += 1
            if cluster[copy_id] == cluster[original]:
                per_kind[kind][0] += 1
        corpus_clusters = defaultdict(list)
        for r in rows:
            if not r[1].split("/")[0] in ("headline", "promo", "trimmed"):
                corpus_clusters[cluster[r[0]]].append(r[1])
        result = {
            "threshold": args.threshold,
            "articles": len(rows),
            "copies": len(made),
            "pairs_true": len(truth),
            "pairs_predicted": len(predicted),
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "constructed_recall": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_kind.items())},
            "corpus_clusters": [sorted(v) for v in corpus_clusters.values() if len(v) > 1],
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        false_pos = sorted(predicted - truth)[:10]
        false_neg = sorted(truth - predicted)[:10]
        for label, pairs in (("false positives", false_pos), ("false negatives", false_neg)):
            for a, b in pairs:
                print(f"{label}: {by_id[a][1]} ~ {by_id[b][1]}: exact {jaccard(sets[a], sets[b]):.3f}", file=sys.stderr)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()

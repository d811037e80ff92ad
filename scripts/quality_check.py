#!/usr/bin/env python3
"""Residue check over a lede dataset: what an analyst must never find in `text`.

    python scripts/quality_check.py OUT_DIR [--input DIR ...]

Counts articles whose text holds an HTML tag, an undecoded entity, template residue
(Liquid/Hugo/kramdown) or an ad/promo line, and body images whose URL is still wrapped
in a known proxy. A tag is content, not residue, when the source holds it escaped
(`&lt;p&gt;`) or inside a Markdown code block: give the input roots with --input so the
check can look. Exits 1 when anything is found, and lists each hit.
"""
import argparse
import html.entities
import re
import sys
from pathlib import Path

import duckdb

TAG = re.compile(
    r"</?(p|div|span|img|a|br|hr|script|style|iframe|table|tbody|td|tr|th|li|ul|ol|strong|em|b|i|u|"
    r"h[1-6]|figure|figcaption|section|article|font|center|noscript|blockquote|pre|code|sup|sub)"
    r"(\s[^<>]*)?/?>",
    re.I,
)
ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
TEMPLATE = re.compile(r"\{%|%\}|\{\{|\}\}|\{:\s*[.#]")
# A short line that is an ad label or asks the reader to subscribe.
PROMO = re.compile(
    r"^\s*(advertisement|sponsored|广告|廣告|sponsored content)\s*$|"
    r"(subscribe|sign up for|订阅|訂閱|購読|구독|abonnez|abonnieren)",
    re.I,
)
MAX_PROMO_LINE = 120
PROXIES = ("workers.dev/", "images.weserv.nl", "wsrv.nl", "i0.wp.com", "camo.githubusercontent")


def source_of(inputs, relative):
    for root in inputs:
        path = Path(root) / relative
        if path.is_file():
            return path.read_bytes().decode("utf-8", "replace")
    return None


def tag_is_content(tag, source):
    if source is None:
        return False
    name = re.match(r"</?([a-zA-Z0-9]+)", tag).group(1)
    if re.search(r"&lt;/?" + re.escape(name) + r"\b", source, re.I):
        return True
    # Inside a fenced or indented Markdown code block.
    for block in re.findall(r"```.*?```|~~~.*?~~~", source, re.S):
        if tag in block:
            return True
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--input", action="append", default=[])
    args = parser.parse_args()
    con = duckdb.connect()
    rows = con.execute(
        "select source_path, text, [i.url for i in images] from read_parquet(?, hive_partitioning=true)",
        [f"{args.out}/articles/**/*.parquet"],
    ).fetchall()
    hits = {"html_tag": [], "entity": [], "template": [], "promo": [], "proxied_image": []}
    for path, text, image_urls in rows:
        tags = [m.group(0) for m in TAG.finditer(text)]
        if tags:
            source = source_of(args.input, path)
            residue = [t for t in tags if not tag_is_content(t, source)]
            if residue:
                hits["html_tag"].append((path, residue[0]))
        # `&MyType;` in a Rust sample is code: only names HTML defines are entities.
        entities = [
            m.group(0)
            for m in ENTITY.finditer(text)
            if m.group(1).startswith("#") or m.group(1) + ";" in html.entities.html5
        ]
        if entities:
            hits["entity"].append((path, entities[0]))
        if m := TEMPLATE.search(text):
            hits["template"].append((path, text[max(0, m.start() - 20) : m.end() + 20]))
        for line in text.splitlines():
            if len(line) <= MAX_PROMO_LINE and PROMO.search(line):
                hits["promo"].append((path, line))
                break
        for url in image_urls:
            if any(p in url for p in PROXIES):
                hits["proxied_image"].append((path, url))
                break
    print(f"{len(rows)} articles checked")
    for kind, found in hits.items():
        print(f"{kind:14} {len(found)}")
        for path, what in found:
            print(f"    {path}: {what!r}")
    sys.exit(1 if any(hits.values()) else 0)


if __name__ == "__main__":
    main()

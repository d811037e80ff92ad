"""Compares the articles of two lede datasets read from the same pages packed two ways (loose
files, compressed files, a WARC): every column but those that say where and when a row was
read (id, source_path, ingested_at, fetched_at, and duplicate_of, an id: only whether it is
set). KEY says how rows are matched: `name`, by the source path without a `.gz`/`.zst` suffix;
`content`, as a multiset (a WARC's records are named by their record ids) — there the
columns a page's address shapes (url, site, and lead_image, images and links, whose relative
URLs resolve against it) are compared only where the left has a url: a crawler's address fills
in the url a loose page does not give.
IGNORE (optional) is a comma-separated list of further columns left out.
Prints JSON: the row counts, the rows on one side only, and the first differing columns."""
import json
import os
import sys

import duckdb

left, right, key = sys.argv[1], sys.argv[2], sys.argv[3]
ignored = [c for c in (sys.argv[4] if len(sys.argv) > 4 else "").split(",") if c]
con = duckdb.connect()


def rows(out):
    glob = os.path.join(out, "articles", "**", "*.parquet")
    cursor = con.execute(
        "select regexp_replace(source_path, '\\.(gz|zst)$', '') as key, duplicate_of is not null as is_copy, "
        f"* exclude (id, source_path, ingested_at, fetched_at, duplicate_of{''.join(', ' + c for c in ignored)}) "
        f"from read_parquet('{glob}', hive_partitioning = true)"
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


a, b = rows(left), rows(right)
differences, only_left, only_right = [], [], []
if key == "name":
    a, b = {r["key"]: r for r in a}, {r["key"]: r for r in b}
    for k in sorted(a.keys() & b.keys()):
        for column, value in a[k].items():
            if column != "key" and value != b[k][column]:
                differences.append([k, column, str(value)[:200], str(b[k][column])[:200]])
    only_left, only_right = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys()),
else:
    def content(row, url):
        return json.dumps({k: v for k, v in row.items() if k != "key" and (url or k not in URL_BORN)}, default=str, sort_keys=True)

    URL_BORN = ("url", "site", "lead_image", "images", "links")
    right_rows = {}
    for row in b:
        right_rows.setdefault(content(row, False), []).append(row)
    for row in a:
        matches = right_rows.get(content(row, False)) or []
        match = next((m for m in matches if row["url"] is None or all(m[k] == row[k] for k in URL_BORN)), None)
        if match is None:
            only_left.append(row["key"])
        else:
            matches.remove(match)
    only_right = [row["key"] for rows in right_rows.values() for row in rows]
print(json.dumps({
    "left": len(a),
    "right": len(b),
    "only_left": only_left,
    "only_right": only_right,
    "differences": differences[:10],
}, ensure_ascii=False))

"""Compares the articles of two lede datasets read from the same pages packed two ways (loose
files, compressed files, archives): every column but those that name where a row came from
(id, source_path, ingested_at, and duplicate_of, an id: only whether it is set). Rows are
matched by KEY: `name`, the source path without a `.gz`/`.zst` suffix, or `url`.
Prints JSON: the row counts, the keys on one side only, and the first differing columns."""
import json
import os
import sys

import duckdb

left, right, key = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()


def rows(out):
    glob = os.path.join(out, "articles", "**", "*.parquet")
    key_sql = {
        "name": "regexp_replace(source_path, '\\.(gz|zst)$', '')",
        "url": "url",
    }[key]
    cursor = con.execute(
        f"select {key_sql} as key, duplicate_of is not null as is_copy, "
        f"* exclude (id, source_path, ingested_at, duplicate_of) "
        f"from read_parquet('{glob}', hive_partitioning = true)"
    )
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row)) for row in cursor.fetchall()}


a, b = rows(left), rows(right)
differences = []
for k in sorted(a.keys() & b.keys()):
    for column, value in a[k].items():
        if column != "key" and value != b[k][column]:
            differences.append([k, column, str(value)[:200], str(b[k][column])[:200]])
print(json.dumps({
    "left": len(a),
    "right": len(b),
    "only_left": sorted(a.keys() - b.keys()),
    "only_right": sorted(b.keys() - a.keys()),
    "differences": differences[:10],
}, ensure_ascii=False))

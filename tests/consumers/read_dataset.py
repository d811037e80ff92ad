"""Reads a lede dataset the way its users do, with DuckDB and with pandas/pyarrow, and prints
what each reader saw as one JSON object. The Rust integration tests assert on it."""
import glob
import json
import os
import sys

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

out = sys.argv[1]
articles_glob = os.path.join(out, "articles", "**", "*.parquet")
rejects_glob = os.path.join(out, "rejects", "*.parquet")
SEED_COLUMNS = ["source_path", "id", "duplicate_of", "title", "author", "url", "site", "categories", "tags",
                "lead_image", "lang", "date_source", "text", "paragraph_count", "warnings"]


def iso(ts):
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).tz_convert("UTC").isoformat()


con = duckdb.connect()
con.execute(f"create view a as select * from read_parquet('{articles_glob}', hive_partitioning = true)")
duck_types = {name: str(typ) for name, typ in con.execute("select column_name, column_type from (describe a)").fetchall()}
rows = con.execute(
    f"select {', '.join(SEED_COLUMNS)}, published_at, year, month, "
    "[i.url for i in images] as image_urls from a order by source_path"
).fetchall()
names = SEED_COLUMNS + ["published_at", "year", "month", "image_urls"]
duck_rows = []
for row in rows:
    record = dict(zip(names, row))
    record["published_at"] = iso(record["published_at"])
    duck_rows.append(record)
duck = {
    "count": con.execute("select count(*) from a").fetchone()[0],
    "distinct_ids": con.execute("select count(distinct id) from a").fetchone()[0],
    "null_year_rows": con.execute("select count(*) from a where year is null").fetchone()[0],
    "null_published_rows": con.execute("select count(*) from a where published_at is null").fetchone()[0],
    "types": duck_types,
    "rows": duck_rows,
    "rejects": con.execute(f"select source_path, stage, error from read_parquet('{rejects_glob}') order by source_path").fetchall(),
}

# The README's pandas snippet: partition types given, so a dataset whose rows are all undated
# (only NULL partitions) reads too.
partitioning = ds.partitioning(pa.schema([("year", pa.int32()), ("month", pa.int32())]), flavor="hive")
dataset = ds.dataset(os.path.join(out, "articles"), format="parquet", partitioning=partitioning)
frame = dataset.to_table().to_pandas()
first_file = sorted(glob.glob(articles_glob, recursive=True))[0] if duck["count"] else None
metadata = pq.read_metadata(first_file).metadata if first_file else {}
pandas_view = {
    "count": len(frame),
    "dtypes": {c: str(t) for c, t in frame.dtypes.items()},
    "arrow_types": {f.name: str(f.type) for f in dataset.schema},
    "published": {r.source_path: iso(r.published_at) for r in frame.itertuples()},
    "null_year_rows": int(frame["year"].isna().sum()) if "year" in frame else None,
    "file_metadata": {k.decode(): v.decode() for k, v in (metadata or {}).items() if k.startswith(b"lede.")},
}
# The partition columns' types as each reader infers them from the folder names, with no hint
# (for a dataset with a dated article: from NULL partitions alone there is nothing to infer).
inferred = {}
if duck["count"] > duck["null_year_rows"]:
    inferred["duckdb"] = {c: duck_types.get(c) for c in ("year", "month")}
    hive = ds.dataset(os.path.join(out, "articles"), format="parquet", partitioning="hive").schema
    inferred["pyarrow"] = {c: str(hive.field(c).type) for c in ("year", "month")}
    try:
        import polars as pl

        polars_schema = pl.scan_parquet(articles_glob, hive_partitioning=True).collect_schema()
        inferred["polars"] = {c: str(polars_schema[c]) for c in ("year", "month")}
    except ImportError:  # the wheel's venv has no Polars; the suite's has
        pass
print(json.dumps({"duckdb": duck, "pandas": pandas_view, "inferred": inferred}, default=str, ensure_ascii=False))

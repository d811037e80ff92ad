"""Prints every article row of a lede dataset, every column but ingested_at (which is the run's
start), ordered by id, as JSON: what two runs must agree on to be the same dataset."""
import json
import os
import sys

import duckdb

out = sys.argv[1]
con = duckdb.connect()
glob = os.path.join(out, "articles", "**", "*.parquet")
cursor = con.execute(
    f"select * exclude (ingested_at) from read_parquet('{glob}', hive_partitioning = true) order by id"
)
names = [d[0] for d in cursor.description]
rows = [dict(zip(names, row)) for row in cursor.fetchall()]
rejects = con.execute(
    f"select source_path, stage, error from read_parquet('{os.path.join(out, 'rejects', '*.parquet')}') order by source_path"
).fetchall()
print(json.dumps({"rows": rows, "rejects": rejects}, default=str, ensure_ascii=False))

"""lede on Ray Data: the dataset `lede run -i INPUT -o OUTPUT` writes, made by a Ray cluster.

    python examples/ray_pipeline.py INPUT OUTPUT [--config pipeline.toml] [--address auto]

INPUT is a local folder or any URL Ray reads (s3://bucket/archive, gs://…); OUTPUT likewise.
The steps:

1. the files lede run would read (lede.list_inputs, by lede's globs and hidden-name rule), in
   blocks of paths → map_batches(lede.read_files, then lede.clean_batch): a row per input, in
   parallel over the cluster's CPUs;
2. near-duplicates: each article's 16 band keys (lede.band_rows), grouped by shard so that every
   bucket is whole in one group, the verified pairs of each group (lede.duplicate_pairs); then,
   on the driver, the canonical copies of all pairs (lede.canonical_copies) — the same
   `duplicate_of` as lede run;
3. articles (with duplicate_of) → repartition by month → write_parquet partitioned by year and
   month, as lede's year=YYYY/month=M directories; rejects → OUTPUT/rejects.

The result reads like lede run's dataset (DuckDB `read_parquet('OUTPUT/articles/**/*.parquet',
hive_partitioning = true)`); it is a rebuild, not an incremental run (lede run keeps the ledger
that makes nightly runs incremental).
"""

from __future__ import annotations

import argparse
import os

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import ray

import lede

# Each clean_batch call cleans this many files; a block (a task's work) holds BLOCK_FILES paths.
BATCH_FILES = 256
BLOCK_FILES = 2048
# Groups of band rows (a power of two): every bucket is whole in one, and each is one call.
SHARDS = 64
# Groups of months the articles are written in: each month's rows are in one.
MONTH_GROUPS = 64


def partition_columns(articles: pa.Table) -> pa.Table:
    """`year` and `month` of `published_at` in UTC as lede names its partitions (NULL for an
    undated article, which the writer puts under __HIVE_DEFAULT_PARTITION__)."""
    published = articles["published_at"]
    return articles.append_column("year", pc.year(published)).append_column(
        "month", pc.month(published)
    )


def run(input: str, output: str, config=None) -> dict:
    """Cleans INPUT into OUTPUT; returns the counts of articles, rejects and duplicates."""
    threshold = lede.dedup_threshold(config)
    if "://" not in input:
        input = os.path.abspath(input)
    # The files lede run reads, listed by lede's rules (Ray's own listing skips directories
    # starting with `_`, such as Jekyll's `_posts`), in blocks of BLOCK_FILES paths. Each task
    # reads its files with lede.read_files, not read_binary_files: Ray's binary reader spends
    # ~1 ms of CPU per file (planning and reading), more than cleaning it costs.
    paths = [path for path, _ in lede.list_inputs(input, config)]
    blocks = [pa.table({"path": paths[i : i + BLOCK_FILES]}) for i in range(0, len(paths), BLOCK_FILES)]
    files = ray.data.from_arrow(blocks or [pa.table({"path": pa.array([], pa.string())})])

    def clean(batch: pa.Table) -> pa.Table:
        contents = lede.read_files(batch["path"].to_pylist(), input)
        return pa.Table.from_batches([lede.clean_batch(contents, root=input, config=config)])

    rows = files.map_batches(
        clean,
        batch_format="pyarrow",
        batch_size=BATCH_FILES,
    ).materialize()

    copies = pa.table({"id": pa.array([], pa.string()), "duplicate_of": pa.array([], pa.string())})
    if threshold is not None:
        banded = rows.map_batches(
            lambda batch: lede.band_rows(batch, shards=SHARDS), batch_format="pyarrow"
        )
        pairs = banded.groupby("shard").map_groups(
            lambda group: lede.duplicate_pairs(group, threshold), batch_format="pyarrow"
        )
        pair_tables = [t for t in pairs.iter_batches(batch_format="pyarrow", batch_size=None)]
        if pair_tables:
            copies = lede.canonical_copies(pa.concat_tables(pair_tables))
    copies_ref = ray.put(copies)

    def articles(batch: pa.Table) -> pa.Table:
        cleaned = lede.with_duplicate_of(lede.articles_of(batch), ray.get(copies_ref))
        return partition_columns(cleaned)

    # Grouped by month first (Ray's shuffle), so that each month's folder gets a file, not one
    # per block and month (1,166 files for 289 months on the bulk tree; more blocks, more files).
    rows.map_batches(articles, batch_format="pyarrow").repartition(
        MONTH_GROUPS, keys=["year", "month"]
    ).write_parquet(os.path.join(output, "articles"), partition_cols=["year", "month"])
    rejects = rows.map_batches(lede.rejects_of, batch_format="pyarrow").materialize()
    rejects_dir = os.path.join(output, "rejects")
    if rejects.count():
        rejects.write_parquet(rejects_dir)
    else:
        # lede's datasets always have a rejects file, so that reading them never fails.
        os.makedirs(rejects_dir, exist_ok=True)
        pq.write_table(lede.reject_schema().empty_table(), os.path.join(rejects_dir, "empty.parquet"))
    return {
        "articles": rows.count() - rejects.count(),
        "rejects": rejects.count(),
        "duplicates": copies.num_rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--config", help="a pipeline.toml (default: ./pipeline.toml if any)")
    parser.add_argument("--address", help="a running Ray cluster (default: start a local one)")
    args = parser.parse_args()
    ray.init(address=args.address)
    print(run(args.input, args.output, args.config))


if __name__ == "__main__":
    main()

"""lede on Spark: the dataset `lede run -i INPUT -o OUTPUT` writes, made by a Spark cluster.

    spark-submit examples/spark_pipeline.py INPUT OUTPUT [--config pipeline.toml]
    python examples/spark_pipeline.py INPUT OUTPUT --master local[2]

INPUT is a local folder or any URL Spark reads (s3a://bucket/archive, hdfs://…); OUTPUT likewise.
The steps:

1. spark.read.format("binaryFile") of the tree, plus the files lede run reads that binaryFile
   drops (names starting with `_`, empty files: listed on the driver by lede.list_inputs, read
   by the executors) → mapInArrow(lede.clean_batch): a row per input, in
   parallel over the executors;
2. near-duplicates through Spark's shuffle: each article's 16 band keys (lede.band_rows), grouped
   by shard so that every bucket is whole in one group (applyInArrow, one call per group), the
   verified pairs of each group (lede.duplicate_pairs); then on the driver the canonical copies
   of all pairs (lede.canonical_copies), joined back — the same `duplicate_of` as lede run;
3. articles → write.partitionBy("year", "month") as lede's year=YYYY/month=MM directories;
   rejects → OUTPUT/rejects.

The result reads like lede run's dataset; it is a rebuild, not an incremental run.
"""

from __future__ import annotations

import argparse
import os
import sys

import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

import lede

# Groups of band rows (a power of two): every bucket is whole in one, and each is one call.
SHARDS = 64


def pyarrow_url(url: str) -> str:
    """URL for pyarrow's file systems of a URL Spark reads: Hadoop's `s3a://` is `s3://`."""
    return "s3://" + url[len("s3a://") :] if url.startswith("s3a://") else url


def input_files(spark: SparkSession, input: str, config=None):
    """`path` and `content` of every file lede run would read under INPUT.

    Spark's binaryFile source reads the tree in parallel, but its listing drops names starting
    with `_` or `.` (a Jekyll site's `_posts`!) and its file sources drop empty files, which
    lede reads (or rejects, saying why). So the driver also lists the tree as lede does
    (lede.list_inputs, pyarrow's native listing: one call, not a round trip per file), and the
    files binaryFile did not give (an anti-join of relative paths) are read by the executors.
    """
    jvm = spark.sparkContext._jvm
    root = jvm.org.apache.hadoop.fs.Path(input)
    # The root as Spark writes its files' paths (`file:/x/y`, `s3a://bucket/y`), unescaped.
    spark_root = (
        root.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        .makeQualified(root)
        .toString()
        .rstrip("/")
    )
    listing_root = pyarrow_url(input).rstrip("/")
    wanted = spark.createDataFrame(
        [(path[len(listing_root) + 1 :],) for path, _ in lede.list_inputs(listing_root, config)],
        "relative string",
    )
    found = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(input)
        .select("path", "content")
    )
    found_relative = found.select(
        F.expr(f"substring(path, {len(spark_root) + 2})").alias("relative")
    )
    missing = wanted.join(found_relative, "relative", "left_anti")

    def read(batches):
        from pyarrow import fs as pafs

        # Opened by path under the root, not by URL: names need no escaping.
        filesystem, base = (
            pafs.FileSystem.from_uri(listing_root)
            if "://" in listing_root
            else (pafs.LocalFileSystem(), listing_root)
        )
        for batch in batches:
            relatives = batch.column("relative").to_pylist()
            contents = []
            for relative in relatives:
                with filesystem.open_input_stream(f"{base}/{relative}") as stream:
                    contents.append(stream.read())
            yield pa.RecordBatch.from_pydict(
                {"path": [f"{spark_root}/{r}" for r in relatives], "content": contents},
                schema=pa.schema([("path", pa.string()), ("content", pa.binary())]),
            )

    return found.union(missing.mapInArrow(read, "path string, content binary"))


def run(spark: SparkSession, input: str, output: str, config=None) -> dict:
    """Cleans INPUT into OUTPUT; returns the counts of articles, rejects and duplicates."""
    threshold = lede.dedup_threshold(config)
    if "://" not in input:
        input = os.path.abspath(input)
    files = input_files(spark, input, config)

    def clean(batches):
        for batch in batches:
            yield lede.clean_batch(batch, root=input, config=config)

    rows = files.mapInArrow(clean, from_arrow_schema(lede.engine_schema())).cache()

    copies = spark.createDataFrame([], "id string, duplicate_of string")
    duplicates = 0
    if threshold is not None:
        band_schema = from_arrow_schema(
            pa.schema(
                [
                    ("id", pa.string()),
                    ("published_at", pa.timestamp("us", tz="UTC")),
                    ("signature", pa.binary()),
                    ("band_key", pa.int64()),
                    ("shard", pa.int64()),
                ]
            )
        )

        def band(batches):
            for batch in batches:
                yield from lede.band_rows(batch, shards=SHARDS).to_batches()

        def pairs_of(group: pa.Table) -> pa.Table:
            return lede.duplicate_pairs(group, threshold)

        pairs = (
            rows.select("id", "published_at", "signature")
            .mapInArrow(band, band_schema)
            .groupBy("shard")
            .applyInArrow(
                pairs_of,
                "id string, published_at timestamp, other_id string, other_published_at timestamp",
            )
        )
        canonical = lede.canonical_copies(pairs.toArrow())
        duplicates = canonical.num_rows
        if duplicates:
            copies = spark.createDataFrame(canonical.to_pandas())
    articles_columns = lede.schema().names
    articles = (
        rows.where(F.col("reject_stage").isNull())
        .drop("duplicate_of")
        .join(F.broadcast(copies), "id", "left")
        .select(*articles_columns)
        .withColumn("year", F.date_format(F.col("published_at"), "yyyy"))
        .withColumn("month", F.date_format(F.col("published_at"), "MM"))
    )
    articles.write.mode("overwrite").partitionBy("year", "month").parquet(
        os.path.join(output, "articles")
    )
    rejects = rows.where(F.col("reject_stage").isNotNull()).select(
        "source_path",
        F.col("reject_stage").alias("stage"),
        F.col("reject_error").alias("error"),
        "ingested_at",
    )
    # One file even when empty: lede's datasets always have a rejects file.
    rejects.coalesce(1).write.mode("overwrite").parquet(os.path.join(output, "rejects"))
    return {"articles": articles.count(), "rejects": rejects.count(), "duplicates": duplicates}


def session(master=None) -> SparkSession:
    # The executors' Python is this one, which has lede and pyarrow.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("lede")
        # Timestamps as Parquet's microsecond instants (DuckDB, pandas and lede read them so),
        # read and written in UTC whatever the machine's zone.
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.sql.session.timeZone", "UTC")
        # Article files are small: counted at 64 KB each (not the 4 MB Spark assumes), a
        # partition holds a couple of thousand, not 32 — tasks worth their start-up.
        .config("spark.sql.files.openCostInBytes", str(64 * 1024))
    )
    if master:
        builder = builder.master(master)
    return builder.getOrCreate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--config", help="a pipeline.toml (default: ./pipeline.toml if any)")
    parser.add_argument("--master", help="e.g. local[2] (default: spark-submit's)")
    args = parser.parse_args()
    spark = session(args.master)
    print(run(spark, args.input, args.output, args.config))
    spark.stop()


if __name__ == "__main__":
    main()

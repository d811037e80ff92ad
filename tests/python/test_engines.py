"""The Ray Data and Spark recipes (examples/) against `lede run`: on data/ with its
pipeline.toml and on a planted tree (near-duplicates, bad files, names the engines' listings
drop, a WARC and a JSON Lines file), the same articles row for row — every column but ingested_at, partitions included —
and the same rejects, read back by DuckDB. A local Ray cluster (2 CPUs) and local Spark
(local[2]) run the recipes as a user runs them: as scripts."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, lede_run, write_archives


def articles(out: Path) -> list:
    return duckdb.sql(
        f"select * exclude (ingested_at) from read_parquet('{out}/articles/**/*.parquet', hive_partitioning = true) order by id"
    ).fetchall()


def rejects(out: Path) -> list:
    return duckdb.sql(f"select source_path, stage, error from read_parquet('{out}/rejects/*.parquet') order by 1").fetchall()


def spark_partition_types(out: Path) -> str:
    """The types Spark infers for the partition columns of the dataset in OUT."""
    code = (
        "import sys\n"
        "from pyspark.sql import SparkSession\n"
        "spark = SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false').getOrCreate()\n"
        "schema = spark.read.parquet(sys.argv[1]).schema\n"
        "print(schema['year'].dataType.simpleString(), schema['month'].dataType.simpleString())\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(out / "articles")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def recipe(name: str, root: Path, out: Path, config=None, *extra: str) -> None:
    command = [sys.executable, str(REPO / "examples" / name), str(root), str(out), *extra]
    if config is not None:
        command += ["--config", str(config)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=out.parent)
    assert done.returncode == 0, done.stderr[-3000:]


ENGINES = {
    "ray": ("ray_pipeline.py",),
    "spark": ("spark_pipeline.py", "--master", "local[2]"),
}


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_the_recipe_writes_the_dataset_of_lede_run(engine, lede_cli, planted, tmp_path):
    script, *extra = ENGINES[engine]
    write_archives(planted)
    cases = [(REPO / "data", REPO / "pipeline.toml"), (planted, None)]
    for root, config in cases:
        cli, made = tmp_path / f"cli-{root.name}", tmp_path / f"{engine}-{root.name}"
        flags = ["-c", str(config)] if config else []
        lede_run(lede_cli, root, cli, *flags)
        recipe(script, root, made, config, *extra)
        expected = articles(cli)
        assert articles(made) == expected, f"{engine} on {root.name}"
        assert rejects(made) == rejects(cli), f"{engine} on {root.name}"
        if engine == "spark" and config is not None:
            # lede run's partitions read as integers in Spark too.
            assert spark_partition_types(cli) == "int int"
        if root == planted:
            assert sum(row is not None for row in duckdb.sql(
                f"select duplicate_of from read_parquet('{made}/articles/**/*.parquet') where duplicate_of is not null"
            ).fetchall()) >= 20
            paths = {row[1] for row in expected}
            assert {"_posts/2021-05-01-post.md", "feed-0/_draft.md", "a b/sp ace%20#h [1].md", "_posts/_中文 名.md"} <= paths
            # Archives' records are rows in the engines too.
            assert {"crawl/site.warc.gz#urn:planted:0", "crawl/items.jsonl#1"} <= paths
            assert "crawl/items.jsonl#5" in {row[0] for row in rejects(made)}

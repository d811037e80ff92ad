"""The Python API against the CLI: the same rows, ids and duplicate_of; rejects; config
errors; the engine path (clean_batch and the near-duplicate pieces)."""

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

import lede
from conftest import REPO, lede_run


def files_under(root: Path) -> list:
    """The files `lede run -i root` reads (hidden ones skipped, the globs applied)."""
    return [path for path, _ in lede.list_inputs(str(root))]


def dataset_rows(out: Path) -> list:
    """Every article row of a written dataset but ingested_at, ordered by id."""
    return duckdb.sql(
        f"select * exclude (ingested_at, year, month) from read_parquet('{out}/articles/**/*.parquet', hive_partitioning = true) order by id"
    ).fetchall()


def table_rows(table: pa.Table) -> list:
    con = duckdb.connect()
    con.register("t", table)
    return con.execute("select * exclude (ingested_at) from t order by id").fetchall()


def test_the_command_is_the_cli(lede_cli, tmp_path):
    version = subprocess.run([lede_cli, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("lede ")
    help_text = subprocess.run([lede_cli, "run", "--help"], capture_output=True, text=True).stdout
    assert "--prune-deleted" in help_text
    missing = subprocess.run([lede_cli, "run", "-i", str(tmp_path / "none"), "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    usage = subprocess.run([lede_cli, "run", "--no-such-flag"], capture_output=True, text=True)
    assert usage.returncode == 2
    module = subprocess.run([sys.executable, "-m", "lede", "schema", "--json"], capture_output=True, text=True)
    assert module.returncode == 0 and '"articles"' in module.stdout


def test_clean_files_gives_the_rows_of_lede_run(lede_cli, planted, tmp_path):
    out = tmp_path / "out"
    run = lede_run(lede_cli, planted, out)
    assert run.returncode == 3, run.stderr  # 3 bad files of 44: over 5% rejected
    cleaned = lede.clean_files(files_under(planted), root=planted)
    assert cleaned.articles.schema == lede.schema()
    assert cleaned.rejects.schema == lede.reject_schema()
    assert table_rows(cleaned.articles) == dataset_rows(out)
    rejected = duckdb.sql(f"select source_path, stage, error from read_parquet('{out}/rejects/*.parquet') order by 1").fetchall()
    assert sorted(zip(*[cleaned.rejects[c].to_pylist() for c in ("source_path", "stage", "error")])) == rejected
    assert {r[0] for r in rejected} == {"bad/image.md", "bad/empty.md", "bad/fence.md"}
    # The planted copies are found, as the CLI finds them.
    assert sum(v is not None for v in cleaned.articles["duplicate_of"].to_pylist()) >= 20


def test_the_sample_data_cleans_as_lede_run_cleans_it(lede_cli, tmp_path):
    # With the repository's pipeline.toml: its site rules and time zone.
    config = REPO / "pipeline.toml"
    out = tmp_path / "out"
    assert lede_run(lede_cli, REPO / "data", out, "-c", str(config)).returncode == 0
    files = files_under(REPO / "data")
    assert not any(f.endswith(".tsv") for f in files)
    cleaned = lede.clean_files(files, root=REPO / "data", config=config, threads=2)
    assert cleaned.rejects.num_rows == 0
    assert table_rows(cleaned.articles) == dataset_rows(out)


def test_config_from_a_dict_or_a_file_with_the_cli_messages(planted, tmp_path):
    naive = planted / "feed-1" / "001.md"
    utc = lede.clean_files([naive], root=planted).articles["published_at"][0].as_py()
    shanghai = lede.clean_files([naive], root=planted, config={"run": {"timezone": "Asia/Shanghai"}})
    assert (utc - shanghai.articles["published_at"][0].as_py()).total_seconds() == 8 * 3600
    with pytest.raises(lede.ConfigError, match="threds; did you mean threads"):
        lede.clean_files([naive], root=planted, config={"run": {"threds": 2}})
    # None is a key not set, as an absent key in the file.
    assert lede.clean_files([naive], root=planted, config={"run": {"timezone": None}}).articles["published_at"][0].as_py() == utc
    toml = tmp_path / "pipeline.toml"
    toml.write_text('[run]\ntimezone = "Mars/Base"\nmax_reject_ratio = 2.0\n')
    with pytest.raises(lede.ConfigError) as problems:
        lede.clean_files([naive], root=planted, config=toml)
    assert "Mars/Base" in str(problems.value) and "run.max_reject_ratio" in str(problems.value)
    with pytest.raises(TypeError):
        lede.clean_files([naive], root=planted, config=42)


def engine_batch(root: Path, scheme: str = "") -> pa.RecordBatch:
    """A batch as an engine's binary-file reader gives it: every file, hidden ones too."""
    files = sorted(str(p) for p in root.rglob("*") if p.is_file())
    return pa.RecordBatch.from_pydict({
        "path": [scheme + f for f in files],
        "content": [open(f, "rb").read() for f in files],
    }, schema=pa.schema([("path", pa.string()), ("content", pa.binary())]))


def test_clean_batch_gives_the_same_rows_and_the_same_duplicates(planted):
    cleaned = lede.clean_files(files_under(planted), root=planted)
    threshold = lede.dedup_threshold()
    for scheme in ("", "file:"):
        rows = lede.clean_batch(engine_batch(planted, scheme), root=scheme + str(planted))
        assert rows.schema == lede.engine_schema()
        articles, rejects = lede.articles_of(rows), lede.rejects_of(rows)
        assert articles.schema == lede.schema() and rejects.schema == lede.reject_schema()
        assert rejects.num_rows == 3 and articles.num_rows + rejects.num_rows == rows.num_rows
        # Near-duplicates as an engine finds them: band rows, grouped by shard (4 here, so
        # that a shard holds many buckets), pairs per shard, clusters from all the pairs.
        banded = lede.band_rows(rows, shards=4)
        pairs = [
            lede.duplicate_pairs(banded.filter(pa.compute.equal(banded["shard"], shard)), threshold)
            for shard in range(4)
        ]
        copies = lede.canonical_copies(pa.concat_tables(pairs))
        articles = lede.with_duplicate_of(articles, copies)
        assert table_rows(articles) == table_rows(cleaned.articles)


def test_a_batch_path_outside_the_root_is_an_error(planted, tmp_path):
    batch = pa.RecordBatch.from_pydict({"path": ["/elsewhere/a.md"], "content": [b"text"]})
    with pytest.raises(ValueError, match="not under the root"):
        lede.clean_batch(batch, root=str(planted))
    with pytest.raises(ValueError, match="content"):
        lede.clean_batch(pa.RecordBatch.from_pydict({"path": [str(planted / "a.md")]}), root=str(planted))


def test_read_files_reads_what_list_inputs_lists_and_loses_nothing(planted):
    listed = lede.list_inputs(str(planted))
    paths = [path for path, _ in listed]
    assert "_posts/2021-05-01-post.md" in {p[len(str(planted)) + 1 :] for p in paths}
    assert not any("/.git/" in p for p in paths)
    # A file gone between the listing and the read: NULL content, a reject of the read stage.
    gone = planted / "feed-1" / "001.md"
    gone.unlink()
    batch = lede.read_files(paths, str(planted))
    assert batch.column("path").to_pylist() == paths
    sizes = [None if c is None else len(c) for c in batch.column("content").to_pylist()]
    assert sizes == [None if p == str(gone) else size for p, size in listed]
    rows = lede.clean_batch(batch, root=str(planted))
    rejects = lede.rejects_of(rows)
    assert rows.num_rows == len(paths)
    assert ("feed-1/001.md", "read") in zip(rejects["source_path"].to_pylist(), rejects["stage"].to_pylist())
    with pytest.raises(ValueError, match="not under the root"):
        lede.read_files(["/elsewhere/a.md"], str(planted))


def test_the_readmes_python_examples_run_as_written(monkeypatch):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Beyond one machine\n")
    section = text[start : text.index("\n## ", start + 1)]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks
    monkeypatch.chdir(REPO)
    for code in blocks:
        scope = {}
        exec(compile(code, "README.md", "exec"), scope)
        assert scope["articles"].num_rows == 5


def test_the_api_says_what_to_pass():
    assert "path" in lede.clean_batch.__doc__ and "content" in lede.clean_batch.__doc__
    assert "root" in lede.clean_files.__doc__
    stubs = Path(lede.__file__).parent / "_lede.pyi"
    assert stubs.exists() and (Path(lede.__file__).parent / "py.typed").exists()

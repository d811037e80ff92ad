"""lede: archives of scraped articles in, a clean, Hive-partitioned Parquet dataset out.

The package installs the ``lede`` command (the same command line as the Rust binary: every
subcommand, flag and exit code) and this module, the row pipeline as pyarrow objects::

    import lede

    cleaned = lede.clean_files(["archive/feed/post.md"], root="archive")
    cleaned.articles.to_pandas()     # lede's articles schema
    cleaned.rejects.to_pandas()      # what could not be an article, with its stage and error

For a distributed engine (Ray Data, Spark), ``clean_batch`` cleans a batch of ``path`` and
``content`` columns as their binary-file readers produce it, and ``band_rows``,
``duplicate_pairs`` and ``canonical_copies`` give ``duplicate_of`` as ``lede run`` does; see
``examples/`` of the repository.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Iterable, Mapping, NamedTuple, Optional, Union

from . import _lede
from ._lede import ConfigError, __version__, engine_schema, reject_schema, schema

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow is imported by the functions that use it: the `lede` command, which imports this
# package, does not pay for it (~60 MB of memory).

__all__ = [
    "Cleaned",
    "ConfigError",
    "__version__",
    "articles_of",
    "band_keys",
    "band_rows",
    "duplicate_pairs",
    "canonical_copies",
    "clean_batch",
    "clean_files",
    "dedup_threshold",
    "engine_schema",
    "list_inputs",
    "read_files",
    "reject_schema",
    "rejects_of",
    "schema",
    "selects",
    "with_duplicate_of",
]

Config = Union[None, str, "os.PathLike[str]", Mapping[str, Any]]


class Cleaned(NamedTuple):
    """What ``clean_files`` gives: the articles and the rejects, one row per input in all."""

    articles: pa.Table
    """Rows of ``lede.schema()``."""
    rejects: pa.Table
    """Rows of ``lede.reject_schema()``: the input's path, the stage that gave up, why."""


def _config(config: Config) -> dict:
    """The keyword arguments that pass ``config`` to the native module."""
    if config is None:
        return {}
    if isinstance(config, Mapping):
        return {"config_json": json.dumps(config)}
    if isinstance(config, (str, os.PathLike)):
        return {"config_path": os.fspath(config)}
    raise TypeError(
        f"config is a pipeline.toml path or a dict of its keys, not {type(config).__name__}"
    )


def clean_files(
    paths: Iterable[Union[str, "os.PathLike[str]"]],
    root: Union[str, "os.PathLike[str]"],
    config: Config = None,
    threads: Optional[int] = None,
) -> Cleaned:
    """Clean files, as ``lede run`` does: the same rows, the same ids.

    Args:
        paths: files under ``root`` (absolute, or relative to the working directory), each
            cleaned whatever its name (the include globs choose what ``lede run`` reads).
        root: the input root: each article's ``source_path`` is its path relative to it, and
            its ``id`` a hash of that.
        config: a ``pipeline.toml`` path, a dict of its keys (``{"run": {"timezone":
            "Asia/Shanghai"}}``), or None for ``./pipeline.toml`` if there is one, else the
            defaults. Checked as ``lede run`` checks it: a problem raises ``ConfigError``.
        threads: worker threads (default: ``run.threads``, one per core).

    Returns:
        ``Cleaned(articles, rejects)``: every input is one row of one of them.
        ``duplicate_of`` is set among these files.
    """
    import pyarrow as pa

    # Both absolute, so that each file's path relative to the root is a prefix cut.
    root = os.path.abspath(root)
    files = [os.path.abspath(p) for p in paths]
    articles, rejects = _lede.clean_files(files, root, threads=threads, **_config(config))
    return Cleaned(pa.Table.from_batches([articles]), pa.Table.from_batches([rejects]))


def clean_batch(
    batch: Union[pa.RecordBatch, pa.Table],
    root: str,
    config: Config = None,
    threads: int = 1,
) -> pa.RecordBatch:
    """Clean a batch of files an engine read, a row per input.

    Args:
        batch: a ``path`` column (utf8) and a ``content`` (or Ray's ``bytes``) column (binary):
            what ``lede.read_files``, Ray's ``read_binary_files(..., include_paths=True)`` and
            Spark's ``binaryFile`` source produce. Paths may carry a scheme (``file:``,
            ``s3://``). A NULL ``content`` is a reject of the read stage.
        root: the input root the paths are under (with or without the scheme): ``source_path``
            and ``id`` are relative to it, as with ``lede run -i ROOT``.
        config: as for ``clean_files``; the inputs it names are not read. Its
            ``input.include``/``exclude`` globs and ``input.hidden`` apply: a file ``lede run
            -i ROOT`` would not read is left out, as if the engine had not listed it.
        threads: threads for this batch (an engine usually runs a task per core: keep 1).

    Returns:
        A record batch of ``lede.engine_schema()``: the articles' columns with their
        ``signature`` (for near-duplicates), and for a reject ``reject_stage`` and
        ``reject_error``. ``articles_of`` and ``rejects_of`` split it into lede's two tables;
        ``duplicate_of`` is NULL until ``canonical_copies`` gives it.
    """
    import pyarrow as pa

    if isinstance(batch, pa.Table):
        batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else pa.RecordBatch.from_pylist([], schema=batch.schema)
    return _lede.clean_batch(batch, root, threads=threads, **_config(config))


def selects(relative_paths: Iterable[str], root: str, config: Config = None) -> list:
    """For each path relative to ``root``, whether ``lede run -i ROOT`` reads the file there:
    no name on its way starts with ``.`` (unless ``input.hidden``), and ``input.include`` /
    ``input.exclude`` choose it."""
    return _lede.selects(list(relative_paths), root, **_config(config))


def _filesystem(root: str):
    """pyarrow's file system of ``root`` and the root's path in it. Hadoop's ``s3a://`` (what
    Spark users write) is pyarrow's ``s3://``."""
    from pyarrow import fs as pafs

    if "://" not in root:
        return pafs.LocalFileSystem(), os.path.abspath(root)
    if root.startswith("s3a://"):
        root = "s3://" + root[len("s3a://") :]
    return pafs.FileSystem.from_uri(root)


def _root_of(root: str) -> str:
    return root.rstrip("/") if "://" in root else os.path.abspath(root)


def list_inputs(root: str, config: Config = None) -> list:
    """The files ``lede run -i ROOT`` reads under ``root``, as (path, size) pairs, in path order.

    ``root`` is a folder or any URL pyarrow reaches (``s3://bucket/archive``, ``gs://…``,
    ``hdfs://…``; ``s3a://`` is read as ``s3://``); each path is the root as given (a folder made
    absolute), ``/``, and the path under it. Engines list files by their own rules — Spark
    skips names starting with ``_`` (Jekyll's ``_posts``!) and empty files, Ray skips
    directories starting with ``_`` — so the recipes list with this: every input ``lede run``
    would meet is then one row.
    """
    from pyarrow import fs as pafs

    filesystem, base = _filesystem(root)
    infos = [
        info
        for info in filesystem.get_file_info(pafs.FileSelector(base, recursive=True))
        if info.type == pafs.FileType.File
    ]
    relative = [info.path[len(base.rstrip("/")) + 1 :] for info in infos]
    chosen = selects(relative, root, config)
    prefix = _root_of(root)
    listed = [(f"{prefix}/{rel}", info.size) for rel, info, keep in zip(relative, infos, chosen) if keep]
    return sorted(listed)


def read_files(paths: Iterable[str], root: str) -> pa.RecordBatch:
    """``path`` and ``content`` of each file under ``root``: the batch ``clean_batch`` takes.

    Args:
        paths: paths as ``list_inputs(root)`` gives them (``root``, ``/``, the path under it).
        root: a folder or a URL pyarrow reaches, as given to ``list_inputs``.

    Files are read with pyarrow's file systems, one open per file: for article-sized files
    far cheaper than an engine's per-file reader (Ray's ``read_binary_files`` spends ~1 ms of
    CPU on each). A file that cannot be read (gone since the listing, no permission) gets a
    NULL ``content``, which ``clean_batch`` turns into a reject of the read stage.
    """
    import pyarrow as pa

    filesystem, base = _filesystem(root)
    prefix, base = _root_of(root), base.rstrip("/")
    paths = list(paths)
    contents = []
    for path in paths:
        if not path.startswith(prefix + "/"):
            raise ValueError(f"{path} is not under the root {prefix}")
        try:
            with filesystem.open_input_stream(base + path[len(prefix) :]) as stream:
                contents.append(stream.read())
        except OSError:
            contents.append(None)
    return pa.RecordBatch.from_pydict(
        {"path": paths, "content": contents},
        schema=pa.schema([("path", pa.string()), ("content", pa.binary())]),
    )


def articles_of(rows: Union[pa.Table, pa.RecordBatch]) -> pa.Table:
    """The articles among rows of ``clean_batch``, as a table of ``lede.schema()``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = rows if isinstance(rows, pa.Table) else pa.Table.from_batches([rows])
    articles = rows.filter(pc.is_null(rows["reject_stage"]))
    return articles.select(schema().names).cast(schema())


def rejects_of(rows: Union[pa.Table, pa.RecordBatch]) -> pa.Table:
    """The rejects among rows of ``clean_batch``, as a table of ``lede.reject_schema()``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = rows if isinstance(rows, pa.Table) else pa.Table.from_batches([rows])
    rejects = rows.filter(pc.is_valid(rows["reject_stage"]))
    return pa.table(
        [rejects["source_path"], rejects["reject_stage"], rejects["reject_error"], rejects["ingested_at"]],
        schema=reject_schema(),
    )


def dedup_threshold(config: Config = None) -> Optional[float]:
    """``dedup.threshold`` of ``config`` (0.7 by default), or None when ``dedup.enabled`` is false."""
    return _lede.dedup_threshold(**_config(config))


def band_keys(signatures: Union[pa.Array, pa.ChunkedArray]) -> pa.Array:
    """The band keys of each ``signature``: a list of 16 ``int64`` per row, empty for NULL.

    Articles that share a band key are candidates; ``band_rows`` explodes them.
    """
    import pyarrow as pa

    if isinstance(signatures, pa.ChunkedArray):
        signatures = signatures.combine_chunks()
    return _lede.band_keys(signatures)


def band_rows(rows: Union[pa.Table, pa.RecordBatch], shards: int = 256) -> pa.Table:
    """The articles among ``clean_batch`` rows that have a signature, a row per band key.

    Returns:
        A table of ``band_key``, ``shard`` (``band_key`` modulo ``shards``, a power of two:
        group by it, and every bucket is whole in one group, with few groups to call), ``id``,
        ``published_at`` and ``signature``: what ``duplicate_pairs`` takes, a group at a time.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if shards < 1 or shards & (shards - 1):
        raise ValueError(f"shards is a power of two, not {shards}")
    rows = rows if isinstance(rows, pa.Table) else pa.Table.from_batches([rows])
    rows = rows.filter(pc.is_valid(rows["signature"])).select(["id", "published_at", "signature"])
    keys = band_keys(rows["signature"])
    exploded = rows.take(pc.list_parent_indices(keys))
    flat = pc.list_flatten(keys)
    # The low bits of a band key are its band's hash bytes: evenly spread.
    return exploded.append_column("band_key", flat).append_column(
        "shard", pc.bit_wise_and(flat, pa.scalar(shards - 1, pa.int64()))
    )


def duplicate_pairs(rows: Union[pa.Table, pa.RecordBatch], threshold: float) -> pa.Table:
    """The duplicate pairs among ``band_rows`` rows whose buckets are whole (one shard, or more).

    Args:
        rows: ``band_key``, ``id``, ``published_at``, ``signature`` — every row of a band key,
            as grouping ``band_rows`` by ``shard`` gives them.
        threshold: ``dedup_threshold(config)``.

    Returns:
        ``id``, ``published_at``, ``other_id``, ``other_published_at``: each pair ``lede run``
        verifies in these buckets and finds similar enough, once.
    """
    import pyarrow as pa

    if isinstance(rows, pa.Table):
        rows = rows.combine_chunks()
        rows = rows.to_batches()[0] if rows.num_rows else pa.RecordBatch.from_pylist([], schema=rows.schema)
    return pa.Table.from_batches([_lede.duplicate_pairs(rows, threshold)])


def canonical_copies(pairs: Union[pa.Table, pa.RecordBatch]) -> pa.Table:
    """From all shards' duplicate pairs, the canonical copy of each article that has one.

    Returns:
        A table of ``id`` and ``duplicate_of``: the earliest published member of each cluster
        the pairs connect (then the smallest id), as ``lede run`` decides. Articles not in it
        are canonical (``duplicate_of`` NULL).
    """
    import pyarrow as pa

    if isinstance(pairs, pa.Table):
        pairs = pairs.combine_chunks()
        pairs = pairs.to_batches()[0] if pairs.num_rows else pa.RecordBatch.from_pylist([], schema=pairs.schema)
    return pa.Table.from_batches([_lede.canonical_copies_of(pairs)])


def with_duplicate_of(articles: pa.Table, copies: pa.Table) -> pa.Table:
    """``articles`` with ``duplicate_of`` set from ``canonical_copies``' table (row order kept)."""
    import pyarrow as pa

    index = {id_: canonical for id_, canonical in zip(copies["id"].to_pylist(), copies["duplicate_of"].to_pylist())}
    values = pa.array([index.get(i) for i in articles["id"].to_pylist()], type=pa.string())
    position = articles.schema.get_field_index("duplicate_of")
    return articles.set_column(position, articles.schema.field(position), values)

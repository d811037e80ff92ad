"""The native module of lede (Rust, PyO3); use the ``lede`` package's functions."""

from typing import Optional, Sequence

import pyarrow as pa

__version__: str

class ConfigError(ValueError):
    """The configuration has problems; the message lists each, naming its key."""

def run_cli(argv: Sequence[str]) -> int:
    """Runs the ``lede`` command line (program name first); returns its exit code."""

def schema() -> pa.Schema:
    """The schema of the ``articles`` table."""

def reject_schema() -> pa.Schema:
    """The schema of the ``rejects`` table."""

def engine_schema() -> pa.Schema:
    """The schema of ``clean_batch``'s rows."""

def clean_files(
    paths: Sequence[str],
    root: str,
    config_path: Optional[str] = None,
    config_json: Optional[str] = None,
    threads: Optional[int] = None,
) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """Cleans files under ``root``: (articles, rejects)."""

def clean_batch(
    batch: pa.RecordBatch,
    root: str,
    config_path: Optional[str] = None,
    config_json: Optional[str] = None,
    threads: int = 1,
) -> pa.RecordBatch:
    """Cleans a batch of ``path`` and ``content``: rows of ``engine_schema()``."""

def dedup_threshold(
    config_path: Optional[str] = None, config_json: Optional[str] = None
) -> Optional[float]:
    """``dedup.threshold``, or None when near-duplicate detection is off."""

def selects(
    relative_paths: Sequence[str],
    root: str,
    config_path: Optional[str] = None,
    config_json: Optional[str] = None,
) -> list[bool]:
    """Whether ``lede run -i ROOT`` reads each path (relative to ``root``)."""

def band_keys(signatures: pa.Array) -> pa.Array:
    """A list of 16 ``int64`` band keys per signature."""

def duplicate_pairs(rows: pa.RecordBatch, threshold: float) -> pa.RecordBatch:
    """The verified duplicate pairs among rows of whole buckets."""

def canonical_copies_of(pairs: pa.RecordBatch) -> pa.RecordBatch:
    """``id`` and ``duplicate_of`` of every article the pairs connect to an earlier one."""

//! Integration tests: the real `lede` binary on real files, its output read back by DuckDB and
//! pandas.

mod archives;
mod cli;
mod crash;
mod dataset;
mod duplicates;
mod hostile;
mod state;
mod stats;
mod util;
mod values;
mod walk;

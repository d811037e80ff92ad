//! `lede._lede`, the native half of the `lede` Python package: the `lede` command line, and the
//! row pipeline over files or over batches of bytes an engine read, as pyarrow objects through
//! the Arrow C data interface (no copy). The Python half (`python/lede/`) wraps these with
//! docstrings and the config handling; this crate holds no rule of its own: every row comes
//! from `lede-pipeline`, every batch from `lede-write`, every near-duplicate decision from
//! `lede-dedup`.
//!
//! ```text
//! >>> import lede
//! >>> cleaned = lede.clean_files(["data/seeds/001.md"], root="data/seeds")
//! >>> cleaned.articles.num_rows
//! 1
//! ```

mod dedup;
mod rows;

use std::ffi::OsString;
use std::path::PathBuf;

use arrow_pyarrow::{PyArrowType, ToPyArrow};
use pyo3::prelude::*;

pyo3::create_exception!(
    _lede,
    ConfigError,
    pyo3::exceptions::PyValueError,
    "The configuration has problems; the message lists each, naming its key."
);

/// Runs the `lede` command line with `argv` (the program name first) and returns its exit code.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<OsString>) -> u8 {
    py.detach(|| lede::main(argv))
}

/// The schema of the `articles` table.
#[pyfunction]
fn schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    lede_write::article_schema().as_ref().to_pyarrow(py)
}

/// The schema of the `rejects` table.
#[pyfunction]
fn reject_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    lede_write::reject_schema().as_ref().to_pyarrow(py)
}

/// The schema of what `clean_batch` returns: an article's columns, its signature, and for a
/// reject its stage and error.
#[pyfunction]
fn engine_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    rows::engine_schema().as_ref().to_pyarrow(py)
}

/// Pipeline settings from a `pipeline.toml` path, a JSON text of its keys, or the defaults,
/// with `root` as the input: a folder here (`read_here`), or a root an engine reads.
fn settings(
    config_path: Option<PathBuf>,
    config_json: Option<String>,
    root: PathBuf,
    read_here: bool,
) -> PyResult<lede_pipeline::PipelineSettings> {
    let source = match (&config_path, &config_json) {
        (Some(path), _) => lede::ConfigSource::File(path),
        (None, Some(json)) => lede::ConfigSource::Json(json),
        (None, None) => lede::ConfigSource::Default,
    };
    lede::pipeline_settings(source, root, read_here)
        .map_err(|err| ConfigError::new_err(format!("{err:#}")))
}

/// Cleans the files `paths` under `root`: (articles, rejects) record batches, with
/// `duplicate_of` set among these files as `lede run` over them would.
#[pyfunction]
#[pyo3(signature = (paths, root, config_path=None, config_json=None, threads=None))]
fn clean_files<'py>(
    py: Python<'py>,
    paths: Vec<PathBuf>,
    root: PathBuf,
    config_path: Option<PathBuf>,
    config_json: Option<String>,
    threads: Option<usize>,
) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let mut settings = settings(config_path, config_json, root.clone(), true)?;
    if let Some(threads) = threads.filter(|&n| n > 0) {
        settings.threads = threads;
    }
    let (articles, rejects) = py
        .detach(|| rows::clean_files(&paths, &root, &settings))
        .map_err(|err| pyo3::exceptions::PyRuntimeError::new_err(err.to_string()))?;
    Ok((articles.to_pyarrow(py)?, rejects.to_pyarrow(py)?))
}

/// Cleans a batch with `path` (utf8) and `content` (binary) columns, as the engines' binary-file
/// readers produce: one record batch of `engine_schema()`, a row per input.
#[pyfunction]
#[pyo3(signature = (batch, root, config_path=None, config_json=None, threads=1))]
fn clean_batch<'py>(
    py: Python<'py>,
    batch: PyArrowType<arrow_array::RecordBatch>,
    root: String,
    config_path: Option<PathBuf>,
    config_json: Option<String>,
    threads: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let settings = settings(config_path, config_json, PathBuf::from(&root), false)?;
    let cleaned = py
        .detach(|| rows::clean_batch(&batch.0, &root, &settings, threads.max(1)))
        .map_err(|err| pyo3::exceptions::PyValueError::new_err(err.to_string()))?;
    cleaned.to_pyarrow(py)
}

/// The near-duplicate threshold of a configuration (`dedup.threshold`), or None when
/// near-duplicate detection is off (`dedup.enabled = false`).
#[pyfunction]
#[pyo3(signature = (config_path=None, config_json=None))]
fn dedup_threshold(
    config_path: Option<PathBuf>,
    config_json: Option<String>,
) -> PyResult<Option<f64>> {
    Ok(settings(config_path, config_json, PathBuf::from("."), false)?.dedup_threshold)
}

/// For each path relative to `root`, whether `lede run -i ROOT` reads the file there: no
/// hidden name on its way (unless `input.hidden`), and chosen by `input.include`/`exclude`.
#[pyfunction]
#[pyo3(signature = (relative_paths, root, config_path=None, config_json=None))]
fn selects(
    relative_paths: Vec<String>,
    root: String,
    config_path: Option<PathBuf>,
    config_json: Option<String>,
) -> PyResult<Vec<bool>> {
    let settings = settings(config_path, config_json, PathBuf::from(root), false)?;
    let input = settings.inputs.first().expect("the root is the input");
    Ok(relative_paths
        .iter()
        .map(|path| input.selects(std::path::Path::new(path), settings.hidden))
        .collect())
}

#[pymodule]
fn _lede(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("ConfigError", module.py().get_type::<ConfigError>())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_function(wrap_pyfunction!(run_cli, module)?)?;
    module.add_function(wrap_pyfunction!(schema, module)?)?;
    module.add_function(wrap_pyfunction!(reject_schema, module)?)?;
    module.add_function(wrap_pyfunction!(engine_schema, module)?)?;
    module.add_function(wrap_pyfunction!(clean_files, module)?)?;
    module.add_function(wrap_pyfunction!(clean_batch, module)?)?;
    module.add_function(wrap_pyfunction!(dedup_threshold, module)?)?;
    module.add_function(wrap_pyfunction!(selects, module)?)?;
    dedup::register(module)
}

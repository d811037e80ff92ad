//! Rows from files, or from bytes an engine read, as record batches of lede's schemas.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use arrow_array::{
    Array, ArrayRef, BinaryArray, LargeBinaryArray, LargeStringArray, RecordBatch, StringArray,
    new_null_array,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use jiff::Timestamp;
use lede_pipeline::{Outcome, PipelineSettings, process_input_bytes, process_input_file};
use lede_record::{Article, DedupState, Reject, SourcePath, source_key};
use lede_write::columns;
use rayon::prelude::*;

/// The columns `clean_batch` adds to an article's.
pub(crate) const SIGNATURE: &str = "signature";
const REJECT_STAGE: &str = "reject_stage";
const REJECT_ERROR: &str = "reject_error";

static ENGINE: LazyLock<SchemaRef> = LazyLock::new(|| {
    let mut fields: Vec<Field> = lede_write::article_schema()
        .fields()
        .iter()
        .map(|f| f.as_ref().clone().with_nullable(true))
        .collect();
    // Variable-width binary (64 bytes each): engines without fixed-size binary (Spark) take it.
    fields.push(Field::new(SIGNATURE, DataType::Binary, true));
    fields.push(Field::new(REJECT_STAGE, DataType::Utf8, true));
    fields.push(Field::new(REJECT_ERROR, DataType::Utf8, true));
    Arc::new(Schema::new(fields))
});

/// An article's columns (all nullable), its `signature`, and a reject's `reject_stage` and
/// `reject_error`: one row per input, whichever it became.
pub(crate) fn engine_schema() -> SchemaRef {
    Arc::clone(&ENGINE)
}

/// Why a batch could not be cleaned (never one input: those are rejects).
#[derive(Debug)]
pub(crate) enum BatchError {
    Arrow(ArrowError),
    Column(&'static str),
    Pool(rayon::ThreadPoolBuildError),
    NotUnderRoot { path: String, root: String },
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Arrow(err) => write!(f, "{err}"),
            BatchError::Column(what) => write!(f, "the batch needs {what}"),
            BatchError::Pool(err) => write!(f, "cannot start worker threads: {err}"),
            BatchError::NotUnderRoot { path, root } => {
                write!(f, "{path} is not under the root {root}")
            }
        }
    }
}

impl From<ArrowError> for BatchError {
    fn from(err: ArrowError) -> BatchError {
        BatchError::Arrow(err)
    }
}

/// `inputs`, each through read/parse/clean (or parse/clean of its bytes), in order, on
/// `threads` threads.
fn outcomes<T: Send>(
    inputs: Vec<T>,
    threads: usize,
    each: impl Fn(T) -> Vec<Outcome> + Sync + Send,
) -> Result<Vec<Outcome>, BatchError> {
    if threads <= 1 {
        return Ok(inputs.into_iter().flat_map(each).collect());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(BatchError::Pool)?;
    Ok(pool.install(|| inputs.into_par_iter().flat_map_iter(each).collect()))
}

fn split(outcomes: Vec<Outcome>) -> (Vec<Article>, Vec<Reject>) {
    let mut articles = Vec::new();
    let mut rejects = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Article { article, .. } => articles.push(*article),
            Outcome::Reject { reject, .. } => rejects.push(reject),
            Outcome::Unchanged { .. } | Outcome::ArchiveRead { .. } => {
                unreachable!("without a ledger nothing is unchanged, and archives are read whole")
            }
        }
    }
    (articles, rejects)
}

/// Cleans the files `paths` (each under `root`) into (articles, rejects), with
/// `duplicate_of` among these articles as a `lede run` over them gives it.
pub(crate) fn clean_files(
    paths: &[PathBuf],
    root: &Path,
    settings: &PipelineSettings,
) -> Result<(RecordBatch, RecordBatch), BatchError> {
    let sources = paths
        .iter()
        .map(|path| {
            let relative = path
                .strip_prefix(root)
                .map_err(|_| BatchError::NotUnderRoot {
                    path: path.display().to_string(),
                    root: root.display().to_string(),
                })?;
            Ok(SourcePath::new(root, relative))
        })
        .collect::<Result<Vec<_>, BatchError>>()?;
    let outcomes = outcomes(sources, settings.threads, |source| {
        process_input_file(source, settings)
    })?;
    let (articles, rejects) = split(outcomes);
    let now = Timestamp::now();
    let refs: Vec<&Article> = articles.iter().collect();
    let mut batch = lede_write::article_batch(&refs, now)?;
    if let Some(threshold) = settings.dedup_threshold {
        batch = with_duplicate_of(batch, &articles, threshold)?;
    }
    Ok((batch, lede_write::reject_batch(&rejects, now)?))
}

/// `batch` with `duplicate_of` set among `articles` (its rows), as a commit sets it.
fn with_duplicate_of(
    batch: RecordBatch,
    articles: &[Article],
    threshold: f64,
) -> Result<RecordBatch, ArrowError> {
    let mut state = DedupState::default();
    let mut rows = Vec::new();
    for (row, article) in articles.iter().enumerate() {
        if let Some(signature) = article.signature {
            let published = article.published_at.map(|t| t.as_microsecond());
            state.push(source_key(&article.source_path), published, signature);
            rows.push(row);
        }
    }
    let mut values: Vec<Option<String>> = vec![None; articles.len()];
    for (i, canonical) in lede_dedup::Dedup::new(threshold)
        .assign(&state)
        .into_iter()
        .enumerate()
    {
        if canonical != DedupState::CANONICAL {
            values[rows[i]] =
                Some(lede_record::ArticleId::from_key(state.keys[canonical as usize]).to_string());
        }
    }
    let index = batch.schema().index_of(columns::DUPLICATE_OF)?;
    let mut columns = batch.columns().to_vec();
    columns[index] = Arc::new(StringArray::from(values));
    RecordBatch::try_new(batch.schema(), columns)
}

/// A path as the engines give it, without its scheme (`file:`, `s3://`…), which the engines
/// write differently for the same file.
fn without_scheme(path: &str) -> &str {
    match path.find(':') {
        Some(colon)
            if path[..colon]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+') =>
        {
            path[colon + 1..].trim_start_matches("//")
        }
        _ => path,
    }
}

/// An input of an engine's batch: its path, and its bytes (NULL when the engine read none).
type Input = (String, Option<Vec<u8>>);

/// The `path` and `content` columns of an engine's batch (Ray names the content `bytes`).
fn inputs(batch: &RecordBatch) -> Result<Vec<Input>, BatchError> {
    let path = batch
        .column_by_name("path")
        .ok_or(BatchError::Column("a `path` column of strings"))?;
    let paths: Vec<Option<&str>> = if let Some(a) = path.as_any().downcast_ref::<StringArray>() {
        a.iter().collect()
    } else if let Some(a) = path.as_any().downcast_ref::<LargeStringArray>() {
        a.iter().collect()
    } else {
        return Err(BatchError::Column("a `path` column of strings"));
    };
    let content = batch
        .column_by_name("content")
        .or_else(|| batch.column_by_name("bytes"))
        .ok_or(BatchError::Column(
            "a `content` (or `bytes`) column of binary",
        ))?;
    let bytes: Vec<Option<&[u8]>> = if let Some(a) = content.as_any().downcast_ref::<BinaryArray>()
    {
        a.iter().collect()
    } else if let Some(a) = content.as_any().downcast_ref::<LargeBinaryArray>() {
        a.iter().collect()
    } else {
        return Err(BatchError::Column(
            "a `content` (or `bytes`) column of binary",
        ));
    };
    Ok(paths
        .into_iter()
        .zip(bytes)
        .map(|(path, bytes)| {
            (
                path.unwrap_or_default().to_owned(),
                bytes.map(<[u8]>::to_vec),
            )
        })
        .collect())
}

/// Cleans an engine's batch of `path` and `content` under `root`: one row of
/// [`engine_schema`] per input.
pub(crate) fn clean_batch(
    batch: &RecordBatch,
    root: &str,
    settings: &PipelineSettings,
    threads: usize,
) -> Result<RecordBatch, BatchError> {
    let root = without_scheme(root).trim_end_matches('/');
    let input_root = settings.inputs.first();
    let mut jobs: Vec<(SourcePath, Option<Vec<u8>>)> = Vec::new();
    for (path, bytes) in inputs(batch)? {
        let relative = without_scheme(&path)
            .strip_prefix(root)
            .and_then(|rest| rest.strip_prefix('/'))
            .ok_or_else(|| BatchError::NotUnderRoot {
                path: path.clone(),
                root: root.to_owned(),
            })?;
        // The files `lede run -i ROOT` would not read are not inputs here either.
        if input_root.is_some_and(|r| r.selects(Path::new(relative), settings.hidden)) {
            jobs.push((SourcePath::new(root, relative), bytes));
        }
    }
    // The jobs are moved in: each file's bytes go to the pipeline without a copy.
    let outcomes = outcomes(jobs, threads, |(source, bytes)| match bytes {
        Some(bytes) => process_input_bytes(source, bytes, settings),
        None => vec![Outcome::Reject {
            reject: Reject {
                source_path: source.relative().to_owned(),
                stage: lede_record::Stage::Read,
                error: "the engine read no content for it".to_owned(),
            },
            stamp: lede_record::FileStamp::UNKNOWN,
        }],
    })?;
    let (articles, rejects) = split(outcomes);
    let now = Timestamp::now();
    let refs: Vec<&Article> = articles.iter().collect();
    let article_part = lede_write::article_batch(&refs, now)?;
    let signatures: BinaryArray = articles
        .iter()
        .map(|a| a.signature.as_ref().map(|s| s.0.as_slice()))
        .collect();
    let mut columns = article_part.columns().to_vec();
    columns.push(Arc::new(signatures));
    columns.push(new_null_array(&DataType::Utf8, articles.len()));
    columns.push(new_null_array(&DataType::Utf8, articles.len()));
    let articles = RecordBatch::try_new(engine_schema(), columns)?;
    let rejects = reject_rows(&rejects, now)?;
    Ok(arrow_select::concat::concat_batches(
        &engine_schema(),
        [&articles, &rejects],
    )?)
}

/// Rejects as rows of [`engine_schema`]: their path, ingestion time, stage and error.
fn reject_rows(rejects: &[Reject], now: Timestamp) -> Result<RecordBatch, ArrowError> {
    let batch = lede_write::reject_batch(rejects, now)?;
    let schema = engine_schema();
    let columns = schema
        .fields()
        .iter()
        .map(|field| -> ArrayRef {
            let from = match field.name().as_str() {
                REJECT_STAGE => columns::STAGE,
                REJECT_ERROR => columns::ERROR,
                name => name,
            };
            match batch.column_by_name(from) {
                Some(column) => Arc::clone(column),
                None => new_null_array(field.data_type(), rejects.len()),
            }
        })
        .collect();
    RecordBatch::try_new(schema, columns)
}

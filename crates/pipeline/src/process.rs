//! One file through read → parse → clean, where any error or panic becomes a reject.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lede_record::{Article, RawFile, Reject, SourcePath, Stage};

use crate::PipelineSettings;

/// What became of one input.
#[derive(Debug)]
pub enum Outcome {
    /// It is an article; `bytes` were read.
    Article {
        /// The clean article.
        article: Box<Article>,
        /// Size of the file read.
        bytes: u64,
    },
    /// It is not.
    Reject(Reject),
}

fn reject(source: &SourcePath, stage: Stage, error: String) -> Outcome {
    Outcome::Reject(Reject {
        source_path: source.relative().to_owned(),
        stage,
        error,
    })
}

/// Runs one stage, turning a panic into an error message so one bad file cannot end the run.
fn guarded<T>(stage: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(stage)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        format!("internal error (a bug in lede, please report it with this file): {message}")
    })
}

/// Reads, parses and cleans one file.
pub fn process_file(source: SourcePath, settings: &PipelineSettings) -> Outcome {
    let raw = match read(&source, settings.max_file_bytes) {
        Ok(raw) => raw,
        Err(error) => return reject(&source, Stage::Read, error),
    };
    let bytes = raw.bytes.len() as u64;
    let doc = match guarded(|| lede_parse::parse(&raw, &settings.parse)) {
        Ok(Ok(doc)) => doc,
        Ok(Err(err)) => return reject(&source, err.stage(), err.to_string()),
        Err(panic) => return reject(&source, Stage::Parse, panic),
    };
    drop(raw);
    match guarded(|| lede_clean::clean(&doc, &settings.clean)) {
        Ok(Ok(article)) => Outcome::Article {
            article: Box::new(article),
            bytes,
        },
        Ok(Err(err)) => reject(&source, Stage::Clean, err.to_string()),
        Err(panic) => reject(&source, Stage::Clean, panic),
    }
}

fn read(source: &SourcePath, limit: u64) -> Result<RawFile, String> {
    let describe = |err: std::io::Error| format!("cannot read: {err}");
    let file = std::fs::File::open(source.absolute()).map_err(describe)?;
    let size = file.metadata().map_err(describe)?.len();
    if size > limit {
        return Err(format!(
            "file is {size} bytes, over the limit of {limit} (limits.max_file_bytes)"
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Read one byte past the limit so a file that grows while being read is still caught.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(describe)?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "file grew past the limit of {limit} bytes while being read (limits.max_file_bytes)"
        ));
    }
    Ok(RawFile {
        source: source.clone(),
        bytes,
    })
}

//! One writer per output directory: an OS file lock, which the kernel releases when the process
//! dies, so a killed run never blocks the next one.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::PipelineError;

const LOCK_FILE: &str = ".lede.lock";

/// Holds the output's lock until dropped.
#[derive(Debug)]
pub(crate) struct OutputLock {
    _file: File,
}

pub(crate) fn acquire(output: &Path) -> Result<OutputLock, PipelineError> {
    let path = output.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| PipelineError::Output {
            action: "create the lock file",
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(OutputLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(PipelineError::Locked {
            output: output.to_owned(),
            lock: path,
        }),
        Err(TryLockError::Error(source)) => Err(PipelineError::Output {
            action: "lock",
            path,
            source,
        }),
    }
}

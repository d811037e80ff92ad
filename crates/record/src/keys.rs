//! The `pipeline.toml` keys that messages name, in one place: a library that tells the user
//! which setting to change takes the name from here, and the binary's config tests check that
//! each one is a key the config file accepts and `pipeline.toml` documents, and that no doc or
//! message names a key not listed here.

/// `input.paths`
pub const INPUT_PATHS: &str = "input.paths";
/// `input.include`
pub const INPUT_INCLUDE: &str = "input.include";
/// `input.exclude`
pub const INPUT_EXCLUDE: &str = "input.exclude";
/// `input.follow_symlinks`
pub const INPUT_FOLLOW_SYMLINKS: &str = "input.follow_symlinks";
/// `input.hidden`
pub const INPUT_HIDDEN: &str = "input.hidden";
/// `input.jsonl_body`
pub const INPUT_JSONL_BODY: &str = "input.jsonl_body";
/// `input.jsonl_fields`
pub const INPUT_JSONL_FIELDS: &str = "input.jsonl_fields";
/// `output.dir`
pub const OUTPUT_DIR: &str = "output.dir";
/// `output.max_file_mb`
pub const OUTPUT_MAX_FILE_MB: &str = "output.max_file_mb";
/// `output.row_group_rows`
pub const OUTPUT_ROW_GROUP_ROWS: &str = "output.row_group_rows";
/// `output.max_buffered_mb`
pub const OUTPUT_MAX_BUFFERED_MB: &str = "output.max_buffered_mb";
/// `output.max_open_files`
pub const OUTPUT_MAX_OPEN_FILES: &str = "output.max_open_files";
/// `output.zstd_level`
pub const OUTPUT_ZSTD_LEVEL: &str = "output.zstd_level";
/// `run.threads`
pub const RUN_THREADS: &str = "run.threads";
/// `run.timezone`
pub const RUN_TIMEZONE: &str = "run.timezone";
/// `run.batch_rows`
pub const RUN_BATCH_ROWS: &str = "run.batch_rows";
/// `run.max_reject_ratio`
pub const RUN_MAX_REJECT_RATIO: &str = "run.max_reject_ratio";
/// `run.max_prune_ratio`
pub const RUN_MAX_PRUNE_RATIO: &str = "run.max_prune_ratio";
/// `limits.max_file_mb`
pub const LIMITS_MAX_FILE_MB: &str = "limits.max_file_mb";
/// `limits.max_front_matter_kb`
pub const LIMITS_MAX_FRONT_MATTER_KB: &str = "limits.max_front_matter_kb";
/// `limits.max_html_parse_steps`
pub const LIMITS_MAX_HTML_PARSE_STEPS: &str = "limits.max_html_parse_steps";
/// `dedup.enabled`
pub const DEDUP_ENABLED: &str = "dedup.enabled";
/// `dedup.threshold`
pub const DEDUP_THRESHOLD: &str = "dedup.threshold";

/// Every key above.
pub const ALL: [&str; 23] = [
    INPUT_PATHS,
    INPUT_INCLUDE,
    INPUT_EXCLUDE,
    INPUT_FOLLOW_SYMLINKS,
    INPUT_HIDDEN,
    INPUT_JSONL_BODY,
    INPUT_JSONL_FIELDS,
    OUTPUT_DIR,
    OUTPUT_MAX_FILE_MB,
    OUTPUT_ROW_GROUP_ROWS,
    OUTPUT_MAX_BUFFERED_MB,
    OUTPUT_MAX_OPEN_FILES,
    OUTPUT_ZSTD_LEVEL,
    RUN_THREADS,
    RUN_TIMEZONE,
    RUN_BATCH_ROWS,
    RUN_MAX_REJECT_RATIO,
    RUN_MAX_PRUNE_RATIO,
    LIMITS_MAX_FILE_MB,
    LIMITS_MAX_FRONT_MATTER_KB,
    LIMITS_MAX_HTML_PARSE_STEPS,
    DEDUP_ENABLED,
    DEDUP_THRESHOLD,
];

//! `pipeline.toml`: read as [`Options`] (every key optional, unknown keys an error), merged with
//! flags, then resolved into [`PipelineSettings`] with every problem reported at once.

use std::path::{Path, PathBuf};

use anyhow::Context;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use lede_pipeline::{FollowLinks, InputRoot, PipelineSettings};
use lede_record::keys;
use serde::Deserialize;

mod shape;

/// The config file's default name, looked for in the working directory.
pub(crate) const DEFAULT_CONFIG: &str = "pipeline.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Options {
    #[serde(default)]
    pub(crate) input: InputOptions,
    #[serde(default)]
    pub(crate) output: OutputOptions,
    #[serde(default)]
    pub(crate) run: RunOptions,
    #[serde(default)]
    pub(crate) limits: LimitOptions,
    #[serde(default)]
    pub(crate) dedup: DedupOptions,
    /// `[[site]]` tables.
    #[serde(default)]
    pub(crate) site: Vec<SiteOptions>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SiteOptions {
    #[serde(default)]
    pub(crate) hosts: Vec<String>,
    #[serde(default)]
    pub(crate) paths: Vec<String>,
    #[serde(default)]
    pub(crate) authors: Vec<String>,
    #[serde(default)]
    pub(crate) drop: Vec<String>,
    pub(crate) content: Option<String>,
    pub(crate) base_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DedupOptions {
    pub(crate) enabled: Option<bool>,
    pub(crate) threshold: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InputOptions {
    pub(crate) paths: Option<Vec<PathBuf>>,
    pub(crate) include: Option<Vec<String>>,
    pub(crate) exclude: Option<Vec<String>>,
    pub(crate) follow_symlinks: Option<FollowSymlinks>,
    pub(crate) hidden: Option<bool>,
    pub(crate) jsonl_body: Option<Vec<String>>,
    pub(crate) jsonl_fields: Option<std::collections::BTreeMap<String, String>>,
}

/// `input.follow_symlinks`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FollowSymlinks {
    Never,
    WithinInput,
    Always,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutputOptions {
    pub(crate) dir: Option<PathBuf>,
    pub(crate) max_file_mb: Option<u64>,
    pub(crate) row_group_rows: Option<usize>,
    pub(crate) max_buffered_mb: Option<usize>,
    pub(crate) max_open_files: Option<usize>,
    pub(crate) zstd_level: Option<i32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RunOptions {
    pub(crate) threads: Option<usize>,
    pub(crate) timezone: Option<String>,
    pub(crate) batch_rows: Option<usize>,
    pub(crate) max_reject_ratio: Option<f64>,
    pub(crate) max_prune_ratio: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitOptions {
    pub(crate) max_file_mb: Option<u64>,
    pub(crate) max_front_matter_kb: Option<usize>,
    pub(crate) max_html_parse_steps: Option<u64>,
    /// Replaced by `max_html_parse_steps`: a time budget made rows depend on the machine's load.
    pub(crate) max_html_parse_ms: Option<u64>,
}

/// More worker threads than this is a mistake (`-j 100000`): each thread takes memory and a
/// start-up, and past the cores only waiting on slow storage gains from more.
const MAX_THREADS: usize = 1024;

/// The include globs used when the config names none.
const DEFAULT_INCLUDE: [&str; 10] = [
    "**/*.md",
    "**/*.markdown",
    "**/*.txt",
    "**/*.html",
    "**/*.htm",
    "**/*.xhtml",
    "**/*.text",
    "**/*.warc",
    "**/*.jsonl",
    "**/*.ndjson",
];

/// Loads `explicit`, or `./pipeline.toml` if it exists, or defaults. Relative paths in the
/// file are taken relative to the file's directory, so a config works from any directory.
pub(crate) fn load(explicit: Option<&Path>) -> anyhow::Result<(Options, PathBuf)> {
    let (path, required) = match explicit {
        Some(path) => (path.to_owned(), true),
        None => (PathBuf::from(DEFAULT_CONFIG), false),
    };
    if !required && !path.exists() {
        return Ok((Options::default(), PathBuf::from(".")));
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    let options = parse(toml::from_str(&text))
        .with_context(|| format!("invalid config file {}", path.display()))?;
    let base = path
        .parent()
        .map(Path::to_owned)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    Ok((options, base))
}

/// The keys of a `pipeline.toml` given as JSON (the Python API's dict), checked as the file's
/// keys are: an unknown key is an error naming it.
pub(crate) fn from_json(text: &str) -> anyhow::Result<Options> {
    let mut value: serde_json::Value =
        serde_json::from_str(text).context("invalid configuration")?;
    drop_nulls(&mut value);
    parse(serde_json::from_value(value)).context("invalid configuration")
}

/// A key set to `None` in Python is a key not set, as an absent key in the file.
fn drop_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// The options of a file read as a table: every problem of its shape at once, or the options.
fn parse<E: std::error::Error + Send + Sync + 'static>(
    table: Result<toml::Table, E>,
) -> anyhow::Result<Options> {
    let table = table?;
    let problems = shape::problems(&table);
    if !problems.is_empty() {
        return Err(problem_list(&problems));
    }
    Ok(toml::Value::Table(table).try_into()?)
}

/// One error listing `problems`, a line each.
fn problem_list(problems: &[String]) -> anyhow::Error {
    match problems {
        [one] => anyhow::anyhow!("{one}"),
        many => anyhow::anyhow!("{} problems:\n  - {}", many.len(), many.join("\n  - ")),
    }
}

/// How messages name the `i`th `[[site]]` table.
fn site_label(i: usize) -> String {
    format!("[[site]] #{}", i + 1)
}

/// A resolved run: pipeline settings plus what only the binary acts on.
pub(crate) struct RunConfig {
    pub(crate) pipeline: PipelineSettings,
    pub(crate) max_reject_ratio: f64,
}

/// Flag values that override the file.
#[derive(Default)]
pub(crate) struct Overrides {
    pub(crate) inputs: Vec<PathBuf>,
    /// The inputs are not read by this lede (an engine reads them and hands over the bytes):
    /// they are not looked for on this machine.
    pub(crate) inputs_elsewhere: bool,
    pub(crate) output: Option<PathBuf>,
    pub(crate) threads: Option<usize>,
    /// The command writes the output (run) or vouches for it (check): it must not overlap an
    /// input. Commands that only read (inspect, the Python API) leave it unchecked.
    pub(crate) writes_output: bool,
}

pub(crate) fn resolve(
    options: Options,
    base: &Path,
    overrides: Overrides,
) -> anyhow::Result<RunConfig> {
    let mut problems: Vec<String> = Vec::new();
    let from_file = |p: PathBuf| if p.is_absolute() { p } else { base.join(p) };
    let inputs: Vec<PathBuf> = if overrides.inputs.is_empty() {
        options
            .input
            .paths
            .unwrap_or_default()
            .into_iter()
            .map(from_file)
            .collect()
    } else {
        overrides.inputs
    };
    if inputs.is_empty() {
        problems.push(format!(
            "no input: give --input DIR (or set {} in pipeline.toml)",
            keys::INPUT_PATHS
        ));
    }
    for input in inputs.iter().filter(|_| !overrides.inputs_elsewhere) {
        if !input.exists() {
            problems.push(format!("input {} does not exist", input.display()));
        }
    }
    let output = overrides
        .output
        .or_else(|| options.output.dir.map(from_file))
        .unwrap_or_else(|| PathBuf::from("out"));
    for input in inputs.iter().filter(|_| overrides.writes_output) {
        problems.extend(overlap(input, &output));
    }
    let include_patterns = options
        .input
        .include
        .unwrap_or_else(|| DEFAULT_INCLUDE.map(str::to_owned).to_vec());
    let include = globs(keys::INPUT_INCLUDE, &include_patterns, &mut problems);
    let exclude = globs(
        keys::INPUT_EXCLUDE,
        &options.input.exclude.unwrap_or_default(),
        &mut problems,
    );

    let timezone_name = options.run.timezone.unwrap_or_else(|| "UTC".to_owned());
    let timezone = jiff::tz::TimeZone::get(&timezone_name).unwrap_or_else(|err| {
        problems.push(format!(
            "{} `{timezone_name}` is not an IANA time zone: {err}",
            keys::RUN_TIMEZONE
        ));
        jiff::tz::TimeZone::UTC
    });
    let max_reject_ratio = options.run.max_reject_ratio.unwrap_or(0.05);
    if !(0.0..=1.0).contains(&max_reject_ratio) {
        problems.push(format!(
            "{} is {max_reject_ratio}; expected a number from 0 to 1",
            keys::RUN_MAX_REJECT_RATIO
        ));
    }
    let max_prune_ratio = options
        .run
        .max_prune_ratio
        .unwrap_or(lede_pipeline::DEFAULT_MAX_PRUNE_SHARE);
    if !(0.0..=1.0).contains(&max_prune_ratio) {
        problems.push(format!(
            "{} is {max_prune_ratio}; expected a number from 0 to 1",
            keys::RUN_MAX_PRUNE_RATIO
        ));
    }
    let dedup_threshold = options
        .dedup
        .threshold
        .unwrap_or(lede_pipeline::DEFAULT_DEDUP_THRESHOLD);
    if !(dedup_threshold > 0.0 && dedup_threshold <= 1.0) {
        problems.push(format!(
            "{} is {dedup_threshold}; expected a number above 0, at most 1",
            keys::DEDUP_THRESHOLD
        ));
    }
    let site_rules: Vec<lede_clean::SiteRule> = options
        .site
        .into_iter()
        .enumerate()
        .filter_map(|(i, site)| {
            let spec = lede_clean::SiteRuleSpec {
                hosts: site.hosts,
                paths: site.paths,
                authors: site.authors,
                drop: site.drop,
                content: site.content,
                base_url: site.base_url,
            };
            lede_clean::SiteRule::new(spec)
                .map_err(|err| problems.push(format!("{}: {err}", site_label(i))))
                .ok()
        })
        .collect();
    let zstd_level = options.output.zstd_level.unwrap_or(3);
    let zstd = lede_write::ZstdLevel::try_new(zstd_level).unwrap_or_else(|_| {
        problems.push(format!(
            "{} is {zstd_level}; expected 1 to 22",
            keys::OUTPUT_ZSTD_LEVEL
        ));
        lede_write::ZstdLevel::default()
    });
    let positive = |key: &str, value: Option<usize>, problems: &mut Vec<String>| {
        if value == Some(0) {
            problems.push(format!("{key} must be at least 1"));
        }
        value
    };
    let batch_rows = positive(keys::RUN_BATCH_ROWS, options.run.batch_rows, &mut problems);
    let row_group_rows = positive(
        keys::OUTPUT_ROW_GROUP_ROWS,
        options.output.row_group_rows,
        &mut problems,
    );
    let max_open_files = positive(
        keys::OUTPUT_MAX_OPEN_FILES,
        options.output.max_open_files,
        &mut problems,
    );
    if options.limits.max_html_parse_ms.is_some() {
        problems.push(format!(
            "limits.max_html_parse_ms is no longer used: HTML parsing is bounded by steps, not time, so that rows do not depend on the machine's load; use {} (default {})",
            keys::LIMITS_MAX_HTML_PARSE_STEPS,
            lede_clean::DEFAULT_PARSE_STEPS
        ));
    }
    if options.limits.max_html_parse_steps == Some(0) {
        problems.push(format!(
            "{} must be at least 1",
            keys::LIMITS_MAX_HTML_PARSE_STEPS
        ));
    }
    let threads = overrides.threads.or(options.run.threads);
    if let Some(n) = threads
        && n > MAX_THREADS
    {
        problems.push(format!(
            "{} is {n}; at most {MAX_THREADS} (0 is one per core)",
            if overrides.threads.is_some() {
                "--threads"
            } else {
                keys::RUN_THREADS
            }
        ));
    }
    if !problems.is_empty() {
        return Err(problem_list(&problems));
    }

    let roots = inputs
        .into_iter()
        .map(|path| InputRoot {
            path,
            include: include.clone(),
            exclude: exclude.clone(),
        })
        .collect();
    let mut pipeline = PipelineSettings::new(roots, output);
    if let Some(threads) = threads.filter(|&n| n > 0) {
        pipeline.threads = threads;
    }
    pipeline.follow_links = match options.input.follow_symlinks {
        None | Some(FollowSymlinks::Never) => FollowLinks::Never,
        Some(FollowSymlinks::WithinInput) => FollowLinks::WithinInput,
        Some(FollowSymlinks::Always) => FollowLinks::Always,
    };
    pipeline.hidden = options.input.hidden.unwrap_or(false);
    if let Some(body) = &options.input.jsonl_body {
        pipeline.jsonl.body = body.clone();
    }
    if let Some(renames) = &options.input.jsonl_fields {
        pipeline.jsonl.renames = renames
            .iter()
            .map(|(to, from)| (to.clone(), from.clone()))
            .collect();
    }
    pipeline.clean.timezone = timezone;
    pipeline.clean.site_rules = site_rules.into();
    if let Some(rows) = batch_rows {
        pipeline.batch_rows = rows;
    }
    const MIB: u64 = 1024 * 1024;
    if let Some(mb) = options.limits.max_file_mb {
        pipeline.max_file_bytes = mb * MIB;
    }
    if let Some(kb) = options.limits.max_front_matter_kb {
        pipeline.parse.max_front_matter_bytes = kb * 1024;
    }
    if let Some(steps) = options.limits.max_html_parse_steps {
        pipeline.clean.max_html_parse_steps = steps;
    }
    if let Some(mb) = options.output.max_file_mb {
        pipeline.write.max_file_bytes = mb * MIB;
    }
    if let Some(rows) = row_group_rows {
        pipeline.write.max_row_group_rows = rows;
    }
    if let Some(mb) = options.output.max_buffered_mb {
        pipeline.write.max_buffered_bytes = mb * 1024 * 1024;
    }
    if let Some(files) = max_open_files {
        pipeline.write.max_open_files = files;
    }
    pipeline.write.zstd_level = zstd;
    pipeline.max_prune_share = Some(max_prune_ratio);
    pipeline.dedup_threshold = options
        .dedup
        .enabled
        .unwrap_or(true)
        .then_some(dedup_threshold);
    Ok(RunConfig {
        pipeline,
        max_reject_ratio,
    })
}

/// Whether the output and an input hold one another: lede's dataset among the files it reads
/// (runs would read their own reports, or nothing when they are the same folder), or inputs in
/// the folder lede writes.
fn overlap(input: &Path, output: &Path) -> Option<String> {
    let (input_real, output_real) = (real_path(input), real_path(output));
    let advice = format!(
        "choose an output outside every input (--output, or {} in pipeline.toml)",
        keys::OUTPUT_DIR
    );
    if output_real.starts_with(&input_real) {
        Some(format!(
            "output {} is inside input {}: lede would write its dataset among the files it reads; {advice}",
            output.display(),
            input.display()
        ))
    } else if input_real.starts_with(&output_real) {
        Some(format!(
            "input {} is inside output {}: lede would read from the folder it writes; {advice}",
            input.display(),
            output.display()
        ))
    } else {
        None
    }
}

/// `path` made absolute with the links of its existing part resolved: the folder it names,
/// or will once created.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(canonical) = std::fs::canonicalize(existing) {
            return missing
                .iter()
                .rev()
                .fold(canonical, |path, name| path.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Globs match case-insensitively: `*.md` is meant to find `POST.MD` too.
fn globs(key: &str, patterns: &[String], problems: &mut Vec<String>) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        match GlobBuilder::new(pattern).case_insensitive(true).build() {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(err) => problems.push(format!("{key}: {err}")),
        }
    }
    builder.build().unwrap_or_else(|err| {
        problems.push(format!("{key}: {err}"));
        GlobSet::empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pipeline.toml` at the repository root, parsed.
    fn reference_config() -> (String, Options) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DEFAULT_CONFIG);
        let text = std::fs::read_to_string(path).unwrap();
        let options = toml::from_str(&text).unwrap();
        (text, options)
    }

    #[test]
    fn every_key_messages_name_is_a_key_the_config_takes_and_documents() {
        let (text, _) = reference_config();
        let table: toml::Table = toml::from_str(&text).unwrap();
        for key in keys::ALL {
            let (section, name) = key.split_once('.').unwrap();
            assert!(
                table
                    .get(section)
                    .and_then(|s| s.as_table())
                    .is_some_and(|s| s.contains_key(name)),
                "{key} is not set in pipeline.toml"
            );
        }
    }

    /// No doc comment, message or document names a key that is not one, as the front matter
    /// limit's message once did: every section-dot-key written in backticks or parentheses in
    /// the sources' comments and strings, the README and pipeline.toml is in
    /// `lede_record::keys`.
    #[test]
    fn no_doc_or_message_names_a_key_that_is_not_one() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("README.md"), root.join(DEFAULT_CONFIG)];
        let mut dirs = vec![root.join("crates"), root.join("tests")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    files.push(path);
                }
            }
        }
        let mut wrong = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let rust = file.extension().is_some_and(|e| e == "rs");
            for line in text.lines() {
                // In Rust, only comments and string literals speak to users.
                let prose = if rust {
                    match line.find("//") {
                        Some(at) => &line[at..],
                        None => match line.find('"') {
                            Some(at) => &line[at..],
                            None => continue,
                        },
                    }
                } else {
                    line
                };
                for (at, _) in prose.match_indices(['`', '(']) {
                    let rest = &prose[at + 1..];
                    let end = rest
                        .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == '.'))
                        .unwrap_or(rest.len());
                    let word = &rest[..end];
                    let closes = rest[end..].starts_with(['`', ')']);
                    let Some((section, _)) = word.split_once('.') else {
                        continue;
                    };
                    if closes
                        && ["input", "output", "run", "limits", "dedup"].contains(&section)
                        && !keys::ALL.contains(&word)
                    {
                        wrong.push(format!("{}: {word}", file.display()));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "not config keys: {wrong:#?}");
    }

    #[test]
    fn the_reference_config_spells_out_the_defaults_it_claims() {
        let (_, options) = reference_config();
        let mut include = options.input.include.unwrap();
        let mut defaults = DEFAULT_INCLUDE.map(str::to_owned).to_vec();
        include.sort();
        defaults.sort();
        assert_eq!(include, defaults, "input.include");
        assert_eq!(
            options.input.jsonl_body.unwrap(),
            lede_archive::DEFAULT_BODY_KEYS.map(str::to_owned).to_vec(),
            "input.jsonl_body"
        );
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let err = toml::from_str::<Options>("[run]\nthreds = 2\n").unwrap_err();
        assert!(err.to_string().contains("threds"), "{err}");
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let options: Options = toml::from_str(
            "[input]\npaths = [\"/no/such/dir\"]\ninclude = [\"a[\"]\n[run]\ntimezone = \"Mars/Base\"\nmax_reject_ratio = 2.0\n",
        )
        .unwrap();
        let err = resolve(options, Path::new("."), Overrides::default())
            .err()
            .unwrap()
            .to_string();
        for needle in [
            "4 problems",
            "/no/such/dir",
            "input.include",
            "Mars/Base",
            "max_reject_ratio",
        ] {
            assert!(err.contains(needle), "{needle} missing from: {err}");
        }
    }

    #[test]
    fn an_output_and_an_input_that_hold_one_another_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::os::unix::fs::symlink(&data, dir.path().join("link")).unwrap();
        let refused = |input: PathBuf, output: PathBuf| {
            let overrides = Overrides {
                inputs: vec![input],
                output: Some(output),
                writes_output: true,
                ..Overrides::default()
            };
            resolve(Options::default(), dir.path(), overrides)
                .err()
                .map(|err| err.to_string())
        };
        let inside = refused(data.clone(), data.join("out")).unwrap();
        assert!(
            inside.contains("is inside input") && inside.contains("output.dir"),
            "{inside}"
        );
        assert!(refused(data.clone(), data.clone()).is_some());
        // Through a link, and an output that does not exist yet.
        assert!(refused(dir.path().join("link"), data.join("new/out")).is_some());
        let holds = refused(data.join("feed"), data.clone()).unwrap();
        assert!(holds.contains("is inside output"), "{holds}");
        // Siblings, and a name that only starts like the input, are fine.
        assert!(refused(data.clone(), dir.path().join("out")).is_none());
        assert!(refused(data.clone(), dir.path().join("data-out")).is_none());
    }

    #[test]
    fn flags_override_the_file_and_paths_are_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let options: Options = toml::from_str(
            "[input]\npaths = [\"data\"]\n[output]\ndir = \"out\"\n[run]\nthreads = 3\n",
        )
        .unwrap();
        let config = resolve(
            options,
            dir.path(),
            Overrides {
                threads: Some(1),
                ..Overrides::default()
            },
        )
        .unwrap();
        assert_eq!(config.pipeline.inputs[0].path, dir.path().join("data"));
        assert_eq!(config.pipeline.output, dir.path().join("out"));
        assert_eq!(config.pipeline.threads, 1);
    }
}

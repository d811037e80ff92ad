//! What one run does, fully resolved: no `Option` left, globs compiled, zone parsed.

use std::path::PathBuf;

use globset::GlobSet;
use lede_clean::CleanSettings;
use lede_parse::ParseSettings;
use lede_write::WriteSettings;

/// The default near-duplicate threshold: the Jaccard similarity of 3-token shingles at which
/// two texts are the same story (see README, "Near-duplicates", for how it was chosen).
pub const DEFAULT_DEDUP_THRESHOLD: f64 = 0.7;

/// The default of `run.max_prune_ratio`: an input directory that is empty or not mounted
/// looks like every source deleted, and a prune of it would empty the dataset.
pub const DEFAULT_MAX_PRUNE_SHARE: f64 = 0.25;

/// One input root and which files under it are articles.
#[derive(Debug, Clone)]
pub struct InputRoot {
    /// The directory walked (or a single file).
    pub path: PathBuf,
    /// Relative paths that are read (empty set: every file).
    pub include: GlobSet,
    /// Relative paths that are skipped even if included.
    pub exclude: GlobSet,
}

/// Which symbolic links the walk follows (`input.follow_symlinks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowLinks {
    /// None (the default, as ripgrep): a link is counted in the report and left alone.
    #[default]
    Never,
    /// Links whose target is inside the input root they were found under.
    WithinInput,
    /// Every link, wherever it points: anything the user running lede can read may end up in
    /// the dataset.
    Always,
}

impl InputRoot {
    /// A root whose every file is an input.
    pub fn all(path: impl Into<PathBuf>) -> InputRoot {
        InputRoot {
            path: path.into(),
            include: GlobSet::empty(),
            exclude: GlobSet::empty(),
        }
    }

    /// Whether the globs choose `relative`. A compressed file (`page.html.gz`) is matched
    /// both as it is named and as the file it holds (`page.html`), so `**/*.html` finds it and
    /// `**/*.gz` can exclude it.
    pub(crate) fn wants(&self, relative: &std::path::Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        let bytes = relative.as_os_str().as_bytes();
        let held = lede_record::Compression::of_name(bytes)
            .map(|(_, inner)| std::path::Path::new(std::ffi::OsStr::from_bytes(&bytes[..inner])));
        let matches = |globs: &GlobSet| {
            globs.is_match(relative) || held.is_some_and(|held| globs.is_match(held))
        };
        (self.include.is_empty() || matches(&self.include)) && !matches(&self.exclude)
    }

    /// Whether the walk reads the regular file at `relative` under this root: no name on its
    /// way is hidden (unless `hidden`, `input.hidden`), and the globs choose it. For inputs
    /// an engine lists instead of the walk.
    pub fn selects(&self, relative: &std::path::Path, hidden: bool) -> bool {
        (hidden
            || !relative
                .components()
                .any(|c| crate::walk::is_hidden(c.as_os_str())))
            && self.wants(relative)
    }
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct PipelineSettings {
    /// Where articles are found.
    pub inputs: Vec<InputRoot>,
    /// Where the dataset goes.
    pub output: PathBuf,
    /// Which symbolic links under the roots are followed (a root given as a link always is).
    pub follow_links: FollowLinks,
    /// Whether files and directories whose names start with `.` are walked (`input.hidden`).
    pub hidden: bool,
    /// Worker threads for read, parse and clean, and for the commit's own steps.
    pub threads: usize,
    /// Larger files are rejected unread (`limits.max_file_mb`).
    pub max_file_bytes: u64,
    /// Which keys of a JSON line hold the page and its metadata (`input.jsonl_body`,
    /// `input.jsonl_fields`).
    pub jsonl: lede_archive::JsonFields,
    /// Articles per Arrow batch handed to the writer.
    pub batch_rows: usize,
    /// The parse stage's settings.
    pub parse: ParseSettings,
    /// The clean stage's settings.
    pub clean: CleanSettings,
    /// The write stage's settings.
    pub write: WriteSettings,
    /// Rebuild the dataset from scratch instead of adding to it.
    pub full: bool,
    /// Remove the rows of sources no longer found (by default they are kept).
    pub prune_deleted: bool,
    /// The share of the dataset's rows a prune may remove at most (`run.max_prune_ratio`);
    /// `None` (`--force-prune`) allows any.
    pub max_prune_share: Option<f64>,
    /// Articles whose estimated text similarity reaches this are near-duplicates
    /// (`dedup.threshold`); `None` turns detection off.
    pub dedup_threshold: Option<f64>,
}

impl PipelineSettings {
    /// Defaults for everything but the inputs and the output.
    pub fn new(inputs: Vec<InputRoot>, output: PathBuf) -> PipelineSettings {
        PipelineSettings {
            inputs,
            output,
            follow_links: FollowLinks::Never,
            hidden: false,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            max_file_bytes: 64 * 1024 * 1024,
            jsonl: lede_archive::JsonFields::default(),
            batch_rows: 1024,
            parse: ParseSettings::default(),
            clean: CleanSettings::default(),
            write: WriteSettings::default(),
            full: false,
            prune_deleted: false,
            max_prune_share: Some(DEFAULT_MAX_PRUNE_SHARE),
            dedup_threshold: Some(DEFAULT_DEDUP_THRESHOLD),
        }
    }

    /// Names everything that shapes the rows: lede's version, the schema, the parse, clean and
    /// limit settings, near-duplicate detection, and whether `source_path`s start with a
    /// root's label (`labelled`: the run has several input roots). A dataset written under
    /// another fingerprint is rebuilt, not added to. Built from an explicit serialisable
    /// struct: every field of the stage settings is named here (a new one will not compile
    /// until it is), and nothing is hashed that merely prints differently between builds.
    pub fn fingerprint(&self, labelled: bool) -> String {
        let ParseSettings {
            max_front_matter_bytes,
        } = &self.parse;
        let CleanSettings {
            timezone,
            max_html_parse_steps,
            site_rules,
        } = &self.clean;
        let shape = RowShape {
            lede_version: env!("CARGO_PKG_VERSION"),
            schema_version: lede_write::SCHEMA_VERSION,
            max_file_bytes: self.max_file_bytes,
            jsonl_body: &self.jsonl.body,
            jsonl_renames: &self.jsonl.renames,
            max_front_matter_bytes: *max_front_matter_bytes,
            max_html_parse_steps: *max_html_parse_steps,
            timezone: timezone.iana_name().unwrap_or("UTC"),
            site_rules: site_rules.iter().map(lede_clean::SiteRule::spec).collect(),
            dedup_threshold: self.dedup_threshold,
            labelled,
        };
        let described = serde_json::to_vec(&shape).expect("the row shape serializes");
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&described))
    }
}

/// What shapes the rows of a dataset (see [`PipelineSettings::fingerprint`]).
#[derive(serde::Serialize)]
struct RowShape<'a> {
    lede_version: &'static str,
    schema_version: &'static str,
    max_file_bytes: u64,
    jsonl_body: &'a [String],
    jsonl_renames: &'a [(String, String)],
    max_front_matter_bytes: usize,
    max_html_parse_steps: u64,
    timezone: &'a str,
    site_rules: Vec<&'a lede_clean::SiteRuleSpec>,
    dedup_threshold: Option<f64>,
    labelled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> PipelineSettings {
        PipelineSettings::new(vec![InputRoot::all("in")], "out".into())
    }

    fn rule(host: &str) -> lede_clean::SiteRule {
        lede_clean::SiteRule::new(lede_clean::SiteRuleSpec {
            hosts: vec![host.to_owned()],
            drop: vec!["div.promo > a".to_owned()],
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn the_fingerprint_follows_what_shapes_rows_and_nothing_else() {
        let base = settings().fingerprint(false);
        assert_eq!(settings().fingerprint(false), base, "stable");
        assert_ne!(settings().fingerprint(true), base, "labelled paths");
        let mut zoned = settings();
        zoned.clean.timezone = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        assert_ne!(zoned.fingerprint(false), base);
        // Two compilations of one rule are one setting.
        let mut ruled = settings();
        ruled.clean.site_rules = vec![rule("a.example")].into();
        let mut again = settings();
        again.clean.site_rules = vec![rule("a.example")].into();
        assert_eq!(ruled.fingerprint(false), again.fingerprint(false));
        assert_ne!(ruled.fingerprint(false), base);
        // What only decides which files are read, or how, does not shape rows.
        let mut other = settings();
        other.threads = 7;
        other.hidden = true;
        other.prune_deleted = true;
        assert_eq!(other.fingerprint(false), base);
    }
}

//! The report for a terminal.

use std::fmt::Write;

use crate::Stats;

/// Rows shown per table.
const TOP: usize = 10;

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

impl Stats {
    /// The report as plain text, tables of the largest entries first.
    pub fn render_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {} articles, {} rejects, {} duplicates in {} clusters ({})",
            self.dataset.display(),
            self.articles,
            self.rejects,
            self.duplicates,
            self.duplicate_clusters,
            percent(self.duplicate_rate)
        );
        let table = |out: &mut String, title: &str, rows: &[(String, u64)]| {
            let _ = writeln!(out, "\n{title}");
            if rows.is_empty() {
                let _ = writeln!(out, "  none");
            }
            for (name, n) in rows.iter().take(TOP) {
                let _ = writeln!(out, "  {n:>8}  {name}");
            }
            if rows.len() > TOP {
                let rest: u64 = rows[TOP..].iter().map(|(_, n)| n).sum();
                let _ = writeln!(out, "  {rest:>8}  ({} more)", rows.len() - TOP);
            }
        };
        table(&mut out, "Articles per site", &self.by_site);
        table(&mut out, "Articles per author", &self.by_author);
        table(&mut out, "Articles per language", &self.by_lang);
        let months: Vec<(String, u64)> = self
            .by_month
            .iter()
            .rev()
            .map(|(m, n)| (m.clone(), *n))
            .collect();
        table(&mut out, "Articles per month (newest first)", &months);
        let _ = writeln!(out, "\nNULL rate per column");
        if self.null_rate.is_empty() {
            let _ = writeln!(out, "  no articles");
        }
        for (column, rate) in &self.null_rate {
            let _ = writeln!(out, "  {:>8}  {column}", percent(*rate));
        }
        let _ = writeln!(out, "\nText length (characters)");
        for (bucket, n) in &self.text_length_histogram {
            let _ = writeln!(out, "  {n:>8}  {bucket}");
        }
        let _ = writeln!(out, "\nWarnings by kind");
        if self.warnings_by_kind.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for (kind, n) in &self.warnings_by_kind {
            let _ = writeln!(out, "  {n:>8}  {kind}");
        }
        let _ = writeln!(out, "\nRejects by stage and reason");
        if self.rejects_by_stage.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for (stage, reasons) in &self.rejects_by_stage {
            for (reason, n) in reasons {
                let _ = writeln!(out, "  {n:>8}  {stage}: {reason}");
            }
        }
        for (title, ranking) in [
            ("Largest texts", &self.largest),
            ("Smallest texts", &self.smallest),
        ] {
            let _ = writeln!(out, "\n{title}");
            for entry in ranking {
                let _ = writeln!(
                    out,
                    "  {:>8}  {}  {}",
                    entry.chars,
                    entry.source_path,
                    entry.title.as_deref().unwrap_or("(no title)")
                );
            }
        }
        out
    }
}

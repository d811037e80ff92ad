//! `lede stats`: the data-quality report of a written dataset.

use std::io::Write;

use anyhow::Context;

use crate::flags::StatsArgs;
use crate::status::ExitStatus;

pub(crate) fn stats(args: &StatsArgs) -> anyhow::Result<ExitStatus> {
    let stats = lede_stats::collect(&args.dataset)
        .with_context(|| format!("cannot report on {}", args.dataset.display()))?;
    if let Some(path) = &args.html {
        std::fs::write(path, stats.render_html())
            .with_context(|| format!("cannot write the HTML report {}", path.display()))?;
    }
    let text = if args.json {
        serde_json::to_string_pretty(&stats).context("cannot serialize the report")?
    } else {
        stats.render_text()
    };
    writeln!(std::io::stdout().lock(), "{}", text.trim_end()).context("cannot write to stdout")?;
    Ok(ExitStatus::Ok)
}

//! `lede stats`: the data-quality report of a written dataset.

use std::io::Write;

use anyhow::Context;

use crate::flags::StatsArgs;
use crate::status::ExitStatus;

pub(crate) fn stats(args: &StatsArgs) -> anyhow::Result<ExitStatus> {
    let stats = lede_stats::collect(&args.dataset)
        .with_context(|| format!("cannot report on {}", args.dataset.display()))?;
    let mut stdout = std::io::stdout().lock();
    if let Some(path) = &args.html {
        std::fs::write(path, stats.render_html())
            .with_context(|| format!("cannot write the HTML report {}", path.display()))?;
        if !args.json {
            // The page is what was asked for: say where it is, not the text report again.
            writeln!(stdout, "lede: wrote the HTML report to {}", path.display())
                .context("cannot write to stdout")?;
            return Ok(ExitStatus::Ok);
        }
    }
    let text = if args.json {
        serde_json::to_string_pretty(&stats).context("cannot serialize the report")?
    } else {
        stats.render_text()
    };
    writeln!(stdout, "{}", text.trim_end()).context("cannot write to stdout")?;
    Ok(ExitStatus::Ok)
}

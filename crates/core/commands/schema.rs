//! `lede schema`: the dataset's columns and types.

use std::io::Write;

use anyhow::Context;

use crate::status::ExitStatus;

pub(crate) fn schema() -> anyhow::Result<ExitStatus> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# lede dataset schema, version {}",
        lede_write::SCHEMA_VERSION
    )
    .context("cannot write to stdout")?;
    for (dir, schema) in lede_write::schemas() {
        let partitions = if dir == lede_write::ARTICLES_DIR {
            " (Hive partitions year=YYYY/month=MM)"
        } else {
            ""
        };
        writeln!(out, "\nOUT/{dir}/**/*.parquet{partitions}").context("cannot write to stdout")?;
        for field in schema.fields() {
            let null = if field.is_nullable() { "" } else { " not null" };
            writeln!(out, "  {:<16} {}{null}", field.name(), field.data_type())
                .context("cannot write to stdout")?;
        }
    }
    Ok(ExitStatus::Ok)
}

//! `lede schema`: the dataset's columns and types, as text or JSON.

use std::io::Write;

use anyhow::Context;
use arrow_schema::SchemaRef;

use crate::flags::SchemaArgs;
use crate::status::ExitStatus;

pub(crate) fn schema(args: &SchemaArgs) -> anyhow::Result<ExitStatus> {
    let text = if args.json {
        json().to_string()
    } else {
        text()
    };
    writeln!(std::io::stdout().lock(), "{text}").context("cannot write to stdout")?;
    Ok(ExitStatus::Ok)
}

fn text() -> String {
    let mut out = format!(
        "# lede dataset schema, version {}\n",
        lede_write::SCHEMA_VERSION
    );
    for (dir, schema) in lede_write::schemas() {
        let partitions = if dir == lede_write::ARTICLES_DIR {
            " (Hive partitions year=YYYY/month=M)"
        } else {
            ""
        };
        out.push_str(&format!("\nOUT/{dir}/**/*.parquet{partitions}\n"));
        for field in schema.fields() {
            let null = if field.is_nullable() { "" } else { " not null" };
            out.push_str(&format!(
                "  {:<16} {}{null}\n",
                field.name(),
                field.data_type()
            ));
        }
    }
    out.trim_end().to_owned()
}

/// `{"schema_version": "1", "articles": [{"name", "type", "nullable"}…], "rejects": […]}`.
pub(crate) fn json() -> serde_json::Value {
    let fields = |schema: SchemaRef| {
        schema
            .fields()
            .iter()
            .map(|f| serde_json::json!({"name": f.name(), "type": f.data_type().to_string(), "nullable": f.is_nullable()}))
            .collect::<Vec<_>>()
    };
    let mut object = serde_json::Map::new();
    object.insert("schema_version".into(), lede_write::SCHEMA_VERSION.into());
    for (dir, schema) in lede_write::schemas() {
        object.insert(dir.into(), fields(schema).into());
    }
    object.into()
}

//! The near-duplicate parts a distributed engine needs: band keys to shuffle by, the verified
//! pairs of one bucket, and the canonical copies those pairs make — each the rule `lede run`
//! applies (`lede-dedup`), so the engine's `duplicate_of` is the CLI's.

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, UInt64Builder};
use arrow_array::{
    Array, ArrayRef, FixedSizeBinaryArray, RecordBatch, StringArray, TimestampMicrosecondArray,
    make_array,
};
use arrow_data::ArrayData;
use arrow_pyarrow::{PyArrowType, ToPyArrow};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use lede_dedup::{Member, band_key, band_values, bucket_pairs, canonical_copies, similarity};
use lede_record::{ArticleId, DedupState, SIGNATURE_BYTES, Signature};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

fn signature_at(signatures: &FixedSizeBinaryArray, row: usize) -> Option<Signature> {
    if signatures.is_null(row) {
        return None;
    }
    signatures.value(row).try_into().ok().map(Signature)
}

fn signatures_of(array: &ArrayRef) -> PyResult<FixedSizeBinaryArray> {
    array
        .as_any()
        .downcast_ref::<FixedSizeBinaryArray>()
        .filter(|a| a.value_length() == SIGNATURE_BYTES as i32)
        .cloned()
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "signatures must be fixed_size_binary({SIGNATURE_BYTES}), as clean_batch gives them"
            ))
        })
}

/// The band keys of each signature (a list of 16 per row; empty for a NULL signature): two
/// articles that share a key are candidates to verify.
#[pyfunction]
fn band_keys<'py>(
    py: Python<'py>,
    signatures: PyArrowType<ArrayData>,
) -> PyResult<Bound<'py, PyAny>> {
    let signatures = signatures_of(&make_array(signatures.0))?;
    let mut keys = ListBuilder::new(UInt64Builder::new());
    for row in 0..signatures.len() {
        if let Some(signature) = signature_at(&signatures, row) {
            for (band, value) in band_values(&signature).into_iter().enumerate() {
                keys.values().append_value(band_key(band, value));
            }
        }
        keys.append(true);
    }
    Arc::new(keys.finish()).to_data().to_pyarrow(py)
}

fn strings(array: &ArrayRef, what: &str) -> PyResult<StringArray> {
    array
        .as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| PyValueError::new_err(format!("{what} must be utf8 strings")))
}

fn times(array: &ArrayRef, what: &str) -> PyResult<TimestampMicrosecondArray> {
    array
        .as_any()
        .downcast_ref::<TimestampMicrosecondArray>()
        .cloned()
        .ok_or_else(|| PyValueError::new_err(format!("{what} must be timestamp[us]")))
}

fn key_of(id: &str) -> PyResult<u128> {
    u128::from_str_radix(id, 16)
        .map_err(|_| PyValueError::new_err(format!("{id} is not a lede id")))
}

fn published_of(times: &TimestampMicrosecondArray, row: usize) -> i64 {
    if times.is_null(row) {
        DedupState::UNDATED
    } else {
        times.value(row)
    }
}

fn pairs_schema() -> Arc<Schema> {
    let time = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("published_at", time.clone(), true),
        Field::new("other_id", DataType::Utf8, false),
        Field::new("other_published_at", time, true),
    ]))
}

/// The duplicate pairs of one bucket (the rows that share a band key): its members ordered
/// earliest published, then smallest id, the pairs lede verifies, and of those the ones whose
/// similarity reaches `threshold` (`dedup.threshold`).
#[pyfunction]
fn bucket_duplicates<'py>(
    py: Python<'py>,
    ids: PyArrowType<ArrayData>,
    published_at: PyArrowType<ArrayData>,
    signatures: PyArrowType<ArrayData>,
    threshold: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let (ids, published, signatures) = (
        strings(&make_array(ids.0), "ids")?,
        times(&make_array(published_at.0), "published_at")?,
        signatures_of(&make_array(signatures.0))?,
    );
    let mut members: Vec<(Member, usize, Signature)> = Vec::new();
    for row in 0..ids.len() {
        if let Some(signature) = signature_at(&signatures, row) {
            members.push((
                (key_of(ids.value(row))?, published_of(&published, row)),
                row,
                signature,
            ));
        }
    }
    members.sort_by_key(|((key, published), _, _)| (*published, *key));
    // Rows of one article seen twice (a bucket holds each once) would pair with themselves.
    members.dedup_by_key(|((key, _), _, _)| *key);
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (a, b) in bucket_pairs(members.len()) {
        if similarity(&members[a].2, &members[b].2) >= threshold {
            pairs.push((members[a].1, members[b].1));
        }
    }
    let take = |rows: &mut dyn Iterator<Item = usize>| -> ArrayRef {
        let rows: Vec<u32> = rows.map(|r| r as u32).collect();
        Arc::new(StringArray::from_iter(
            rows.iter().map(|&r| Some(ids.value(r as usize))),
        ))
    };
    let time = |rows: &mut dyn Iterator<Item = usize>| -> ArrayRef {
        let values: Vec<Option<i64>> = rows
            .map(|r| published.is_valid(r).then(|| published.value(r)))
            .collect();
        Arc::new(TimestampMicrosecondArray::from(values).with_timezone("UTC"))
    };
    let batch = RecordBatch::try_new(
        pairs_schema(),
        vec![
            take(&mut pairs.iter().map(|p| p.0)),
            time(&mut pairs.iter().map(|p| p.0)),
            take(&mut pairs.iter().map(|p| p.1)),
            time(&mut pairs.iter().map(|p| p.1)),
        ],
    )
    .map_err(|err| PyValueError::new_err(err.to_string()))?;
    batch.to_pyarrow(py)
}

/// From all the duplicate pairs `bucket_duplicates` found (a batch of its columns), the
/// canonical copy of every article that is not one: a batch of `id` and `duplicate_of`.
#[pyfunction]
fn canonical_copies_of<'py>(
    py: Python<'py>,
    pairs: PyArrowType<RecordBatch>,
) -> PyResult<Bound<'py, PyAny>> {
    let column = |name: &str| {
        pairs
            .0
            .column_by_name(name)
            .cloned()
            .ok_or_else(|| PyValueError::new_err(format!("the pairs need a `{name}` column")))
    };
    let (a, a_time, b, b_time) = (
        strings(&column("id")?, "id")?,
        times(&column("published_at")?, "published_at")?,
        strings(&column("other_id")?, "other_id")?,
        times(&column("other_published_at")?, "other_published_at")?,
    );
    let mut verified = Vec::with_capacity(a.len());
    for row in 0..a.len() {
        verified.push((
            (key_of(a.value(row))?, published_of(&a_time, row)),
            (key_of(b.value(row))?, published_of(&b_time, row)),
        ));
    }
    let copies = py.detach(|| canonical_copies(&verified));
    let id = |key: u128| Some(ArticleId::from_key(key).to_string());
    let batch = RecordBatch::try_new(
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("duplicate_of", DataType::Utf8, false),
        ])),
        vec![
            Arc::new(StringArray::from_iter(copies.iter().map(|c| id(c.0)))),
            Arc::new(StringArray::from_iter(copies.iter().map(|c| id(c.1)))),
        ],
    )
    .map_err(|err| PyValueError::new_err(err.to_string()))?;
    batch.to_pyarrow(py)
}

pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(band_keys, module)?)?;
    module.add_function(wrap_pyfunction!(bucket_duplicates, module)?)?;
    module.add_function(wrap_pyfunction!(canonical_copies_of, module)?)
}

use std::io::Write;

use crate::{Archive, Bad, Item, Record};

fn record(kind: &str, id: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-05-01T10:20:30Z\r\nWARC-Target-URI: https://example.com/{id}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend(block);
    out.extend(b"\r\n\r\n");
    out
}

fn page(id: &str) -> Vec<u8> {
    record(
        "response",
        id,
        format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n<p>Page {id}.</p>").as_bytes(),
    )
}

fn items(name: &str, bytes: Vec<u8>) -> Vec<Item> {
    Archive::of_name(name)
        .expect("an archive name")
        .items(
            Box::new(std::io::Cursor::new(bytes)),
            1 << 20,
            &Default::default(),
        )
        .collect()
}

fn summary(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Item::Record(Record { id, .. }) => format!("page {id}"),
            Item::Skipped(why) => format!("skip {}", why.reason()),
            Item::Bad(Bad { id, error }) => format!("bad {id}: {error}"),
        })
        .collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn names() {
    assert!(Archive::of_name("a.warc").is_some());
    assert!(Archive::of_name("CC-MAIN-1.WARC.GZ").is_some());
    assert!(Archive::of_name("a.warc.zst").is_some());
    assert!(Archive::of_name("a.html.gz").is_none());
    assert!(Archive::of_name(".warc").is_none());
}

#[test]
fn pages_are_records_and_the_rest_is_skipped_by_reason() {
    let mut warc = record("warcinfo", "0", b"software: test\r\n");
    warc.extend(record("request", "1", b"GET / HTTP/1.1\r\n\r\n"));
    warc.extend(page("2"));
    warc.extend(record(
        "response",
        "3",
        b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>gone</p>",
    ));
    warc.extend(record(
        "response",
        "4",
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
    ));
    warc.extend(record("revisit", "5", b"HTTP/1.1 200 OK\r\n\r\n"));
    let items = items("crawl.warc", warc);
    assert_eq!(
        summary(&items),
        [
            "skip warcinfo record",
            "skip request record",
            "page urn:uuid:2",
            "skip HTTP 404",
            "skip not HTML",
            "skip revisit record"
        ]
    );
    let Item::Record(record) = &items[2] else {
        unreachable!()
    };
    assert_eq!(record.payload, b"<p>Page 2.</p>");
    assert_eq!(record.url.as_deref(), Some("https://example.com/2"));
    assert_eq!(record.charset.as_deref(), Some("ISO-8859-1"));
    assert_eq!(
        record.fetched_at.unwrap().to_string(),
        "2024-05-01T10:20:30Z"
    );
}

#[test]
fn a_lying_content_length_costs_its_record_only() {
    // Too long: it swallows the next record, which is found inside the block and read again.
    let mut too_long = page("1");
    let at = memchr::memmem::find(&too_long, b"Content-Length: ").unwrap() + 16;
    too_long.splice(at..at + 2, b"95".iter().copied());
    let mut warc = too_long;
    warc.extend(page("2"));
    warc.extend(page("3"));
    assert_eq!(
        summary(&items("a.warc", warc.clone())),
        [
            "bad urn:uuid:1: its Content-Length (95) runs past the record's end (the next record starts 82 bytes into the block)",
            "page urn:uuid:2",
            "page urn:uuid:3"
        ]
    );
    // Too short: the rest of its block is skipped up to the next record.
    let mut short = page("1");
    let at = memchr::memmem::find(&short, b"Content-Length: ").unwrap() + 16;
    short.splice(at..at + 2, b"40".iter().copied());
    let mut warc = short;
    warc.extend(page("2"));
    assert_eq!(
        summary(&items("a.warc", warc)),
        [
            "bad urn:uuid:1: its Content-Length (40) ends before the record does",
            "page urn:uuid:2"
        ]
    );
}

#[test]
fn a_cut_last_record_and_junk_are_bad_records() {
    let mut warc = b"garbage before\r\n".to_vec();
    warc.extend(page("1"));
    let second = page("2");
    warc.extend(&second[..second.len() - 20]);
    assert_eq!(
        summary(&items("a.warc", warc)),
        [
            "bad offset-0: 16 bytes at byte 0 are not a WARC record",
            "page urn:uuid:1",
            "bad urn:uuid:2: the archive ends inside this record (62 of its 78 bytes)"
        ]
    );
}

#[test]
fn a_corrupt_gzip_member_in_the_middle_costs_its_record_only() {
    let mut warc = gzip(&page("1"));
    let mut broken = gzip(&page("2"));
    let middle = broken.len() / 2;
    broken[middle..middle + 8].copy_from_slice(b"\xff\xff\xff\xff\xff\xff\xff\xff");
    let at = warc.len();
    warc.extend(broken);
    warc.extend(gzip(&page("3")));
    warc.extend(gzip(&page("4")));
    let got = summary(&items("a.warc.gz", warc));
    assert_eq!(
        got.first().map(String::as_str),
        Some("page urn:uuid:1"),
        "{got:?}"
    );
    assert_eq!(
        &got[got.len() - 2..],
        ["page urn:uuid:3", "page urn:uuid:4"],
        "{got:?}"
    );
    assert!(
        got.iter().any(|g| g.starts_with(&format!(
            "bad offset-{at}: the archive has a corrupt gzip member"
        ))),
        "{got:?}"
    );
    // Whatever of record 2 came out before the corruption is its own bad record, or lost
    // with the member: nothing else is reported.
    assert!(got.len() <= 5, "{got:?}");
}

#[test]
fn whole_file_gzip_and_zstd_read_alike() {
    let mut plain = page("1");
    plain.extend(page("2"));
    let want = summary(&items("a.warc", plain.clone()));
    assert_eq!(summary(&items("a.warc.gz", gzip(&plain))), want);
    assert_eq!(
        summary(&items(
            "a.warc.zst",
            zstd::bulk::compress(&plain, 3).unwrap()
        )),
        want
    );
    // With a checksum, as zstd's command line writes frames: corruption is caught.
    let mut compressor = zstd::bulk::Compressor::new(3).unwrap();
    compressor
        .set_parameter(zstd::zstd_safe::CParameter::ChecksumFlag(true))
        .unwrap();
    let mut corrupt = compressor.compress(&plain).unwrap();
    let middle = corrupt.len() / 2;
    corrupt[middle..middle + 8].copy_from_slice(&[0xff; 8]);
    let got = summary(&items("a.warc.zst", corrupt));
    assert!(
        got.iter()
            .any(|g| g.starts_with("bad offset-0: the archive has corrupt or cut-off zstd data")),
        "{got:?}"
    );
    // Expanded on the way already (an engine's reader does it by the name): read as it is.
    assert_eq!(summary(&items("a.warc.gz", plain.clone())), want);
    assert_eq!(summary(&items("a.warc.zst", plain)), want);
}

#[test]
fn a_record_over_the_limit_is_skipped_over_unread() {
    let mut warc = record("resource", "big", &vec![b'x'; 4000]);
    warc.extend(page("2"));
    let items: Vec<Item> = Archive::of_name("a.warc")
        .unwrap()
        .items(
            Box::new(std::io::Cursor::new(warc)),
            1000,
            &Default::default(),
        )
        .collect();
    assert_eq!(
        summary(&items),
        [
            "bad urn:uuid:big: the record is 4000 bytes, over the limit of 1000 (limits.max_file_mb)",
            "page urn:uuid:2"
        ]
    );
}

#[test]
fn a_gzip_member_cut_by_the_end_of_the_file_reports_its_record() {
    let mut warc = gzip(&page("1"));
    let last = gzip(&page("2"));
    warc.extend(&last[..last.len() - 30]);
    let got = summary(&items("a.warc.gz", warc));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0], "page urn:uuid:1");
    assert!(
        got[1].starts_with("bad urn:uuid:2: the archive ends inside this record"),
        "{got:?}"
    );
}

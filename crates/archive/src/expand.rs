//! Compressed bytes held whole (a `page.html.gz`, a gzipped HTTP body) expanded within a size
//! limit, so that a small bomb cannot fill memory.

use std::io::Read;

use lede_record::{Compression, keys};

/// The bytes `compressed` expands to, read no further than one byte past `limit`: more than
/// `limit` is an error, as a corrupt or cut-off stream is.
pub fn expand(compression: Compression, compressed: &[u8], limit: u64) -> Result<Vec<u8>, String> {
    if !opens_as(compression, compressed) {
        // Already expanded on the way (an engine's reader expands `.gz` files by their name).
        return Ok(compressed.to_vec());
    }
    let mut expanded = Vec::with_capacity(compressed.len().saturating_mul(4));
    let read = match compression {
        // Several members one after another are one stream (what `cat a.gz b.gz` makes).
        Compression::Gzip => flate2::read::MultiGzDecoder::new(compressed)
            .take(limit + 1)
            .read_to_end(&mut expanded),
        Compression::Zstd => zstd::stream::read::Decoder::with_buffer(compressed)
            .and_then(|decoder| decoder.take(limit + 1).read_to_end(&mut expanded)),
    };
    if let Err(err) = read {
        return Err(format!(
            "cannot read: the {} data is corrupt or cut off ({err})",
            compression.as_str()
        ));
    }
    if expanded.len() as u64 > limit {
        return Err(format!(
            "file expands to more than the limit of {limit} bytes ({})",
            keys::LIMITS_MAX_FILE_MB
        ));
    }
    Ok(expanded)
}

/// Whether `head`, the first bytes of a file named as `compression` says, opens with that
/// compression's magic bytes. A file that does not was expanded by whoever handed it over
/// (Ray's and Arrow's file readers expand `.gz` and `.zst` files by their name) and is read as
/// it is; a corrupt one then fails as the text it is not.
pub(crate) fn opens_as(compression: Compression, head: &[u8]) -> bool {
    let magic: &[u8] = match compression {
        Compression::Gzip => &[0x1f, 0x8b],
        Compression::Zstd => &[0x28, 0xb5, 0x2f, 0xfd],
    };
    head.starts_with(magic)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_members_and_zstd_frames_expand_to_their_bytes() {
        let mut two_members = gzip(b"<p>one</p>");
        two_members.extend(gzip(b"<p>two</p>"));
        assert_eq!(
            expand(Compression::Gzip, &two_members, 1000).unwrap(),
            b"<p>one</p><p>two</p>"
        );
        let zstd = zstd::bulk::compress(b"# Title\n\nText.\n", 3).unwrap();
        assert_eq!(
            expand(Compression::Zstd, &zstd, 1000).unwrap(),
            b"# Title\n\nText.\n"
        );
    }

    #[test]
    fn a_bomb_stops_at_the_limit_and_a_cut_stream_is_an_error() {
        let bomb = gzip(&vec![b'a'; 10_000_000]);
        assert!(bomb.len() < 100_000, "{}", bomb.len());
        let err = expand(Compression::Gzip, &bomb, 1_000_000).unwrap_err();
        assert!(
            err.contains("expands to more than the limit of 1000000 bytes (limits.max_file_mb)"),
            "{err}"
        );
        assert!(expand(Compression::Gzip, &bomb, 10_000_000).is_ok());

        let page = gzip(&vec![b'x'; 5000]);
        let err = expand(Compression::Gzip, &page[..page.len() - 6], 10_000).unwrap_err();
        assert!(
            err.starts_with("cannot read: the gzip data is corrupt or cut off"),
            "{err}"
        );
        let mut cut_zstd = zstd::bulk::compress(&[b'x'; 5000], 3).unwrap();
        cut_zstd.truncate(cut_zstd.len() - 4);
        let err = expand(Compression::Zstd, &cut_zstd, 10_000).unwrap_err();
        assert!(err.starts_with("cannot read: the zstd data"), "{err}");
    }

    #[test]
    fn bytes_expanded_already_are_read_as_they_are() {
        assert_eq!(
            expand(Compression::Gzip, b"<p>expanded by the engine</p>", 100).unwrap(),
            b"<p>expanded by the engine</p>"
        );
        assert_eq!(
            expand(Compression::Zstd, b"# plain", 100).unwrap(),
            b"# plain"
        );
    }
}

//! The bytes of an archive file as one stream, whatever it is compressed with. A gzip file is
//! read member by member, so that a corrupt member costs only itself: the stream notes where
//! it was and goes on at the next member.

use std::io::{self, BufRead, BufReader, Read};
use std::sync::{Arc, Mutex};

use lede_record::Compression;

/// Where a stream lost bytes: what the reader of the archive turns into rejects.
pub(crate) type Losses = Arc<Mutex<Vec<Loss>>>;

/// Bytes a stream could not expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Loss {
    /// Offset of the broken part in the compressed file.
    pub(crate) at: u64,
    /// What was wrong with it.
    pub(crate) error: String,
}

/// The expanded bytes of `file`, compressed as `compression` says (unless its first bytes
/// say it is expanded already: see [`opens_as`](crate::expand::opens_as)); losses are noted in
/// `losses`.
pub(crate) fn expanded(
    mut file: Box<dyn Read + Send>,
    compression: Option<Compression>,
    losses: &Losses,
) -> Box<dyn Read + Send> {
    let mut head = Vec::with_capacity(4);
    if let Err(err) = file.by_ref().take(4).read_to_end(&mut head) {
        let mut losses = losses.lock().unwrap_or_else(|e| e.into_inner());
        losses.push(Loss {
            at: 0,
            error: format!("a read error ({err})"),
        });
        return Box::new(io::empty());
    }
    let file: Box<dyn Read + Send> = Box::new(io::Cursor::new(head.clone()).chain(file));
    match compression.filter(|&c| crate::expand::opens_as(c, &head)) {
        None => file,
        Some(Compression::Gzip) => Box::new(GzipMembers::new(file, losses.clone())),
        Some(Compression::Zstd) => Box::new(ZstdFrames {
            decoder: zstd::stream::read::Decoder::new(file).ok(),
            losses: losses.clone(),
        }),
    }
}

/// Reads through the members of a gzip file one after another. At a member that cannot be
/// read it notes a [`Loss`] and looks for the next member's magic bytes: a WARC writes one
/// member per record, so the records after a corrupt one are still read. A member is expanded
/// whole before any of it is handed on (up to [`HELD_MEMBER`] bytes), so that a member whose
/// checksum fails at its end gives no bytes at all, not a record with garbage in it.
struct GzipMembers {
    state: Option<Member>,
    losses: Losses,
    /// Whether bytes were lost since the last member that was read whole: a run of broken
    /// members is one loss.
    losing: bool,
}

/// Members up to this size are checked before their bytes are handed on; the rest of a larger
/// one (a whole file in one member) is streamed.
const HELD_MEMBER: u64 = 32 << 20;

enum Member {
    /// Between members.
    Between(Counted),
    /// The expanded bytes of a member, handed on from `at`; `rest` is the member's decoder
    /// when it is larger than what was held, else the input after it.
    Held {
        bytes: Vec<u8>,
        at: usize,
        rest: Rest,
    },
}

enum Rest {
    Input(Counted),
    Member {
        // Boxed: a decoder's state is large, and a member larger than what is held is rare.
        decoder: Box<flate2::bufread::GzDecoder<Counted>>,
        start: u64,
    },
}

/// The compressed input and how far into it the reader has got.
struct Counted {
    input: BufReader<Box<dyn Read + Send>>,
    offset: u64,
}

impl BufRead for Counted {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.input.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        self.offset += amount as u64;
        self.input.consume(amount);
    }
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.input.read(buf)?;
        self.offset += n as u64;
        Ok(n)
    }
}

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

impl GzipMembers {
    fn new(file: Box<dyn Read + Send>, losses: Losses) -> GzipMembers {
        GzipMembers {
            state: Some(Member::Between(Counted {
                input: BufReader::with_capacity(256 * 1024, file),
                offset: 0,
            })),
            losses,
            losing: false,
        }
    }

    fn note(&mut self, at: u64, error: String) {
        if !std::mem::replace(&mut self.losing, true) {
            let mut losses = self.losses.lock().unwrap_or_else(|e| e.into_inner());
            losses.push(Loss { at, error });
        }
    }

    /// After the member that began at `start` broke: on to the next member, if there is one.
    fn resync(&mut self, mut input: Counted, start: u64, err: &io::Error) -> io::Result<()> {
        self.note(start, format!("a corrupt gzip member ({err})"));
        // Past the broken member's first byte, so it is not read again.
        if input.offset == start {
            input.consume(1);
        }
        if seek_magic(&mut input)? {
            self.state = Some(Member::Between(input));
        }
        Ok(())
    }

    /// Starts the member at the input's position: expands it, whole if it is small enough.
    fn begin(&mut self, mut input: Counted) -> io::Result<()> {
        let start = input.offset;
        if input.fill_buf()?.is_empty() {
            return Ok(());
        }
        if !input.fill_buf()?.starts_with(&GZIP_MAGIC[..2]) {
            // Bytes that are not a member: skip to the next one, noting what was lost.
            let found = seek_magic(&mut input)?;
            self.note(start, "bytes that are not gzip data".to_owned());
            if found {
                self.state = Some(Member::Between(input));
            }
            return Ok(());
        }
        let mut decoder = flate2::bufread::GzDecoder::new(input);
        let mut bytes = Vec::new();
        match decoder.by_ref().take(HELD_MEMBER).read_to_end(&mut bytes) {
            Err(err) => {
                let mut input = decoder.into_inner();
                if input.fill_buf()?.is_empty() {
                    // The file ends inside the member: what it held so far is sound, and the
                    // reader of the archive tells the record it cuts off.
                    self.state = Some(Member::Held {
                        bytes,
                        at: 0,
                        rest: Rest::Input(input),
                    });
                } else {
                    self.resync(input, start, &err)?;
                }
            }
            Ok(n) => {
                let rest = if (n as u64) < HELD_MEMBER {
                    self.losing = false;
                    Rest::Input(decoder.into_inner())
                } else {
                    Rest::Member {
                        decoder: Box::new(decoder),
                        start,
                    }
                };
                self.state = Some(Member::Held { bytes, at: 0, rest });
            }
        }
        Ok(())
    }
}

/// Skips `input` to the next gzip magic (or its end); whether one was found.
fn seek_magic(input: &mut Counted) -> io::Result<bool> {
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        match memchr::memchr(GZIP_MAGIC[0], buf) {
            Some(at) if buf.len() - at >= GZIP_MAGIC.len() => {
                if buf[at..].starts_with(&GZIP_MAGIC) {
                    input.consume(at);
                    return Ok(true);
                }
                input.consume(at + 1);
            }
            // The magic may straddle the buffer's end: keep its first byte for the next fill.
            Some(at) if at > 0 => input.consume(at),
            Some(_) => {
                // Fewer than three bytes are left at a buffer end that starts with 0x1f: read
                // more by hand.
                let mut rest = Vec::new();
                input.by_ref().take(3).read_to_end(&mut rest)?;
                if rest.len() < 3 {
                    return Ok(false);
                }
                if rest == GZIP_MAGIC {
                    // Cannot push back into a BufReader: start the member from these bytes.
                    let tail =
                        std::mem::replace(&mut input.input, BufReader::new(Box::new(io::empty())));
                    input.offset -= 3;
                    input.input = BufReader::with_capacity(
                        256 * 1024,
                        Box::new(io::Cursor::new(rest).chain(tail)),
                    );
                    return Ok(true);
                }
            }
            None => {
                let len = buf.len();
                input.consume(len);
            }
        }
    }
}

impl Read for GzipMembers {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            match self.state.take() {
                None => return Ok(0),
                Some(Member::Between(input)) => self.begin(input)?,
                Some(Member::Held { bytes, at, rest }) if at < bytes.len() => {
                    let n = buf.len().min(bytes.len() - at);
                    buf[..n].copy_from_slice(&bytes[at..at + n]);
                    self.state = Some(Member::Held {
                        bytes,
                        at: at + n,
                        rest,
                    });
                    return Ok(n);
                }
                Some(Member::Held { rest, .. }) => match rest {
                    Rest::Input(input) => self.state = Some(Member::Between(input)),
                    Rest::Member { mut decoder, start } => match decoder.read(buf) {
                        Ok(0) => {
                            self.losing = false;
                            self.state = Some(Member::Between(decoder.into_inner()));
                        }
                        Ok(n) => {
                            self.state = Some(Member::Held {
                                bytes: Vec::new(),
                                at: 0,
                                rest: Rest::Member { decoder, start },
                            });
                            return Ok(n);
                        }
                        Err(err) => self.resync(decoder.into_inner(), start, &err)?,
                    },
                },
            }
        }
    }
}

/// Zstandard frames one after another. A corrupt frame ends the stream (zstd has no member
/// boundaries to find again cheaply); the loss is noted.
struct ZstdFrames {
    decoder: Option<zstd::stream::read::Decoder<'static, BufReader<Box<dyn Read + Send>>>>,
    losses: Losses,
}

impl Read for ZstdFrames {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some(decoder) = self.decoder.as_mut() else {
            return Ok(0);
        };
        match decoder.read(buf) {
            Ok(n) => Ok(n),
            Err(err) => {
                self.decoder = None;
                let mut losses = self.losses.lock().unwrap_or_else(|e| e.into_inner());
                losses.push(Loss {
                    at: 0,
                    error: format!(
                        "corrupt or cut-off zstd data; the rest of the file is lost ({err})"
                    ),
                });
                Ok(0)
            }
        }
    }
}

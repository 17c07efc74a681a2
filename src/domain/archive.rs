//! The library archive ("Save library", issue 16): one `.zip` holding the history as
//! [`HISTORY_ENTRY`] and every video and picture its tasks keep in this browser as
//! `media/<sha256>.<ext>`, each entry stored as it is (videos and pictures are compressed already).
//! The zip format is rawzip's; this module names the entries, writes an archive through any
//! [`Write`], and reads one a window at a time: the page reads only the parts of the file it needs
//! (the directory at its end, each entry's 30-byte header, the history), and a video's bytes go
//! from the file to the database without passing through the wasm.

use std::cell::RefCell;
use std::io::{self, Write};
use std::ops::Range;
use std::rc::Rc;

use rawzip::{
    CompressionMethod, Crc32Option, DataDescriptorOutput, ReaderAt, ZipArchive,
    ZipArchiveEntryWayfinder, ZipArchiveWriter, ZipEntryWriter, ZipLocator,
};

/// Zip's CRC-32, a byte at a time from a 1 KiB table: rawzip's own runs 16 bytes at a time from a
/// 16 KiB table, which would be 16 KB more of every visitor's first load (a library's videos
/// are hashed by the browser anyway; this checks the archive's structure).
const CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

use super::message::Msg;

/// A writer's failure as an `io::Error` of its kind alone: a failed save is said in words of ours,
/// and a boxed rawzip error would link its messages (and `io::Error`'s) into the wasm.
fn zip_error(_: rawzip::Error) -> io::Error {
    io::ErrorKind::Other.into()
}

/// The history's entry (the export file's format, without pictures: they are entries of their own).
pub const HISTORY_ENTRY: &str = "history.json";
/// The folder of the media entries.
const MEDIA_DIR: &str = "media/";
/// How much of the file's end is read first: the directory of any archive of a few thousand
/// entries, and the end record.
pub const TAIL_BYTES: u64 = 1 << 20;
/// The largest directory read (about 300 000 entries): beyond it the file is refused.
const MAX_DIRECTORY_BYTES: u64 = 32 << 20;
/// The largest history read (the page holds it whole while it decodes it).
const MAX_HISTORY_BYTES: u64 = 512 << 20;
/// The most entries looked at.
const MAX_ENTRIES: usize = 200_000;
/// A local header's fixed part: what is read to find where an entry's bytes start.
const HEADER_BYTES: u64 = 30;
/// The media types an archive carries, with their file extensions.
const TYPES: [(&str, &str); 6] = [
    ("video/mp4", "mp4"),
    ("image/png", "png"),
    ("image/jpeg", "jpg"),
    ("image/webp", "webp"),
    ("image/gif", "gif"),
    ("image/bmp", "bmp"),
];

/// The entry name of the media under `hash` (hex SHA-256) of type `mime`.
pub fn media_entry(hash: &str, mime: &str) -> String {
    let ext = TYPES
        .iter()
        .find(|(m, _)| *m == mime)
        .map_or("bin", |(_, e)| *e);
    format!("{MEDIA_DIR}{hash}.{ext}")
}

/// The hash and MIME type a media entry's name gives, when it is one.
fn parse_media_entry(name: &str) -> Option<(String, &'static str)> {
    let (hash, ext) = name.strip_prefix(MEDIA_DIR)?.split_once('.')?;
    let well_formed = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    let mime = TYPES.iter().find(|(_, e)| *e == ext).map(|(m, _)| *m)?;
    well_formed.then(|| (hash.to_ascii_lowercase(), mime))
}

/// Writes an archive into `W` (every entry stored, dated `now`).
pub struct ArchiveWriter<W: Write> {
    zip: ZipArchiveWriter<W>,
    modified: rawzip::time::UtcDateTime,
}

impl<W: Write> ArchiveWriter<W> {
    /// Starts an archive; `now_ms` dates its entries.
    pub fn new(out: W, now_ms: i64) -> Self {
        ArchiveWriter {
            zip: ZipArchiveWriter::new(out),
            modified: rawzip::time::UtcDateTime::from_unix(now_ms.div_euclid(1000)),
        }
    }

    /// Starts the entry `name`: write its bytes into the returned writer (a chunk at a time if
    /// need be), then [`EntryWriter::finish`] it.
    pub fn entry(&mut self, name: &str) -> io::Result<EntryWriter<'_, W>> {
        let (entry, _) = self
            .zip
            .new_file(name)
            .compression_method(CompressionMethod::STORE)
            .last_modified(self.modified)
            // Counted here (see CRC32), so rawzip's data writer and its table are not linked in.
            .crc32(Crc32Option::Skip)
            .start()
            .map_err(zip_error)?;
        Ok(EntryWriter {
            entry,
            crc: CRC32.digest(),
            size: 0,
        })
    }

    /// Adds the entry `name` holding `bytes`.
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> io::Result<()> {
        let mut e = self.entry(name)?;
        e.write_all(bytes)?;
        e.finish()
    }

    /// Writes the directory; returns the output.
    pub fn finish(self) -> io::Result<W> {
        self.zip.finish().map_err(zip_error)
    }
}

/// One entry being written (see [`ArchiveWriter::entry`]).
pub struct EntryWriter<'a, W: Write> {
    entry: ZipEntryWriter<'a, W>,
    crc: crc::Digest<'static, u32>,
    size: u64,
}

impl<W: Write> Write for EntryWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.entry.write(buf)?;
        self.crc.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.entry.flush()
    }
}

impl<W: Write> EntryWriter<'_, W> {
    /// Ends the entry (its size and checksum follow its bytes).
    pub fn finish(self) -> io::Result<()> {
        let descriptor = DataDescriptorOutput::new(self.crc.finalize(), self.size);
        self.entry.finish(descriptor).map_err(zip_error)?;
        Ok(())
    }
}

/// The parts of an archive file read so far: byte windows at their offsets. Reading outside them
/// fails (and the reader says which range it needs next).
pub struct Windows {
    len: u64,
    parts: RefCell<Vec<(u64, Vec<u8>)>>,
}

impl Windows {
    /// A file of `len` bytes, nothing read yet.
    pub fn new(len: u64) -> Self {
        Windows {
            len,
            parts: RefCell::new(Vec::new()),
        }
    }

    /// The file's length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds the bytes read at `offset`.
    pub fn add(&self, offset: u64, bytes: Vec<u8>) {
        self.parts.borrow_mut().push((offset, bytes));
    }

    /// The range of the file's end to read first.
    pub fn tail(&self) -> Range<u64> {
        self.len.saturating_sub(TAIL_BYTES)..self.len
    }

    fn covers(&self, range: &Range<u64>) -> bool {
        self.parts.borrow().iter().any(|(at, bytes)| {
            *at <= range.start && range.end <= at.saturating_add(bytes.len() as u64)
        })
    }
}

impl ReaderAt for Windows {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let parts = self.parts.borrow();
        let (at, bytes) = parts
            .iter()
            .find(|(at, b)| *at <= offset && offset < at + b.len() as u64)
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        let from = (offset - at) as usize;
        let n = buf.len().min(bytes.len() - from);
        buf[..n].copy_from_slice(&bytes[from..from + n]);
        Ok(n)
    }
}

/// What a reading step did: done, or the range of the file it needs read first.
#[derive(Debug, PartialEq, Eq)]
pub enum Step<T> {
    /// The answer.
    Done(T),
    /// Read this range of the file into the windows, then ask again.
    Need(Range<u64>),
}

/// Where one entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spot {
    way: ZipArchiveEntryWayfinder,
    header_at: u64,
    crc: u32,
    size: u64,
}

impl Spot {
    /// The entry's size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }
}

/// A video or picture the archive carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaSpot {
    /// Its name's SHA-256 (hex, lower case): its bytes must hash to it.
    pub hash: String,
    /// Its MIME type, from its name.
    pub mime: &'static str,
    /// Where it is.
    pub spot: Spot,
}

/// What an archive holds, as far as a library goes.
#[derive(Debug, Default)]
pub struct Listing {
    /// The history's entry.
    pub history: Option<Spot>,
    /// The media entries, each hash once.
    pub media: Vec<MediaSpot>,
    /// Entries that are neither (left alone), or that repeat a hash.
    pub other: usize,
}

/// An archive being read.
pub struct ArchiveReader {
    zip: ZipArchive<Rc<Windows>>,
}

impl ArchiveReader {
    /// Finds the archive's directory in `windows` (which should hold [`Windows::tail`]); when it
    /// asks for the directory, add it to `windows` and open again.
    pub fn open(windows: &Rc<Windows>) -> Result<Step<ArchiveReader>, Msg> {
        let not_zip = || Msg::new("library.not_archive");
        if windows.is_empty() {
            return Err(not_zip());
        }
        let len = windows.len();
        let mut buffer = vec![0u8; rawzip::RECOMMENDED_BUFFER_SIZE];
        let zip = ZipLocator::new()
            .locate_in_reader(Rc::clone(windows), &mut buffer, len)
            .map_err(|_| not_zip())?;
        let directory = zip.directory_offset()..zip.eocd_offset();
        if directory.start > directory.end {
            return Err(not_zip());
        }
        if directory.end - directory.start > MAX_DIRECTORY_BYTES {
            return Err(Msg::new("library.too_many"));
        }
        if !zip.get_ref().covers(&directory) {
            return Ok(Step::Need(directory));
        }
        Ok(Step::Done(ArchiveReader { zip }))
    }

    /// Adds the bytes read at `offset` (a range a step asked for).
    pub fn add(&self, offset: u64, bytes: Vec<u8>) {
        self.zip.get_ref().add(offset, bytes);
    }

    /// The history and media entries. Media compressed by another tool, or encrypted, are refused.
    pub fn list(&self) -> Result<Listing, Msg> {
        let damaged = |_| Msg::new("library.damaged");
        let mut buffer = vec![0u8; rawzip::RECOMMENDED_BUFFER_SIZE];
        let mut entries = self.zip.entries(&mut buffer);
        let mut listing = Listing::default();
        let mut seen = std::collections::HashSet::new();
        let mut count = 0;
        while let Some(e) = entries.next_entry().map_err(damaged)? {
            count += 1;
            if count > MAX_ENTRIES {
                return Err(Msg::new("library.too_many"));
            }
            if e.is_dir() {
                continue;
            }
            let Ok(path) = e.file_path().try_normalize() else {
                listing.other += 1;
                continue;
            };
            let name: &str = path.as_ref();
            let media = parse_media_entry(name);
            if name != HISTORY_ENTRY && media.is_none() {
                listing.other += 1;
                continue;
            }
            if e.compression_method() != CompressionMethod::STORE || e.flags().is_encrypted() {
                return Err(Msg::new("library.compressed").with("entry", name.to_owned()));
            }
            let spot = Spot {
                way: e.wayfinder(),
                header_at: e.local_header_offset(),
                crc: e.crc32(),
                size: e.uncompressed_size_hint(),
            };
            match media {
                None if listing.history.is_none() => listing.history = Some(spot),
                Some((hash, mime)) if seen.insert(hash.clone()) => {
                    listing.media.push(MediaSpot { hash, mime, spot })
                }
                _ => listing.other += 1,
            }
        }
        Ok(listing)
    }

    /// Where the bytes of the entry at `spot` are in the file.
    pub fn data_range(&self, spot: &Spot) -> Result<Step<Range<u64>>, Msg> {
        let header = spot.header_at..spot.header_at.saturating_add(HEADER_BYTES);
        if !self.zip.get_ref().covers(&header) {
            return Ok(Step::Need(header));
        }
        let entry = self
            .zip
            .get_entry(spot.way)
            .map_err(|_| Msg::new("library.damaged"))?;
        let (start, end) = entry.compressed_data_range();
        if end > self.zip.get_ref().len() || end - start != spot.size {
            return Err(Msg::new("library.damaged"));
        }
        Ok(Step::Done(start..end))
    }

    /// The history's text from its entry's bytes, checked against the directory's checksum.
    pub fn history_text(spot: &Spot, bytes: Vec<u8>) -> Result<String, Msg> {
        if spot.size > MAX_HISTORY_BYTES {
            return Err(Msg::new("library.too_many"));
        }
        if bytes.len() as u64 != spot.size || CRC32.checksum(&bytes) != spot.crc {
            return Err(Msg::new("library.damaged"));
        }
        String::from_utf8(bytes).map_err(|_| Msg::new("library.damaged"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    /// The least tail the end record is found in (rawzip scans up to 64 KiB back).
    const SMALL_TAIL: u64 = (1 << 16) + 64;

    fn sample() -> Vec<u8> {
        let mut w = ArchiveWriter::new(Vec::new(), 1_764_000_000_000);
        w.add(HISTORY_ENTRY, b"{\"tasks\":[]}").unwrap();
        let mut e = w.entry(&media_entry(A, "video/mp4")).unwrap();
        e.write_all(b"first half, ").unwrap();
        e.write_all(b"second half").unwrap();
        e.finish().unwrap();
        w.add(&media_entry(B, "image/png"), b"png bytes").unwrap();
        w.add("notes/readme.txt", b"left alone").unwrap();
        w.finish().unwrap()
    }

    /// Opens `file` as the page does, reading what each step asks for; `tail` bytes first.
    fn open(file: &[u8], tail: u64) -> ArchiveReader {
        let windows = Rc::new(Windows::new(file.len() as u64));
        let start = windows.len().saturating_sub(tail);
        windows.add(start, file[start as usize..].to_vec());
        loop {
            match ArchiveReader::open(&windows).unwrap() {
                Step::Done(r) => return r,
                Step::Need(r) => {
                    windows.add(r.start, file[r.start as usize..r.end as usize].to_vec())
                }
            }
        }
    }

    fn bytes_of(file: &[u8], reader: &ArchiveReader, spot: &Spot) -> Vec<u8> {
        loop {
            match reader.data_range(spot).unwrap() {
                Step::Done(r) => return file[r.start as usize..r.end as usize].to_vec(),
                Step::Need(r) => {
                    reader.add(r.start, file[r.start as usize..r.end as usize].to_vec())
                }
            }
        }
    }

    #[test]
    fn an_archive_round_trips_reading_only_what_it_needs() {
        let file = sample();
        for tail in [TAIL_BYTES, SMALL_TAIL] {
            let reader = open(&file, tail);
            let listing = reader.list().unwrap();
            assert_eq!(listing.other, 1, "the stray entry is left alone");
            let history = listing.history.unwrap();
            let text = ArchiveReader::history_text(&history, bytes_of(&file, &reader, &history));
            assert_eq!(text.unwrap(), "{\"tasks\":[]}");
            let media: Vec<(String, &str, Vec<u8>)> = listing
                .media
                .iter()
                .map(|m| (m.hash.clone(), m.mime, bytes_of(&file, &reader, &m.spot)))
                .collect();
            assert_eq!(
                media,
                vec![
                    (
                        A.to_owned(),
                        "video/mp4",
                        b"first half, second half".to_vec()
                    ),
                    (B.to_ascii_lowercase(), "image/png", b"png bytes".to_vec()),
                ]
            );
        }
    }

    #[test]
    fn the_checksum_is_zips() {
        let data: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        assert_eq!(CRC32.checksum(&data), rawzip::crc32(&data));
        assert_eq!(CRC32.checksum(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn entry_names_are_checked() {
        assert_eq!(media_entry(A, "video/mp4"), format!("media/{A}.mp4"));
        assert_eq!(media_entry(A, "text/html"), format!("media/{A}.bin"));
        assert_eq!(
            parse_media_entry(&format!("media/{A}.jpg")),
            Some((A.to_owned(), "image/jpeg"))
        );
        for bad in [
            format!("media/{A}.bin"),
            format!("media/{A}.html"),
            format!("media/{}.mp4", &A[1..]),
            "media/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz.mp4".to_owned(),
            format!("other/{A}.mp4"),
            format!("media/{A}"),
        ] {
            assert_eq!(parse_media_entry(&bad), None, "{bad}");
        }
    }

    #[test]
    fn what_is_not_a_library_is_refused_with_its_reason() {
        let key =
            |r: Result<Step<ArchiveReader>, Msg>| r.err().and_then(|m| m.key().map(str::to_owned));
        let empty = Rc::new(Windows::new(0));
        assert_eq!(
            key(ArchiveReader::open(&empty)).as_deref(),
            Some("library.not_archive")
        );
        let json = b"{\"tasks\":[]}".to_vec();
        let w = Rc::new(Windows::new(json.len() as u64));
        w.add(0, json);
        assert_eq!(
            key(ArchiveReader::open(&w)).as_deref(),
            Some("library.not_archive")
        );

        // A zip that is not a library: no history (the page says so).
        let mut w = ArchiveWriter::new(Vec::new(), 0);
        w.add("readme.txt", b"hello").unwrap();
        let other = w.finish().unwrap();
        let listing = open(&other, TAIL_BYTES).list().unwrap();
        assert!(listing.history.is_none() && listing.media.is_empty());
        assert_eq!(listing.other, 1);

        // A history whose bytes do not match the directory's checksum.
        let file = sample();
        let reader = open(&file, TAIL_BYTES);
        let history = reader.list().unwrap().history.unwrap();
        let mut bytes = bytes_of(&file, &reader, &history);
        bytes[0] = b'[';
        assert_eq!(
            ArchiveReader::history_text(&history, bytes)
                .unwrap_err()
                .key(),
            Some("library.damaged")
        );

        // Deflated by another tool: said, with the entry.
        let mut out = Vec::new();
        let mut zip = ZipArchiveWriter::new(&mut out);
        let (mut entry, config) = zip
            .new_file(HISTORY_ENTRY)
            .compression_method(CompressionMethod::DEFLATE)
            .start()
            .unwrap();
        let mut data = config.wrap(&mut entry);
        data.write_all(b"not really deflated").unwrap();
        let (_, descriptor) = data.finish().unwrap();
        entry.finish(descriptor).unwrap();
        zip.finish().unwrap();
        let reader = open(&out, TAIL_BYTES);
        assert_eq!(reader.list().unwrap_err().key(), Some("library.compressed"));
    }

    #[test]
    fn a_directory_beyond_the_tail_is_asked_for() {
        let mut w = ArchiveWriter::new(Vec::new(), 0);
        for i in 0..2_000 {
            w.add(&format!("media/{:064x}.png", i), b"x").unwrap();
        }
        let file = w.finish().unwrap();
        let windows = Rc::new(Windows::new(file.len() as u64));
        let start = file.len() - SMALL_TAIL as usize;
        windows.add(start as u64, file[start..].to_vec());
        match ArchiveReader::open(&windows).unwrap() {
            Step::Need(r) => assert!(r.start < start as u64 && r.end <= file.len() as u64),
            Step::Done(_) => panic!("the directory is longer than the tail"),
        }
        assert_eq!(open(&file, SMALL_TAIL).list().unwrap().media.len(), 2_000);
    }
}

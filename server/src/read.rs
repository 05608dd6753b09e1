//! Reading the files a user names: regular files only, never more than a
//! cap. A FIFO would block a read forever, a device such as `/dev/zero`
//! never ends, and a canon or config file is never gigabytes; each gets a
//! clear error naming what the path is instead.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// The most a canon file may hold (a 100k role-level canon is 120 MB in
/// all, over thousands of files).
pub const CANON_FILE_LIMIT: u64 = 256 << 20;
/// The most a `goalframe.toml` may hold.
pub const CONFIG_LIMIT: u64 = 1 << 20;
/// The most one goal document may hold.
pub const DOCUMENT_LIMIT: u64 = 512 << 20;

/// How a document's bytes hold its text, which goalframe always reads as
/// UTF-8 without a byte order mark: offsets into the text move by this to
/// index the bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, no byte order mark: the text's offsets are the bytes'.
    #[default]
    Utf8,
    /// UTF-8 after a three-byte mark.
    Utf8Bom,
    /// UTF-16 (either byte order) after a two-byte mark.
    Utf16,
}

/// Turns a document with a byte order mark into plain UTF-8 in place: a
/// UTF-8 mark is dropped (it is not text: line 1's columns and a fence
/// right after it would be off), and UTF-16 (little or big endian, with
/// its mark) is decoded. Bytes without a mark are left as they are.
/// Returns how the bytes held the text, or why they are not UTF-16.
pub fn decode_bom(bytes: &mut Vec<u8>) -> Result<Encoding, String> {
    let utf16 = |be: bool, bytes: &[u8]| -> Result<String, String> {
        let pairs = bytes[2..].chunks_exact(2);
        let odd = !pairs.remainder().is_empty();
        let units = pairs.map(|c| match be {
            true => u16::from_be_bytes([c[0], c[1]]),
            false => u16::from_le_bytes([c[0], c[1]]),
        });
        let mut text = String::with_capacity(bytes.len());
        // Where a fault is, as a UTF-8 fault is shown: line and column of
        // the text before it, and the byte of the file.
        let fault = |text: &str, units: usize, what: &str| {
            let (line, col) = crate::lines::Lines::new(text).position(text, text.len());
            format!(
                "not valid UTF-16 at {}:{} (byte {}): {what}",
                line + 1,
                col + 1,
                2 + 2 * units
            )
        };
        let mut read = 0;
        for c in char::decode_utf16(units) {
            match c {
                Ok(c) => {
                    text.push(c);
                    read += c.len_utf16();
                }
                Err(_) => return Err(fault(&text, read, "a lone surrogate")),
            }
        }
        if odd {
            return Err(fault(&text, read, "an odd number of bytes"));
        }
        Ok(text)
    };
    Ok(match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => {
            bytes.drain(..3);
            Encoding::Utf8Bom
        }
        // UTF-32's marks: read as UTF-16, its text would be every other
        // character a NUL, and the file called binary.
        [0xFF, 0xFE, 0x00, 0x00, ..] | [0x00, 0x00, 0xFE, 0xFF, ..] => {
            return Err(
                "UTF-32 (by its byte order mark), which goalframe does not read: save it as UTF-8"
                    .into(),
            )
        }
        [0xFF, 0xFE, ..] => {
            *bytes = utf16(false, bytes)?.into_bytes();
            Encoding::Utf16
        }
        [0xFE, 0xFF, ..] => {
            *bytes = utf16(true, bytes)?.into_bytes();
            Encoding::Utf16
        }
        _ => Encoding::Utf8,
    })
}

/// A text a client sent, with a leading byte order mark (a tool that read
/// a file may leave one in) dropped as [`decode_bom`] drops it from a
/// file's bytes, so a client's text is read as `lint` reads the file.
pub fn without_bom(mut text: String) -> (String, Encoding) {
    if !text.starts_with('\u{feff}') {
        return (text, Encoding::Utf8);
    }
    // In place: a text of megabytes is not copied for three bytes.
    text.drain(..'\u{feff}'.len_utf8());
    (text, Encoding::Utf8Bom)
}

/// What a path is, in words, when it is neither a regular file nor a
/// directory: a pipe, a device or a socket, which a read may wait on for
/// ever, or never finish.
pub fn special_kind(meta: &Metadata) -> Option<&'static str> {
    (!meta.is_file() && !meta.is_dir()).then(|| kind_of(meta))
}

/// What a path that is not a regular file is, in words.
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// Appends the whole of the regular file at `path` to `buf`, refusing
/// anything else and files over `limit` bytes.
pub fn read_regular_into(path: &Path, limit: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    // Checked before opening: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path)?;
    check(&meta, limit)?;
    let file = File::open(path)?;
    // And again on what was opened, in case the path changed meanwhile.
    let meta = file.metadata()?;
    check(&meta, limit)?;
    // Room for the file and a byte more, taken at once: behind `take` the
    // reader has no size hint, and would grow a new buffer from 32 bytes
    // in a dozen reads and copies (a canon is a thousand such files).
    // `check` bounds the length by `limit`.
    buf.try_reserve_exact(meta.len() as usize + 1)
        .map_err(|e| io::Error::new(io::ErrorKind::OutOfMemory, e.to_string()))?;
    read_at_most(file, limit, buf)
}

/// Appends what `reader` holds to `buf`, refusing it (and appending
/// nothing) once it passes `limit` bytes: standard input may be
/// `/dev/zero`, or a generator that never stops.
pub fn read_at_most(reader: impl Read, limit: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    let start = buf.len();
    let read = reader.take(limit + 1).read_to_end(buf);
    if let Err(e) = read {
        buf.truncate(start);
        return Err(e);
    }
    if (buf.len() - start) as u64 > limit {
        buf.truncate(start);
        return Err(too_large(limit));
    }
    Ok(())
}

/// The whole of the regular file at `path` ([`read_regular_into`]).
pub fn read_regular(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    read_regular_into(path, limit, &mut buf)?;
    Ok(buf)
}

/// [`read_regular`] as UTF-8 text.
pub fn read_regular_text(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_regular(path, limit)?).map_err(|e| {
        let bytes = e.as_bytes();
        let why = if utf16_marked(bytes) {
            "UTF-16 (by its byte order mark): save it as UTF-8".to_string()
        } else {
            utf8_fault(bytes, e.utf8_error().valid_up_to())
        };
        io::Error::new(io::ErrorKind::InvalidData, why)
    })
}

/// Whether `bytes` start with a UTF-16 byte order mark, either order: a
/// file that must be UTF-8 says so rather than "not valid UTF-8".
pub fn utf16_marked(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}

/// What tells a file from every other, whatever path names it (a link,
/// `./`, its full path), or `None` when it cannot be looked at.
#[cfg(unix)]
pub fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
pub fn file_id(path: &Path) -> Option<std::path::PathBuf> {
    std::fs::canonicalize(path).ok()
}

/// Where `bytes` stop being UTF-8 (`valid` bytes in), as a document's
/// fault is shown: `not valid UTF-8 at 3:7 (byte 52)`.
pub fn utf8_fault(bytes: &[u8], valid: usize) -> String {
    let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
    let (line, col) = crate::lines::Lines::new(prefix).position(prefix, valid);
    format!("not valid UTF-8 at {}:{} (byte {valid})", line + 1, col + 1)
}

fn check(meta: &Metadata, limit: u64) -> io::Result<()> {
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file: it is {}", kind_of(meta)),
        ));
    }
    if meta.len() > limit {
        return Err(too_large(limit));
    }
    Ok(())
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("larger than the {} MiB limit", limit >> 20),
    )
}

/// Why bytes with NUL bytes in them are not read: most often binary, but
/// text saved as UTF-16 without its byte order mark (as some Windows tools
/// write it) has a NUL in every other byte of its ASCII, on one side.
pub fn nul_bytes_reason(head: &[u8]) -> &'static str {
    let pairs = head.len() / 2;
    let zeros = |first: usize| {
        head.iter()
            .skip(first)
            .step_by(2)
            .take(pairs)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Two units in three on one side (accents, dashes and the like have
    // none), and next to none on the other (only the rare U+..00).
    let mostly = |n: usize| pairs >= 4 && n * 3 >= pairs * 2;
    let scarcely = |n: usize| n * 100 <= pairs;
    if mostly(odd) && scarcely(even) {
        "UTF-16 (little endian) without a byte order mark: save it as UTF-8, or as UTF-16 with its mark"
    } else if mostly(even) && scarcely(odd) {
        "UTF-16 (big endian) without a byte order mark: save it as UTF-8, or as UTF-16 with its mark"
    } else {
        "binary file (it has NUL bytes)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_directories_are_refused_by_name() {
        let e = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert!(e.to_string().contains("a character device"), "{e}");
        let e = read_regular(Path::new("/"), 1 << 20).unwrap_err();
        assert!(e.to_string().contains("a directory"), "{e}");
        let dir = std::env::temp_dir().join(format!("goalframe-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("pipe.json");
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        // Returns at once (no writer ever comes) with what the path is.
        let e = read_regular(&fifo, 1 << 20).unwrap_err();
        assert!(e.to_string().contains("FIFO"), "{e}");
        let big = dir.join("big.json");
        std::fs::write(&big, vec![b' '; 2048]).unwrap();
        let e = read_regular(&big, 1024).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        assert_eq!(read_regular(&big, 4096).unwrap().len(), 2048);
        // A settings file that is not UTF-8 says where, or that it is
        // UTF-16 (it said "invalid utf-8 sequence of 1 bytes from index 0").
        let toml = dir.join("goalframe.toml");
        std::fs::write(&toml, b"[severity]\ncanon-drift = \"\xff\"\n").unwrap();
        let e = read_regular_text(&toml, 4096).unwrap_err();
        assert_eq!(e.to_string(), "not valid UTF-8 at 2:16 (byte 26)");
        std::fs::write(&toml, [0xFF, 0xFE, b'[', 0]).unwrap();
        let e = read_regular_text(&toml, 4096).unwrap_err();
        assert_eq!(
            e.to_string(),
            "UTF-16 (by its byte order mark): save it as UTF-8"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_is_read_into_one_buffer_sized_from_its_length() {
        let dir = std::env::temp_dir().join(format!("goalframe-read-size-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("levels.json");
        let text: Vec<u8> = (0..10_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&path, &text).unwrap();
        let read = read_regular(&path, 1 << 20).unwrap();
        assert_eq!(read, text);
        // Grown a piece at a time, the buffer would end at a power of two.
        assert_eq!(read.capacity(), text.len() + 1);
        // Appended after what a reused buffer already holds.
        let mut buf = b"kept".to_vec();
        read_regular_into(&path, 1 << 20, &mut buf).unwrap();
        assert_eq!(&buf[..4], b"kept");
        assert_eq!(&buf[4..], &text[..]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_reader_is_read_up_to_the_limit_and_no_further() {
        let mut buf = b"kept".to_vec();
        let e = read_at_most(io::repeat(b'x'), 1000, &mut buf).unwrap_err();
        assert!(e.to_string().contains("larger than"), "{e}");
        assert_eq!(buf, b"kept");
        read_at_most(&[b'y'; 1000][..], 1000, &mut buf).unwrap();
        assert_eq!(buf.len(), 1004);
    }

    #[test]
    fn utf16_faults_are_placed_as_utf8_faults_are() {
        // Little endian: a line, an emoji (two code units), then a lone
        // high surrogate: line 2, the column after the emoji, and the byte
        // of the file (mark, 3 units, the emoji's 2).
        let le = |units: &[u16]| -> Vec<u8> {
            let mut b = vec![0xFF, 0xFE];
            b.extend(units.iter().flat_map(|u| u.to_le_bytes()));
            b
        };
        let mut text: Vec<u16> = "a\r\n".encode_utf16().collect();
        text.extend("😀".encode_utf16());
        text.push(0xD83D);
        text.extend("x".encode_utf16());
        let mut bytes = le(&text);
        assert_eq!(
            decode_bom(&mut bytes).unwrap_err(),
            "not valid UTF-16 at 2:2 (byte 12): a lone surrogate"
        );
        // Big endian, an odd last byte after one whole character.
        let mut bytes = vec![0xFE, 0xFF, 0x00, b'G', 0x00];
        assert_eq!(
            decode_bom(&mut bytes).unwrap_err(),
            "not valid UTF-16 at 1:2 (byte 4): an odd number of bytes"
        );
        // UTF-32, either byte order: named, not taken for binary.
        for mark in [[0xFF, 0xFE, 0, 0], [0, 0, 0xFE, 0xFF]] {
            let mut bytes = mark.to_vec();
            bytes.extend("x".chars().flat_map(|c| (c as u32).to_le_bytes()));
            let said = decode_bom(&mut bytes).unwrap_err();
            assert!(
                said.starts_with("UTF-32 (by its byte order mark)"),
                "{said}"
            );
        }
        let mut bytes = le(&"中文😀\n".encode_utf16().collect::<Vec<_>>());
        assert_eq!(decode_bom(&mut bytes), Ok(Encoding::Utf16));
        assert_eq!(bytes, "中文😀\n".as_bytes());
    }

    #[test]
    fn utf16_without_its_mark_is_told_from_binary() {
        let text = "Goals for 2027:\n1. ⟨target⟩ by Q2\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(nul_bytes_reason(&le).starts_with("UTF-16 (little endian) without"));
        assert!(nul_bytes_reason(&be).starts_with("UTF-16 (big endian) without"));
        for binary in [&b"PNG\0\0\0data"[..], b"\0\0\0\0\0\0\0\0", b"a\0"] {
            assert_eq!(nul_bytes_reason(binary), "binary file (it has NUL bytes)");
        }
    }
}

//! The smallest ZIP writer that a phone needs: stored entries only (no
//! compression: the photos are JPEG and the clips are compressed already),
//! each with its CRC-32, UTF-8 names, no ZIP64 (an archive is far below
//! 4 GiB, [`super::MAX_ARCHIVE_BYTES`]). Every ZIP reader opens it; the
//! server reads it back with the `zip` crate (`server/tests/import.rs`).
//!
//! Kept here, not in a crate, for the citizen app's first load: this and
//! the CRC are a few hundred bytes of wasm.

/// The CRC-32 (IEEE 802.3, reflected, as ZIP and gzip use) of `bytes`.
/// Half a byte at a time through a 16-entry table: 64 bytes of table.
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 16] = {
        let mut table = [0u32; 16];
        let mut i = 0;
        while i < 16 {
            let mut crc = i as u32;
            let mut bit = 0;
            while bit < 4 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
                bit += 1;
            }
            table[i] = crc;
            i += 1;
        }
        table
    };
    let mut crc = !0u32;
    for &byte in bytes {
        crc = TABLE[((crc ^ u32::from(byte)) & 0xF) as usize] ^ (crc >> 4);
        crc = TABLE[((crc ^ (u32::from(byte) >> 4)) & 0xF) as usize] ^ (crc >> 4);
    }
    !crc
}

/// Why an archive could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipWriteError {
    #[error("the archive would pass 4 GiB or 65,535 entries")]
    TooLarge,
    #[error("the entry name {0:?} is longer than 65,535 bytes")]
    NameTooLong(String),
}

/// A stored-only ZIP archive, written as a sequence of parts so the
/// entries' bytes never need to be copied into one buffer (a phone keeps
/// its media as `ArrayBuffer`s and hands the parts to a `Blob`): for each
/// entry, [`StoredZip::entry_header`] then the entry's bytes as they are;
/// after the last one, [`StoredZip::finish`].
#[derive(Debug, Default)]
pub struct StoredZip {
    /// Bytes written so far: where the next entry starts.
    offset: u64,
    central: Vec<u8>,
    entries: u16,
}

/// Bit 11: the name is UTF-8.
const UTF8_NAMES: u16 = 0x0800;
/// 1980-01-01, 00:00: the earliest DOS date. The manifest says when the
/// archive was made; the entries' own dates carry nothing.
const DOS_DATE: u16 = (1 << 5) | 1;
/// Version 1.0 is enough to extract stored entries.
const VERSION: u16 = 10;

impl StoredZip {
    pub fn new() -> StoredZip {
        StoredZip::default()
    }

    /// The local header of file `name` (a relative path with `/`) holding
    /// `bytes`: write it, then `bytes` unchanged.
    pub fn entry_header(&mut self, name: &str, bytes: &[u8]) -> Result<Vec<u8>, ZipWriteError> {
        let name_len =
            u16::try_from(name.len()).map_err(|_| ZipWriteError::NameTooLong(name.to_owned()))?;
        let size = u32::try_from(bytes.len()).map_err(|_| ZipWriteError::TooLarge)?;
        let offset = u32::try_from(self.offset).map_err(|_| ZipWriteError::TooLarge)?;
        self.entries = self.entries.checked_add(1).ok_or(ZipWriteError::TooLarge)?;
        let crc = crc32(bytes);

        let mut local = Vec::with_capacity(30 + name.len());
        put32(&mut local, 0x0403_4b50);
        put16(&mut local, VERSION);
        common_fields(&mut local, crc, size, name_len);
        local.extend_from_slice(name.as_bytes());
        self.offset += (local.len() + bytes.len()) as u64;

        let central = &mut self.central;
        put32(central, 0x0201_4b50);
        put16(central, VERSION); // made by: MS-DOS attributes, version 1.0
        put16(central, VERSION);
        common_fields(central, crc, size, name_len);
        put16(central, 0); // comment length
        put16(central, 0); // disk number
        put16(central, 0); // internal attributes
        put32(central, 0); // external attributes
        put32(central, offset);
        central.extend_from_slice(name.as_bytes());
        Ok(local)
    }

    /// What follows the last entry: the central directory and its end.
    pub fn finish(self) -> Result<Vec<u8>, ZipWriteError> {
        let StoredZip {
            offset,
            mut central,
            entries,
        } = self;
        let directory_at = u32::try_from(offset).map_err(|_| ZipWriteError::TooLarge)?;
        let directory_len = u32::try_from(central.len()).map_err(|_| ZipWriteError::TooLarge)?;
        directory_at
            .checked_add(directory_len)
            .ok_or(ZipWriteError::TooLarge)?;
        let out = &mut central;
        put32(out, 0x0605_4b50);
        put16(out, 0); // this disk
        put16(out, 0); // the directory's disk
        put16(out, entries);
        put16(out, entries);
        put32(out, directory_len);
        put32(out, directory_at);
        put16(out, 0); // comment length
        Ok(central)
    }
}

/// The whole archive of `files` (name, bytes) in one buffer.
pub fn zip_files<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, ZipWriteError> {
    let mut zip = StoredZip::new();
    let mut out = Vec::new();
    for (name, bytes) in files {
        out.extend(zip.entry_header(name, bytes)?);
        out.extend_from_slice(bytes);
    }
    out.extend(zip.finish()?);
    Ok(out)
}

/// From "flags" to "extra field length", the same in both headers.
fn common_fields(out: &mut Vec<u8>, crc: u32, size: u32, name_len: u16) {
    put16(out, UTF8_NAMES);
    put16(out, 0); // stored
    put16(out, 0); // time 00:00
    put16(out, DOS_DATE);
    put32(out, crc);
    put32(out, size); // compressed size
    put32(out, size);
    put16(out, name_len);
    put16(out, 0); // extra field length
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_values() {
        // The check value of CRC-32/ISO-HDLC (the catalogue of parametrised
        // CRC algorithms), and two more computed by zlib's crc32().
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
        assert_eq!(
            crc32(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn an_empty_archive_is_only_its_end_record() {
        let bytes = zip_files([]).expect("write");
        assert_eq!(bytes.len(), 22);
        assert_eq!(&bytes[..4], b"PK\x05\x06");
    }

    #[test]
    fn entries_are_stored_whole_after_their_header() {
        let bytes = zip_files([("a/b.txt", &b"hello"[..])]).expect("write");
        assert_eq!(&bytes[..4], b"PK\x03\x04");
        // 30-byte local header, the name, then the bytes as they are.
        assert_eq!(&bytes[30..37], b"a/b.txt");
        assert_eq!(&bytes[37..42], b"hello");
        assert_eq!(&bytes[14..18], &crc32(b"hello").to_le_bytes());
        // One entry in the end record; the directory starts after the data.
        let end = &bytes[bytes.len() - 22..];
        assert_eq!(&end[..4], b"PK\x05\x06");
        assert_eq!(u16::from_le_bytes([end[10], end[11]]), 1);
        assert_eq!(u32::from_le_bytes([end[16], end[17], end[18], end[19]]), 42);
    }
}

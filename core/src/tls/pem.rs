//! A tolerant PEM reader. Users paste files produced by every tool there is, so text around the
//! blocks (openssl's "Bag Attributes", "subject=" lines), CRLF line ends, odd line widths and
//! RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) are all accepted; only what really cannot be read
//! is reported, naming the block. Strict readers (pem-rfc7468) refuse headers outright, which
//! would hide the one thing we must say about an encrypted PKCS#1 key.

use base64ct::{Base64, Encoding};

use super::error::{FileKind, TlsError};
use super::{MAX_INPUT_BYTES, MAX_PEM_BLOCKS};

/// Longest label echoed back in a message: anything longer is not a real PEM label.
const MAX_LABEL_SHOWN: usize = 40;

/// One `-----BEGIN X-----` … `-----END X-----` block.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub file: FileKind,
    /// 1-based position among the blocks of its file, as messages name it.
    pub index: usize,
    pub label: String,
    /// An RFC 1421 `Proc-Type: 4,ENCRYPTED` header (traditional encrypted PKCS#1 or SEC1 keys).
    pub proc_type_encrypted: bool,
    /// The decoded body; `None` when the block is broken (its error is in `Scan::errors`).
    pub der: Option<Vec<u8>>,
}

#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub blocks: Vec<Block>,
    pub errors: Vec<TlsError>,
}

/// Reads every block of `text`. A file over the size limit or with too many blocks is refused
/// whole (no blocks), so a hostile input costs at most one linear pass.
pub(crate) fn scan(text: &str, file: FileKind) -> Scan {
    if text.len() > MAX_INPUT_BYTES {
        return refused(TlsError::TooLarge {
            file,
            size: text.len(),
        });
    }
    let mut scan = Scan::default();
    let mut open: Option<Open> = None;
    let mut count = 0usize;
    for line in text.lines() {
        let line = line.trim();
        if let Some(label) = boundary(line, "-----BEGIN ") {
            if let Some(previous) = open.take() {
                scan.push_broken(previous.unterminated(file));
            }
            count += 1;
            if count > MAX_PEM_BLOCKS {
                return refused(TlsError::TooManyBlocks { file });
            }
            open = Some(Open::new(count, label));
        } else if let Some(end_label) = boundary(line, "-----END ") {
            // A stray END outside any block is ignored, like any other text between blocks.
            if let Some(block) = open.take() {
                scan.finish(block, end_label, file);
            }
        } else if let Some(block) = open.as_mut() {
            block.push_line(line);
        }
    }
    if let Some(block) = open.take() {
        scan.push_broken(block.unterminated(file));
    }
    if count == 0 {
        scan.errors.push(TlsError::NoPem { file });
    }
    scan
}

fn refused(error: TlsError) -> Scan {
    Scan {
        blocks: Vec::new(),
        errors: vec![error],
    }
}

/// The label of a `-----BEGIN label-----` / `-----END label-----` line.
fn boundary<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    line.strip_prefix(prefix)?
        .strip_suffix("-----")
        .map(str::trim)
}

fn shown_label(label: &str) -> String {
    if label.chars().count() > MAX_LABEL_SHOWN {
        let mut short: String = label.chars().take(MAX_LABEL_SHOWN).collect();
        short.push('…');
        short
    } else {
        label.to_owned()
    }
}

struct Open {
    index: usize,
    label: String,
    body_started: bool,
    proc_type_encrypted: bool,
    body: String,
}

impl Open {
    fn new(index: usize, label: &str) -> Open {
        Open {
            index,
            label: shown_label(label),
            body_started: false,
            proc_type_encrypted: false,
            body: String::new(),
        }
    }

    fn push_line(&mut self, line: &str) {
        // RFC 1421 headers come before the body: `Name: value` lines, then a blank line.
        // Base64 never contains ':', so a colon before the body starts marks a header.
        if !self.body_started && line.contains(':') {
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("Proc-Type")
                    && value.to_ascii_uppercase().contains("ENCRYPTED")
                {
                    self.proc_type_encrypted = true;
                }
            }
            return;
        }
        if line.is_empty() {
            return;
        }
        self.body_started = true;
        self.body
            .extend(line.chars().filter(|c| !c.is_ascii_whitespace()));
    }

    fn unterminated(self, file: FileKind) -> (Block, TlsError) {
        let error = TlsError::Unterminated {
            file,
            index: self.index,
            label: self.label.clone(),
        };
        (self.into_block(file, None), error)
    }

    fn into_block(self, file: FileKind, der: Option<Vec<u8>>) -> Block {
        Block {
            file,
            index: self.index,
            label: self.label,
            proc_type_encrypted: self.proc_type_encrypted,
            der,
        }
    }
}

impl Scan {
    fn push_broken(&mut self, (block, error): (Block, TlsError)) {
        self.blocks.push(block);
        self.errors.push(error);
    }

    fn finish(&mut self, open: Open, end_label: &str, file: FileKind) {
        if end_label != open.label {
            let error = TlsError::MismatchedEnd {
                file,
                index: open.index,
                label: open.label.clone(),
                end_label: shown_label(end_label),
            };
            self.push_broken((open.into_block(file, None), error));
            return;
        }
        match Base64::decode_vec(&open.body) {
            Ok(der) if !der.is_empty() => self.blocks.push(open.into_block(file, Some(der))),
            _ => {
                let error = TlsError::BadBase64 {
                    file,
                    index: open.index,
                    label: open.label.clone(),
                };
                self.push_broken((open.into_block(file, None), error));
            }
        }
    }
}

/// PEM text of one block: 64-column base64, `\n` line ends, as openssl writes it.
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    let body = Base64::encode_string(der);
    let mut out = String::with_capacity(body.len() + body.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    // base64 is ASCII, so every 64-byte chunk is whole characters.
    for chunk in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CERT: &str = "-----BEGIN CERTIFICATE-----\nAAEC\n-----END CERTIFICATE-----\n";

    #[test]
    fn reads_blocks_between_other_text_and_with_crlf() {
        let text = format!(
            "Bag Attributes\r\nsubject=CN=x\r\n{}",
            CERT.replace('\n', "\r\n")
        );
        let scan = scan(&text, FileKind::Certificate);
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        assert_eq!(scan.blocks.len(), 1);
        assert_eq!(scan.blocks[0].label, "CERTIFICATE");
        assert_eq!(scan.blocks[0].der.as_deref(), Some(&[0u8, 1, 2][..]));
    }

    #[test]
    fn notes_the_proc_type_header_of_an_encrypted_traditional_key() {
        let text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\
                    DEK-Info: AES-256-CBC,00\n\nAAEC\n-----END RSA PRIVATE KEY-----\n";
        let scan = scan(text, FileKind::Key);
        assert!(scan.errors.is_empty(), "{:?}", scan.errors);
        assert!(scan.blocks[0].proc_type_encrypted);
    }

    #[test]
    fn names_truncated_mismatched_and_undecodable_blocks() {
        let text = format!(
            "{CERT}-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n\
             -----BEGIN CERTIFICATE-----\nAAEC\n-----END PRIVATE KEY-----\n\
             -----BEGIN CERTIFICATE-----\nAAEC\n"
        );
        let scan = scan(&text, FileKind::Certificate);
        let codes: Vec<_> = scan.errors.iter().map(TlsError::code).collect();
        assert_eq!(
            codes,
            [
                "tls_block_bad_base64",
                "tls_block_mismatched_end",
                "tls_block_unterminated"
            ]
        );
        assert_eq!(
            scan.errors[0].to_string(),
            "block 2 (CERTIFICATE) of the certificate file is not valid base64; the file may be \
             damaged or truncated"
        );
        assert_eq!(scan.blocks.len(), 4);
        assert!(scan.blocks[1..].iter().all(|b| b.der.is_none()));
    }

    #[test]
    fn refuses_too_many_blocks_and_too_much_text() {
        let many = CERT.repeat(MAX_PEM_BLOCKS + 1);
        let scan_many = scan(&many, FileKind::Certificate);
        assert_eq!(scan_many.errors[0].code(), "tls_too_many_blocks");
        assert!(scan_many.blocks.is_empty());
        assert_eq!(
            scan(&CERT.repeat(MAX_PEM_BLOCKS), FileKind::Key)
                .blocks
                .len(),
            32
        );
        let big = "x".repeat(MAX_INPUT_BYTES + 1);
        assert_eq!(
            scan(&big, FileKind::Key).errors,
            [TlsError::TooLarge {
                file: FileKind::Key,
                size: MAX_INPUT_BYTES + 1
            }]
        );
    }

    #[test]
    fn text_without_blocks_says_so() {
        assert_eq!(
            scan("hello", FileKind::Certificate).errors,
            [TlsError::NoPem {
                file: FileKind::Certificate
            }]
        );
    }

    #[test]
    fn encodes_64_column_lines_that_read_back() {
        let der: Vec<u8> = (0..=255).collect();
        let pem = encode("CERTIFICATE", &der);
        assert!(pem.lines().all(|l| l.len() <= 64));
        let scan = scan(&pem, FileKind::Certificate);
        assert_eq!(scan.blocks[0].der.as_deref(), Some(&der[..]));
    }
}

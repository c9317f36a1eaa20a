//! Whether text or a decoded JSON document holds a private key, however it is spelled (SPEC §5:
//! keys never reach the control plane). The server applies it to every request after decoding
//! (JSON escapes, form and query encoding), so `-----BEGIN EC PRIVATE\u0020KEY-----` is judged as
//! the text it becomes, not as the bytes that were sent.
//!
//! Two independent signs, either one enough:
//!
//! - a PEM header of a private key in any spelling: any case, any whitespace (including no-break
//!   and zero-width spaces) and any dash-like character, e.g. `- - - - -begin rsa  PRIVATE KEY`;
//!   also the OpenSSH and PuTTY key formats;
//! - bare base64 (standard or URL-safe, with or without line breaks) that decodes to the DER of a
//!   PKCS#1 `RSAPrivateKey`, a PKCS#8 `PrivateKeyInfo` (plain or encrypted) or a SEC1
//!   `ECPrivateKey`, as the RustCrypto parsers read them. Certificates are DER too and are sent in
//!   every chain: they are a different structure and never match.
//!
//! Linear in the input: every DER candidate is first judged on its first few bytes, and the work
//! spent on full parses is capped; an input built to exceed that cap (thousands of key-shaped
//! fragments) is judged to hold a key — erring on the side of refusing.

use der::asn1::OctetStringRef;
use der::{Decode, Reader, SliceReader};
use spki::AlgorithmIdentifierRef;

/// The largest private key DER looked for: RSA 16384-bit PKCS#8 is about 9.4 KiB.
const MAX_KEY_DER: usize = 16 * 1024;
/// The smallest: an Ed25519 PKCS#8 key is 48 bytes.
const MIN_KEY_DER: usize = 48;
/// Most characters between `BEGIN` and `PRIVATE KEY` (`ENCRYPTED`, `OPENSSH`, `SSH2 ENCRYPTED`,
/// `PGP`…).
const MAX_LABEL_PREFIX: usize = 24;

/// Whether `text` holds a private key (PEM in any spelling, or bare base64 DER).
pub fn text_holds_private_key(text: &str) -> bool {
    has_key_header(text) || has_base64_key(text)
}

/// Whether any string of `value` — every string value and every object key, at any depth —
/// holds a private key.
pub fn json_holds_private_key(value: &serde_json::Value) -> bool {
    crate::text::any_json_string(value, text_holds_private_key)
}

/// `text` with JSON-style escapes (`\n`, `\"`, `\u0020`, …) decoded wherever they appear, for
/// judging a body that claims to be JSON but does not parse: what a lenient reader might still
/// make of it. Unknown or broken escapes are kept as they are.
pub fn unescape_json_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('n') => push_skip(&mut out, &mut chars, '\n'),
            Some('r') => push_skip(&mut out, &mut chars, '\r'),
            Some('t') => push_skip(&mut out, &mut chars, '\t'),
            Some('b') => push_skip(&mut out, &mut chars, '\u{8}'),
            Some('f') => push_skip(&mut out, &mut chars, '\u{c}'),
            Some(e @ ('"' | '\\' | '/')) => push_skip(&mut out, &mut chars, e),
            Some('u') => {
                let mut probe = chars.clone();
                probe.next();
                let hex: String = probe.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                {
                    Some(code) => {
                        // A lone surrogate half is no character; a space keeps the text's shape.
                        out.push(char::from_u32(code).unwrap_or(' '));
                        chars = probe;
                    }
                    None => out.push('\\'),
                }
            }
            _ => out.push('\\'),
        }
    }
    out
}

fn push_skip(out: &mut String, chars: &mut std::iter::Peekable<std::str::Chars<'_>>, c: char) {
    out.push(c);
    chars.next();
}

/// Characters that show as nothing: zero-width spaces and joiners, the word joiner, the byte
/// order mark, the soft hyphen. Dropped like whitespace, so they cannot split a header.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
    )
}

/// Hyphens, dashes and minus signs of every script, and the full-width hyphen-minus.
fn is_dash(c: char) -> bool {
    let dashes = '\u{2010}'..='\u{2015}';
    dashes.contains(&c)
        || matches!(
            c,
            '-' | '\u{2212}' | '\u{2e3a}' | '\u{2e3b}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}'
        )
}

/// Upper case, without whitespace or invisible characters, every dash as `-`, full-width
/// letters as ASCII.
fn squeezed(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() || is_invisible(c) {
            continue;
        }
        if is_dash(c) {
            out.push(b'-');
            continue;
        }
        // Full-width ASCII (U+FF01–U+FF5E) reads as ASCII.
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        };
        if c.is_ascii() {
            out.push(c.to_ascii_uppercase() as u8);
        } else {
            // Any other character: something that is not part of a header.
            out.push(b'?');
        }
    }
    out
}

fn has_key_header(text: &str) -> bool {
    let s = squeezed(text);
    let markers: [&[u8]; 2] = [b"PUTTY-USER-KEY-FILE-", b"PRIVATE-LINES:"];
    for marker in markers {
        if find(&s, 0, marker).is_some() {
            return true;
        }
    }
    let mut from = 0;
    while let Some(at) = find(&s, from, b"PRIVATEKEY") {
        from = at + 1;
        let dash_after = s.get(at + 10) == Some(&b'-');
        // Back from PRIVATEKEY over the rest of the label (anything but a dash) to BEGIN.
        let label_start = s
            .get(..at)
            .unwrap_or_default()
            .iter()
            .rev()
            .take(MAX_LABEL_PREFIX + 5)
            .take_while(|b| **b != b'-')
            .count();
        let window = s.get(at - label_start..at).unwrap_or_default();
        let Some(begin) = find(window, 0, b"BEGIN") else {
            continue;
        };
        let begin_at = at - label_start + begin;
        let dash_before = begin_at > 0 && s.get(begin_at - 1) == Some(&b'-');
        if dash_before || dash_after {
            return true;
        }
    }
    false
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Padding `=` in the stream of base64 digits.
const PAD: u8 = 64;
/// Anything that is neither a base64 digit nor whitespace ends a run of base64.
const BREAK: u8 = 65;

/// The text as base64 digit values (standard and URL-safe alphabets alike), whitespace and
/// invisible characters dropped, other characters as [`BREAK`].
fn sextets(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        let v = match c {
            'A'..='Z' => c as u8 - b'A',
            'a'..='z' => c as u8 - b'a' + 26,
            '0'..='9' => c as u8 - b'0' + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => PAD,
            c if c.is_whitespace() || is_invisible(c) => continue,
            _ => BREAK,
        };
        out.push(v);
    }
    out
}

/// Up to `n` bytes decoded from the digits at `at`, stopping at padding or a break.
fn decode(stream: &[u8], at: usize, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &v in stream.get(at..).unwrap_or_default() {
        if v >= PAD || out.len() >= n {
            break;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// "openssh-key-v1\0" in base64: the start of every OpenSSH private key body.
const OPENSSH_MAGIC: &[u8] = b"b3BlbnNzaC1rZXktdjEA";

fn has_base64_key(text: &str) -> bool {
    if text.len() < MIN_KEY_DER * 4 / 3 {
        return false;
    }
    if find(text.as_bytes(), 0, OPENSSH_MAGIC).is_some() {
        return true;
    }
    let stream = sextets(text);
    // Full parses may decode at most this much in all; see the module comment.
    let mut budget = 4 * stream.len() + 4 * MAX_KEY_DER;
    // Every DER SEQUENCE starts with 0x30, whose first six bits are the digit 'M' (12).
    for at in (0..stream.len()).filter(|i| stream.get(*i) == Some(&12)) {
        let head = decode(&stream, at, 24);
        let Some(total) = key_shaped(&head) else {
            continue;
        };
        if total > budget {
            return true;
        }
        budget -= total;
        let der = decode(&stream, at, total);
        if der.len() == total && is_private_key_der(&der) {
            return true;
        }
    }
    false
}

/// The whole length of the DER starting with `head` if its first bytes look like a private key:
/// a SEQUENCE of plausible size whose first element is version 0 or 1 (PKCS#1, PKCS#8, SEC1), or
/// a SEQUENCE whose first element is a password-based encryption algorithm (encrypted PKCS#8).
fn key_shaped(head: &[u8]) -> Option<usize> {
    if head.first() != Some(&0x30) {
        return None;
    }
    let (len, header) = der_length(head.get(1..)?)?;
    let total = 1 + header + len;
    if !(MIN_KEY_DER..=MAX_KEY_DER).contains(&total) {
        return None;
    }
    let body = head.get(1 + header..)?;
    if matches!(body.get(..3), Some([0x02, 0x01, 0x00 | 0x01])) {
        return Some(total);
    }
    // SEQUENCE { SEQUENCE { OID pkcs-5 (1.2.840.113549.1.5.*) or pkcs-12 PBE
    // (1.2.840.113549.1.12.1.*) … } … }
    if body.first() != Some(&0x30) {
        return None;
    }
    let (_, inner_header) = der_length(body.get(1..)?)?;
    let oid = body.get(1 + inner_header..)?;
    const PKCS5: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
    const PKCS12_PBE: &[u8] = &[
        0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01,
    ];
    (oid.starts_with(PKCS5) || oid.starts_with(PKCS12_PBE)).then_some(total)
}

/// A DER length: (value, bytes it took). Definite, at most two length bytes.
fn der_length(bytes: &[u8]) -> Option<(usize, usize)> {
    match *bytes.first()? {
        n @ 0..=0x7f => Some((usize::from(n), 1)),
        0x81 => Some((usize::from(*bytes.get(1)?), 2)),
        0x82 => Some((
            usize::from(*bytes.get(1)?) << 8 | usize::from(*bytes.get(2)?),
            3,
        )),
        _ => None,
    }
}

fn is_private_key_der(der: &[u8]) -> bool {
    pkcs1::RsaPrivateKeyRef::from_der(der).is_ok()
        || pkcs8::PrivateKeyInfoRef::from_der(der).is_ok()
        || sec1::EcPrivateKey::from_der(der).is_ok()
        || is_encrypted_pkcs8(der)
}

/// `EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier,
/// encryptedData OCTET STRING }` (RFC 5958), read structurally: decrypting needs no support here.
fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    let Ok(mut reader) = SliceReader::new(der) else {
        return false;
    };
    let read = reader.sequence(|r: &mut SliceReader<'_>| {
        AlgorithmIdentifierRef::decode(r)?;
        <&OctetStringRef>::decode(r)?;
        Ok::<(), der::Error>(())
    });
    read.is_ok() && reader.is_finished()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: [(&str, &str); 7] = [
        (
            "pkcs8 rsa",
            include_str!("../../tests/fixtures/tls/keys/leaf-rsa2048.key.pem"),
        ),
        (
            "pkcs1 rsa",
            include_str!("../../tests/fixtures/tls/keys/leaf-rsa2048.pkcs1.pem"),
        ),
        (
            "pkcs8 ec",
            include_str!("../../tests/fixtures/tls/keys/leaf-ec-p256.key.pem"),
        ),
        (
            "sec1 ec",
            include_str!("../../tests/fixtures/tls/keys/leaf-ec-p256.sec1.pem"),
        ),
        (
            "encrypted pkcs8",
            include_str!("../../tests/fixtures/tls/keys/leaf-rsa2048.encrypted-pkcs8.pem"),
        ),
        (
            "rsa 1024",
            include_str!("../../tests/fixtures/tls/keys/leaf-rsa1024.key.pem"),
        ),
        (
            "rsa 4096",
            include_str!("../../tests/fixtures/tls/keys/leaf-rsa4096.key.pem"),
        ),
    ];
    const CHAIN: &str = include_str!("../../tests/fixtures/tls/browser/chain.pem");
    const PUBLIC_CHAIN: &str = include_str!("../../tests/fixtures/tls/public/crates-io-chain.pem");
    const PSS_CHAIN: &str = include_str!("../../tests/fixtures/tls/pss/chain.pem");

    /// The base64 body of a PEM file (between its BEGIN and END lines), line breaks kept.
    fn body(pem: &str) -> String {
        pem.lines()
            .filter(|l| !l.starts_with("-----") && !l.contains(':') && !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn header_spellings_are_all_caught() {
        for header in [
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN DSA PRIVATE KEY-----",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----",
            "-----begin ec private key-----",
            "-----BEGIN EC PRIVATE\u{20}KEY-----",
            "-----BEGIN EC\u{a0}PRIVATE\u{a0}KEY-----",
            "-----BEGIN  RSA   PRIVATE\tKEY-----",
            "-----BEGIN PRIVATE\nKEY-----",
            "-----BEGINPRIVATEKEY-----",
            "- - - - - B E G I N  P R I V A T E  K E Y - - - - -",
            "-----BEGIN PRI\u{200b}VATE KEY-----",
            "-----BEGIN PRIVATE\u{feff} KEY-----",
            "-----BEGIN X.509 PRIVATE KEY-----",
            "\u{2014}\u{2014}BEGIN PRIVATE KEY\u{2014}\u{2014}",
            "\u{2013}\u{2013}\u{2013}\u{2013}\u{2013}BEGIN RSA PRIVATE KEY",
            "－－－－－ＢＥＧＩＮ ＰＲＩＶＡＴＥ ＫＥＹ－－－－－",
            "BEGIN PRIVATE KEY-----",
            "text before -----BEGIN PRIVATE KEY----- and after",
            "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----",
            "PuTTY-User-Key-File-3: ssh-ed25519",
        ] {
            assert!(text_holds_private_key(header), "{header:?}");
        }
    }

    #[test]
    fn ordinary_text_and_certificates_are_not_keys() {
        for text in [
            "",
            "PRIVATE KEY without a BEGIN line",
            "-----BEGIN",
            "-----BEGIN CERTIFICATE----- PRIVATE KEY",
            "-----BEGIN PUBLIC KEY-----",
            "Do not begin private key sharing",
            "begin: private key stays on your machine",
            "Payments 生产 — orders, begin here",
            CHAIN,
            PUBLIC_CHAIN,
            PSS_CHAIN,
        ] {
            assert!(!text_holds_private_key(text), "{text:?}");
        }
    }

    #[test]
    fn certificates_as_bare_base64_are_not_keys() {
        for chain in [CHAIN, PUBLIC_CHAIN, PSS_CHAIN] {
            let bare = body(chain);
            assert!(!text_holds_private_key(&bare));
            assert!(!text_holds_private_key(&bare.replace('\n', "")));
            let url_safe = bare.replace('+', "-").replace('/', "_");
            assert!(!text_holds_private_key(&url_safe));
        }
    }

    #[test]
    fn every_key_fixture_is_caught_as_pem_and_as_bare_base64() {
        for (name, pem) in FIXTURES {
            assert!(text_holds_private_key(pem), "{name} as PEM");
            let bare = body(pem);
            assert!(text_holds_private_key(&bare), "{name} with line breaks");
            let one_line = bare.replace('\n', "");
            assert!(text_holds_private_key(&one_line), "{name} on one line");
            let url_safe = one_line
                .replace('+', "-")
                .replace('/', "_")
                .trim_end_matches('=')
                .to_owned();
            assert!(text_holds_private_key(&url_safe), "{name} URL-safe");
            let spaced = bare.replace('\n', " \u{a0}\r\n ");
            assert!(text_holds_private_key(&spaced), "{name} with odd spacing");
            let embedded = format!("see {one_line} thanks");
            assert!(
                text_holds_private_key(&embedded),
                "{name} inside a sentence"
            );
            let glued = format!("key:{one_line}");
            assert!(text_holds_private_key(&glued), "{name} after a colon");
            let renamed = pem
                .replace("PRIVATE KEY", "CERTIFICATE")
                .replace("RSA CERTIFICATE", "CERTIFICATE")
                .replace("EC CERTIFICATE", "CERTIFICATE")
                .replace("ENCRYPTED CERTIFICATE", "CERTIFICATE");
            assert!(
                text_holds_private_key(&renamed),
                "{name} under another label"
            );
        }
    }

    #[test]
    fn ed25519_and_openssh_bodies_are_caught() {
        // RFC 8410 §10.3 example private key.
        let ed25519 = "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC";
        assert!(text_holds_private_key(ed25519));
        let openssh = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
        assert!(text_holds_private_key(openssh));
    }

    #[test]
    fn truncated_or_damaged_keys_are_not_keys_by_their_body() {
        let (_, pem) = FIXTURES[0];
        let one_line = body(pem).replace('\n', "");
        let half = &one_line[..one_line.len() / 2];
        assert!(!text_holds_private_key(half));
        assert!(!text_holds_private_key("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    }

    #[test]
    fn json_strings_and_keys_are_judged_after_decoding() {
        let sec1 = FIXTURES[3].1;
        let escaped = serde_json::json!({
            "name": "x",
            "description": "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----"
        });
        assert!(json_holds_private_key(&escaped));
        let parsed: serde_json::Value =
            serde_json::from_str(r#"{"d":"-----BEGIN EC PRIVATE\u0020KEY-----"}"#).unwrap();
        assert!(json_holds_private_key(&parsed));
        let nested = serde_json::json!({"tags": [{"key": "k", "value": body(sec1)}]});
        assert!(json_holds_private_key(&nested));
        let as_key = serde_json::json!({ body(sec1): 1 });
        assert!(json_holds_private_key(&as_key));
        let clean = serde_json::json!({"bundle_pem": CHAIN, "n": 3, "ok": true, "x": null});
        assert!(!json_holds_private_key(&clean));
    }

    #[test]
    fn json_like_escapes_are_decoded_leniently() {
        assert_eq!(
            unescape_json_like(r#"a\u0020b\nc\"d\\e\/f\x\u12"#),
            "a b\nc\"d\\e/f\\x\\u12"
        );
        assert!(text_holds_private_key(&unescape_json_like(
            r#"{"d":"-----BEGIN EC PRIVATE\u0020KEY-----"#
        )));
    }

    #[test]
    fn a_flood_of_key_shaped_fragments_is_refused_not_parsed_forever() {
        // Each fragment claims to be a 9 KiB RSA key but is not: past the work budget the input
        // counts as holding a key.
        let fragment = "MIIkQgIBADANBgkqhkiG9w0BAQEFAASCJCwwgiQoAgEAAoIIAQ ";
        let flood = fragment.repeat(20_000);
        assert!(text_holds_private_key(&flood));
        // A few of them are simply not keys.
        assert!(!text_holds_private_key(&fragment.repeat(3)));
    }
}

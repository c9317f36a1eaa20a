//! Real provisioning: the toolkit executes `byoc_core::provision`'s plan against a cloud's API
//! with the customer's own credentials, which never leave this machine. AWS and AWS China are
//! provisioned for real; the other clouds stay simulated until their engines land.

pub mod aliyun;
pub mod aws;
pub mod state;

/// RFC 3986 percent-encoding, as both AWS's SigV4 / Query protocol and Alibaba Cloud's V3
/// signature define it: unreserved characters stay, every other byte is `%XX` in upper case.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Lower-case hex of bytes (digests, signatures).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

//! What can be wrong with the files themselves, before any certificate rule applies: too large,
//! not PEM, broken blocks. These make the `pem_parse` check fail and are what `public_bundle`
//! returns, so the console, the toolkit and the server name the same problem the same way.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

use super::{MAX_CHAIN_CERTIFICATES, MAX_PEM_BLOCKS};

/// Which of the two inputs a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// The server certificate and its chain (possibly with the key in the same file).
    Certificate,
    /// The separate private key file.
    Key,
}

impl FileKind {
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FileKind::Certificate, Lang::En) => "certificate file",
            (FileKind::Key, Lang::En) => "key file",
            (FileKind::Certificate, Lang::ZhCn) => "证书文件",
            (FileKind::Key, Lang::ZhCn) => "私钥文件",
        }
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Lang::En))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TlsError {
    #[error(
        "the {file} is {size} bytes; the limit is 1 MiB (certificate and key files are a few KiB)"
    )]
    TooLarge { file: FileKind, size: usize },
    #[error(
        "the {file} has more than {MAX_PEM_BLOCKS} PEM blocks; a certificate bundle has a \
         handful (server certificate, intermediates, root)"
    )]
    TooManyBlocks { file: FileKind },
    #[error(
        "the files hold {count} certificates; a chain has at most {MAX_CHAIN_CERTIFICATES} (server \
         certificate, intermediates, root): remove the others"
    )]
    TooManyCertificates { count: usize },
    #[error(
        "the {file} holds no PEM block (-----BEGIN …-----); if it is binary DER, convert it \
         with `openssl x509 -inform der -in cert.der -out cert.pem`"
    )]
    NoPem { file: FileKind },
    #[error(
        "no certificate found: the certificate file needs a -----BEGIN CERTIFICATE----- block"
    )]
    NoCertificate,
    #[error("block {index} ({label}) of the {file} has no END line; the file may be truncated")]
    Unterminated {
        file: FileKind,
        index: usize,
        label: String,
    },
    #[error("block {index} of the {file} begins as {label} but ends as {end_label}")]
    MismatchedEnd {
        file: FileKind,
        index: usize,
        label: String,
        end_label: String,
    },
    #[error(
        "block {index} ({label}) of the {file} is not valid base64; the file may be damaged or \
         truncated"
    )]
    BadBase64 {
        file: FileKind,
        index: usize,
        label: String,
    },
    #[error("block {index} of the {file} is not a valid X.509 certificate ({reason})")]
    NotACertificate {
        file: FileKind,
        index: usize,
        reason: String,
    },
}

impl TlsError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TlsError::TooLarge { .. } => "tls_input_too_large",
            TlsError::TooManyBlocks { .. } => "tls_too_many_blocks",
            TlsError::TooManyCertificates { .. } => "tls_too_many_certificates",
            TlsError::NoPem { .. } => "tls_no_pem",
            TlsError::NoCertificate => "tls_no_certificate",
            TlsError::Unterminated { .. } => "tls_block_unterminated",
            TlsError::MismatchedEnd { .. } => "tls_block_mismatched_end",
            TlsError::BadBase64 { .. } => "tls_block_bad_base64",
            TlsError::NotACertificate { .. } => "tls_not_a_certificate",
        }
    }

    /// The message in `lang`: English is the `Display` text, Chinese says the same.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => self.message_zh(),
        }
    }

    fn message_zh(&self) -> String {
        let zh = Lang::ZhCn;
        match self {
            TlsError::TooLarge { file, size } => format!(
                "{}大小为 {size} 字节，上限为 1 MiB（证书和私钥文件通常只有几 KiB）",
                file.name(zh)
            ),
            TlsError::TooManyBlocks { file } => format!(
                "{}包含超过 {MAX_PEM_BLOCKS} 个 PEM 块；证书链通常只有几个（服务器证书、中间证书、根证书）",
                file.name(zh)
            ),
            TlsError::TooManyCertificates { count } => format!(
                "文件中有 {count} 个证书；证书链最多 {MAX_CHAIN_CERTIFICATES} 个（服务器证书、中间证书、根证书），请删除其余证书"
            ),
            TlsError::NoPem { file } => format!(
                "{}中没有 PEM 块（-----BEGIN …-----）；如果是二进制 DER 文件，请用 \
                 `openssl x509 -inform der -in cert.der -out cert.pem` 转换",
                file.name(zh)
            ),
            TlsError::NoCertificate => {
                "未找到证书：证书文件需要包含 -----BEGIN CERTIFICATE----- 块".to_owned()
            }
            TlsError::Unterminated { file, index, label } => format!(
                "{}的第 {index} 个块（{label}）没有 END 行，文件可能不完整",
                file.name(zh)
            ),
            TlsError::MismatchedEnd {
                file,
                index,
                label,
                end_label,
            } => format!(
                "{}的第 {index} 个块以 {label} 开始，却以 {end_label} 结束",
                file.name(zh)
            ),
            TlsError::BadBase64 { file, index, label } => format!(
                "{}的第 {index} 个块（{label}）不是有效的 base64，文件可能已损坏或不完整",
                file.name(zh)
            ),
            TlsError::NotACertificate {
                file,
                index,
                reason,
            } => format!(
                "{}的第 {index} 个块不是有效的 X.509 证书（{reason}）",
                file.name(zh)
            ),
        }
    }
}

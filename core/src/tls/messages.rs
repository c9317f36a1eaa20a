//! The words of every finding, in English and Chinese. Each message says what was found and,
//! when something is wrong, what to do about it.

use chrono::{DateTime, Utc};

use crate::lang::Lang;

use super::chain::ChainEnd;
use super::error::TlsError;
use super::findings::{Finding, IgnoredBlock};
use super::MAX_RSA_BITS;

/// How many parse problems a message lists before summarising the rest.
const PROBLEMS_SHOWN: usize = 3;

fn date(d: &DateTime<Utc>) -> String {
    d.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn count_en(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {one}"),
        1 => format!("1 {one}"),
        _ => format!("{n} {many}"),
    }
}

fn problems(errors: &[TlsError], lang: Lang) -> String {
    let shown: Vec<String> = errors
        .iter()
        .take(PROBLEMS_SHOWN)
        .map(|e| e.message(lang))
        .collect();
    let more = errors.len().saturating_sub(PROBLEMS_SHOWN);
    match (lang, more) {
        (Lang::En, 0) => format!("{}.", shown.join("; ")),
        (Lang::En, n) => format!("{} (and {n} more problems).", shown.join("; ")),
        (Lang::ZhCn, 0) => format!("{}。", shown.join("；")),
        (Lang::ZhCn, n) => format!("{}（另有 {n} 个问题）。", shown.join("；")),
    }
}

fn ignored_en(ignored: &[IgnoredBlock]) -> String {
    let blocks: Vec<String> = ignored
        .iter()
        .map(|b| format!("block {} ({}) of the {}", b.index, b.label, b.file))
        .collect();
    format!(
        " Ignored {}: only certificates and private keys are used.",
        blocks.join(", ")
    )
}

fn ignored_zh(ignored: &[IgnoredBlock]) -> String {
    let blocks: Vec<String> = ignored
        .iter()
        .map(|b| {
            format!(
                "{}的第 {} 个块（{}）",
                b.file.name(Lang::ZhCn),
                b.index,
                b.label
            )
        })
        .collect();
    format!("已忽略{}：只使用证书和私钥。", blocks.join("、"))
}

impl Finding {
    pub(crate) fn english(&self) -> String {
        use Finding::*;
        match self {
            PemRead {
                certificates,
                keys,
                ignored,
            } => {
                let mut text = format!(
                    "Read {} and {}.",
                    count_en(*certificates, "certificate", "certificates"),
                    count_en(*keys, "private key", "private keys")
                );
                if !ignored.is_empty() {
                    text.push_str(&ignored_en(ignored));
                }
                text
            }
            PemErrors(errors) => problems(errors, Lang::En),
            V3 => "The server certificate is X.509 v3.".to_owned(),
            NotV3 { version } => format!(
                "The server certificate is X.509 v{version}; BYOC needs v3 (with extensions such \
                 as subjectAltName): have it reissued."
            ),
            RsaStrong { bits } => format!("The key is RSA {bits} bits."),
            RsaWeak { bits } => format!(
                "The key is RSA {bits} bits: accepted, but weak; use RSA 2048 when you renew."
            ),
            RsaTooSmall { bits } => format!(
                "The key is RSA {bits} bits, below the 1024-bit minimum; reissue the certificate \
                 with an RSA 2048 key."
            ),
            RsaTooLarge { bits } => format!(
                "The key is RSA {bits} bits, above the {MAX_RSA_BITS}-bit maximum; reissue the \
                 certificate with an RSA 2048 key."
            ),
            KeyNotRsa { key_type } => format!(
                "The key is {key_type}; BYOC accepts only RSA keys (2048 bits, or 1024): reissue \
                 the certificate with an RSA key."
            ),
            InOrder { count: 1 } => "The server certificate is the only certificate.".to_owned(),
            InOrder { count } => format!(
                "The {count} certificates are in order: the server certificate first, then each \
                 issuer."
            ),
            OutOfOrder { reordered, strays } => {
                let mut parts = Vec::new();
                if *reordered {
                    parts.push(
                        "The certificates are out of order; download the corrected bundle \
                         (server certificate first, then each issuer)."
                            .to_owned(),
                    );
                }
                if !strays.is_empty() {
                    parts.push(format!(
                        "Not part of the chain, so left out of the corrected bundle: {}.",
                        strays.join("; ")
                    ));
                }
                parts.join(" ")
            }
            Chain(end) => chain_en(end),
            CaSigned { issuer } => {
                format!("The server certificate is signed by a certificate authority ({issuer}).")
            }
            SelfSigned => "The server certificate is self-signed; BYOC accepts only certificates \
                           signed by a certificate authority."
                .to_owned(),
            Valid {
                not_after,
                days_left,
            } => {
                format!("Valid until {} ({days_left} days left).", date(not_after))
            }
            Expired { not_after } => {
                format!("The certificate expired on {}; renew it.", date(not_after))
            }
            NotYetValid { not_before } => format!(
                "The certificate is not valid before {}; use it from then on, or check the clock \
                 of this computer.",
                date(not_before)
            ),
            ExpiresSoon {
                not_after,
                days_left,
            } => format!(
                "The certificate expires on {}, in {days_left} days; BYOC does not accept a \
                 certificate within 30 days of expiry: renew it first.",
                date(not_after)
            ),
            ChainCertExpired { subject, not_after } => format!(
                "The chain certificate {subject} expired on {}; get the current one from your CA.",
                date(not_after)
            ),
            ChainCertNotYetValid {
                subject,
                not_before,
            } => format!(
                "The chain certificate {subject} is not valid before {}.",
                date(not_before)
            ),
            DomainMissing => {
                "Enter the domain clients connect to, to check the certificate against it."
                    .to_owned()
            }
            DomainInvalid(e) => e.message(Lang::En),
            DomainMatchesAltName { domain, name } if name.eq_ignore_ascii_case(domain) => {
                format!("The certificate names {domain}.")
            }
            DomainMatchesAltName { domain, name } => {
                format!("The certificate covers {domain} through {name}.")
            }
            DomainMatchesCommonNameOnly { domain } => format!(
                "The certificate names {domain} only in its common name (CN) and has no \
                 subjectAltName; many clients ignore the CN: prefer a certificate that lists \
                 {domain} as a subjectAltName."
            ),
            DomainNoMatch { domain, names } if names.is_empty() => {
                format!("The certificate names no domain, so it does not cover {domain}.")
            }
            DomainNoMatch { domain, names } => format!(
                "The certificate does not cover {domain}; it is for {}.",
                names.join(", ")
            ),
            KeyFound { file } => {
                format!("A private key was found in the {file}; it stays on this computer.")
            }
            KeyMissing => "No private key was given: add the key file (PEM). It is checked here \
                           and never uploaded."
                .to_owned(),
            KeysSeveral { count } => format!(
                "{count} different private keys were found; give only the server certificate's \
                 key."
            ),
            KeyUnencrypted => "The private key is not encrypted.".to_owned(),
            KeyEncrypted => "The private key is encrypted: remove the passphrase (openssl pkey \
                             -in key.pem -out key-plain.pem) and use the plain key."
                .to_owned(),
            KeyPkcs1 => "The private key is PKCS#1 (RSA PRIVATE KEY).".to_owned(),
            KeyPkcs8 => "The private key is PKCS#8 (PRIVATE KEY).".to_owned(),
            KeySec1 => "The private key is SEC1 (EC PRIVATE KEY); BYOC needs PKCS#1 or PKCS#8: \
                        convert it with openssl pkcs8 -topk8 -nocrypt -in key.pem -out \
                        key-pkcs8.pem."
                .to_owned(),
            KeyUnsupportedFormat { label } => format!(
                "The private key is {label}, neither PKCS#1 nor PKCS#8; export it as PEM PKCS#8 \
                 (openssl pkey -in key.pem -out key-pkcs8.pem)."
            ),
            KeyUnreadable(problem) => {
                format!("The private key cannot be read: {}.", problem.english())
            }
            KeyMatches => "The private key belongs to the server certificate.".to_owned(),
            KeyOfAnotherCertificate => "The private key does not belong to the server \
                                        certificate; it is the key of another certificate."
                .to_owned(),
            KeyOfAnotherType {
                key_type,
                cert_type,
            } => format!(
                "The private key is an {key_type} key but the server certificate's key is \
                 {cert_type}; they do not belong together."
            ),
            IssuerTypeMatches { key_type } => {
                format!("The server certificate's key type ({key_type}) matches its issuer's.")
            }
            IssuerTypeDiffers {
                key_type,
                issuer_type,
            } => format!(
                "The server certificate's key is {key_type} but its issuer signs with \
                 {issuer_type}; BYOC needs the same type (an RSA CA for an RSA certificate)."
            ),
            IssuerTypeUnknown { algorithm } => format!(
                "The issuer's key type cannot be told from the signature algorithm {algorithm}."
            ),
        }
    }

    pub(crate) fn chinese(&self) -> String {
        use Finding::*;
        match self {
            PemRead { certificates, keys, ignored } => {
                let mut text = format!("读取到 {certificates} 个证书和 {keys} 个私钥。");
                if !ignored.is_empty() {
                    text.push_str(&ignored_zh(ignored));
                }
                text
            }
            PemErrors(errors) => problems(errors, Lang::ZhCn),
            V3 => "服务器证书为 X.509 v3。".to_owned(),
            NotV3 { version } => format!(
                "服务器证书为 X.509 v{version}；BYOC 要求 v3（含 subjectAltName 等扩展），请重新签发。"
            ),
            RsaStrong { bits } => format!("密钥为 RSA {bits} 位。"),
            RsaWeak { bits } => {
                format!("密钥为 RSA {bits} 位：可以使用，但强度较弱，续期时请改用 RSA 2048。")
            }
            RsaTooSmall { bits } => format!(
                "密钥为 RSA {bits} 位，低于 1024 位的下限；请使用 RSA 2048 密钥重新签发证书。"
            ),
            RsaTooLarge { bits } => format!(
                "密钥为 RSA {bits} 位，超过 {MAX_RSA_BITS} 位的上限；请使用 RSA 2048 密钥重新签发证书。"
            ),
            KeyNotRsa { key_type } => format!(
                "密钥为 {key_type}；BYOC 只接受 RSA 密钥（2048 位或 1024 位），请使用 RSA 密钥重新签发证书。"
            ),
            InOrder { count: 1 } => "文件中只有服务器证书。".to_owned(),
            InOrder { count } => {
                format!("{count} 个证书顺序正确：服务器证书在前，其后依次为各级签发者。")
            }
            OutOfOrder { reordered, strays } => {
                let mut text = String::new();
                if *reordered {
                    text.push_str(
                        "证书顺序不正确；请下载已更正的证书文件（服务器证书在前，其后依次为各级签发者）。",
                    );
                }
                if !strays.is_empty() {
                    text.push_str(&format!(
                        "以下证书不属于该证书链，已从更正后的文件中移除：{}。",
                        strays.join("；")
                    ));
                }
                text
            }
            Chain(end) => chain_zh(end),
            CaSigned { issuer } => format!("服务器证书由证书颁发机构（{issuer}）签发。"),
            SelfSigned => {
                "服务器证书为自签名证书；BYOC 只接受由证书颁发机构签发的证书。".to_owned()
            }
            Valid { not_after, days_left } => {
                format!("有效期至 {}（剩余 {days_left} 天）。", date(not_after))
            }
            Expired { not_after } => format!("证书已于 {} 过期，请续期。", date(not_after)),
            NotYetValid { not_before } => format!(
                "证书在 {} 之前无效；请在此时间之后使用，或检查本机时钟。",
                date(not_before)
            ),
            ExpiresSoon { not_after, days_left } => format!(
                "证书将于 {} 过期（剩余 {days_left} 天）；BYOC 不接受距到期不足 30 天的证书，请先续期。",
                date(not_after)
            ),
            ChainCertExpired { subject, not_after } => format!(
                "证书链中的 {subject} 已于 {} 过期，请向 CA 获取当前有效的证书。",
                date(not_after)
            ),
            ChainCertNotYetValid { subject, not_before } => {
                format!("证书链中的 {subject} 在 {} 之前无效。", date(not_before))
            }
            DomainMissing => "请输入客户端连接的域名，以便核对证书。".to_owned(),
            DomainInvalid(e) => e.message(Lang::ZhCn),
            DomainMatchesAltName { domain, name } if name.eq_ignore_ascii_case(domain) => {
                format!("证书包含域名 {domain}。")
            }
            DomainMatchesAltName { domain, name } => {
                format!("证书通过 {name} 覆盖域名 {domain}。")
            }
            DomainMatchesCommonNameOnly { domain } => format!(
                "证书仅在通用名称（CN）中包含 {domain}，没有 subjectAltName；许多客户端会忽略 CN，\
                 建议使用将 {domain} 列为 subjectAltName 的证书。"
            ),
            DomainNoMatch { domain, names } if names.is_empty() => {
                format!("证书不包含任何域名，因此不适用于 {domain}。")
            }
            DomainNoMatch { domain, names } => {
                format!("证书不适用于 {domain}，它签发给：{}。", names.join("、"))
            }
            KeyFound { file } => format!(
                "在{}中找到私钥；私钥只保留在本机。",
                file.name(Lang::ZhCn)
            ),
            KeyMissing => {
                "未提供私钥：请添加私钥文件（PEM）。私钥只在本机检查，不会上传。".to_owned()
            }
            KeysSeveral { count } => {
                format!("找到 {count} 个不同的私钥；请只提供服务器证书的私钥。")
            }
            KeyUnencrypted => "私钥未加密。".to_owned(),
            KeyEncrypted => "私钥已加密：请移除密码（openssl pkey -in key.pem -out \
                             key-plain.pem）后使用未加密的私钥。"
                .to_owned(),
            KeyPkcs1 => "私钥格式为 PKCS#1（RSA PRIVATE KEY）。".to_owned(),
            KeyPkcs8 => "私钥格式为 PKCS#8（PRIVATE KEY）。".to_owned(),
            KeySec1 => "私钥格式为 SEC1（EC PRIVATE KEY）；BYOC 要求 PKCS#1 或 PKCS#8，请用 \
                        openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem 转换。"
                .to_owned(),
            KeyUnsupportedFormat { label } => format!(
                "私钥格式为 {label}，既不是 PKCS#1 也不是 PKCS#8；请导出为 PEM 格式的 PKCS#8\
                 （openssl pkey -in key.pem -out key-pkcs8.pem）。"
            ),
            KeyUnreadable(problem) => format!("无法读取私钥：{}。", problem.chinese()),
            KeyMatches => "私钥与服务器证书匹配。".to_owned(),
            KeyOfAnotherCertificate => {
                "私钥与服务器证书不匹配，它是另一个证书的私钥。".to_owned()
            }
            KeyOfAnotherType { key_type, cert_type } => format!(
                "私钥为 {key_type} 密钥，而服务器证书的密钥为 {cert_type}，二者不匹配。"
            ),
            IssuerTypeMatches { key_type } => {
                format!("服务器证书的密钥类型（{key_type}）与签发者一致。")
            }
            IssuerTypeDiffers { key_type, issuer_type } => format!(
                "服务器证书的密钥为 {key_type}，而签发者使用 {issuer_type} 签名；BYOC 要求二者类型\
                 一致（RSA 证书须由 RSA CA 签发）。"
            ),
            IssuerTypeUnknown { algorithm } => {
                format!("无法从签名算法 {algorithm} 判断签发者的密钥类型。")
            }
        }
    }
}

fn chain_en(end: &ChainEnd) -> String {
    match end {
        ChainEnd::IncludedRoot { subject } => {
            format!("The chain is complete: every signature verifies, up to the root {subject}.")
        }
        ChainEnd::PublicRoot { root } => format!(
            "The chain is complete: every signature verifies, up to the well-known public root \
             {root} (clients already have it)."
        ),
        ChainEnd::SelfSignedLeaf => {
            "The chain does not reach a trusted root: the server certificate is self-signed."
                .to_owned()
        }
        ChainEnd::MissingIssuer { subject, issuer } => format!(
            "The chain does not reach a trusted root: the certificate of {issuer}, which issued \
             {subject}, is missing; add your CA's intermediate certificates after the server \
             certificate."
        ),
        ChainEnd::BadSignature { subject, issuer } => format!(
            "The chain does not reach a trusted root: the signature on {subject} does not verify \
             with the key of {issuer} in the file."
        ),
        ChainEnd::Unsupported { subject, algorithm } => format!(
            "The chain does not reach a trusted root: {subject} is signed with {algorithm}; BYOC \
             verifies RSA (PKCS#1 v1.5 or PSS, SHA-256/384/512) and ECDSA (P-256, P-384)."
        ),
        ChainEnd::NotCa { subject } => format!(
            "The chain does not reach a trusted root: {subject} issues a certificate but is not \
             a CA certificate (basicConstraints CA:TRUE)."
        ),
    }
}

fn chain_zh(end: &ChainEnd) -> String {
    match end {
        ChainEnd::IncludedRoot { subject } => {
            format!("证书链完整：所有签名均验证通过，直至根证书 {subject}。")
        }
        ChainEnd::PublicRoot { root } => {
            format!("证书链完整：所有签名均验证通过，直至公共受信任根证书 {root}（客户端已内置）。")
        }
        ChainEnd::SelfSignedLeaf => {
            "证书链未到达受信任的根证书：服务器证书是自签名证书。".to_owned()
        }
        ChainEnd::MissingIssuer { subject, issuer } => format!(
            "证书链未到达受信任的根证书：缺少签发 {subject} 的证书 {issuer}；请在服务器证书之后\
             添加 CA 提供的中间证书。"
        ),
        ChainEnd::BadSignature { subject, issuer } => format!(
            "证书链未到达受信任的根证书：{subject} 的签名无法用文件中 {issuer} 的公钥验证。"
        ),
        ChainEnd::Unsupported { subject, algorithm } => format!(
            "证书链未到达受信任的根证书：{subject} 使用 {algorithm} 签名；BYOC 支持 RSA\
             （PKCS#1 v1.5 或 PSS，SHA-256/384/512）和 ECDSA（P-256、P-384）。"
        ),
        ChainEnd::NotCa { subject } => format!(
            "证书链未到达受信任的根证书：{subject} 签发了证书，但它不是 CA 证书\
             （basicConstraints CA:TRUE）。"
        ),
    }
}

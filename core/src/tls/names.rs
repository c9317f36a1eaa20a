//! The few OID names a TLS report shows: signature and key algorithms, curves, and the attribute
//! types of distinguished names. const-oid's full name database (thousands of OIDs) would otherwise
//! be linked into the console's wasm just for these, through `oid_name` and x509-cert's `Display`
//! for `Name`. Spelled exactly as that database spells them (a test compares), so reports are
//! unchanged; an OID not listed is shown in dotted form, as before for unknown OIDs.

use std::fmt::Write;

use der::asn1::{Ia5StringRef, PrintableStringRef, TeletexStringRef, Utf8StringRef};
use der::oid::ObjectIdentifier as Oid;
use der::{Encode, Tag, Tagged};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::name::Name;

const fn oid(dotted: &str) -> Oid {
    Oid::new_unwrap(dotted)
}

/// Algorithms and curves, by const-oid's first name for each.
const ALGORITHMS: [(Oid, &str); 34] = [
    (oid("1.2.840.113549.1.1.1"), "rsaEncryption"),
    (oid("1.2.840.113549.1.1.2"), "md2WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.4"), "md5WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.5"), "sha1WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.10"), "id-RSASSA-PSS"),
    (oid("1.2.840.113549.1.1.11"), "sha256WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.12"), "sha384WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.13"), "sha512WithRSAEncryption"),
    (oid("1.2.840.113549.1.1.14"), "sha224WithRSAEncryption"),
    (oid("1.2.840.10045.2.1"), "id-ecPublicKey"),
    (oid("1.2.840.10045.4.3.1"), "ecdsa-with-SHA224"),
    (oid("1.2.840.10045.4.3.2"), "ecdsa-with-SHA256"),
    (oid("1.2.840.10045.4.3.3"), "ecdsa-with-SHA384"),
    (oid("1.2.840.10045.4.3.4"), "ecdsa-with-SHA512"),
    (oid("2.16.840.1.101.3.4.3.10"), "id-ecdsa-with-sha3-256"),
    (oid("2.16.840.1.101.3.4.3.11"), "id-ecdsa-with-sha3-384"),
    (oid("2.16.840.1.101.3.4.3.12"), "id-ecdsa-with-sha3-512"),
    (oid("1.3.101.110"), "id-X25519"),
    (oid("1.3.101.111"), "id-X448"),
    (oid("1.3.101.112"), "id-Ed25519"),
    (oid("1.3.101.113"), "id-Ed448"),
    (oid("1.2.840.10040.4.1"), "id-dsa"),
    (oid("1.2.840.10040.4.3"), "dsa-with-sha1"),
    (oid("2.16.840.1.101.3.4.3.2"), "dsa-with-sha256"),
    (oid("2.16.840.1.101.3.4.3.17"), "id-ml-dsa-44"),
    (oid("2.16.840.1.101.3.4.3.18"), "id-ml-dsa-65"),
    (oid("2.16.840.1.101.3.4.3.19"), "id-ml-dsa-87"),
    (oid("1.3.132.0.33"), "secp224r1"),
    (oid("1.2.840.10045.3.1.7"), "secp256r1"),
    (oid("1.3.132.0.34"), "secp384r1"),
    (oid("1.3.132.0.35"), "secp521r1"),
    (oid("1.3.36.3.3.2.8.1.1.7"), "brainpoolP256r1"),
    (oid("1.3.36.3.3.2.8.1.1.11"), "brainpoolP384r1"),
    (oid("1.3.36.3.3.2.8.1.1.13"), "brainpoolP512r1"),
];

/// Attribute types of distinguished names, by const-oid's shortest name (what x509-cert's
/// RFC 4514 `Display` writes, upper-cased).
const ATTRIBUTES: [(Oid, &str); 21] = [
    (oid("2.5.4.3"), "cn"),
    (oid("2.5.4.6"), "c"),
    (oid("2.5.4.7"), "L"),
    (oid("2.5.4.8"), "st"),
    (oid("2.5.4.9"), "street"),
    (oid("2.5.4.10"), "o"),
    (oid("2.5.4.11"), "ou"),
    (oid("2.5.4.5"), "serialNumber"),
    (oid("2.5.4.4"), "sn"),
    (oid("2.5.4.42"), "GN"),
    (oid("2.5.4.43"), "initials"),
    (oid("2.5.4.44"), "generationQualifier"),
    (oid("2.5.4.12"), "title"),
    (oid("2.5.4.13"), "description"),
    (oid("2.5.4.15"), "businessCategory"),
    (oid("2.5.4.17"), "postalCode"),
    (oid("2.5.4.46"), "dnQualifier"),
    (oid("2.5.4.65"), "pseudonym"),
    (oid("0.9.2342.19200300.100.1.1"), "uid"),
    (oid("0.9.2342.19200300.100.1.25"), "DC"),
    (oid("1.2.840.113549.1.9.1"), "email"),
];

fn lookup(table: &[(Oid, &'static str)], oid: &Oid) -> Option<&'static str> {
    table.iter().find(|(o, _)| o == oid).map(|(_, name)| *name)
}

/// A readable name for an algorithm or curve OID (`sha256WithRSAEncryption`), or its dotted form.
pub(crate) fn oid_name(oid: &Oid) -> String {
    lookup(&ALGORITHMS, oid).map_or_else(|| oid.to_string(), str::to_owned)
}

/// RFC 4514 form of a name (`CN=mqtt.example.com,O=Example`), exactly as x509-cert's `Display`
/// writes it: last RDN first, `+` between the values of one RDN, special characters escaped, and
/// `OID=#hex` for a type not listed or a value that is not a string.
pub(crate) fn distinguished_name(name: &Name) -> String {
    let rdns: Vec<_> = name.iter_rdn().collect();
    let mut out = String::new();
    for (i, rdn) in rdns.iter().rev().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push('+');
            }
            attribute(&mut out, atv);
        }
    }
    out
}

fn attribute(out: &mut String, atv: &AttributeTypeAndValue) {
    let value = &atv.value;
    let text = match value.tag() {
        Tag::PrintableString => PrintableStringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Utf8String => Utf8StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::Ia5String => Ia5StringRef::try_from(value).ok().map(|s| s.as_str()),
        Tag::TeletexString => TeletexStringRef::try_from(value).ok().map(|s| s.as_str()),
        _ => None,
    };
    match (lookup(&ATTRIBUTES, &atv.oid), text) {
        (Some(key), Some(text)) => {
            out.push_str(&key.to_ascii_uppercase());
            out.push('=');
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                match c {
                    '#' if i == 0 => out.push_str("\\#"),
                    ' ' if i == 0 || chars.peek().is_none() => out.push_str("\\ "),
                    '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\x00'..='\x1f' | '\x7f' => {
                        let _ = write!(out, "\\{:02x}", c as u8);
                    }
                    _ => out.push(c),
                }
            }
        }
        _ => {
            let _ = write!(out, "{}=#", atv.oid);
            for b in value.to_der().unwrap_or_default() {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use const_oid::db::DB;

    use super::*;

    /// The database's shortest name, as x509-cert picks it (first of the shortest).
    fn shortest(oid: Oid) -> Option<&'static str> {
        DB.find_names_for_oid(oid)
            .fold(None, |best: Option<&'static str>, m| match best {
                Some(b) if b.len() <= m.len() => Some(b),
                _ => Some(m),
            })
    }

    #[test]
    fn names_are_spelled_as_const_oids_database_spells_them() {
        for (oid, name) in ALGORITHMS {
            assert_eq!(DB.by_oid(&oid), Some(name), "{oid}");
            assert_eq!(oid_name(&oid), name);
        }
        for (oid, name) in ATTRIBUTES {
            assert_eq!(shortest(oid), Some(name), "{oid}");
        }
        let unlisted = oid("1.2.3.4.5");
        assert_eq!(oid_name(&unlisted), "1.2.3.4.5");
    }

    #[test]
    fn distinguished_names_read_as_x509_certs_display_writes_them() {
        for text in [
            "CN=mqtt.example.com,O=Example Ltd,C=CN",
            "CN=a\\,b\\+c,OU=x+L=Shanghai,ST=Shanghai",
            "CN=\\#hash\\ ,STREET=1 Road,SERIALNUMBER=42,DC=example,DC=com",
            "UID=u1,EMAIL=ops@example.com,GN=Ann,SN=Li,TITLE=CTO",
            "CN=x,1.2.3.4=#0c0161",
            "CN=\\00x",
        ] {
            let name = Name::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(distinguished_name(&name), name.to_string(), "{text}");
        }
        // Not a string type: x509-cert's hex form too.
        let odd = Name::from_str("CN=x").unwrap();
        assert_eq!(distinguished_name(&odd), odd.to_string());
    }
}

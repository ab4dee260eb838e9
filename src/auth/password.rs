//! Werkzeug-compatible password hashes: `pbkdf2:<digest>:<iterations>$<salt>$<hex>`. Stored hashes
//! from the original (Werkzeug 0.14, 50000 rounds) verify; new ones get `NEW_ITERATIONS` rounds.

use super::secure_eq;

pub const NEW_ITERATIONS: u32 = 260_000;
/// Werkzeug's count when a `pbkdf2:<digest>` method string names none.
const WERKZEUG_DEFAULT_ITERATIONS: u32 = 50_000;
const SALT_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// True when `password` matches the stored Werkzeug hash. Unknown formats never match.
pub fn verify(stored: &str, password: &str) -> bool {
    let mut parts = stored.splitn(3, '$');
    let (Some(method), Some(salt), Some(hex_hash)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let mut m = method.split(':');
    if m.next() != Some("pbkdf2") {
        return false;
    }
    let digest = m.next().unwrap_or("sha256");
    let iterations = match m.next() {
        Some(n) => match n.parse::<u32>() {
            Ok(n) if n > 0 => n,
            _ => return false,
        },
        None => WERKZEUG_DEFAULT_ITERATIONS,
    };
    let Ok(expected) = hex::decode(hex_hash) else {
        return false;
    };
    let digest = match digest {
        "sha256" => Digest::Sha256,
        "sha512" => Digest::Sha512,
        _ => return false,
    };
    let derived = derive(digest, password, salt, iterations, expected.len());
    !expected.is_empty() && secure_eq(&derived, &expected)
}

/// A new hash in Werkzeug's format with a random 16-character salt.
pub fn hash(password: &str) -> String {
    let mut raw = [0u8; 16];
    getrandom::getrandom(&mut raw).expect("the OS random number generator failed");
    let salt: String = raw
        .iter()
        .map(|b| SALT_CHARS[*b as usize % SALT_CHARS.len()] as char)
        .collect();
    let derived = derive(Digest::Sha256, password, &salt, NEW_ITERATIONS, 32);
    format!(
        "pbkdf2:sha256:{NEW_ITERATIONS}${salt}${}",
        hex::encode(derived)
    )
}

fn derive(digest: Digest, password: &str, salt: &str, iterations: u32, len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len.clamp(1, 128)];
    let (p, s) = (password.as_bytes(), salt.as_bytes());
    match digest {
        Digest::Sha256 => pbkdf2::pbkdf2_hmac::<sha2::Sha256>(p, s, iterations, &mut out),
        Digest::Sha512 => pbkdf2::pbkdf2_hmac::<sha2::Sha512>(p, s, iterations, &mut out),
    }
    out
}

#[derive(Clone, Copy)]
enum Digest {
    Sha256,
    Sha512,
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made by Werkzeug 0.14.1 `generate_password_hash` (the original's library version).
    const WERKZEUG_014: [(&str, &str); 5] = [
        (
            "12",
            "pbkdf2:sha256:50000$ouK6YFIU$0854a31baf9e69b0291a24b5a030073a84dcea03c46589dbcfd2788dee0ee7e5",
        ),
        (
            "31082002",
            "pbkdf2:sha256:50000$vi4K9t4e$c096fe40cb1f8c2d09d0325a19a8b6a74b46352a7774f56215c47aa8b77b8f57",
        ),
        (
            "пароль",
            "pbkdf2:sha256:50000$wqn6rrBn$7eca06cdc3b7562a5b4eaf227522311f383fda2535684b5e30d09a3f3752188e",
        ),
        (
            "12",
            "pbkdf2:sha256:1000$KoLA5Jg5$ba90e4bb285091e95004976df5698cdc29760bb386b25eac2e0847dce4197f6b",
        ),
        (
            "12",
            "pbkdf2:sha512:50000$3whpaMfu$74c039c43588da2deea325317917dafc8ab26c3d11f3b0dc54ed94001f7d7f01c134c482c4feb2f9363415cb1310e2ede57720118181e2036dd27045b542b44c",
        ),
    ];

    #[test]
    fn werkzeug_014_hashes_verify() {
        for (password, stored) in WERKZEUG_014 {
            assert!(verify(stored, password), "{stored}");
            assert!(!verify(stored, "13"), "{stored}");
        }
    }

    #[test]
    fn new_hash_round_trips_and_has_the_werkzeug_shape() {
        let h = hash("секрет 12");
        assert!(h.starts_with("pbkdf2:sha256:260000$"));
        assert_eq!(h.split('$').nth(1).unwrap().len(), 16);
        assert!(verify(&h, "секрет 12"));
        assert!(!verify(&h, "секрет 13"));
        assert_ne!(hash("x"), hash("x"), "salts differ");
    }

    #[test]
    fn garbage_never_verifies() {
        for stored in [
            "",
            "$$",
            "pbkdf2:sha256:0$a$00",
            "pbkdf2:md5:1$a$00",
            "plain$x$12",
            "pbkdf2:sha256:x$a$b",
        ] {
            assert!(!verify(stored, "12"), "{stored}");
        }
    }
}

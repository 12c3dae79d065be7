//! Random identifiers and secrets from the operating system's generator.

/// Letters and digits that cannot be mistaken for one another when read
/// aloud or copied by hand: no 0/O, 1/I/L.
pub const SECRET_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Length of a dossier secret.
pub const SECRET_LEN: usize = 8;

fn fill(buf: &mut [u8]) {
    getrandom::getrandom(buf).expect("the operating system's random generator failed");
}

/// 128 random bits as 32 lowercase hex characters.
pub fn hex_id() -> String {
    let mut b = [0u8; 16];
    fill(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A dossier secret: [`SECRET_LEN`] characters of [`SECRET_ALPHABET`],
/// uniformly (rejection sampling, no modulo bias).
pub fn secret() -> String {
    let n = SECRET_ALPHABET.len();
    let limit = 256 - 256 % n;
    let mut out = String::with_capacity(SECRET_LEN);
    let mut buf = [0u8; 32];
    while out.len() < SECRET_LEN {
        fill(&mut buf);
        for &b in &buf {
            if (b as usize) < limit && out.len() < SECRET_LEN {
                out.push(SECRET_ALPHABET[b as usize % n] as char);
            }
        }
    }
    out
}

/// Is `id` shaped like an upload id (32 lowercase hex)?
pub fn is_hex_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_secrets_have_their_shape() {
        let a = hex_id();
        assert!(is_hex_id(&a));
        assert_ne!(a, hex_id());
        for _ in 0..200 {
            let s = secret();
            assert_eq!(s.len(), SECRET_LEN);
            assert!(s.bytes().all(|c| SECRET_ALPHABET.contains(&c)), "{s}");
            assert!(!s.contains(['0', 'O', '1', 'I', 'L']));
        }
    }
}

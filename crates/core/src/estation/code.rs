//! Enrolment codes: short, typed by hand on a screen, so no letters that read alike.

/// 31 symbols without 0/O, 1/I/L.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A code like `K7Q2-9XMD` from random bytes (8 symbols, about 40 bits).
pub fn format(random: [u8; 8]) -> String {
    let s: String = random.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("{}-{}", &s[..4], &s[4..])
}

/// What a typed code is compared by: upper case, without spaces or dashes.
pub fn normalize(typed: &str) -> String {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_match() {
        let c = format([0, 1, 2, 3, 30, 31, 200, 255]);
        assert_eq!(c.len(), 9);
        assert_eq!(&c[4..5], "-");
        assert_eq!(normalize(&c.to_lowercase().replace('-', " ")), normalize(&c));
        assert!(!c.contains(['0', 'O', '1', 'I', 'L']));
    }
}

//! The password policy: at least 8 characters from at least 3 of the 4 classes
//! (lower case, upper case, digits, symbols), as 等保 2.0 auditors expect.

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// `Err(code)` with a stable error code when the password does not meet the policy.
pub fn check(password: &str, username: &str) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err("password_too_short");
    }
    if len > MAX_LEN {
        return Err("password_too_long");
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_alphanumeric()),
    ];
    if classes.iter().filter(|x| **x).count() < 3 {
        return Err("password_too_simple");
    }
    if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        return Err("password_contains_username");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn policy() {
        assert_eq!(check("Ab1!", "x"), Err("password_too_short"));
        assert_eq!(check("abcdefgh", "x"), Err("password_too_simple"));
        assert_eq!(check("abcdefg1", "x"), Err("password_too_simple"));
        assert_eq!(check("abcdef1!", "x"), Ok(()));
        assert_eq!(check("Abcdefg1", "x"), Ok(()));
        assert_eq!(check("kexie-demo-2026", "admin"), Ok(()));
        assert_eq!(check("Admin-2026", "admin"), Err("password_contains_username"));
    }
}

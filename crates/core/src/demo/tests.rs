use super::*;

#[test]
fn placeholder() {
    let d = generate(1, 1);
    assert!(!d.orgs.is_empty());
}

//! Money as Vietnamese citizens read it: "20.000 ₫".

/// Formats an amount in đồng with dots between thousands: `20000` → `20.000 ₫`.
pub fn format_vnd(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    out.push_str(" ₫");
    out
}

#[cfg(test)]
mod tests {
    use super::format_vnd;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(format_vnd(0), "0 ₫");
        assert_eq!(format_vnd(999), "999 ₫");
        assert_eq!(format_vnd(1000), "1.000 ₫");
        assert_eq!(format_vnd(20000), "20.000 ₫");
        assert_eq!(format_vnd(200000), "200.000 ₫");
        assert_eq!(format_vnd(1234567), "1.234.567 ₫");
    }
}

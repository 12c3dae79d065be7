//! VietQR: the bank-transfer QR payload of NAPAS 247, an EMVCo
//! merchant-presented QR code that Vietnamese banking apps scan to fill in
//! a transfer (bank, account, amount, message).
//!
//! The payload is a run of TLV fields: a two-digit id, a two-digit length,
//! then the value. Nested templates hold TLVs of their own. The last field
//! is `63` (CRC), computed over everything before its value, `6304`
//! included.

use core::fmt;

/// Why a payload cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VietQrError {
    /// The bank BIN is not 6 ASCII digits.
    BankBin,
    /// The account is empty, longer than 19, or not `[0-9A-Za-z]`.
    Account,
    /// The amount is 0 or longer than the 13 characters EMVCo allows.
    Amount,
    /// The purpose has a character other than letters, digits, space, `-`
    /// and `.` (after folding Vietnamese diacritics), or is over 25.
    Purpose,
}

impl fmt::Display for VietQrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VietQrError::BankBin => "bank BIN must be 6 digits",
            VietQrError::Account => "account must be 1-19 letters or digits",
            VietQrError::Amount => "amount must be 1 to 13 digits of VND",
            VietQrError::Purpose => "purpose must be at most 25 of [A-Za-z0-9 .-]",
        })
    }
}

/// CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no
/// reflection, no final XOR. `"123456789"` gives 0x29B1.
pub fn crc16_ccitt(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn push_tlv(out: &mut String, id: &str, value: &str) {
    // Every value here is ASCII and at most 99 bytes (checked by callers).
    debug_assert!(value.len() <= 99);
    out.push_str(id);
    out.push_str(&format!("{:02}", value.len()));
    out.push_str(value);
}

/// The transfer message as banks accept it: Vietnamese letters lose their
/// marks (Đ → D, ệ → e, also when typed with combining marks), surrounding
/// spaces go; the rest must be ASCII letters, digits, space, `-` or `.`,
/// 25 at most. Many banks drop or mangle other characters, so they are
/// refused rather than sent.
pub fn fold_purpose(purpose: &str) -> Result<String, VietQrError> {
    let mut out = String::with_capacity(purpose.len());
    for c in purpose.trim().chars() {
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        let b = crate::fold::base_letter(c);
        if b.is_ascii_alphanumeric() || matches!(b, ' ' | '-' | '.') {
            out.push(b);
        } else {
            return Err(VietQrError::Purpose);
        }
        if out.len() > 25 {
            return Err(VietQrError::Purpose);
        }
    }
    Ok(out)
}

/// The VietQR payload for a transfer of `amount_vnd` đồng to `account` at
/// the bank with NAPAS BIN `bank_bin`, with `purpose` as the transfer
/// message (see [`fold_purpose`]; an empty purpose leaves field 62 out).
///
/// Fields: `00` payload format "01"; `01` "12" (dynamic: the amount is
/// set); `38` merchant account { `00` NAPAS AID "A000000727", `01` {
/// `00` BIN, `01` account }, `02` service "QRIBFTTA" (transfer to an
/// account) }; `53` currency "704" (VND); `54` amount, digits only; `58`
/// country "VN"; `62` additional data { `08` purpose }; `63` CRC as 4
/// uppercase hex digits.
pub fn payload(
    bank_bin: &str,
    account: &str,
    amount_vnd: u64,
    purpose: &str,
) -> Result<String, VietQrError> {
    if bank_bin.len() != 6 || !bank_bin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VietQrError::BankBin);
    }
    if !(1..=19).contains(&account.len()) || !account.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(VietQrError::Account);
    }
    let amount = amount_vnd.to_string();
    if amount_vnd == 0 || amount.len() > 13 {
        return Err(VietQrError::Amount);
    }
    let purpose = fold_purpose(purpose)?;

    let mut beneficiary = String::new();
    push_tlv(&mut beneficiary, "00", bank_bin);
    push_tlv(&mut beneficiary, "01", account);
    let mut merchant = String::new();
    push_tlv(&mut merchant, "00", "A000000727");
    push_tlv(&mut merchant, "01", &beneficiary);
    push_tlv(&mut merchant, "02", "QRIBFTTA");

    let mut out = String::with_capacity(128);
    push_tlv(&mut out, "00", "01");
    push_tlv(&mut out, "01", "12");
    push_tlv(&mut out, "38", &merchant);
    push_tlv(&mut out, "53", "704");
    push_tlv(&mut out, "54", &amount);
    push_tlv(&mut out, "58", "VN");
    if !purpose.is_empty() {
        let mut extra = String::new();
        push_tlv(&mut extra, "08", &purpose);
        push_tlv(&mut out, "62", &extra);
    }
    out.push_str("6304");
    let crc = crc16_ccitt(out.as_bytes());
    out.push_str(&format!("{crc:04X}"));
    Ok(out)
}

/// Is this the demonstration account (all zeros, as the server uses unless
/// a real one is configured)? No bank issues such a number: a citizen must
/// be told not to send money to it.
pub fn is_demo_account(account: &str) -> bool {
    !account.is_empty() && account.bytes().all(|b| b == b'0')
}

/// Does the payload end in a `63` CRC field that matches the rest?
/// (Hex digits are read in either case.)
pub fn crc_ok(payload: &str) -> bool {
    let Some(body) = payload.len().checked_sub(4).and_then(|n| payload.get(..n)) else {
        return false;
    };
    body.ends_with("6304")
        && u16::from_str_radix(&payload[body.len()..], 16)
            .is_ok_and(|crc| crc == crc16_ccitt(body.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second, table-driven CRC-16/CCITT-FALSE to check the bitwise one.
    fn crc_table(data: &[u8]) -> u16 {
        let mut table = [0u16; 256];
        for (i, slot) in table.iter_mut().enumerate() {
            let mut c = (i as u16) << 8;
            for _ in 0..8 {
                c = if c & 0x8000 != 0 {
                    (c << 1) ^ 0x1021
                } else {
                    c << 1
                };
            }
            *slot = c;
        }
        data.iter().fold(0xFFFF, |crc: u16, &b| {
            (crc << 8) ^ table[usize::from((crc >> 8) as u8 ^ b)]
        })
    }

    #[test]
    fn crc_check_value() {
        assert_eq!(crc16_ccitt(b"123456789"), 0x29B1);
        assert_eq!(crc_table(b"123456789"), 0x29B1);
        assert_eq!(crc16_ccitt(b""), 0xFFFF);
        let mut data = Vec::new();
        for i in 0..600u32 {
            data.push((i.wrapping_mul(2_654_435_761) >> 24) as u8);
            assert_eq!(crc16_ccitt(&data), crc_table(&data));
        }
    }

    #[test]
    fn payload_for_a_dossier_fee() {
        // Built by hand from the EMVCo rules; CRC computed separately.
        let want = concat!(
            "000201",
            "010212",
            "3856",
            "0010A000000727",
            "0126",
            "0006970415",
            "0112113366668888",
            "0208QRIBFTTA",
            "5303704",
            "540520000",
            "5802VN",
            "6225",
            "0821HS H15.50-251203-2035",
            "6304ED8C",
        );
        let got = payload("970415", "113366668888", 20_000, "HS H15.50-251203-2035").unwrap();
        assert_eq!(got, want);
        assert!(crc_ok(&got));
        assert_eq!(
            crc_table(&want.as_bytes()[..want.len() - 4]),
            0xED8C,
            "second implementation"
        );
    }

    #[test]
    fn payload_folds_a_vietnamese_purpose() {
        let want = concat!(
            "000201",
            "010212",
            "3857",
            "0010A000000727",
            "0127",
            "0006970436",
            "01130011001234567",
            "0208QRIBFTTA",
            "5303704",
            "54071500000",
            "5802VN",
            "6219",
            "0815Le phi ho chieu",
            "6304563A",
        );
        assert_eq!(
            payload("970436", "0011001234567", 1_500_000, " Lệ phí hộ chiếu ").unwrap(),
            want
        );
        // Decomposed marks fold the same way.
        assert_eq!(
            payload(
                "970436",
                "0011001234567",
                1_500_000,
                "Le\u{0323} phi\u{0301} ho\u{0302}\u{0323} chie\u{0302}\u{0301}u"
            )
            .unwrap(),
            want
        );
        assert_eq!(crc_table(&want.as_bytes()[..want.len() - 4]), 0x563A);
    }

    #[test]
    fn empty_purpose_leaves_out_field_62() {
        let want = concat!(
            "000201",
            "010212",
            "3852",
            "0010A000000727",
            "0122",
            "0006970422",
            "0108VQRQ0001",
            "0208QRIBFTTA",
            "5303704",
            "540510000",
            "5802VN",
            "6304AB37",
        );
        assert_eq!(payload("970422", "VQRQ0001", 10_000, "").unwrap(), want);
        assert_eq!(payload("970422", "VQRQ0001", 10_000, "   ").unwrap(), want);
    }

    #[test]
    fn one_changed_character_changes_the_crc() {
        let a = payload("970415", "113366668888", 20_000, "HS 0001").unwrap();
        let b = payload("970415", "113366668889", 20_000, "HS 0001").unwrap();
        let c = payload("970415", "113366668888", 20_001, "HS 0001").unwrap();
        let d = payload("970415", "113366668888", 20_000, "HS 0002").unwrap();
        let crc = |p: &str| p[p.len() - 4..].to_string();
        assert_ne!(crc(&a), crc(&b));
        assert_ne!(crc(&a), crc(&c));
        assert_ne!(crc(&a), crc(&d));
        // Tampering with any one character breaks the check.
        for i in 0..a.len() - 4 {
            let mut t = a.clone().into_bytes();
            t[i] = if t[i] == b'1' { b'2' } else { b'1' };
            assert!(!crc_ok(std::str::from_utf8(&t).unwrap()), "at {i}");
        }
        assert!(crc_ok(&a));
        let lower_hex = format!("{}{}", &a[..a.len() - 4], a[a.len() - 4..].to_lowercase());
        assert!(crc_ok(&lower_hex));
        assert!(!crc_ok(""));
        assert!(!crc_ok("6304"));
        assert!(!crc_ok("00020163041234"));
    }

    #[test]
    fn the_demo_account_is_all_zeros() {
        assert!(is_demo_account("0000000000"));
        assert!(!is_demo_account("0123456789"));
        assert!(!is_demo_account(""));
    }

    #[test]
    fn errors_are_typed() {
        use VietQrError::*;
        assert_eq!(payload("97041", "1", 1, ""), Err(BankBin));
        assert_eq!(payload("97041a", "1", 1, ""), Err(BankBin));
        assert_eq!(payload("970415", "", 1, ""), Err(Account));
        assert_eq!(payload("970415", &"1".repeat(20), 1, ""), Err(Account));
        assert_eq!(payload("970415", "123-456", 1, ""), Err(Account));
        assert!(payload("970415", &"1".repeat(19), 1, "").is_ok());
        assert_eq!(payload("970415", "1", 0, ""), Err(Amount));
        assert_eq!(payload("970415", "1", 10_000_000_000_000, ""), Err(Amount));
        assert!(payload("970415", "1", 9_999_999_999_999, "").is_ok());
        assert_eq!(payload("970415", "1", 1, "phí: 20.000đ"), Err(Purpose));
        assert_eq!(payload("970415", "1", 1, "<script>"), Err(Purpose));
        assert_eq!(payload("970415", "1", 1, "😀"), Err(Purpose));
        assert_eq!(payload("970415", "1", 1, &"A".repeat(26)), Err(Purpose));
        assert!(payload("970415", "1", 1, &"Ă".repeat(25)).is_ok());
        assert_eq!(
            fold_purpose("Đóng lệ phí HS-01.2").as_deref(),
            Ok("Dong le phi HS-01.2")
        );
    }
}

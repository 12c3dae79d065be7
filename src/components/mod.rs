//! Shared UI, one file per named pattern. The shell's: `layout` (header,
//! navigation, footer), `icons`, `search` and `status` (loading and
//! errors). The pages': `answers` (an application's answers, on check
//! answers and tracking), `error_summary`, `file_upload` (a document slot),
//! `payment`, `privacy` (why personal data is asked), `receipt` (a dossier's
//! printable receipt), `procedure` (facts
//! and the catalogue card), `product` (the shopper's view) and `qr`. What
//! two page folders both show lives here, never in one of them.

pub mod answers;
pub mod error_summary;
pub mod file_upload;
pub mod icons;
pub mod layout;
pub mod payment;
pub mod privacy;
pub mod procedure;
pub mod product;
pub mod qr;
pub mod receipt;
pub mod search;
pub mod status;

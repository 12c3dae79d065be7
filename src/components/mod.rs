//! Shared UI.

pub mod error_summary;
pub mod file_upload;
pub mod icons;
pub mod payment;
pub mod layout;
pub mod procedure;
pub mod product;
pub mod qr;
pub mod receipt;
pub mod search;
pub mod status;

//! Shared UI.

pub mod error_summary;
pub mod file_upload;
pub mod icons;
pub mod layout;
pub mod procedure;
pub mod qr;
pub mod search;
pub mod status;

//! Cửa Số domain: the rules and the API contract that the browser app and the
//! reference server share. Pure Rust, no I/O; builds for wasm32 and native.

pub mod address;
pub mod api;
pub mod date;
pub mod error;
pub mod feedback;
pub mod fold;
pub mod form;
pub mod gs1;
pub mod helper;
pub mod label;
pub mod lunar;
pub mod money;
pub mod producer;
pub mod product;
pub mod query;
pub mod scan;
pub mod search;
pub mod site;
pub mod spelling;
pub mod status;
pub mod track;
pub mod validate;
pub mod vietqr;

pub use date::Date;
pub use error::{ApiErrorBody, ErrorCode, FieldProblem};
pub use validate::Problem;

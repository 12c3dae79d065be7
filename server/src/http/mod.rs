//! HTTP plumbing that every feature shares and none owns: the error
//! answer and the extractors. Features use this and `infra`; nothing here
//! knows a feature.

pub mod error;
pub mod extract;

pub use error::ApiError;
pub use extract::{body_limit, negotiate, request_lang, Json, Lang, PathCode};

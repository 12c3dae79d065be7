//! HTTP plumbing that every feature shares and none owns: the error
//! answer. Features use this and `infra`; nothing here knows a feature.

pub mod error;

pub use error::ApiError;

//! HTTP plumbing that every feature shares and none owns: the error
//! answer, the extractors, the code-plus-secret gate, the
//! `Idempotency-Key` gate, the officer token, the routers' fallbacks. Features use this and `infra`; nothing here
//! knows a feature.

pub mod error;
pub mod extract;
pub mod gate;
pub mod idempotency;
pub mod officer;
pub mod routing;

pub use error::ApiError;
pub use extract::{base_url, body_limit, negotiate, request_lang, Json, Lang, PathCode};

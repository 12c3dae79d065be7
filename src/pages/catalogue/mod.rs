//! The catalogue of public services (the `catalogue` chunk): searching it
//! (`/services`) and one procedure (`/services/{code}`). Applying for one
//! is the citizen's room ([`super::citizen`]).

mod procedure;
mod services;

pub use procedure::ProcedurePage;
pub use services::Services;

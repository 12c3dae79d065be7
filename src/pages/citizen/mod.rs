//! Applying online (the `citizen` chunk): the application form
//! (`/services/{code}/apply/...`), the confirmation of a dossier sent from
//! this device (`/my/{code}`), and "continue your application" on the home
//! page.

mod apply;
mod drafts_banner;
mod receipt;

pub use apply::ApplyPage;
pub use drafts_banner::DraftsBanner;
pub use receipt::ReceiptPage;

//! The community (the `community` chunk): citizens' feedback
//! (`/feedback/...`) and applications made for citizens by community
//! digital helpers (`/helper/...`), and the personal-data notice they
//! link to (`/privacy`).

mod feedback;
mod helper;
mod privacy;

pub use feedback::FeedbackRoute;
pub use helper::HelperRoute;
pub use privacy::PrivacyPage;

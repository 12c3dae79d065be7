//! The community (the `community` chunk): citizens' feedback
//! (`/feedback/...`) and applications made for citizens by community
//! digital helpers (`/helper/...`).

mod feedback;
mod helper;

pub use feedback::FeedbackRoute;
pub use helper::HelperRoute;

//! Following dossiers (the `dossiers` chunk): those followed from this
//! device (`/my`), looking one up (`/track`), and one dossier's status,
//! timeline and what the citizen can do now (`/track/{code}`).

mod my;
mod track;

pub use my::MyPage;
pub use track::{TrackLookup, TrackPage};

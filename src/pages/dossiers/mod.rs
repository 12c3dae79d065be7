//! Following dossiers (the `dossiers` chunk): those followed from this
//! device (`/my`), looking one up (`/track`), and one dossier's status,
//! timeline and what the citizen can do now (`/track/{code}`).

mod actions;
mod lookup;
mod my;
mod track;

pub use my::MyPage;
pub use lookup::TrackLookup;
pub use track::TrackPage;

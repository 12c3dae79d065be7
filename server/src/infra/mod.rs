//! What the server stands on, below any feature: the database (`db`), the
//! clock, the in-memory rate limits, random ids and secrets, the photo
//! metadata stripper (`exif`), and the built app's HTML shell (`web`).
//! Nothing here knows a feature.

pub mod clock;
pub mod db;
pub mod exif;
pub mod limits;
pub mod random;
pub mod web;

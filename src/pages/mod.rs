//! The screens. The shell's own pages (home, not found) and the loader of
//! the lazy chunks ([`lazy`]) are here; every other page lives in the folder
//! of its chunk, named as in [`lazy`]. A folder's `mod.rs` says what it
//! holds and exports the pages the loader opens; what two folders both need
//! lives in `crate::components` (UI) or a shared module of the crate.

pub mod catalogue;
pub mod citizen;
pub mod community;
pub mod dossiers;
pub mod home;
pub mod lazy;
pub mod not_found;
pub mod producer;
pub mod products;
pub mod tourism;

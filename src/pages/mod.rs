//! One file per screen.

pub mod apply;
pub mod feedback;
pub mod helper;
pub mod home;
pub mod lazy;
pub mod not_found;
pub mod procedure;
pub mod producer;
pub mod product;
pub mod receipt;
pub mod scan;
pub mod services;
pub mod sites;
pub mod track;

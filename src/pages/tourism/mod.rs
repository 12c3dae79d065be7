//! Tourism (the `tourism` chunk): the site list (`/sites`), a site's guide
//! (`/sites/{slug}`, and `/s/{slug}` from its plate) and its printable QR
//! plate (`/sites/{slug}/plate`).

mod sites;

pub use sites::{PlatePage, SiteRoute, SitesPage};

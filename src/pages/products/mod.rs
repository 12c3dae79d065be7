//! OCOP products (the `products` chunk): the page a package's QR code opens
//! (`/01/{gtin}[/10/{lot}]`), and the scanner that reads such codes
//! (`/scan`).

mod product;
mod scan;
mod scanner;

pub use product::ProductRoute;
pub use scan::ScanPage;

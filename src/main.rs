//! Entry point: Trunk builds this binary for wasm32.

#[cfg(target_arch = "wasm32")]
fn main() {
    cuaso::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("cuaso is a browser app: build it with `trunk build` (see README.md)");
}

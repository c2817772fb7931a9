// Rebuild the test binaries when scenario or fixture files are added or removed, so that
// `#[files(...)]` picks them up.
fn main() {
    println!("cargo:rerun-if-changed=scenarios");
    println!("cargo:rerun-if-changed=fixtures");
}

//! Generates the Swift sources, the C headers and one module map for all of
//! them, so both crates compile into one Swift module.
fn main() {
    uniffi::uniffi_bindgen_swift()
}

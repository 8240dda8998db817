//! SQLCipher takes this provider only when the workspace's `.cargo/config.toml`
//! hands libsqlite3-sys `-DSQLCIPHER_CRYPTO_CUSTOM`; a build that misses it
//! (cargo run from outside the workspace) would quietly encrypt with the
//! vendored OpenSSL instead, so it stops here.
fn main() {
    println!("cargo:rerun-if-env-changed=LIBSQLITE3_FLAGS");
    let apple = std::env::var("CARGO_CFG_TARGET_VENDOR").is_ok_and(|vendor| vendor == "apple");
    let flags = std::env::var("LIBSQLITE3_FLAGS").unwrap_or_default();
    if !apple && !flags.contains("-DSQLCIPHER_CRYPTO_CUSTOM=waymark_sqlcipher_setup") {
        panic!(
            "LIBSQLITE3_FLAGS lacks -DSQLCIPHER_CRYPTO_CUSTOM=waymark_sqlcipher_setup: build from inside the \
             Waymark workspace, whose .cargo/config.toml sets it (with cargo --manifest-path, run cargo from there)"
        );
    }
}

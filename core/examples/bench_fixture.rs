//! Builds (or finds) the ten-year benchmark store and prints its path, for
//! benchmarks outside Rust such as bench/kotlin.

#[path = "../benches/fixture/mod.rs"]
mod fixture;

fn main() {
    let path = std::env::args().nth(1).map(std::path::PathBuf::from).unwrap_or_else(fixture::default_path);
    println!("{}", fixture::ensure(&path).display());
}

//! The share budget (design.md §8: a 90-day summary in all three forms ≤ 20 ms)
//! on the ten-year store. Run with `cargo bench -p waymark-core --bench share`.

mod fixture;

use criterion::{criterion_group, criterion_main, Criterion};
use waymark_core::share::{ShareRequest, ShareScope};
use waymark_core::Store;

fn share(c: &mut Criterion) {
    let store = Store::open(fixture::ensure(&fixture::default_path()), &fixture::KEY).unwrap();
    let request = ShareRequest {
        from: "2026-08-21".into(),
        to: "2026-11-18".into(),
        zone: fixture::ZONE.parse().unwrap(),
        scopes: ShareScope::ALL.to_vec(),
    };
    let forms = store.preview_share(&request).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&forms.json).unwrap();
    let count = |key: &str| summary[key].as_array().map_or(0, Vec::len);
    eprintln!(
        "90 days: {} check-ins, {} results, {} vitals, {} notes; JSON {} B, HTML {} B, FHIR {} B",
        count("mood"),
        count("measures"),
        count("vitals"),
        count("notes"),
        forms.json.len(),
        forms.html.len(),
        forms.fhir.len()
    );
    assert!(count("mood") > 200 && count("measures") > 10);
    c.bench_function("share/90_days_json_html_fhir", |b| b.iter(|| store.preview_share(&request).unwrap()));
}

criterion_group!(benches, share);
criterion_main!(benches);

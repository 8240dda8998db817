//! The progress screen's budget (design.md §8: insights over 10 years ≤ 10 ms)
//! on the ten-year store: 11,000 check-ins, 520 PHQ-9s, 260 GAD-7s, 400
//! blood pressures. Run with `cargo bench -p waymark-core --bench measures`.

mod fixture;

use criterion::{criterion_group, criterion_main, Criterion};
use waymark_core::{ProgressQuery, Store};

fn progress(c: &mut Criterion) {
    let store = Store::open(fixture::ensure(&fixture::default_path()), &fixture::KEY).unwrap();
    let query = |from: Option<&str>| ProgressQuery {
        from: from.map(String::from),
        to: None,
        zone: fixture::ZONE.parse().unwrap(),
    };
    let all = store.progress_at(fixture::now(), &query(None)).unwrap();
    assert_eq!(all.phq9.trajectory.len() as u64, fixture::PHQ9S);
    assert!(all.trends.len() > 3_000, "{} days", all.trends.len());

    let mut group = c.benchmark_group("progress");
    group.bench_function("ten_years", |b| b.iter(|| store.progress_at(fixture::now(), &query(None)).unwrap()));
    group.bench_function("last_90_days", |b| {
        b.iter(|| store.progress_at(fixture::now(), &query(Some("2026-08-20"))).unwrap())
    });
    group.finish();
}

criterion_group!(benches, progress);
criterion_main!(benches);

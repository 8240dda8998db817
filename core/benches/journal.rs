//! The journal's budgets (design.md §8) on a ten-year store of 11,000 check-ins:
//! open + `today()` ≤ 10 ms, a durable insert ≤ 1.3× a raw rusqlite insert of
//! the same row with the same pragmas, full-text search ≤ 5 ms, a page of 50.
//! Run with `cargo bench -p waymark-core --bench journal`; the store is built on
//! the first run (about a minute) under `target/bench-fixtures/`.

mod fixture;

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rusqlite::{params, Connection};
use waymark_core::{CheckInDraft, EmotionLabel, JournalQuery, LifeArea, Store};

const NOTE: &str = "Walked by the river after the session, slept better, noticed the heavy thoughts \
                    were quieter. Called my sister. Grateful for the ride home.";

/// A private copy of the fixture, so inserts do not grow the shared one.
fn copy_of_fixture(dir: &Path) -> PathBuf {
    let copy = dir.join("waymark.db");
    std::fs::copy(fixture::ensure(&fixture::default_path()), &copy).unwrap();
    copy
}

fn draft() -> CheckInDraft {
    CheckInDraft {
        valence: 1,
        energy: Some(3),
        anxiety: Some(4),
        sleep_hours: Some(7.5),
        labels: vec![EmotionLabel::Hopeful, EmotionLabel::Calm],
        areas: vec![LifeArea::Family],
        text: NOTE.into(),
        ..CheckInDraft::new(1, fixture::ZONE.parse().unwrap())
    }
}

fn open_and_today(c: &mut Criterion) {
    let path = fixture::ensure(&fixture::default_path());
    c.bench_function("open_store_and_today", |b| {
        b.iter(|| {
            let store = Store::open(&path, &fixture::KEY).unwrap();
            store.today_at(fixture::now(), fixture::ZONE.parse().unwrap()).unwrap()
        })
    });
}

fn insert(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_fixture(dir.path());
    let store = Store::open(&path, &fixture::KEY).unwrap();
    let mut group = c.benchmark_group("durable_checkin_insert");
    group.bench_function("waymark_add_checkin", |b| b.iter(|| store.add_checkin(&draft()).unwrap()));
    drop(store);

    // The same row through plain rusqlite: same file, key and pragmas, one autocommit insert.
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch(&format!(
        "PRAGMA key = \"x'{}'\"; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        "42".repeat(32)
    ))
    .unwrap();
    let mut n = 0u64;
    group.bench_function("raw_rusqlite_insert", |b| {
        b.iter(|| {
            n += 1;
            raw.prepare_cached(
                "INSERT INTO checkin (id, valence, energy, anxiety, sleep_quarters, labels, areas, text, \
                 occurred_at, zone, shared, created_at, updated_at) \
                 VALUES (?1, 1, 3, 4, 30, 'hopeful calm', 'family', ?2, ?3, ?4, 0, ?3, ?3)",
            )
            .unwrap()
            .execute(params![format!("raw-{n}"), NOTE, 1_795_000_000_000i64 + n as i64, fixture::ZONE])
            .unwrap()
        })
    });
    group.finish();
}

fn search(c: &mut Criterion) {
    let store = Store::open(fixture::ensure(&fixture::default_path()), &fixture::KEY).unwrap();
    let mut group = c.benchmark_group("search_50");
    for query in ["river", "infusion therapist", "hope", "東京", "naive"] {
        group.bench_function(query, |b| b.iter(|| store.search_journal(query, 50).unwrap()));
    }
    group.finish();

    // The first search after a check-in also indexes it.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(copy_of_fixture(dir.path()), &fixture::KEY).unwrap();
    c.bench_function("search_50_after_a_new_checkin", |b| {
        b.iter_batched(
            || store.add_checkin(&draft()).unwrap(),
            |_| store.search_journal("river", 50).unwrap(),
            BatchSize::PerIteration,
        )
    });
}

fn pages(c: &mut Criterion) {
    let store = Store::open(fixture::ensure(&fixture::default_path()), &fixture::KEY).unwrap();
    let first = JournalQuery { limit: 50, ..JournalQuery::default() };
    let mut deep = first.clone();
    for _ in 0..100 {
        deep.after = store.journal_page(&deep).unwrap().next_cursor;
    }
    let mut group = c.benchmark_group("journal_page_50");
    group.bench_function("first", |b| b.iter(|| store.journal_page(&first).unwrap()));
    group.bench_function("after_5000", |b| b.iter(|| store.journal_page(&deep).unwrap()));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(4));
    targets = open_and_today, insert, search, pages
}
criterion_main!(benches);

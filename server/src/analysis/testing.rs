//! Test helpers shared by the analysis modules' randomised tests: the
//! benchmarks' seeded generator (splitmix64), included like the Criterion
//! benches include it, so every run checks the same cases.

#[path = "../../../tests/bench/src/gen.rs"]
mod gen;

pub use gen::Rng;

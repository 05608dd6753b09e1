//! goalframe: goal templates (SMART goals, OKRs, MBO areas, a Scorecard)
//! built only from verbatim canon text, and the checks that keep goal
//! documents honest.
//!
//! The library is the pure core — [`canon`] (load, validate, index),
//! [`render`] (frames in text, markdown and snippet forms), [`analysis`]
//! (document diagnostics), [`complete`] and [`hover`] — with no editor or
//! protocol types. The language server and the command line in the
//! binary are thin adapters over it, so the editor and `goalframe lint`
//! can never disagree.

pub mod analysis;
pub mod canon;
pub mod complete;
pub mod config;
pub mod diagnostic;
pub mod export;
pub mod framing;
pub mod goals;
pub mod hidden;
pub mod hover;
pub mod json_text;
pub mod lines;
pub mod parallel;
pub mod progress;
pub mod quote;
pub mod read;
pub mod render;

//! The goal model: what a filled goal document says, read back through
//! the frame templates (docs/frames.md, "Filled goals"). Plain data and
//! pure functions, used by the analysis, the exports and the editors.
//!
//! - [`date`]: date values, resolved to a day.
//! - [`slots`]: the values typed over a frame row's placeholders.
//! - [`unread`]: rows that are not read as a frame's (an MBO table
//!   without its outer pipes, a `KR3.`), and what is said of them.
//! - [`inline`]: a markdown value as its reader sees it (emphasis, code
//!   spans and comments are markup).
//! - [`suggest`]: dates to offer in a date slot.
//! - [`numbers`]: numbers written as words in a value (`two workshops`).
//! - [`metadata`]: front matter (markdown), header lines (text), and the
//!   review cycle.

pub mod date;
pub mod inline;
pub mod metadata;
pub mod numbers;
pub mod slots;
pub mod suggest;
pub mod unread;

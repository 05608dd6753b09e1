//! Diagnostic codes and severities (docs/lsp.md): the stable names users put
//! in suppression comments, settings and CI filters. A leaf: the analysis
//! reports them and the settings configure them, and neither needs the
//! other to name them.

use std::fmt;
use std::str::FromStr;

/// The most findings of one document an editor or an assistant is shown
/// (the first ones, in document order; `goalframe lint` lists them all): a
/// document of a million placeholders must not cost a client hundreds of
/// megabytes per keystroke or per call.
pub const MAX_SHOWN: usize = 1000;

/// A stable diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    UnfilledPlaceholder,
    UnknownRole,
    UnknownLevel,
    CanonDrift,
    UnmeasurableTarget,
    InvalidDate,
    DateOutsideCycle,
    DateMismatch,
    BaselineEqualsTarget,
    TemplateDrift,
    WrappedRow,
    UnreadHeading,
    DuplicateFrame,
    InvalidMetadata,
    HiddenCharacter,
}

impl Code {
    /// Every code, in the order SARIF lists its rules.
    pub const ALL: [Code; 15] = [
        Code::UnfilledPlaceholder,
        Code::UnknownRole,
        Code::UnknownLevel,
        Code::CanonDrift,
        Code::UnmeasurableTarget,
        Code::InvalidDate,
        Code::DateOutsideCycle,
        Code::DateMismatch,
        Code::BaselineEqualsTarget,
        Code::TemplateDrift,
        Code::WrappedRow,
        Code::UnreadHeading,
        Code::DuplicateFrame,
        Code::InvalidMetadata,
        Code::HiddenCharacter,
    ];

    /// How many codes there are (for tables indexed by `code as usize`).
    pub const COUNT: usize = Code::ALL.len();

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnfilledPlaceholder => "unfilled-placeholder",
            Code::UnknownRole => "unknown-role",
            Code::UnknownLevel => "unknown-level",
            Code::CanonDrift => "canon-drift",
            Code::UnmeasurableTarget => "unmeasurable-target",
            Code::InvalidDate => "invalid-date",
            Code::DateOutsideCycle => "date-outside-cycle",
            Code::DateMismatch => "date-mismatch",
            Code::BaselineEqualsTarget => "baseline-equals-target",
            Code::TemplateDrift => "template-drift",
            Code::WrappedRow => "wrapped-row",
            Code::UnreadHeading => "unread-heading",
            Code::DuplicateFrame => "duplicate-frame",
            Code::InvalidMetadata => "invalid-metadata",
            Code::HiddenCharacter => "hidden-character",
        }
    }

    /// The severity a code has unless settings change it.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnknownRole | Code::UnknownLevel => Severity::Error,
            _ => Severity::Warning,
        }
    }

    /// One line on what the code means, for SARIF rules and docs.
    pub fn description(self) -> &'static str {
        match self {
            Code::UnfilledPlaceholder => "A ⟨baseline⟩, ⟨target⟩ or ⟨date⟩ placeholder (or a look-alike) is still in the document.",
            Code::UnknownRole => "A role/level token names a role the canon does not have.",
            Code::UnknownLevel => "A role/level token names a level the role does not have.",
            Code::CanonDrift => "Quoted canon text inside a goalframe block is not verbatim canon text of its role and level.",
            Code::UnmeasurableTarget => "A filled target has no digit in it, so nobody can count whether it was met.",
            Code::InvalidDate => "A filled date is not a date goalframe can read.",
            Code::DateOutsideCycle => "A filled date falls before the review cycle starts or after it ends.",
            Code::DateMismatch => "A SMART goal's Time-bound date differs from the date in its Measurable row.",
            Code::BaselineEqualsTarget => "A goal's baseline and target are the same, so it asks for no change.",
            Code::TemplateDrift => "The fixed words of a frame row were changed, so its values cannot be read.",
            Code::WrappedRow => "A frame row is wrapped over several lines (a formatter's line width), so it is not read as the template's.",
            Code::UnreadHeading => "A heading names a frame, role and level with other dashes between its parts than ` — `, or is underlined rather than marked with `#`s, so it is not read as a frame heading and the goals under it are not read.",
            Code::DuplicateFrame => "A block repeats a frame of a role and level that an earlier block of the document has, so its goals would reach the HR system twice.",
            Code::InvalidMetadata => "The document's front matter or header lines have an unknown key or a value that is not valid.",
            Code::HiddenCharacter => "A value an export sends (a baseline, target or date, or a metadata value) holds a character that does not show: a control character, one that reorders the text after it, a line separator, or a zero-width space.",
        }
    }

    /// What the rule asks for and how to satisfy it: hover text and SARIF
    /// help.
    pub fn help(self) -> &'static str {
        match self {
            Code::UnfilledPlaceholder => "Type the value over the placeholder: a number for ⟨baseline⟩ and ⟨target⟩, a date for ⟨date⟩.",
            Code::UnknownRole => "Use a role id, alias or title from the canon (`goalframe canon list`).",
            Code::UnknownLevel => "Use one of the role's level codes (`goalframe canon list`).",
            Code::CanonDrift => "Canon text is quoted verbatim; restore it, or change the canon itself.",
            Code::UnmeasurableTarget => "A target must be something one can count: write the number (`20 closed deals`, `95 %`), not a direction (`more deals`).",
            Code::InvalidDate => "Write a day (`2027-06-30`, `30 June 2027`, `June 30, 2027`), a month (`2027-06`), a quarter (`2027-Q2`, `Q2 2027`) or a half (`2027-H1`, `H1 2027`); months, quarters and halves mean their last day.",
            Code::DateOutsideCycle => "Goals are due within the review cycle (front matter `cycle_start`/`cycle_end`, or `[cycle]` in goalframe.toml); move the date inside it.",
            Code::DateMismatch => "A SMART goal has one date: its Time-bound row repeats the Measurable row's date. Make them the same.",
            Code::BaselineEqualsTarget => "A target is a change from the baseline; set a target that differs from it.",
            Code::TemplateDrift => "Keep the row's template words as inserted and type only over the placeholders, or insert the frame again.",
            Code::UnreadHeading => "Write the heading as inserted, `## ` and its parts separated by ` — ` (the quick fix, or `goalframe lint --fix`). `---` for `—` is pandoc's own markdown: convert the review with `pandoc --to gfm --wrap=none` instead.",
            Code::WrappedRow => "Keep each row on one line: join it (the quick fix, or `goalframe lint --fix`), and turn the formatter's wrapping off (pandoc `--wrap=none`, Prettier `proseWrap: preserve`).",
            Code::DuplicateFrame => "Keep one copy of the frame: delete the other, or merge what each holds into one. (`export` leaves the repeated copy out when told to export anyway.)",
            Code::HiddenCharacter => "Take the character out (the quick fix, or `goalframe lint --fix`); it was most often pasted along with the value from a word processor, a PDF or a terminal.",
            Code::InvalidMetadata => "Known keys: owner and manager (email addresses), name, cycle (a label), cycle_start and cycle_end (dates, the start before the end).",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Code {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
                format!(
                    "unknown diagnostic code `{}`; expected {}",
                    crate::quote::quote(s),
                    crate::canon::quote_list(&names)
                )
            })
    }
}

/// How serious a finding is; ordered from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Hint,
    Information,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Information => "information",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses a settings value; `off` is `None`.
    pub fn parse_setting(s: &str) -> Result<Option<Severity>, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Ok(Some(Severity::Error)),
            "warning" | "warn" => Ok(Some(Severity::Warning)),
            "information" | "info" => Ok(Some(Severity::Information)),
            "hint" => Ok(Some(Severity::Hint)),
            "off" | "none" => Ok(None),
            other => Err(format!("unknown severity `{}`; expected `error`, `warning`, `information`, `hint` or `off`", crate::quote::quote(other))),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

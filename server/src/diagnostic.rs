//! Diagnostic codes and severities (docs/lsp.md): the stable names users put
//! in suppression comments, settings and CI filters. A leaf: the analysis
//! reports them and the settings configure them, and neither needs the
//! other to name them.

use std::fmt;
use std::str::FromStr;

/// A stable diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    UnfilledPlaceholder,
    UnknownRole,
    UnknownLevel,
    CanonDrift,
}

impl Code {
    pub const ALL: [Code; 4] = [
        Code::UnfilledPlaceholder,
        Code::UnknownRole,
        Code::UnknownLevel,
        Code::CanonDrift,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnfilledPlaceholder => "unfilled-placeholder",
            Code::UnknownRole => "unknown-role",
            Code::UnknownLevel => "unknown-level",
            Code::CanonDrift => "canon-drift",
        }
    }

    /// The severity a code has unless settings change it.
    pub fn default_severity(self) -> Severity {
        match self {
            Code::UnfilledPlaceholder | Code::CanonDrift => Severity::Warning,
            Code::UnknownRole | Code::UnknownLevel => Severity::Error,
        }
    }

    /// One line on what the code means, for SARIF rules and docs.
    pub fn description(self) -> &'static str {
        match self {
            Code::UnfilledPlaceholder => "A ⟨baseline⟩, ⟨target⟩ or ⟨date⟩ placeholder (or a look-alike) is still in the document.",
            Code::UnknownRole => "A role/level token names a role the canon does not have.",
            Code::UnknownLevel => "A role/level token names a level the role does not have.",
            Code::CanonDrift => "Quoted canon text inside a goalframe block is not verbatim canon text of its role and level.",
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
                    "unknown diagnostic code `{s}`; expected {}",
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
            other => Err(format!("unknown severity `{other}`; expected `error`, `warning`, `information`, `hint` or `off`")),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

//! `goalframe canon list|check|import|export|init` (docs/lint.md,
//! docs/canon.md).

use std::process::ExitCode;

use clap::Subcommand;

use goalframe::canon::Canon;

use super::{settings_and_canon, CanonArgs};

#[derive(Subcommand, Debug)]
pub enum CanonCommand {
    /// List the roles and levels of the canon.
    List(CanonArgs),
    /// Validate the canon; exit 2 and print each problem as file:line:col.
    Check(CanonArgs),
    /// Write a canon directory from spreadsheets (.csv, .xlsx); exit 2 and
    /// print each problem as file:row:column, writing nothing.
    #[cfg(feature = "spreadsheets")]
    Import(super::canon_table::ImportArgs),
    /// Write the canon as one table (.csv or .xlsx) that `canon import` reads.
    #[cfg(feature = "spreadsheets")]
    Export(super::canon_table::ExportArgs),
    /// Create a starter canon directory: the default canon, its schema and a README.
    Init(super::canon_init::InitArgs),
}

pub fn run(command: &CanonCommand) -> ExitCode {
    match command {
        CanonCommand::List(args) => match settings_and_canon(args) {
            Ok((_, canon)) => super::write_stdout(list(&canon).as_bytes()),
            Err(code) => code,
        },
        CanonCommand::Check(args) => match settings_and_canon(args) {
            Ok((_, canon)) => super::write_stdout(format!("{}\n", summary(&canon)).as_bytes()),
            Err(code) => code,
        },
        #[cfg(feature = "spreadsheets")]
        CanonCommand::Import(args) => super::canon_table::import(args),
        #[cfg(feature = "spreadsheets")]
        CanonCommand::Export(args) => super::canon_table::export(args),
        CanonCommand::Init(args) => super::canon_init::init(args),
    }
}

/// `N roles, M levels, K role-levels from SOURCES`.
pub fn summary(canon: &Canon) -> String {
    format!(
        "canon ok: {} from {}",
        canon.size(),
        canon.sources().join(", ")
    )
}

/// One line per role (id, title, family, aliases), then one indented line
/// per level it has.
fn list(canon: &Canon) -> String {
    let mut s = String::new();
    for role in canon.roles() {
        s.push_str(&format!("{}\t{}\t{}", role.id, role.title, role.family));
        if !role.aliases.is_empty() {
            s.push_str(&format!("\taliases: {}", role.aliases.join(", ")));
        }
        s.push('\n');
        for rl in &role.levels {
            let level = &canon.levels()[rl.level];
            s.push_str(&format!(
                "  {}\t{}\t{} responsibilities, {} dimensions, {} rubrics\n",
                level.code,
                level.name,
                rl.responsibilities().len(),
                level.dimensions.len(),
                rl.rubrics().len()
            ));
        }
    }
    s
}

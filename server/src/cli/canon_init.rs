//! `goalframe canon init` (docs/canon.md): a starter canon directory,
//! the default canon with its schema and a README. It needs no
//! spreadsheet crate, so it is there in every build.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use goalframe::canon;

use super::atomic::{self, NewDir};
use super::usage;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The directory to create (it may exist if empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Replace a non-empty DIR, and everything in it (as `canon import
    /// --force` does).
    #[arg(long)]
    pub force: bool,
}

/// In debug builds (the tests'), every canon written is loaded back
/// before it is put in place: what `canon import` writes always passes
/// `canon check`.
pub(super) fn verify(dir: &Path) -> Result<(), String> {
    if cfg!(debug_assertions) {
        canon::load_dirs(&[dir.to_path_buf()])
            .map_err(|e| format!("internal error: the canon written does not load:\n{e}"))?;
    }
    Ok(())
}

/// The README a starter canon comes with.
const INIT_README: &str = include_str!("init_readme.md");

pub fn init(args: &InitArgs) -> ExitCode {
    if let Err(e) = atomic::check_target_dir(&args.dir, args.force) {
        return usage(e);
    }
    let written = NewDir::create(&args.dir).and_then(|dir| {
        for (rel, text) in canon::embedded_files() {
            dir.write(rel, text.as_bytes())?;
        }
        let (schema, text) = canon::write::schema_file();
        dir.write(schema, text.as_bytes())?;
        dir.write("README.md", INIT_README.as_bytes())?;
        verify(dir.path())?;
        dir.install()
    });
    match written {
        Ok(()) => super::write_stdout(
            format!(
                "wrote a starter canon to {}: edit it, or export it to a spreadsheet (see its README.md)\n",
                args.dir.display()
            )
            .as_bytes(),
        ),
        Err(e) => usage(format!("{e}; nothing was written")),
    }
}

//! Any text, as a spreadsheet table (rows split where the bytes are not
//! UTF-8, cells at tabs; offered as the readers offer rows): a canon or
//! errors at cells, never a panic;
//! a canon that comes out goes back through its own table unchanged.
#![no_main]

use goalframe::canon::table::{export, Import, Table, COLUMNS};
use libfuzzer_sys::fuzz_target;

fn import(
    rows: &[Vec<String>],
) -> Result<goalframe::canon::Canon, goalframe::canon::table::TableErrors> {
    let mut import = Import::new();
    import.begin(Table {
        file: "t.csv".into(),
        sheet: None,
    });
    for (i, row) in rows.iter().enumerate() {
        import.offer(i + 1, row);
    }
    import.end_table();
    import.finish(vec![])
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let rows: Vec<Vec<String>> = text
        .split('\u{fffd}')
        .map(|row| row.split('\t').map(String::from).collect())
        .collect();
    match import(&rows) {
        Ok(canon) => {
            let mut table = vec![COLUMNS.map(String::from).to_vec()];
            export::<()>(&canon, |cells| {
                table.push(cells.iter().map(|c| c.to_string()).collect());
                Ok(())
            })
            .unwrap();
            let back = import(&table).expect("an exported table imports");
            assert_eq!(canon.levels(), back.levels());
            assert_eq!(canon.roles(), back.roles());
        }
        Err(errors) => {
            assert!(!errors.0.is_empty());
            for e in &errors.0 {
                assert!(e.row >= 1 && e.column >= 1, "{e:?}");
                assert!(!e.message.is_empty(), "{e:?}");
            }
        }
    }
});

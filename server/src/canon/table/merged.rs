//! Merged cells: a sheet shows a merged cell's value over every cell it
//! covers, but only its first cell holds it, so the others read as empty.
//! A problem at one of them says so.

use std::collections::HashMap;

use super::{column_letters, Import, Pos};

/// The most (merged cell, column with a problem) pairs looked at.
const MERGED_BUDGET: usize = 1 << 22;

impl Import {
    /// Whether a problem was found in the current table so far (a reader
    /// may then look for what explains it, such as merged cells).
    pub fn current_has_errors(&self) -> bool {
        let table = self.tables.len().saturating_sub(1);
        self.errors.iter().any(|(p, _)| p.table == table)
    }

    /// Tells, of each problem so far at a cell of the current table inside
    /// one of the `merged` cells (each its 1-based first and last row,
    /// then first and last column) but not its first, why it reads as empty: a merged
    /// cell shows one value over many, but only its first cell holds it.
    pub fn explain_merged(&mut self, merged: &[[usize; 4]]) {
        let table = self.tables.len().saturating_sub(1);
        let mine = |p: &Pos| p.table == table;
        let mut columns: Vec<usize> = self
            .errors
            .iter()
            .filter(|e| mine(&e.0))
            .map(|e| e.0.column)
            .collect();
        columns.sort_unstable();
        columns.dedup();
        // Per column with a problem, its merged cells by first row: merged
        // cells do not overlap, so the one a cell may lie in is the last
        // that starts at or above it. A sheet of many merged cells, each
        // over many columns with problems, gets as many as the budget
        // holds: one left out only leaves a problem unexplained.
        let mut budget = MERGED_BUDGET;
        let mut by_column: HashMap<usize, Vec<[usize; 4]>> = HashMap::new();
        for &[r0, r1, c0, c1] in merged {
            let from = columns.partition_point(|&c| c < c0);
            let to = columns.partition_point(|&c| c <= c1);
            for &column in &columns[from..to.max(from)] {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                by_column.entry(column).or_default().push([r0, r1, c0, c1]);
            }
        }
        for cells in by_column.values_mut() {
            cells.sort_unstable();
        }
        let name = |row: usize, column: usize| format!("{}{row}", column_letters(column));
        for (p, message) in self.errors.iter_mut().filter(|e| mine(&e.0)) {
            let Some(cells) = by_column.get(&p.column) else {
                continue;
            };
            let i = cells.partition_point(|&[r0, ..]| r0 <= p.row);
            let Some(&[r0, r1, c0, c1]) = i.checked_sub(1).map(|i| &cells[i]) else {
                continue;
            };
            if p.row <= r1 && (p.row, p.column) != (r0, c0) {
                message.push_str(&format!(
                    "; the cell is part of the merged cell {}:{}, whose value belongs to {} alone: unmerge it and fill in each row",
                    name(r0, c0),
                    name(r1, c1),
                    name(r0, c0)
                ));
            }
        }
    }
}

//! The rows of each frame for one role at one level, built once. The
//! omission rules (docs/frames.md) live here and only here: the writers lay out whatever
//! rows exist and never decide what to leave out.

use crate::canon::{Dimension, RoleAtLevel, RUBRIC_COMPLEXITY, RUBRIC_KNOWLEDGE};

use super::Frame;

/// Every row any frame can show, for one role at one level.
#[derive(Debug, Clone)]
pub struct Rows<'c> {
    pub ral: RoleAtLevel<'c>,
    pub smart: Vec<SmartItem<'c>>,
    pub okr: Vec<OkrItem<'c>>,
    pub mbo: Vec<MboItem<'c>>,
    /// Responsibilities quoted in the `Internal process` perspective.
    pub internal: Vec<&'c str>,
    /// Dimensions in the `Role calibration` perspective.
    pub calibration: Vec<&'c Dimension>,
}

#[derive(Debug, Clone)]
pub struct SmartItem<'c> {
    pub responsibility: &'c str,
    /// The CX rubric; `None` omits the `Achievable:` row.
    pub achievable: Option<&'c str>,
}

#[derive(Debug, Clone)]
pub struct OkrItem<'c> {
    pub responsibility: &'c str,
    /// The dimension KR2 quotes; `None` (no dimensions) omits KR2.
    pub kr2: Option<&'c Dimension>,
}

#[derive(Debug, Clone)]
pub struct MboItem<'c> {
    pub responsibility: &'c str,
    /// The KA rubric; `None` omits the `Standard:` row (an empty cell in
    /// the markdown table).
    pub standard: Option<&'c str>,
}

impl<'c> Rows<'c> {
    /// Builds every frame's rows from the canon, applying docs/frames.md.
    pub fn new(ral: RoleAtLevel<'c>) -> Rows<'c> {
        let resp: Vec<&str> = ral.at.responsibilities().collect();
        let dims = &ral.level.dimensions;
        let cx = ral.at.rubric(RUBRIC_COMPLEXITY);
        let ka = ral.at.rubric(RUBRIC_KNOWLEDGE);
        Rows {
            ral,
            smart: resp
                .iter()
                .map(|&r| SmartItem {
                    responsibility: r,
                    achievable: cx,
                })
                .collect(),
            okr: resp
                .iter()
                .enumerate()
                .map(|(i, &r)| OkrItem {
                    responsibility: r,
                    kr2: (!dims.is_empty()).then(|| &dims[i % dims.len()]),
                })
                .collect(),
            mbo: resp
                .iter()
                .map(|&r| MboItem {
                    responsibility: r,
                    standard: ka,
                })
                .collect(),
            internal: resp.clone(),
            calibration: dims.iter().collect(),
        }
    }

    /// Whether a frame has any row at all; a frame without rows is not
    /// rendered.
    pub fn has(&self, frame: Frame) -> bool {
        match frame {
            Frame::Smart => !self.smart.is_empty(),
            Frame::Okr => !self.okr.is_empty(),
            Frame::Mbo => !self.mbo.is_empty(),
            Frame::Scorecard => !self.internal.is_empty() || !self.calibration.is_empty(),
        }
    }
}

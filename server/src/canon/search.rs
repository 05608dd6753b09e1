//! Role search for completion: ranked, capped and cheap enough to run on
//! every keystroke against tens of thousands of roles.

use super::Role;

/// The names one role can be found by, lower-cased once at load time.
///
/// Laid out for a linear scan of 100,000 role-levels per keystroke: every
/// key in one buffer, and per key one small fixed-size record, in role
/// order, so the scan reads memory sequentially.
#[derive(Debug, Clone, Default)]
pub(super) struct SearchIndex {
    /// Every role's id, aliases and title, lower-cased, back to back.
    text: String,
    keys: Vec<Key>,
}

#[derive(Debug, Clone, Copy)]
struct Key {
    /// Byte range in `text`.
    start: u32,
    end: u32,
    /// Which characters the key holds ([`char_mask`]). A key matches a
    /// query (exactly, by prefix, by word prefix or as a subsequence) only
    /// if it holds every character of the query, so most keys are ruled
    /// out by one AND.
    mask: u64,
    role: u32,
    /// The role's title (not an id or alias).
    title: bool,
}

/// A 64-bit set of the characters in `s`: one bit per ASCII letter and
/// digit, one for `-`, one for space, one shared by everything else.
fn char_mask(s: &str) -> u64 {
    let mut m = 0u64;
    for c in s.chars() {
        m |= 1u64
            << match c {
                'a'..='z' => c as u32 - 'a' as u32,
                '0'..='9' => 26 + c as u32 - '0' as u32,
                '-' => 36,
                ' ' => 37,
                'A'..='Z' => c as u32 - 'A' as u32,
                _ => 63,
            };
    }
    m
}

/// Ranked roles for one query.
#[derive(Debug, Clone)]
pub struct RoleMatches<'c> {
    pub roles: Vec<&'c Role>,
    /// More roles matched than `limit`; the client should ask again as the
    /// user types (`isIncomplete`).
    pub truncated: bool,
}

/// How well a role matched; lower is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Exact,
    Prefix,
    WordPrefix,
    Fuzzy,
}

impl SearchIndex {
    pub(super) fn build(roles: &[Role]) -> SearchIndex {
        let mut index = SearchIndex::default();
        for (i, r) in roles.iter().enumerate() {
            let names = std::iter::once(&r.id)
                .chain(r.aliases.iter())
                .chain(std::iter::once(&r.title));
            let count = 2 + r.aliases.len();
            for (j, name) in names.enumerate() {
                let lower = name.to_lowercase();
                let start = index.text.len() as u32;
                index.text.push_str(&lower);
                index.keys.push(Key {
                    start,
                    end: index.text.len() as u32,
                    mask: char_mask(&lower),
                    role: i as u32,
                    title: j + 1 == count,
                });
            }
        }
        index
    }

    pub(super) fn query<'c>(
        &self,
        roles: &'c [Role],
        query: &str,
        limit: usize,
    ) -> RoleMatches<'c> {
        let q = query.trim().to_lowercase();
        let qmask = char_mask(&q);
        let mut hits: Vec<(Rank, usize, usize)> = Vec::new();
        // The best (rank, length) of the role whose keys are being read.
        let mut best: Option<(Rank, usize, usize)> = None;
        for k in &self.keys {
            let role = k.role as usize;
            if best.is_some_and(|b| b.2 != role) {
                hits.extend(best.take());
            }
            if qmask & !k.mask != 0 {
                continue;
            }
            let key = &self.text[k.start as usize..k.end as usize];
            if let Some((r, len)) = rank(key, &q) {
                if best.is_none_or(|b| (r, len) < (b.0, b.1)) {
                    best = Some((r, len, role));
                }
            }
        }
        hits.extend(best);
        let truncated = hits.len() > limit;
        if truncated {
            hits.select_nth_unstable(limit);
            hits.truncate(limit);
        }
        hits.sort_unstable();
        RoleMatches {
            roles: hits.into_iter().map(|(_, _, i)| &roles[i]).collect(),
            truncated,
        }
    }
}

impl SearchIndex {
    /// The ids closest to a misspelled name by Jaro-Winkler similarity
    /// over ids and aliases (at least 0.7), best first, ties by id.
    pub(super) fn closest<'c>(&self, roles: &'c [Role], name: &str, limit: usize) -> Vec<&'c str> {
        let needle = name.trim().to_lowercase();
        let mut scored: Vec<(f64, &str)> = Vec::new();
        let mut best: Option<(f64, usize)> = None;
        for k in &self.keys {
            let role = k.role as usize;
            if best.is_some_and(|b| b.1 != role) {
                let (score, i) = best.take().expect("checked");
                if score >= 0.7 {
                    scored.push((score, roles[i].id.as_str()));
                }
            }
            if k.title {
                continue;
            }
            let key = &self.text[k.start as usize..k.end as usize];
            let score = strsim::jaro_winkler(&needle, key);
            if best.is_none_or(|b| score > b.0) {
                best = Some((score, role));
            }
        }
        if let Some((score, i)) = best {
            if score >= 0.7 {
                scored.push((score, roles[i].id.as_str()));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored.into_iter().take(limit).map(|(_, id)| id).collect()
    }
}

/// The rank of one key for a query, with the key's length as a tie-breaker
/// (shorter names first), or `None` when it does not match at all.
fn rank(key: &str, q: &str) -> Option<(Rank, usize)> {
    let r = if key == q {
        Rank::Exact
    } else if key.starts_with(q) {
        Rank::Prefix
    } else if key
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(q))
    {
        Rank::WordPrefix
    } else if is_subsequence(q, key) {
        Rank::Fuzzy
    } else {
        return None;
    };
    Some((r, key.len()))
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut hay = hay.chars();
    needle.chars().all(|c| hay.any(|h| h == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(id: &str, aliases: &[&str], title: &str) -> Role {
        Role {
            id: id.into(),
            title: title.into(),
            family: "F".into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            levels: vec![],
        }
    }

    #[test]
    fn ranks_exact_then_prefix_then_word_then_fuzzy() {
        let roles = vec![
            role("fuzzy-a-e", &[], "Alpha Echo"),
            role("aerospace-engineer", &[], "Aerospace Engineer"),
            role("account-executive", &["ae"], "Account Executive"),
            role("sales-aerial", &[], "Sales Aerial"),
        ];
        let idx = SearchIndex::build(&roles);
        let m = idx.query(&roles, "AE", 10);
        let ids: Vec<&str> = m.roles.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "account-executive",
                "aerospace-engineer",
                "sales-aerial",
                "fuzzy-a-e"
            ]
        );
        assert!(!m.truncated);
    }

    #[test]
    fn caps_and_reports_truncation() {
        let roles: Vec<Role> = (0..120)
            .map(|i| role(&format!("role-{i:03}"), &[], "Role"))
            .collect();
        let idx = SearchIndex::build(&roles);
        let m = idx.query(&roles, "role", 50);
        assert_eq!(m.roles.len(), 50);
        assert!(m.truncated);
        assert_eq!(m.roles[0].id, "role-000");
        let none = idx.query(&roles, "zzz", 50);
        assert!(none.roles.is_empty() && !none.truncated);
    }
}

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
        let shared = SharedChars::new(&needle);
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
            if !shared.may_reach_by_mask(k.mask, key.len(), 0.7) || !shared.may_reach(key, 0.7) {
                continue;
            }
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

/// A cheap upper bound of the Jaro similarity of a needle with many keys,
/// to skip the keys that cannot reach a threshold before scoring them.
/// Jaro counts matching characters, and no more can match than the two
/// strings share: J ≤ (m/|a| + m/|b| + 1) / 3 with m the size of the
/// multiset intersection. Jaro-Winkler only adds to a Jaro score above
/// 0.7, so for thresholds up to 0.7 the bound holds for it too.
struct SharedChars {
    /// Byte counts of an ASCII needle; `None` for any other needle.
    counts: Option<[u16; 128]>,
    len: usize,
    /// The needle's [`char_mask`], and how many of its characters each
    /// bit of it stands for.
    mask: u64,
    per_bit: [u16; 64],
}

impl SharedChars {
    fn new(needle: &str) -> SharedChars {
        let counts = needle.is_ascii().then(|| {
            let mut c = [0u16; 128];
            for b in needle.bytes() {
                c[b as usize] = c[b as usize].saturating_add(1);
            }
            c
        });
        let mut per_bit = [0u16; 64];
        for c in needle.chars() {
            let bit = char_mask(c.encode_utf8(&mut [0; 4])).trailing_zeros() as usize;
            per_bit[bit] = per_bit[bit].saturating_add(1);
        }
        SharedChars {
            counts,
            len: needle.len(),
            mask: char_mask(needle),
            per_bit,
        }
    }

    /// [`SharedChars::may_reach`] from a key's [`char_mask`] and length
    /// alone, a first look that rules out most keys without reading them:
    /// no more characters can match than the needle has of the kinds the
    /// key holds. Only for a key of letters, digits, `-` and spaces (one
    /// bit a character, ASCII, so its length counts its characters).
    fn may_reach_by_mask(&self, key_mask: u64, key_len: usize, threshold: f64) -> bool {
        if self.counts.is_none() || key_mask & (1 << 63) != 0 || key_len == 0 || self.len == 0 {
            return true;
        }
        let mut shared = self.mask & key_mask;
        let mut m = 0usize;
        while shared != 0 {
            m += usize::from(self.per_bit[shared.trailing_zeros() as usize]);
            shared &= shared - 1;
        }
        m > 0 && reaches(m.min(key_len), self.len, key_len, threshold)
    }

    /// Whether `key` may reach `threshold` (at most 0.7).
    fn may_reach(&self, key: &str, threshold: f64) -> bool {
        let Some(mut left) = self.counts else {
            return true;
        };
        if !key.is_ascii() || key.is_empty() || self.len == 0 {
            return true;
        }
        let mut m = 0usize;
        for b in key.bytes() {
            let slot = &mut left[b as usize];
            if *slot > 0 {
                *slot -= 1;
                m += 1;
            }
        }
        m > 0 && reaches(m, self.len, key.len(), threshold)
    }
}

/// Whether `(m/a + m/b + 1) / 3` may reach `threshold`, multiplied out
/// rather than divided, for it is asked of every key:
/// `m (a + b) >= (3 threshold - 1) a b`. A margin for rounding: only keys
/// clearly below are ruled out.
fn reaches(m: usize, a: usize, b: usize, threshold: f64) -> bool {
    let (m, a, b) = (m as f64, a as f64, b as f64);
    m * (a + b) >= (3.0 * threshold - 1.0) * a * b - 1e-6 * a * b
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
    fn shared_chars_never_skip_a_key_that_reaches_the_threshold() {
        let words = [
            "ae",
            "account-executive-field-sales",
            "unknown-role-25",
            "sdr",
            "a",
            "aaaa",
            "field-sales",
            "sales-engineer",
            "engineer",
            "eng",
            "se",
            "x",
            "acct-exec",
        ];
        let (mut skipped, mut skipped_by_mask) = (0, 0);
        for needle in words {
            let shared = SharedChars::new(needle);
            for key in words {
                for key in [
                    key.to_string(),
                    format!("{key}-2"),
                    format!("{key} 9"),
                    format!("{key}é"),
                    key.chars().rev().collect(),
                ] {
                    let score = strsim::jaro_winkler(needle, &key);
                    if !shared.may_reach(&key, 0.7) {
                        skipped += 1;
                        assert!(score < 0.7, "{needle} / {key}: {score}");
                    }
                    if !shared.may_reach_by_mask(char_mask(&key), key.len(), 0.7) {
                        skipped_by_mask += 1;
                        assert!(score < 0.7, "by mask: {needle} / {key}: {score}");
                    }
                }
            }
        }
        assert!(skipped > 100, "the bound skips hopeless keys ({skipped})");
        assert!(
            skipped_by_mask > 100,
            "the mask skips hopeless keys ({skipped_by_mask})"
        );
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

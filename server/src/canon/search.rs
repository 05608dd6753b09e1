//! Role search for completion: ranked, capped and cheap enough to run on
//! every keystroke against tens of thousands of roles.

use super::Role;

/// The names one role can be found by, lower-cased once at load time.
#[derive(Debug, Clone, Default)]
pub(super) struct SearchIndex {
    /// Per role: id, aliases and title, lower-cased.
    keys: Vec<Vec<String>>,
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
        let keys = roles
            .iter()
            .map(|r| {
                std::iter::once(&r.id)
                    .chain(r.aliases.iter())
                    .chain(std::iter::once(&r.title))
                    .map(|s| s.to_lowercase())
                    .collect()
            })
            .collect();
        SearchIndex { keys }
    }

    pub(super) fn query<'c>(
        &self,
        roles: &'c [Role],
        query: &str,
        limit: usize,
    ) -> RoleMatches<'c> {
        let q = query.trim().to_lowercase();
        let mut hits: Vec<(Rank, usize, usize)> = Vec::new();
        for (i, keys) in self.keys.iter().enumerate() {
            if let Some((rank, len)) = keys.iter().filter_map(|k| rank(k, &q)).min() {
                hits.push((rank, len, i));
            }
        }
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

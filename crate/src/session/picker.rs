//! The account picker's decisions: which roles a search shows, how they group by account, and
//! what the selection counts say. The popup keeps the listing as flat rows and asks this once per
//! keystroke or click; it only draws what comes back.
//!
//! Rows arrive as one text (rows separated by `\n`, fields by `\t`: account id, account name,
//! role name, profile name), so 5,000 roles cross the wasm boundary as one string, not 5,000
//! objects. A row with an empty role name stands for an account whose roles are not listed yet:
//! it places the account in the listing order and is never counted as a role.
//!
//! Rules:
//! - a query is words separated by white space (ASCII or ideographic); a role is shown when every
//!   word occurs in its account name, account id, role name or profile name, ignoring case. The
//!   caller lower-cases both texts first (the browser's `toLowerCase`, the same Unicode mapping as
//!   `str::to_lowercase`: full-width letters fold, kana and kanji stay): Rust's case tables would
//!   add 6 KB gzip to the wasm core, the browser's cost nothing;
//! - accounts keep the order in which their first row arrives (the listing's order);
//! - selections hidden by the search stay selected, and the counts say how many are hidden, so
//!   the popup can show them and ask before applying them;
//! - "only selected" shows the selected roles alone (how the popup reveals hidden selections).

/// Up to this many roles the picker opens every account at first; above it accounts start
/// collapsed, as in the access portal, and a search opens the accounts it finds.
pub const OPEN_ALL_UP_TO: usize = 60;

/// Where the numbers of [`view`]'s header sit; groups follow it.
pub mod header {
    /// Roles shown by the query.
    pub const SHOWN: usize = 0;
    /// Selected roles among those shown.
    pub const SHOWN_SELECTED: usize = 1;
    /// Selected roles in all.
    pub const SELECTED: usize = 2;
    /// 1 when accounts start open (a query, "only selected", or a small listing).
    pub const OPEN: usize = 3;
    /// How many groups follow.
    pub const GROUPS: usize = 4;
    /// The header's length.
    pub const LEN: usize = 5;
}

/// Where the numbers of one group sit, from the group's start; its shown role rows follow.
pub mod group {
    /// The account's first row (to read its id and name from).
    pub const HEAD: usize = 0;
    /// The account's roles in all.
    pub const ROLES: usize = 1;
    /// The account's selected roles in all.
    pub const SELECTED: usize = 2;
    /// How many of its roles are shown (the row indices that follow).
    pub const SHOWN: usize = 3;
    /// Selected roles among those shown.
    pub const SHOWN_SELECTED: usize = 4;
    /// The group's fixed part; then `SHOWN` row indices.
    pub const LEN: usize = 5;
}

/// The picker's view as one flat array (see [`header`] and [`group`]): cheap to pass to JS and to
/// walk there. `rows` and `query` are lower-cased already (see the module's rules).
/// `selected[i] != 0` marks row `i` selected (missing entries are unselected).
pub fn view(rows: &str, query: &str, selected: &[u8], only_selected: bool) -> Vec<u32> {
    let words: Vec<&str> = query.split_whitespace().collect();
    struct Group {
        head: u32,
        roles: u32,
        selected: u32,
        matched: bool,
        shown: Vec<u32>,
        shown_selected: u32,
    }
    let mut groups: Vec<Group> = Vec::new();
    // Sorted by account id, with the account's group: a binary search costs less wasm than a map.
    let mut by_account: Vec<(&str, usize)> = Vec::new();
    let (mut shown, mut shown_selected, mut selected_total, mut roles_total) = (0u32, 0u32, 0u32, 0usize);
    for (i, row) in rows.split('\n').enumerate() {
        let mut fields = row.split('\t');
        let account_id = fields.next().unwrap_or_default();
        if account_id.is_empty() {
            continue;
        }
        let is_role = !fields.nth(1).unwrap_or_default().is_empty();
        let index = match by_account.binary_search_by(|(id, _)| id.cmp(&account_id)) {
            Ok(at) => by_account[at].1,
            Err(at) => {
                groups.push(Group {
                    head: i as u32,
                    roles: 0,
                    selected: 0,
                    matched: false,
                    shown: Vec::new(),
                    shown_selected: 0,
                });
                by_account.insert(at, (account_id, groups.len() - 1));
                groups.len() - 1
            }
        };
        let g = &mut groups[index];
        let is_selected = is_role && selected.get(i).is_some_and(|&s| s != 0);
        let matches = (is_selected || !only_selected) && words.iter().all(|w| row.contains(w));
        g.matched |= matches;
        if !is_role {
            continue;
        }
        roles_total += 1;
        g.roles += 1;
        g.selected += u32::from(is_selected);
        selected_total += u32::from(is_selected);
        if matches {
            g.shown.push(i as u32);
            g.shown_selected += u32::from(is_selected);
            shown += 1;
            shown_selected += u32::from(is_selected);
        }
    }
    // Only selected roles match then, so an account of pending roles shows no row of its own.
    groups.retain(|g| g.matched && !(only_selected && g.shown.is_empty()));
    let open = !words.is_empty() || only_selected || roles_total <= OPEN_ALL_UP_TO;
    let mut out = vec![shown, shown_selected, selected_total, u32::from(open), groups.len() as u32];
    for g in groups {
        out.extend([g.head, g.roles, g.selected, g.shown.len() as u32, g.shown_selected]);
        out.extend(g.shown);
    }
    out
}

/// The first `groups` groups of a [`view`], as a view of their own over only the rows they use:
/// what the popup draws at once when it reopens on a long remembered listing, before the whole
/// listing (1 MB for 5,000 roles) and its own copy of this core have loaded. Returns the rows
/// kept, in ascending order (so account rows still come before role rows), then that view with
/// each row replaced by its position among the rows kept. The header is the whole view's: the
/// counts stay true of the whole listing.
pub fn preview(view: &[u32], groups: usize) -> (Vec<u32>, Vec<u32>) {
    let Some(total) = view.get(header::GROUPS) else {
        return (Vec::new(), Vec::new());
    };
    let kept_groups = groups.min(*total as usize);
    // Each kept group's span of `view`: its numbers and its shown rows.
    let mut spans = Vec::with_capacity(kept_groups);
    let mut at = header::LEN;
    for _ in 0..kept_groups {
        let Some(&n) = view.get(at + group::SHOWN) else { break };
        let end = (at + group::LEN + n as usize).min(view.len());
        spans.push(at..end);
        at = end;
    }
    let mut rows: Vec<u32> = spans
        .iter()
        .flat_map(|g| {
            std::iter::once(view[g.start + group::HEAD]).chain(view[g.start + group::LEN..g.end].iter().copied())
        })
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let position = |row: u32| rows.binary_search(&row).unwrap_or_default() as u32;
    let mut out = view[..header::LEN].to_vec();
    out[header::GROUPS] = spans.len() as u32;
    for g in &spans {
        out.push(position(view[g.start + group::HEAD]));
        out.extend_from_slice(&view[g.start + 1..g.start + group::LEN]);
        out.extend(view[g.start + group::LEN..g.end].iter().map(|&r| position(r)));
    }
    (rows, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROWS: &str = "111\tProduction 本番\tAdministratorAccess\tprod.Admin\n\
                        111\tProduction 本番\tReadOnly\tprod.ReadOnly\n\
                        222\tSandbox\tAdministratorAccess\tsandbox.Admin\n\
                        333\tＤＥＶ開発\tDeveloper\tdev.Developer\n\
                        444\tPending\t\t";

    /// The view as the popup asks for it: both texts lower-cased first.
    fn v(rows: &str, query: &str, selected: &[u8], only_selected: bool) -> Vec<u32> {
        view(&rows.to_lowercase(), &query.to_lowercase(), selected, only_selected)
    }

    /// (account head row, shown rows) per group, and the header.
    fn groups(out: &[u32]) -> (Vec<u32>, Vec<(u32, Vec<u32>)>) {
        let mut at = header::LEN;
        let mut gs = Vec::new();
        for _ in 0..out[header::GROUPS] {
            let n = out[at + group::SHOWN] as usize;
            gs.push((out[at + group::HEAD], out[at + group::LEN..at + group::LEN + n].to_vec()));
            at += group::LEN + n;
        }
        assert_eq!(at, out.len(), "nothing after the last group");
        (out[..header::LEN].to_vec(), gs)
    }

    #[test]
    fn empty_query_shows_every_account_in_listing_order_including_pending_ones() {
        let (h, gs) = groups(&v(ROWS, "", &[], false));
        assert_eq!(h, vec![4, 0, 0, 1, 4]);
        assert_eq!(gs, vec![(0, vec![0, 1]), (2, vec![2]), (3, vec![3]), (4, vec![])]);
    }

    #[test]
    fn every_word_must_match_somewhere_in_the_row() {
        let (h, gs) = groups(&v(ROWS, "prod admin", &[], false));
        assert_eq!(h[header::SHOWN], 1);
        assert_eq!(gs, vec![(0, vec![0])]);
        // Words match in any field and any order; the account id counts too.
        assert_eq!(groups(&v(ROWS, "readonly 111", &[], false)).1, vec![(0, vec![1])]);
        assert_eq!(groups(&v(ROWS, "  ADMIN\u{3000}sandbox ", &[], false)).1, vec![(2, vec![2])]);
    }

    #[test]
    fn case_folds_full_width_letters_and_leaves_kana_and_kanji_alone() {
        assert_eq!(groups(&v(ROWS, "ｄｅｖ", &[], false)).1, vec![(3, vec![3])]);
        assert_eq!(groups(&v(ROWS, "本番", &[], false)).1, vec![(0, vec![0, 1])]);
        assert_eq!(groups(&v(ROWS, "開発 developer", &[], false)).1, vec![(3, vec![3])]);
    }

    #[test]
    fn a_word_never_spans_two_fields() {
        assert_eq!(v(ROWS, "sandboxadmin", &[], false)[header::SHOWN], 0);
        assert_eq!(v(ROWS, "x\ty", &[], false)[header::GROUPS], 0);
    }

    #[test]
    fn a_pending_account_shows_when_its_name_matches_but_counts_no_role() {
        let (h, gs) = groups(&v(ROWS, "pend", &[], false));
        assert_eq!((h[header::SHOWN], gs), (0, vec![(4, vec![])]));
    }

    #[test]
    fn nothing_found_is_an_empty_v() {
        let out = v(ROWS, "nothing-like-this", &[1, 1], false);
        assert_eq!(out, vec![0, 0, 2, 1, 0]);
    }

    #[test]
    fn selections_hidden_by_the_search_are_kept_and_counted() {
        let sel = [1, 0, 1, 0, 0];
        let out = v(ROWS, "sandbox", &sel, false);
        assert_eq!(out[..header::LEN], [1, 1, 2, 1, 1]);
        // The account's own counts cover all its roles, shown or not.
        let out = v(ROWS, "readonly", &sel, false);
        let g = header::LEN;
        assert_eq!(out[g..g + group::LEN], [0, 2, 1, 1, 0]);
        assert_eq!(out[header::SHOWN_SELECTED], 0);
        assert_eq!(out[header::SELECTED], 2);
    }

    #[test]
    fn only_selected_reveals_the_selected_roles_alone() {
        let sel = [0, 1, 0, 1, 1];
        let (h, gs) = groups(&v(ROWS, "", &sel, true));
        // The pending account's row is no role, so marking it selected changes nothing.
        assert_eq!(h, vec![2, 2, 2, 1, 2]);
        assert_eq!(gs, vec![(0, vec![1]), (3, vec![3])]);
        assert_eq!(groups(&v(ROWS, "dev", &sel, true)).1, vec![(3, vec![3])]);
    }

    #[test]
    fn large_listings_start_collapsed_until_searched() {
        let rows: String = (0..OPEN_ALL_UP_TO + 1).map(|i| format!("{}\tacct\trole{i}\tp{i}\n", i / 3)).collect();
        assert_eq!(v(&rows, "", &[], false)[header::OPEN], 0);
        assert_eq!(v(&rows, "role1", &[], false)[header::OPEN], 1);
        let small: String = (0..OPEN_ALL_UP_TO).map(|i| format!("{}\tacct\trole{i}\tp{i}\n", i / 3)).collect();
        assert_eq!(v(&small, "", &[], false)[header::OPEN], 1);
    }

    #[test]
    fn an_account_seen_again_later_joins_its_first_group() {
        let rows = "1\tA\t\t\n2\tB\tr\tp\n1\tA\tr\tq";
        assert_eq!(groups(&v(rows, "", &[], false)).1, vec![(0, vec![2]), (1, vec![1])]);
    }
    #[test]
    fn a_preview_keeps_the_first_groups_over_only_their_rows() {
        let full = v(ROWS, "", &[], false);
        let (rows, out) = preview(&full, 2);
        // Groups 111 (rows 0, 1) and 222 (row 2, its own head).
        assert_eq!(rows, vec![0, 1, 2]);
        let (h, gs) = groups(&out);
        assert_eq!(h, vec![4, 0, 0, 1, 2], "the whole view's counts, two groups");
        assert_eq!(gs, vec![(0, vec![0, 1]), (2, vec![2])]);
        let (rows, out) = preview(&full, 4);
        assert_eq!(rows, vec![0, 1, 2, 3, 4]);
        assert_eq!(out, full, "all of it: nothing to renumber");
        // The groups' own numbers are the whole view's.
        assert_eq!(out[header::LEN + group::ROLES], 2);
    }

    #[test]
    fn a_preview_of_account_rows_and_role_rows_renumbers_both_in_order() {
        // Account rows first (as the popup lays them out), then their roles.
        let rows = "1\ta\t\t\n2\tb\t\t\n3\tc\t\t\n1\ta\tr1\tp1\n2\tb\tr2\tp2\n3\tc\tr3\tp3";
        let full = view(rows, "", &[], false);
        let (kept, out) = preview(&full, 2);
        assert_eq!(kept, vec![0, 1, 3, 4], "accounts 1 and 2, then their roles");
        let (_, gs) = groups(&out);
        assert_eq!(gs, vec![(0, vec![2]), (1, vec![3])]);
        // More groups than there are: the whole view, renumbered to itself.
        let (all, same) = preview(&full, 10);
        assert_eq!(all, (0..6).collect::<Vec<u32>>());
        assert_eq!(same, full);
    }

    #[test]
    fn a_preview_of_a_malformed_view_is_empty_or_short_never_a_panic() {
        assert_eq!(preview(&[], 3), (vec![], vec![]));
        assert_eq!(preview(&[0, 0, 0, 1], 3), (vec![], vec![]));
        // Says 2 groups, holds half of one.
        let (rows, out) = preview(&[1, 0, 0, 1, 2, 7, 1, 0], 2);
        assert_eq!(rows, Vec::<u32>::new());
        assert_eq!(out[header::GROUPS], 0);
    }
}

//! The filter pane's values: each facet (family, priority, status, tag)
//! with its values and counts among the documents the other facets let
//! through, and turning a value's filter on or off.

use crate::document::{Kind, Meta};
use crate::query::{self, Filter};

/// A facet of the filter pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// The document's family (todo, finding, adr).
    Family,
    /// The normalized priority (`p0`..`p4`).
    Priority,
    /// The status (canonical, else as written).
    Status,
    /// A tag of the front matter's `tags`.
    Tag,
}

impl Facet {
    pub(crate) const ALL: [Facet; 4] = [Facet::Family, Facet::Priority, Facet::Status, Facet::Tag];
    pub(crate) fn title(self) -> &'static str {
        match self {
            Facet::Family => "Family",
            Facet::Priority => "Priority",
            Facet::Status => "Status",
            Facet::Tag => "Tag",
        }
    }
    #[allow(dead_code)] // unused since the visibility sweep; remove unless this round's views use it
    pub(crate) fn name(self) -> &'static str {
        match self {
            Facet::Family => "family",
            Facet::Priority => "priority",
            Facet::Status => "status",
            Facet::Tag => "tag",
        }
    }
}

/// One toggleable value with the number of items it would show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    /// Which facet the value belongs to.
    pub facet: Facet,
    /// The value as shown and filtered on.
    pub value: String,
    /// How many documents have this value among those the other facets' filters let
    /// through.
    pub count: usize,
    /// The value is part of the current filter.
    pub active: bool,
}

fn without(f: &Filter, facet: Facet) -> Filter {
    let mut f = f.clone();
    match facet {
        Facet::Family => f.kinds.clear(),
        Facet::Priority => f.priorities.clear(),
        Facet::Status => f.statuses.clear(),
        Facet::Tag => f.tags.clear(),
    }
    f
}

/// Whether `value` is active in `f`'s `facet`.
pub(crate) fn is_active(f: &Filter, facet: Facet, value: &str) -> bool {
    match facet {
        Facet::Family => Kind::parse(value).is_some_and(|k| f.kinds.contains(&k)),
        Facet::Priority => f.priorities.iter().any(|p| p == value),
        Facet::Status => f.statuses.iter().any(|s| s == value),
        Facet::Tag => f.tags.iter().any(|t| t.eq_ignore_ascii_case(value)),
    }
}

/// `f` with `value` toggled in `facet`.
pub(crate) fn toggle(f: &Filter, facet: Facet, value: &str) -> Filter {
    let mut f = f.clone();
    let on = is_active(&f, facet, value);
    match facet {
        Facet::Family => {
            if let Some(k) = Kind::parse(value) {
                if on {
                    f.kinds.retain(|x| *x != k);
                } else {
                    f.kinds.push(k);
                }
            }
        }
        Facet::Priority => {
            if on {
                f.priorities.retain(|x| x != value);
            } else {
                f.priorities.push(value.to_string());
            }
        }
        Facet::Status => {
            if on {
                f.statuses.retain(|x| x != value);
            } else {
                f.statuses.push(value.to_string());
            }
        }
        Facet::Tag => {
            if on {
                f.tags.retain(|x| !x.eq_ignore_ascii_case(value));
            } else {
                f.tags.push(value.to_string());
            }
        }
    }
    f
}

/// Every value of every facet with its count among the items the other
/// facets let through. Active values are listed even at zero.
pub(crate) fn facet_values(items: &[Meta], f: &Filter) -> Vec<FacetValue> {
    let mut out = Vec::new();
    for facet in Facet::ALL {
        let others = without(f, facet);
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut bump = |v: &str| {
            if let Some(e) = counts.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(v)) {
                e.1 += 1;
            } else {
                counts.push((v.to_string(), 1));
            }
        };
        for m in items.iter().filter(|m| others.matches(m)) {
            match facet {
                Facet::Family => bump(m.kind.as_str()),
                Facet::Priority => {
                    if let Some(p) = &m.priority {
                        bump(p)
                    }
                }
                Facet::Status => {
                    let s = m.status_label();
                    if !s.is_empty() {
                        bump(s)
                    }
                }
                Facet::Tag => {
                    for t in &m.tags {
                        bump(t)
                    }
                }
            }
        }
        let mut active: Vec<String> = match facet {
            Facet::Family => f.kinds.iter().map(|k| k.as_str().to_string()).collect(),
            Facet::Priority => f.priorities.clone(),
            Facet::Status => f.statuses.clone(),
            Facet::Tag => f.tags.clone(),
        };
        active.retain(|a| !counts.iter().any(|(k, _)| k.eq_ignore_ascii_case(a)));
        counts.extend(active.into_iter().map(|a| (a, 0)));
        match facet {
            Facet::Family => counts.sort_by_key(|(k, _)| Kind::parse(k)),
            Facet::Priority => counts.sort_by(|a, b| a.0.cmp(&b.0)),
            Facet::Status => {
                let pos = query::status_order(items);
                counts.sort_by(|a, b| pos(&a.0).cmp(&pos(&b.0)).then_with(|| a.0.cmp(&b.0)));
            }
            Facet::Tag => counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0))),
        }
        for (value, count) in counts {
            let active = is_active(f, facet, &value);
            out.push(FacetValue {
                facet,
                value,
                count,
                active,
            });
        }
    }
    out
}

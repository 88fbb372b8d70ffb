//! `findings options ID [--action TEXT]`: the document's own decision
//! options and the accepted ADRs' options, as `triage --action` sees them;
//! with `--action`, the tier each option gets and the one triage would adopt
//! (decided by the same matcher triage calls).

use super::output::json_pretty;
use super::{CmdResult, Ctx};
use crate::document::options::{self as action_options, AdrRef, DecisionOption};
use crate::document::text::inert;
use crate::ops::action::{self, ActionMatch, Candidate};
use clap::{Args, ValueEnum};
use std::process::ExitCode;

#[derive(Args, Debug, Clone)]
pub(crate) struct OptionsArgs {
    /// The document: an ID (`030`, `DATA-001`, `adr-105`) or a path.
    pub(crate) id: String,
    /// Rank the options for this `triage --action` text and say which one it adopts.
    #[arg(short, long, value_name = "TEXT")]
    pub(crate) action: Option<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OptionsFormat::Text)]
    pub(crate) format: OptionsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum OptionsFormat {
    Text,
    Json,
}

#[derive(serde::Serialize)]
struct OptionJson<'a> {
    /// `null` for the document's own option.
    adr: Option<&'a AdrRef>,
    label: &'a str,
    title: &'a str,
    preferred: bool,
    /// The `--action` tier (lower is better), `null` when it does not match
    /// or no `--action` was given.
    tier: Option<u8>,
    adopted: bool,
}

#[derive(serde::Serialize)]
struct AdoptsJson<'a> {
    /// `own`, `adr`, `ambiguous` or `none`.
    result: &'static str,
    adr: Option<&'a AdrRef>,
    option: Option<&'a DecisionOption>,
    candidates: Vec<String>,
}

#[derive(serde::Serialize)]
struct Json<'a> {
    schema: u32,
    id: &'a str,
    path: &'a str,
    action: Option<&'a str>,
    options: Vec<OptionJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    adopts: Option<AdoptsJson<'a>>,
}

fn same(c: &Candidate, adr: Option<&AdrRef>, o: &DecisionOption) -> bool {
    c.adr.as_ref().map(|a| &a.path) == adr.map(|a| &a.path) && c.option.label == o.label && c.option.title == o.title
}

fn adopted(m: &ActionMatch, c: &Candidate) -> bool {
    match m {
        ActionMatch::Own(o) => same(c, None, o),
        ActionMatch::Adr(a, o) => same(c, Some(a), o),
        _ => false,
    }
}

fn candidate_name(c: &Candidate) -> String {
    match &c.adr {
        Some(a) => format!("{} {}", a.id, c.option.display()),
        None => c.option.display(),
    }
}

pub(crate) fn run(ctx: &Ctx, a: &OptionsArgs) -> CmdResult {
    let repo = ctx.open_for(&[&a.id])?;
    let meta = repo.resolve(&a.id)?;
    let doc = repo.document(meta)?;
    let own = action_options::options(&doc);
    let adrs = crate::ops::accepted_adr_options(&repo, false);
    let action_text = a.action.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let mut ranked = action::rank_options(action_text.unwrap_or(""), &own, &adrs);
    let m = action_text.map(|t| action::match_action(t, &own, &adrs));
    if action_text.is_some() {
        // Matching options first, best tier first; the document's own before
        // an ADR's within a tier (as the matcher prefers them).
        ranked.sort_by_key(|(c, t)| (t.is_none(), *t, c.adr.is_some()));
    }
    let is_adopted = |c: &Candidate| m.as_ref().is_some_and(|m| adopted(m, c));
    match a.format {
        OptionsFormat::Json => {
            let adopts = m.as_ref().map(|m| match m {
                ActionMatch::Own(o) => AdoptsJson {
                    result: "own",
                    adr: None,
                    option: Some(o),
                    candidates: Vec::new(),
                },
                ActionMatch::Adr(r, o) => AdoptsJson {
                    result: "adr",
                    adr: Some(r),
                    option: Some(o),
                    candidates: Vec::new(),
                },
                ActionMatch::Ambiguous(cs) => AdoptsJson {
                    result: "ambiguous",
                    adr: None,
                    option: None,
                    candidates: cs.iter().map(candidate_name).collect(),
                },
                ActionMatch::None => AdoptsJson {
                    result: "none",
                    adr: None,
                    option: None,
                    candidates: Vec::new(),
                },
            });
            let j = Json {
                schema: 1,
                id: &meta.id,
                path: &meta.path,
                action: action_text,
                options: ranked
                    .iter()
                    .map(|(c, t)| OptionJson {
                        adr: c.adr.as_ref(),
                        label: &c.option.label,
                        title: &c.option.title,
                        preferred: c.option.preferred(),
                        tier: *t,
                        adopted: is_adopted(c),
                    })
                    .collect(),
                adopts,
            };
            println!("{}", json_pretty(&j)?);
        }
        OptionsFormat::Text => {
            let p = ctx.painter;
            println!(
                "{}  {}",
                p.paint("1", &inert(&meta.id, false)),
                inert(&meta.title, false)
            );
            let shown: Vec<&(Candidate, Option<u8>)> = ranked
                .iter()
                .filter(|(c, t)| c.adr.is_none() || action_text.is_none() || t.is_some())
                .collect();
            if own.is_empty() {
                println!("  no options of its own");
            }
            for (c, t) in &shown {
                let from = match &c.adr {
                    Some(r) => inert(&r.id, false).into_owned(),
                    None => "own".to_string(),
                };
                let tier = match (action_text, t) {
                    (None, _) => String::new(),
                    (Some(_), Some(t)) => format!("  tier {t}"),
                    (Some(_), None) => "  no match".to_string(),
                };
                let mark = if is_adopted(c) {
                    p.paint("1;32", "  <- adopted")
                } else {
                    String::new()
                };
                println!(
                    "  {:<9} {}{}{mark}",
                    from,
                    inert(&c.option.display(), false),
                    p.paint("2", &tier)
                );
            }
            let hidden = ranked.len() - shown.len();
            if hidden > 0 {
                println!("  ({hidden} accepted ADR options do not match)");
            } else if adrs.is_empty() {
                println!("  no accepted ADR has options");
            }
            if let (Some(t), Some(m)) = (action_text, &m) {
                let t = inert(t, false);
                match m {
                    ActionMatch::Own(_) | ActionMatch::Adr(..) => {
                        let c = ranked.iter().map(|(c, _)| c).find(|c| is_adopted(c));
                        let name = c.map(candidate_name).unwrap_or_default();
                        println!("--action {t:?} adopts {}", inert(&name, false));
                    }
                    ActionMatch::Ambiguous(cs) => {
                        let names: Vec<String> = cs
                            .iter()
                            .map(|c| inert(&candidate_name(c), false).into_owned())
                            .collect();
                        println!("--action {t:?} is ambiguous between: {}", names.join("; "));
                    }
                    ActionMatch::None => {
                        println!("--action {t:?} matches no option; triage writes it as given");
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

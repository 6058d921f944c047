//! `replique eval patterns|end|answers`: the analysis (issue 12) and the prospect's
//! answers (issue 13) measured on the labelled corpus, per label and overall, on the dev
//! split (tuned on) and the held-out split (never tuned on). The corpus is embedded in
//! the binary; `--corpus DIR` reads another copy.

use std::path::Path;

use anyhow::{Context, Result, bail};
use replique_core::Catalog;
use replique_core::eval::{
    self, Agreement, AnswerCase, AnswerCheck, Check, EndCase, EndCheck, Floors, PatternCase, SplitResult,
    agreed_answer_cases, agreed_cases, agreed_end_cases,
};

/// A corpus file: its split, its path under `corpus/`, its cases and the second reading.
struct Source {
    split: &'static str,
    cases: (&'static str, &'static str),
    check: (&'static str, &'static str),
}

macro_rules! source {
    ($split:literal, $cases:literal, $check:literal) => {
        Source {
            split: $split,
            cases: ($cases, include_str!(concat!("../../../corpus/", $cases))),
            check: ($check, include_str!(concat!("../../../corpus/", $check))),
        }
    };
}

const PATTERN_SOURCES: &[Source] = &[
    source!("dev", "patterns/dev/a.jsonl", "check/patterns/a.jsonl"),
    source!("dev", "patterns/dev/b.jsonl", "check/patterns/b.jsonl"),
    source!("dev", "patterns/dev/c.jsonl", "check/patterns/c.jsonl"),
    source!("dev", "patterns/dev/f.jsonl", "check/patterns/f.jsonl"),
    source!("dev", "patterns/dev/g.jsonl", "check/patterns/g.jsonl"),
    source!("dev", "patterns/dev/h.jsonl", "check/patterns/h.jsonl"),
    source!("dev", "patterns/dev/i.jsonl", "check/patterns/i.jsonl"),
    source!("dev", "patterns/dev/j.jsonl", "check/patterns/j.jsonl"),
    source!("heldout", "patterns/heldout/d.jsonl", "check/patterns/d.jsonl"),
    source!("heldout", "patterns/heldout/e.jsonl", "check/patterns/e.jsonl"),
];

const END_SOURCES: &[Source] = &[
    source!("dev", "end/dev.jsonl", "check/end/dev.jsonl"),
    source!("dev", "end/dev2.jsonl", "check/end/dev2.jsonl"),
    source!("heldout", "end/heldout.jsonl", "check/end/heldout.jsonl"),
];

/// Answer cases and their second reading.
const ANSWER_SOURCES: &[Source] = &[
    source!("dev", "answers/dev.jsonl", "check/answers/dev.jsonl"),
    source!("heldout", "answers/heldout.jsonl", "check/answers/heldout.jsonl"),
];

/// One split's answer cases, keeping those both readers agree on.
pub fn answer_cases(dir: Option<&Path>, split: &str, authors_only: bool) -> Result<(Vec<AnswerCase>, Agreement)> {
    split_cases(ANSWER_SOURCES, dir, split, authors_only, |c, k: &[AnswerCheck]| agreed_answer_cases(c, k))
}

/// The held-out floors CI enforces.
pub const FLOORS: &str = include_str!("../../../corpus/thresholds.json");

pub const SPLITS: &[&str] = &["dev", "heldout"];

/// The text of a corpus file: the embedded one, or the one under `dir`.
fn text(dir: Option<&Path>, (name, embedded): (&'static str, &'static str)) -> Result<String> {
    match dir {
        Some(dir) => {
            let path = dir.join(name);
            std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
        }
        None => Ok(embedded.to_owned()),
    }
}

/// One split's cases of one kind, keeping only what both readers agreed on (or the
/// authors' labels alone, while a second reading is under way).
fn split_cases<C, K>(
    sources: &[Source],
    dir: Option<&Path>,
    split: &str,
    authors_only: bool,
    agreed: impl Fn(Vec<C>, &[K]) -> (Vec<C>, Agreement),
) -> Result<(Vec<C>, Agreement)>
where
    C: eval::Record,
    K: eval::Record,
{
    let mut all = Vec::new();
    let mut agreement = Agreement::default();
    for source in sources.iter().filter(|s| s.split == split) {
        let cases: Vec<C> = eval::parse_lines(source.cases.0, &text(dir, source.cases)?)?;
        let checks: Vec<K> = eval::parse_lines(source.check.0, &text(dir, source.check)?)?;
        let (kept, a) = if authors_only { (cases, Agreement::default()) } else { agreed(cases, &checks) };
        all.extend(kept);
        agreement.agreed += a.agreed;
        agreement.disputed += a.disputed;
        agreement.unchecked += a.unchecked;
    }
    Ok((all, agreement))
}

/// One split's pattern cases, keeping only the labels both readers agreed on.
pub fn pattern_cases(dir: Option<&Path>, split: &str, authors_only: bool) -> Result<(Vec<PatternCase>, Agreement)> {
    split_cases(PATTERN_SOURCES, dir, split, authors_only, |c, k: &[Check]| agreed_cases(c, k))
}

/// One split's end cases, keeping only those both readers labelled the same way.
pub fn end_cases(dir: Option<&Path>, split: &str, authors_only: bool) -> Result<(Vec<EndCase>, Agreement)> {
    split_cases(END_SOURCES, dir, split, authors_only, |c, k: &[EndCheck]| agreed_end_cases(c, k))
}

/// Which cases to read and how.
pub struct Options<'a> {
    pub split: Option<&'a str>,
    pub dir: Option<&'a Path>,
    /// The authors' labels without the second reading (while a check is under way).
    pub authors_only: bool,
}

pub fn run(catalog: &Catalog, what: &str, options: &Options<'_>) -> Result<Vec<SplitResult>> {
    let (split, dir, authors_only) = (options.split, options.dir, options.authors_only);
    let splits: Vec<&str> = match split {
        Some(s) if SPLITS.contains(&s) => vec![s],
        Some(s) => bail!("unknown split {s:?}: expected dev or heldout"),
        None => SPLITS.to_vec(),
    };
    splits
        .into_iter()
        .map(|split| {
            let (evaluation, agreement) = match what {
                "patterns" => {
                    let (cases, agreement) = pattern_cases(dir, split, authors_only)?;
                    (eval::eval_patterns(catalog, &cases).map_err(anyhow::Error::msg)?, agreement)
                }
                "end" => {
                    let (cases, agreement) = end_cases(dir, split, authors_only)?;
                    (eval::eval_end(&cases), agreement)
                }
                "answers" => {
                    let (cases, agreement) = answer_cases(dir, split, authors_only)?;
                    (eval::eval_answers(catalog, &cases).map_err(anyhow::Error::msg)?, agreement)
                }
                other => bail!("unknown evaluation {other:?}: expected patterns, end or answers"),
            };
            Ok(SplitResult { split: split.to_owned(), agreement, evaluation })
        })
        .collect()
}

/// The table `replique eval` prints.
pub fn render(what: &str, results: &[SplitResult], misses: bool) -> String {
    let mut out = String::new();
    for r in results {
        let e = &r.evaluation;
        out.push_str(&format!(
            "{what}: {} split, {} cases ({} labels agreed by both readers, {} disputed and {} unchecked left out)\n",
            r.split, e.cases, r.agreement.agreed, r.agreement.disputed, r.agreement.unchecked
        ));
        out.push_str(&format!(
            "{:<32} {:>7} {:>9} {:>12} {:>5} {:>5} {:>5} {:>5}\n",
            "label", "recall", "precision", "false alarms", "tp", "fn", "fp", "tn"
        ));
        let row = |name: &str, c: &eval::Counts| {
            format!(
                "{name:<32} {:>7.3} {:>9.3} {:>12.3} {:>5} {:>5} {:>5} {:>5}\n",
                c.recall(),
                c.precision(),
                c.false_alarms(),
                c.tp,
                c.fn_,
                c.fp,
                c.tn
            )
        };
        for (label, counts) in &e.labels {
            out.push_str(&row(label, counts));
        }
        out.push_str(&row("overall", &e.overall));
        if what == "end" {
            out.push_str(&format!("agreement with the labels: {:.3}\n", e.overall.agreement()));
        }
        if what == "answers" {
            out.push_str(&format!("turns answered as a trainer expects: {:.3}\n", e.overall.agreement()));
        }
        if let Some((ok, all)) = e.items_right {
            out.push_str(&format!("discovery items right: {ok}/{all}\n"));
        }
        if misses {
            for m in &e.misses {
                out.push_str(&format!("  {} {} {}: {}\n", m.kind, m.label, m.id, m.text));
            }
        }
        out.push('\n');
    }
    out
}

/// The held-out floors recorded in the repository.
pub fn floors() -> Result<Floors> {
    serde_json::from_str(FLOORS).context("corpus/thresholds.json")
}

/// The held-out figures that fall below the recorded floors, in words (empty: all hold).
pub fn below_floors(what: &str, results: &[SplitResult], floors: &Floors) -> Vec<String> {
    let mut out = Vec::new();
    for r in results.iter().filter(|r| r.split == "heldout") {
        let o = &r.evaluation.overall;
        let mut check = |name: &str, value: f64, floor: f64, at_most: bool| {
            let bad = if at_most { value > floor + 1e-9 } else { value + 1e-9 < floor };
            if bad {
                let sense = if at_most { "above the ceiling" } else { "below the floor" };
                out.push(format!("held-out {what} {name} {value:.3} is {sense} {floor:.3}"));
            }
        };
        match what {
            "patterns" => {
                check("recall", o.recall(), floors.patterns_recall, false);
                check("precision", o.precision(), floors.patterns_precision, false);
                check("false alarms", o.false_alarms(), floors.patterns_false_alarms_max, true);
            }
            "answers" => check("answers", o.agreement(), floors.answers_agreement, false),
            _ => check("agreement", o.agreement(), floors.end_agreement, false),
        }
    }
    out
}

/// The reading and patterns of one pattern case, by id, as JSON (to see why it went wrong).
pub fn explain(catalog: &Catalog, id: &str, dir: Option<&Path>) -> Result<serde_json::Value> {
    for split in SPLITS {
        let (cases, _) = pattern_cases(dir, split, true)?;
        if let Some(case) = cases.iter().find(|c| c.id == id) {
            let scenario = eval::case_scenario(catalog, case).map_err(anyhow::Error::msg)?;
            let (reading, found) = eval::read_case(&scenario, case);
            return Ok(serde_json::json!({ "case": case, "reading": reading, "patterns": found }));
        }
    }
    bail!("no pattern case {id:?} in the corpus")
}

/// How `replique eval` prints.
pub struct Output {
    pub json: bool,
    pub misses: bool,
    pub check: bool,
    pub explain: Option<String>,
}

/// Runs `replique eval`: what to print, and the held-out floors that fell (with `--check`).
pub fn command(catalog: &Catalog, what: &str, options: &Options<'_>, output: Output) -> Result<(String, Vec<String>)> {
    if let Some(id) = &output.explain {
        return Ok((serde_json::to_string_pretty(&explain(catalog, id, options.dir)?)?, Vec::new()));
    }
    let results = run(catalog, what, options)?;
    let text = if output.json {
        serde_json::to_string_pretty(&results)?
    } else {
        render(what, &results, output.misses).trim_end().to_owned()
    };
    let failures = if output.check { below_floors(what, &results, &floors()?) } else { Vec::new() };
    Ok((text, failures))
}

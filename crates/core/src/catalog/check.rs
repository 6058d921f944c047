//! Checks across catalogue files: ids, references, and the rules a template must follow to
//! be playable. Each problem names its file and JSON path.

use super::{Catalog, CatalogError, Origins, ProductRef, ProspectSpec, Template, duplicates, types::DISCOVERY_ITEMS};
use crate::analysis::PatternId;
use crate::end;
use crate::level::Level;

pub(crate) fn check(catalog: &Catalog, origins: &Origins) -> Vec<CatalogError> {
    let mut errors = Vec::new();
    let mut err = |file: &str, path: &str, message: String| {
        errors.push(CatalogError { file: file.to_owned(), path: path.to_owned(), message });
    };

    // Ids match their file names and are unique.
    for s in &catalog.skills {
        let file = origins.skills.get(&s.slug).cloned().unwrap_or_default();
        if file != format!("skills/{}.json", s.slug) {
            err(&file, "slug", format!("slug {:?} does not match the file name", s.slug));
        }
        for (i, p) in s.lesson.scored_patterns.iter().enumerate() {
            if PatternId::parse(p).is_none() {
                err(&file, &format!("lesson.scored_patterns[{i}]"), format!("unknown pattern id {p:?}"));
            }
        }
    }
    for s in &catalog.sectors {
        let file = origins.sectors.get(&s.slug).cloned().unwrap_or_default();
        if file != format!("sectors/{}.json", s.slug) {
            err(&file, "slug", format!("slug {:?} does not match the file name", s.slug));
        }
        if s.personas.is_empty() {
            err(&file, "personas", "a sector needs at least one persona".into());
        }
        if !s.scenario_adaptations.contains_key("prospect_difficile") {
            err(&file, "scenario_adaptations", "missing \"prospect_difficile\" (used at expert level)".into());
        }
    }
    for p in &catalog.products {
        let file = origins.products.get(&p.slug).cloned().unwrap_or_default();
        if file != format!("products/{}.json", p.slug) {
            err(&file, "slug", format!("slug {:?} does not match the file name", p.slug));
        }
    }
    let template_ids = catalog.templates.iter().map(|t| t.template_id.as_str());
    for id in duplicates(template_ids) {
        for t in catalog.templates.iter().filter(|t| t.template_id == id) {
            err(&origins.template_file(t), "template_id", format!("template_id {id:?} is used by more than one file"));
        }
    }
    for (kind, ids) in [
        ("skill", catalog.skills.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>()),
        ("sector", catalog.sectors.iter().map(|s| s.slug.as_str()).collect()),
        ("product", catalog.products.iter().map(|p| p.slug.as_str()).collect()),
    ] {
        for id in duplicates(ids) {
            err(&format!("{kind}s/{id}.json"), "slug", format!("{kind} slug {id:?} is used by more than one file"));
        }
    }

    for t in &catalog.templates {
        check_template(catalog, origins, t, &mut err);
    }

    // No two templates share a person, a company or an opening line.
    let mut seen: std::collections::BTreeMap<(&str, String), &Template> = std::collections::BTreeMap::new();
    for t in &catalog.templates {
        let person = main_person(t);
        let keys = [
            ("prospect name", person.name.to_lowercase()),
            ("company", person.company.to_lowercase()),
            ("opening line", opening_line(t).to_lowercase()),
        ];
        for (what, key) in keys {
            if key.is_empty() {
                continue;
            }
            if let Some(first) = seen.get(&(what, key.clone())) {
                err(&origins.template_file(t), "", format!("same {what} as template {}", first.template_id));
            } else {
                seen.insert((what, key), t);
            }
        }
    }
    errors
}

fn main_person(t: &Template) -> &super::Person {
    match &t.prospect {
        ProspectSpec::Single(p) => p,
        ProspectSpec::Gatekept(g) => &g.decision_maker,
    }
}

fn opening_line(t: &Template) -> &str {
    let o = &t.scenario_flow.opening;
    o.prospect_first_response.as_deref().or(o.gatekeeper_first_response.as_deref()).unwrap_or_default()
}

fn check_template(catalog: &Catalog, origins: &Origins, t: &Template, err: &mut impl FnMut(&str, &str, String)) {
    let file = origins.template_file(t);
    let file = file.as_str();
    if file != format!("templates/{}/{}.json", t.skill_slug, t.template_id) {
        err(file, "template_id", "the file must be templates/<skill_slug>/<template_id>.json".into());
    }
    if catalog.skill(&t.skill_slug).is_none() {
        err(
            file,
            "skill_slug",
            format!("skill_slug {:?} names no skill (no skills/{}.json)", t.skill_slug, t.skill_slug),
        );
    }
    match &t.product {
        ProductRef::Slug(slug) => {
            if catalog.product(slug).is_none() {
                err(file, "product", format!("product {slug:?} refers to nothing (no products/{slug}.json)"));
            }
        }
        ProductRef::Inline(_) => {
            if t.proof.is_none() {
                err(file, "proof", "missing field `proof`: required when the product is inline".into());
            }
            if t.competition.is_none() {
                err(file, "competition", "missing field `competition`: required when the product is inline".into());
            }
        }
    }
    let opening = &t.scenario_flow.opening;
    match &t.prospect {
        ProspectSpec::Single(_) if opening.prospect_first_response.is_none() => {
            err(file, "scenario_flow.opening", "missing `prospect_first_response`".into());
        }
        ProspectSpec::Gatekept(_) if opening.gatekeeper_first_response.is_none() => {
            err(
                file,
                "scenario_flow.opening",
                "missing `gatekeeper_first_response` (the prospect has a gatekeeper)".into(),
            );
        }
        _ => {}
    }
    if t.skill_slug == "qualification_columbo" && !t.facts.iter().any(|f| f.columbo_only) {
        err(file, "facts", "a qualification_columbo template needs its key fact (`columbo_only: true`)".into());
    }
    if t.skill_slug == "cartographie_decideurs" && t.org_chart.is_empty() {
        err(file, "org_chart", "a cartographie_decideurs template needs its org chart".into());
    }
    let rules = &t.conversation_rules;
    if rules.min_exchanges == 0 || rules.min_exchanges > rules.max_exchanges {
        err(file, "conversation_rules", "need 1 <= min_exchanges <= max_exchanges".into());
    }
    if t.starting_gauge > 100 {
        err(file, "starting_gauge", "must be between 0 and 100".into());
    }
    for (i, f) in t.facts.iter().enumerate() {
        if !DISCOVERY_ITEMS.contains(&f.topic.as_str()) {
            err(
                file,
                &format!("facts[{i}].topic"),
                format!("unknown discovery item {:?}; expected one of {}", f.topic, DISCOVERY_ITEMS.join(", ")),
            );
        }
    }
    for (i, f) in t.facts.iter().enumerate() {
        check_cues(&format!("facts[{i}].cues"), &f.cues, &mut |path, message| err(file, path, message));
        check_questions(&format!("facts[{i}].questions"), &f.questions, &mut |path, message| err(file, path, message));
        if !f.after.is_empty() {
            check_cues(&format!("facts[{i}].after"), &f.after, &mut |path, message| err(file, path, message));
        }
    }
    let all_questions = t.facts.iter().flat_map(|f| f.questions.iter().map(|q| crate::text::normalize(q)));
    for question in duplicates(all_questions.collect::<Vec<_>>().iter().map(String::as_str)) {
        err(file, "facts", format!("question {question:?} is given to two facts: it must point to one"));
    }
    for (i, o) in t.objections.iter().enumerate() {
        check_cues(&format!("objections[{i}].cues"), &o.cues, &mut |path, message| err(file, path, message));
        if !o.after.is_empty() {
            check_cues(&format!("objections[{i}].after"), &o.after, &mut |path, message| err(file, path, message));
        }
    }
    for (i, sector) in t.sectors.iter().enumerate() {
        if catalog.sector(sector).is_none() {
            err(file, &format!("sectors[{i}]"), format!("unknown sector {sector:?}"));
        }
    }
    for sector in duplicates(t.sectors.iter().map(String::as_str)) {
        err(file, "sectors", format!("sector {sector:?} is listed twice"));
    }
    if t.facts.is_empty() {
        err(file, "facts", "a template needs facts for the prospect to reveal".into());
    }
    if t.objections.is_empty() {
        err(file, "objections", "a template needs at least one objection".into());
    }
    for id in duplicates(t.objections.iter().map(|o| o.id.as_str())) {
        err(file, "objections", format!("objection id {id:?} is used twice"));
    }
    for (i, o) in t.objective_list() {
        let base = format!("scenario_flow.objectives[{i}].met_when");
        let m = &o.met_when;
        let empty = m.patterns.is_empty()
            && m.discovery.is_empty()
            && m.facts.is_empty()
            && !m.key_fact
            && m.objections_uncovered.is_empty()
            && !m.converted
            && !m.reached_decision_maker
            && m.gauge_at_least.is_none();
        if empty {
            err(file, &base, "no condition: an objective must say how it is met".into());
        }
        if m.key_fact && !t.facts.iter().any(|f| f.columbo_only) {
            err(file, &format!("{base}.key_fact"), "refers to nothing: no fact is `columbo_only`".into());
        }
        for (j, p) in m.patterns.iter().enumerate() {
            if PatternId::parse(p).is_none() {
                err(
                    file,
                    &format!("{base}.patterns[{j}]"),
                    format!("pattern {p:?} refers to nothing (unknown pattern id)"),
                );
            }
        }
        for (j, p) in m.unless.iter().enumerate() {
            match PatternId::parse(p) {
                None => err(
                    file,
                    &format!("{base}.unless[{j}]"),
                    format!("pattern {p:?} refers to nothing (unknown pattern id)"),
                ),
                Some(id) if id.is_positive() => err(
                    file,
                    &format!("{base}.unless[{j}]"),
                    format!("pattern {p:?} is a technique, not a fault: it cannot keep an objective unmet"),
                ),
                Some(_) => {}
            }
        }
        for (j, d) in m.discovery.iter().enumerate() {
            if !DISCOVERY_ITEMS.contains(&d.as_str()) {
                err(file, &format!("{base}.discovery[{j}]"), format!("discovery item {d:?} refers to nothing"));
            }
        }
        for (j, f) in m.facts.iter().enumerate() {
            if !t.facts.iter().any(|x| &x.topic == f) {
                err(
                    file,
                    &format!("{base}.facts[{j}]"),
                    format!("fact topic {f:?} refers to nothing (no fact has it)"),
                );
            }
        }
        for (j, id) in m.objections_uncovered.iter().enumerate() {
            if !t.objections.iter().any(|x| &x.id == id) {
                err(file, &format!("{base}.objections_uncovered[{j}]"), format!("objection {id:?} refers to nothing"));
            }
        }
        if m.reached_decision_maker && !matches!(t.prospect, ProspectSpec::Gatekept(_)) {
            err(
                file,
                &format!("{base}.reached_decision_maker"),
                "refers to nothing: this template has no gatekeeper".into(),
            );
        }
        if m.gauge_at_least.is_some_and(|g| g > 100) {
            err(file, &format!("{base}.gauge_at_least"), "must be between 0 and 100".into());
        }
    }
    for (i, e) in t.events.iter().enumerate() {
        if e.min_level == Level::Easy {
            err(file, &format!("events[{i}].min_level"), "events are played at medium or expert level only".into());
        }
        for (j, p) in e.handled_by.iter().enumerate() {
            if PatternId::parse(p).is_none() {
                err(
                    file,
                    &format!("events[{i}].handled_by[{j}]"),
                    format!("pattern {p:?} refers to nothing (unknown pattern id)"),
                );
            }
        }
        if let Some(g) = &e.guest {
            if !matches!(g.gender.as_str(), "male" | "female") {
                err(file, &format!("events[{i}].guest.gender"), "must be \"male\" or \"female\"".into());
            }
            for (field, text) in
                [("name", &g.name), ("convinced", &g.convinced), ("asked", &g.asked), ("unconvinced", &g.unconvinced)]
            {
                if text.trim().is_empty() {
                    err(file, &format!("events[{i}].guest.{field}"), "must not be empty".into());
                }
            }
        }
    }
    if let Some(voice) = &t.voice_config
        && let Err(e) = crate::voice::VoiceConfig::for_template(Some(voice))
    {
        err(file, "voice_config", format!("invalid voice configuration: {e}"));
    }
    // A prospect line that says goodbye would end the conversation by accident.
    let mut lines: Vec<(String, &str)> =
        t.facts.iter().enumerate().map(|(i, f)| (format!("facts[{i}].line"), f.line.as_str())).collect();
    for (i, o) in t.objections.iter().enumerate() {
        lines.push((format!("objections[{i}].surface"), &o.surface));
        lines.push((format!("objections[{i}].hidden_line"), &o.hidden_line));
    }
    for (i, e) in t.events.iter().enumerate() {
        lines.push((format!("events[{i}].line"), &e.line));
    }
    for (i, g) in t.events.iter().enumerate().filter_map(|(i, e)| e.guest.as_ref().map(|g| (i, g))) {
        lines.push((format!("events[{i}].guest.convinced"), &g.convinced));
        lines.push((format!("events[{i}].guest.asked"), &g.asked));
        lines.push((format!("events[{i}].guest.unconvinced"), &g.unconvinced));
    }
    lines.push(("scenario_flow.opening".into(), opening_line(t)));
    for (path, line) in lines {
        if end::prospect_said_bye(line, &t.conversation_rules.end_triggers) {
            err(file, &path, "this prospect line says goodbye, which would end the conversation".into());
        }
    }
}

impl Template {
    fn objective_list(&self) -> impl Iterator<Item = (usize, &super::Objective)> {
        self.scenario_flow.objectives.iter().enumerate()
    }
}

/// Words too common to say what a learner asks about.
const GLUE: &[&str] = &[
    "le", "la", "les", "l", "de", "du", "des", "d", "un", "une", "et", "ou", "a", "au", "aux", "en", "par", "pour",
    "sur", "avec", "dans", "avoir", "etre", "faire", "vous", "nous", "je", "j", "il", "elle", "on", "ce", "c", "ca",
    "est", "sont", "que", "qu", "se", "s", "y", "ne", "pas", "plus", "votre", "vos", "notre", "nos",
];

/// A fact's example questions (issue 13): none, or three at least, each a question a
/// seller would ask (ending with « ? », 2 to 40 words).
fn check_questions(path: &str, questions: &[String], err: &mut impl FnMut(&str, String)) {
    if !questions.is_empty() && questions.len() < 3 {
        err(path, format!("needs at least 3 example questions when it has any, has {}", questions.len()));
    }
    for (i, question) in questions.iter().enumerate() {
        let words = crate::text::normalize(question).split(' ').filter(|w| !w.is_empty()).count();
        if !question.trim_end().ends_with('?') {
            err(&format!("{path}[{i}]"), format!("{question:?}: an example question ends with « ? »"));
        } else if !(2..=40).contains(&words) {
            err(&format!("{path}[{i}]"), format!("{question:?}: an example question is 2 to 40 words"));
        }
    }
}

/// A fact's or an objection's cues (issue 12): at least three, each a word or a short
/// phrase (five words at most) that says something (not only function words), none twice.
fn check_cues(path: &str, cues: &[String], err: &mut impl FnMut(&str, String)) {
    if cues.len() < 3 {
        err(path, format!("needs at least 3 cues (words or short phrases a learner would use), has {}", cues.len()));
    }
    for (i, cue) in cues.iter().enumerate() {
        let normalised = crate::text::normalize(cue);
        let words: Vec<&str> = normalised.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() || words.len() > 5 {
            err(&format!("{path}[{i}]"), format!("{cue:?}: a cue is one to five words"));
        } else if words.iter().all(|w| GLUE.contains(w)) {
            err(&format!("{path}[{i}]"), format!("{cue:?}: only function words, it would match anything"));
        }
    }
    let normalised: Vec<String> = cues.iter().map(|c| crate::text::normalize(c)).collect();
    for cue in duplicates(normalised.iter().map(String::as_str)) {
        err(path, format!("cue {cue:?} is listed twice"));
    }
}

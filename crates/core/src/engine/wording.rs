//! The prospect's wording helpers: gender agreement, whether the call is by phone, the
//! point an objection makes in a few words, names and quotes said back.

use super::*;
use crate::text::Normalized;

/// Whether the conversation is a call rather than a meeting, as the brief says ("Vous
/// appelez…", "au téléphone").
pub(super) fn on_the_phone(scenario: &Scenario) -> bool {
    Normalized::new(&scenario.scenario_flow.opening.context)
        .find_any(&["vous appelez", "vous rappelez", "au telephone", "appel a froid", "par telephone", "l appel"])
        .is_some()
}

/// What an objection is about, in the prospect's own words: the longest short sentence of
/// its surface ("je ne suis pas certain que ce soit la priorité", not "Un CRM…"), or the
/// whole surface, ready to end a line.
///
/// `None` once it has been said again after it was raised: a prospect names the point once,
/// not at every turn.
pub(super) fn objection_point(scenario: &Scenario, state: &SessionState, objection: usize) -> Option<String> {
    let o = scenario.hidden_objections.get(objection)?;
    // The sentence (or, in a long one, the clause before a colon) that says the doubt:
    // "notre DAF n'est pas convaincu" rather than "le comité est intéressé, vraiment".
    let pieces: Vec<String> = crate::text::sentences(&o.surface)
        .iter()
        .map(|s| o.surface[s.start..s.end].trim())
        .flat_map(|s| {
            if s.split_whitespace().count() > 16 {
                s.split([':', ';']).map(|c| c.trim().to_owned()).take(1).collect::<Vec<_>>()
            } else {
                vec![s.to_owned()]
            }
        })
        .filter(|s| (4..=16).contains(&s.split_whitespace().count()))
        .collect();
    let doubt = |s: &str| {
        let t = Normalized::new(s);
        let words: Vec<&str> = t.words().collect();
        u8::from(words.iter().any(|w| matches!(*w, "pas" | "jamais" | "trop" | "rien" | "personne" | "plus")))
            + u8::from(words.first() == Some(&"mais"))
    };
    let sentence = pieces
        .iter()
        .max_by_key(|s| (doubt(s), s.split_whitespace().count()))
        .cloned()
        .unwrap_or_else(|| o.surface.trim().to_owned());
    let core = sentence.trim_end_matches(['.', '!', '…', ' ', '?']).to_lowercase();
    if state.used_lines.iter().filter(|l| l.to_lowercase().contains(&core)).count() >= 2 {
        return None;
    }
    // "Ça ne règle pas mon problème : je vais encore réfléchir", not ": mais je vais…".
    let point = quoted_in(scenario, without_connective(&sentence).trim_end_matches(['.', '!', '…', ' ']));
    Some(if point.ends_with('?') { point } else { format!("{point}.") })
}

/// The scenario's competitor the learner names, if any.
pub(super) fn mentioned_competitor<'a>(
    scenario: &'a Scenario,
    text: &Normalized<'_>,
) -> Option<&'a crate::catalog::Competitor> {
    scenario.competition.main_competitors.iter().find(|c| {
        // "Brevo (ex-Sendinblue)" is named "Brevo"; "Salesforce Sales Cloud", "Salesforce".
        let name = c.name.split(['(', ',']).next().unwrap_or(&c.name).trim();
        let brand = name.split_whitespace().next().filter(|b| b.chars().count() >= 4 && *b != name);
        (!name.is_empty() && text.contains(name)) || brand.is_some_and(|b| text.contains(b))
    })
}

pub(super) fn last_revealed_hidden(state: &SessionState) -> Option<usize> {
    state.objections.iter().rposition(|o| o.hidden_revealed)
}

/// A sentence of the prospect's said again after a lead ("Je vous le redis : …"): its first
/// letter lowered, unless it starts with the name of someone or something of the scenario
/// ("Olivier n'aime pas les conflits").
pub(super) fn quoted_in(scenario: &Scenario, text: &str) -> String {
    let first = text.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    let names = [scenario.prospect.name.as_str(), scenario.prospect.company.as_str(), scenario.product.name.as_str()]
        .into_iter()
        .chain(scenario.org_chart.iter().map(|e| e.name.as_str()))
        .chain(scenario.competition.main_competitors.iter().map(|c| c.name.as_str()))
        .chain(scenario.gatekeeper.iter().map(|g| g.name.as_str()));
    // A name the prospect uses inside a sentence ("… et Martine, qui fait la paie") keeps
    // its capital too.
    let said_as_name = scenario.facts.iter().any(|f| {
        f.line
            .split(['.', '!', '?', ':', '…'])
            .any(|s| s.split_whitespace().skip(1).any(|w| w.trim_matches(|c: char| !c.is_alphanumeric()) == first))
    });
    let named = said_as_name || names.into_iter().any(|n| n.split_whitespace().any(|w| w == first));
    let proper = first.chars().count() > 1 && first.chars().skip(1).any(char::is_uppercase);
    if named || proper { text.to_owned() } else { lower_first(text) }
}

/// A sentence without the connective that tied it to the one before ("Sachant que …",
/// "Et puis …", "Mais …"), when what is left still says something.
pub(super) fn without_connective(sentence: &str) -> &str {
    const CONNECTIVES: &[&str] =
        &["Sachant que ", "Et puis, ", "Et puis ", "Mais bon, ", "Mais ", "Et ", "Donc ", "Alors, ", "Du coup, "];
    CONNECTIVES
        .iter()
        .find_map(|c| sentence.strip_prefix(c))
        .filter(|rest| rest.split_whitespace().count() >= 4)
        .unwrap_or(sentence)
}

pub(super) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
}

/// Whether the prospect is a woman (the template's voice profile says so).
pub fn is_feminine(scenario: &Scenario) -> bool {
    scenario
        .voice_config
        .as_ref()
        .and_then(|v| v.pointer("/prospect_voice_profile/gender"))
        .and_then(|g| g.as_str())
        .is_some_and(|g| g == "female")
}

/// An adjective agreed with the prospect's gender: "partant" or "partante".
pub(super) fn agree(scenario: &Scenario, masculine: &str) -> String {
    if is_feminine(scenario) { format!("{masculine}e") } else { masculine.to_owned() }
}

/// "Webfleet (Bridgestone)" is said "Webfleet".
pub(super) fn short_name(name: &str) -> &str {
    name.split(['(', ',']).next().unwrap_or(name).trim()
}

/// Whether a lead says again what the line opens with ("Je vais être honnête avec vous."
/// before "Pour être honnête…", "Et pour être franc…" before "Franchement, …").
pub(super) fn lead_repeats_line(lead: &str, line: &str) -> bool {
    let opening: String = Normalized::new(line).words().take(5).collect::<Vec<_>>().join(" ");
    let lead = Normalized::new(lead);
    ["franc", "franche", "honnete"].iter().any(|w| opening.contains(w) && lead.words().any(|x| x == *w))
}

/// The product's name once the learner has said it, else « votre solution »: a learner who
/// sells it under a name of their own is not corrected by the prospect (trainer runs s26).
pub(super) fn product_as_heard(scenario: &Scenario, state: &SessionState, message: &str) -> String {
    let name = crate::text::normalize(&scenario.product.name);
    let said = state
        .learner_lines
        .iter()
        .map(String::as_str)
        .chain([message])
        .any(|l| !name.is_empty() && crate::text::Normalized::new(l).contains(&name));
    if said { scenario.product.name.clone() } else { "votre solution".to_owned() }
}

//! Saying things back and saying other things: a restatement without a formula ("Donc…",
//! "Vous craignez que…"), a recap of one's own pitch, a gain said for the prospect, and
//! small talk or another offer than the scenario's.

use super::TurnContext;
use super::lexicon::*;
use super::topics;
use crate::text::Normalized;

/// "Donc chaque semaine, Sylvie y laisse une matinée…", "En somme, d'un côté…": a sentence
/// that opens by summing up.
pub(super) fn sums_up(t: &Normalized<'_>) -> bool {
    let start: Vec<&str> = t.words().take(3).collect();
    matches!(
        start.as_slice(),
        ["donc", ..]
            | ["bref", ..]
            | ["en", "somme" | "clair" | "gros" | "bref", ..]
            | ["ok" | "bon" | "alors" | "d", "donc", ..]
            | ["d", "accord", "donc"]
    )
}

/// Summing up one's own pitch ("pour résumer ce que je vous ai présenté…") restates nothing
/// the prospect said.
pub(super) fn own_pitch(t: &Normalized<'_>) -> bool {
    t.find_any(&[
        "je vous ai presente",
        "je vous ai montre",
        "je viens de vous montrer",
        "je viens de vous presenter",
        "notre offre",
        "notre solution",
        "notre proposition",
    ])
    .is_some()
}

/// "Vous craignez que…", "Votre crainte, c'est que…", "Pour vous, 20 000 euros, c'est cher
/// payé…" said as a statement, or any sentence checked with "c'est ça ?": the prospect's
/// view put in the seller's words (the caller checks it carries the prospect's content).
pub(super) fn their_view(t: &Normalized<'_>, question: bool) -> bool {
    let words: Vec<&str> = t.words().collect();
    let about_them = matches!(
        words.as_slice(),
        ["vous", ..]
            | ["votre", ..]
            | ["vos", ..]
            | ["pour", "vous", ..]
            | ["ce", "qui" | "que", "vous", ..]
            | ["si", "je", "comprends", ..]
            | ["on", "valide", "donc", ..]
    );
    let checked = question
        && matches!(
            words.as_slice(),
            [.., "c", "est", "ca"] | [.., "bien", "ca"] | [.., "est", "ce", "pas"] | [.., "non"]
        );
    (about_them && !question) || checked
}

/// "Ses deux jours par mois, elle les récupère", "vous saurez enfin où part l'énergie",
/// "sans un euro de commission": a gain for the prospect said without a formula.
pub(super) fn states_a_gain(t: &Normalized<'_>) -> bool {
    t.find_any(&[
        "vous recuperez",
        "vous la recuperez",
        "vous le recuperez",
        "vous les recuperez",
        "elle les recupere",
        "il les recupere",
        "retrouvent du temps",
        "retrouvez du temps",
        "vous gagnez",
        "vous economisez",
        "vous saurez",
        "vous connaitrez",
        "vous arriverez",
        "vous cessez de",
        "vous evitez",
        "vous ne sortez pas",
        "sans un euro",
        "sans rien poser",
        "sans dependre",
        "sans attendre",
        "au lieu de",
        "fini les",
        "finies les",
        "plus un client",
        "plus personne n aurait",
        "plus besoin de",
        "disparaissent",
        "va directement dans votre",
        "moins cher que",
        "en une seconde",
        "en un clic",
        "le jour meme",
        "le soir meme",
        "reviennent dans",
    ])
    .is_some()
}

/// How many small-talk subjects the turn brings up that the scenario does not speak of
/// ("la neige" at a ski resort is on topic, unless the seller speaks of their own leisure:
/// "moi je skie", "le mien"), and whether it offers something else than the scenario's
/// offer ("on fait aussi des mutuelles d'entreprise").
pub(super) fn chat(ctx: &TurnContext<'_>, whole: &Normalized<'_>) -> (usize, bool) {
    let personal = whole
        .find_any(&["moi je", "moi j", "moi aussi", "le mien", "la mienne", "me conseiller", "me conseillez"])
        .is_some();
    let small_talk = if whole.count_any(&LEX.small_talk) == 0 {
        0
    } else {
        LEX.small_talk
            .iter()
            .filter(|p| whole.contains(p))
            .filter(|p| {
                personal
                    || ctx.topics.is_none_or(|t| {
                        !topics::stems_of([*p]).iter().all(|s| t.vocabulary.contains(s) || topics::is_business_stem(s))
                    })
            })
            .count()
    };
    let other_offer = whole
        .find_any(&[
            "on fait aussi",
            "nous faisons aussi",
            "on distribue aussi",
            "nous distribuons aussi",
            "on propose aussi",
            "nous proposons aussi",
            "on vend aussi",
            "nous vendons aussi",
            "nous lancons une offre",
            "on lance une offre",
            "notre nouvelle offre de",
            "notre offre de",
        ])
        .is_some();
    (small_talk, other_offer)
}

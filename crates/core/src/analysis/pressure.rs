//! Pressure in a learner's sentence (SPEC 5.2: `pushy`): an order, an ultimatum, a
//! deadline to sign; not a supposition ("vous devez en recevoir beaucoup"), a fact stated
//! ("vous décidez seul") or a signature asked as the counterpart of a gesture.

use super::TurnContext;
use super::lexicon::LEX;
use crate::text::Normalized;

/// Whether the sentence presses the prospect. `question`: the sentence asks; `invited_to_settle`: the
/// prospect asked to settle now (then "on signe ?" answers them).
pub(super) fn presses(ctx: &TurnContext<'_>, t: &Normalized<'_>, question: bool, invited_to_settle: bool) -> bool {
    let pressure_anywhere = t.find_any(&["maintenant ou jamais", "derniere chance", "vous n avez pas le choix"]);
    // "Vous devez en recevoir beaucoup" supposes; it does not order.
    let supposing = t
        .find_any(&[
            "vous devez en",
            "vous devez etre",
            "vous devez avoir",
            "vous devez bien",
            "vous devez surement",
            "vous devez souvent",
            "vous devez deja",
            "vous devez recevoir",
            "vous devez entendre",
            "vous devez connaitre",
        ])
        .is_some();
    // A signature asked as the counterpart of a gesture ("en contrepartie, j'ai besoin de
    // votre signature avant vendredi", "si vous signez avant vendredi, je descends à…")
    // is a trade, not pressure, once there has been a discovery (before it, a discount
    // for signing this month is the pressure of a pitch).
    // A signature before a date ("si vous signez avant la fin du mois") trades nothing:
    // it is a deadline.
    let deadline = super::money::signing_deadline(t);
    let trade_ask = ctx.discovery_questions > 0
        && !deadline
        && t.find_any(&["en contrepartie", "en echange", "si vous signez", "si vous vous engagez", "si on signe"])
            .is_some();
    // "Décidez !" orders; "vous décidez seul" states a fact ("si vous signez ce mois-ci"
    // sets a deadline: still pressure).
    let indicative = |p: &str| {
        let p = crate::text::normalize(p);
        !p.contains(' ')
            && (t.contains(&format!("vous {p}")) || t.contains(&format!("vous qui {p}")))
            && !t.contains(&format!("si vous {p}"))
    };
    // "Allez-y si vous devez descendre", "ce que vous devez afficher": a clause, not an
    // order.
    let subordinate = |p: &str| {
        let p = crate::text::normalize(p);
        p.starts_with("vous ") && ["si", "quand", "lorsque", "comme"].iter().any(|c| t.contains(&format!("{c} {p}")))
    };
    let pushy = t
        .find_any(&LEX.pushy)
        .filter(|p| !(supposing && *p == "vous devez"))
        .filter(|p| !subordinate(p))
        .filter(|p| !indicative(p))
        .filter(|_| !trade_ask && !invited_to_settle);
    (pushy.is_some() && !question) || pressure_anywhere.is_some()
}

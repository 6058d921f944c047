//! Money in a learner's sentence: a price mentioned, a gesture given away or traded for a
//! commitment ("je peux la réduire à 18 000 euros, en échange…").

use super::lexicon::*;
use crate::text::Normalized;

pub(super) fn mentions_price(t: &Normalized<'_>) -> bool {
    t.find_any(&LEX.price).is_some() && !free_first_step(t)
}

/// A first step offered free ("une étude de faisabilité gratuite", "le diagnostic est
/// offert"): how a sale starts, not a price brought up or given away.
pub(super) fn free_first_step(t: &Normalized<'_>) -> bool {
    let words: Vec<&str> = t.words().collect();
    let free = |w: &str| matches!(w, "gratuit" | "gratuite" | "gratuits" | "gratuites" | "offert" | "offerte");
    let step = |w: &str| {
        matches!(
            w,
            "etude" | "audit" | "diagnostic" | "bilan" | "visite" | "simulation" | "demo" | "demonstration" | "devis"
        ) || w == "pre"
            || w.starts_with("prediagnostic")
    };
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| free(w))
        .any(|(i, _)| words[i.saturating_sub(5)..i].iter().any(|w| step(w)))
}

/// A concession, and whether it is traded for something (`Some(true)`).
pub(super) fn concession(t: &Normalized<'_>) -> Option<bool> {
    // A free trial or a pilot is how the offer is tried, not a price given away; so is a
    // study or an audit offered free.
    if t.find_any(&["essai", "periode d essai", "pilote", "test gratuit", "a l essai"]).is_some() || free_first_step(t)
    {
        return None;
    }
    let gift = t.find_any(&[
        "je vous l offre",
        "je vous les offre",
        "je vous offre",
        "on vous offre",
        "je peux vous offrir",
        "on peut vous offrir",
        "on s aligne",
        "je m aligne",
        "je peux m aligner",
        "on coupe la poire en deux",
        "coupons la poire en deux",
        "on oublie l acompte",
        "on oublie les frais",
        "on oublie la mise en service",
        "je supprime les frais",
        "on supprime les frais",
        "moitie prix",
        "demi tarif",
        // A price brought down ("l'abonnement passe à 54 500 euros", "je peux trouver une
        // solution pour rentrer dans votre budget").
        "l abonnement passe a",
        "le prix passe a",
        "le tarif passe a",
        "je vous le fais a",
        "je vous la fais a",
        "je peux vous le faire a",
        "je peux vous la faire a",
        "je peux descendre a",
        "je descends a",
        "rentrer dans votre budget",
        "tenir dans votre budget",
        "je peux revoir le prix",
        "je peux revoir le tarif",
        "je peux revoir l abonnement",
    ]);
    if gift.is_some() {
        return Some(traded(t));
    }
    // Scope taken out and kept open at today's price ("je peux la sortir du premier lot et
    // la laisser en option, au prix d'aujourd'hui"): a gesture on the scope.
    let scope =
        t.find_any(&["la laisser en option", "le laisser en option", "les laisser en option", "en option au prix"]);
    if scope.is_some()
        || t.find_any(&["au prix d aujourd hui", "je vous garantis le prix", "je bloque le prix"]).is_some()
    {
        return Some(traded(t));
    }
    // "Sur le geste commercial, je préfère en discuter demain": a gesture put off is none.
    let deferred = t
        .find_any(&[
            "en discuter",
            "en reparler",
            "plus tard",
            "on verra",
            "pas de geste",
            "je prefere attendre",
            "rien baisse",
        ])
        .is_some();
    if deferred {
        return None;
    }
    if terms_gesture(t) {
        return Some(traded(t));
    }
    // "5 % sur l'abonnement en échange d'un paiement annuel": a cut of the price traded,
    // however it is introduced. Without the exchange, it is the deal said back ("Donc : -5 %
    // sur l'abonnement, 36 mois… On signe ?").
    let cut = t.find_any(&["pourcent sur l abonnement", "pourcent sur le prix", "pourcent sur la licence"]);
    if cut.is_some() && traded(t) {
        return Some(true);
    }
    // The gesture follows the offer closely: "on fait une démo… chiffrer en euros" gives
    // nothing away.
    let offer = t.find_any(&LEX.concession)?;
    // "On peut vous faire gagner 10 % de carburant" promises a saving, it gives nothing.
    let next = Normalized::new(&words_from(t, offer, 6))
        .words()
        .skip(offer.split_whitespace().count())
        .take(1)
        .collect::<String>();
    if matches!(next.as_str(), "gagner" | "economiser" | "reduire" | "baisser" | "diviser" | "eviter") {
        return None;
    }
    let discount = Normalized::new(&words_from(t, offer, 10))
        .find_any(&[
            "pourcent",
            "remise",
            "reduction",
            "rabais",
            "ristourne",
            "geste",
            "effort",
            "offert",
            "offerts",
            "offerte",
            "gratuit",
            "gratuits",
            "gratuitement",
            "moins cher",
            "au prix",
            "au lieu de",
            "gratuite",
            "descendre",
            "descends",
            "baisse",
            "baisser",
            "cadeau",
            "euros",
            "meme tarif",
            "meme prix",
            "sans engagement",
        ])
        .is_some();
    discount.then(|| traded(t))
}

/// A gesture on the terms rather than the price: the set-up fee billed later, a payment
/// spread ("je peux reporter la facturation de la mise en place sur l'an prochain, en trois
/// fois"). A question that weighs one ("si on étalait… ?") gives nothing yet.
fn terms_gesture(t: &Normalized<'_>) -> bool {
    let Some(offer) = t.find_any(&[
        "je peux reporter",
        "on peut reporter",
        "je reporte",
        "je peux etaler",
        "on peut etaler",
        "j etale",
        "je peux differer",
        "on peut differer",
        "je differe",
        "je decale",
        "je peux decaler",
        "on peut decaler",
        "on decale",
    ]) else {
        return false;
    };
    Normalized::new(&words_from(t, offer, 12))
        .find_any(&[
            "facturation",
            "paiement",
            "mise en place",
            "frais",
            "acompte",
            "echeance",
            "en trois fois",
            "en plusieurs fois",
        ])
        .is_some()
}

/// The first `n` normalised words of `t` from `hit` (a slice of `t`'s original text) on:
/// what follows an offer closely.
fn words_from(t: &Normalized<'_>, hit: &str, n: usize) -> String {
    let start = (hit.as_ptr() as usize).saturating_sub(t.original().as_ptr() as usize);
    Normalized::new(t.original().get(start..).unwrap_or_default()).words().take(n).collect::<Vec<_>>().join(" ")
}

/// Whether a sentence says what the gesture is traded for, on its own ("En contrepartie, je
/// vous demande l'engagement sur 36 mois"): it makes a gesture of the turn's other
/// sentences a traded one.
pub(super) fn states_counterpart(t: &Normalized<'_>) -> bool {
    t.find_any(&[
        "en contrepartie",
        "en contre partie",
        "en echange",
        "a condition",
        "a la condition",
        "donnant donnant",
    ])
    .is_some()
        && t.find_any(&LEX.no_counterpart).is_none()
}

/// Whether a gesture is traded for something: a condition on the buyer ("si vous…", "en
/// échange") that is not denied ("sans rien en échange").
pub(super) fn traded(t: &Normalized<'_>) -> bool {
    // "Si je vous le mets à…" is the seller's own offer, "si vraiment ça bloque" a doubt:
    // neither is a condition on the buyer.
    let words: Vec<&str> = t.words().collect();
    let buyer_if = words.windows(2).any(|w| {
        w[0] == "si" && !matches!(w[1], "je" | "j" | "ca" | "c" | "vraiment" | "besoin" | "necessaire" | "possible")
    });
    // "Si je décale le paiement…, vous signez cette semaine ?": the seller's move for the
    // buyer's commitment.
    let for_commitment = words.windows(2).any(|w| w == ["si", "je"])
        && t.find_any(&[
            "vous signez",
            "vous signeriez",
            "vous vous engagez",
            "vous validez",
            "on signe",
            "vous prenez",
        ])
        .is_some();
    let condition = t.find_any(&LEX.counterpart).is_some() || buyer_if || for_commitment;
    condition && t.find_any(&LEX.no_counterpart).is_none()
}

/// A gesture traded only for a quick signature ("15 % si vous signez avant la fin du
/// mois"): a condition, so no fault, but not the trade of variables METHODS teaches either,
/// so no credit.
pub(super) fn traded_for_a_date_only(t: &Normalized<'_>) -> bool {
    signing_deadline(t) && !trades_a_variable(t)
}

/// A signature asked by a date ("si vous signez avant la fin du mois", "si on signe
/// aujourd'hui"): a deadline, not a counterpart.
pub(super) fn signing_deadline(t: &Normalized<'_>) -> bool {
    let Some(sign) = t.find_any(&[
        "si vous signez",
        "si vous me signez",
        "si on signe",
        "si vous validez",
        "si vous commandez",
        "si vous vous engagez",
        "si vous passez commande",
        "si la signature",
        "pour une signature",
    ]) else {
        return false;
    };
    let after = words_from(t, sign, 10);
    let after = Normalized::new(&after);
    after
        .find_any(&[
            "avant",
            "d ici",
            "aujourd hui",
            "cette semaine",
            "ce mois",
            "maintenant",
            "tout de suite",
            "rapidement",
            "vite",
            "demain",
            "ce soir",
            "dans la semaine",
            "sous huitaine",
        ])
        .is_some()
}

/// Whether a condition names what negotiators trade instead of price (METHODS:
/// duration, volume, payment terms, scope, a reference).
fn trades_a_variable(t: &Normalized<'_>) -> bool {
    t.find_any(&[
        "ans",
        "annees",
        "engagement",
        "engagez sur",
        "sur 36 mois",
        "sur 24 mois",
        "sur trente six mois",
        "sites",
        "licences",
        "utilisateurs",
        "volume",
        "paiement",
        "payez",
        "d avance",
        "annuel",
        "annuelle",
        "reference",
        "temoignage",
        "cas client",
        "exclusivite",
        "en echange",
        "en contrepartie",
    ])
    .is_some()
}

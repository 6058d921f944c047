//! What one sentence of a learner turn does, read from its cue phrases in context: proof,
//! closing, put-downs, insults, word salad, cutting in (hollow techniques are in `hollow`,
//! prices and gestures in `money`, pressure in `pressure`, dates in `dates`). `reading`
//! calls these for each sentence; none of them decides a pattern alone.

use super::TurnContext;
use super::lexicon::*;
use super::money::concession;
use super::reading::Sentence;
use crate::text::Normalized;

pub(super) fn is_proof(ctx: &TurnContext<'_>, s: &Sentence<'_>) -> bool {
    let t = &s.text;
    let named = ctx.proof_names.iter().any(|n| !n.trim().is_empty() && t.contains(n));
    if named {
        return true;
    }
    if s.question {
        return false;
    }
    // "Je récapitule : 57 960 euros par an, 36 mois…": the deal said back, not a proof.
    if t.find_any(&["je recapitule", "si je recapitule", "je vous recapitule", "recapitulons", "pour recapituler"])
        .is_some()
    {
        return false;
    }
    // A discount is an offer, not a proof ("on a une remise de 15 % sur la première année").
    if t.find_any(&["remise", "rabais", "ristourne", "reduction de"]).is_some() {
        return false;
    }
    // A testimonial or a case study is proof by itself; "nos clients" needs what they got.
    let testimonial =
        t.find_any(&["temoignage", "etude de cas", "cas client", "retour d experience", "nos references"]).is_some();
    let customers = t
        .find_any(&[
            "un de nos clients",
            "une de nos clientes",
            "l un de nos clients",
            "nos clients",
            "un client",
            "une cliente",
            "un autre client",
            "une reference",
        ])
        .is_some();
    // An error owned up to is no proof of anything: "nous avons commis une erreur", "la
    // hausse du 12 décembre n'a pas été appliquée".
    if owns_up(t) {
        return false;
    }
    // The prospect's own figures said back ("un devis sur quatre, à 8 000 euros") restate;
    // they prove nothing.
    let said: Vec<&str> = std::iter::once(ctx.previous_prospect_line)
        .chain(ctx.earlier_prospect_lines.iter().map(String::as_str))
        .flat_map(crate::text::digit_runs)
        .collect();
    // A day or a time ("c'est noté pour mardi 14 h") is no figure.
    // ("5 heures par semaine" is a duration, a figure.)
    let dated: Vec<String> =
        super::dates::date_spans(t).into_iter().filter(|d| !d.ends_with(" heures") && !d.ends_with(" heure")).collect();
    let in_a_date = |n: &str| dated.iter().any(|d| d.split(' ').any(|w| w == n || w.starts_with(&format!("{n}h"))));
    let number = crate::text::digit_runs(t.original()).any(|n| !said.contains(&n) && !in_a_date(n));
    let result = t.find_any(&LEX.result_words).is_some() || t.find_any(&LEX.proof_words).is_some();
    let obtained = t
        .find_any(&[
            "ont gagne",
            "a gagne",
            "ont economise",
            "a economise",
            "ont reduit",
            "a reduit",
            "ont divise",
            "a divise",
            "ont vu",
            "a vu",
            "ont obtenu",
            "a obtenu",
            "sont passes",
            "est passe",
            "ont reussi",
            "a reussi",
        ])
        .is_some();
    let priced =
        concession(t).is_some() || t.contains("par mois") || t.contains("abonnement") || t.contains("euros ht");
    // "96 % des champs lus", "sur nos 38 000 bulletins": a measured figure.
    let statistic = number && (t.contains("pourcent") || t.find_any(&["nos", "nous", "on a", "on est"]).is_some());
    let about_them = t.find_any(&["vous avez", "vous perdez", "vous payez", "vous etes", "votre", "vos"]).is_some();
    // "Chez Dorléans Manutention, …": someone else's results; "chez nous" is the seller's.
    let words: Vec<&str> = t.words().collect();
    let at_another = words
        .windows(2)
        .any(|w| w[0] == "chez" && !matches!(w[1], "nous" | "vous" | "moi" | "toi" | "soi" | "lui" | "eux"));
    let elsewhere = at_another && (number || obtained) && concession(t).is_none();
    // "Notre solution permet en général de réduire la facture de 15 à 20 %": what the
    // product could do, a promise; a proof says what was measured or obtained.
    let promise = t
        .find_any(&["permet", "permettra", "permettrait", "pourra", "pourrait", "en general", "jusqu a", "va vous"])
        .is_some();
    // "Des clients ont économisé 20 %", with no one named and no source, is hearsay; "un
    // client comme vous, Agri-Centre, a récupéré 70 %" or "selon notre étude sur 200 PME"
    // can be checked.
    let names_someone = without_names(t.original()).len() < t.original().len();
    // "94 % des clients renouvellent", "nos clients gagnent en moyenne…": figures on the
    // whole base, proof enough.
    let sourced =
        t.find_any(&["etude", "enquete", "mesure", "mesures", "audit", "selon", "panel", "sur un echantillon"]);
    let some_clients = words.windows(2).enumerate().any(|(i, w)| {
        matches!(w, ["des" | "certains", "clients"])
            && i.checked_sub(1)
                .is_none_or(|p| !(words[p] == "pourcent" || words[p].chars().all(|c| c.is_ascii_digit())))
    });
    let hearsay = some_clients && !names_someone && sourced.is_none();
    testimonial
        || (customers && (number || obtained) && !hearsay)
        || elsewhere
        || (number && (result || statistic) && !priced && !about_them && !promise && !hearsay)
}

/// Whether a sentence owns up to the seller's mistake: an apology, not a pitch.
pub(super) fn owns_up(t: &Normalized<'_>) -> bool {
    t.find_any(&[
        "commis une erreur",
        "fait une erreur",
        "c est notre faute",
        "c est de notre faute",
        "l erreur vient de nous",
        "nos excuses",
        "mes excuses",
        "je suis desole",
        "nous sommes desoles",
        "on s est trompe",
        "nous nous sommes trompes",
        "n a pas ete appliquee",
        "n a pas ete applique",
        "nous aurions du",
        "on aurait du",
    ])
    .is_some()
}

pub(super) fn is_closing(s: &Sentence<'_>) -> bool {
    let t = &s.text;
    let explicit = t
        .find_any(&[
            "je vous propose de signer",
            "je vous propose de valider",
            "je vous propose de demarrer",
            "je vous propose de lancer",
            "je vous propose de commencer",
            "je vous envoie le bon de commande",
            "je vous envoie le contrat",
            "je prepare le contrat",
            "je prepare le bon de commande",
            "je lance la commande",
            "je vous inscris",
            "marche conclu",
            "affaire conclue",
            "banco",
            "il ne manque plus que votre signature",
            "il manque plus que votre signature",
            "il ne manque que votre signature",
            "il ne reste que votre signature",
            "il ne reste plus que votre signature",
            "voici le bon de commande",
            "voici le contrat",
            "je vous laisse signer",
            "on le signe maintenant",
            "on le signe ensemble",
            "vous me dites oui aujourd hui",
            "je vous laisse le bon de commande",
            "je vous laisse le bon",
            "alors on boucle",
            "bouclons",
            "vous signez aujourd hui",
        ])
        .is_some();
    // "Si on démarre, ça doit être prêt quand ?", "quand vous signez un client": a condition
    // or a circumstance, not a request for the decision.
    let asked = || {
        LEX.closing.iter().any(|p| {
            t.contains(p)
                && !["si", "s", "quand", "lorsque", "lorsqu", "une fois que", "une fois qu", "des que", "avant que"]
                    .iter()
                    .any(|c| t.contains(&format!("{c} {p}")))
        })
    };
    explicit || (s.question && asked())
}

/// Whether a sentence runs down a rival. A question about the prospect's own tool ("quand
/// un de vos scripts plante, combien de temps… ?") asks about their pain: only the strong
/// words of `[bashing]` make it a put-down.
pub(super) fn is_denigration(ctx: &TurnContext<'_>, t: &Normalized<'_>, question: bool) -> bool {
    if t.find_any(&LEX.bashing).is_none() {
        return !question && rival_put_down(ctx, t);
    }
    // "Chez Quintal Bricolage, …" names a client: a capitalised word inside a sentence is
    // a name, not a put-down. The put-down is looked for in the rest.
    let unnamed = without_names(t.original());
    let unnamed = Normalized::new(&unnamed);
    let Some(hit) = unnamed.find_any(&LEX.bashing) else { return false };
    let negated = t
        .find_any(&[
            "pas mauvais",
            "pas nul",
            "pas si mauvais",
            "mauvaise surprise",
            "mauvaises surprises",
            "pas mal",
            "mauvaise experience",
            "mauvaises experiences",
            "mauvais souvenir",
            "mauvais souvenirs",
            // A budget or a deadline exceeded, not a product out of date.
            "depasse de",
            "deja depasse",
            "budget depasse",
            "budget est depasse",
        ])
        .is_some();
    // Fraudsters and thieves who struck the prospect are no competitor ("18 400 euros virés
    // à des escrocs").
    let crime = matches!(
        crate::text::normalize(hit).as_str(),
        "escrocs" | "arnaque" | "arnaqueurs" | "escroquerie" | "voleurs" | "des voleurs"
    ) && t
        .find_any(&[
            "vire",
            "vires",
            "virement",
            "victime",
            "victimes",
            "fraude",
            "pirate",
            "pirates",
            "piratage",
            "hacker",
            "hackers",
            "rancon",
            "vol",
            "cambriolage",
        ])
        .is_some();
    if crime {
        return false;
    }
    // A competitor of the scenario or a third party (the prospect's provider, "les autres").
    let rival = names_rival(ctx, t);
    // "Mauvais" alone says nothing against anyone ("saisi dans le mauvais paramétrage"): it
    // needs a rival or a third party in the sentence; so does "ne livre jamais" ("on ne
    // livre jamais en retard" is a boast).
    // Nor does "ça ne sert à rien" ("un outil que personne ne remplit ne sert à rien" is a
    // truth of the trade, aimed at no one) or "en vrac" (the prospect's receipts arriving in a
    // mess).
    let weak = matches!(
        crate::text::normalize(hit).as_str(),
        "mauvais"
            | "mauvaise"
            | "moins bon"
            | "moins bons"
            | "sert a rien"
            | "en vrac"
            | "ne sont jamais prets"
            | "n est jamais pret"
            | "ne sont jamais a l heure"
            | "ne tiennent jamais"
            | "ne tient jamais ses"
            | "ne livrent jamais"
            | "ne livre jamais"
    );
    if weak && !rival {
        return false;
    }
    // "Vous êtes nuls" is aimed at the prospect: that is aggressive, not denigration. A
    // put-down aimed at anything else (a rival, the prospect's current tool or provider)
    // runs down the competition, named or not.
    let at_prospect = t.find_any(&["vous etes", "tu es", "vous faites"]).is_some() && !rival;
    !negated && !at_prospect && !hit.is_empty()
}

/// The text without its capitalised words that do not start a sentence (names).
fn without_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut sentence_start = true;
    for word in text.split_inclusive(char::is_whitespace) {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        let capitalised =
            bare.chars().next().is_some_and(char::is_uppercase) && bare.chars().skip(1).any(char::is_lowercase);
        if !capitalised || sentence_start {
            out.push_str(word);
        } else {
            out.push(' ');
        }
        let end = word.trim_end();
        if !end.is_empty() {
            sentence_start = end.ends_with(['.', '!', '?', '…', ':']);
        }
    }
    out
}

pub(super) fn is_insult(t: &Normalized<'_>) -> bool {
    let original = t.original();
    let shouting = original
        .split_whitespace()
        .filter(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.chars().count() >= 4
                && w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
                && w.chars().any(char::is_alphabetic)
                && !LEX.known_acronyms.has(w)
        })
        .count()
        >= 2;
    let cheering = t
        .find_any(&["bravo", "felicitations", "super", "genial", "excellent", "merci", "top", "parfait", "formidable"])
        .is_some();
    // "Par les promoteurs ?!" echoes in surprise; a longer line is exasperated.
    let exasperated = ((original.contains("?!") || original.contains("!?")) && t.word_count() >= 5)
        || (original.contains("!!!") && !cheering);
    t.find_any(&LEX.insults).is_some()
        || t.find_any(&["c est ridicule", "vous etes ridicule"]).is_some()
        // "Sérieusement ?" on its own is exasperation; "chiffrer sérieusement" is care.
        || (t.word_count() <= 2 && t.words().any(|w| w == "serieusement"))
        || shouting
        || exasperated
        || mocking_echo(t)
}

/// Their word said twice in mockery ("Réfléchir, réfléchir…", "La DSI, la DSI…"): the same
/// one to three words repeated back to back near the start, a content word among them.
fn mocking_echo(t: &Normalized<'_>) -> bool {
    let words: Vec<&str> = t.words().collect();
    let trailing = t.original().contains("...") || t.original().contains('…');
    trailing
        && (0..words.len().min(4)).any(|i| {
            (1..=3).any(|n| {
                words.get(i..i + n).is_some_and(|a| {
                    words.get(i + n..i + 2 * n) == Some(a) && a.iter().any(|w| super::lexicon::is_content_word(w))
                })
            })
        })
}

/// A string of method words with nothing around them ("contexte, objectifs, moyens…
/// racontez-moi ?"): three or more in a row, or a line made of little else.
pub(super) fn is_word_salad(t: &Normalized<'_>) -> bool {
    let words: Vec<&str> = t.words().collect();
    let core = words.iter().filter(|w| LEX.method_terms.has(w)).count();
    let method = words.iter().filter(|w| LEX.method_terms.has(w) || LEX.salad_fillers.has(w)).count();
    let mut run = 0;
    let mut longest = 0;
    for w in &words {
        if LEX.method_terms.has(w) {
            run += 1;
            longest = longest.max(run);
        } else if !matches!(*w, "et" | "le" | "la" | "les" | "l" | "des" | "du" | "de" | "d" | "un" | "une") {
            run = 0;
        }
    }
    // A method spelt out letter by letter ("vos C, O, M, P, I, R").
    let spelt = words
        .windows(4)
        .any(|w| w.iter().all(|l| l.chars().count() == 1 && l.chars().all(|c| c.is_alphabetic()) && *l != "a"));
    spelt || longest >= 3 || core >= 5 || (core >= 3 && method * 10 >= words.len() * 7)
}

/// "Je comprends le principe", "je comprends rien", "désolé de vous couper": words of
/// empathy that acknowledge no feeling.
pub(super) fn politeness_only(t: &Normalized<'_>) -> bool {
    let words: Vec<&str> = t.words().collect();
    let after = |phrase: &[&str]| {
        words.windows(phrase.len() + 1).find(|w| w[..phrase.len()] == *phrase).map(|w| w[phrase.len()])
    };
    // "Je comprends, les deux dernières années…" is empathy; "je comprends le principe" is not.
    let raw = t.original().to_lowercase();
    let right_after = raw.find("comprends").map(|i| raw[i + "comprends".len()..].trim_start().to_owned());
    let punctuated = right_after.as_deref().is_some_and(|r| r.starts_with(|c: char| !c.is_alphanumeric()));
    let feeling = t
        .find_any(&[
            "crainte",
            "inquietude",
            "frustration",
            "colere",
            "reaction",
            "agacement",
            "doute",
            "hesitation",
            "reticence",
            "peur",
            "prudence",
            "position",
            "mefiance",
            "deception",
            "souci",
            "point de vue",
        ])
        .is_some();
    let understands_a_thing = !punctuated
        && !feeling
        && after(&["je", "comprends"]).is_some_and(|n| {
            matches!(n, "le" | "la" | "les" | "l" | "rien" | "pas" | "mieux" | "comment" | "pourquoi" | "ou")
        });
    let sorry_to_bother =
        ["desole", "desolee"].iter().any(|w| after(&[w]).is_some_and(|n| matches!(n, "de" | "d" | "mais")))
            || t.find_any(&["je vous coupe", "desole de vous deranger", "desole de revenir"]).is_some();
    let other_empathy = t
        .find_any(&[
            "c est legitime",
            "c est normal",
            "je vous comprends",
            "toutes mes excuses",
            "a votre place",
            "ca doit",
            "je sais ce que c est",
        ])
        .is_some();
    (understands_a_thing || sorry_to_bother) && !other_empathy
}

/// Whether a sentence opening on « Attendez » cuts the prospect off. In a written
/// exchange the prospect has finished; « Attendez, si je comprends bien… » only marks a
/// pause. It cuts in when the prospect's line was cut short (« … sign— »), when it is said
/// twice or alone, or when what follows pushes back (« attendez, non… »).
pub(super) fn cuts_in(first: &str, t: &Normalized<'_>, previous_prospect_line: &str) -> bool {
    if first == "stop" {
        return true;
    }
    if !matches!(first, "attendez" | "attends") {
        return false;
    }
    let cut_short = previous_prospect_line.trim_end().ends_with(['—', '-']);
    let next: Vec<&str> = t.words().skip(1).take(3).collect();
    let pushes = next.first().is_none_or(|w| matches!(*w, "attendez" | "attends" | "non" | "mais" | "stop" | "bon"))
        || next.iter().any(|w| matches!(*w, "seconde" | "secondes" | "minute"));
    cut_short || pushes
}

/// Whether a sentence lies to get through: false familiarity, a pretext, an authority
/// posed as ("de la part de l'URSSAF"). Hearsay, a follow-up call's real history, a
/// referral call's referrer and a reaction ("là, c'est urgent alors !") are no lies.
pub(super) fn lies_to_get_through(ctx: &TurnContext<'_>, t: &Normalized<'_>) -> bool {
    let hearsay = t.find_any(&["on m a dit qu il y a", "on m a dit qu il y avait", "on m a dit qu il y aurait"]);
    // A follow-up call has a real history: recalling it ("vous vous souvenez de la
    // démo ?") is no false familiarity.
    let shared_history = ctx.skill == "relance_suivi"
        && t.find_any(&LEX.pretext).is_some_and(|p| {
            matches!(
                crate::text::normalize(p).as_str(),
                "vous vous souvenez"
                    | "on s etait parle"
                    | "on s etait eues"
                    | "on s etait eus"
                    | "on s est eu"
                    | "vous m aviez demande de vous rappeler"
                    | "vous m aviez dit de vous appeler"
                    | "on en a parle ensemble"
                    | "c est pour le suivi"
                    | "suivi de notre intervention"
                    | "le dossier en cours avec"
            )
        });
    // A referral is the heart of a referral call ("Marc m'a donné votre numéro").
    let referred = ctx.skill == "recommandation";
    // "Ah, là c'est urgent alors !" reacts to what the prospect said: no excuse to get
    // through.
    let reacting = t
        .find_any(&[
            "la c est urgent",
            "alors c est urgent",
            "donc c est urgent",
            "c est urgent alors",
            "c est urgent pour vous",
        ])
        .is_some();
    let pretext = t.find_any(&LEX.pretext).filter(|p| !(reacting && p.contains("urgent")));
    (pretext.is_some() || (poses_as_authority(t) && !referred)) && hearsay.is_none() && !shared_history
}

/// Calling on behalf of an authority or an organisation the seller does not belong to
/// ("je vous appelle de la part de l'ARS", "mandaté par l'URSSAF", "service sécurité de la
/// préfecture"): an organisation named together with a claim to act for it.
pub(super) fn poses_as_authority(t: &Normalized<'_>) -> bool {
    let authority = t
        .find_any(&[
            "urssaf",
            "ademe",
            "prefecture",
            "ars",
            "agence regionale de sante",
            "dreal",
            "impots",
            "fisc",
            "inspection",
            "inspection du travail",
            "gendarmerie",
            "police",
            "mairie",
            "tribunal",
            "huissier",
            "ministere",
            "douane",
            "douanes",
            "administration",
            "assureur",
            "banque",
        ])
        .is_some();
    let acting = t
        .find_any(&[
            "de la part de",
            "de la part du",
            "de la part des",
            "mandate par",
            "mandatee par",
            "mandates par",
            "missionne par",
            "missionnes",
            "nous a missionnes",
            "a la demande de",
            "dans le cadre du suivi",
            "dans le cadre d un controle",
            "dans le cadre d une verification",
            "dans le cadre de votre derniere inspection",
            "pour une verification",
            "une verif",
            "service securite",
            "service des",
            "je suis de",
            "je suis du",
            "je travaille pour",
        ])
        .is_some();
    // "Ici la préfecture", said to introduce oneself, not "d'ici là".
    let introduced = t.words().collect::<Vec<_>>().windows(2).enumerate().any(|(i, w)| {
        w[0] == "ici" && matches!(w[1], "le" | "la" | "l") && (i == 0 || t.words().nth(i - 1).is_some_and(|p| p != "d"))
    });
    authority && (acting || introduced)
}

/// A rival named (a competitor of the scenario, the prospect's current provider or tool)
/// and judged in the same sentence ("Finalcad ? C'est lent, c'est cher, et leur appli
/// plante", "votre prestataire, un dépanneur d'imprimantes").
fn rival_put_down(ctx: &TurnContext<'_>, t: &Normalized<'_>) -> bool {
    names_rival(ctx, t) && t.find_any(&LEX.put_downs).is_some()
}

/// Whether a sentence names a competitor of the scenario (or its brand) or the prospect's
/// current provider or tool.
pub(super) fn names_rival(ctx: &TurnContext<'_>, t: &Normalized<'_>) -> bool {
    let competitor = ctx.competitors.iter().any(|c| {
        let name = c.split(['(', ',']).next().unwrap_or(c).trim();
        let brand = name.split_whitespace().next().filter(|b| b.chars().count() >= 4);
        (!name.is_empty() && t.contains(name)) || brand.is_some_and(|b| t.contains(b))
    });
    competitor || t.find_any(&LEX.third_parties).is_some()
}

//! Analysis of a learner turn (SPEC 5.2): which patterns it shows, with the learner's own
//! words as evidence.
//!
//! A pure function of the turn and of what came before (`TurnContext`). The pattern ids are
//! a public contract (API, CLI, reports): never rename or drop one.

use serde::{Deserialize, Serialize};

use crate::text::{Normalized, edit_distance, normalize, normalized_form};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatternId {
    GoodOpenQuestion,
    Reformulation,
    Empathy,
    ActiveListening,
    Personalization,
    DiscoveryQuestion,
    BenefitArgument,
    ProofUsed,
    ObjectionDig,
    ObjectionNeutralize,
    ObjectionZoom,
    ColumboQuestion,
    ClosingAttempt,
    NextStepProposal,
    ClosedQuestionStreak,
    Monologue,
    Interruption,
    Jargon,
    PrematurePrice,
    CompetitorBashing,
    ObjectionIgnored,
    Pushy,
    SelfCentered,
    FillerWords,
    NoQuestion,
    WrongName,
    AggressiveTone,
}

impl PatternId {
    pub const ALL: [PatternId; 27] = [
        PatternId::GoodOpenQuestion,
        PatternId::Reformulation,
        PatternId::Empathy,
        PatternId::ActiveListening,
        PatternId::Personalization,
        PatternId::DiscoveryQuestion,
        PatternId::BenefitArgument,
        PatternId::ProofUsed,
        PatternId::ObjectionDig,
        PatternId::ObjectionNeutralize,
        PatternId::ObjectionZoom,
        PatternId::ColumboQuestion,
        PatternId::ClosingAttempt,
        PatternId::NextStepProposal,
        PatternId::ClosedQuestionStreak,
        PatternId::Monologue,
        PatternId::Interruption,
        PatternId::Jargon,
        PatternId::PrematurePrice,
        PatternId::CompetitorBashing,
        PatternId::ObjectionIgnored,
        PatternId::Pushy,
        PatternId::SelfCentered,
        PatternId::FillerWords,
        PatternId::NoQuestion,
        PatternId::WrongName,
        PatternId::AggressiveTone,
    ];

    /// The wire id, e.g. `good_open_question`.
    pub fn as_str(self) -> &'static str {
        self.info().0
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn is_positive(self) -> bool {
        (self as u8) <= (PatternId::NextStepProposal as u8)
    }

    /// The French label shown in reports.
    pub fn label(self) -> &'static str {
        self.info().1
    }

    /// What to do instead (negative patterns), or how to do more of it (positive ones).
    pub fn advice(self) -> &'static str {
        self.info().2
    }

    fn info(self) -> (&'static str, &'static str, &'static str) {
        use PatternId::*;
        match self {
            GoodOpenQuestion => (
                "good_open_question",
                "Bonne question ouverte",
                "Continuez à ouvrir avec « comment », « qu’est-ce qui », « racontez-moi » : le prospect parle, vous apprenez.",
            ),
            Reformulation => (
                "reformulation",
                "Reformulation",
                "Reformulez après chaque information importante : le prospect se sent compris et corrige ce qui est faux.",
            ),
            Empathy => ("empathy", "Empathie", "Reconnaître le ressenti avant de répondre désamorce la tension."),
            ActiveListening => (
                "active_listening",
                "Écoute active",
                "Relancez sur les mots du prospect (« c’est-à-dire ? ») plutôt que d’enchaîner sur votre sujet.",
            ),
            Personalization => (
                "personalization",
                "Personnalisation",
                "Utiliser le nom du prospect et de son entreprise montre que vous avez préparé l’appel.",
            ),
            DiscoveryQuestion => (
                "discovery_question",
                "Question de découverte",
                "Couvrez chaque point de la méthode (COMPIR ou BEBEDC) avant d’argumenter.",
            ),
            BenefitArgument => (
                "benefit_argument",
                "Argument bénéfice (BAC)",
                "Partez du besoin exprimé : bénéfice pour lui, puis avantage, puis caractéristique.",
            ),
            ProofUsed => {
                ("proof_used", "Preuve apportée", "Un témoignage ou un chiffre client vaut mieux qu’une promesse.")
            }
            ObjectionDig => (
                "objection_dig",
                "Objection creusée (CNZ)",
                "Creusez toujours une objection avant d’y répondre : « par rapport à quoi ? ».",
            ),
            ObjectionNeutralize => (
                "objection_neutralize",
                "Objection neutralisée (CNZ)",
                "Isolez l’objection : « à part ce point, tout vous convient ? ».",
            ),
            ObjectionZoom => (
                "objection_zoom",
                "Recentrage sur les enjeux (CNZ)",
                "Ramenez la réponse aux enjeux du prospect : coût de l’inaction, retour sur investissement.",
            ),
            ColumboQuestion => (
                "columbo_question",
                "Question Columbo",
                "Gardez la question clé pour le moment où le prospect se détend.",
            ),
            ClosingAttempt => {
                ("closing_attempt", "Tentative de conclusion", "Demandez clairement la décision, puis taisez-vous.")
            }
            NextStepProposal => (
                "next_step_proposal",
                "Prochaine étape proposée",
                "Proposez toujours une étape datée : jour, heure, participants.",
            ),
            ClosedQuestionStreak => (
                "closed_question_streak",
                "Série de questions fermées",
                "Après deux questions fermées, ouvrez : « comment faites-vous aujourd’hui ? ».",
            ),
            Monologue => (
                "monologue",
                "Monologue",
                "Faites court : deux ou trois phrases, puis rendez la parole avec une question.",
            ),
            Interruption => (
                "interruption",
                "Interruption",
                "Attendez deux secondes après que le prospect a fini de parler avant de répondre.",
            ),
            Jargon => ("jargon", "Jargon", "Parlez la langue du prospect : pas de sigles ni d’anglicismes empilés."),
            PrematurePrice => (
                "premature_price",
                "Prix abordé trop tôt",
                "Ne parlez prix ou remise qu’après avoir établi le besoin et la valeur.",
            ),
            CompetitorBashing => (
                "competitor_bashing",
                "Dénigrement de la concurrence",
                "Ne critiquez jamais un concurrent : différenciez-vous par vos forces.",
            ),
            ObjectionIgnored => (
                "objection_ignored",
                "Objection ignorée",
                "Accusez réception de chaque objection et creusez-la avant d’avancer.",
            ),
            Pushy => (
                "pushy",
                "Pression excessive",
                "Remplacez l’injonction par une question : le prospect décide, vous l’aidez.",
            ),
            SelfCentered => (
                "self_centered",
                "Discours centré sur vous",
                "Parlez de lui (« vous », « votre équipe ») plus que de vous (« nous », « notre société »).",
            ),
            FillerWords => {
                ("filler_words", "Mots parasites", "Remplacez « euh », « du coup », « en fait » par un court silence.")
            }
            NoQuestion => (
                "no_question",
                "Aucune question",
                "Posez au moins une question à chaque prise de parole : celui qui questionne mène l’entretien.",
            ),
            WrongName => (
                "wrong_name",
                "Nom écorché",
                "Vérifiez le nom du prospect et de son entreprise : une erreur casse la confiance.",
            ),
            AggressiveTone => (
                "aggressive_tone",
                "Ton agressif",
                "Restez courtois quoi qu’il arrive : la tension se retourne toujours contre le vendeur.",
            ),
        }
    }
}

/// One pattern found in a turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    pub pattern: PatternId,
    /// The learner's words that triggered it.
    pub evidence: String,
    /// Extra information, e.g. the COMPIR/BEBEDC item of a discovery question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What the analysis needs to know about the conversation so far.
#[derive(Debug, Clone, Default)]
pub struct TurnContext<'a> {
    /// The prospect's full name, e.g. "Philippe Martin".
    pub prospect_name: &'a str,
    pub company: &'a str,
    /// The prospect's previous line.
    pub previous_prospect_line: &'a str,
    /// Whether that line raised an objection.
    pub previous_was_objection: bool,
    /// Closed questions in a row in the learner's previous turns.
    pub closed_question_streak: u32,
    /// Learner turns in a row before this one without any question.
    pub turns_without_question: u32,
    /// Discovery questions asked so far.
    pub discovery_questions: u32,
    /// Names of competitors in the scenario.
    pub competitors: &'a [String],
    /// Names of customers, testimonials and case studies the learner may cite.
    pub proof_names: &'a [String],
}

/// Turns longer than this are a monologue in a spoken conversation.
pub const MONOLOGUE_WORDS: usize = 80;

const OPEN_STARTS: &[&str] = &[
    "comment",
    "pourquoi",
    "qu est ce qui",
    "qu est ce que",
    "que pensez vous",
    "quel est",
    "quelle est",
    "quels sont",
    "quelles sont",
    "dans quelle mesure",
    "racontez moi",
    "parlez moi",
    "decrivez",
    "expliquez moi",
    "en quoi",
    "de quelle maniere",
    "a quoi",
    "qu attendez vous",
    "que se passe t il",
    "combien de",
    "qui d autre",
];
const REFORMULATION: &[&str] = &[
    "si je comprends bien",
    "si je resume",
    "autrement dit",
    "vous voulez dire que",
    "en d autres termes",
    "si je vous suis bien",
    "si je vous entends bien",
    "ce que j entends",
    "pour resumer",
    "si je reformule",
];
const EMPATHY: &[&str] = &[
    "je comprends",
    "je vous comprends",
    "c est tout a fait legitime",
    "c est legitime",
    "je suis desole",
    "je suis desolee",
    "a votre place",
    "c est normal",
    "ca doit etre",
    "c est frustrant",
    "je l entends",
];
const ACKNOWLEDGEMENTS: &[&str] = &[
    "d accord",
    "je vois",
    "tres bien",
    "effectivement",
    "entendu",
    "ok",
    "oui",
    "bien sur",
    "vous avez raison",
    "bonne question",
    "je comprends",
    "ah oui",
    "c est clair",
    "interessant",
    "je note",
    "mmh",
    "hum",
];
const LISTENING_PROMPTS: &[&str] =
    &["c est a dire", "et ensuite", "et alors", "dites m en plus", "a quel point", "par exemple"];
const BENEFIT: &[&str] = &[
    "ce qui vous permet",
    "ce qui vous permettra",
    "concretement pour vous",
    "l avantage pour vous",
    "vous gagnez",
    "vous allez pouvoir",
    "cela vous permet",
    "ca vous permet",
    "vous permettrait",
    "pour vous ca veut dire",
];
const PROOF: &[&str] = &[
    "temoignage",
    "etude de cas",
    "un de nos clients",
    "une de nos clientes",
    "par exemple chez",
    "chez un client",
    "retour d experience",
    "ils ont gagne",
    "ils ont reduit",
];
const DIG: &[&str] = &[
    "qu est ce qui vous fait dire",
    "c est a dire",
    "par rapport a quoi",
    "qu entendez vous par",
    "pourquoi dites vous",
    "qu est ce qui vous inquiete",
    "qu est ce qui vous freine",
    "qu est ce qui vous gene",
    "comment ca",
    "dans quel sens",
    "qu est ce qui vous retient",
];
const NEUTRALIZE: &[&str] = &[
    "a part ce point",
    "a part cela",
    "a part ca",
    "si on regle",
    "si on trouve une solution",
    "est ce la seule chose",
    "est ce le seul point",
    "mis a part",
    "en dehors de ce point",
    "si ce point etait regle",
    "a part le prix",
    "a part le budget",
    "a part le tarif",
    "autre chose qui vous retient",
    "y a t il autre chose",
];
const ZOOM: &[&str] = &[
    "concretement pour vous",
    "ce que ca vous coute",
    "combien vous coute",
    "retour sur investissement",
    "rentabilise",
    "rentabilisee",
    "cout de l inaction",
    "si rien ne change",
    "votre enjeu",
    "vos enjeux",
];
const COLUMBO: &[&str] = &[
    "une derniere question",
    "juste une chose",
    "juste une derniere chose",
    "avant de vous laisser",
    "une petite question avant",
    "au fait",
];
const CLOSING: &[&str] = &[
    "on demarre",
    "je vous propose de signer",
    "on y va",
    "est ce qu on valide",
    "on valide",
    "on lance",
    "vous etes pret a",
    "on peut valider",
    "je vous envoie le bon de commande",
    "on part la dessus",
    "on peut commencer",
    "est ce que vous etes d accord pour",
    "je vous envoie le contrat",
];
const NEXT_STEP: &[&str] = &[
    "rendez vous",
    "rdv",
    "demo",
    "demonstration",
    "on se cale",
    "je vous propose",
    "un point",
    "on se rappelle",
    "je vous rappelle",
    "on se voit",
    "visio",
    "creneau",
];
const WHEN: &[&str] = &[
    "lundi",
    "mardi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "demain",
    "semaine prochaine",
    "apres demain",
    "ce matin",
    "cet apres midi",
    "la semaine du",
    "le mois prochain",
];
const INTERRUPTION: &[&str] =
    &["attendez", "laissez moi finir", "laissez moi terminer", "je vous coupe", "je vous arrete"];
const ANGLICISMS: &[&str] = &[
    "roi",
    "kpi",
    "onboarding",
    "workflow",
    "scalable",
    "disruptif",
    "growth",
    "leads",
    "pipeline",
    "deal",
    "business",
    "feature",
    "features",
    "use case",
    "best practice",
    "asap",
    "call",
    "meeting",
    "benchmark",
    "boost",
    "insight",
    "insights",
    "saas",
    "churn",
    "upsell",
    "stack",
    "process",
];
const PRICE: &[&str] = &[
    "prix",
    "tarif",
    "tarifs",
    "euros",
    "remise",
    "reduction",
    "promo",
    "promotion",
    "gratuit",
    "ca coute",
    "cela coute",
    "abonnement",
    "par mois",
];
const DISCOUNT: &[&str] = &["remise", "reduction", "promo", "promotion", "geste commercial", "rabais"];
const PRICE_ASKED: &[&str] = &["prix", "tarif", "combien", "cout", "coute", "budget", "cher"];
const BASHING: &[&str] = &[
    "nul",
    "nuls",
    "mauvais",
    "catastrophique",
    "arnaque",
    "depasse",
    "pourri",
    "incompetent",
    "incompetents",
    "a eviter",
    "moins bon",
    "moins bons",
    "ringard",
    "bidon",
];
const PUSHY: &[&str] = &[
    "vous devez",
    "il faut absolument",
    "c est maintenant ou jamais",
    "derniere chance",
    "vous n avez pas le choix",
    "signez maintenant",
    "faites moi confiance",
    "l offre expire",
    "decidez vous",
    "il faut vous decider",
];
const SELF: &[&str] = &["nous", "notre", "nos", "notre societe", "notre entreprise", "nos produits", "je"];
const YOU: &[&str] = &["vous", "votre", "vos"];
const FILLERS: &[&str] = &["euh", "du coup", "en fait", "voila", "genre", "bah", "ben", "bref", "hein"];
const INSULTS: &[&str] = &[
    "idiot",
    "imbecile",
    "stupide",
    "ferme la",
    "taisez vous",
    "debile",
    "cretin",
    "vous ne comprenez rien",
    "n importe quoi",
    "ridicule",
    "abruti",
    "crétin",
];

/// Topic keywords for discovery questions: (item, cues). Items follow METHODS.md.
const DISCOVERY_TOPICS: &[(&str, &[&str])] = &[
    (
        "contexte",
        &[
            "organisation",
            "organise",
            "organisez",
            "equipe",
            "equipes",
            "situation",
            "fonctionnez",
            "structure",
            "activite",
            "combien de personnes",
        ],
    ),
    ("objectifs", &["objectif", "objectifs", "ambition", "atteindre", "priorite", "priorites", "viser", "visez"]),
    (
        "moyens",
        &[
            "outil",
            "outils",
            "utilisez",
            "logiciel",
            "excel",
            "methode",
            "comment faites vous",
            "process",
            "gerez",
            "suivez",
        ],
    ),
    (
        "problemes",
        &[
            "probleme",
            "problemes",
            "difficulte",
            "difficultes",
            "bloque",
            "frustre",
            "ne fonctionne pas",
            "ce qui coince",
            "agace",
        ],
    ),
    (
        "implications",
        &["consequence", "consequences", "impact", "coute", "perdez", "temps perdu", "qui en souffre", "repercussion"],
    ),
    (
        "resultats",
        &["succes", "resultat", "resultats", "idealement", "ce que vous attendez", "a quoi ressemblerait", "reussite"],
    ),
    ("besoin", &["besoin", "besoins", "recherchez", "cherchez"]),
    ("enjeux", &["enjeu", "enjeux", "important pour vous", "en jeu"]),
    ("budget", &["budget", "investir", "enveloppe", "investissement", "moyens financiers"]),
    ("echeance", &["quand", "delai", "delais", "date", "echeance", "d ici", "calendrier", "planning"]),
    ("decideur", &["decide", "decideur", "decision", "qui d autre", "valider", "valide", "signataire"]),
    (
        "concurrence",
        &[
            "concurrent",
            "concurrents",
            "autres solutions",
            "comparez",
            "autre prestataire",
            "alternatives",
            "d autres fournisseurs",
        ],
    ),
];

/// How prospects object, in conversations the engine did not play (recorded calls, given
/// transcripts): the engine knows its own objections, these cues find the others.
pub const OBJECTION_CUES: &[&str] = &[
    "trop cher",
    "c est cher",
    "pas le budget",
    "pas de budget",
    "pas le moment",
    "pas le temps",
    "pas interesse",
    "pas interessee",
    "deja un prestataire",
    "deja une solution",
    "deja un fournisseur",
    "on a deja",
    "nous avons deja",
    "ca ne m interesse pas",
    "pas convaincu",
    "pas convaincue",
    "je dois reflechir",
    "envoyez moi une documentation",
    "ce n est pas la priorite",
    "pas la priorite",
    "pas prioritaire",
    "on verra plus tard",
    "on verra",
    "revenez",
    "trop complique",
    "ca ne marchera pas",
];

/// Whether a prospect's line objects (see `OBJECTION_CUES`).
pub fn is_objection(line: &str) -> bool {
    Normalized::new(line).find_any(OBJECTION_CUES).is_some()
}

/// Whether a text asks a question (a question mark, or an interrogative opening).
pub fn is_question(text: &Normalized<'_>) -> bool {
    text.original().contains('?') || OPEN_STARTS.iter().any(|s| text.as_str().starts_with(&*normalized_form(s)))
}

/// Analyses one learner turn.
pub fn analyse_turn(ctx: &TurnContext<'_>, message: &str) -> Vec<Detection> {
    let text = Normalized::new(message);
    let mut found = Vec::new();
    let mut add = |pattern: PatternId, evidence: &str, detail: Option<String>| {
        if !found.iter().any(|d: &Detection| d.pattern == pattern) {
            found.push(Detection { pattern, evidence: evidence.trim().to_owned(), detail });
        }
    };
    let question = is_question(&text);
    let sentence = |needle: &str| quote_sentence(message, needle);

    // Questions.
    let open = OPEN_STARTS.iter().find_map(|s| text.find(s).filter(|_| question).map(sentence));
    if let Some(evidence) = &open {
        add(PatternId::GoodOpenQuestion, evidence, None);
    }
    if question {
        // The item asked about is in the question itself, not in what precedes it.
        let asked = question_sentences(message);
        let topic = asked.iter().find_map(|q| {
            let q = Normalized::new(q);
            DISCOVERY_TOPICS.iter().find_map(|(item, cues)| q.find_any(cues).map(|h| (*item, h)))
        });
        if let Some((item, hit)) = topic {
            add(PatternId::DiscoveryQuestion, &sentence(hit), Some(item.to_owned()));
        }
    }
    let streak = if question && open.is_none() { ctx.closed_question_streak + 1 } else { 0 };
    if streak >= 3 {
        add(PatternId::ClosedQuestionStreak, &last_question(message), None);
    }
    if !question && ctx.turns_without_question >= 2 {
        add(PatternId::NoQuestion, &first_words(message, 12), None);
    }

    // Listening.
    if let Some(hit) = text.find_any(REFORMULATION) {
        add(PatternId::Reformulation, &sentence(hit), None);
    }
    // "si je comprends bien" is a reformulation, not empathy.
    let understood = text.count_any(&["je comprends"]);
    let reformulating = text.count_any(&["si je comprends"]);
    let empathy = text.find_any(EMPATHY).filter(|hit| normalize(hit) != "je comprends" || understood > reformulating);
    if let Some(hit) = empathy {
        add(PatternId::Empathy, &sentence(hit), None);
    }
    let prompt = text.find_any(LISTENING_PROMPTS);
    let starts_with_ack = ACKNOWLEDGEMENTS.iter().any(|a| text.as_str().starts_with(&*normalized_form(a)));
    let echoed = echoed_words(&text, ctx.previous_prospect_line);
    if question && (prompt.is_some() || (starts_with_ack && text.word_count() <= 25) || echoed.is_some()) {
        let evidence = prompt.map(sentence).or(echoed).unwrap_or_else(|| first_words(message, 12));
        add(PatternId::ActiveListening, &evidence, None);
    }

    // The prospect's name and company.
    let names = name_tokens(ctx.prospect_name, ctx.company);
    if let Some(hit) = names.iter().find_map(|n| text.find(n)) {
        add(PatternId::Personalization, &sentence(hit), None);
    }
    if let Some(wrong) = misspelled_name(message, &names) {
        add(PatternId::WrongName, &wrong, None);
    }

    // Arguments and proof.
    if let Some(hit) = text.find_any(BENEFIT) {
        add(PatternId::BenefitArgument, &sentence(hit), None);
    }
    let proof = text.find_any(PROOF).or_else(|| ctx.proof_names.iter().find_map(|n| text.find(n)));
    if let Some(hit) = proof {
        add(PatternId::ProofUsed, &sentence(hit), None);
    }

    // Objections (CNZ).
    let dig = text.find_any(DIG).filter(|_| question);
    if let Some(hit) = dig {
        add(PatternId::ObjectionDig, &sentence(hit), None);
    }
    let neutralize = text.find_any(NEUTRALIZE);
    if let Some(hit) = neutralize {
        add(PatternId::ObjectionNeutralize, &sentence(hit), None);
    }
    if ctx.previous_was_objection {
        if let Some(hit) = text.find_any(ZOOM) {
            add(PatternId::ObjectionZoom, &sentence(hit), None);
        }
        let acknowledged = text.find_any(EMPATHY).is_some()
            || text.find_any(ACKNOWLEDGEMENTS).is_some()
            || text.find_any(REFORMULATION).is_some()
            || dig.is_some()
            || neutralize.is_some();
        if !acknowledged {
            add(PatternId::ObjectionIgnored, &first_words(message, 12), None);
        }
    }

    // Moving forward.
    if let Some(hit) = text.find_any(COLUMBO) {
        add(PatternId::ColumboQuestion, &sentence(hit), None);
    }
    if let Some(hit) = text.find_any(CLOSING) {
        add(PatternId::ClosingAttempt, &sentence(hit), None);
    }
    if let Some(hit) = text.find_any(NEXT_STEP) {
        let dated = text.find_any(WHEN).is_some() || has_clock_time(&text);
        if dated {
            add(PatternId::NextStepProposal, &sentence(hit), None);
        }
    }

    // Delivery and manners.
    let words = text.word_count();
    if words > MONOLOGUE_WORDS {
        add(PatternId::Monologue, &format!("{} (… {words} mots)", first_words(message, 10)), None);
    }
    if let Some(hit) = text.find_any(INTERRUPTION) {
        add(PatternId::Interruption, &sentence(hit), None);
    }
    let acronyms = message.split(|c: char| !c.is_alphanumeric()).filter(|w| is_acronym(w)).count();
    if acronyms + text.count_any(ANGLICISMS) >= 3 {
        add(PatternId::Jargon, &first_words(message, 14), None);
    }
    let price_asked = Normalized::new(ctx.previous_prospect_line).find_any(PRICE_ASKED).is_some();
    if !price_asked {
        let early_price = ctx.discovery_questions == 0 && text.find_any(PRICE).is_some();
        if let Some(hit) = text.find_any(DISCOUNT).or_else(|| early_price.then(|| text.find_any(PRICE)).flatten()) {
            add(PatternId::PrematurePrice, &sentence(hit), None);
        }
    }
    let competitor = ctx
        .competitors
        .iter()
        .find_map(|c| text.find(c))
        .or_else(|| text.find_any(&["la concurrence", "vos concurrents actuels", "les autres"]));
    if let (Some(_), Some(hit)) = (competitor, text.find_any(BASHING)) {
        add(PatternId::CompetitorBashing, &sentence(hit), None);
    }
    if let Some(hit) = text.find_any(PUSHY) {
        add(PatternId::Pushy, &sentence(hit), None);
    }
    let me = text.count_any(SELF);
    let you = text.count_any(YOU);
    if me >= 4 && me > 2 * you {
        add(PatternId::SelfCentered, &first_words(message, 12), None);
    }
    let fillers = text.count_any(FILLERS);
    if fillers >= 3 || (fillers >= 2 && words <= 20) {
        add(PatternId::FillerWords, &first_words(message, 12), Some(format!("{fillers} mots parasites")));
    }
    let shouting =
        message.split_whitespace().filter(|w| w.chars().count() >= 4 && is_acronym(w) && !is_known_acronym(w)).count()
            >= 3;
    if let Some(hit) = text.find_any(INSULTS) {
        add(PatternId::AggressiveTone, &sentence(hit), None);
    } else if shouting || message.contains("!!!") {
        add(PatternId::AggressiveTone, &first_words(message, 12), None);
    }
    found
}

/// The sentences of `message` that end with a question mark (all of it if none does), as
/// slices of `message`.
fn question_sentences(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in message.char_indices() {
        if matches!(c, '.' | '!' | '?' | '\n') {
            if c == '?' {
                out.push(&message[start..=i]);
            }
            start = i + c.len_utf8();
        }
    }
    if out.is_empty() {
        out.push(message);
    }
    out
}

/// The sentence of `message` that contains `hit` (a slice of `message`).
fn quote_sentence(message: &str, hit: &str) -> String {
    let at = (hit.as_ptr() as usize).saturating_sub(message.as_ptr() as usize).min(message.len());
    let start = message[..at].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let end = message[at..].find(['.', '!', '?', '\n']).map_or(message.len(), |i| at + i + 1);
    let sentence = message[start..end].trim();
    shorten(sentence, 30)
}

fn first_words(message: &str, n: usize) -> String {
    shorten(message.trim(), n)
}

fn shorten(text: &str, max_words: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= max_words { words.join(" ") } else { format!("{}…", words[..max_words].join(" ")) }
}

fn last_question(message: &str) -> String {
    let trimmed = message.trim_end();
    let end = trimmed.rfind('?').map_or(trimmed.len(), |i| i + 1);
    let start = trimmed[..end.saturating_sub(1)].rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    shorten(trimmed[start..end].trim(), 30)
}

/// Two or more significant words of the prospect's last line repeated by the learner.
fn echoed_words(text: &Normalized<'_>, previous: &str) -> Option<String> {
    let previous = normalize(previous);
    let echoed: Vec<&str> =
        previous.split(' ').filter(|w| w.chars().count() >= 6).filter(|w| text.words().any(|x| x == *w)).collect();
    (echoed.len() >= 2).then(|| echoed.join(", "))
}

/// The prospect's first name, last name and company, as separate tokens worth matching.
fn name_tokens(name: &str, company: &str) -> Vec<String> {
    let mut tokens: Vec<String> =
        name.split_whitespace().filter(|t| t.chars().count() >= 3).map(str::to_owned).collect();
    if !company.trim().is_empty() {
        tokens.push(company.trim().to_owned());
    }
    tokens
}

/// A capitalised word close to, but not equal to, one of the names (e.g. "Textar" for
/// "TechStar").
fn misspelled_name(message: &str, names: &[String]) -> Option<String> {
    let names: Vec<String> =
        names.iter().map(|n| normalize(n)).filter(|n| !n.contains(' ') && n.chars().count() >= 4).collect();
    message
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() >= 4)
        .find(|w| {
            let w = normalize(w);
            names.iter().any(|n| {
                // Same first letter, a few letters off: a slip, not another word.
                let tolerance = match n.chars().count() {
                    0..5 => 1,
                    5..7 => 2,
                    _ => 3,
                };
                let d = edit_distance(&w, n);
                w.chars().next() == n.chars().next() && d > 0 && d <= tolerance && !names.contains(&w)
            })
        })
        .map(str::to_owned)
}

fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2
        && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit())
        && word.chars().any(char::is_uppercase)
}

fn is_known_acronym(word: &str) -> bool {
    matches!(word.trim_matches(|c: char| !c.is_alphanumeric()), "RDV" | "PME" | "ETI" | "TVA" | "SARL" | "RGPD")
}

fn has_clock_time(text: &Normalized<'_>) -> bool {
    // "10h", "14 h 30", "à 9 heures": a number followed by h/heures.
    let words: Vec<&str> = text.words().collect();
    words.windows(2).any(|w| w[0].chars().all(|c| c.is_ascii_digit()) && matches!(w[1], "h" | "heure" | "heures"))
        || words.iter().any(|w| {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_digit());
            digits.len() >= 2 && digits.ends_with('h') && digits[..digits.len() - 1].chars().all(|c| c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(found: &[Detection]) -> Vec<&'static str> {
        found.iter().map(|d| d.pattern.as_str()).collect()
    }

    fn ctx<'a>() -> TurnContext<'a> {
        TurnContext { prospect_name: "Philippe Martin", company: "LogiPro", ..TurnContext::default() }
    }

    #[test]
    fn every_pattern_has_a_unique_id_label_and_advice() {
        let mut seen = std::collections::BTreeSet::new();
        for p in PatternId::ALL {
            assert!(seen.insert(p.as_str()));
            assert_eq!(PatternId::parse(p.as_str()), Some(p));
            assert!(!p.label().is_empty() && !p.advice().is_empty());
        }
        assert!(PatternId::NextStepProposal.is_positive());
        assert!(!PatternId::ClosedQuestionStreak.is_positive());
    }

    #[test]
    fn open_discovery_question_with_its_item_and_evidence() {
        let found = analyse_turn(&ctx(), "Bonjour. Comment gérez-vous vos relances clients aujourd’hui ?");
        assert!(ids(&found).contains(&"good_open_question"), "{found:?}");
        let discovery = found.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).expect("discovery");
        assert_eq!(discovery.detail.as_deref(), Some("moyens"));
        assert_eq!(discovery.evidence, "Comment gérez-vous vos relances clients aujourd’hui ?");
    }

    #[test]
    fn the_discovery_item_comes_from_the_question_not_the_preamble() {
        let found = analyse_turn(
            &ctx(),
            "Si je comprends bien, tout passe par Excel. Qu’est-ce qui vous pose le plus de problèmes ?",
        );
        let discovery = found.iter().find(|d| d.pattern == PatternId::DiscoveryQuestion).expect("discovery");
        assert_eq!(discovery.detail.as_deref(), Some("problemes"));
    }

    #[test]
    fn reformulation_empathy_and_personalization() {
        let found = analyse_turn(
            &ctx(),
            "Je comprends, M. Martin. Si je comprends bien, LogiPro perd du temps sur les relances ?",
        );
        let ids = ids(&found);
        for id in ["empathy", "reformulation", "personalization"] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
    }

    #[test]
    fn si_je_comprends_bien_is_a_reformulation_not_empathy() {
        let ids = ids(&analyse_turn(&ctx(), "Si je comprends bien, vous perdez du temps ?"));
        assert!(ids.contains(&"reformulation") && !ids.contains(&"empathy"), "{ids:?}");
    }

    #[test]
    fn wrong_company_name() {
        let c = TurnContext { prospect_name: "Claire Dubois", company: "TechStar", ..TurnContext::default() };
        let found = analyse_turn(&c, "Chez Textar, vous avez combien de commerciaux ?");
        let wrong = found.iter().find(|d| d.pattern == PatternId::WrongName).expect("wrong name");
        assert_eq!(wrong.evidence, "Textar");
    }

    #[test]
    fn closed_question_streak_and_no_question() {
        let mut c = ctx();
        c.closed_question_streak = 2;
        assert!(ids(&analyse_turn(&c, "Vous avez un CRM ?")).contains(&"closed_question_streak"));
        let mut c = ctx();
        c.turns_without_question = 2;
        assert!(ids(&analyse_turn(&c, "Notre solution est très complète.")).contains(&"no_question"));
    }

    #[test]
    fn objection_handling() {
        let c =
            TurnContext { previous_prospect_line: "C'est trop cher pour nous.", previous_was_objection: true, ..ctx() };
        let dig = analyse_turn(&c, "Trop cher par rapport à quoi ?");
        assert!(ids(&dig).contains(&"objection_dig"), "{dig:?}");
        assert!(!ids(&dig).contains(&"objection_ignored"));
        let ignored = analyse_turn(&c, "Notre produit a aussi un module de reporting.");
        assert!(ids(&ignored).contains(&"objection_ignored"));
    }

    #[test]
    fn negatives_in_a_pushy_pitch() {
        let found = analyse_turn(&ctx(), "Euh, du coup, en fait vous devez signer, je vous fais une remise de 20% !!!");
        let ids = ids(&found);
        for id in ["filler_words", "pushy", "premature_price", "aggressive_tone"] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
    }

    #[test]
    fn next_step_needs_a_date() {
        assert!(
            ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous mardi à 10h ?")).contains(&"next_step_proposal")
        );
        assert!(ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous à 14h30.")).contains(&"next_step_proposal"));
        assert!(!ids(&analyse_turn(&ctx(), "Je vous propose un rendez-vous.")).contains(&"next_step_proposal"));
    }

    #[test]
    fn monologue_and_jargon() {
        let long = "Nous avons une solution. ".repeat(30);
        assert!(ids(&analyse_turn(&ctx(), &long)).contains(&"monologue"));
        let jargon = analyse_turn(&ctx(), "Notre SaaS booste le ROI de votre pipeline avec des KPI en temps réel.");
        assert!(ids(&jargon).contains(&"jargon"), "{jargon:?}");
    }

    #[test]
    fn competitor_bashing_needs_a_competitor_and_a_put_down() {
        let competitors = vec!["HubSpot".to_owned()];
        let c = TurnContext { competitors: &competitors, ..ctx() };
        assert!(ids(&analyse_turn(&c, "HubSpot, franchement, c'est nul.")).contains(&"competitor_bashing"));
        assert!(!ids(&analyse_turn(&c, "HubSpot est une bonne solution, plus large.")).contains(&"competitor_bashing"));
    }

    #[test]
    fn closing_attempt() {
        assert!(ids(&analyse_turn(&ctx(), "Alors, on démarre la semaine prochaine ?")).contains(&"closing_attempt"));
    }
}

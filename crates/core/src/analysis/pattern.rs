//! The patterns a learner turn can show (SPEC 5.2): their wire ids, French labels and
//! advice. The ids are a public contract (API, CLI, reports): never rename or drop one.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema)]
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
    ConcessionWithoutCounterpart,
    FalsePretext,
    Repetition,
    OffTopic,
    TradedConcession,
    Parroting,
    MethodNamed,
}

impl PatternId {
    pub const ALL: [PatternId; 34] = [
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
        PatternId::ConcessionWithoutCounterpart,
        PatternId::FalsePretext,
        PatternId::Repetition,
        PatternId::OffTopic,
        PatternId::TradedConcession,
        PatternId::Parroting,
        PatternId::MethodNamed,
    ];

    /// The wire id, e.g. `good_open_question`.
    pub fn as_str(self) -> &'static str {
        self.info().0
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// Whether a trainer praises it (the others are faults to correct).
    pub fn is_positive(self) -> bool {
        use PatternId::*;
        matches!(
            self,
            GoodOpenQuestion
                | Reformulation
                | Empathy
                | ActiveListening
                | Personalization
                | DiscoveryQuestion
                | BenefitArgument
                | ProofUsed
                | ObjectionDig
                | ObjectionNeutralize
                | ObjectionZoom
                | ColumboQuestion
                | ClosingAttempt
                | NextStepProposal
                | TradedConcession
        )
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
                "Laissez le prospect aller au bout de sa phrase, puis reprenez ce qu’il vient de dire avant d’avancer.",
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
            ConcessionWithoutCounterpart => (
                "concession_without_counterpart",
                "Concession sans contrepartie",
                "Ne donnez jamais sans recevoir : « si vous vous engagez sur trois ans, je peux… ».",
            ),
            FalsePretext => (
                "false_pretext",
                "Prétexte mensonger",
                "Ne mentez jamais pour passer un barrage : donnez la vraie raison de l’appel et demandez de l’aide.",
            ),
            Repetition => {
                ("repetition", "Répétition", "Ne reposez pas la même question : rebondissez sur la réponse obtenue.")
            }
            OffTopic => (
                "off_topic",
                "Hors sujet",
                "Restez sur la situation du prospect : une question claire, sur son sujet, à la fois.",
            ),
            TradedConcession => (
                "traded_concession",
                "Concession donnant-donnant",
                "Chaque geste contre une contrepartie (« si vous vous engagez sur trois ans, alors… ») : échangez des variables, et des concessions de plus en plus petites.",
            ),
            Parroting => (
                "parroting",
                "Reformulation perroquet",
                "Reformulez avec vos mots ce que vous avez compris (« si je vous suis, ce qui coince, c’est… ») : répéter ses phrases mot pour mot n’est pas écouter.",
            ),
            MethodNamed => (
                "method_named",
                "Technique annoncée",
                "N’annoncez pas la technique (« question ouverte », « je creuse votre objection ») : posez la question, le prospect ne doit entendre que ce qui le concerne.",
            ),
        }
    }
}

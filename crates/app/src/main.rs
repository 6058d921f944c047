//! `replique`: serve the app (default), manage users, migrate the database.
//!
//! Thin on purpose: configuration and commands here, everything else in the library
//! crates.

use std::path::PathBuf;

/// `println!` that ends the program quietly when standard output is closed
/// (`replique catalog list | head`), instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

mod analyze;
mod catalog;
mod eval;
mod open_files;
mod practice;
mod retention;
mod selfplay;
mod serve;
mod sso;
mod voice;
mod xapi;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use replique_core::account::{DisplayName, Email, Password, Plan};
use replique_store::{NewUser, Store};

/// Réplique: sales training in French with a simulated prospect.
#[derive(Parser)]
#[command(name = "replique", version, about, long_about = None)]
struct Cli {
    /// Database URL: sqlite://PATH (default, created when missing) or postgres://...
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/replique.db",
        global = true,
        hide_env_values = true
    )]
    database_url: String,

    /// A directory of catalogue files that replace or extend the embedded catalogue.
    #[arg(long, env = "REPLIQUE_CONTENT_DIR", global = true)]
    content_dir: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the JSON API (the default command).
    Serve(serve::ServeArgs),
    /// Create or update the database schema, then exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage Enterprise organisations.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Retention of personal data (GDPR).
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Demo and quote requests from the Enterprise page.
    #[command(subcommand)]
    Leads(LeadsCommand),
    /// Inspect and validate the catalogue (skills, sectors, products, scenarios).
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Analyse and score a transcript (JSON or `Vendeur:`/`Prospect:` lines; `-` for stdin)
    /// and print the report as JSON.
    Analyze {
        file: PathBuf,
        /// The skill to score against (default: the transcript's, else ecoute_active).
        #[arg(long)]
        skill: Option<String>,
        #[arg(long)]
        sector: Option<String>,
        /// easy, medium or expert.
        #[arg(long)]
        level: Option<String>,
        /// No goodbye ends the conversation before this exchange (default 4).
        #[arg(long)]
        min_exchanges: Option<u32>,
    },
    /// Measure the analysis on the labelled corpus (corpus/): precision, recall and false
    /// alarms per label and overall, on the dev and held-out splits.
    Eval {
        /// patterns (the turn analysis), end (end-of-conversation detection) or answers
        /// (whether the prospect answers what was asked).
        #[arg(value_parser = ["patterns", "end", "answers"])]
        what: String,
        /// dev or heldout (default: both).
        #[arg(long)]
        split: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// List every wrong answer (read them on the dev split only: the held-out split is
        /// never tuned on).
        #[arg(long)]
        misses: bool,
        /// Read the corpus from this directory instead of the copy in the binary.
        #[arg(long)]
        corpus: Option<PathBuf>,
        /// Use the authors' labels without the second reading (while it is under way).
        #[arg(long)]
        authors_only: bool,
        /// Exit non-zero when a held-out figure falls below corpus/thresholds.json (CI).
        #[arg(long)]
        check: bool,
        /// Print the reading and the patterns of one pattern case (by id) instead.
        #[arg(long)]
        explain: Option<String>,
    },
    /// Self-play: scripted learner personas (strong, average, weak, keyword stuffing,
    /// parroting, instant goodbye) play every template at every level; prints the score
    /// distribution per persona.
    Selfplay {
        /// Sectors to play, comma-separated.
        #[arg(long, default_value = "generic,b2b_saas", value_delimiter = ',')]
        sectors: Vec<String>,
        /// Session seeds, comma-separated.
        #[arg(long, default_value = "1", value_delimiter = ',')]
        seeds: Vec<u64>,
        /// Print every game as JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Print the transcripts of the games of this template (with --persona and --level).
        #[arg(long)]
        template: Option<String>,
        #[arg(long)]
        persona: Option<String>,
        #[arg(long)]
        level: Option<String>,
    },
    /// Speak a line with the configured voice (espeak-ng by default) into a WAV file.
    Tts {
        /// The line; stage directions like "(soupir)" become sounds, never words.
        #[arg(long)]
        text: String,
        /// angry, annoyed, cold, skeptical, impatient, bored, neutral, interested, amused,
        /// friendly, enthusiastic (default: the one the line names, else the mood's).
        #[arg(long)]
        emotion: Option<String>,
        /// hostile, skeptical, neutral, interested, ready_to_buy.
        #[arg(long, default_value = "neutral")]
        mood: String,
        /// The interest gauge, 0-100.
        #[arg(long, default_value_t = 50)]
        gauge: u8,
        /// female or male (the offline voice's register).
        #[arg(long, default_value = "female")]
        gender: String,
        /// The WAV file to write.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Voice tools.
    #[command(subcommand)]
    Voice(VoiceCommand),
    /// Scenarios written by the LLM.
    #[command(subcommand)]
    Scenario(ScenarioCommand),
    /// Role-play in the terminal: type your lines, the prospect answers (stdin may be piped,
    /// one message per line).
    Practice {
        #[arg(long, default_value = "ecoute_active")]
        skill: String,
        #[arg(long, default_value = "generic")]
        sector: String,
        /// easy, medium or expert (default: the skill's level).
        #[arg(long)]
        level: Option<String>,
        /// A template id of the skill (default: one drawn from the seed).
        #[arg(long)]
        variant: Option<String>,
        /// The session seed (default: from the clock).
        #[arg(long)]
        seed: Option<u64>,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organisation.
    Add { name: String },
    /// Put an account in an organisation (moving it if it was in another).
    AddMember {
        org: String,
        email: String,
        /// manager or learner.
        #[arg(long, default_value = "learner")]
        role: String,
    },
    /// Print a new SCIM token for the organisation's identity provider (Okta, Entra ID...):
    /// stored hashed, it replaces the previous one, which stops working at once.
    ScimToken { org: String },
    /// Set an organisation's retention periods, in days: recordings and transcripts (1 to
    /// 180), analyses and reports (1 to 365), inactive accounts (30 to 1095; unchanged when
    /// left out, 1095 by default).
    SetRetention {
        org: String,
        #[arg(long)]
        recordings_days: i64,
        #[arg(long)]
        analyses_days: i64,
        #[arg(long)]
        inactive_days: Option<i64>,
    },
    /// Set an organisation's single sign-on (OpenID Connect): its provider's issuer, the
    /// client registered there, and the e-mail domains it vouches for. Its members then log
    /// in at /auth/oidc/{slug}/login; accounts are created at their first login (learners).
    SetOidc {
        org: String,
        /// The issuer identifier (https://…), exactly as the provider's tokens state it.
        #[arg(long)]
        issuer: String,
        #[arg(long)]
        client_id: String,
        /// The client secret (stored, never printed back; prefer the environment variable).
        #[arg(long, env = "REPLIQUE_OIDC_CLIENT_SECRET", hide_env_values = true)]
        client_secret: String,
        /// The e-mail domains the provider vouches for, comma-separated (a.fr,b.fr); each
        /// belongs to one organisation.
        #[arg(long)]
        domains: String,
        /// Refuse passwords to the organisation's members and domains (SSO required).
        #[arg(long)]
        require: bool,
        /// The organisation's identifier in URLs (default: kept, or made from the name).
        #[arg(long)]
        slug: Option<String>,
    },
    /// Send the organisation's learning records (xAPI statements) to its Learning Record
    /// Store: the LRS's xAPI endpoint (e.g. https://lrs.example.fr/xAPI/) and the key and
    /// secret of its HTTP Basic auth.
    SetLrs {
        org: String,
        #[arg(long)]
        endpoint: String,
        #[arg(long)]
        key: String,
        /// Stored to authenticate to the LRS; never printed.
        #[arg(long, env = "REPLIQUE_LRS_SECRET", hide_env_values = true)]
        secret: String,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Apply every organisation's retention periods now (the server does it at start and
    /// daily) and print what was deleted.
    Run {
        /// Where uploaded files (champions' calls) are kept, as for `serve`.
        #[arg(long, env = "REPLIQUE_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum LeadsCommand {
    /// List the demo requests, newest first.
    List,
}

#[derive(Subcommand)]
enum ScenarioCommand {
    /// Generate a scenario with the configured LLM (REPLIQUE_LLM_*), checked like a catalogue
    /// file, and print it as JSON; without a model, or when the result fails the checks,
    /// print the closest catalogue template instead (and say so on stderr).
    Generate {
        #[arg(long)]
        skill: String,
        #[arg(long, default_value = "generic")]
        sector: String,
        /// easy, medium or expert.
        #[arg(long, default_value = "medium")]
        level: String,
    },
}

#[derive(Subcommand)]
enum VoiceCommand {
    /// What the voice does with a line: clean text, sounds before, actions, emotion, settings.
    Prepare {
        #[arg(long)]
        text: String,
        #[arg(long, default_value = "neutral")]
        mood: String,
        #[arg(long, default_value_t = 50)]
        gauge: u8,
        /// Print JSON (the only format).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Validate a catalogue directory; prints every problem with file and JSON path, exits
    /// non-zero if there is one.
    Check {
        /// The directory to check.
        #[arg(default_value = "content")]
        dir: PathBuf,
    },
    /// List skills (with their templates), sectors (with their personas) and products.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show a template adapted to a sector and a level, as the engine will play it.
    Show {
        template_id: String,
        /// Sector slug.
        #[arg(long, default_value = "generic")]
        sector: String,
        /// easy, medium or expert (default: the skill's level).
        #[arg(long)]
        level: Option<String>,
        /// The session seed (drives every random choice).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the JSON Schemas of the catalogue files into a directory.
    Schema {
        #[arg(default_value = "schema")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account.
    Add {
        email: String,
        /// The password (8 to 128 characters).
        #[arg(long)]
        password: String,
        /// Display name (defaults to the part of the email before @).
        #[arg(long)]
        name: Option<String>,
        /// free, trial (14 days), premium or enterprise.
        #[arg(long, default_value = "trial")]
        plan: String,
    },
    /// Change an account's plan (free, trial, premium, enterprise).
    SetPlan { email: String, plan: String },
    /// List accounts.
    List,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The causes in one line, never a backtrace: this is for a person at a terminal.
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let open = || async { Store::open(&cli.database_url).await.context("cannot open the database") };
    // No command means `serve`, with its environment variables and defaults.
    match cli.command.unwrap_or_else(|| Command::Serve(serve::ServeArgs::parse_from(["replique"]))) {
        Command::Catalog(command) => catalog_command(cli.content_dir.as_deref(), command),
        Command::Analyze { file, skill, sector, level, min_exchanges } => {
            let catalog = catalog::load(cli.content_dir.as_deref())?;
            let result = analyze::run(&catalog, &file, analyze::Options { skill, sector, level, min_exchanges })?;
            say!("{}", serde_json::to_string_pretty(&result)?);
            Ok(())
        }
        Command::Eval { what, split, json, misses, corpus, authors_only, check, explain } => {
            let catalog = catalog::load(cli.content_dir.as_deref())?;
            let options = eval::Options { split: split.as_deref(), dir: corpus.as_deref(), authors_only };
            let (out, failures) =
                eval::command(&catalog, &what, &options, eval::Output { json, misses, check, explain })?;
            say!("{out}");
            for failure in &failures {
                eprintln!("{failure}");
            }
            if !failures.is_empty() {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Selfplay { sectors, seeds, json, template, persona, level } => {
            let catalog = catalog::load(cli.content_dir.as_deref())?;
            let filter = selfplay::Filter { template, persona, level };
            say!("{}", selfplay::run(&catalog, &sectors, &seeds, json, &filter)?);
            Ok(())
        }
        Command::Tts { text, emotion, mood, gauge, gender, output } => {
            voice::tts(&text, emotion.as_deref(), &mood, gauge, &gender, &output).await
        }
        Command::Scenario(ScenarioCommand::Generate { skill, sector, level }) => {
            let catalog = catalog::load(cli.content_dir.as_deref())?;
            catalog::generate(&catalog, &skill, &sector, &level).await
        }
        Command::Voice(VoiceCommand::Prepare { text, mood, gauge, json: _ }) => voice::prepare(&text, &mood, gauge),
        Command::Practice { skill, sector, level, variant, seed } => {
            let catalog = catalog::load(cli.content_dir.as_deref())?;
            practice::run(&catalog, practice::Options { skill, sector, level, variant, seed })
        }
        Command::Serve(args) => {
            let catalog = catalog::load(cli.content_dir.as_deref())?;
            serve::serve(open().await?, catalog, args).await
        }
        Command::Migrate => {
            open().await?;
            say!("Base de données à jour.");
            Ok(())
        }
        Command::User(command) => user(&open().await?, command).await,
        Command::Org(command) => org(&open().await?, command).await,
        Command::Retention(RetentionCommand::Run { data_dir }) => retention::run(&open().await?, &data_dir).await,
        Command::Leads(LeadsCommand::List) => {
            let store = open().await?;
            for lead in store.demo_requests().await? {
                say!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    lead.id,
                    lead.created_at,
                    lead.name,
                    lead.email,
                    lead.company,
                    lead.team_size
                );
            }
            Ok(())
        }
    }
}

fn catalog_command(content_dir: Option<&std::path::Path>, command: CatalogCommand) -> Result<()> {
    match command {
        CatalogCommand::Check { dir } => {
            if !catalog::check(&dir)? {
                std::process::exit(1);
            }
            Ok(())
        }
        CatalogCommand::List { json } => catalog::list(&catalog::load(content_dir)?, json),
        CatalogCommand::Show { template_id, sector, level, seed, json } => {
            catalog::show(&catalog::load(content_dir)?, &template_id, &sector, level.as_deref(), seed, json)
        }
        CatalogCommand::Schema { dir } => {
            for path in catalog::write_schemas(&dir)? {
                say!("{}", path.display());
            }
            Ok(())
        }
    }
}

pub(crate) fn time_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

async fn org(store: &Store, command: OrgCommand) -> Result<()> {
    match command {
        OrgCommand::Add { name } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 120 {
                bail!("an organisation name has 1 to 120 characters");
            }
            store.create_organisation(name, time_now()).await.map_err(|e| match e {
                replique_store::StoreError::Conflict(_) => {
                    anyhow::anyhow!("an organisation named {name:?} already exists")
                }
                other => other.into(),
            })?;
            say!("Organisation créée : {name}");
        }
        OrgCommand::ScimToken { org } => {
            let org_id =
                store.organisation_id(org.trim()).await?.with_context(|| format!("no organisation named {org:?}"))?;
            let token = replique_web::new_scim_token(store, org_id).await?;
            eprintln!(
                "Nouveau jeton SCIM de {org} (le précédent ne vaut plus) : URL de base https://VOTRE-DOMAINE/scim/v2, en-tête « Authorization: Bearer JETON »."
            );
            say!("{token}");
        }
        OrgCommand::SetRetention { org, recordings_days, analyses_days, inactive_days } => {
            retention::set(store, &org, recordings_days, analyses_days, inactive_days).await?;
        }
        OrgCommand::SetOidc { org, issuer, client_id, client_secret, domains, require, slug } => {
            sso::set(store, sso::OidcArgs { org, issuer, client_id, client_secret, domains, require, slug }).await?;
        }
        OrgCommand::SetLrs { org, endpoint, key, secret } => {
            xapi::set_lrs(store, &org, &endpoint, &key, &secret).await?
        }
        OrgCommand::AddMember { org, email, role } => {
            if !matches!(role.as_str(), "manager" | "learner") {
                bail!("unknown role {role:?}: expected manager or learner");
            }
            let email = Email::parse(&email).map_err(anyhow::Error::msg)?;
            let org_id =
                store.organisation_id(org.trim()).await?.with_context(|| format!("no organisation named {org:?}"))?;
            let user = store.user_by_email(email.as_str()).await?.with_context(|| format!("no account for {email}"))?;
            store.set_membership(user.id, org_id, &role, time_now()).await?;
            say!("{email} rejoint {org} ({role})");
            if user.plan != Plan::Enterprise.as_str() {
                say!(
                    "Note : {email} est en formule {} ; Champion demande la formule enterprise (replique user set-plan).",
                    user.plan
                );
            }
        }
    }
    Ok(())
}

fn parse_plan(plan: &str) -> Result<Plan> {
    Plan::parse(plan).with_context(|| format!("unknown plan {plan:?}: expected free, trial, premium or enterprise"))
}

async fn user(store: &Store, command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add { email, password, name, plan } => {
            let email = Email::parse(&email).map_err(anyhow::Error::msg)?;
            let password = Password::parse(&password).map_err(anyhow::Error::msg)?;
            let name = DisplayName::parse(name.as_deref().unwrap_or(email.local_part())).map_err(anyhow::Error::msg)?;
            let plan = parse_plan(&plan)?;
            let hash = replique_web::hash_password(password.expose()).map_err(|e| anyhow::anyhow!("{e}"))?;
            let now = time_now();
            let user = store
                .create_user(&NewUser {
                    email: email.as_str(),
                    name: name.as_str(),
                    password_hash: &hash,
                    plan: plan.as_str(),
                    trial_ends_at: plan.trial_end(now),
                    created_at: now,
                })
                .await
                .map_err(|e| match e {
                    replique_store::StoreError::Conflict(_) => anyhow::anyhow!("an account already exists for {email}"),
                    other => other.into(),
                })?;
            say!("Compte créé : {} ({}, formule {})", user.email, user.name, user.plan);
        }
        UserCommand::SetPlan { email, plan } => {
            let email = Email::parse(&email).map_err(anyhow::Error::msg)?;
            let plan = parse_plan(&plan)?;
            if !store.set_plan(email.as_str(), plan.as_str(), plan.trial_end(time_now())).await? {
                bail!("no account for {email}");
            }
            say!("Formule de {email} : {}", plan.as_str());
        }
        UserCommand::List => {
            let users = store.list_users().await?;
            say!("{:<6} {:<36} {:<12} name", "id", "email", "plan");
            for u in users {
                say!("{:<6} {:<36} {:<12} {}", u.id, u.email, u.plan, u.name);
            }
        }
    }
    Ok(())
}

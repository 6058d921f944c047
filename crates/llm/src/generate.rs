//! The generation loop: ask, check with the catalogue's rules, one repair attempt with the
//! errors. Shared by the web app and `replique scenario generate`.

use std::time::Duration;

use replique_core::Level;
use replique_core::catalog::{Catalog, Template};
use replique_core::generation::{generation_prompt, repair_prompt, validate_generated};

use crate::{ChatMessage, Llm, LlmError, Usage};

/// How long the model may take to write a scenario.
const GENERATION_TIMEOUT: Duration = Duration::from_secs(90);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GenerationError {
    #[error("unknown skill or sector")]
    Unknown,
    #[error("the model did not answer: {0}")]
    Provider(#[from] LlmError),
    #[error("the generated scenario failed the checks: {0}")]
    Invalid(String),
}

/// One generation attempt: its result and what it cost.
#[derive(Debug)]
pub struct Generation {
    pub result: Result<Template, GenerationError>,
    /// Calls made to the model (0, 1 or 2).
    pub calls: u32,
    pub usage: Usage,
}

/// A new template of `skill` for `sector` and `level`, checked like a catalogue file.
pub async fn generate_scenario(llm: &Llm, catalog: &Catalog, skill: &str, sector: &str, level: Level) -> Generation {
    let mut run = Generation { result: Err(GenerationError::Unknown), calls: 0, usage: Usage::default() };
    run.result = attempt(llm, catalog, skill, sector, level, &mut run.calls, &mut run.usage).await;
    run
}

async fn attempt(
    llm: &Llm,
    catalog: &Catalog,
    skill: &str,
    sector: &str,
    level: Level,
    calls: &mut u32,
    usage: &mut Usage,
) -> Result<Template, GenerationError> {
    let (system, request) = generation_prompt(catalog, skill, sector, level).ok_or(GenerationError::Unknown)?;
    let files = catalog.to_files();
    let mut conversation = vec![ChatMessage { role: "user", content: request }];
    let mut last = String::new();
    for attempt in 0..2 {
        *calls += 1;
        let (answer, used) = match llm.complete_within(GENERATION_TIMEOUT, &system, &conversation, 6000).await {
            Ok(answer) => answer,
            Err(e) => {
                // A model that timed out has read the prompt, and is paid for it.
                if e == LlmError::Timeout {
                    *usage += Usage::estimate(&system, &conversation, "");
                }
                return Err(e.into());
            }
        };
        *usage += used;
        match validate_generated(&files, skill, &answer) {
            Ok(template) => return Ok(template),
            Err(errors) => {
                tracing::info!(attempt, errors = errors.len(), "generated scenario refused by the checks");
                last = errors.iter().take(3).map(ToString::to_string).collect::<Vec<_>>().join(" ; ");
                conversation.push(ChatMessage { role: "assistant", content: answer });
                conversation.push(ChatMessage { role: "user", content: repair_prompt(&errors) });
            }
        }
    }
    Err(GenerationError::Invalid(last))
}

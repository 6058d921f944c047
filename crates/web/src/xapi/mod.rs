//! xAPI (Experience API 1.0.3): what a scored session tells an organisation's Learning
//! Record Store, and the sender that posts it (`sender`).
//!
//! When a session's first report is stored and the learner's organisation has an LRS, the
//! session's `Facts` (learner, skill, score, times, statement ids drawn once) go into the
//! outbox in the report's transaction. The statements are built from them at send time:
//! *attempted*, *completed* and, for a session started for a programme item, *passed* or
//! *failed* against the item's pass mark (a free session has no pass mark and gets
//! neither). Their ids are fixed in the facts, so a retry posts the same statements and an
//! LRS that already has them keeps one copy.

mod sender;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use sender::{Delivery, deliver_due, run_sender};

use crate::{AppState, Error};

/// The xAPI version every request declares.
pub const XAPI_VERSION: &str = "1.0.3";

const VERB_ATTEMPTED: &str = "http://adlnet.gov/expapi/verbs/attempted";
const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
/// A role play with a simulated prospect.
const ACTIVITY_TYPE: &str = "http://adlnet.gov/expapi/activities/simulation";

/// What the statements of one session say, fixed when the session is scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// `mailto:` and the learner's e-mail.
    pub mbox: String,
    /// The skill as an activity: an IRI under the app's public URL.
    pub activity_id: String,
    /// The skill's French title.
    pub skill_name: String,
    /// The final score, 0 to 100.
    pub score: i64,
    pub duration_seconds: i64,
    /// RFC 3339.
    pub started_at: String,
    pub ended_at: String,
    /// UUIDs of the statements: attempted, completed, passed or failed.
    pub statement_ids: [String; 3],
    /// UUID tying the session's statements together (`context.registration`).
    pub registration: String,
}

/// The facts of session `id` of `owner` if their organisation has an LRS (as JSON, for the
/// outbox), else `None`.
pub(crate) async fn facts_for(
    state: &AppState,
    owner: i64,
    row: &replique_store::TrainingSessionRow,
    score: i64,
) -> Result<Option<String>, Error> {
    let Some(email) = state.store.xapi_learner(owner).await? else { return Ok(None) };
    let skill_name = state.catalog.skill(&row.skill_slug).map_or_else(|| row.skill_slug.clone(), |s| s.title.clone());
    let ended_at = row.ended_at.unwrap_or(row.updated_at);
    let facts = Facts {
        mbox: format!("mailto:{email}"),
        activity_id: activity_id(state.config.public_base(), &row.skill_slug),
        skill_name,
        score: score.clamp(0, 100),
        duration_seconds: (ended_at - row.created_at).max(0),
        started_at: crate::rfc3339(row.created_at),
        ended_at: crate::rfc3339(ended_at),
        statement_ids: [uuid()?, uuid()?, uuid()?],
        registration: uuid()?,
    };
    serde_json::to_string(&facts).map(Some).map_err(Error::internal)
}

/// The IRI of a skill: its page under the app's public URL.
pub fn activity_id(public_url: &str, skill_slug: &str) -> String {
    format!("{}/skills/{skill_slug}", public_url.trim_end_matches('/'))
}

/// The statements of a session: attempted, completed, and passed or failed when a pass
/// mark applies.
pub fn statements(facts: &Facts, pass_mark: Option<i64>) -> Vec<Value> {
    let actor = json!({"objectType": "Agent", "mbox": facts.mbox});
    let object = json!({
        "objectType": "Activity",
        "id": facts.activity_id,
        "definition": {"name": {"fr-FR": facts.skill_name}, "type": ACTIVITY_TYPE},
    });
    let context = json!({"registration": facts.registration, "platform": "Réplique", "language": "fr-FR"});
    let score = json!({"scaled": facts.score as f64 / 100.0, "raw": facts.score, "min": 0, "max": 100});
    let duration = iso_duration(facts.duration_seconds);
    let statement = |id: &str, verb: &str, display: &str, result: Option<Value>, timestamp: &str| {
        let mut s = json!({
            "id": id,
            "actor": actor,
            "verb": {"id": verb, "display": {"en-US": display}},
            "object": object,
            "context": context,
            "timestamp": timestamp,
        });
        if let (Some(result), Some(map)) = (result, s.as_object_mut()) {
            map.insert("result".into(), result);
        }
        s
    };
    let [attempted, completed, judged] = &facts.statement_ids;
    let mut all = vec![
        statement(attempted, VERB_ATTEMPTED, "attempted", None, &facts.started_at),
        statement(
            completed,
            VERB_COMPLETED,
            "completed",
            Some(json!({"score": score, "completion": true, "duration": duration})),
            &facts.ended_at,
        ),
    ];
    if let Some(mark) = pass_mark {
        let success = facts.score >= mark;
        let (verb, display) = if success { (VERB_PASSED, "passed") } else { (VERB_FAILED, "failed") };
        let result = json!({"score": score, "success": success, "completion": true, "duration": duration});
        all.push(statement(judged, verb, display, Some(result), &facts.ended_at));
    }
    all
}

/// Seconds as an ISO 8601 duration (`PT1H2M3S`, `PT0S`).
pub fn iso_duration(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut out = String::from("PT");
    if h > 0 {
        out.push_str(&format!("{h}H"));
    }
    if m > 0 {
        out.push_str(&format!("{m}M"));
    }
    if s > 0 || (h == 0 && m == 0) {
        out.push_str(&format!("{s}S"));
    }
    out
}

/// Checks an LRS endpoint given by an admin: an absolute `http` or `https` URL with a host,
/// no credentials, query or fragment. Returns it with one trailing slash (the statements
/// resource is `<endpoint>statements`).
pub fn parse_endpoint(raw: &str) -> Result<String, String> {
    let raw = raw.trim();
    let url = reqwest::Url::parse(raw).map_err(|e| format!("the LRS endpoint {raw:?} is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("the LRS endpoint must be an http:// or https:// URL, not {}://", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("the LRS endpoint has no host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("put the LRS credentials in --key and --secret, not in the URL".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("the LRS endpoint takes no query or fragment (e.g. https://lrs.example.fr/xAPI/)".into());
    }
    let mut endpoint = url.to_string();
    if !endpoint.ends_with('/') {
        endpoint.push('/');
    }
    Ok(endpoint)
}

/// A random (version 4) UUID.
fn uuid() -> Result<String, Error> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(Error::internal)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = crate::token::hex(&b);
    Ok(format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(score: i64) -> Facts {
        Facts {
            mbox: "mailto:lea@exemple.fr".into(),
            activity_id: activity_id("https://replique.example/", "ecoute_active"),
            skill_name: "Écoute active".into(),
            score,
            duration_seconds: 312,
            started_at: "2026-01-01T10:00:00Z".into(),
            ended_at: "2026-01-01T10:05:12Z".into(),
            statement_ids: [uuid().unwrap(), uuid().unwrap(), uuid().unwrap()],
            registration: uuid().unwrap(),
        }
    }

    #[test]
    fn a_session_without_pass_mark_is_attempted_and_completed() {
        let all = statements(&facts(72), None);
        let verbs: Vec<_> = all.iter().map(|s| s["verb"]["id"].as_str().unwrap()).collect();
        assert_eq!(verbs, [VERB_ATTEMPTED, VERB_COMPLETED]);
        assert_eq!(all[1]["result"]["score"]["scaled"], 0.72);
        assert_eq!(all[1]["result"]["duration"], "PT5M12S");
        assert_eq!(all[0]["object"]["id"], "https://replique.example/skills/ecoute_active");
        assert_eq!(all[0]["object"]["definition"]["name"]["fr-FR"], "Écoute active");
        assert_eq!(all[0]["actor"]["mbox"], "mailto:lea@exemple.fr");
    }

    #[test]
    fn the_pass_mark_decides_passed_or_failed() {
        let passed = statements(&facts(60), Some(60));
        assert_eq!(passed[2]["verb"]["id"], VERB_PASSED);
        assert_eq!(passed[2]["result"]["success"], true);
        let failed = statements(&facts(59), Some(60));
        assert_eq!(failed[2]["verb"]["id"], VERB_FAILED);
        assert_eq!(failed[2]["result"]["success"], false);
    }

    #[test]
    fn durations_are_iso_8601() {
        assert_eq!(iso_duration(0), "PT0S");
        assert_eq!(iso_duration(59), "PT59S");
        assert_eq!(iso_duration(3600), "PT1H");
        assert_eq!(iso_duration(3723), "PT1H2M3S");
        assert_eq!(iso_duration(-5), "PT0S");
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"));
    }

    #[test]
    fn endpoints_are_checked() {
        assert_eq!(parse_endpoint("http://127.0.0.1:8100/xAPI").unwrap(), "http://127.0.0.1:8100/xAPI/");
        assert_eq!(parse_endpoint(" https://lrs.exemple.fr/xAPI/ ").unwrap(), "https://lrs.exemple.fr/xAPI/");
        for bad in ["lrs.exemple.fr", "ftp://lrs.exemple.fr/", "http://u:p@lrs.exemple.fr/", "http://x/?a=1", ""] {
            assert!(parse_endpoint(bad).is_err(), "{bad}");
        }
    }
}

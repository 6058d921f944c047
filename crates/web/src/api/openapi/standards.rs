//! The learning-standards operations of the document: a skill exported as a SCORM 1.2
//! package, and the result its launch page reads back.

use serde_json::json;

use super::{Access, Api};

pub fn describe(api: &mut Api) {
    api.op("get", "/api/scorm/{file}", "exportScormPackage", "lms")
        .summary("Export a skill as a SCORM 1.2 package")
        .description("`GET /api/scorm/<skill slug>.zip`: a zip for the organisation's LMS. Its `imsmanifest.xml` (metadata `ADL SCORM` 1.2) declares one resource `adlcp:scormtype=\"sco\"`, `launch.html`, which finds the LMS's `API`, opens Réplique on the skill through a signed launch link (valid a year; the learner still logs in with their Réplique account and must belong to the organisation) and reports `cmi.core.score.raw` and `cmi.core.lesson_status` once the session is scored. Managers only; a skill the catalogue does not have is 404.")
        .access(Access::Manager)
        .param("file", "path", true, "The skill's slug followed by `.zip`.", json!({ "type": "string" }))
        .param("pass_mark", "query", false, "Mastery score, 0 to 100 (`adlcp:masteryscore`): the lesson is `passed` at or above it, `failed` below; without it a scored session is `completed`.", json!({ "type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX }))
        .reply(200, "The package.", Some(("application/zip", json!({ "type": "string", "contentMediaType": "application/zip" }))))
        .header(200, "Content-Disposition", "`attachment; filename=\"replique-<skill>-scorm12.zip\"`.")
        .error(404, "No such skill, or a name without `.zip`.")
        .error(422, "`pass_mark` is not an integer from 0 to 100.")
        .done();
    api.op("get", "/api/scorm/status", "getScormStatus", "lms")
        .summary("The result of a SCORM launch")
        .description("What a package's launch page polls (from the LMS's origin: `Access-Control-Allow-Origin: *`, no cookie). `not attempted` until a learner opened Réplique with this attempt, `incomplete` until they have a scored session of the skill since, then `passed`/`failed` (against the package's mastery score) or `completed`, with the score.")
        .access(Access::Public)
        .param("token", "query", true, "The package's signed launch token.", json!({ "type": "string" }))
        .param("attempt", "query", true, "The attempt id the launch page drew: 32 lowercase hexadecimal digits.", json!({ "type": "string" }))
        .ok::<crate::scorm::LaunchStatus>(200, "The attempt's status.")
        .error(403, "The token is forged, damaged or expired.")
        .error(404, "The attempt belongs to another package.")
        .error(422, "A parameter is missing or the attempt id is malformed.")
        .done();
}

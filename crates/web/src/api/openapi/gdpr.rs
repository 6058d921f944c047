//! The GDPR operations of the document: a user's export and erasure, a manager's export of
//! a member and the organisation's audit log.

use serde_json::json;

use super::{Access, Api};
use crate::api::privacy;

pub fn describe(api: &mut Api) {
    let export = api.written::<crate::privacy::UserExport>();
    let disposition = "`attachment; filename=\"replique-donnees-<user id>.json\"`.";
    api.op("get", "/api/me/export", "exportMyData", "privacy")
        .summary("Download my data")
        .description("Everything Réplique holds about the logged-in user, as one JSON document (GDPR access and portability): the account without its password hash, the membership, every training session with its transcript and report, assignments, champion training with the answers, the champion calls the user uploaded (with the consent confirmed, turns and analysis), generated scenarios and demo requests sent from the address. Recordings' audio is not included (their transcript is). Served as a download; at most 10 exports per user per hour. Recorded in the audit log.")
        .access(Access::Login)
        .reply(200, "The archive.", Some(("application/json", export.clone())))
        .header(200, "Content-Disposition", disposition)
        .error(429, "More than 10 exports in the hour.")
        .done();
    api.op("post", "/api/me/erase", "eraseMyData", "privacy")
        .summary("Erase my account and data")
        .description("Deletes the logged-in user's account and personal data for real, in one transaction: the account, its login sessions (logged out everywhere), training sessions with transcripts and reports, champion training, assignments, generated scenarios, the champion calls the user uploaded (their files too, and the training of others on those calls), and demo requests sent from the address. Others' data stays (a programme the user wrote keeps its learners' progress, without its author); the organisation keeps anonymised counts per skill. The password confirms; a wrong one is 403 and nothing is erased (the login's rate limit applies: 5 failures per 15 minutes). An account opened by single sign-on has no password: it confirms with `{\"confirmation\": \"EFFACER\"}`. Recorded in the audit log (ids only).")
        .access(Access::Login)
        .json_body::<privacy::EraseRequest>()
        .ok::<privacy::Erased>(202, "Erased; the session cookie is cleared.")
        .error(403, "Wrong password, or for a single sign-on account a missing `EFFACER` confirmation (nothing erased), or the CSRF check failed.")
        .error(422, "No `password` for an account that has one.")
        .error(429, "Too many wrong passwords; retry after the given delay.")
        .error_as(503, "Overloaded", "Too many password checks wait already.")
        .done();
    api.op("get", "/api/org/members/{id}/export", "exportMemberData", "privacy")
        .summary("Download a member's data")
        .description("The same archive as `GET /api/me/export`, for a member of the manager's organisation (managers only; a member of another organisation, or no such user, is 404). At most 10 exports per manager per hour. Recorded in the audit log.")
        .access(Access::Manager)
        .id("id", "User id of the member")
        .reply(200, "The archive.", Some(("application/json", export)))
        .header(200, "Content-Disposition", disposition)
        .error(404, "No such member in the manager's organisation.")
        .error(429, "More than 10 exports in the hour.")
        .done();
    api.op("get", "/api/org/audit", "getAuditLog", "privacy")
        .summary("The organisation's audit log")
        .description("Append-only: managers' reads of a member's reports and sessions, exports, erasures, inactive accounts erased, retention deletions and changes of the retention periods; newest first, by pages (`before`: the `next_before` of the previous page). Managers only (a learner gets 403).")
        .access(Access::Manager)
        .param("before", "query", false, "Only entries older than this entry id.", json!({ "type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX }))
        .param("limit", "query", false, "Entries in the page (default and most: 100; below 1 reads as 1, above as 100).", json!({ "type": "integer", "format": "int64", "minimum": i64::MIN, "maximum": i64::MAX }))
        .ok::<privacy::AuditLog>(200, "A page of the log.")
        .error(422, "`before` or `limit` is not an integer.")
        .done();
}

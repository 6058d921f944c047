//! The Enterprise offer: the guard on every Champion route, the organisation of the
//! learner, and the 403 that invites others to upgrade.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use replique_store::Membership;

use crate::auth::{MaybeUser, SessionUser};
use crate::{AppState, Error};

/// The exact upsell message of the seed (SPEC 7).
pub const UPSELL: &str =
    "La fonctionnalité Champion est réservée aux comptes Enterprise. Utilisez les sessions Skills pour vous entraîner.";

/// 403 body of every Champion route for a logged-in user whose plan is not Enterprise.
#[derive(serde::Serialize, schemars::JsonSchema)]
pub struct Upsell {
    /// Upsell message in French: the Champion feature is reserved to Enterprise accounts.
    detail: &'static str,
    #[schemars(extend("const" = "/enterprise"))]
    upgrade_url: &'static str,
}

/// An Enterprise user and their organisation: what every Champion route requires
/// (`require_enterprise_access`).
pub struct EnterpriseUser {
    pub user: SessionUser,
    pub membership: Membership,
}

/// Why the guard refused.
pub enum Refusal {
    /// Nobody is logged in: 401.
    Anonymous,
    /// Not on the Enterprise plan: 403 with the upsell.
    NotEnterprise,
    /// Enterprise, but in no organisation yet: 403.
    NoOrganisation,
    Error(Error),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Anonymous => Error::Unauthorized.into_response(),
            Refusal::NotEnterprise => {
                (StatusCode::FORBIDDEN, Json(Upsell { detail: UPSELL, upgrade_url: "/enterprise" })).into_response()
            }
            Refusal::NoOrganisation => Error::Forbidden(
                "Votre compte Enterprise n’est rattaché à aucune organisation : demandez à votre administrateur de vous ajouter.".into(),
            )
            .into_response(),
            Refusal::Error(e) => e.into_response(),
        }
    }
}

/// The organisation `user` works in, when their plan is Enterprise (what is shared with a
/// team is visible to its members only while they are on that plan).
pub async fn team_of(state: &AppState, user: &SessionUser) -> Result<Option<Membership>, Error> {
    if !user.plan.has_champion() {
        return Ok(None);
    }
    Ok(state.store.membership(user.user.id).await?)
}

/// Refused to learners: what only a manager of the organisation does with champions.
pub const MANAGERS_ONLY: &str = "Seuls les managers de l’organisation peuvent ajouter, analyser ou supprimer un champion. Entraînez-vous sur les champions de votre équipe.";

impl EnterpriseUser {
    /// Whether this member manages the organisation (roles are `manager` and `learner`).
    pub fn is_manager(&self) -> bool {
        self.membership.role == "manager"
    }

    /// 403 unless this member is a manager: learners train on champions, managers upload,
    /// analyse and delete them.
    pub fn require_manager(&self) -> Result<(), Error> {
        if self.is_manager() { Ok(()) } else { Err(Error::Forbidden(MANAGERS_ONLY.into())) }
    }
}

impl FromRequestParts<AppState> for EnterpriseUser {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Refusal> {
        let MaybeUser(user) = MaybeUser::from_request_parts(parts, state).await.map_err(Refusal::Error)?;
        let user = user.ok_or(Refusal::Anonymous)?;
        if !user.plan.has_champion() {
            return Err(Refusal::NotEnterprise);
        }
        let membership = state
            .store
            .membership(user.user.id)
            .await
            .map_err(|e| Refusal::Error(e.into()))?
            .ok_or(Refusal::NoOrganisation)?;
        Ok(EnterpriseUser { user, membership })
    }
}

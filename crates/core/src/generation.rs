//! Generating a new scenario with an LLM (the seed's `SCENARIO_GENERATION_PROMPT`,
//! enriched with the full template structure): the prompt, and the validation of what comes
//! back by the same schema and checks as `replique catalog check`. Pure: the call and the
//! repair loop are the caller's.

use crate::catalog::{Catalog, CatalogError, Template};
use crate::level::Level;

/// The template id a generated scenario gets while it is checked.
pub fn draft_id(skill: &str) -> String {
    format!("{skill}_gen")
}

/// The prompt asking for a new template of `skill` in `sector` at `level`; an existing
/// template of the skill is given as the model of the structure.
pub fn generation_prompt(catalog: &Catalog, skill: &str, sector: &str, level: Level) -> Option<(String, String)> {
    let skill_info = catalog.skill(skill)?;
    let sector_info = catalog.sector(sector)?;
    let example = catalog.templates_for(skill).next()?;
    let mut example_json = serde_json::to_value(example).ok()?;
    // The example carries its product inline so the model copies a complete structure.
    if let Some((product, proof, competition)) = catalog.resolve_product(example) {
        example_json["product"] = serde_json::to_value(product).ok()?;
        example_json["proof"] = serde_json::to_value(proof).ok()?;
        example_json["competition"] = serde_json::to_value(competition).ok()?;
    }
    let system =
        "Tu es un formateur commercial français expérimenté qui écrit des scénarios d’entraînement réalistes. \
Tu réponds uniquement par un objet JSON valide, sans texte autour."
            .to_owned();
    let user = format!(
        "Écris un NOUVEAU scénario pour la compétence « {title} » ({method}), niveau {level}, secteur « {sector} ». \
Contexte du secteur : {market}\n\n\
Exigences :\n\
- exactement la même structure JSON que l’exemple ci-dessous (mêmes champs, mêmes types) ;\n\
- \"template_id\": \"{id}\", \"skill_slug\": \"{skill}\" ;\n\
- un produit décrit en entier dans \"product\" (avec \"proof\" et \"competition\"), crédible et cohérent avec le secteur ;\n\
- un prospect, une entreprise et une première réplique inventés, différents de l’exemple ;\n\
- des faits (\"facts\") à la première personne avec des thèmes parmi : contexte, objectifs, moyens, problemes, implications, resultats, besoin, enjeux, budget, echeance, decideur, concurrence ;\n\
- trois objections avec leur face cachée ; des objectifs dont \"met_when\" ne référence que des faits et objections du scénario ;\n\
- aucune formule d’au revoir dans les répliques du prospect ;\n\
- un français naturel, avec accents.\n\n\
Exemple de structure :\n{example}",
        title = skill_info.title,
        method = skill_info.lesson.method,
        level = level.as_str(),
        sector = sector_info.name,
        market = sector_info.market_context,
        id = draft_id(skill),
        skill = skill,
        example = serde_json::to_string_pretty(&example_json).ok()?,
    );
    Some((system, user))
}

/// The message that asks the model to fix its scenario.
pub fn repair_prompt(errors: &[CatalogError]) -> String {
    let list: Vec<String> = errors
        .iter()
        .map(|e| format!("- {}: {}", if e.path.is_empty() { "(fichier)" } else { &e.path }, e.message))
        .collect();
    format!(
        "Ton JSON ne passe pas la validation. Corrige exactement ces problèmes et renvoie le scénario complet, uniquement en JSON :\n{}",
        list.join("\n")
    )
}

/// The JSON object in a model's answer (code fences and chatter around it removed).
pub fn extract_json(text: &str) -> &str {
    match (text.find('{'), text.rfind('}')) {
        (Some(start), Some(end)) if end > start => &text[start..=end],
        _ => text.trim(),
    }
}

/// Checks a generated scenario with the catalogue's own rules, as if it were one more file
/// of `catalog` (so it must also differ from every existing template).
pub fn validate_generated(
    catalog_files: &[(String, String)],
    skill: &str,
    answer: &str,
) -> Result<Template, Vec<CatalogError>> {
    let id = draft_id(skill);
    let path = format!("templates/{skill}/{id}.json");
    let mut value: serde_json::Value = serde_json::from_str(extract_json(answer)).map_err(|e| {
        vec![CatalogError {
            file: path.clone(),
            path: String::new(),
            message: format!("invalid JSON at line {}: {e}", e.line()),
        }]
    })?;
    if let Some(object) = value.as_object_mut() {
        object.insert("template_id".into(), id.clone().into());
        object.insert("skill_slug".into(), skill.into());
    }
    let json = value.to_string();
    let mut files: Vec<(&str, &str)> =
        catalog_files.iter().map(|(p, c)| (p.as_str(), c.as_str())).filter(|(p, _)| *p != path).collect();
    files.push((&path, &json));
    match Catalog::from_files(files) {
        Ok(catalog) => catalog
            .template(&id)
            .cloned()
            .ok_or_else(|| vec![CatalogError { file: path, path: String::new(), message: "missing".into() }]),
        Err(errors) => {
            let own: Vec<CatalogError> = errors.iter().filter(|e| e.file == path).cloned().collect();
            // An error elsewhere would be the catalogue's own fault: report it all.
            Err(if own.is_empty() { errors } else { own })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<(String, String)> {
        Catalog::embedded_files().map(|(p, c)| (p.to_owned(), c.to_owned())).collect()
    }

    /// An existing template made new: other person, company and opening.
    fn fresh_template() -> String {
        let catalog = Catalog::embedded().expect("catalogue");
        let mut t = serde_json::to_value(catalog.template("ecoute_active_1").expect("template")).expect("json");
        t["prospect"]["name"] = "Odile Vasseur-Prat".into();
        t["prospect"]["company"] = "Quincaillerie Prat & Fils".into();
        t["scenario_flow"]["opening"]["prospect_first_response"] = "Prat et Fils, j'écoute ?".into();
        format!("Voici le scénario :\n```json\n{}\n```", serde_json::to_string_pretty(&t).expect("json"))
    }

    #[test]
    fn a_valid_answer_becomes_a_template() {
        let t = validate_generated(&files(), "ecoute_active", &fresh_template()).expect("valid");
        assert_eq!(t.template_id, "ecoute_active_gen");
        assert_eq!(t.skill_slug, "ecoute_active");
    }

    #[test]
    fn an_invalid_answer_is_explained_for_the_repair() {
        let broken = fresh_template().replace("\"starting_gauge\": 50", "\"starting_gauge\": \"cinquante\"");
        let errors = validate_generated(&files(), "ecoute_active", &broken).unwrap_err();
        assert!(errors.iter().any(|e| e.path == "starting_gauge"), "{errors:?}");
        assert!(repair_prompt(&errors).contains("starting_gauge"));
        // A copy of an existing template is refused too: it must be new.
        let catalog = Catalog::embedded().expect("catalogue");
        let copy = serde_json::to_string(catalog.template("ecoute_active_1").expect("template")).expect("json");
        assert!(validate_generated(&files(), "ecoute_active", &copy).is_err());
        assert!(validate_generated(&files(), "ecoute_active", "désolé, je ne peux pas").is_err());
    }

    #[test]
    fn the_prompt_has_the_structure_and_the_rules() {
        let catalog = Catalog::embedded().expect("catalogue");
        let (system, user) = generation_prompt(&catalog, "negociation", "immo", Level::Expert).expect("prompt");
        assert!(system.contains("JSON"));
        assert!(
            user.contains("\"template_id\": \"negociation_gen\"")
                && user.contains("scenario_flow")
                && user.contains("Immobilier")
        );
        assert!(generation_prompt(&catalog, "jonglage", "immo", Level::Easy).is_none());
    }
}

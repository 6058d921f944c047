//! Reading the catalogue from disk (`REPLIQUE_CONTENT_DIR`, `catalog check DIR`) and the
//! `replique catalog ...` commands. The parsing and the checks live in `replique_core`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use replique_core::Catalog;
use replique_core::catalog::{self, ProductFile, Sector, Skill, Template};
use replique_core::{Level, engine};

/// Every `.json` file under `dir`, as (path relative to `dir` with `/`, contents).
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    Ok(files)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) -> Result<()> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("cannot read the directory {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            // JSON Schemas may sit beside the content for editors; they are not content.
            if rel.starts_with("schema/") {
                continue;
            }
            let contents = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            files.push((rel, contents));
        }
    }
    Ok(())
}

/// The embedded catalogue, with the files of `overlay` replacing or adding to it.
pub fn load(overlay: Option<&Path>) -> Result<Catalog> {
    let mut files: BTreeMap<String, String> =
        Catalog::embedded_files().map(|(p, c)| (p.to_owned(), c.to_owned())).collect();
    if let Some(dir) = overlay {
        for (path, contents) in read_dir(dir)? {
            files.insert(path, contents);
        }
    }
    Catalog::from_files(files.iter().map(|(p, c)| (p.as_str(), c.as_str()))).map_err(|errors| {
        anyhow::anyhow!(
            "the catalogue is invalid:\n{}",
            errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")
        )
    })
}

/// `replique catalog check DIR`: prints every problem; Ok(false) when there are some.
pub fn check(dir: &Path) -> Result<bool> {
    let files = read_dir(dir)?;
    if files.is_empty() {
        bail!("no .json file under {}", dir.display());
    }
    match Catalog::from_files(files.iter().map(|(p, c)| (p.as_str(), c.as_str()))) {
        Ok(c) => {
            let personas: usize = c.sectors.iter().map(|s| s.personas.len()).sum();
            say!(
                "Catalogue valide : {} compétences, {} scénarios, {} secteurs, {} personas, {} produits.",
                c.skills.len(),
                c.templates.len(),
                c.sectors.len(),
                personas,
                c.products.len()
            );
            Ok(true)
        }
        Err(errors) => {
            for e in &errors {
                say!("{}", prefixed(dir, e));
            }
            say!("{} problème(s) trouvé(s).", errors.len());
            Ok(false)
        }
    }
}

fn prefixed(dir: &Path, e: &catalog::CatalogError) -> String {
    let file = dir.join(&e.file);
    if e.path.is_empty() {
        format!("{}: {}", file.display(), e.message)
    } else {
        format!("{}: {}: {}", file.display(), e.path, e.message)
    }
}

/// `replique catalog list`.
pub fn list(catalog: &Catalog, json: bool) -> Result<()> {
    if json {
        let value = serde_json::json!({
            "skills": catalog.skills.iter().map(|s| serde_json::json!({
                "slug": s.slug,
                "level": s.level,
                "title": s.title,
                "templates": catalog.templates_for(&s.slug).map(|t| t.template_id.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "sectors": catalog.sectors.iter().map(|s| serde_json::json!({
                "slug": s.slug,
                "name": s.name,
                "personas": s.personas.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "products": catalog.products.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>(),
        });
        say!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    for level in Level::ALL {
        say!("{}", level.label());
        for s in catalog.skills.iter().filter(|s| s.level == level) {
            let ids: Vec<&str> = catalog.templates_for(&s.slug).map(|t| t.template_id.as_str()).collect();
            say!("  {:<24} {:<40} {}", s.slug, s.title, ids.join(", "));
        }
    }
    say!("Secteurs : {}", catalog.sectors.iter().map(|s| s.slug.as_str()).collect::<Vec<_>>().join(", "));
    say!("Produits : {}", catalog.products.iter().map(|p| p.slug.as_str()).collect::<Vec<_>>().join(", "));
    Ok(())
}

/// `replique catalog show TEMPLATE_ID`: the scenario as the engine will play it.
pub fn show(
    catalog: &Catalog,
    template_id: &str,
    sector: &str,
    level: Option<&str>,
    seed: u64,
    json: bool,
) -> Result<()> {
    let template = catalog
        .template(template_id)
        .with_context(|| format!("unknown template {template_id:?} (see `replique catalog list`)"))?;
    let skill_level = catalog.skill(&template.skill_slug).map_or(Level::Medium, |s| s.level);
    let level = match level {
        Some(l) => Level::parse(l).with_context(|| format!("unknown level {l:?}: expected easy, medium or expert"))?,
        None => skill_level,
    };
    let scenario = catalog::adapt_scenario_to_sector(catalog, template, sector, level, seed)?;
    if json {
        say!("{}", serde_json::to_string_pretty(&scenario)?);
        return Ok(());
    }
    let opening = engine::open(&scenario).1;
    say!("{} — {} ({}, {})", scenario.template_id, scenario.name, scenario.sector_name, level.label());
    say!("Prospect : {}, {} chez {}", scenario.prospect.name, scenario.prospect.role, scenario.prospect.company);
    say!("Produit : {} — {}", scenario.product.name, scenario.product.tagline);
    say!("Contexte : {}", scenario.scenario_flow.opening.context);
    say!("Première réplique : {opening}");
    for o in &scenario.scenario_flow.objectives {
        say!("Objectif : {}", o.text);
    }
    Ok(())
}

/// `replique catalog schema DIR`: writes the JSON Schemas of the catalogue's files.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut written = Vec::new();
    for (name, schema) in schemas() {
        let path = dir.join(format!("{name}.schema.json"));
        std::fs::write(&path, schema + "\n").with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// The JSON Schema of each kind of file, pretty-printed.
pub fn schemas() -> Vec<(&'static str, String)> {
    let pretty = |s: schemars::Schema| serde_json::to_string_pretty(&s).unwrap_or_default();
    vec![
        ("skill", pretty(schemars::schema_for!(Skill))),
        ("sector", pretty(schemars::schema_for!(Sector))),
        ("product", pretty(schemars::schema_for!(ProductFile))),
        ("template", pretty(schemars::schema_for!(Template))),
    ]
}

/// `replique scenario generate`: a scenario written by the configured LLM, checked like a
/// catalogue file, or the closest catalogue template when there is no model or it fails.
pub async fn generate(catalog: &Catalog, skill: &str, sector: &str, level: &str) -> Result<()> {
    let level = replique_core::Level::parse(level)
        .with_context(|| format!("unknown level {level:?}: expected easy, medium or expert"))?;
    if catalog.skill(skill).is_none() || catalog.sector(sector).is_none() {
        bail!("unknown skill {skill:?} or sector {sector:?} (see `replique catalog list`)");
    }
    let llm = replique_llm::LlmConfig::from_env().context("invalid LLM configuration")?.map(replique_llm::Llm::new);
    let template = match &llm {
        Some(llm) => match replique_llm::generate_scenario(llm, catalog, skill, sector, level).await.result {
            Ok(template) => Some(template),
            Err(e) => {
                eprintln!("Génération impossible ({e}) : voici le scénario du catalogue le plus proche.");
                None
            }
        },
        None => {
            eprintln!(
                "Aucun fournisseur LLM configuré (REPLIQUE_LLM_PROVIDER) : voici le scénario du catalogue le plus proche."
            );
            None
        }
    };
    let template = match template {
        Some(t) => t,
        None => catalog.templates_for(skill).next().cloned().with_context(|| format!("no template for {skill}"))?,
    };
    say!("{}", serde_json::to_string_pretty(&template)?);
    Ok(())
}

//! A SCORM 1.2 package for a skill: `imsmanifest.xml` (metadata `ADL SCORM` 1.2, one
//! organization, one item, one SCO resource) and `launch.html`, the SCO, which talks to the
//! LMS's `API` object and to Réplique (see the parent module). Zipped with deflate.

use std::io::Write;

use askama::Template;
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::Error;

/// A package ready to download.
pub struct Package {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Template)]
#[template(path = "scorm/imsmanifest.xml")]
struct Manifest<'a> {
    slug: &'a str,
    title: &'a str,
    mastery_score: Option<i64>,
}

#[derive(Template)]
#[template(path = "scorm/launch.html")]
struct Launch<'a> {
    title: &'a str,
    base: &'a str,
    token: &'a str,
}

/// The package of skill `slug` (French `title`), whose launch link is `token` under
/// `public_url`.
pub fn build_package(
    public_url: &str,
    slug: &str,
    title: &str,
    token: &str,
    mastery_score: Option<i64>,
) -> Result<Package, Error> {
    let manifest = Manifest { slug, title, mastery_score }.render().map_err(Error::internal)?;
    let launch = Launch { title, base: public_url.trim_end_matches('/'), token }.render().map_err(Error::internal)?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, text) in [("imsmanifest.xml", manifest), ("launch.html", launch)] {
        zip.start_file(name, options).map_err(Error::internal)?;
        zip.write_all(text.as_bytes()).map_err(Error::internal)?;
    }
    let bytes = zip.finish().map_err(Error::internal)?.into_inner();
    Ok(Package { file_name: format!("replique-{slug}-scorm12.zip"), bytes })
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                assert_eq!(file.compression(), CompressionMethod::Deflated);
                let mut text = String::new();
                file.read_to_string(&mut text).unwrap();
                (file.name().unwrap().into_owned(), text)
            })
            .collect()
    }

    #[test]
    fn the_manifest_declares_one_sco_of_scorm_1_2() {
        let package =
            build_package("https://r.exemple.fr/", "ecoute_active", "Écoute <active> & co", "v1.1.a", Some(70))
                .unwrap();
        assert_eq!(package.file_name, "replique-ecoute_active-scorm12.zip");
        let files = unzip(&package.bytes);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["imsmanifest.xml", "launch.html"]);
        let doc = roxmltree::Document::parse(&files[0].1).unwrap();
        const CP: &str = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
        const ADLCP: &str = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
        let root = doc.root_element();
        assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(CP), "manifest"));
        let text_of = |name: &str| doc.descendants().find(|n| n.has_tag_name((CP, name))).and_then(|n| n.text());
        assert_eq!(text_of("schema"), Some("ADL SCORM"));
        assert_eq!(text_of("schemaversion"), Some("1.2"));
        let resource = doc.descendants().find(|n| n.has_tag_name((CP, "resource"))).unwrap();
        assert_eq!(resource.attribute((ADLCP, "scormtype")), Some("sco"));
        assert_eq!(resource.attribute("href"), Some("launch.html"));
        assert_eq!(resource.attribute("type"), Some("webcontent"));
        let item = doc.descendants().find(|n| n.has_tag_name((CP, "item"))).unwrap();
        assert_eq!(item.attribute("identifierref"), resource.attribute("identifier"));
        let title = item.children().find(|n| n.has_tag_name((CP, "title"))).and_then(|n| n.text());
        assert_eq!(title, Some("Écoute <active> & co"), "the title is escaped, and reads back");
        let mastery = doc.descendants().find(|n| n.has_tag_name((ADLCP, "masteryscore"))).and_then(|n| n.text());
        assert_eq!(mastery, Some("70"));
        let organizations = doc.descendants().find(|n| n.has_tag_name((CP, "organizations"))).unwrap();
        let organization = organizations.children().find(|n| n.has_tag_name((CP, "organization"))).unwrap();
        assert_eq!(organizations.attribute("default"), organization.attribute("identifier"));

        let launch = &files[1].1;
        assert!(launch.contains("data-base=\"https://r.exemple.fr\""), "{launch}");
        assert!(launch.contains("data-token=\"v1.1.a\""));
        assert!(
            launch.contains("Écoute &#60;active&#62; &#38; co") || launch.contains("Écoute &lt;active&gt; &amp; co")
        );
        for call in
            ["LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish", "cmi.core.lesson_status", "cmi.core.score.raw"]
        {
            assert!(launch.contains(call), "{call}");
        }
    }

    #[test]
    fn without_a_mastery_score_the_manifest_has_none() {
        let package = build_package("http://127.0.0.1:8080", "ecoute_active", "Écoute active", "t", None).unwrap();
        let files = unzip(&package.bytes);
        let doc = roxmltree::Document::parse(&files[0].1).unwrap();
        assert!(!doc.descendants().any(|n| n.tag_name().name() == "masteryscore"));
    }
}

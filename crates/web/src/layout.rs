//! What every page is dressed in, whatever renders it (a page or an error): the header
//! (`Nav`) and French typography on the page's text. A leaf: `error` uses it too.

use replique_core::text::french_typography;

/// The header of every page: who is logged in, and the token for the logout form
/// (`Nav::new`, with the user, is in `pages`).
#[derive(Debug, Clone)]
pub struct Nav {
    pub user_name: Option<String>,
    pub plan: Option<&'static str>,
    /// Champion is shown to Enterprise users only.
    pub champion: bool,
    pub csrf: String,
}

impl Nav {
    pub fn anonymous() -> Self {
        Nav { user_name: None, plan: None, champion: false, csrf: String::new() }
    }
}

/// French typography on the text of a page, wherever the text comes from (templates,
/// catalogue, analysis, messages): non-breaking spaces before `: ; ! ? »` and after `«`.
/// Tags and attributes are left alone, and so is what a textarea, script or style holds.
pub fn typeset_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&french_typography(&rest[..lt]));
        let tag_end = rest[lt..].find('>').map_or(rest.len(), |i| lt + i + 1);
        let tag = &rest[lt..tag_end];
        out.push_str(tag);
        rest = &rest[tag_end..];
        let name: String =
            tag[1..].chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
        if matches!(name.as_str(), "textarea" | "script" | "style") {
            let close = format!("</{name}");
            let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(&french_typography(rest));
    out
}

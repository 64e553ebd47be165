//! The page and its script and style, embedded in the binary: the server reads no file but
//! the index.

/// The page.
pub const INDEX_HTML: &str = include_str!("assets/index.html");
/// The page's script.
pub const APP_JS: &str = include_str!("assets/app.js");
/// The page's style.
pub const APP_CSS: &str = include_str!("assets/app.css");

/// The content type and body of the asset at `path`, if there is one. Every path outside
/// `/api/` and the assets is 404, except `/`, the page.
pub fn find(path: &str) -> Option<(&'static str, &'static str)> {
    match path {
        "/" | "/index.html" => Some(("text/html; charset=utf-8", INDEX_HTML)),
        "/app.js" => Some(("text/javascript; charset=utf-8", APP_JS)),
        "/app.css" => Some(("text/css; charset=utf-8", APP_CSS)),
        _ => None,
    }
}

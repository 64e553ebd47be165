//! The JSON API: each endpoint parses its query parameters with [`crate::engine::params`],
//! makes the same [`Engine`] call as the matching command and renders the result with the same
//! [`crate::output::json`] function, so that its body is the command's `--json` output.

use serde::Serialize;

use super::query;
use crate::article::FacetKind;
use crate::engine::params::{self, FilterValues, ParamError};
use crate::engine::{Engine, EngineError, FacetTable, FacetsBy, FacetsRequest};
use crate::output::json;
use crate::search::{SearchError, SearchRequest, SortOrder};

/// Longest query text accepted (`q`), in bytes.
pub const MAX_QUERY_BYTES: usize = 1000;
/// Largest page of hits (`limit`).
pub const MAX_LIMIT: usize = 100;
/// Deepest page start (`offset`).
pub const MAX_OFFSET: usize = 10_000;
/// Most values of a facet table (`top`).
pub const MAX_TOP: usize = 1000;
/// Most values of one parameter, and of all parameters together.
pub const MAX_PARAMS: usize = 64;

/// An answer: status and a JSON body.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// The JSON text.
    pub body: String,
}

impl Reply {
    fn json(value: &impl Serialize) -> Reply {
        match serde_json::to_string(value) {
            Ok(body) => Reply { status: 200, body },
            Err(error) => Reply::error(500, &format!("cannot render the answer: {error}"), None),
        }
    }

    /// A `{"error": ..., "parameter": ...}` body with `status`.
    pub fn error(status: u16, message: &str, parameter: Option<&str>) -> Reply {
        let body = ErrorJson {
            error: message,
            parameter,
        };
        Reply {
            status,
            body: serde_json::to_string(&body).unwrap_or_else(|_| String::from("{}")),
        }
    }

    fn bad(error: &ParamError) -> Reply {
        Reply::error(400, &error.message, Some(&error.parameter))
    }
}

/// The body of every error answer.
#[derive(Debug, Serialize)]
struct ErrorJson<'a> {
    /// What went wrong.
    error: &'a str,
    /// The query parameter at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'a str>,
}

/// Answers an API request for `path` (below `/api/`) with its decoded query parameters.
pub fn answer(engine: &dyn Engine, path: &str, pairs: &[(String, String)]) -> Reply {
    if pairs.len() > MAX_PARAMS {
        return Reply::error(
            400,
            &format!("more than {MAX_PARAMS} parameters"),
            Some("query"),
        );
    }
    let (endpoint, id) = match path.split_once('/') {
        Some((endpoint, id)) => (endpoint, Some(id)),
        None => (path, None),
    };
    let id = match id.map(query::decode).transpose() {
        Ok(id) => id,
        Err(message) => return Reply::error(400, &message, Some("id")),
    };
    let result = match (endpoint, id.as_deref()) {
        ("search", None) => search(engine, pairs),
        ("facets", None) => facets(engine, pairs),
        ("stats", None) => stats(engine, pairs),
        ("articles", Some(id)) if !id.is_empty() => article(engine, id, pairs),
        ("similar", Some(id)) if !id.is_empty() => similar(engine, id, pairs),
        _ => return Reply::error(404, &format!("no endpoint /api/{path}"), None),
    };
    result.unwrap_or_else(|failure| failure)
}

/// Parameters as parsed, each kind of value checked against its parameter.
struct Params<'a> {
    pairs: &'a [(String, String)],
    filters: FilterValues,
}

impl<'a> Params<'a> {
    /// Checks that every parameter is one of `allowed` or, `with_filters`, a filter, and
    /// parses the filters.
    fn new(
        pairs: &'a [(String, String)],
        allowed: &[&str],
        with_filters: bool,
    ) -> Result<Params<'a>, Reply> {
        let mut filters = FilterValues::default();
        for (name, value) in pairs {
            if with_filters && filters.push(name, value).map_err(|e| Reply::bad(&e))? {
                continue;
            }
            if !allowed.contains(&name.as_str()) {
                return Err(Reply::error(
                    400,
                    &format!("unknown parameter `{name}`"),
                    Some(name),
                ));
            }
        }
        for name in ["since", "until"] {
            if pairs.iter().filter(|(n, _)| n == name).count() > 1 {
                return Err(Reply::error(400, "given more than once", Some(name)));
            }
        }
        Ok(Params { pairs, filters })
    }

    /// The one value of `name`, if given; a second value is an error.
    fn one(&self, name: &str) -> Result<Option<&'a str>, Reply> {
        let mut values = self.pairs.iter().filter(|(n, _)| n == name);
        let first = values.next().map(|(_, value)| value.as_str());
        if values.next().is_some() {
            return Err(Reply::error(400, "given more than once", Some(name)));
        }
        Ok(first)
    }

    /// The query text (`q`), empty when not given.
    fn text(&self) -> Result<&'a str, Reply> {
        let text = self.one("q")?.unwrap_or("");
        if text.len() > MAX_QUERY_BYTES {
            return Err(Reply::error(
                400,
                &format!("query longer than {MAX_QUERY_BYTES} bytes"),
                Some("q"),
            ));
        }
        Ok(text)
    }

    /// A count no larger than `max`.
    fn count(&self, name: &str, default: usize, max: usize) -> Result<usize, Reply> {
        let Some(value) = self.one(name)? else {
            return Ok(default);
        };
        match value.parse::<usize>() {
            Ok(n) if n <= max => Ok(n),
            Ok(_) => Err(Reply::error(400, &format!("at most {max}"), Some(name))),
            Err(_) => Err(Reply::error(
                400,
                &format!("invalid number `{value}`"),
                Some(name),
            )),
        }
    }

    /// A switch: absent is false; `true`, `1` or nothing after the name is true.
    fn flag(&self, name: &str) -> Result<bool, Reply> {
        match self.one(name)? {
            None | Some("false" | "0") => Ok(false),
            Some("" | "true" | "1") => Ok(true),
            Some(value) => Err(Reply::error(
                400,
                &format!("invalid switch `{value}`: expected true or false"),
                Some(name),
            )),
        }
    }
}

/// `GET /api/search`: `search --json`.
fn search(engine: &dyn Engine, pairs: &[(String, String)]) -> Result<Reply, Reply> {
    let allowed = [
        "q", "sort", "limit", "offset", "facets", "recent", "explain",
    ];
    let params = Params::new(pairs, &allowed, true)?;
    let text = params.text()?;
    let sort = match params.one("sort")? {
        Some(value) => params::sort(value).map_err(|m| Reply::error(400, &m, Some("sort")))?,
        None => SortOrder::Relevance,
    };
    let recent = params.flag("recent")?;
    if recent && params.one("sort")?.is_some() {
        return Err(Reply::error(
            400,
            "cannot be used with sort",
            Some("recent"),
        ));
    }
    let with_facets = params.flag("facets")?;
    let request = params::search_request(
        text,
        params.filters.filters(),
        sort,
        params.count("limit", 10, MAX_LIMIT)?,
        params.count("offset", 0, MAX_OFFSET)?,
        params::Switches {
            facets: with_facets,
            recent,
            explain: params.flag("explain")?,
        },
    );
    let results = engine.search(&request).map_err(failed)?;
    Ok(Reply::json(&json::search(text, &results, with_facets)))
}

/// `GET /api/facets`: `facets --json`.
fn facets(engine: &dyn Engine, pairs: &[(String, String)]) -> Result<Reply, Reply> {
    let params = Params::new(pairs, &["q", "by", "limit", "top"], true)?;
    // `limit`, as `/api/search` and `facets --limit` spell it, or `top`, its alias.
    let limit_name = match (params.one("limit")?, params.one("top")?) {
        (Some(_), Some(_)) => {
            return Err(Reply::error(
                400,
                "`limit` and `top` are the same parameter: give one",
                Some("top"),
            ));
        }
        (None, Some(_)) => "top",
        _ => "limit",
    };
    let text = params.text()?;
    let Some(by_name) = params.one("by")? else {
        return Err(Reply::error(400, "missing", Some("by")));
    };
    let by = params::facets_by(by_name).map_err(|m| Reply::error(400, &m, Some("by")))?;
    let FacetTable { total, buckets } = engine
        .facets(&FacetsRequest {
            text: text.to_string(),
            filters: params.filters.filters(),
            by,
            top: params.count(limit_name, 20, MAX_TOP)?,
        })
        .map_err(failed)?;
    Ok(Reply::json(&json::FacetsJson {
        by: by_name.to_string(),
        query: params.one("q")?.map(str::to_string),
        total,
        buckets: json::buckets(&buckets, by == FacetsBy::Kind(FacetKind::Country)),
    }))
}

/// `GET /api/articles/{id}`: `show --json`.
fn article(engine: &dyn Engine, id: &str, pairs: &[(String, String)]) -> Result<Reply, Reply> {
    Params::new(pairs, &[], false)?;
    match engine.article(id).map_err(failed)? {
        Some(stored) => Ok(Reply::json(&json::show(&stored))),
        None => Err(no_article(id)),
    }
}

/// `GET /api/similar/{id}`: `similar --json`.
fn similar(engine: &dyn Engine, id: &str, pairs: &[(String, String)]) -> Result<Reply, Reply> {
    let params = Params::new(pairs, &["limit"], true)?;
    let mut request = SearchRequest::new("");
    request.filters = params.filters.filters();
    request.limit = params.count("limit", 10, MAX_LIMIT)?;
    match engine.similar(id, &request).map_err(failed)? {
        Some(results) => Ok(Reply::json(&json::search(id, &results, false))),
        None => Err(no_article(id)),
    }
}

/// `GET /api/stats`: `stats --json`.
fn stats(engine: &dyn Engine, pairs: &[(String, String)]) -> Result<Reply, Reply> {
    Params::new(pairs, &[], false)?;
    Ok(Reply::json(&json::stats(&engine.stats().map_err(failed)?)))
}

fn no_article(id: &str) -> Reply {
    Reply::error(404, &format!("no article with id `{id}`"), Some("id"))
}

/// A query that does not parse is the client's error (400 on `q`); anything else the index's.
fn failed(error: EngineError) -> Reply {
    match error {
        EngineError::Search(SearchError::Syntax {
            position, message, ..
        }) => Reply::error(
            400,
            &format!("invalid query at position {position}: {message}"),
            Some("q"),
        ),
        other => {
            eprintln!("error: {other}");
            Reply::error(503, "the index cannot be read right now", None)
        }
    }
}

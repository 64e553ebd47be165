//! The values of a reading request's parameters, parsed in one place for the command line and
//! the web server, so that `--country Atlantis` and `?country=Atlantis` get the same message
//! (with suggestions), each reported against its flag or query parameter.

use crate::article::{CountryCode, FacetKind};
use crate::engine::FacetsBy;
use crate::enrich::countries::resolve_country;
use crate::search::period::{Period, parse_period};
use crate::search::timeline::Granularity;
use crate::search::{Filters, SearchRequest, SortOrder};

/// Facet values counted per kind by a search with facets (`search --facets`, `facets=true`).
pub const SEARCH_FACET_TOP: usize = 10;

/// The kinds a search with facets counts.
pub const SEARCH_FACET_KINDS: [FacetKind; 4] = [
    FacetKind::Country,
    FacetKind::Person,
    FacetKind::Org,
    FacetKind::Topic,
];

/// A parameter value that could not be used, named by its parameter (`country`, `limit`...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} (`{parameter}`)")]
pub struct ParamError {
    /// The query parameter, named like the command line flag without its dashes.
    pub parameter: String,
    /// What is wrong with the value.
    pub message: String,
}

impl ParamError {
    /// An error for `parameter`.
    pub fn new(parameter: &str, message: impl Into<String>) -> ParamError {
        ParamError {
            parameter: parameter.to_string(),
            message: message.into(),
        }
    }
}

/// A country: a code, name, alias or demonym; unknown values list the closest names.
pub fn country(value: &str) -> Result<CountryCode, String> {
    resolve_country(value).map_err(|suggestions| {
        let names: Vec<String> = suggestions
            .iter()
            .map(|(code, name)| format!("{name} ({code})"))
            .collect();
        if names.is_empty() {
            format!("unknown country `{value}`")
        } else {
            format!(
                "unknown country `{value}`; did you mean {}?",
                names.join(", ")
            )
        }
    })
}

/// A date or period (`2024-03-05`, `2024-03`, `2024`, or `7d`, `2w`, `3m`, `1y` back from now).
pub fn date(value: &str) -> Result<Period, String> {
    parse_period(value, jiff::Timestamp::now())
}

/// A result order: `relevance` or `date`.
pub fn sort(value: &str) -> Result<SortOrder, String> {
    match value {
        "relevance" => Ok(SortOrder::Relevance),
        "date" => Ok(SortOrder::Date),
        _ => Err(format!(
            "invalid sort `{value}`: expected relevance or date"
        )),
    }
}

/// The dimensions `facets` counts by, as named on the command line and in the API.
pub const FACETS_BY_NAMES: [&str; 10] = [
    "country", "person", "org", "topic", "source", "lang", "year", "month", "week", "day",
];

/// A `facets` dimension by its name (one of [`FACETS_BY_NAMES`]).
pub fn facets_by(value: &str) -> Result<FacetsBy, String> {
    Ok(match value {
        "country" => FacetsBy::Kind(FacetKind::Country),
        "person" => FacetsBy::Kind(FacetKind::Person),
        "org" => FacetsBy::Kind(FacetKind::Org),
        "topic" => FacetsBy::Kind(FacetKind::Topic),
        "source" => FacetsBy::Kind(FacetKind::Source),
        "lang" => FacetsBy::Kind(FacetKind::Lang),
        "year" => FacetsBy::Period(Granularity::Year),
        "month" => FacetsBy::Period(Granularity::Month),
        "week" => FacetsBy::Period(Granularity::Week),
        "day" => FacetsBy::Period(Granularity::Day),
        _ => {
            return Err(format!(
                "invalid dimension `{value}`: expected one of {}",
                FACETS_BY_NAMES.join(", ")
            ));
        }
    })
}

/// Filter values as parsed: repeated values of one kind OR, kinds AND.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterValues {
    /// Countries.
    pub countries: Vec<CountryCode>,
    /// People.
    pub people: Vec<String>,
    /// Organisations.
    pub orgs: Vec<String>,
    /// Topics.
    pub topics: Vec<String>,
    /// Sources.
    pub sources: Vec<String>,
    /// Language codes.
    pub langs: Vec<String>,
    /// Story ids.
    pub stories: Vec<String>,
    /// Published on or after the start of this period.
    pub since: Option<Period>,
    /// Published on or before the end of this period.
    pub until: Option<Period>,
}

impl FilterValues {
    /// The search filters: `since` from the start of its period, `until` to the end of its.
    pub fn filters(&self) -> Filters {
        Filters {
            countries: self.countries.clone(),
            people: self.people.clone(),
            orgs: self.orgs.clone(),
            topics: self.topics.clone(),
            sources: self.sources.clone(),
            langs: self.langs.clone(),
            stories: self.stories.clone(),
            since: self.since.map(|p| p.start),
            until: self.until.map(|p| p.end),
            ..Filters::default()
        }
    }

    /// Adds the value of filter parameter `name`; `Ok(false)` when `name` is no filter.
    pub fn push(&mut self, name: &str, value: &str) -> Result<bool, ParamError> {
        let error = |message: String| ParamError::new(name, message);
        match name {
            "country" => self.countries.push(country(value).map_err(error)?),
            "person" => self.people.push(value.to_string()),
            "org" => self.orgs.push(value.to_string()),
            "topic" => self.topics.push(value.to_string()),
            "source" => self.sources.push(value.to_string()),
            "lang" => self.langs.push(value.to_string()),
            "story" => self.stories.push(value.to_string()),
            "since" => self.since = Some(date(value).map_err(error)?),
            "until" => self.until = Some(date(value).map_err(error)?),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The switches of a search: `--facets`, `--recent`, `--explain` (`facets`, `recent`,
/// `explain` in the API).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Switches {
    /// Count the top values of [`SEARCH_FACET_KINDS`].
    pub facets: bool,
    /// Boost newer articles.
    pub recent: bool,
    /// Explain each hit's score.
    pub explain: bool,
}

/// The request of `search`: with `facets`, the top [`SEARCH_FACET_TOP`] values of each of
/// [`SEARCH_FACET_KINDS`] are counted.
pub fn search_request(
    text: &str,
    filters: Filters,
    sort: SortOrder,
    limit: usize,
    offset: usize,
    switches: Switches,
) -> SearchRequest {
    let Switches {
        facets,
        recent,
        explain,
    } = switches;
    SearchRequest {
        text: text.to_string(),
        filters,
        sort,
        limit,
        offset,
        facets: if facets {
            SEARCH_FACET_KINDS.to_vec()
        } else {
            Vec::new()
        },
        facet_top: SEARCH_FACET_TOP,
        recent,
        explain,
        name_groups: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_values_name_their_parameter() {
        let mut values = FilterValues::default();
        assert_eq!(values.push("country", "India"), Ok(true));
        assert_eq!(values.push("person", "Modi"), Ok(true));
        assert_eq!(values.push("story", "s1f0c26b1a9e4"), Ok(true));
        assert_eq!(values.filters().stories, ["s1f0c26b1a9e4"]);
        assert_eq!(values.push("q", "trade"), Ok(false));
        assert_eq!(values.countries, vec![CountryCode("IN".into())]);
        let error = values.push("since", "soon").unwrap_err();
        assert_eq!(error.parameter, "since");
        assert!(error.message.starts_with("invalid date `soon`"), "{error}");
        let error = values.push("country", "Atlantis").unwrap_err();
        assert_eq!(error.parameter, "country");
        assert!(
            error.message.starts_with("unknown country `Atlantis`"),
            "{error}"
        );
    }

    #[test]
    fn since_and_until_cover_their_whole_periods() {
        let mut values = FilterValues::default();
        values.push("since", "2024-03").unwrap();
        values.push("until", "2024-03").unwrap();
        let filters = values.filters();
        assert_eq!(filters.since.unwrap().to_string(), "2024-03-01T00:00:00Z");
        assert_eq!(filters.until.unwrap().to_string(), "2024-04-01T00:00:00Z");
    }

    #[test]
    fn sort_and_dimensions_parse_by_name() {
        assert_eq!(sort("date"), Ok(SortOrder::Date));
        assert_eq!(
            sort("best").unwrap_err(),
            "invalid sort `best`: expected relevance or date"
        );
        assert_eq!(facets_by("month"), Ok(FacetsBy::Period(Granularity::Month)));
        for name in FACETS_BY_NAMES {
            assert!(facets_by(name).is_ok(), "{name}");
        }
        assert!(
            facets_by("mood")
                .unwrap_err()
                .starts_with("invalid dimension `mood`")
        );
    }
}

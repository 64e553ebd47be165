//! Country names and lookups (interim table; replaced by the full gazetteer).

use crate::article::CountryCode;

const COUNTRIES: &[(&str, &str)] = &[("IN", "India"), ("US", "United States"), ("RU", "Russia")];

/// The common English short name of a country code.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// Resolves a user's country value to a code, or nearest suggestions.
pub fn resolve_country(input: &str) -> Result<CountryCode, Vec<(CountryCode, &'static str)>> {
    COUNTRIES
        .iter()
        .find(|(c, n)| c.eq_ignore_ascii_case(input) || n.eq_ignore_ascii_case(input))
        .map(|(c, _)| CountryCode(c.to_string()))
        .ok_or_else(Vec::new)
}

//! The archive's names applied to every request, whichever backend answers.
//!
//! [`Resolving`] wraps an engine: a person or organisation filter becomes the exact values the
//! archive resolved it to (`--person Reagan` is every value of Ronald Reagan, and not Nancy
//! Reagan); person and organisation counts are counted by entity under its canonical name, a
//! person value the archive reads as an organisation counted among organisations; and every
//! article returned carries its people and organisations resolved (canonical name, id, the
//! forms it used). The names come from the backend ([`Engine::names`]) and are read again
//! when they may have changed, so a running server follows a nightly `newsdex index`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{Engine, EngineError, Stats};
use crate::archive::stories::Stories;
use crate::archive::{self, NameKind, Names};
use crate::article::{FacetKind, StoredArticle, StoryRef};
use crate::search::timeline::{Granularity, Timeline};
use crate::search::{
    FacetCount, Filters, NameForms, NameGroups, SearchRequest, SearchResults, top_counts,
};

/// How long names read from the backend are used before they are read again.
const NAMES_TTL: Duration = Duration::from_secs(2);

/// An engine whose answers are resolved against the archive's names.
pub struct Resolving {
    inner: Box<dyn Engine>,
    names: Mutex<Option<(Instant, Held)>>,
}

/// The names read from the backend, and the groups of values the local counts use (made the
/// first time a request counts people or organisations).
#[derive(Clone)]
struct Held {
    names: Arc<Names>,
    groups: Arc<OnceLock<Arc<NameGroups>>>,
}

impl Held {
    fn groups(&self) -> Arc<NameGroups> {
        Arc::clone(
            self.groups
                .get_or_init(|| Arc::new(name_groups(&self.names))),
        )
    }
}

/// The values of every entity with several forms, by entity number.
pub fn name_groups(names: &Names) -> NameGroups {
    let mut groups = NameGroups::default();
    for (at, entity) in names.entities.iter().enumerate() {
        if entity.person_forms.len() + entity.org_forms.len() < 2 {
            continue;
        }
        let at = at as u32;
        for form in &entity.person_forms {
            groups.person.insert(form.clone(), at);
        }
        for form in &entity.org_forms {
            groups.org.insert(form.clone(), at);
        }
    }
    groups
}

impl Resolving {
    /// `inner`, resolved.
    pub fn new(inner: Box<dyn Engine>) -> Resolving {
        Resolving {
            inner,
            names: Mutex::new(None),
        }
    }

    /// The names, read again from the backend when the copy held is older than [`NAMES_TTL`].
    fn held(&self) -> Result<Held, EngineError> {
        let mut held = self
            .names
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((read, names)) = held.as_ref()
            && read.elapsed() < NAMES_TTL
        {
            return Ok(names.clone());
        }
        let names = self.inner.names()?;
        let fresh = Held {
            groups: Arc::new(OnceLock::new()),
            names: Arc::new(names),
        };
        *held = Some((Instant::now(), fresh.clone()));
        Ok(fresh)
    }

    fn names(&self) -> Result<Arc<Names>, EngineError> {
        Ok(self.held()?.names)
    }
}

/// `stored` with the story the archive placed it in, found by its text key.
pub fn with_story(stories: &Stories, mut stored: StoredArticle) -> StoredArticle {
    stored.story = stories.of(text_key(&stored)).map(StoryRef::from);
    stored
}

fn text_key(stored: &StoredArticle) -> u64 {
    crate::index::copies::text_key(&stored.article)
}

/// `filters` with its person and organisation filters resolved: a value the archive knows
/// stands for its entity's exact values, any other is kept as text.
pub fn resolve_filters(names: &Names, filters: &Filters) -> Filters {
    let mut resolved = filters.clone();
    let forms = |values: &[String]| -> Option<NameForms> {
        if values.is_empty() {
            return None;
        }
        let mut forms = NameForms::default();
        for value in values {
            match names.find(value) {
                Some(entity) => {
                    forms.person_kw.extend(entity.person_forms.iter().cloned());
                    forms.org_kw.extend(entity.org_forms.iter().cloned());
                }
                None => forms.text.push(value.clone()),
            }
        }
        Some(forms)
    };
    resolved.people_forms = forms(&filters.people);
    resolved.org_forms = forms(&filters.orgs);
    resolved
}

/// `stored` with its people and organisations resolved.
pub fn resolve_article(names: &Names, mut stored: StoredArticle) -> StoredArticle {
    let (people, orgs) = archive::resolve_entities(names, &stored.entities);
    stored.people = people;
    stored.orgs = orgs;
    stored
}

/// The person and organisation counts by entity, from the counts by value.
fn entity_counts(
    names: &Names,
    facets: &BTreeMap<FacetKind, Vec<FacetCount>>,
) -> [BTreeMap<String, u64>; 2] {
    let mut people: BTreeMap<String, u64> = BTreeMap::new();
    let mut orgs: BTreeMap<String, u64> = BTreeMap::new();
    let values = |kind| facets.get(&kind).into_iter().flatten();
    for count in values(FacetKind::Person) {
        let entity = names.person(&count.value);
        let into = match entity.kind {
            NameKind::Person => &mut people,
            NameKind::Org => &mut orgs,
        };
        *into.entry(entity.name.to_string()).or_default() += count.count;
    }
    for count in values(FacetKind::Org) {
        *orgs
            .entry(names.org(&count.value).name.to_string())
            .or_default() += count.count;
    }
    [people, orgs]
}

impl Resolving {
    fn resolve_results(
        &self,
        held: &Held,
        request: &SearchRequest,
        mut results: SearchResults,
    ) -> Result<SearchResults, EngineError> {
        let names = &held.names;
        let [people, orgs] = entity_counts(names, &results.facets);
        let mut facets = BTreeMap::new();
        for kind in &request.facets {
            let counts = match kind {
                FacetKind::Person => top_counts(people.clone(), request.facet_top),
                FacetKind::Org => top_counts(orgs.clone(), request.facet_top),
                other => {
                    let mut counts = results.facets.remove(other).unwrap_or_default();
                    counts.truncate(request.facet_top);
                    counts
                }
            };
            facets.insert(*kind, counts);
        }
        results.facets = facets;
        let keys: Vec<u64> = results
            .hits
            .iter()
            .map(|hit| text_key(&hit.stored))
            .collect();
        let stories = self.inner.story_refs(&keys)?;
        results.hits = std::mem::take(&mut results.hits)
            .into_iter()
            .zip(keys)
            .map(|(mut hit, key)| {
                hit.stored = resolve_article(names, hit.stored);
                hit.stored.story = stories.get(&key).cloned();
                hit
            })
            .collect();
        Ok(results)
    }

    /// `filters` resolved against `held`, and its story ids read as the text keys of their
    /// articles (an id of no story matches nothing).
    fn filters(&self, held: &Held, filters: &Filters) -> Result<Filters, EngineError> {
        let mut resolved = resolve_filters(&held.names, filters);
        if !filters.stories.is_empty() {
            resolved.story_keys = Some(self.inner.story_keys(&filters.stories)?);
        }
        Ok(resolved)
    }

    /// The request sent to the backend: filters resolved, and when people or organisations
    /// are counted, both counted with every value (their counts are summed by entity here).
    fn backend_request(
        &self,
        held: &Held,
        request: &SearchRequest,
    ) -> Result<SearchRequest, EngineError> {
        let mut sent = request.clone();
        sent.filters = self.filters(held, &request.filters)?;
        let names_counted = request
            .facets
            .iter()
            .any(|kind| matches!(kind, FacetKind::Person | FacetKind::Org));
        if names_counted {
            for kind in [FacetKind::Person, FacetKind::Org] {
                if !sent.facets.contains(&kind) {
                    sent.facets.push(kind);
                }
            }
            sent.facet_top = self.inner.facet_pool().max(request.facet_top);
            sent.name_groups = Some(held.groups());
        }
        Ok(sent)
    }
}

impl Engine for Resolving {
    fn location(&self) -> String {
        self.inner.location()
    }

    fn search(&self, request: &SearchRequest) -> Result<SearchResults, EngineError> {
        let held = self.held()?;
        let results = self.inner.search(&self.backend_request(&held, request)?)?;
        self.resolve_results(&held, request, results)
    }

    fn timeline(
        &self,
        text: &str,
        filters: &Filters,
        granularity: Granularity,
    ) -> Result<Timeline, EngineError> {
        let held = self.held()?;
        self.inner
            .timeline(text, &self.filters(&held, filters)?, granularity)
    }

    fn article(&self, id: &str) -> Result<Option<StoredArticle>, EngineError> {
        let held = self.held()?;
        let Some(stored) = self.inner.article(id)? else {
            return Ok(None);
        };
        let key = text_key(&stored);
        let mut stored = resolve_article(&held.names, stored);
        stored.story = self.inner.story_refs(&[key])?.remove(&key);
        Ok(Some(stored))
    }

    fn similar(
        &self,
        id: &str,
        request: &SearchRequest,
    ) -> Result<Option<SearchResults>, EngineError> {
        let held = self.held()?;
        let sent = self.backend_request(&held, request)?;
        match self.inner.similar(id, &sent)? {
            Some(results) => self.resolve_results(&held, request, results).map(Some),
            None => Ok(None),
        }
    }

    fn stats(&self) -> Result<Stats, EngineError> {
        self.inner.stats()
    }

    fn export(
        &self,
        each: &mut dyn FnMut(&StoredArticle) -> std::io::Result<()>,
    ) -> Result<u64, EngineError> {
        let held = self.held()?;
        // Every article is written: the stories are read whole once.
        let stories = self.inner.stories()?;
        self.inner.export(&mut |stored| {
            each(&with_story(
                &stories,
                resolve_article(&held.names, stored.clone()),
            ))
        })
    }

    fn names(&self) -> Result<Names, EngineError> {
        Ok((*self.names()?).clone())
    }

    fn facet_pool(&self) -> usize {
        self.inner.facet_pool()
    }

    fn stories(&self) -> Result<Stories, EngineError> {
        self.inner.stories()
    }

    fn story_refs(&self, keys: &[u64]) -> Result<BTreeMap<u64, StoryRef>, EngineError> {
        self.inner.story_refs(keys)
    }

    fn story_keys(&self, ids: &[String]) -> Result<Vec<u64>, EngineError> {
        self.inner.story_keys(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{Entity, names::entity_id};

    fn names() -> Names {
        Names::new(vec![
            Entity {
                id: entity_id(NameKind::Person, "ronald|reagan"),
                kind: NameKind::Person,
                name: "Ronald Reagan".into(),
                person_forms: vec!["Reagan".into(), "Ronald Reagan".into()],
                org_forms: vec![],
                articles: 9,
            },
            Entity {
                id: entity_id(NameKind::Org, "merrill lynch"),
                kind: NameKind::Org,
                name: "Merrill Lynch".into(),
                person_forms: vec!["Merrill Lynch".into()],
                org_forms: vec!["Merrill Lynch & Co".into()],
                articles: 7,
            },
        ])
    }

    #[test]
    fn a_known_form_filters_by_every_value_of_its_entity_and_others_stay_text() {
        let filters = Filters {
            people: vec!["reagan".into(), "Nancy Reagan".into()],
            orgs: vec!["Merrill Lynch".into()],
            ..Filters::default()
        };
        let resolved = resolve_filters(&names(), &filters);
        assert_eq!(
            resolved.people_forms,
            Some(NameForms {
                person_kw: vec!["Reagan".into(), "Ronald Reagan".into()],
                org_kw: vec![],
                text: vec!["Nancy Reagan".into()],
            })
        );
        assert_eq!(
            resolved.org_forms,
            Some(NameForms {
                person_kw: vec!["Merrill Lynch".into()],
                org_kw: vec!["Merrill Lynch & Co".into()],
                text: vec![],
            })
        );
    }

    #[test]
    fn counts_are_summed_by_entity_and_organisations_leave_the_people() {
        let count = |value: &str, count| FacetCount {
            value: value.into(),
            count,
        };
        let facets = BTreeMap::from([
            (
                FacetKind::Person,
                vec![
                    count("Reagan", 5),
                    count("Merrill Lynch", 4),
                    count("Ronald Reagan", 3),
                    count("Nancy Reagan", 2),
                ],
            ),
            (
                FacetKind::Org,
                vec![count("Merrill Lynch & Co", 2), count("IBM", 1)],
            ),
        ]);
        let [people, orgs] = entity_counts(&names(), &facets);
        assert_eq!(
            people,
            BTreeMap::from([("Ronald Reagan".into(), 8), ("Nancy Reagan".into(), 2)])
        );
        assert_eq!(
            orgs,
            BTreeMap::from([("Merrill Lynch".into(), 6), ("IBM".into(), 1)])
        );
    }
}

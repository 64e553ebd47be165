//! The command line, as clap types. Doc comments are the help text. Values are parsed into
//! typed values here (by [`crate::engine::params`], as the server parses its query parameters),
//! so that a bad value is reported against its flag.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::article::CountryCode;
use crate::engine::{IndexLocation, params};
use crate::search::period::Period;

/// Search a folder of news articles by keyword, person, country, topic and date.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, propagate_version = true)]
pub struct Cli {
    /// Index folder, or an OpenSearch index URL (`http://127.0.0.1:9200/news`).
    #[arg(
        long,
        global = true,
        env = "NEWSDEX_INDEX",
        default_value = "index",
        value_name = "DIR|URL"
    )]
    pub index: IndexLocation,
    /// Folder of extra gazetteers (people.txt, countries.tsv, topics.tsv) used when extracting.
    #[arg(long, global = true, env = "NEWSDEX_GAZETTEER", value_name = "DIR")]
    pub gazetteer: Option<PathBuf>,
    /// PEM file of the CA certificates to trust for an https OpenSearch URL (instead of the
    /// built-in roots).
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// Accept any certificate from an https OpenSearch URL (self-signed test clusters only).
    #[arg(long, global = true)]
    pub insecure: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the index from a corpus folder, or bring it up to date with what changed.
    Index(IndexArgs),
    /// Ranked search with filters and facet counts.
    Search(SearchArgs),
    /// Count matching articles by country, person, topic, source, language or period.
    Facets(FacetsArgs),
    /// Print one article with its people, countries and topics.
    Show(ShowArgs),
    /// Parse and enrich files without an index (files, or folders walked as `index` walks them).
    Extract(ExtractArgs),
    /// Articles like a given one: sharing its most distinctive words, people, countries, topics.
    Similar(SimilarArgs),
    /// Print what the index holds.
    Stats(StatsArgs),
    /// Stream every article as one JSON object a line (the `show --json` shape), for other tools.
    Export(ExportArgs),
    /// The stories of the matching articles: the articles about one event, grouped by the index
    /// run, largest or newest first.
    Stories(StoriesArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish) on stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout.
    Man,
    /// Serve the JSON API and a search page to browsers; follows new commits of the index.
    Serve(ServeArgs),
}

/// `newsdex completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `newsdex index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Corpus folder (or single file).
    #[arg(default_value = "corpus", value_name = "CORPUS")]
    pub corpus: PathBuf,
    /// Rebuild every article instead of only what changed.
    #[arg(long)]
    pub full: bool,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Commit after every N articles added, so that a killed run keeps what it did.
    #[arg(
        long,
        value_name = "N",
        default_value_t = crate::index::DEFAULT_COMMIT_EVERY,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub commit_every: u64,
    /// Remove the articles of vanished files even when the corpus is empty or more than half
    /// of the index would go (refused otherwise, as an unmounted drive looks like that).
    #[arg(long)]
    pub allow_purge: bool,
}

/// Filters shared by `search` and `facets`. Repeated flags of one kind OR, kinds AND.
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Only articles about this country: a code, name, alias or demonym (IN, India, Indian).
    #[arg(long, value_name = "C", value_parser = params::country)]
    pub country: Vec<CountryCode>,
    /// Only articles naming this person: any form the archive knows (Reagan, Ronald Reagan),
    /// else a full name or surname.
    #[arg(long, value_name = "P")]
    pub person: Vec<String>,
    /// Only articles naming this organisation: any form the archive knows (IBM, IBM Corp).
    #[arg(long, value_name = "O")]
    pub org: Vec<String>,
    /// Only articles on this topic; a parent topic (`economy`) includes its subtopics.
    #[arg(long, value_name = "T")]
    pub topic: Vec<String>,
    /// Only articles from this source (ignoring case).
    #[arg(long, value_name = "S")]
    pub source: Vec<String>,
    /// Only articles in this language: a code such as `en` or `fr` (ignoring case).
    #[arg(long, value_name = "L")]
    pub lang: Vec<String>,
    /// Only articles of this story: an id that `newsdex stories` lists (s1f0c26b1a9e4).
    #[arg(long, value_name = "ID")]
    pub story: Vec<String>,
    /// Published on or after: YYYY-MM-DD, YYYY-MM, YYYY, or 7d, 2w, 3m, 1y ago.
    #[arg(long, value_name = "DATE", value_parser = params::date)]
    pub since: Option<Period>,
    /// Published on or before (the whole day, month or year given).
    #[arg(long, value_name = "DATE", value_parser = params::date)]
    pub until: Option<Period>,
}

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first, ties newest first.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// `newsdex search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Query: words (all must match), "phrases", OR, NOT/-, field:value (title, person, country,
    /// topic).
    pub query: String,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of results.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Number of hits.
    #[arg(short = 'n', long = "limit", default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Hits to skip (for paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Also count the top countries, people and topics of all matching articles.
    #[arg(long)]
    pub facets: bool,
    /// Boost newer articles: score × (1 + 0.5^(age / 30 days)), age back from the newest article.
    #[arg(long, conflicts_with = "sort")]
    pub recent: bool,
    /// Show what made each hit's score: matched words per field, BM25 parts, boosts, recency.
    #[arg(long)]
    pub explain: bool,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex similar`.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// Article id, as printed by `search`.
    pub id: String,
    /// Number of hits.
    #[arg(short = 'n', long = "limit", default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// What `facets` counts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    /// Countries.
    Country,
    /// People (each person once, under the archive's name for them).
    Person,
    /// Organisations.
    Org,
    /// Topics (parents include their subtopics).
    Topic,
    /// Publishers.
    Source,
    /// Language codes.
    Lang,
    /// Publication year.
    Year,
    /// Publication month.
    Month,
    /// Publication week (ISO 8601, weeks start on Monday).
    Week,
    /// Publication day.
    Day,
}

/// `newsdex facets`.
#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// Query (default: every article).
    pub query: Option<String>,
    /// Dimension to count by.
    #[arg(long, value_enum)]
    pub by: ByArg,
    /// Number of values to show (periods are never cut).
    #[arg(
        short = 'n',
        long = "limit",
        visible_alias = "top",
        default_value_t = 20,
        value_name = "N"
    )]
    pub limit: usize,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Order of `stories`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum StorySortArg {
    /// Most articles first, ties newest first.
    #[default]
    Size,
    /// Latest last day first, ties largest first.
    Newest,
}

/// `newsdex stories`.
#[derive(Debug, Args)]
pub struct StoriesArgs {
    /// Query (default: every article); the stories of the best-matching articles are listed.
    pub query: Option<String>,
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Order of stories.
    #[arg(long, value_enum, default_value_t = StorySortArg::Size)]
    pub sort: StorySortArg,
    /// Number of stories.
    #[arg(short = 'n', long = "limit", default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id, as printed by `search`.
    pub id: String,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Files or folders.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print NDJSON, one article a line.
    #[arg(long)]
    pub json: bool,
    /// Print each article as soon as it is read, its names as extracted, without resolving
    /// them across what was read (which holds every article until the end).
    #[arg(long)]
    pub per_article: bool,
}

/// `newsdex stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `newsdex export`.
#[derive(Debug, Args)]
pub struct ExportArgs {}

/// `newsdex serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; other than loopback, the archive is readable from other machines.
    #[arg(long, default_value = "127.0.0.1:7700", value_name = "ADDR:PORT")]
    pub bind: std::net::SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on the API.
    #[arg(
        long,
        env = "NEWSDEX_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<String>,
    /// API requests answered at once (more wait their turn).
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: u16,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn search_flags_parse_into_typed_values() {
        let cli = Cli::try_parse_from([
            "newsdex",
            "search",
            "trade",
            "--country",
            "IN",
            "--topic",
            "economy",
            "--topic",
            "politics",
            "--since",
            "2019-01",
            "-n",
            "3",
            "--sort",
            "date",
        ])
        .unwrap();
        let Command::Search(args) = cli.command else {
            panic!("not search")
        };
        assert_eq!(args.filters.country, vec![CountryCode("IN".into())]);
        assert_eq!(args.filters.topic, vec!["economy", "politics"]);
        assert_eq!(
            args.filters.since.unwrap().start.to_string(),
            "2019-01-01T00:00:00Z"
        );
        assert_eq!((args.limit, args.sort), (3, SortArg::Date));
    }

    #[test]
    fn facets_take_the_limit_flag_of_search_and_top_as_its_alias() {
        let limit = |args: &[&str]| {
            let cli = Cli::try_parse_from(args).unwrap();
            let Command::Facets(args) = cli.command else {
                panic!("not facets")
            };
            args.limit
        };
        assert_eq!(limit(&["newsdex", "facets", "--by", "country"]), 20);
        assert_eq!(
            limit(&["newsdex", "facets", "--by", "country", "-n", "3"]),
            3
        );
        assert_eq!(
            limit(&["newsdex", "facets", "--by", "country", "--limit", "4"]),
            4
        );
        assert_eq!(
            limit(&["newsdex", "facets", "--by", "country", "--top", "5"]),
            5
        );
        let error = Cli::try_parse_from(["newsdex", "facets", "--by", "year", "--top", "x"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("--limit <N>"), "{error}");
    }

    #[test]
    fn bad_values_name_their_flag() {
        let error = Cli::try_parse_from(["newsdex", "search", "x", "--since", "soon"]).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("--since"), "{text}");
        assert!(text.contains("invalid date `soon`"), "{text}");
        let error = Cli::try_parse_from(["newsdex", "search", "x", "--country", "Atlantis"])
            .unwrap_err()
            .to_string();
        assert!(error.contains("--country") && error.contains("unknown country `Atlantis`"));
    }
}

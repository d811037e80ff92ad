//! Site rules: per site, feed or author, CSS selectors of what to drop and of the content root,
//! applied on top of the built-in rules (the model is ftr-site-config, the per-domain rule files
//! of Full-Text RSS and wallabag).

use globset::{Glob, GlobSet, GlobSetBuilder};
use scraper::{ElementRef, Selector};
use url::Url;

/// A site rule as written in the config (`[[site]]` in `pipeline.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SiteRuleSpec {
    /// Hosts of the article's `url`: `example.com` is that host (a leading `www.` ignored),
    /// `*.example.com` it and every subdomain.
    pub hosts: Vec<String>,
    /// Globs of source paths relative to their input root: a feed's directory, say.
    pub paths: Vec<String>,
    /// Authors (exact, case-insensitive).
    pub authors: Vec<String>,
    /// CSS selectors of elements to drop.
    pub drop: Vec<String>,
    /// CSS selector of the content root: where it matches, only what it holds is the article.
    pub content: Option<String>,
    /// What relative links and images resolve against when the article has no URL of its own.
    pub base_url: Option<String>,
}

/// A compiled site rule.
#[derive(Clone)]
pub struct SiteRule {
    hosts: Vec<String>,
    paths: GlobSet,
    authors: Vec<String>,
    drop: Vec<Selector>,
    content: Option<Selector>,
    base_url: Option<Url>,
    /// The spec, for the settings fingerprint and messages.
    spec: SiteRuleSpec,
}

/// Why a site rule cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A selector does not parse.
    #[error("`{selector}` is not a CSS selector: {reason}")]
    Selector {
        /// The selector.
        selector: String,
        /// The parser's complaint.
        reason: String,
    },
    /// A path glob does not parse.
    #[error("`{glob}` is not a glob: {reason}")]
    Glob {
        /// The glob.
        glob: String,
        /// The parser's complaint.
        reason: String,
    },
    /// The base URL is not an absolute URL.
    #[error("`{url}` is not an absolute URL: {reason}")]
    BaseUrl {
        /// The value.
        url: String,
        /// The parser's complaint.
        reason: String,
    },
    /// The rule matches no article.
    #[error("a site rule needs at least one of hosts, paths or authors")]
    MatchesNothing,
}

/// The spec alone: the compiled selectors and globs add nothing it does not say, and their
/// internals (regex pools, caches) differ between builds and runs, which would change the
/// settings fingerprint and rebuild a dataset for nothing.
impl std::fmt::Debug for SiteRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SiteRule").field(&self.spec).finish()
    }
}

fn selector(text: &str) -> Result<Selector, RuleError> {
    Selector::parse(text).map_err(|err| RuleError::Selector {
        selector: text.to_owned(),
        reason: selector_reason(&err),
    })
}

/// What is wrong with a selector, in words. The parser's own text for most mistakes is "please
/// report this to the developer" and a variant name; the name is turned into words here.
fn selector_reason(kind: &scraper::error::SelectorErrorKind) -> String {
    use scraper::error::SelectorErrorKind;
    let parse = match kind {
        SelectorErrorKind::UnexpectedSelectorParseError(parse) => parse,
        SelectorErrorKind::EndOfLine => {
            return "it ends too early (an unfinished `.`, `#`, `[…]` or `:`)".into();
        }
        SelectorErrorKind::UnexpectedToken => return "a character is out of place".into(),
        other => return other.to_string().to_lowercase(),
    };
    let debug = format!("{parse:?}");
    let name = debug.split('(').next().unwrap_or_default();
    match name {
        "DanglingCombinator" => {
            "it ends with a combinator (`>`, `+`, `~` or a space) with nothing after it".into()
        }
        "EmptySelector" => "it is empty".into(),
        "ClassNeedsIdent" => "a `.` must be followed by a class name".into(),
        "NoIdentForPseudo" | "PseudoElementExpectedIdent" => {
            "a `:` or `::` must be followed by a name".into()
        }
        "UnsupportedPseudoClassOrElement" => {
            "it uses a pseudo-class or pseudo-element that is not supported".into()
        }
        "NoQualifiedNameInAttributeSelector"
        | "UnexpectedTokenInAttributeSelector"
        | "ExpectedBarInAttr"
        | "BadValueInAttr"
        | "InvalidQualNameInAttr" => "an attribute selector `[…]` is malformed".into(),
        // Any other: the variant's name as words ("NonCompoundSelector" → "non compound selector").
        other => other
            .chars()
            .flat_map(|c| {
                let space = c.is_uppercase().then_some(' ');
                space.into_iter().chain(c.to_lowercase())
            })
            .collect::<String>()
            .trim()
            .to_owned(),
    }
}

impl SiteRule {
    /// The rule as written.
    pub fn spec(&self) -> &SiteRuleSpec {
        &self.spec
    }

    /// Compiles `spec`.
    pub fn new(spec: SiteRuleSpec) -> Result<SiteRule, RuleError> {
        if spec.hosts.is_empty() && spec.paths.is_empty() && spec.authors.is_empty() {
            return Err(RuleError::MatchesNothing);
        }
        let mut paths = GlobSetBuilder::new();
        for glob in &spec.paths {
            paths.add(Glob::new(glob).map_err(|err| RuleError::Glob {
                glob: glob.clone(),
                reason: err.to_string(),
            })?);
        }
        let paths = paths.build().map_err(|err| RuleError::Glob {
            glob: spec.paths.join(", "),
            reason: err.to_string(),
        })?;
        Ok(SiteRule {
            hosts: spec
                .hosts
                .iter()
                .map(|h| h.trim().trim_start_matches("www.").to_ascii_lowercase())
                .collect(),
            paths,
            authors: spec
                .authors
                .iter()
                .map(|a| a.trim().to_lowercase())
                .collect(),
            drop: spec
                .drop
                .iter()
                .map(|s| selector(s))
                .collect::<Result<_, _>>()?,
            content: spec.content.as_deref().map(selector).transpose()?,
            base_url: spec
                .base_url
                .as_deref()
                .map(|u| {
                    Url::parse(u).map_err(|err| RuleError::BaseUrl {
                        url: u.to_owned(),
                        reason: err.to_string(),
                    })
                })
                .transpose()?,
            spec,
        })
    }

    /// Whether the rule is for an article from `host` (of its URL), read from `source_path`,
    /// by `author`.
    pub(crate) fn applies(
        &self,
        host: Option<&str>,
        source_path: &str,
        author: Option<&str>,
    ) -> bool {
        let host_matches = host.is_some_and(|host| {
            let host = host.trim_start_matches("www.");
            self.hosts
                .iter()
                .any(|pattern| match pattern.strip_prefix("*.") {
                    Some(domain) => {
                        host == domain
                            || host
                                .strip_suffix(domain)
                                .is_some_and(|sub| sub.ends_with('.'))
                    }
                    None => host == pattern,
                })
        });
        let author_matches = author.is_some_and(|author| {
            let author = author.trim().to_lowercase();
            self.authors.contains(&author)
        });
        host_matches || author_matches || self.paths.is_match(source_path)
    }
}

impl PartialEq for SiteRule {
    fn eq(&self, other: &Self) -> bool {
        self.spec == other.spec
    }
}

/// The rules that apply to one article, merged.
#[derive(Debug, Default)]
pub(crate) struct Applied<'a> {
    drop: Vec<&'a Selector>,
    content: Option<&'a Selector>,
    base_url: Option<&'a Url>,
}

impl<'a> Applied<'a> {
    pub(crate) fn of(
        rules: &'a [SiteRule],
        host: Option<&str>,
        source_path: &str,
        author: Option<&str>,
    ) -> Applied<'a> {
        let mut applied = Applied::default();
        for rule in rules
            .iter()
            .filter(|r| r.applies(host, source_path, author))
        {
            applied.drop.extend(&rule.drop);
            applied.content = applied.content.or(rule.content.as_ref());
            applied.base_url = applied.base_url.or(rule.base_url.as_ref());
        }
        applied
    }

    pub(crate) fn drops(&self, element: ElementRef<'_>) -> bool {
        self.drop.iter().any(|s| s.matches(&element))
    }

    pub(crate) fn content(&self) -> Option<&'a Selector> {
        self.content
    }

    pub(crate) fn base_url(&self) -> Option<&'a Url> {
        self.base_url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(hosts: &[&str], paths: &[&str], authors: &[&str]) -> SiteRule {
        SiteRule::new(SiteRuleSpec {
            hosts: hosts.iter().map(|s| s.to_string()).collect(),
            paths: paths.iter().map(|s| s.to_string()).collect(),
            authors: authors.iter().map(|s| s.to_string()).collect(),
            drop: vec![".share".into()],
            ..SiteRuleSpec::default()
        })
        .unwrap()
    }

    #[test]
    fn a_rule_reads_as_its_spec_before_and_after_use() {
        let r = rule(&[], &["**/feed/**"], &[]);
        let before = format!("{r:?}");
        std::thread::scope(|scope| {
            scope.spawn(|| assert!(r.applies(None, "a/feed/x.md", None)));
        });
        assert_eq!(before, format!("SiteRule({:?})", r.spec));
        assert_eq!(before, format!("{r:?}"));
    }

    #[test]
    fn hosts_wildcards_paths_and_authors_select_articles() {
        let r = rule(
            &["*.bbc.co.uk", "www.zaobao.com"],
            &["**/oped2-BBC/**"],
            &["BBC中文网"],
        );
        assert!(r.applies(Some("news.bbc.co.uk"), "x.md", None));
        assert!(r.applies(Some("bbc.co.uk"), "x.md", None));
        assert!(!r.applies(Some("notbbc.co.uk"), "x.md", None));
        assert!(r.applies(Some("zaobao.com"), "x.md", None));
        assert!(r.applies(None, "corpus/oped2-BBC/a.md", None));
        assert!(r.applies(None, "x.md", Some(" bbc中文网 ")));
        assert!(!r.applies(Some("example.com"), "x.md", Some("someone")));
    }

    #[test]
    fn bad_rules_say_what_is_wrong() {
        let err = SiteRule::new(SiteRuleSpec {
            hosts: vec!["a.example".into()],
            drop: vec!["div[".into()],
            ..SiteRuleSpec::default()
        })
        .unwrap_err();
        assert!(
            err.to_string().starts_with("`div[` is not a CSS selector"),
            "{err}"
        );
        assert!(matches!(
            SiteRule::new(SiteRuleSpec::default()),
            Err(RuleError::MatchesNothing)
        ));
        // In words, never the parser's "please report this to the developer".
        for (selector, reason) in [
            ("div >", "it ends with a combinator"),
            ("p.", "it ends too early"),
            ("p.#x", "a `.` must be followed by a class name"),
            ("", "it is empty"),
            ("a:nosuchclass", "not supported"),
        ] {
            let err = SiteRule::new(SiteRuleSpec {
                hosts: vec!["a.example".into()],
                content: Some(selector.into()),
                ..SiteRuleSpec::default()
            })
            .unwrap_err()
            .to_string();
            assert!(err.contains(reason), "{selector}: {err}");
            assert!(!err.contains("developer") && !err.contains('\n'), "{err}");
        }
    }
}

//! One rule for every URL an article carries (body images, links, lead image, canonical URL):
//! made absolute, unwrapped from proxies and redirectors, stripped of tracking parameters.

use url::Url;

/// Query parameters that only identify a campaign or a click, never the resource.
fn is_tracking_param(name: &str) -> bool {
    const EXACT: [&str; 16] = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "yclid",
        "igshid", "_hsenc", "_hsmi", "mkt_tok", "spm", "scm", "ref_src",
    ];
    name.starts_with("utm_") || EXACT.contains(&name)
}

/// Parameter names under which redirectors carry their target.
const REDIRECT_PARAMS: [&str; 14] = [
    "url",
    "u",
    "q",
    "target",
    "dest",
    "destination",
    "redirect",
    "redirect_url",
    "redirect_uri",
    "redir",
    "to",
    "link",
    "goto",
    "out",
];

/// Last path segments of redirect endpoints (`/url?q=…`, `/l.php?u=…`, `/out?to=…`).
const REDIRECT_ENDPOINTS: [&str; 15] = [
    "", "url", "redirect", "redir", "r", "l", "link", "out", "go", "goto", "click", "jump",
    "outbound", "away", "exit",
];

/// Image CDNs that resize another host's image, named by their host.
const IMAGE_PROXY_HOSTS: [&str; 2] = ["images.weserv.nl", "wsrv.nl"];

/// Returns the canonical form of `raw`, or `None` for what is not a web resource (`data:`,
/// `javascript:`, a bare `#fragment`). A relative URL with no `base` to resolve it against is
/// returned as written, since that is all the source says.
pub(crate) fn canonical(raw: &str, base: Option<&Url>) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    // A web archive's copy names the original; relative (a page saved from the archive) or not.
    if let Some(original) = archived_original(raw) {
        return canonical(original, None);
    }
    let mut url = match Url::parse(raw) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => match base {
            Some(base) => base.join(raw).ok()?,
            None if raw.starts_with("//") => Url::parse(&format!("https:{raw}")).ok()?,
            None => return Some(raw.to_owned()),
        },
        Err(_) => return None,
    };
    for _ in 0..4 {
        match unwrap_once(&url) {
            Some(inner) => url = inner,
            None => break,
        }
    }
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    strip_tracking(&mut url);
    Some(url.into())
}

/// The original URL inside a Wayback-style archive URL: `[https://web.archive.org]/web/
/// 20120611024252im_/http://origin.example/a.jpg` (a 4 to 14 digit timestamp, an optional
/// `id_`/`im_`-like flag).
fn archived_original(raw: &str) -> Option<&str> {
    let path = match raw
        .strip_prefix("https://")
        .or_else(|| raw.strip_prefix("http://"))
    {
        Some(after_scheme) => &after_scheme[after_scheme.find('/')?..],
        None => raw,
    };
    let rest = path.strip_prefix("/web/")?;
    let (stamp, original) = rest.split_once('/')?;
    let digits = stamp.bytes().take_while(u8::is_ascii_digit).count();
    let flag = &stamp[digits..];
    let is_stamp = (4..=14).contains(&digits)
        && flag.len() <= 3
        && flag.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    (is_stamp && (original.starts_with("http://") || original.starts_with("https://")))
        .then_some(original)
}

/// The URL one wrapper layer inside `url`, if `url` is a known kind of wrapper.
fn unwrap_once(url: &Url) -> Option<Url> {
    // `https://proxy.example/?http://origin.example/a.jpg`: the whole query is the target.
    if let Some(query) = url.query() {
        let decoded = percent_decode(query);
        if decoded.starts_with("http://") || decoded.starts_with("https://") {
            return Url::parse(&decoded).ok();
        }
    }
    let host = url.host_str()?;
    if IMAGE_PROXY_HOSTS.contains(&host) {
        let target = param(url, "url")?;
        let target = if target.contains("://") {
            target
        } else {
            format!("http://{target}")
        };
        return Url::parse(&target).ok();
    }
    if is_photon_host(host) {
        // Jetpack Photon: `https://i0.wp.com/origin.example/path.jpg?w=640&ssl=1`.
        let rest = url.path().trim_start_matches('/');
        let scheme = if param(url, "ssl").as_deref() == Some("1") {
            "https"
        } else {
            "http"
        };
        return Url::parse(&format!("{scheme}://{rest}"))
            .ok()
            .filter(|u| u.host_str().is_some_and(|h| h.contains('.')));
    }
    let endpoint = url.path_segments()?.next_back().unwrap_or("");
    let endpoint = endpoint.split('.').next().unwrap_or(endpoint);
    if REDIRECT_ENDPOINTS.contains(&endpoint) {
        for (name, value) in url.query_pairs() {
            if REDIRECT_PARAMS.contains(&name.as_ref())
                && (value.starts_with("http://") || value.starts_with("https://"))
            {
                return Url::parse(&value).ok();
            }
        }
    }
    None
}

fn is_photon_host(host: &str) -> bool {
    host.strip_suffix(".wp.com")
        .and_then(|h| h.strip_prefix('i'))
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn strip_tracking(url: &mut Url) {
    if url.query().is_none() {
        return;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.len() == url.query_pairs().count() {
        return;
    }
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
}

/// The host of an absolute http(s) URL, without a leading `www.`.
pub(crate) fn site(url: &str) -> Option<String> {
    let host = Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").map(str::to_owned).unwrap_or(host))
}

/// Whether a link to `url` leads readers away from the story: to a subscription or promotion
/// page, or to a social network's "share this" endpoint. The URL is parsed once for both.
pub(crate) fn leads_away(url: &str) -> bool {
    Url::parse(url).is_ok_and(|url| is_promotion(&url) || is_share_link(&url))
}

/// Whether `url` leads to a subscription or promotion page rather than to content.
fn is_promotion(url: &Url) -> bool {
    let host_marks = url.host_str().is_some_and(|h| {
        h.split('.')
            .any(|label| matches!(label, "subscribe" | "subscription" | "subscriptions"))
    });
    let path_marks = url.path_segments().is_some_and(|mut segments| {
        segments.any(|s| matches!(s, "subscribe" | "subscription" | "promotion" | "promotions"))
    });
    host_marks || path_marks
}

/// Whether `url` is a "share this" endpoint of a social network (a share bar, not content).
fn is_share_link(url: &Url) -> bool {
    // WordPress share buttons: `?share=twitter`.
    if url.query_pairs().any(|(key, _)| key == "share") {
        return true;
    }
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.strip_prefix("www.").unwrap_or(host);
    let path = url.path();
    let share_path = |prefixes: &[&str]| prefixes.iter().any(|p| path.starts_with(p));
    match host {
        "facebook.com" | "m.facebook.com" => share_path(&["/sharer", "/share", "/dialog/share"]),
        "twitter.com" | "x.com" => share_path(&["/intent/", "/share"]),
        "linkedin.com" => share_path(&["/shareArticle", "/sharing/", "/cws/share"]),
        "reddit.com" => share_path(&["/submit"]),
        "pinterest.com" => share_path(&["/pin/create"]),
        "service.weibo.com" | "v.t.sina.com.cn" => share_path(&["/share"]),
        "api.whatsapp.com" => share_path(&["/send"]),
        "t.me" | "telegram.me" => share_path(&["/share"]),
        "sns.qzone.qq.com" | "connect.qq.com" => path.contains("share"),
        "social-plugins.line.me" | "line.me" => share_path(&["/lineit/share", "/R/msg"]),
        "wa.me" | "addthis.com" | "sharethis.com" | "getpocket.com" => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archived_copies_point_at_the_original() {
        assert_eq!(
            c("/web/20120611024252im_/http://www.he.xinhuanet.com/news/a.jpg").as_deref(),
            Some("http://www.he.xinhuanet.com/news/a.jpg")
        );
        assert_eq!(
            c("https://web.archive.org/web/2019/https://a.example/x?utm_source=y").as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(
            c("/web/about/http-basics").as_deref(),
            Some("/web/about/http-basics")
        );
    }

    #[test]
    fn share_endpoints_are_known() {
        for share in [
            "https://www.iyouport.org/post/?share=facebook&nb=1",
            "https://www.facebook.com/sharer/sharer.php?u=https://a.example/x",
            "https://twitter.com/intent/tweet?text=x",
            "https://www.linkedin.com/shareArticle?mini=true",
            "http://service.weibo.com/share/share.php?url=x",
        ] {
            assert!(leads_away(share), "{share}");
        }
        for content in [
            "https://twitter.com/rustlang/status/1",
            "https://www.facebook.com/groups/x",
            "https://news.example/share/how-we-share-data",
        ] {
            assert!(!leads_away(content), "{content}");
        }
    }

    fn c(raw: &str) -> Option<String> {
        canonical(raw, None)
    }

    #[test]
    fn proxies_are_unwrapped() {
        assert_eq!(
            c("https://cors.zfour.workers.dev/?http://zkres1.myzaker.com/202111/a_1024.jpg")
                .as_deref(),
            Some("http://zkres1.myzaker.com/202111/a_1024.jpg")
        );
        assert_eq!(
            c("https://images.weserv.nl/?url=ww1.sinaimg.cn/large/abc.jpg").as_deref(),
            Some("http://ww1.sinaimg.cn/large/abc.jpg")
        );
        assert_eq!(
            c("https://i2.wp.com/blog.example.org/wp-content/a.png?w=640&ssl=1").as_deref(),
            Some("https://blog.example.org/wp-content/a.png")
        );
    }

    #[test]
    fn redirectors_and_tracking_params_go() {
        assert_eq!(
            c("https://www.google.com/url?q=https://news.example/a?id=3&utm_source=x&sa=D")
                .as_deref(),
            Some("https://news.example/a?id=3")
        );
        assert_eq!(
            c("https://news.example/a?utm_campaign=c&utm_medium=m").as_deref(),
            Some("https://news.example/a")
        );
        // A search query is not a redirect.
        assert_eq!(
            c("https://search.example/results?q=https://x.example").as_deref(),
            Some("https://search.example/results?q=https://x.example")
        );
    }

    #[test]
    fn relative_urls_resolve_against_the_article() {
        let base = Url::parse("https://www.zaobao.com/realtime/china/story1").ok();
        assert_eq!(
            canonical("/img/a.jpg", base.as_ref()).as_deref(),
            Some("https://www.zaobao.com/img/a.jpg")
        );
        assert_eq!(
            canonical("//cdn.example/a.jpg", base.as_ref()).as_deref(),
            Some("https://cdn.example/a.jpg")
        );
        assert_eq!(c("img/a.jpg").as_deref(), Some("img/a.jpg"));
    }

    #[test]
    fn non_web_urls_are_dropped() {
        assert_eq!(c("data:image/gif;base64,R0lGOD"), None);
        assert_eq!(c("javascript:void(0)"), None);
        assert_eq!(c("#top"), None);
    }

    #[test]
    fn promotion_links_are_recognised() {
        assert!(leads_away(
            "https://subscribe.sph.com.sg/promotions/chinese-3-months/"
        ));
        assert!(!leads_away("https://www.zaobao.com/realtime/china/story1"));
    }
}

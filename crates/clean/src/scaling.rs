//! The clean stage's work grows linearly with each kind of element a document holds: a
//! document with twice as many images (links, paragraphs, meta tags, nested story containers…)
//! costs twice the instructions, not four times. Instructions are counted by valgrind
//! (callgrind, only inside the measured call), so the check is exact and does not depend on the
//! machine's load. Built only optimized — `cargo test --release -p lede-clean --lib scaling`, as
//! `scripts/test.sh` runs it — since unoptimized the counts take many minutes. The test runs
//! itself again under valgrind, once per document, with `LEDE_SCALING=kind:n`.

use std::path::Path;
use std::process::Command;

use lede_record::{Body, BodyFormat, FrontMatter, ParsedDoc, SourcePath};

use crate::{CleanSettings, clean};

/// Each kind of element, and a document of `n` of them: (body format, whole page, text).
type Make = fn(usize) -> (BodyFormat, bool, String);

/// Each kind of element, and a document of `n` of them.
const KINDS: [(&str, Make); 18] = [
    ("images", |n| {
        html((0..n).map(|i| format!("<img src=\"https://img.example/{i}.jpg\" alt=\"a{i}\">")))
    }),
    ("repeated images", |n| {
        html((0..n).map(|i| format!("<p>x{i}</p><img src=\"https://img.example/same.jpg\">")))
    }),
    ("figures", |n| {
        html((0..n).map(|i| format!("<figure><img src=\"https://img.example/f{i}.jpg\"><figcaption>Caption {i}</figcaption></figure>")))
    }),
    ("noscript images", |n| {
        html((0..n).map(|i| format!("<div><img src=\"data:image/gif;base64,R0lGOD\" data-src=\"https://img.example/n{i}.jpg\"><noscript><img src=\"https://img.example/n{i}.jpg\"></noscript></div>")))
    }),
    ("links", |n| {
        html((0..n).map(|i| {
            format!("<p>Paragraph {i} <a href=\"https://x.example/{i}\">link {i}</a></p>")
        }))
    }),
    ("calls to action", |n| {
        html((0..n).map(|i| format!("<p>Read more about offer {i} <a href=\"https://x.example/s{i}\">here, offer number {i}</a></p>")))
    }),
    ("paragraphs", |n| {
        html((0..n).map(|i| format!("<p>Paragraph number {i}, with a few words in it.</p>")))
    }),
    ("headings", |n| {
        html((0..n).map(|i| format!("<h2>Heading {i}</h2><p>Text {i}.</p>")))
    }),
    ("list items", |n| {
        html(std::iter::once("<ul>".to_owned()).chain((0..n).map(|i| format!("<li>Item {i}</li>"))))
    }),
    ("table cells", |n| {
        html(
            std::iter::once("<table>".to_owned())
                .chain((0..n).map(|i| format!("<tr><td>c{i}</td><td>d{i}</td></tr>"))),
        )
    }),
    ("ad slots", |n| {
        html((0..n).map(|i| format!("<div class=\"ad-slot\">Ad {i}</div><p>Text {i}.</p>")))
    }),
    ("attributes of one tag", |n| {
        html(
            std::iter::once(format!(
                "<div {}>",
                (0..n)
                    .map(|i| format!("a{i}=\"v\""))
                    .collect::<Vec<_>>()
                    .join(" ")
            ))
            .chain(std::iter::once("Text.</div>".to_owned())),
        )
    }),
    ("words", |n| {
        html(std::iter::once(format!(
            "<p>{}</p>",
            (0..n)
                .map(|i| format!("w{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        )))
    }),
    ("meta tags", |n| {
        page(
            (0..n).map(|i| format!("<meta name=\"k{i}\" content=\"v\">")),
            "",
        )
    }),
    ("JSON-LD scripts", |n| {
        page((0..n).map(|i| format!("<script type=\"application/ld+json\">{{\"@type\":\"Thing\",\"name\":\"{i}\"}}</script>")), "")
    }),
    ("navigation links", |n| {
        page(
            std::iter::empty(),
            &(0..n)
                .map(|i| format!("<a href=\"/x{i}\">nav {i}</a>"))
                .collect::<String>(),
        )
    }),
    ("Markdown links", |n| {
        (
            BodyFormat::Markdown,
            false,
            (0..n)
                .map(|i| format!("Paragraph {i} [a link](https://x.example/{i}).\n\n"))
                .collect(),
        )
    }),
    ("Markdown images", |n| {
        (
            BodyFormat::Markdown,
            false,
            (0..n)
                .map(|i| format!("![alt {i}](https://img.example/{i}.png)\n\n"))
                .collect(),
        )
    }),
];

fn html(parts: impl Iterator<Item = String>) -> (BodyFormat, bool, String) {
    (BodyFormat::Html, false, parts.collect())
}

fn page(head: impl Iterator<Item = String>, nav: &str) -> (BodyFormat, bool, String) {
    let head: String = head.collect();
    (
        BodyFormat::Html,
        true,
        format!(
            "<!DOCTYPE html><html><head><title>t</title>{head}</head><body><nav>{nav}</nav><article><p>A story, with commas, long enough to be the content of the page.</p></article></body></html>"
        ),
    )
}

/// What the child process measures, by name.
#[inline(never)]
fn measured_clean(doc: &ParsedDoc) {
    std::hint::black_box(clean(doc, &CleanSettings::default()).ok());
}

/// Main-content scoring alone, of an already parsed page.
#[inline(never)]
fn measured_scoring(html: &scraper::Html) {
    std::hint::black_box(
        crate::content::find(html, &mut crate::tables::Tables::default()).is_some(),
    );
}

/// A page of `depth` story containers nested in one another.
fn nested_story(depth: usize) -> String {
    format!(
        "<!DOCTYPE html><html><body>{}deep{}</body></html>",
        "<article class=\"entry-content\"><p>A sentence, with a comma.</p>".repeat(depth),
        "</article>".repeat(depth)
    )
}

/// What the test does in the child, under valgrind: the one clean of `job` (`kind:n`).
fn child(job: &str) {
    let (kind, n) = job.rsplit_once(':').expect("kind:n");
    let n: usize = n.parse().expect("n");
    if kind == "nested story containers" {
        let html = crate::html::parse(&nested_story(n), u64::MAX).html;
        measured_scoring(&html);
        return;
    }
    let make = KINDS
        .iter()
        .find(|(name, _)| *name == kind)
        .expect("a kind")
        .1;
    let (format, is_full_page, text) = make(n);
    let doc = ParsedDoc {
        source: SourcePath::new("/in", "doc.html"),
        encoding: "UTF-8",
        front_matter: FrontMatter::none(),
        body: Body {
            format,
            is_full_page,
            text,
        },
        warnings: vec![],
        fetch: None,
    };
    measured_clean(&doc);
}

/// Instructions executed inside `function` by the child run of `kind` at `n`.
fn instructions(kind: &str, n: usize, function: &str, dir: &Path) -> u64 {
    let out = dir.join(format!("{}-{n}.out", kind.replace(' ', "-")));
    let exe = std::env::current_exe().expect("the test binary");
    let run = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg("--collect-atstart=no")
        .arg(format!("--toggle-collect=*scaling::{function}"))
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args([
            "scaling::work_grows_linearly_with_each_kind_of_element",
            "--exact",
            "--test-threads=1",
        ])
        .env("LEDE_SCALING", format!("{kind}:{n}"))
        .output()
        .expect("valgrind runs (apt-get install valgrind)");
    assert!(
        run.status.success(),
        "{kind} at {n}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&out).expect("callgrind output");
    text.lines()
        .find_map(|line| {
            line.strip_prefix("summary: ")
                .or_else(|| line.strip_prefix("totals: "))
        })
        .and_then(|n| n.trim().parse().ok())
        .expect("a callgrind total")
}

#[test]
#[allow(clippy::print_stderr, reason = "the counts, seen with --nocapture")]
fn work_grows_linearly_with_each_kind_of_element() {
    if let Ok(job) = std::env::var("LEDE_SCALING") {
        return child(&job);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut kinds: Vec<(&str, &str, usize)> = KINDS
        .iter()
        .map(|(name, _)| (*name, "measured_clean", 500))
        .collect();
    kinds.push(("nested story containers", "measured_scoring", 250));
    let mut report = Vec::new();
    let mut superlinear = Vec::new();
    // LEDE_SCALING_ONLY=kind measures one kind, when looking into it.
    let only = std::env::var("LEDE_SCALING_ONLY").ok();
    for (kind, function, n) in kinds
        .into_iter()
        .filter(|(kind, _, _)| only.as_deref().is_none_or(|o| o == *kind))
    {
        let counts: Vec<u64> = [n, 2 * n, 4 * n]
            .iter()
            .map(|&size| instructions(kind, size, function, dir.path()))
            .collect();
        // The growth from 2n to 4n over the growth from n to 2n: 2 when linear, 4 when
        // quadratic; what is spent whatever the size cancels out.
        let growth = (counts[2] - counts[1]) as f64 / (counts[1] - counts[0]).max(1) as f64;
        report.push(format!("{kind}: {counts:?} ({growth:.2})"));
        if growth >= 2.5 {
            superlinear.push(kind);
        }
    }
    // With --nocapture: the counts behind the verdict.
    eprintln!("{}", report.join("\n"));
    assert!(
        superlinear.is_empty(),
        "work not linear for {superlinear:?}:\n{}",
        report.join("\n")
    );
}

"""Fixtures of the Python tests: they run against the installed `lede` wheel (scripts/test.sh
installs it into a fresh venv with no Rust toolchain on PATH)."""

import gzip
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def words(seed: int, n: int) -> str:
    """A text of `n` pseudo-words: texts of different seeds share almost no shingles."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "be", "do", "fu", "gi", "ha", "jo", "pe", "zu"]
    return " ".join(rng.choice(syllables) + rng.choice(syllables) for _ in range(n))


def write_planted_tree(root: Path) -> None:
    """Articles with planted near-duplicates (copies, edited copies, earlier copies under other
    names), bad files (binary, empty, unterminated front matter), and undated articles."""
    for i in range(40):
        story = i // 4  # four articles per story: 10 stories
        text = words(story, 120)
        if i % 4 == 1:
            text += " " + words(1000 + i, 6)  # an edited copy
        date = f"2021-0{1 + i % 9}-1{i % 10} 08:00:00" if i % 5 else None
        front = f"---\ntitle: Story {story} copy {i}\n" + (f"date: {date}\n" if date else "") + "---\n"
        (root / f"feed-{i % 3}").mkdir(parents=True, exist_ok=True)
        (root / f"feed-{i % 3}" / f"{i:03}.md").write_text(front + text + "\n", encoding="utf-8")
    (root / "bad").mkdir(exist_ok=True)
    (root / "bad" / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0binary")
    (root / "bad" / "empty.md").write_bytes(b"")
    (root / "bad" / "fence.md").write_text("---\ntitle: never closed\nauthor: x\n\nbody\n")
    (root / "page.html").write_text("<html><body><article><p>" + words(77, 200) + "</p></article></body></html>")
    # Names the engines' own listings drop, which lede reads: a Jekyll `_posts` folder, a file
    # starting with `_`; and a hidden folder, which lede skips too.
    (root / "_posts").mkdir(exist_ok=True)
    (root / "_posts" / "2021-05-01-post.md").write_text("---\ntitle: A Jekyll post\n---\n" + words(88, 80) + "\n")
    (root / "feed-0" / "_draft.md").write_text("---\ntitle: A draft\n---\n" + words(89, 80) + "\n")
    # Names a URL must escape (space, %, #, brackets, non-ASCII), one also starting with `_`.
    (root / "a b").mkdir(exist_ok=True)
    (root / "a b" / "sp ace%20#h [1].md").write_text("---\ntitle: Escapes\n---\n" + words(90, 80) + "\n")
    (root / "_posts" / "_中文 名.md").write_text("---\ntitle: 名\n---\n" + words(91, 80) + "\n")
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "notes.md").write_text("internal notes\n")


def write_archives(root: Path) -> None:
    """A crawl and a scraper's export: archives whose records are inputs, one of them bad."""
    (root / "crawl").mkdir(exist_ok=True)
    (root / "crawl" / "site.warc.gz").write_bytes(b"".join(warc_response(n) for n in range(5)))
    lines = [
        json.dumps({"title": f"Scraped {n}", "url": f"https://scraped.test/{n}", "html": f"<p>{words(400 + n, 100)}</p>"})
        for n in range(4)
    ]
    (root / "crawl" / "items.jsonl").write_text("\n".join(lines + ["{not json"]) + "\n")


def warc_response(n: int) -> bytes:
    """A WARC response record of a page, as one gzip member (as crawlers write .warc.gz)."""
    html = f"<html><head><title>Crawled {n}</title></head><body><article><p>{words(300 + n, 120)}</p></article></body></html>"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html.encode()
    head = (
        f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:planted:{n}>\r\n"
        f"WARC-Date: 2024-05-01T10:20:30Z\r\nWARC-Target-URI: https://crawl.test/{n}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    )
    return gzip.compress(head.encode() + http + b"\r\n\r\n")


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    root = tmp_path / "planted"
    write_planted_tree(root)
    return root


@pytest.fixture(scope="session")
def lede_cli() -> str:
    """The `lede` command the wheel installed (not a cargo build)."""
    path = shutil.which("lede")
    assert path is not None, "the wheel's `lede` command is not on PATH"
    assert shutil.which("cargo") is None, "these tests run without a Rust toolchain on PATH"
    return path


def lede_run(cli: str, root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([cli, "run", "-i", str(root), "-o", str(out), *extra], capture_output=True, text=True, cwd=out.parent)

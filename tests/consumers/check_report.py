"""Opens an HTML report of `lede stats --html` in headless Chromium, the way a person would open
it in a browser, and prints what rendered as JSON: the DOM after the page's script ran (charts
drawn, bars per chart), a screenshot's size and colour count, and whether CJK text renders as
glyphs in the report's font stack. The Rust test asserts on it.

    python check_report.py REPORT.html SCREENSHOT.png
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile

from PIL import Image

report, screenshot = sys.argv[1], sys.argv[2]
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium is None:
    sys.exit("no chromium on PATH: install Debian's chromium (scripts/test.sh does)")
profile = tempfile.mkdtemp(prefix="lede-chromium-")
flags = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    f"--user-data-dir={profile}", "--hide-scrollbars",
]
url = "file://" + report
dom = subprocess.run(
    [chromium, *flags, "--virtual-time-budget=5000", "--dump-dom", url],
    capture_output=True, text=True, timeout=120, check=True,
).stdout
# A window taller than the page, then cropped a little below the last thing drawn: the
# screenshot is the whole page and nothing but it.
subprocess.run(
    [chromium, *flags, "--virtual-time-budget=5000", "--window-size=1200,6000", f"--screenshot={screenshot}", url],
    capture_output=True, timeout=120, check=True,
)
whole = Image.open(screenshot).convert("RGB")
drawn = whole.convert("L").point(lambda v: 255 if v < 250 else 0).getbbox()
whole.crop((0, 0, whole.width, min(whole.height, (drawn[3] if drawn else 0) + 24))).save(screenshot)
# Whether CJK text renders as glyphs, not tofu boxes, in the report's own font stack: two
# different characters drawn on a canvas differ unless both are the missing-glyph box.
fonts = re.search(r"--fonts: ([^;]+);", open(report, encoding="utf-8").read()).group(1)
probe = tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8")
probe.write(
    "<!doctype html><html><body><canvas id=c width=64 height=32></canvas><script>"
    f"const g = document.getElementById('c').getContext('2d'); g.font = '24px ' + {json.dumps(fonts)};"
    "function ink(ch) { g.clearRect(0, 0, 64, 32); g.fillText(ch, 4, 26);"
    " return Array.from(g.getImageData(0, 0, 64, 32).data).join(); }"
    "document.body.dataset.cjk = ink('中') !== ink('語') && ink('語') !== ink('한') ? 'glyphs' : 'tofu';"
    "</script></body></html>"
)
probe.close()
probed = subprocess.run(
    [chromium, *flags, "--virtual-time-budget=2000", "--dump-dom", "file://" + probe.name],
    capture_output=True, text=True, timeout=120, check=True,
).stdout
shutil.rmtree(profile, ignore_errors=True)

charts = {}
for match in re.finditer(r'<svg[^>]*data-chart="([a-z]+)"[^>]*>(.*?)</svg>', dom, re.S):
    charts[match.group(1)] = len(re.findall(r"<rect\b", match.group(2)))
rendered = re.search(r'data-charts-rendered="(\d+)"', dom)
# The month axis: how far apart its labels' centres are, at the closest (an 11-px label is
# about 6 px a character wide; a label anchored at its end has its centre half that before).
# They are the lowest texts of the chart.
months_svg = re.search(r'<svg[^>]*data-chart="months"[^>]*>(.*?)</svg>', dom, re.S)
texts = [
    (float(x) - (3 * len(label) if anchor == "end" else 0), float(y))
    for x, y, anchor, label in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)"[^>]*>([^<]*)</text>',
        months_svg.group(1) if months_svg else "",
    )
]
axis = max((y for _, y in texts), default=None)
label_xs = sorted(x for x, y in texts if y == axis)
label_gap = min((b - a for a, b in zip(label_xs, label_xs[1:])), default=None)
image = Image.open(screenshot).convert("RGB")
colours = image.getcolors(maxcolors=1 << 20) or []
print(json.dumps({
    "charts_rendered": int(rendered.group(1)) if rendered else 0,
    "bars": charts,
    "screenshot": {"width": image.width, "height": image.height, "colours": len(colours)},
    "has_title": "lede data-quality report" in dom,
    "month_labels": len(label_xs),
    "month_label_gap": label_gap,
    "cjk": (re.search(r'data-cjk="([a-z]+)"', probed) or [None, None])[1],
}))

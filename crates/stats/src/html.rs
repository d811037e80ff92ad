//! The report as one self-contained HTML page: the data inlined as JSON, drawn into SVG charts
//! and tables by a few lines of script. No network, no external file.

use crate::Stats;

const PAGE: &str = r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lede data-quality report</title>
<style>
  /* CJK fonts by name on each common system: system-ui alone has no CJK glyphs on many Linux
     machines, and the archives are mostly Chinese and Japanese. */
  :root { --fonts: system-ui, "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Source Han Sans SC", "PingFang SC", "Hiragino Sans", "Microsoft YaHei", "Yu Gothic", "Malgun Gothic", sans-serif; }
  body { font: 14px/1.45 var(--fonts); margin: 24px auto; max-width: 1100px; color: #222; }
  h1 { font-size: 22px; margin-bottom: 4px; }
  h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
  .summary { display: flex; gap: 12px; flex-wrap: wrap; }
  .card { background: #f4f6f8; border-radius: 6px; padding: 10px 14px; min-width: 120px; }
  .card b { display: block; font-size: 20px; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid #eee; vertical-align: top; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; width: 6em; }
  svg text { font: 11px var(--fonts); fill: #333; }
  .legend span { display: inline-block; margin-right: 12px; }
  .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
</style>
</head>
<body>
<h1>lede data-quality report</h1>
<div id="dataset"></div>
<noscript>This report draws its charts with JavaScript; the numbers are in the JSON below.</noscript>
<div class="summary" id="summary"></div>
<h2>Articles per month, by site</h2>
<svg id="chart-months" data-chart="months" width="1100" height="260"></svg>
<div class="legend" id="legend-months"></div>
<div class="grid">
  <div><h2>Language mix</h2><svg id="chart-langs" data-chart="langs" width="530" height="240"></svg></div>
  <div><h2>Text length (characters)</h2><svg id="chart-lengths" data-chart="lengths" width="530" height="240"></svg></div>
</div>
<h2>NULL rate per column</h2>
<svg id="chart-nulls" data-chart="nulls" width="1100" height="240"></svg>
<div class="grid">
  <div><h2>Top sites</h2><table id="sites"></table></div>
  <div><h2>Top authors</h2><table id="authors"></table></div>
  <div><h2>Warnings by kind</h2><table id="warnings"></table></div>
  <div><h2>Rejects by stage and reason</h2><table id="rejects"></table></div>
  <div><h2>Largest texts</h2><table id="largest"></table></div>
  <div><h2>Smallest texts</h2><table id="smallest"></table></div>
</div>
<script type="application/json" id="data">__DATA__</script>
<script>
"use strict";
const data = JSON.parse(document.getElementById("data").textContent);
const NS = "http://www.w3.org/2000/svg";
const COLORS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
function el(tag, attrs, parent, ns) {
  const e = ns ? document.createElementNS(NS, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
function text(parent, x, y, s, anchor) {
  const t = el("text", { x, y, "text-anchor": anchor || "start" }, parent, true);
  t.textContent = s;
  return t;
}
// Horizontal bars, the first `limit` rows; the chart is as tall as its rows.
function hbars(svg, rows, format, limit) {
  const width = +svg.getAttribute("width"), label = 170, pad = 60, bar = 14;
  const shown = rows.slice(0, limit);
  const max = Math.max(1e-9, ...shown.map(r => r[1]));
  svg.setAttribute("height", 10 + shown.length * (bar + 4));
  shown.forEach(([name, value], i) => {
    const y = 5 + i * (bar + 4);
    text(svg, label - 6, y + bar * 0.75, name, "end");
    el("rect", { x: label, y, width: Math.max(1, (width - label - pad) * value / max), height: bar, fill: COLORS[i % COLORS.length], "data-value": value }, svg, true);
    text(svg, label + 4 + (width - label - pad) * value / max, y + bar * 0.75, format(value));
  });
  return shown.length;
}
// Vertical bars; the labels are slanted so that long ones do not run together.
function vbars(svg, rows) {
  const width = +svg.getAttribute("width"), height = +svg.getAttribute("height"), bottom = 48, left = 10;
  const max = Math.max(1, ...rows.map(r => r[1]));
  const step = (width - left) / Math.max(1, rows.length);
  rows.forEach(([name, value], i) => {
    const h = (height - bottom - 16) * value / max, x = left + i * step;
    el("rect", { x: x + 3, y: height - bottom - h, width: step - 6, height: Math.max(value ? 1 : 0, h), fill: COLORS[0], "data-value": value }, svg, true);
    text(svg, x + step / 2, height - bottom - h - 3, String(value), "middle");
    const lx = x + step / 2 + 4, ly = height - bottom + 14;
    text(svg, lx, ly, name, "end").setAttribute("transform", `rotate(-30 ${lx} ${ly})`);
  });
  return rows.length;
}
// Every month from the first to the last with data, empty ones too (a gap is news), then
// whatever is not a month (the undated).
function monthRange(keys) {
  const dated = keys.filter(k => /^\d{4}-\d{2}$/.test(k)).sort();
  const rest = keys.filter(k => !/^\d{4}-\d{2}$/.test(k));
  if (!dated.length) return rest;
  const all = [];
  let [y, m] = dated[0].split("-").map(Number);
  const [ly, lm] = dated[dated.length - 1].split("-").map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    all.push(`${y}-${String(m).padStart(2, "0")}`);
    if (++m > 12) { m = 1; y++; }
  }
  return all.concat(rest);
}
function stacked(svg, months, legend) {
  const width = +svg.getAttribute("width"), height = +svg.getAttribute("height"), bottom = 30, left = 40;
  const names = monthRange(Object.keys(months));
  months = Object.fromEntries(names.map(m => [m, months[m] || {}]));
  const sites = [...new Set(names.flatMap(m => Object.keys(months[m])))];
  const totals = names.map(m => Object.values(months[m]).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const step = (width - left) / Math.max(1, names.length);
  const every = Math.ceil(names.length / 16);
  const undatedAt = names.findIndex(m => !/^\d{4}-\d{2}$/.test(m));
  let bars = 0;
  names.forEach((month, i) => {
    let y = height - bottom;
    sites.forEach((site, s) => {
      const n = months[month][site] || 0;
      if (!n) return;
      const h = (height - bottom - 10) * n / max;
      y -= h;
      const r = el("rect", { x: left + i * step + 1, y, width: Math.max(1, step - 2), height: h, fill: COLORS[s % COLORS.length], "data-value": n }, svg, true);
      el("title", {}, r, true).textContent = month + " " + site + ": " + n;
      bars++;
    });
    // Every few months a label, and the undated always; a month's label too near the
    // undated one is left out, so that the two do not run together.
    const dated = /^\d{4}-\d{2}$/.test(month);
    // The undated bar is the last: its label ends at the chart's edge rather than past it.
    if (!dated) text(svg, left + (i + 1) * step, height - bottom + 14, month, "end");
    else if (i % every === 0 && (undatedAt < 0 || undatedAt - i >= every)) text(svg, left + i * step + step / 2, height - bottom + 14, month, "middle");
  });
  text(svg, left - 4, 14, String(max), "end");
  text(svg, left - 4, height - bottom, "0", "end");
  sites.forEach((site, s) => {
    const span = el("span", {}, legend);
    el("i", { style: "background:" + COLORS[s % COLORS.length] }, span);
    span.appendChild(document.createTextNode(site));
  });
  return bars;
}
function table(id, rows) {
  const t = document.getElementById(id);
  if (!rows.length) rows = [["none", ""]];
  for (const row of rows.slice(0, 10)) {
    const tr = el("tr", {}, t);
    for (const cell of row) el("td", typeof cell === "number" ? { class: "n" } : {}, tr).textContent = String(cell);
  }
}
document.getElementById("dataset").textContent = data.dataset;
const summary = document.getElementById("summary");
for (const [label, value] of [["articles", data.articles], ["rejects", data.rejects], ["duplicates", data.duplicates], ["duplicate rate", (100 * data.duplicate_rate).toFixed(1) + "%"], ["sites", data.by_site.length], ["languages", data.by_lang.length]]) {
  const card = el("div", { class: "card" }, summary);
  el("b", {}, card).textContent = String(value);
  card.appendChild(document.createTextNode(label));
}
const drawn = [
  stacked(document.getElementById("chart-months"), data.by_month_and_site, document.getElementById("legend-months")),
  hbars(document.getElementById("chart-langs"), data.by_lang, v => String(v), 12),
  vbars(document.getElementById("chart-lengths"), data.text_length_histogram),
  hbars(document.getElementById("chart-nulls"), Object.entries(data.null_rate).sort((a, b) => b[1] - a[1]), v => (100 * v).toFixed(1) + "%", Infinity),
];
table("sites", data.by_site);
table("authors", data.by_author);
table("warnings", Object.entries(data.warnings_by_kind).sort((a, b) => b[1] - a[1]));
table("rejects", Object.entries(data.rejects_by_stage).flatMap(([stage, reasons]) => Object.entries(reasons).map(([reason, n]) => [stage + ": " + reason, n])));
table("largest", data.largest.map(t => [t.source_path, t.chars]));
table("smallest", data.smallest.map(t => [t.source_path, t.chars]));
// For tests and scripts: how many charts drew at least one mark.
document.body.dataset.chartsRendered = String(drawn.filter(n => n > 0).length);
</script>
</body>
</html>
"##;

impl Stats {
    /// The report as one HTML page that needs nothing but a browser.
    pub fn render_html(&self) -> String {
        let json = serde_json::to_string(self).expect("a report always serializes");
        // Inside <script>, `</` could close the element early: JSON allows `<\/` for it.
        PAGE.replace("__DATA__", &json.replace("</", "<\\/"))
    }
}

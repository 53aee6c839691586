// The page of the HTML report; @DATA@ is replaced by the results document.
#pragma once

namespace conformance::reports {

inline constexpr const char* kHtmlPage = R"PAGE(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>semget conformance report</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.5em; margin: 0 0 .3em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.pass { color: #1a7f37; } .fail, .error, .timeout, .crash, .xpass { color: #cf222e; font-weight: 600; }
.skip, .unsupported { color: #777; } .xfail { color: #9a6700; }
td.cell.bad { background: #ffebe9; } td.cell.good { background: #dafbe1; } td.cell.mixed { background: #fff8c5; }
details { border-bottom: 1px solid #eee; padding: .2em 0; } summary { cursor: pointer; }
.case-meta { margin: .4em 0 .4em 1.2em; } code { background: #f6f8fa; padding: 0 .2em; }
#filters label { margin-right: 1em; }
</style></head>
<body>
<h1>semget conformance report</h1>
<div id="totals"></div>
<h2>Areas &times; targets</h2>
<table id="matrix"></table>
<h2>Provenance</h2>
<table id="provenance"></table>
<h2>Cases</h2>
<div id="filters"></div>
<p id="shown"></p>
<div id="cases"></div>
<script type="application/json" id="results">@DATA@</script>
<script>
"use strict";
const doc = JSON.parse(document.getElementById("results").textContent);
const order = ["pass", "fail", "error", "timeout", "crash", "xfail", "xpass", "unsupported", "skip"];
const bad = new Set(["fail", "error", "timeout", "crash", "xpass"]);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const k of kids) e.append(k);
  return e;
};
const countsText = c => order.filter(o => c[o]).map(o => c[o] + " " + o).join(", ") || "-";
const areas = [], cells = {}, totals = {};
for (const t of doc.targets) {
  totals[t.target] = {};
  for (const c of t.cases) {
    if (!areas.includes(c.area)) areas.push(c.area);
    const key = c.area + "|" + t.target;
    cells[key] = cells[key] || {};
    cells[key][c.outcome] = (cells[key][c.outcome] || 0) + 1;
    totals[t.target][c.outcome] = (totals[t.target][c.outcome] || 0) + 1;
  }
}
const all = {};
for (const t of doc.targets) for (const [o, n] of Object.entries(totals[t.target])) all[o] = (all[o] || 0) + n;
document.getElementById("totals").append(el("p", {id: "total-line"}, countsText(all) + " across " + doc.targets.length + " target(s)"));
const m = document.getElementById("matrix");
m.append(el("tr", {}, el("th", {}, "area"), ...doc.targets.map(t => el("th", {}, t.target))));
for (const a of areas.concat(["total"])) {
  const row = el("tr", {}, el("th", {}, a));
  for (const t of doc.targets) {
    const c = a === "total" ? totals[t.target] : (cells[a + "|" + t.target] || {});
    const kind = Object.keys(c).some(o => bad.has(o)) ? "bad" : (c.xfail ? "mixed" : "good");
    row.append(el("td", {class: "cell " + kind, "data-cell": a + "|" + t.target}, countsText(c)));
  }
  m.append(row);
}
const p = document.getElementById("provenance");
const keys = [...new Set(doc.targets.flatMap(t => Object.keys(t.provenance || {})))];
p.append(el("tr", {}, el("th", {}, ""), ...doc.targets.map(t => el("th", {}, t.target))));
for (const k of keys) p.append(el("tr", {}, el("th", {}, k), ...doc.targets.map(t => el("td", {}, String((t.provenance || {})[k] ?? "")))));
const wanted = new Set(order);
const params = new URLSearchParams(location.hash.slice(1));
const hash = params.get("outcome"), open = (params.get("open") || "").split(",");
if (hash) { wanted.clear(); hash.split(",").forEach(o => wanted.add(o)); }
const f = document.getElementById("filters");
for (const o of order) {
  const box = el("input", {type: "checkbox", value: o, id: "show-" + o});
  box.checked = wanted.has(o);
  box.addEventListener("change", () => { box.checked ? wanted.add(o) : wanted.delete(o); applyFilter(); });
  f.append(el("label", {class: o}, box, " " + o));
}
const list = document.getElementById("cases");
for (const t of doc.targets) for (const c of t.cases) {
  const d = el("details", {"data-outcome": c.outcome, "data-id": c.id, "data-target": t.target});
  if (open.includes(c.id)) d.open = true;
  d.append(el("summary", {}, el("span", {class: c.outcome}, c.outcome.toUpperCase()), " ", el("code", {}, c.id), " " + c.title + " [" + t.target + "]"));
  const meta = el("div", {class: "case-meta"});
  meta.append(el("div", {}, "Spec: " + c.source + " (" + c.profile + ", area " + c.area + ")"));
  if (c.reason) meta.append(el("div", {}, "Reason: " + c.reason));
  if (c.checks.length) {
    const tb = el("table", {}, el("tr", {}, el("th", {}, "step"), el("th", {}, "check"), el("th", {}, "expected"), el("th", {}, "observed"), el("th", {}, "")));
    for (const k of c.checks) tb.append(el("tr", {}, el("td", {}, k.step), el("td", {}, k.what), el("td", {}, k.expected), el("td", {}, k.observed), el("td", {class: k.ok ? "pass" : "fail"}, k.ok ? "ok" : "FAIL")));
    meta.append(tb);
  }
  if ((c.calls || []).length) {
    const tb = el("table", {}, el("tr", {}, el("th", {}, "call"), el("th", {}, "returned")));
    for (const k of c.calls) tb.append(el("tr", {}, el("td", {}, `semget(${k.key}, ${k.nsems}, 0${k.semflg.toString(8)})`), el("td", {}, k.ret >= 0 ? String(k.ret) : "-1 " + k.errno)));
    meta.append(el("div", {}, "Calls made:"), tb);
  }
  d.append(meta);
  list.append(d);
}
function applyFilter() {
  let shown = 0;
  for (const d of list.children) { d.hidden = !wanted.has(d.dataset.outcome); shown += !d.hidden; }
  document.getElementById("shown").textContent = shown + " case(s) shown";
}
applyFilter();
</script>
</body></html>
)PAGE";

}  // namespace conformance::reports

/// The live preview's web page: one HTML file with its style and script, no external assets.
/// It shows the issue as spreads (right to left for right-bound editions), thumbnails to jump
/// to a page, zoom, the guides, the problems with the page each is on, and the source file of
/// the page in view. It listens to `/events` and swaps only the images whose hash changed, so
/// the page in view updates without a reload or a jump; a failed build shows its located errors
/// over the last good pages.
enum PreviewPage {
    static let html = #"""
<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<title>Folio preview</title>
<link rel="icon" href="data:,">
<style>
  :root { --bar: #20242b; --ink: #1d1d1f; --muted: #6b6f76; --accent: #bf1a1a; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 "Noto Sans CJK SC", system-ui, sans-serif; color: var(--ink); background: #e9eaec;
         display: grid; grid-template: "bar bar bar" auto "thumbs view side" 1fr / 150px 1fr 300px; height: 100vh; }
  header { grid-area: bar; background: var(--bar); color: #fff; display: flex; gap: 12px; align-items: center; padding: 6px 12px; }
  header h1 { font-size: 15px; margin: 0 12px 0 0; font-weight: 600; }
  header button, header label { background: #3a3f48; color: #fff; border: 0; border-radius: 4px; padding: 4px 10px; font: inherit; cursor: pointer; }
  header label input { margin-right: 4px; }
  #status { margin-left: auto; color: #b9bec7; font-size: 12px; }
  #thumbs { grid-area: thumbs; overflow-y: auto; padding: 8px; background: #d9dadd; }
  #thumbs figure { margin: 0 0 10px; text-align: center; cursor: pointer; position: relative; }
  #thumbs img { width: 100%; background: #fff; box-shadow: 0 1px 3px #0004; display: block; }
  #thumbs figure.current img { outline: 3px solid var(--accent); }
  #thumbs figcaption { font-size: 11px; color: var(--muted); }
  #thumbs .badge { position: absolute; top: 4px; right: 4px; background: #e8a400; color: #000; border-radius: 8px; font-size: 10px; padding: 0 5px; }
  #view { grid-area: view; overflow: auto; padding: 20px; }
  #spread { display: flex; justify-content: center; gap: 0; }
  #spread img { background: #fff; box-shadow: 0 2px 8px #0005; display: block; }
  #source { text-align: center; color: var(--muted); margin-top: 8px; font-size: 12px; }
  #side { grid-area: side; overflow-y: auto; background: #fff; border-left: 1px solid #ccc; padding: 10px; }
  #side h2 { font-size: 13px; margin: 4px 0 8px; }
  #problems li { margin-bottom: 8px; font-size: 12px; cursor: pointer; list-style: none; border-left: 3px solid #e8a400; padding-left: 6px; }
  #problems li.error { border-color: var(--accent); }
  #problems { padding: 0; margin: 0; }
  #errors { display: none; background: #fff0f0; border: 2px solid var(--accent); color: #600; padding: 10px; margin: 0 auto 12px; max-width: 900px; white-space: pre-wrap; font-family: monospace; font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1 id="title">Folio</h1>
  <button id="prev" title="previous spread">◀</button>
  <button id="next" title="next spread">▶</button>
  <button id="zoomOut" title="smaller">−</button>
  <button id="zoomIn" title="larger">+</button>
  <label><input type="checkbox" id="guides">guides</label>
  <label><input type="checkbox" id="spreads" checked>spreads</label>
  <span id="status">connecting…</span>
</header>
<nav id="thumbs"></nav>
<main id="view">
  <div id="errors"></div>
  <div id="spread"></div>
  <div id="source"></div>
</main>
<aside id="side"><h2>Problems</h2><ul id="problems"></ul></aside>
<script>
"use strict";
window.folioLoadedAt = Date.now();   // tests check that updates never reload the page
let data = { pages: [], problems: [], errors: [] };
let current = 1, dpi = 60;
const $ = (id) => document.getElementById(id);

function partner(n) {
  if (!$("spreads").checked || n === 1) return null;
  const other = n % 2 === 0 ? n + 1 : n - 1;
  return other >= 1 && other <= data.pages.length ? other : null;
}
function shown() {
  const p = partner(current);
  if (p === null) return [current];
  const pair = [Math.min(current, p), Math.max(current, p)];   // verso (even) left
  return data.right_to_left ? pair.reverse() : pair;
}
function src(n, d) {
  const page = data.pages[n - 1];
  return `/pages/${n}.png?dpi=${d}${$("guides").checked ? "&guides=1" : ""}&h=${page ? page.hash : ""}`;
}
function setSrc(img, url) { if (img.getAttribute("src") !== url) img.setAttribute("src", url); }

function renderSpread() {
  const box = $("spread");
  const want = shown();
  while (box.children.length > want.length) box.lastChild.remove();
  want.forEach((n, i) => {
    let img = box.children[i];
    if (!img) { img = document.createElement("img"); box.appendChild(img); }
    img.dataset.page = n;
    img.alt = "page " + n;
    setSrc(img, src(n, dpi));
  });
  $("source").textContent = want.map((n) => {
    const p = data.pages[n - 1];
    if (!p) return "";
    const file = p.source.split("/").pop();
    return `p. ${n}: ${file}${p.lines ? ":" + p.lines[0] + "–" + p.lines[1] : ""}`;
  }).join("   ·   ");
  document.querySelectorAll("#thumbs figure").forEach((f) => f.classList.toggle("current", want.includes(+f.dataset.page)));
}

function renderThumbs() {
  const box = $("thumbs");
  const counts = {};
  data.problems.forEach((p) => { if (p.page) counts[p.page] = (counts[p.page] || 0) + 1; });
  while (box.children.length > data.pages.length) box.lastChild.remove();
  data.pages.forEach((p, i) => {
    let fig = box.children[i];
    if (!fig) {
      fig = document.createElement("figure");
      fig.innerHTML = "<img><figcaption></figcaption>";
      fig.addEventListener("click", () => show(+fig.dataset.page));
      box.appendChild(fig);
    }
    fig.dataset.page = p.number;
    setSrc(fig.querySelector("img"), src(p.number, 14));
    fig.querySelector("figcaption").textContent = p.number + (p.article ? " · " + p.article : "");
    let badge = fig.querySelector(".badge");
    if (counts[p.number]) {
      if (!badge) { badge = document.createElement("span"); badge.className = "badge"; fig.appendChild(badge); }
      badge.textContent = counts[p.number];
    } else if (badge) badge.remove();
  });
}

function renderProblems() {
  const list = $("problems");
  list.innerHTML = "";
  const all = data.errors.map((e) => Object.assign({ error: true }, e)).concat(data.problems);
  if (all.length === 0) { list.innerHTML = "<li>none</li>"; }
  all.forEach((p) => {
    const li = document.createElement("li");
    if (p.error) li.className = "error";
    li.textContent = (p.page ? `p. ${p.page}: ` : "") + p.text;
    if (p.page) li.addEventListener("click", () => show(p.page));
    list.appendChild(li);
  });
  const errors = $("errors");
  errors.style.display = data.errors.length ? "block" : "none";
  errors.textContent = data.errors.length ? "The last edit does not build; showing the last good pages.\n\n" + data.errors.map((e) => e.text).join("\n") : "";
}

function show(n) {
  current = Math.max(1, Math.min(n, data.pages.length || 1));
  renderSpread();
  const fig = document.querySelector(`#thumbs figure[data-page="${current}"]`);
  if (fig) fig.scrollIntoView({ block: "nearest" });
}

let loads = 0;   // a reply to an earlier load that arrives after a later one's is dropped
async function load() {
  const mine = ++loads;
  const r = await fetch("/pages.json", { cache: "no-store" });
  const fresh = await r.json();
  if (mine !== loads) return;
  data = fresh;
  $("title").textContent = data.title || "Folio";
  document.title = (data.title || "Folio") + " — Folio preview";
  $("status").textContent = `${data.pages.length} pages · version ${data.version} · built in ${data.build_ms} ms`;
  if (current > data.pages.length) current = Math.max(1, data.pages.length);
  renderThumbs();
  renderSpread();
  renderProblems();
}

$("prev").onclick = () => show(shown()[0] - 1 - (partner(shown()[0] - 1) !== null ? 1 : 0));
$("next").onclick = () => show(Math.max(...shown()) + 1);
$("zoomIn").onclick = () => { dpi = Math.min(200, Math.round(dpi * 1.25)); renderSpread(); };
$("zoomOut").onclick = () => { dpi = Math.max(20, Math.round(dpi / 1.25)); renderSpread(); };
$("guides").onchange = () => renderSpread();
$("spreads").onchange = () => renderSpread();
document.addEventListener("keydown", (e) => {
  if (e.key === "ArrowRight" || e.key === "PageDown") $("next").click();
  if (e.key === "ArrowLeft" || e.key === "PageUp") $("prev").click();
});

const events = new EventSource("/events");
events.addEventListener("hello", () => { $("status").textContent = "connected"; load(); });
events.addEventListener("update", () => load());
events.onerror = () => { $("status").textContent = "disconnected — is folio serve running?"; };
load();
</script>
</body>
</html>
"""#
}

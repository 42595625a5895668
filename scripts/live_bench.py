#!/usr/bin/env python3
"""The live preview's figures (issue 16), for make bench: `folio serve` on an issue, then

- cold start: from starting the process to the first page's PNG received;
- a one-paragraph edit in an article in the middle of the issue: from saving the file to the
  changed page's PNG (110 dpi) received, median of RUNS edits;
- a figure placement change in the same article (its first image's title), to its first page's PNG;
- the server's peak memory (VmHWM) after the edits.

    python3 scripts/live_bench.py ISSUE.yaml ARTICLE.md [RUNS]
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The binary `make install` installs (make portable: Swift's runtime linked in, which also
# starts faster); FOLIO_BIN overrides it.
FOLIO = os.environ.get("FOLIO_BIN") or os.path.join(ROOT, ".build-portable/release/folio")


def get(url):
    return urllib.request.urlopen(url).read()


def measure(issue, article, runs=5):
    start = time.perf_counter()
    proc = subprocess.Popen([FOLIO, "serve", issue, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not m:
            sys.exit("live_bench: folio serve did not start: " + line)
        url = "http://127.0.0.1:%s/" % m.group(1)
        get(url + "pages/1.png?dpi=110")
        cold = time.perf_counter() - start
        name = os.path.splitext(os.path.basename(article))[0]
        with open(article, encoding="utf-8") as f:
            original = f.read()
        def save_and_wait(text):
            """Writes `text` to the article; returns the new state once the server has rebuilt, and when the save was made."""
            version = json.loads(get(url + "pages.json"))["version"]
            t0 = time.perf_counter()
            with open(article, "w", encoding="utf-8") as f:
                f.write(text)
            while True:
                state = json.loads(get(url + "pages.json"))
                if state["version"] > version:
                    return state, t0
                time.sleep(0.002)

        body = original.index("\n---\n", 4) + 5 if original.startswith("---\n") else 0
        edits, builds, figure = [], [], []
        try:
            for k in range(runs):
                before = {p["number"]: p["hash"] for p in json.loads(get(url + "pages.json"))["pages"]}
                # One paragraph changes: a sentence added to the article's first body paragraph
                # (after the front matter: its deck is shown on the contents page too).
                state, t0 = save_and_wait(original[:body] + original[body:].replace("。", "。这是第%d次修改。" % (k + 1), 1))
                changed = [p["number"] for p in state["pages"] if before.get(p["number"]) != p["hash"] and p["article"] == name]
                if changed:
                    get(url + "pages/%d.png?dpi=110" % changed[0])
                edits.append(time.perf_counter() - t0)
                builds.append(state["build_ms"] / 1000)
            # A figure's placement changes (the first image's title becomes "top", then "span").
            m = re.search(r'(!\[[^\]]*\]\([^ )]+)( "[^"]*")?\)', original)
            for k in range(runs if m else 0):
                title = ' "top"' if k % 2 == 0 else ' "span"'
                before = {p["number"]: p["hash"] for p in json.loads(get(url + "pages.json"))["pages"]}
                state, t0 = save_and_wait(original[:m.start()] + m.group(1) + title + ")" + original[m.end():])
                changed = [p["number"] for p in state["pages"] if before.get(p["number"]) != p["hash"] and p["article"] == name]
                if changed:
                    # The two placements alternate, and the server keeps the PNGs of both: a
                    # resolution of its own each time (110.000k dpi) makes every one a new drawing.
                    get(url + "pages/%d.png?dpi=110.%03d" % (changed[0], k + 1))
                figure.append(time.perf_counter() - t0)
        finally:
            with open(article, "w", encoding="utf-8") as f:
                f.write(original)
        with open("/proc/%d/status" % proc.pid) as f:
            peak = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1)) / 1024
        return {"pages": len(state["pages"]), "cold_start_s": cold, "edit_to_png_s": statistics.median(edits),
                "rebuild_s": statistics.median(builds), "peak_rss_mb": peak,
                "figure_move_to_png_s": statistics.median(figure) if figure else None}
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    r = measure(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 5)
    print(json.dumps(r, indent=1))

#!/usr/bin/env python3
"""The Chinese body-text figures of issue 12, measured by pdfcheck on the sample issue and on
two long generated texts (scripts/make_novella.py, seeds 1 and 2, 16,000 characters each).

    python3 scripts/chinese_figures.py [FOLIO] [--template T] [--greedy] [--json OUT]

--greedy measures the same documents with the first-fit breaker (the template's
`typography.breaker: greedy`), for comparison with total fit.

Prints one row per document and a total, and exits 1 if a target is missed (so `make bench`
shows a regression): punct_adjacent 0, punct_line_end full 0, letterspacing ≤ 0.5 % of lines
and none ≥ 0.10 em, han_latin_spacing loose 0 and none 0, ideographic_space 0,
heading_at_foot 0, short_columns 0, and kinsoku 0, ragged 0, runts 0, overflow 0,
overlapping 0, baseline grid 100 %.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PDFCHECK = os.path.join(ROOT, "..", "shared", "tools", "pdfcheck")


def measure(folio, source, pdf, extra):
    subprocess.run([folio, "render", source, "-o", pdf] + extra, check=True, stdout=subprocess.DEVNULL)
    out = subprocess.run([sys.executable, PDFCHECK, pdf, "--json"], check=True, capture_output=True, text=True).stdout
    m = json.loads(out)["metrics"]
    return {
        "lines": m["letterspacing"]["lines"],
        "letterspaced": m["letterspacing"]["count"],
        "letterspaced_max_em": m["letterspacing"]["max_em"] or 0,
        "letterspaced_0_10": m["letterspacing"]["very_loose"],
        "punct_adjacent": m["punct_adjacent"]["count"],
        "punct_line_end_full": m["punct_line_end"]["full"],
        "han_latin_loose": m["han_latin_spacing"]["loose"],
        "han_latin_none": m["han_latin_spacing"]["none"],
        "ideographic_space": m["ideographic_space"]["count"],
        "heading_at_foot": m["heading_at_foot"]["count"],
        "short_columns": m["short_columns"]["count"],
        "kinsoku": m["kinsoku_start"]["count"] + m["kinsoku_end"]["count"],
        "ragged": m["ragged_justified"]["count"],
        "runts": m["runts"]["count"],
        "overflow": m["overflow"]["count"],
        "overlapping": m["overlapping"]["count"],
        "grid": m["baseline_grid"].get("share", 1.0),
    }


def main():
    args = sys.argv[1:]
    folio = args[0] if args and not args[0].startswith("--") else os.path.join(ROOT, ".build/release/folio")
    extra = ["--template", args[args.index("--template") + 1]] if "--template" in args else []
    out = os.path.join(ROOT, "out", "chinese-greedy" if "--greedy" in args else "chinese")
    os.makedirs(out, exist_ok=True)
    if "--greedy" in args:
        template = extra[1] if extra else os.path.join(ROOT, "layouts/magazine-16k.yaml")
        greedy = os.path.join(out, "greedy.yaml")
        with open(template) as f, open(greedy, "w") as g:
            g.write(f.read().replace("breaker: total-fit", "breaker: greedy"))
        extra = ["--template", greedy, "--fonts", os.path.join(ROOT, "fonts")]
    docs = [("sample issue", os.path.join(ROOT, "examples/sample-issue/issue.yaml"))]
    for seed in (1, 2):
        path = os.path.join(out, "novella-%d.md" % seed)
        with open(path, "w") as f:
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts/make_novella.py"), str(seed), "16000"], stdout=f, check=True)
        docs.append(("novella %d" % seed, path))
    rows = [(name, measure(folio, src, os.path.join(out, name.replace(" ", "-") + ".pdf"), extra)) for name, src in docs]
    total = {k: sum(r[k] for _, r in rows) for k in rows[0][1] if k not in ("letterspaced_max_em", "grid")}
    total["letterspaced_max_em"] = max(r["letterspaced_max_em"] for _, r in rows)
    total["grid"] = min(r["grid"] for _, r in rows)
    rows.append(("total", total))
    keys = ["lines", "letterspaced", "letterspaced_max_em", "punct_adjacent", "punct_line_end_full", "han_latin_loose",
            "ideographic_space", "heading_at_foot", "short_columns", "kinsoku", "ragged", "runts", "overflow", "overlapping"]
    print("%-13s" % "document" + "".join("%10s" % k[:9] for k in keys))
    for name, r in rows:
        print("%-13s" % name + "".join("%10s" % (("%.3f" % r[k]) if isinstance(r[k], float) else r[k]) for k in keys))
    share = total["letterspaced"] / max(1, total["lines"])
    misses = [k for k in ["punct_adjacent", "punct_line_end_full", "han_latin_loose", "han_latin_none", "ideographic_space",
                          "heading_at_foot", "short_columns", "kinsoku", "ragged", "runts", "overflow", "overlapping",
                          "letterspaced_0_10"] if total[k] > 0]
    if share > 0.005:
        misses.append("letterspaced share %.2f %% > 0.5 %%" % (100 * share))
    if total["grid"] < 1.0:
        misses.append("grid")
    print("letterspaced lines: %.2f %% of %d; targets %s" % (100 * share, total["lines"], "met" if not misses else "NOT met: " + ", ".join(misses)))
    if "--json" in args:
        with open(args[args.index("--json") + 1], "w") as f:
            json.dump({name: r for name, r in rows}, f, indent=1)
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Fit the choice between the rules' and the labeller's cut of a page (src/layout/choice.rs).

    python3 scripts/fit_choice.py fit SET [SET...]      # prints WEIGHTS and BIAS for choice.rs
    python3 scripts/fit_choice.py write SET [SET...]    # the same, written into choice.rs
    python3 scripts/fit_choice.py score SET [SET...]    # the yardsticks under the choice in choice.rs

A SET is TRUTH,DIR[,WEIGHT]: TRUTH is a reference in the format of score_segmentation.py; DIR
holds `choices.tsv` (written by `kanbao bench --layout PAGES --out DIR`, under DIR/layout/) and
the two cuts exported alone (`KANBAO_LAYOUT=rules kanbao --archive PAGES export >
DIR/rules.jsonl`, the same with `labeller`); WEIGHT (default 1) multiplies that set's pages in
the fit. WEIGHT `keep` is for pages the choice must get right: those sets all get the smallest
weight of 5, 10, 20, 30, 50, 70, 100, 200 under which the fitted choice scores 1.00 on every
yardstick of each of them. scripts/train_layout.sh makes the sets and runs the fit.

Each page whose two cuts score differently is one example: the target is whether the
labeller's cut is the better one, its weight how much better (articles found, titles and joins
right, articles made up: the page's share of the yardsticks). Pages with Markdown headings of
two levels or more are left out (the rules read them, whatever the choice: `choices.tsv` says
which, column `rules_only`). The fit is an L2-regularised logistic
regression on standardised features, solved by Newton's method; the weights are printed
unstandardised, for the features as `choice::features` computes them.

The gate (`GATE_WEIGHTS`, `GATE_BIAS`, `GATE_MARGIN`) is the same fit on the labeller's own
figures alone (`LABELLER_SIDE`, the same weight for the pages to keep right): where its log-odds
is above the margin, the labeller's cut is taken without running the rules (a quarter of the
analysis time). The margin is the smallest of `MARGINS` under which the pages to keep right stay
perfect and the utility of every other set (articles found, titles and joins right, articles
made up, summed over its pages) is at least the full choice's. With no such margin the gate is
written with a margin of 1e9: it never leaves the rules out.
"""
import csv
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("KANBAO_SHARED", os.path.join(HERE, "..", "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "eval"))
import score_segmentation as S  # noqa: E402

L2 = float(os.environ.get("FIT_L2", "1.0"))
# FIT_FEATURES=a,b,c fits on those features only (the others get weight 0)
ONLY = [f for f in os.environ.get("FIT_FEATURES", "").split(",") if f]


def load(path):
    preds = {}
    for line in open(path, encoding="utf-8"):
        p = json.loads(line)
        if p.get("kind", "article") == "fragment":
            continue
        preds.setdefault(os.path.basename(p["source"]), []).append(p)
    return preds


def utility(c):
    false = c["preds"] - c["neutral"] - c["matched"]
    return c["matched"] + c["titles"] + c["joins"] - c["joins_total"] - false


def read_set(spec):
    parts = spec.split(",")
    truthf, d = parts[0], parts[1]
    weight = parts[2] if len(parts) > 2 else "1"
    weight = weight if weight == "keep" else float(weight)
    truth = json.load(open(truthf, encoding="utf-8"))["issues"]
    rules, lab = load(os.path.join(d, "rules.jsonl")), load(os.path.join(d, "labeller.jsonl"))
    rows = list(csv.DictReader(open(os.path.join(d, "choices.tsv"), encoding="utf-8"), delimiter="\t"))
    names = list(rows[0].keys())[5:]
    pages = []
    for row in rows:
        n = os.path.basename(row["file"])
        if n not in truth:
            continue
        cr, _ = S.score_issue(n, truth[n], rules.get(n, []))
        cl, _ = S.score_issue(n, truth[n], lab.get(n, []))
        x = [float(row[k]) for k in names]
        pages.append(dict(name=n, x=x, cr=cr, cl=cl, md=row["rules_only"] == "1",
                          ra=len(rules.get(n, [])), la=len(lab.get(n, []))))
    return names, weight, pages


def solve(a, b):
    """Gaussian elimination with partial pivoting: a x = b."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[c][c] != 0:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] if m[i][i] else 0.0 for i in range(n)]


GRID = [5, 10, 20, 30, 50, 70, 100, 200]
# the figures of the labeller's cut alone (choice::features), which the gate may use
LABELLER_SIDE = ["coh_l_per", "match_l", "byline_l", "untitled_l", "blank_share", "two_bylines_l"]
MARGINS = [x / 2 for x in range(0, 21)]


def gate_skips_rules(p, gate):
    """Whether the gate takes the labeller's cut of a page without the rules' (never a cut
    without articles: choice::rules_needed)."""
    gw, gb, margin = gate
    return not p["md"] and p["la"] > 0 and gb + sum(w * x for w, x in zip(gw, p["x"])) > margin


def takes_labeller(p, weights, bias, gate=None):
    """Whether the choice (with the gate, when given) takes the labeller's cut of a page (a cut
    without articles never against one with articles: choice::prefer_labeller)."""
    if p["md"] or (p["la"] == 0 and p["ra"] > 0):
        return False
    if gate is not None and gate_skips_rules(p, gate):
        return True
    return bias + sum(w * x for w, x in zip(weights, p["x"])) > 0


def fit_gate(sets, weights, bias, k):
    """The gate: a fit on the labeller's figures alone, and the smallest margin of MARGINS that
    keeps the `keep` sets perfect and no other set's utility below the full choice's."""
    names = sets[0][0]
    saved = ONLY[:]
    ONLY[:] = [n for n in LABELLER_SIDE if n in names]
    try:
        gw, gb = fit([(n, k if w == "keep" else w, pages) for n, w, pages in sets])
    finally:
        ONLY[:] = saved
    for margin in MARGINS:
        gate = (gw, gb, margin)
        ok = True
        for _, w, pages in sets:
            took = [takes_labeller(p, weights, bias, gate) for p in pages]
            if w == "keep":
                ok &= perfect(pages, weights, bias, gate)
            else:
                full = sum(utility(p["cl"] if takes_labeller(p, weights, bias) else p["cr"]) for p in pages)
                gated = sum(utility(p["cl"] if t else p["cr"]) for p, t in zip(pages, took))
                ok &= gated >= full
        if ok:
            return gw, gb, margin
    return gw, gb, float("inf")


def perfect(pages, weights, bias, gate=None):
    """Whether the choice scores 1.00 on every yardstick of these pages."""
    tot = {}
    for p in pages:
        lab = takes_labeller(p, weights, bias, gate)
        for f, v in (p["cl"] if lab else p["cr"]).items():
            tot[f] = tot.get(f, 0) + v
    return (tot["matched"] == tot["refs"] and tot["titles"] == tot["refs"]
            and tot["bylines"] == tot["bylines_total"] and tot["joins"] == tot["joins_total"]
            and tot["preds"] - tot["neutral"] == tot["matched"])


def fit_keeping(sets):
    """[`fit`], with the `keep` sets weighted by the smallest weight of GRID that keeps them
    perfect (the largest if none does). Returns the weights, the bias and the weight taken."""
    for k in GRID:
        given = [(n, k if w == "keep" else w, pages) for n, w, pages in sets]
        weights, bias = fit(given)
        if all(perfect(pages, weights, bias) for _, w, pages in sets if w == "keep"):
            return weights, bias, k
    return weights, bias, GRID[-1]


def fit(sets):
    names = sets[0][0]
    keep = [j for j, n in enumerate(names) if not ONLY or n in ONLY]
    xs, ys, ws = [], [], []
    for _, weight, pages in sets:
        for p in pages:
            ur, ul = utility(p["cr"]), utility(p["cl"])
            if p["md"] or ur == ul:
                continue
            xs.append([p["x"][j] for j in keep])
            ys.append(1.0 if ul > ur else 0.0)
            ws.append(weight * abs(ul - ur))
    k = len(xs[0])
    tw = sum(ws)
    mean = [sum(w * x[j] for x, w in zip(xs, ws)) / tw for j in range(k)]
    sd = [math.sqrt(sum(w * (x[j] - mean[j]) ** 2 for x, w in zip(xs, ws)) / tw) or 1.0 for j in range(k)]
    zs = [[1.0] + [(x[j] - mean[j]) / sd[j] for j in range(k)] for x in xs]
    beta = [0.0] * (k + 1)
    for _ in range(50):
        grad = [0.0] * (k + 1)
        hess = [[0.0] * (k + 1) for _ in range(k + 1)]
        for z, y, w in zip(zs, ys, ws):
            w = w / tw * len(zs)
            t = sum(b * v for b, v in zip(beta, z))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, t))))
            for i in range(k + 1):
                grad[i] += w * (p - y) * z[i]
                for j in range(k + 1):
                    hess[i][j] += w * p * (1 - p) * z[i] * z[j]
        for i in range(1, k + 1):
            grad[i] += L2 * beta[i]
            hess[i][i] += L2
        step = solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    weights = [0.0] * len(names)
    for j, f in enumerate(keep):
        weights[f] = beta[j + 1] / sd[j]
    bias = beta[0] - sum(beta[j + 1] * mean[j] / sd[j] for j in range(k))
    return weights, bias


def rust_weights(prefix=""):
    src = open(os.path.join(HERE, "..", "src", "layout", "choice.rs"), encoding="utf-8").read()
    w = src.split("pub const %sWEIGHTS: [f64; " % prefix)[1].split("= [", 1)[1].split("];", 1)[0]
    b = src.split("pub const %sBIAS: f64 = " % prefix)[1].split(";", 1)[0]
    values = " ".join(line.split("//")[0] for line in w.splitlines())
    return [float(v) for v in values.split(",") if v.strip()], float(b)


def rust_gate():
    src = open(os.path.join(HERE, "..", "src", "layout", "choice.rs"), encoding="utf-8").read()
    margin = float(src.split("pub const GATE_MARGIN: f64 = ")[1].split(";", 1)[0])
    return rust_weights("GATE_") + (margin,)


def weights_text(prefix, names, weights, bias):
    text = "pub const %sWEIGHTS: [f64; %d] = [\n" % (prefix, len(weights))
    values = ["%.6f," % w for w in weights]
    width = max(len(v) for v in values)
    for n, v in zip(names, values):
        # trailing comments aligned, as rustfmt leaves them
        text += "    %s // %s\n" % (v.ljust(width), n)
    return text + "];\n/// The constant term of that log-odds.\npub const %sBIAS: f64 = %.6f;\n" % (prefix, bias)


def summary(tot):
    r = lambda a, b: 1.0 if b == 0 else a / b  # noqa: E731
    return "recall=%.3f precision=%.3f titles=%.3f bylines=%.3f joins=%.3f" % (
        r(tot["matched"], tot["refs"]), r(tot["matched"], tot["preds"] - tot["neutral"]),
        r(tot["titles"], tot["refs"]), r(tot["bylines"], tot["bylines_total"]),
        r(tot["joins"], tot["joins_total"]))


def score(sets, weights, bias, gate):
    for (spec, (_, _, pages)) in sets:
        tots = {k: {} for k in ("rules", "labeller", "choice", "gated", "best")}
        took = gated = skipped = 0
        for p in pages:
            lab = takes_labeller(p, weights, bias)
            glab = takes_labeller(p, weights, bias, gate)
            took += lab
            gated += glab
            skipped += gate_skips_rules(p, gate)
            best = p["cl"] if utility(p["cl"]) > utility(p["cr"]) else p["cr"]
            for k, c in (("rules", p["cr"]), ("labeller", p["cl"]), ("choice", p["cl"] if lab else p["cr"]),
                         ("gated", p["cl"] if glab else p["cr"]), ("best", best)):
                for f, v in c.items():
                    tots[k][f] = tots[k].get(f, 0) + v
        print("%s (%d pages, labeller taken on %d; with the gate on %d, the rules not run on %d)" % (
            spec.split(",")[1], len(pages), took, gated, skipped))
        for k, v in tots.items():
            print("  %-9s %s" % (k, summary(v)))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("fit", "write", "score"):
        sys.exit(__doc__)
    specs = sys.argv[2:]
    sets = [read_set(s) for s in specs]
    names = sets[0][0]
    if sys.argv[1] in ("fit", "write"):
        weights, bias, k = fit_keeping(sets)
        if any(w == "keep" for _, w, _ in sets):
            print("// pages to keep right weighted %d" % k)
        gate = fit_gate(sets, weights, bias, k)
        text = weights_text("", names, weights, bias)
        gate_text = weights_text("GATE_", names, gate[0], gate[1])
        gate_text += "/// Above this log-odds of [`GATE_WEIGHTS`] the rules are not run.\n"
        gate_text += "pub const GATE_MARGIN: f64 = %.1f;\n" % min(gate[2], 1e9)
        print(text + gate_text, end="")
        if sys.argv[1] == "write":
            path = os.path.join(HERE, "..", "src", "layout", "choice.rs")
            src = open(path, encoding="utf-8").read()
            for start, end, t in (("pub const WEIGHTS: [f64; ", "pub const BIAS: f64 = ", text),
                                  ("pub const GATE_WEIGHTS: [f64; ", "pub const GATE_MARGIN: f64 = ", gate_text)):
                a = src.index(start)
                b = src.index("\n", src.index(end)) + 1
                src = src[:a] + t + src[b:]
            open(path, "w", encoding="utf-8").write(src)
            print("written to", os.path.normpath(path))
    else:
        weights, bias = rust_weights()
        gate = rust_gate()
    score(list(zip(specs, sets)), weights, bias, gate)


if __name__ == "__main__":
    main()

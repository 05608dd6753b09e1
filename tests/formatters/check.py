"""Checks rewrites of a filled review (tests/formatters/run.sh): each must
be rewritten, lint clean, export the review's goals, and report canon
text edited in each kind of quote as canon drift. A rewrite named
`wrapped:FILE` has its rows wrapped over several lines: its findings
must all be `wrapped-row`, and after `goalframe lint --fix` the same
checks hold. A rewrite named `unread:FILE` is in a markdown goalframe
does not read (pandoc's own): each of its frames' headings must be
`unread-heading`, with nothing else, and export must refuse it.

usage: check.py GOALFRAME REVIEW REWRITE...
"""
import json
import subprocess
import sys

goalframe, review, rewrites = sys.argv[1], sys.argv[2], sys.argv[3:]
R1 = "Manages the entire sales cycle"
R3 = "Maintains an accurate sales pipeline"


def run(*args):
    return subprocess.run([goalframe, *args], capture_output=True, text=True)


def goals(path):
    out = run("export", "--format", "json", path)
    if out.returncode != 0:
        return f"export exited {out.returncode}: {out.stderr.strip().splitlines()[-1]}"
    return [{k: v for k, v in g.items() if k != "path"} for g in json.loads(out.stdout)["goals"]]


def findings(path):
    out = run("lint", "--format", "json", "--fail-on", "never", path)
    return json.loads(out.stdout)["findings"]


def scorecard_row(text):
    # The scorecard's row of R3 is its last quote.
    at = text.rindex('"' + R3)
    return text[:at] + '"Daily: ' + text[at + 1:]


EDITS = {
    "Deliver": lambda t: t.replace('Deliver: "' + R1, 'Deliver: "Loosely ' + R1, 1),
    "tied to": lambda t: t.replace('tied to: "' + R1, 'tied to: "Loosely ' + R1, 1),
    "Achievable rubric": lambda t: t.replace('solving rubric: "', 'solving rubric: "Loosely ', 1),
    "MBO standard": lambda t: t.replace('application rubric: "', 'application rubric: "Loosely ', 1),
    "bar": lambda t: t.replace('bar: "', 'bar: "Mostly ', 1),
    "scorecard row": scorecard_row,
}

want = goals(review)
assert isinstance(want, list) and len(want) == 26, f"the review as rendered: {want}"
original = open(review, encoding="utf-8").read()
bad = []
# The frames' headings (`Goal templates` holds no goals of its own).
headings = sum(1 for line in original.splitlines() if line.startswith("## ") and " — " in line)
for path in rewrites:
    if path.startswith("unread:"):
        path = path.removeprefix("unread:")
        codes = [f["code"] for f in findings(path)]
        if codes != ["unread-heading"] * headings:
            bad.append(f"{path}: {headings} unread headings wanted, it gave {codes}")
        out = run("export", "--format", "json", path)
        if out.returncode != 1 or out.stdout or "not read" not in out.stderr:
            bad.append(f"{path}: export exited {out.returncode}, wrote {out.stdout!r}: {out.stderr}")
        print(f"ok: {path}" if not any(b.startswith(path) for b in bad) else f"FAILED: {path}")
        continue
    if path.startswith("wrapped:"):
        path = path.removeprefix("wrapped:")
        codes = {f["code"] for f in findings(path)}
        if codes != {"wrapped-row"}:
            bad.append(f"{path}: wrapped, it gave {sorted(codes)}, not only wrapped-row")
        fixed = run("lint", "--fix", "--fail-on", "never", path)
        if fixed.returncode != 0:
            bad.append(f"{path}: lint --fix exited {fixed.returncode}: {fixed.stderr}")
    text = open(path, encoding="utf-8").read()
    if text == original:
        bad.append(f"{path}: the tool changed nothing, so it tests nothing")
        continue
    if found := findings(path):
        bad.append(f"{path}: findings {[(f['line'], f['code'], f['message']) for f in found]}")
    if (got := goals(path)) != want:
        bad.append(f"{path}: the goals differ from the review's:\n  {got}")
    for quote, edit in EDITS.items():
        edited = edit(text)
        if edited == text:
            bad.append(f"{path}: no {quote} quote to edit")
            continue
        with open("edited.md", "w", encoding="utf-8") as f:
            f.write(edited)
        codes = [f["code"] for f in findings("edited.md")]
        if codes != ["canon-drift"]:
            bad.append(f"{path}: canon text edited in the {quote} quote gave {codes}")
    print(f"ok: {path}" if not any(b.startswith(path) for b in bad) else f"FAILED: {path}")
if bad:
    sys.exit("\n".join(bad))

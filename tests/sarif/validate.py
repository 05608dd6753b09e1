"""Validates a goalframe SARIF log with sarif-pydantic and sarif-tools.

Usage: validate.py LOG SARIF_TOOL
Prints one line per check and a closing `N passed, N failed` line.
"""

import json
import subprocess
import sys

import sarif_pydantic

log_path, sarif_tool = sys.argv[1], sys.argv[2]
checks = []


def check(name, ok, detail=""):
    checks.append(ok)
    print(("ok   " if ok else "FAIL ") + name + (f": {detail}" if detail and not ok else ""))


with open(log_path, encoding="utf-8") as f:
    raw = json.load(f)

try:
    log = sarif_pydantic.Sarif.model_validate(raw)
    check("validates against the SARIF 2.1.0 object model", True)
except Exception as e:  # the validation error is the detail to show
    log = None
    check("validates against the SARIF 2.1.0 object model", False, str(e)[:500])

if log is not None:
    run = log.runs[0]
    check("one run by goalframe", len(log.runs) == 1 and run.tool.driver.name == "goalframe")
    rules = run.tool.driver.rules or []
    rule_ids = [r.id for r in rules]
    codes = [
        "unfilled-placeholder", "unknown-role", "unknown-level", "canon-drift",
        "unmeasurable-target", "invalid-date", "date-outside-cycle", "date-mismatch",
        "baseline-equals-target", "template-drift", "wrapped-row", "unread-heading", "duplicate-frame", "invalid-metadata",
        "hidden-character",
    ]
    check("one rule per diagnostic code", rule_ids == codes, str(rule_ids))
    check("every rule has help text", all(r.help and r.help.text for r in rules))
    results = run.results or []
    check("every result names a known rule and a location", all(r.rule_id in rule_ids and r.locations for r in results))

summary = subprocess.run([sarif_tool, "summary", log_path], capture_output=True, text=True)
check("sarif-tools loads it", summary.returncode == 0, summary.stderr)
expected = sum(1 for r in raw["runs"][0]["results"] if r["level"] == "warning")
check("sarif-tools counts every warning", f"warning: {expected}" in summary.stdout, summary.stdout)

failed = checks.count(False)
print(f"{len(checks) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)

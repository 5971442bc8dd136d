"""Runs the numbers above do not use or could not get: repeated because a pod was
unschedulable, kept although disturbed, and benchmarks that failed."""

from figures.layout import all_runs


def discarded(view):
    return [{"what": d["what"], "flavor": d.get("flavor"), "disturbed": d["run"].get("disturbed") or [],
             "total": d["run"].get("total")} for d in view["discarded"]]


def flagged(view):
    """Runs kept although disturbed (their retries were disturbed too)."""
    return [{"flavor": name, "kind": x.get("kind", "run"), "index": x.get("index")}
            for name, _key, x in all_runs(view) if x.get("disturbed")]


def errors(view):
    return [{"benchmark": e["benchmark"], "flavor": e.get("flavor"), "error": e["error"].splitlines()[0][:300]
             if e["error"] else ""} for e in view["errors"]]

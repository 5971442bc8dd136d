"""The speed goals the document holds the collection to, and verdicts against them."""

import collections

# kind: "max" (at most the limit), "below" (strictly under it), "min" (at least the limit).
# unit and digits say how the margin is shown; met_digits when a met margin needs fewer.
Goal = collections.namedtuple("Goal", "limit kind unit digits met_digits text")

GOALS = {
    "ttr": Goal(1.05, "max", "x", 2, 2, "<= 1.05x"),
    "verify": Goal(3.0, "max", " s", 1, 1, "<= 3 s"),
    "rerun": Goal(0.10, "max", "", 3, 3, "<= 0.10 with changed=0"),
    "wait": Goal(1.0, "below", " s", 3, 2, "< 1 s"),
    "clone": Goal(0.7, "min", "", 2, 2, ">= 0.7"),
}


def verdict(value, goal):
    """{"status": met | missed | not measured, "margin": distance to the limit (positive),
    "percent": the miss in percent of the limit}."""
    if value is None:
        return {"status": "not measured", "margin": None, "percent": None}
    if goal.kind == "min":
        met, margin = value >= goal.limit, abs(value - goal.limit)
    elif goal.kind == "below":
        met, margin = value < goal.limit, abs(goal.limit - value)
    else:
        met, margin = value <= goal.limit, abs(goal.limit - value)
    return {"status": "met" if met else "missed", "margin": margin,
            "percent": None if met else 100.0 * margin / goal.limit}


def rerun_verdict(fraction, runs):
    """A no-change re-run meets its goal only when it is fast enough and changed nothing."""
    out = verdict(fraction, GOALS["rerun"])
    out["changed"] = [(x["index"], x["changed_total"]) for x in runs if x.get("changed_total")]
    if out["changed"] and out["status"] == "met":
        out.update(status="missed", margin=None, percent=None)
    return out

"""Benchmark 2, the no-change re-run (the second site.yml run on the same deployment) as a
fraction of the first: the fraction, whether anything changed, the median run's profile, what
module start-up costs, and the numbers behind the closing note."""

from figures.common import med, median_run, module_tasks, rel, task_profile, task_time
from figures.goals import GOALS, rerun_verdict

VERIFY_ACTIONS = ("statefulset_wait", "replication_check")


def import_costs(imports):
    """The module start-up profile: median seconds per import line, and what the typed
    clients add over the dynamic one; None without the three cases bench.py measures."""
    if len(imports or []) < 3:
        return None
    return {"rows": [(x["code"], x["median_s"]) for x in imports], "repeat": len(imports[0].get("runs") or []),
            "delta": imports[2]["median_s"] - imports[1]["median_s"]}


def startup_rows(run):
    """Per module task that reports its own `elapsed`: time in the task against that."""
    rows = []
    for t in module_tasks(run):
        elapsed = (t.get("result") or {}).get("elapsed")
        if elapsed is not None:
            d = t["end"] - t["start"]
            rows.append({"name": t["name"], "action": t["action"], "task": d, "elapsed": elapsed,
                         "startup": d - elapsed})
    return rows


def verification_tasks(mods):
    """The wait's and the check's time in their tasks and their own elapsed."""
    out = {}
    for key, action in (("wait", "statefulset_wait"), ("check", "replication_check")):
        tasks = [t for t in mods if t["action"].endswith(action)]
        # The last of each: verify.yml's (site.yml may wait once more before it, for a roll).
        out[key + "_task"] = (tasks[-1]["end"] - tasks[-1]["start"]) if tasks else None
        out[key + "_elapsed"] = ((tasks[-1].get("result") or {}) if tasks else {}).get("elapsed")
    return out


def rerun_profile(m):
    mods = module_tasks(m)
    finished = [t["end"] for t in m.get("tasks") or [] if t.get("end")]
    tail = m["t_end"] - max(finished) if finished else None
    loaded = rel(m.get("loaded"), m["t0"])
    mod_time = task_time(mods)
    out = {"index": m["index"], "total": m["total"], "tasks": task_profile(m, min_s=0.05), "modules": len(mods),
           "module_time": mod_time, "loaded": loaded, "tail": tail,
           "rest": m["total"] - mod_time - (loaded or 0) - (tail or 0), "startup": startup_rows(m)}
    out.update(verification_tasks(mods))
    return out, mods


def rerun_note(frac, first, profile, mods, changed):
    """What a re-run changed and what it spends beyond the goal, with an estimate of reading
    and applying once; None when it met the goal."""
    over = frac is not None and frac > GOALS["rerun"].limit
    if not over and not changed:
        return None
    pre = [t for t in mods if not t["action"].endswith(VERIFY_ACTIONS)]
    mean_pre = task_time(pre) / len(pre) if pre else 0
    saving = max(0, len(pre) - 2) * mean_pre
    estimate = profile["total"] - saving
    return {"allowed": GOALS["rerun"].limit * first, "api_tasks": len(pre), "mean": mean_pre, "saving": saving,
            "estimate": estimate, "estimate_fraction": estimate / first,
            "polls": profile["check_elapsed"] is not None and profile["check_elapsed"] >= 1.0,
            "over": over, "changed": changed}


def rerun(runs, imports):
    """Everything section 2 shows for one server; None without a re-run."""
    if not runs:
        return None
    rows = [{"index": x["index"], "first": x["first_total"], "total": x["total"], "changed": x["changed_total"],
             "fraction": x["total"] / x["first_total"]} for x in runs]
    frac = med([r["fraction"] for r in rows])
    first = med([x["first_total"] for x in runs])
    profile, mods = rerun_profile(median_run(runs, lambda x: x["total"]))
    v = rerun_verdict(frac, runs)
    return {"rows": rows, "fraction": frac, "verdict": v, "first": first,
            "allowed": GOALS["rerun"].limit * first if first else None, "second": med([x["total"] for x in runs]),
            "profile": profile, "imports": import_costs(imports),
            "note": rerun_note(frac, first, profile, mods, v["changed"])}

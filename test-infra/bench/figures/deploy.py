"""Benchmark 1, time to ready (site.yml from nothing against `kubectl apply` + `rollout
status`): medians, the ratio and its verdicts, where the median runs spent their time, and
the numbers behind the closing note when the goal is missed."""

from figures.common import (first_wait_start, med, median_run, module_tasks, observed, pod, pod_histories, ratio,
                            rel, site_split, spread, task_rows, task_time, watch_added, watch_ready)
from figures.goals import GOALS, verdict

PODS = [pod(i) for i in range(3)]


def ttr_rows(runs):
    rows = []
    for x in sorted(runs, key=lambda x: (x["index"], x["t0"])):
        row = {"index": x["index"], "kind": x["kind"], "load1": x.get("load1"), "total": x["total"]}
        if x["kind"] == "site":
            ready, verify = site_split(x)
            check = (x["check_end"] - x["check_start"]) if x.get("check_end") else None
            row.update(ready=ready, verify=verify, check=check)
        else:
            row.update(ready=x["total"], verify=None, check=None)
        rows.append(row)
    return rows


def ttr_medians(site, base):
    site_all = [site_split(x)[0] for x in site]
    base_all = [x["total"] for x in base]
    out = {"site_count": len(site), "base_count": len(base), "site_ready": med(site_all),
           "site_verify": med([site_split(x)[1] for x in site]), "base_ready": med(base_all),
           "site_spread": spread(site_all), "base_spread": spread(base_all)}
    out["ratio"] = ratio(out["site_ready"], out["base_ready"])
    out["pairs"] = []
    for x in site:
        other = [b for b in base if b["index"] == x["index"]]
        if other:
            out["pairs"].append(site_split(x)[0] / other[0]["total"])
    goal = GOALS["ttr"]
    out["verdict"] = verdict(out["ratio"], goal)
    out["verify_verdict"] = verdict(out["site_verify"], GOALS["verify"])
    if out["base_ready"] is not None:
        out["allowed"] = goal.limit * out["base_ready"]
        out["beyond"] = out["site_ready"] - out["allowed"] if out["site_ready"] is not None else None
    return out


def ttr_where(ms, mb):
    """The median runs side by side: until the first pod exists, the cluster's work, noticing."""
    site = {"first_pod": rel(watch_added(ms, PODS[0]), ms["t0"]),
            "last_ready": rel(watch_ready(ms, PODS[-1]), ms["t0"]), "ready": site_split(ms)[0]}
    base = {"first_pod": rel(watch_added(mb, PODS[0]), mb["t0"]),
            "last_ready": rel(watch_ready(mb, PODS[-1]), mb["t0"]), "ready": mb["total"]}
    for side in (site, base):
        side["cluster"] = rel(side["last_ready"], side["first_pod"])
        side["noticed"] = rel(side["ready"], side["last_ready"])
    return {"site": site, "base": base}


def ttr_before_wait(ms):
    """The median site.yml run until its wait began: module tasks, their time, the rest."""
    pre = module_tasks(ms, before=first_wait_start(ms))
    module_time = task_time(pre)
    before_wait = rel(first_wait_start(ms), ms["t0"])
    figs = {"tasks": task_rows(ms, pre), "count": len(pre), "module_time": module_time, "before_wait": before_wait,
            "overhead": rel(before_wait, module_time), "loaded": rel(ms.get("loaded"), ms["t0"])}
    return figs, pre


def ttr_note(m, where, pre, tasks, ms):
    """Why deploy-to-ready misses its goal and what fewer API tasks would save (an estimate):
    m, where and pre as ttr_medians, ttr_where and ttr_before_wait computed them, tasks the
    module tasks before the wait."""
    if m["ratio"] is None or m["verdict"]["status"] != "missed":
        return None
    mean = pre["module_time"] / len(tasks) if tasks else 0
    saving = max(0, len(tasks) - 2) * mean
    estimate = m["site_ready"] - saving
    note = {"mean": mean, "saving": saving, "estimate": estimate, "estimate_ratio": estimate / m["base_ready"],
            "reads": [(t["name"], t["end"] - t["start"]) for t in tasks if t["action"].endswith("_info")],
            "applies": [(t["name"], t["end"] - t["start"]) for t in tasks if not t["action"].endswith("_info")],
            "rest": None}
    if note["estimate_ratio"] > GOALS["ttr"].limit:
        other = [t for t in ms.get("tasks") or [] if t.get("end") and t not in tasks
                 and t["start"] < (first_wait_start(ms) or 0)]
        busy = task_time(other)
        first = min([t["start"] for t in ms.get("tasks") or []] or [ms["t0"]]) - ms["t0"]
        note["rest"] = {"first_task": first, "count": len(other), "busy": busy,
                        "gaps": max(0.0, (pre["before_wait"] or 0) - first - busy - pre["module_time"])}
    note["site_cluster"], note["base_cluster"] = where["site"]["cluster"], where["base"]["cluster"]
    return note


def ttr(runs):
    """Everything section 1 shows for one server; None when either side has no run."""
    site = [x for x in runs if x["kind"] == "site"]
    base = [x for x in runs if x["kind"] == "base"]
    if not site or not base:
        return None
    ms = median_run(site, lambda x: site_split(x)[0])
    mb = median_run(base, lambda x: x["total"])
    before, pre = ttr_before_wait(ms)
    figs = {"rows": ttr_rows(runs), "medians": ttr_medians(site, base), "site_index": ms["index"],
            "base_index": mb["index"], "where": ttr_where(ms, mb), "before_wait": before,
            "site_pods": pod_histories(ms, PODS, observed(ms)), "base_pods": pod_histories(mb, PODS)}
    figs["note"] = ttr_note(figs["medians"], figs["where"], before, pre, ms)
    return figs

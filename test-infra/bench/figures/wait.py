"""Benchmark 3, wait latency: how long after a pod turned Ready (the watcher's clock)
statefulset_wait and kubernetes.core.k8s_info's wait noticed it."""

from figures.common import first_wait_start, med, observed, rel, spread, wait_pods, watch_ready
from figures.goals import GOALS, verdict
from timelines import parse_time


def k8s_info_times(run):
    """host (pod) -> when its k8s_info result reached ansible-playbook."""
    tasks = [t for t in run["tasks"] if t["action"].endswith("k8s_info")]
    hosts = tasks[0]["hosts"] if tasks else {}
    return dict((h, v["t"]) for h, v in hosts.items() if v["status"] == "ok")


def latency_rows(x):
    """One run's pods: module and k8s_info latencies against the watcher, and both clocks
    against the kubelet's whole-second lastTransitionTime."""
    site = x["site"]
    obs, k8s = observed(site), k8s_info_times(x["k8s_info"])
    rows = []
    start = first_wait_start(site)
    for name, p in sorted(wait_pods(site).items()):
        truth, ltt = watch_ready(x, name), parse_time(p.get("ready_at"))
        before = bool(truth is not None and start and truth < start)
        rows.append({"index": x["index"], "pod": name, "module": rel(obs.get(name), truth),
                     "k8s_info": rel(k8s.get(name), truth), "raw": rel(obs.get(name), ltt),
                     "watcher": rel(truth, ltt), "before_wait": before})
    return rows


def per_ordinal(rows):
    """Pod -> medians; a pod Ready before the wait began counts for k8s_info only."""
    out = {}
    for r in rows:
        entry = out.setdefault(r["pod"], {"module": [], "k8s_info": [], "raw": []})
        if not r["before_wait"]:
            entry["module"].append(r["module"])
            entry["raw"].append(r["raw"])
        entry["k8s_info"].append(r["k8s_info"])
    return [{"pod": p, "module": med(v["module"]), "k8s_info": med(v["k8s_info"]), "raw": med(v["raw"])}
            for p, v in sorted(out.items())]


def ttr_latencies(ttr_runs):
    """The module's latency in the time-to-ready runs, where no k8s_info wait ran beside it."""
    out = []
    for x in ttr_runs or []:
        if x["kind"] != "site":
            continue
        start = first_wait_start(x)
        for name, seen in observed(x).items():
            truth = watch_ready(x, name)
            if truth and start and truth >= start:
                out.append(seen - truth)
    return out


def wait(runs, ttr_runs=None):
    """Everything section 3 shows for one server; None without a run."""
    if not runs:
        return None
    rows = [r for x in runs for r in latency_rows(x)]
    module = [r["module"] for r in rows if not r["before_wait"]]
    k8s = [r["k8s_info"] for r in rows]
    watcher = [r["watcher"] for r in rows]
    m_lat = med(module)
    alone = ttr_latencies(ttr_runs)
    return {"runs": len(runs), "rows": rows, "per_ordinal": per_ordinal(rows), "pods": len(module),
            "module": m_lat, "module_max": spread(module)[1], "k8s_info": med(k8s), "k8s_info_max": spread(k8s)[1],
            "watcher_spread": spread(watcher), "watcher": med(watcher), "verdict": verdict(m_lat, GOALS["wait"]),
            "alone": {"count": len(alone), "median": med(alone), "max": spread(alone)[1]} if alone else None}

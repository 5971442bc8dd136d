"""Benchmark 5, scale-out 3 -> 5: scale.yml against `kubectl scale` + `rollout status`."""

from figures.common import med, median_run, observed, pod, pod_histories, ratio, site_split, task_profile

NEW_PODS = [pod(3), pod(4)]


def scale_rows(runs):
    rows = []
    for x in sorted(runs, key=lambda x: (x["kind"] != "site", x["index"])):
        ready, verify = site_split(x) if x["kind"] == "site" else (x["total"], None)
        rows.append({"index": x["index"], "kind": x["kind"], "load1": x.get("load1"), "ready": ready,
                     "verify": verify, "total": x["total"]})
    return rows


def scale(runs, setup):
    """Everything section 5 shows for one server; None when either side has no run."""
    site = [x for x in runs if x["kind"] == "site"]
    base = [x for x in runs if x["kind"] == "base"]
    if not site or not base:
        return None
    ms = median_run(site, lambda x: site_split(x)[0])
    mb = median_run(base, lambda x: x["total"])
    site_ready = med([site_split(x)[0] for x in site])
    site_total = med([x["total"] for x in site])
    base_ready = med([x["total"] for x in base])
    return {"rows": scale_rows(runs), "runs": len(site), "megabytes": ((setup or {}).get("site") or {}).get(
                "data", {}).get("megabytes"),
            "site_ready": site_ready, "site_total": site_total, "base_ready": base_ready,
            "ratio": ratio(site_ready, base_ready), "total_ratio": ratio(site_total, base_ready),
            "site_index": ms["index"], "base_index": mb["index"],
            "site_pods": pod_histories(ms, NEW_PODS, observed(ms)), "base_pods": pod_histories(mb, NEW_PODS),
            "tasks": task_profile(ms, min_s=0.1)}

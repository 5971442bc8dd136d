"""Benchmark 4, clone throughput: a new replica (ordinal 3, cloned from ordinal 2 by
scale.yml) against the physical limit of the same copy inside a pod. The ratio is the clone's
rate over the local rate: (clone bytes / time from the pod's creation until caught up) /
(local bytes / local time). MariaDB's local limit extracts the same backup the clone streams,
so its bytes are the clone's and the ratio is local time / clone time; MySQL's copies the
donor's whole datadir (binary logs included, which CLONE leaves out), so the rates differ in
bytes and the clone's bytes are what CLONE reported copying (clone_bytes)."""

from figures.clone_log import clone_log
from figures.clone_note import clone_note
from figures.common import med, median_run, observed, pod, rel, watch_added, watch_ready
from figures.goals import GOALS, verdict
from timelines import parse_time

NEW, DONOR, PRIMARY = pod(3), pod(2), pod(0)
HEAD = [("start", "t0", "created"), ("sched", "created", "scheduled"), ("sandbox", "scheduled", "init-config"),
        ("init", "init-config", "clone-start")]
METHOD_STEPS = {
    "stream": [("connect", "clone-start", "receiving"), ("stream", "receiving", "received"),
               ("prepare", "received", "cloned")],
    "plugin": [("scratch", "clone-start", "cloning"), ("copy", "cloning", "copied"), ("finish", "copied", "cloned")],
}
TAIL = [("containers", "cloned", "mysql-started"), ("ready", "mysql-started", "ready"), ("noticed", "ready", "noticed"),
        ("check", "noticed", "check_end")]
TRANSFER = {"stream": "stream", "plugin": "copy"}
DETAIL = {"stream": "received_msg", "copy": "copied_msg"}


def local_limit(clone):
    """The local copies' rows and medians: MariaDB's on the primary (the donor's beside
    them), MySQL's on the donor."""
    local = clone.get("local") or []
    if clone["method"] == "stream":
        chosen = [x for x in local if x["pod"] == PRIMARY]
        donor = [x for x in local if x["pod"] != PRIMARY]
    else:
        chosen = donor = local
    out = {"rows": [{"pod": x["pod"], "load1": x.get("load1"), "bytes": x["bytes"], "seconds": x["seconds"],
                     "rate": x["bytes"] / 1e6 / x["seconds"]} for x in local],
           "bytes": med([x["bytes"] for x in chosen]), "seconds": med([x["seconds"] for x in chosen]),
           "donor_seconds": med([x["seconds"] for x in donor]), "command": local[0]["command"] if local else None,
           "container": (local[0].get("container") or "replication") if local else None}
    out["rate"] = out["bytes"] / out["seconds"] if out["bytes"] and out["seconds"] else None
    return out


def stream_paths(clone, t_local):
    """MariaDB: the same backup through socat between two pods, by buffer size."""
    paths = clone.get("stream_path") or []
    rows = [{"block": x["block"], "load1": x.get("load1"), "bytes": x["bytes"], "seconds": x["seconds"],
             "rate": x["bytes"] / 1e6 / x["seconds"], "of_local": t_local / x["seconds"] if t_local else None}
            for x in paths]
    blocks = sorted(set(x["block"] for x in paths))
    medians = dict((b, med([x["seconds"] for x in paths if x["block"] == b])) for b in blocks)
    of_local = dict((b, t_local / t if t_local and t else None) for b, t in medians.items())
    return {"rows": rows, "medians": medians, "of_local": of_local}


def clone_bytes(x, method, local):
    """What the clone moved: MariaDB's stream carries the local extraction's bytes; MySQL's
    CLONE reports its size in the log (du -sh, 2-3 digits), which leaves out what the new
    server wrote after it (its redo log files, binary and relay logs), unlike the datadir's
    size after scale.yml, the fallback."""
    if method == "stream":
        return local["bytes"], "local"
    copied = clone_log(x.get("clone_log")).get("copied_bytes")
    if copied:
        return copied, "log"
    return (x.get("datadir_bytes") or local["bytes"]), "datadir"


def clone_run(x, method, local):
    created = watch_added(x, NEW)
    t_clone = rel(x.get("check_end"), created)
    nbytes, source = clone_bytes(x, method, local)
    local_equiv = nbytes / local["rate"] if nbytes and local["rate"] else None
    reps = [r for r in (x.get("check_result") or {}).get("replicas") or [] if r.get("pod") == NEW]
    return {"index": x["index"], "load1": x.get("load1"), "t_clone": t_clone, "bytes": nbytes, "bytes_from": source,
            "rate": nbytes / 1e6 / t_clone if nbytes and t_clone else None, "local_equiv": local_equiv,
            "ratio": local_equiv / t_clone if local_equiv and t_clone else None,
            "caught_up": reps[0].get("caught_up") if reps else None, "total": x["total"]}


def moments(x):
    """The median run's named moments (epoch seconds), from the API, the watcher, the wait
    module's result and the clone container's log."""
    info = (x.get("pods") or {}).get(NEW) or {}
    inits = dict((i["name"], i) for i in info.get("init") or [])
    ctrs = dict((c["name"], c) for c in info.get("containers") or [])
    log = clone_log(x.get("clone_log"))
    first_init = (info.get("init") or [{}])[0]
    out = {"t0": x["t0"], "created": watch_added(x, NEW),
           "scheduled": parse_time((info.get("conditions") or {}).get("PodScheduled")),
           "init-config": parse_time(first_init.get("started")),
           # Its own container's start, or (one init container) when init-datadir last logged.
           "clone-start": (parse_time(inits["clone"].get("started")) if "clone" in inits
                           else log.get("after:init-datadir")),
           "mysql-started": parse_time((ctrs.get("mysql") or {}).get("started")),
           "ready": watch_ready(x, NEW), "noticed": observed(x).get(NEW), "check_end": x.get("check_end")}
    out.update(log)
    return out, len(inits)


def timeline(x, method):
    """The median clone step by step: key, from and to (seconds from the pod's creation),
    duration, and what the log said about the transfer; and how many init containers ran."""
    t, init_containers = moments(x)
    steps = []
    for key, a, b in HEAD + METHOD_STEPS[method] + TAIL:
        steps.append({"key": key, "from": rel(t.get(a), t["created"]), "to": rel(t.get(b), t["created"]),
                      "duration": rel(t.get(b), t.get(a)), "detail": t.get(DETAIL.get(key, ""))})
    return steps, init_containers


def clone_median(runs, rows, method):
    m = median_run(runs, lambda x: rel(x.get("check_end"), watch_added(x, NEW)) or 0)
    row = [r for r in rows if r["index"] == m["index"]][0]
    steps, init_containers = timeline(m, method)
    transfer = [s["duration"] for s in steps if s["key"] == TRANSFER[method]][0]
    return {"index": m["index"], "steps": steps, "init_containers": init_containers,
            "transfer_key": TRANSFER[method], "transfer": transfer,
            "t_clone": row["t_clone"], "bytes": row["bytes"], "local_equiv": row["local_equiv"],
            "transfer_of_local": row["local_equiv"] / transfer if transfer and row["local_equiv"] else None,
            "around": rel(row["t_clone"], transfer)}


def clone(c, quick=False):
    """Everything section 4 shows for one server; None without clone runs or local copies."""
    if not (c or {}).get("runs") or not c.get("local"):
        return None
    method = c.get("method") or "stream"
    local = local_limit(c)
    rows = [clone_run(x, method, local) for x in c["runs"]]
    ratio = med([r["ratio"] for r in rows])
    data = c.get("data") or {}
    figs = {"method": method, "data": data, "storage": c.get("storage"), "table_mb": c.get("table_bytes", 0) / 1e6,
            "datadir_mb": dict((p, b / 1e6) for p, b in (c.get("datadir_bytes") or {}).items()),
            "local": local, "paths": stream_paths(c, local["seconds"]) if method == "stream" else None,
            "runs": rows, "ratio": ratio, "verdict": verdict(ratio, GOALS["clone"]),
            "median": clone_median(c["runs"], rows, method)}
    figs["note"] = clone_note(figs, quick)
    return figs

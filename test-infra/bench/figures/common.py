"""Arithmetic over runs that every benchmark shares: medians, differences of optional times,
the median run, a playbook run's phases, and a pod's history relative to a command's start."""

import statistics

from timelines import parse_time

NAME = "mysql"
# Tasks that run no module on the controller's behalf against the cluster.
NON_MODULE_ACTIONS = ("include_role", "include_tasks", "import_tasks", "assert", "set_fact", "fail", "debug",
                      "validate_argument_spec", "meta")


def pod(ordinal):
    return "%s-%d" % (NAME, ordinal)


def med(values):
    """The median of the known values; None when there are none."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def rel(t, t0):
    """t - t0, or None when either is unknown."""
    return None if t is None or t0 is None else t - t0


def ratio(a, b):
    """a / b when both are known and non-zero (a zero median means nothing was measured)."""
    return a / b if a and b else None


def spread(values):
    values = [v for v in values if v is not None]
    return (min(values), max(values)) if values else (None, None)


def median_run(runs, key):
    """The run whose `key` is the median (the lower middle for an even count)."""
    ranked = sorted(runs, key=key)
    return ranked[(len(ranked) - 1) // 2] if ranked else None


def site_split(run):
    """A playbook run's deploy-to-ready (start until the wait module returned) and what the
    verification added after it (until the process exited)."""
    if not run.get("wait_end"):
        return None, None
    return run["wait_end"] - run["t0"], run["t_end"] - run["wait_end"]


def task_rows(run, tasks):
    """Tasks as start (from the run's start) and duration."""
    return [{"start": t["start"] - run["t0"], "duration": t["end"] - t["start"], "name": t["name"],
             "action": t["action"]} for t in tasks]


def task_profile(run, min_s=0.0):
    """Every finished task of at least min_s seconds, as task_rows."""
    tasks = [t for t in run.get("tasks") or [] if t.get("end") is not None and t["end"] - t["start"] >= min_s]
    return task_rows(run, tasks)


def module_tasks(run, before=None):
    """Tasks that ran a module (not include_role/assert/set_fact...), not skipped, started
    before `before` when given."""
    out = []
    for task in run.get("tasks") or []:
        if task.get("end") is None or any(task["action"].endswith(x) for x in NON_MODULE_ACTIONS):
            continue
        if any(h["status"] == "skipped" for h in task["hosts"].values()):
            continue
        if before is not None and task["start"] >= before:
            continue
        out.append(task)
    return out


def task_time(tasks):
    return sum(t["end"] - t["start"] for t in tasks)


def wait_tasks(run):
    """The playbook's statefulset_wait tasks. site.yml may wait more than once (a roll's wait
    before verify.yml's); deploy-to-ready ends with the last, the pods are first seen by any."""
    return [t for t in run.get("tasks") or [] if t["action"].endswith("statefulset_wait") and t.get("end")]


def first_wait_start(run):
    """When the playbook began waiting for pods (the first wait's start)."""
    starts = [t["start"] for t in wait_tasks(run)]
    return min(starts) if starts else run.get("wait_start")


def wait_results(run):
    return [t["result"] for t in wait_tasks(run) if t.get("result")] or [run.get("wait_result") or {}]


def observed(run):
    """pod -> when a statefulset_wait first saw it Ready (epoch), from the tasks' results."""
    out = {}
    for res in wait_results(run):
        for p in res.get("pods") or []:
            seen = parse_time(p.get("observed_at"))
            if seen is not None and (p["name"] not in out or seen < out[p["name"]]):
                out[p["name"]] = seen
    return out


def wait_pods(run):
    """The pods the last wait returned, by name (their ready_at)."""
    return dict((p["name"], p) for p in (wait_results(run)[-1].get("pods") or []))


def watch_ready(run, name):
    return ((run.get("watch_ready") or {}).get(name) or {}).get("t")


def watch_added(run, name):
    return (run.get("watch_added") or {}).get(name)


def pod_history(run, name, noticed=None):
    """One pod's creation, scheduling, init containers in order (name, start, end), server
    start, Ready and when the command noticed, in seconds from the run's start; None when the
    run has no such pod. (Pods ran three init containers, init-config, init-datadir and clone,
    before the collection merged them into one, init.)"""
    info = (run.get("pods") or {}).get(name)
    if not info:
        return None
    t0 = run["t0"]
    ctrs = dict((c["name"], c) for c in info["containers"])
    spans = [(i["name"], rel(parse_time(i.get("started")), t0), rel(parse_time(i.get("finished")), t0))
             for i in info["init"]]
    return {"pod": name, "created": rel(watch_added(run, name), t0),
            "scheduled": rel(parse_time(info["conditions"].get("PodScheduled")), t0), "init": spans,
            "started": rel(parse_time((ctrs.get("mysql") or {}).get("started")), t0),
            "ready": rel(watch_ready(run, name), t0),
            "noticed": rel((noticed or {}).get(name), t0) if noticed is not None else None}


def pod_histories(run, names, noticed=None):
    return [h for h in (pod_history(run, n, noticed) for n in names) if h]


def init_names(histories):
    """Every init container the pods ran, in order, for the table's columns."""
    return list(dict.fromkeys(name for h in histories for name, _a, _b in h["init"]))

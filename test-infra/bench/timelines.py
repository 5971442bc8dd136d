"""Times as the benchmarks record them: the API's and the modules' RFC 3339 strings, the
bench_timeline callback's task events, and a pod's container history. Pure functions."""

import datetime
import json
import os
import re


def utc(ts):
    return datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text):
    """RFC 3339 (Z) from the API or the modules to epoch seconds; None stays None."""
    if not text:
        return None
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$", text)
    if not m:
        raise ValueError("unexpected time %r" % text)
    base = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return base.timestamp() + (float(m.group(2)) if m.group(2) else 0.0)


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def _add_result(task, event):
    task["end"] = event["t"]
    task["hosts"][event["host"]] = {"t": event["t"], "status": event["status"], "changed": event["changed"]}
    if "result" in event:
        task["result"] = event["result"]
    if "msg" in event:
        task["msg"] = event["msg"]


def timeline_tasks(events):
    """Tasks (start, end, hosts, kept result), the callback's load time and the final stats."""
    tasks, current = [], {}
    out = {"tasks": tasks, "loaded": None, "stats": None}
    for e in events:
        if e["event"] == "loaded" and out["loaded"] is None:
            out["loaded"] = e["t"]
        elif e["event"] == "task_start":
            task = {"name": e["task"], "action": e["action"], "start": e["t"], "end": None, "hosts": {}}
            tasks.append(task)
            current[e["uuid"]] = task
        elif e["event"] == "result" and e["uuid"] in current:
            _add_result(current[e["uuid"]], e)
        elif e["event"] == "stats":
            out["stats"] = e["summary"]
    return out


def parse_timeline(path):
    """A playbook's timeline, plus when its wait and its replication check ran and returned."""
    out = timeline_tasks(read_jsonl(path))
    for task in out["tasks"]:
        # The first wait that returns ends deploy-to-ready: site.yml's roll step waits for
        # every pod Ready (and rolls none on a new deployment), verify.yml's wait after it
        # only confirms. Later waits count as verification.
        if task["action"].endswith("statefulset_wait") and task.get("end"):
            out.setdefault("first_wait_start", task["start"])
            if "wait_end" not in out:
                out["wait_start"], out["wait_end"] = task["start"], task["end"]
                out["wait_result"] = task.get("result")
        if task["action"].endswith("replication_check") and task.get("end"):
            out["check_start"], out["check_end"] = task["start"], task["end"]
            out["check_result"] = task.get("result")
    out["changed_total"] = sum(h.get("changed", 0) for h in (out["stats"] or {}).values())
    return out


def pod_timeline(pod):
    """A pod object reduced to its creation, conditions and containers' start and end times."""
    meta, status = pod["metadata"], pod.get("status") or {}
    conds = dict((c["type"], c.get("lastTransitionTime")) for c in status.get("conditions") or [])
    inits = []
    for c in status.get("initContainerStatuses") or []:
        term = (c.get("state") or {}).get("terminated") or (c.get("lastState") or {}).get("terminated") or {}
        inits.append({"name": c["name"], "started": term.get("startedAt"), "finished": term.get("finishedAt"),
                      "exit": term.get("exitCode"), "restarts": c.get("restartCount", 0)})
    ctrs = []
    for c in status.get("containerStatuses") or []:
        run = (c.get("state") or {}).get("running") or {}
        ctrs.append({"name": c["name"], "started": run.get("startedAt"), "ready": c.get("ready"),
                     "restarts": c.get("restartCount", 0)})
    return {"created": meta.get("creationTimestamp"), "conditions": conds, "init": inits, "containers": ctrs,
            "uid": meta.get("uid")}

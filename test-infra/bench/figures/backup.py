"""Benchmark 7's figures: each backup's size, time and rate (the manifest's: from the module's
start of the stream until stored) against the clone benchmark's local limit measured in the
same source replica, and the restore by site.yml into a new namespace: ordinal 0 Ready, every
pod Ready (site.yml's first wait returned) and verified (site.yml exited)."""

from figures.common import med, observed, pod, pod_history, rel, watch_ready

PRIMARY = pod(0)


def local_rate(b):
    """The local limit's rows and medians (bytes, seconds, bytes per second of the medians)."""
    local = b.get("local") or []
    rows = [{"pod": x["pod"], "load1": x.get("load1"), "bytes": x["bytes"], "seconds": x["seconds"],
             "rate": x["bytes"] / 1e6 / x["seconds"] if x["seconds"] else None} for x in local]
    nbytes, seconds = med([x["bytes"] for x in local]), med([x["seconds"] for x in local])
    return {"rows": rows, "bytes": nbytes, "seconds": seconds,
            "rate": nbytes / seconds if nbytes and seconds else None,
            "command": local[0]["command"] if local else None,
            "container": local[0].get("container") if local else None}


def backup_row(x, local):
    m = x.get("manifest") or {}
    size, seconds = m.get("size"), m.get("seconds")
    rate = size / seconds if size and seconds else None
    return {"index": x["index"], "load1": x.get("load1"), "id": x.get("id"), "source_pod": x.get("source_pod"),
            "source_role": x.get("source_role"), "bytes": size, "seconds": seconds,
            "rate": rate / 1e6 if rate else None,
            "of_local": rate / local["rate"] if rate and local["rate"] else None, "total": x.get("total")}


def restore_row(x):
    t0 = x["t0"]
    ready0 = watch_ready(x, PRIMARY) or observed(x).get(PRIMARY)
    history = pod_history(x, PRIMARY)
    spans = history["init"] if history else []
    # The init container(s): one, init, on current pods (it receives, checks and extracts the backup).
    init = (", ".join(n for n, _a, _b in spans), spans[0][1], spans[-1][2]) if spans else (None, None, None)
    send = x.get("send") or {}
    return {"index": x["index"], "load1": x.get("load1"), "id": x.get("id"), "ready0": rel(ready0, t0),
            "ready_all": rel(x.get("wait_end"), t0), "verified": x.get("total"),
            "init": {"name": init[0], "from": init[1], "to": init[2], "duration": rel(init[2], init[1])},
            "send_seconds": send.get("seconds"), "send_bytes": send.get("received"),
            "send_rate": send["received"] / 1e6 / send["seconds"] if send.get("received") and send.get("seconds")
            else None,
            "datadir_bytes": x.get("datadir_bytes"), "disturbed": x.get("disturbed") or []}


def backup(b):
    """Everything section 7 shows for one server; None without backups or local rates."""
    if not (b or {}).get("runs") or not b.get("local"):
        return None
    local = local_rate(b)
    rows = [backup_row(x, local) for x in b["runs"]]
    restores = [restore_row(x) for x in b.get("restores") or []]
    return {"method": b.get("method") or "stream", "data": b.get("data") or {}, "storage": b.get("storage"),
            "source": b.get("source") or pod(2), "deploy_total": b.get("deploy_total"),
            "datadir_mb": dict((p, n / 1e6) for p, n in (b.get("datadir_bytes") or {}).items()),
            "local": local, "runs": rows, "bytes": med([r["bytes"] for r in rows]),
            "seconds": med([r["seconds"] for r in rows]), "rate": med([r["rate"] for r in rows]),
            "ratio": med([r["of_local"] for r in rows]), "restores": restores,
            "verified": med([r["verified"] for r in restores]), "ready0": med([r["ready0"] for r in restores])}

"""What the numbers were measured with: the servers and their images, the collection's
state at the start and the end, and the commands each benchmark ran."""

from figures.layout import ordered


def servers(meta):
    """(server, version it reported, image) for every server the run used."""
    flavors = meta.get("flavors") or {}
    return [(name, flavors[name].get("server"), flavors[name].get("image")) for name in ordered(flavors)]


def collection(meta):
    start, end = meta.get("collection_start") or {}, meta.get("collection_end") or {}
    changed = bool(end) and (end.get("hash") != start.get("hash")
                             or meta.get("git_commit_end") != meta.get("git_commit"))
    snapshot = meta.get("collection_snapshot") or {}
    return {"commit": meta.get("git_commit"), "changed_files": start.get("changed_files") or [],
            "hash": start.get("hash"), "snapshot_files": snapshot.get("files"), "changed_during": changed,
            "commit_end": meta.get("git_commit_end"), "hash_end": end.get("hash")}


def _first_argv(add, bucket):
    for run in bucket["ttr"]:
        add("1. site.yml from nothing" if run["kind"] == "site" else "1. baseline deploy", run.get("argv"))
    for run in bucket["rerun"]:
        add("2. second site.yml run (same command, same namespace)", run.get("argv"))
    for run in bucket["wait"]:
        add("3. site.yml, started together with", run["site"].get("argv"))
        add("3. the kubernetes.core baseline (one host per pod)", run["k8s_info"].get("argv"))
    for run in bucket["scale"]:
        add("5. scale.yml" if run["kind"] == "site" else "5. baseline scale-out", run.get("argv"))
    for run in bucket["clone"].get("runs") or []:
        add("4. scale.yml 3 -> 4 (the clone)", run.get("argv"))
    for run in (bucket.get("backup") or {}).get("runs") or []:
        add("7. backup.yml (to the PVC store)", run.get("argv"))
    for run in (bucket.get("backup") or {}).get("restores") or []:
        add("7. site.yml restoring the last backup into a new namespace", run.get("argv"))


def commands(view):
    """Per server: the first command of each kind (title, argv), the local-limit command, the
    data set's statement and how the baseline objects were rendered."""
    out = []
    for name in ordered(view["flavors"]):
        bucket = view["flavors"][name]
        seen = []

        def add(title, argv):
            if argv and title not in [t for t, _ in seen]:
                seen.append((title, argv))
        _first_argv(add, bucket)
        clone = bucket["clone"]
        local = (clone.get("local") or [None])[0]
        data = clone.get("data") or ((bucket["scale_setup"] or {}).get("site") or {}).get("data")
        out.append({"server": name, "commands": seen, "method": clone.get("method"),
                    "local": {"command": local["command"], "container": local.get("container") or "replication"}
                    if local else None,
                    "data": data.get("statement") if data else None, "baseline": bucket.get("baseline_objects")})
    return out

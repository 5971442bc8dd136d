"""results.json as the rest of the report reads it: one bucket of runs per server
(flavor-version), whichever harness wrote the file. Files from before the MySQL benchmarks
kept MariaDB's runs at the top level; they read as a single "mariadb-<version>" server."""

import copy
import re

import server_flavors

BUCKET = {"ttr": [], "rerun": [], "wait": [], "scale": [], "scale_setup": {}, "clone": {}, "commit": [],
          "backup": {}}
# bench.py's section titles (what an error names) -> the benchmark they belong to.
SECTION_BENCHMARK = {"time to ready and re-run": "ttr", "wait latency": "wait", "scale-out": "scale",
                     "baseline objects": "scale", "clone throughput": "clone",
                     "commit latency with and without semi-sync": "commit", "backup and restore": "backup"}
# Which bucket keys hold each benchmark's runs, to tell a measured benchmark from an absent one.
BENCHMARK_KEYS = {"ttr": ("ttr", "rerun"), "wait": ("wait",), "scale": ("scale",), "clone": ("clone",),
                  "commit": ("commit",), "backup": ("backup",)}
SERVER_ORDER = ("mysql-9.7", "mariadb-10.11")


def single_server_name(meta):
    """The server of a MariaDB-only results file, from the version it recorded."""
    m = re.match(r"^(\d+\.\d+)", meta.get("mariadb") or "")
    return "mariadb-%s" % (m.group(1) if m else "10.11")


def _single_server(results):
    meta = dict(results.get("meta") or {})
    name = single_server_name(meta)
    bucket = dict((key, copy.deepcopy(results.get(key)) or copy.deepcopy(empty)) for key, empty in BUCKET.items())
    if meta.get("baseline_objects"):
        bucket["baseline_objects"] = meta["baseline_objects"]
    meta["flavors"] = {name: {"image": meta.get("image"), "server": meta.get("mariadb")}}
    meta["plan"] = dict((b, [name]) for b in meta.get("benchmarks") or server_flavors.BENCHMARKS)
    return {"meta": meta, "imports": results.get("imports") or [], "flavors": {name: bucket},
            "errors": [dict(e, flavor=e.get("flavor", name)) for e in results.get("errors") or []],
            "discarded": [dict(d, flavor=d.get("flavor", name)) for d in results.get("discarded") or []]}


def normalize(results):
    """A new dict: meta, imports, errors, discarded, and flavors -> name -> complete bucket."""
    if "flavors" not in results:
        view = _single_server(results)
    else:
        view = {"meta": dict(results.get("meta") or {}), "imports": results.get("imports") or [],
                "flavors": copy.deepcopy(results["flavors"]), "errors": list(results.get("errors") or []),
                "discarded": list(results.get("discarded") or [])}
    for bucket in view["flavors"].values():
        for key, empty in BUCKET.items():
            if bucket.get(key) is None:
                bucket[key] = copy.deepcopy(empty)
        if bucket["clone"]:
            bucket["clone"].setdefault("method", "stream")
    view["meta"].setdefault("flavors", {})
    view["meta"].setdefault("plan", {})
    return view


def measured(bucket, benchmark):
    return any(bucket.get(key) for key in BENCHMARK_KEYS[benchmark])


def ordered(names):
    """Unique names, MySQL 9.7 and MariaDB 10.11 first, the others as they came."""
    names = list(dict.fromkeys(names))
    rank = dict((n, i) for i, n in enumerate(SERVER_ORDER))
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), names.index(n)))


def servers_for(view, benchmark):
    """The servers a benchmark's sections cover: the default ones always (a missing one reads
    "not measured"), then any other the run planned or measured."""
    names = list(server_flavors.DEFAULT_PLAN[benchmark]) + list(view["meta"]["plan"].get(benchmark) or [])
    return ordered(names + [n for n, b in view["flavors"].items() if measured(b, benchmark)])


def bucket(view, name):
    return view["flavors"].get(name) or copy.deepcopy(BUCKET)


def absence(view, benchmark, name):
    """Why a server's benchmark has no numbers: "error" (see Errors) or "not run"."""
    for e in view["errors"]:
        if SECTION_BENCHMARK.get(e.get("benchmark")) == benchmark and e.get("flavor") == name:
            return "error"
    return "not run"


def all_runs(view):
    """(server, kind of run, run) for every measured run, for the disturbed-runs list."""
    out = []
    for name, b in view["flavors"].items():
        for key in ("ttr", "scale", "wait"):
            out += [(name, key, x) for x in b.get(key) or []]
        out += [(name, "clone", x) for x in (b.get("clone") or {}).get("runs") or []]
        out += [(name, "restore", dict(x, kind="restore")) for x in (b.get("backup") or {}).get("restores") or []]
    return out

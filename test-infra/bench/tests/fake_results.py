"""Small hand-made pieces of results.json, shaped as bench.py writes them, for the tests of
the figures package. Times are seconds after T0; API times are whole-second RFC 3339 strings
as the API writes them."""

import datetime

T0 = 1_800_000_000.0


def api(t):
    """Epoch seconds -> the API's RFC 3339 (whole seconds, truncated)."""
    return datetime.datetime.fromtimestamp(int(t), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def micro(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def task(name, action, start, end, status="ok", result=None):
    out = {"name": name, "action": action, "start": start, "end": end,
           "hosts": {"localhost": {"t": end, "status": status, "changed": False}}}
    if result is not None:
        out["result"] = result
    return out


def pod_info(created, scheduled, init, started):
    """init: name -> (start, end) epoch seconds."""
    return {"created": api(created), "conditions": {"PodScheduled": api(scheduled)},
            "init": [{"name": n, "started": api(a), "finished": api(b), "exit": 0, "restarts": 0}
                     for n, (a, b) in init.items()],
            "containers": [{"name": "mysql", "started": api(started), "ready": True, "restarts": 0}], "uid": "u"}


def pods_from(t0, pods, step=8.0, first=1.0):
    """pod -> (created, ready) epoch seconds, one pod every `step` s starting `first` s after t0."""
    out = {}
    for i, name in enumerate(pods):
        created = t0 + first + i * step
        out[name] = (created, created + step - 0.1)
    return out


def with_pods(run, timing, observed_delay=0.01):
    run["watch_added"] = dict((p, c) for p, (c, _r) in timing.items())
    run["watch_ready"] = dict((p, {"t": r, "ltt": api(r)}) for p, (_c, r) in timing.items())
    run["pods"] = dict((p, pod_info(c, c + 2, {"init-config": (c + 2, c + 2), "init-datadir": (c + 3, c + 4),
                                               "clone": (c + 4, c + 5)}, c + 5)) for p, (c, _r) in timing.items())
    run["disturbed"] = []
    if "wait_result" in run:
        run["wait_result"] = {"pods": [{"name": p, "ready_at": api(r), "observed_at": micro(r + observed_delay)}
                                       for p, (_c, r) in timing.items()]}
        for t in run["tasks"]:  # the callback keeps the wait's whole result in its task
            if t["action"].endswith("statefulset_wait"):
                t["result"]["pods"] = run["wait_result"]["pods"]
    return run


def site_run(index, t0, ready_after, verify=1.2, pre=(("Read", "stateful.mysql.k8s_objects_info", 0.7),
                                                      ("Apply", "kubernetes.core.k8s", 0.8)),
             pods=("mysql-0", "mysql-1", "mysql-2"), changed=0, kind="site"):
    """A site.yml run: API tasks from 1 s after the start, then the wait until `ready_after`,
    then the check."""
    tasks, t = [task("Check the options", "ansible.builtin.assert", t0 + 0.5, t0 + 0.6)], t0 + 1.0
    for name, action, d in pre:
        tasks.append(task(name, action, t, t + d))
        t += d + 0.05
    wait_start, wait_end = t, t0 + ready_after
    tasks.append(task("Wait", "stateful.mysql.statefulset_wait", wait_start, wait_end, result={"elapsed": 0.02}))
    check_end = wait_end + verify - 0.1
    tasks.append(task("Verify", "stateful.mysql.replication_check", wait_end, check_end,
                      result={"elapsed": 0.4, "replicas": []}))
    run = {"kind": kind, "index": index, "t0": t0, "t_end": wait_end + verify, "total": ready_after + verify,
           "load1": 0.5, "argv": ["ansible-playbook", "stateful.mysql.site"], "tasks": tasks, "loaded": t0 + 0.4,
           "wait_start": wait_start, "wait_end": wait_end, "check_start": wait_end, "check_end": check_end,
           "wait_result": {}, "changed_total": changed}
    first_pod = t - t0 + 0.1
    return with_pods(run, pods_from(t0, list(pods), step=(ready_after - first_pod) / len(pods), first=first_pod))


def base_run(index, t0, total, pods=("mysql-0", "mysql-1", "mysql-2")):
    run = {"kind": "base", "index": index, "t0": t0, "t_end": t0 + total, "total": total, "load1": 0.7,
           "argv": [["/x/kubectl", "apply", "-f", "b.yaml"], ["/x/kubectl", "rollout", "status", "sts/mysql"]],
           "ready_at": t0 + total}
    return with_pods(run, pods_from(t0, list(pods), step=(total - 0.4) / len(pods), first=0.3))


def ttr_runs(site_ready=(32.0, 33.0, 34.0), base_total=(27.0, 28.0, 26.0)):
    runs = []
    for i, (a, b) in enumerate(zip(site_ready, base_total), 1):
        runs.append(site_run(i, T0 + 1000 * i, a))
        runs.append(base_run(i, T0 + 1000 * i + 500, b))
    return runs


def rerun_runs(totals=(6.0, 6.5, 6.2), first=(33.2, 34.2, 35.2), changed=(0, 0, 0)):
    runs = []
    for i, (total, f0, c) in enumerate(zip(totals, first, changed), 1):
        run = site_run(i, T0 + 5000 * i, total - 1.5, verify=1.5, changed=c)
        run.update(first_total=f0, changed_total=c)
        runs.append(run)
    return runs


def wait_entry(index, t0, module_delay=0.001, k8s_delays=(0.2, 2.1, 4.1)):
    site = site_run(index, t0, 32.0)
    for p in site["wait_result"]["pods"]:
        truth = site["watch_ready"][p["name"]]["t"]
        p["observed_at"] = micro(truth + module_delay)
    hosts = dict((p, {"t": site["watch_ready"][p]["t"] + d, "status": "ok", "changed": False})
                 for p, d in zip(("mysql-0", "mysql-1", "mysql-2"), k8s_delays))
    k8s = {"t0": t0, "tasks": [{"name": "Wait", "action": "kubernetes.core.k8s_info", "start": t0 + 1,
                                "end": t0 + 40, "hosts": hosts}], "argv": ["ansible-playbook", "k8s_info_wait.yml"]}
    return {"index": index, "load1": 0.6, "site": site, "k8s_info": k8s, "t0": t0, "t_end": t0 + 40,
            "watch_ready": site["watch_ready"], "watch_added": site["watch_added"], "disturbed": []}


def scale_runs(site_ready=(19.0, 20.0, 21.0), base_total=(18.0, 19.0, 20.0)):
    runs = []
    for i, (a, b) in enumerate(zip(site_ready, base_total), 1):
        runs.append(site_run(i, T0 + 9000 * i, a, pre=(("Read", "stateful.mysql.k8s_objects_info", 0.7),
                                                       ("Scale", "kubernetes.core.k8s_scale", 0.8)),
                             pods=("mysql-3", "mysql-4")))
        runs.append(base_run(i, T0 + 9000 * i + 500, b, pods=("mysql-3", "mysql-4")))
    return runs


def clone_log_stream(created):
    t = lambda d: api(created + d)  # noqa: E731
    return ("%s clone: receiving a backup from mysql-2.mysql\n%s clone: received 1.2G in 5s; preparing\n"
            "%s clone: datadir cloned from mysql-2.mysql in 6s\n" % (t(6), t(11), t(11)))


def clone_log_plugin(created):
    t = lambda d: api(created + d)  # noqa: E731
    return ("%s clone: cloning mysql-2.mysql into /var/lib/mysql/data.partial\n%s clone: cloned 1.3G in 5s\n"
            "%s clone: datadir cloned from mysql-2.mysql in 8s\n" % (t(8), t(13), t(14)))


def one_init_container(run, created):
    """The pod as the collection runs it now: one init container, init, running init-config,
    init-datadir and clone in turn (their log lines in its log)."""
    run["pods"]["mysql-3"]["init"] = [{"name": "init", "started": api(created + 4), "finished": api(created + 12),
                                       "exit": 0, "restarts": 0}]
    run["clone_log"] = ("%s init-config: ordinal 3: replica configuration written\n"
                        "%s init-datadir: not ordinal 0: the clone step provides the datadir\n"
                        % (api(created + 4), api(created + 5))) + run["clone_log"]
    return run


def clone_run(index, t0, caught_up_after, method="stream", datadir_bytes=1_300_000_000, one_init=False):
    created = t0 + 2.0
    run = site_run(index, t0, 2.0 + caught_up_after - 1.4, pods=("mysql-3",), verify=1.5)
    run["watch_added"] = {"mysql-3": created}
    run["watch_ready"] = {"mysql-3": {"t": created + caught_up_after - 1.6, "ltt": api(created)}}
    run["check_end"] = created + caught_up_after
    run["check_result"] = {"replicas": [{"pod": "mysql-3", "caught_up": True}]}
    run["pods"] = {"mysql-3": pod_info(created, created + 4, {"init-config": (created + 4, created + 4),
                                                              "init-datadir": (created + 5, created + 5),
                                                              "clone": (created + 6, created + 12)}, created + 12)}
    run["clone_log"] = clone_log_stream(created) if method == "stream" else clone_log_plugin(created)
    run["datadir_bytes"] = datadir_bytes
    return one_init_container(run, created) if one_init else run


def clone_bucket(method="stream", ratio_runs=(15.0, 16.0, 15.2), local_seconds=(3.4, 3.5, 3.3), one_init=False):
    pods = ("mysql-0", "mysql-2") if method == "stream" else ("mysql-2",)
    local = [{"pod": p, "seconds": s, "bytes": 1_300_000_000, "command": "cp -a", "load1": 1.0,
              "container": "replication" if method == "stream" else "mysql"} for s in local_seconds for p in pods]
    out = {"method": method, "storage": "8Gi", "table_bytes": 1_225_000_000,
           "datadir_bytes": {"mysql-0": 2_395_000_000, "mysql-2": 3_435_000_000},
           "data": {"rows": 1024000, "megabytes": 1024, "load_s": 16.4, "caught_up_s": 3.0, "statement": "INSERT"},
           "local": local,
           "runs": [clone_run(i, T0 + 20000 * i, r, method, one_init=one_init) for i, r in enumerate(ratio_runs, 1)]}
    if method == "stream":
        out["stream_path"] = [{"block": b, "seconds": sec, "bytes": 1_250_000_000, "load1": 1.0}
                              for b, sec in ((8192, 7.3), (131072, 4.2))]
    return out


def old_results(**parts):
    """A MariaDB-only results.json as the harness wrote it before the MySQL benchmarks."""
    out = {"meta": {"mode": "full", "mariadb": "10.11.19-MariaDB-0+deb12u1-log", "image": "mariadb:10.11",
                    "benchmarks": ["ttr", "scale", "wait", "clone"], "config": {"clone_mb": 1024}},
           "ttr": [], "rerun": [], "wait": [], "scale": [], "clone": {}, "errors": []}
    out.update(parts)
    return out


def new_results(flavors, **parts):
    """results.json as bench.py writes it now: one bucket per server."""
    meta = {"mode": "full", "config": {"clone_mb": 1024},
            "flavors": dict((n, {"image": "img-%s" % n, "server": "v"}) for n in flavors),
            "plan": parts.pop("plan", {}), "benchmarks": ["ttr", "wait", "scale", "clone"]}
    out = {"meta": meta, "flavors": flavors, "errors": []}
    out.update(parts)
    return out

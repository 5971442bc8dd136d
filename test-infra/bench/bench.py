"""The benchmarks behind docs/benchmarks.md (run through test-infra/bench/run.sh).

Runs, on the local kind cluster, one benchmark at a time, in namespaces named bench-*:

  ttr     time to ready: site.yml from nothing vs `kubectl apply -f` + `kubectl rollout status`
  rerun   the second site.yml run (changed=0) as a fraction of the first
  wait    statefulset_wait's latency vs kubernetes.core.k8s_info's wait (default polling)
  scale   scale-out 3 -> 5: scale.yml vs `kubectl scale` + `kubectl rollout status`
  clone   clone throughput: a 4th replica of a loaded primary vs a local streamed backup

Every measurement goes to <workdir>/results.json; report.py turns it into the document.
Timing comes from wall clocks on this machine (the kind node shares its kernel clock):
the harness around each command, the bench_timeline callback inside ansible-playbook,
podwatch.py for the moment each pod turned Ready, and the API's own timestamps.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import time
import traceback

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NAME = "mysql"
ROOT_CNF = "/run/stateful-mysql/root.cnf"
BACKUP_CNF = "/run/stateful-mysql/backup.cnf"

MODES = {
    # runs: repetitions of the cheap benchmarks; *_mb: data sets; clone_runs: 1 GB clones.
    "quick": dict(runs=1, scale_mb=8, clone_mb=64, clone_runs=1, local_runs=1,
                  storage="1Gi", clone_storage="2Gi"),
    "full": dict(runs=3, scale_mb=64, clone_mb=1024, clone_runs=3, local_runs=3,
                 storage="1Gi", clone_storage="8Gi"),
}


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


def cpu_millis(quantity):
    text = str(quantity)
    if text.endswith("m"):
        return int(float(text[:-1]))
    return int(float(text) * 1000)


class BenchError(Exception):
    pass


class Bench:
    def __init__(self, args):
        self.args = args
        self.mode = "quick" if args.quick else "full"
        self.cfg = dict(MODES[self.mode])
        if args.runs:
            self.cfg["runs"] = args.runs
        self.workdir = args.workdir
        os.makedirs(self.workdir, exist_ok=True)
        self.kubectl_bin = os.environ["KUBECTL"]
        self.kubeconfig = os.environ["KUBECONFIG"]
        self.image = os.environ["MARIADB_IMAGE"]
        self.logf = open(os.path.join(self.workdir, "bench.log"), "a")
        self.namespaces = []
        self.watchers = {}
        self.seq = 0
        self.results = {"meta": {}, "ttr": [], "rerun": [], "wait": [], "scale": [], "clone": {}, "errors": []}
        self.deploy_vars = [
            "-e", "stateful_mysql_flavor=mariadb",
            "-e", "mysql_statefulset_image=%s" % self.image,
            "-e", "mysql_statefulset_image_pull_policy=Never",
            # Named, not the cluster default: a concurrent rook_storageclass scenario on the
            # shared cluster makes its own class the default for a while.
            "-e", "mysql_statefulset_storage_class=%s" % os.environ.get("BENCH_STORAGE_CLASS", "standard"),
        ]

    # --- plumbing ---------------------------------------------------------------------

    def log(self, msg):
        line = "[%s] %s" % (time.strftime("%H:%M:%S"), msg)
        print(line, file=sys.stderr, flush=True)
        self.logf.write(line + "\n")
        self.logf.flush()

    def save(self):
        path = os.path.join(self.workdir, "results.json")
        with open(path + ".tmp", "w") as out:
            json.dump(self.results, out, indent=1, default=str)
        os.replace(path + ".tmp", path)

    def run(self, argv, check=True, timeout=1800, input=None):
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, input=input)
        if check and proc.returncode != 0:
            raise BenchError("%s failed (%s): %s" % (shlex.join(argv[:6]), proc.returncode,
                                                     (proc.stderr or proc.stdout).strip()[-2000:]))
        return proc

    def kubectl(self, *args, check=True, timeout=1800, input=None):
        return self.run([self.kubectl_bin, "--kubeconfig", self.kubeconfig] + list(args),
                        check=check, timeout=timeout, input=input).stdout

    def kjson(self, *args):
        return json.loads(self.kubectl(*args, "-o", "json"))

    def label(self, kind):
        self.seq += 1
        return "%02d-%s" % (self.seq, kind)

    @staticmethod
    def load():
        with open("/proc/loadavg") as f:
            return float(f.read().split()[0])

    # --- namespaces and watchers ------------------------------------------------------

    def namespace(self, name):
        if not name.startswith("bench-"):
            raise BenchError("refusing a namespace outside bench-*: %s" % name)
        self.delete_namespace(name)
        self.namespaces.append(name)
        return name

    def delete_namespace(self, name):
        self.stop_watcher(name)
        if self.kubectl("get", "namespace", name, "--ignore-not-found", "-o", "name").strip():
            self.log("deleting namespace %s" % name)
            self.kubectl("delete", "namespace", name, "--wait=true", "--timeout=600s")
        if name in self.namespaces:
            self.namespaces.remove(name)

    def settle(self):
        """Between measurements: no deletions left running in the background."""
        deadline = time.time() + 300
        while time.time() < deadline:
            out = self.kubectl("get", "namespaces", "-o", "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}")
            if not any(line.startswith("bench-") and line.endswith("Terminating") for line in out.splitlines()):
                break
            time.sleep(2)
        helpers = self.kubectl("get", "pods", "-n", "local-path-storage", "-o", "name")
        if any("helper-pod" in line for line in helpers.splitlines()):
            time.sleep(3)
        time.sleep(2)

    # --- a shared cluster: room to schedule, and runs other workloads disturbed ---------

    def pod_cpu_request(self):
        """Millicores one pod of the StatefulSet requests (the role's defaults)."""
        with open(os.path.join(REPO, "roles", "mysql_statefulset", "defaults", "main.yml")) as f:
            defaults = yaml.safe_load(f)
        main = cpu_millis(defaults["mysql_statefulset_resources"]["requests"].get("cpu", "0"))
        side = cpu_millis(defaults["mysql_statefulset_sidecar_resources"]["requests"].get("cpu", "0"))
        return max(main + side, main)  # init containers run alone: the largest is the main one

    def free_cpu(self):
        node = self.kjson("get", "nodes")["items"]
        allocatable = sum(cpu_millis(n["status"]["allocatable"]["cpu"]) for n in node)
        used = 0
        for pod in self.kjson("get", "pods", "-A")["items"]:
            if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            spec = pod["spec"]
            app = sum(cpu_millis(((c.get("resources") or {}).get("requests") or {}).get("cpu", "0"))
                      for c in spec.get("containers") or [])
            init = max([cpu_millis(((c.get("resources") or {}).get("requests") or {}).get("cpu", "0"))
                        for c in spec.get("initContainers") or []] or [0])
            used += max(app, init)
        return allocatable - used

    def wait_capacity(self, pods, timeout=1200):
        """Waits until the node can schedule `pods` more pods (other engineers' tests share it)."""
        need = pods * self.pod_cpu_request()
        t0 = time.time()
        free = self.free_cpu()
        if free < need:
            self.log("waiting for %dm of CPU requests to be free (free: %dm)" % (need, free))
        while free < need and time.time() - t0 < timeout:
            time.sleep(10)
            free = self.free_cpu()
        waited = time.time() - t0
        if free < need:
            self.log("only %dm of CPU requests free after %.0fs; going on" % (free, waited))
        return {"need_m": need, "free_m": free, "waited_s": round(waited, 1)}

    def disturbances(self, ns, since, until):
        """Why a run does not measure the collection: pods that could not be scheduled."""
        out = []
        for e in self.watch_events(ns):
            if e["event"] == "unschedulable" and since <= e["t"] <= until:
                out.append("%s unschedulable: %s" % (e["pod"], e.get("message")))
        return out

    def measured(self, what, attempt, retries=2):
        """Runs attempt() until a run is undisturbed (at most 1 + retries times); the
        disturbed ones are kept, under results["discarded"], with the reason."""
        for n in range(retries + 1):
            run = attempt()
            if not run.get("disturbed"):
                return run
            self.log("%s disturbed (%s); %s" % (what, "; ".join(run["disturbed"]),
                                                "repeating it" if n < retries else "keeping it, flagged"))
            if n < retries:
                self.results.setdefault("discarded", []).append({"what": what, "run": run})
                self.save()
        return run

    def start_watcher(self, ns):
        path = os.path.join(self.workdir, "watch-%s.jsonl" % ns)
        env = dict(os.environ, KUBECONFIG=self.kubeconfig)
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "podwatch.py"), ns, path], env=env,
                                stdout=subprocess.DEVNULL, stderr=open(path + ".err", "a"))
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.exists(path) and any(json.loads(l).get("event") == "synced" for l in open(path)):
                self.watchers[ns] = (proc, path)
                return path
            if proc.poll() is not None:
                raise BenchError("the pod watcher for %s exited: %s" % (ns, open(path + ".err").read()[-1000:]))
            time.sleep(0.1)
        raise BenchError("the pod watcher for %s did not start" % ns)

    def stop_watcher(self, ns):
        entry = self.watchers.pop(ns, None)
        if entry:
            entry[0].terminate()
            try:
                entry[0].wait(10)
            except subprocess.TimeoutExpired:
                entry[0].kill()

    def watch_events(self, ns):
        path = self.watchers[ns][1] if ns in self.watchers else os.path.join(self.workdir, "watch-%s.jsonl" % ns)
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]

    def ready_times(self, ns, since, until):
        """pod -> wall time the watcher saw it turn Ready (the last such time in the window)."""
        out = {}
        for e in self.watch_events(ns):
            if e["event"] == "ready" and not e.get("initial") and since <= e["t"] <= until:
                out[e["pod"]] = {"t": e["t"], "ltt": e.get("ltt")}
        return out

    def added_times(self, ns, since, until):
        out = {}
        for e in self.watch_events(ns):
            if e["event"] == "added" and not e.get("initial") and since <= e["t"] <= until:
                out[e["pod"]] = e["t"]
        return out

    # --- commands measured ------------------------------------------------------------

    def ansible_env(self, timeline, keep):
        env = dict(os.environ)
        env.update({
            "ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": self.collections_path,
            "ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timeline",
            "ANSIBLE_FORCE_COLOR": "0",
            "BENCH_TIMELINE_FILE": timeline,
            "BENCH_TIMELINE_RESULTS": ",".join(keep),
            "K8S_AUTH_KUBECONFIG": self.kubeconfig,
            "KUBECONFIG": self.kubeconfig,
        })
        return env

    def start_playbook(self, label, argv, keep=("statefulset_wait", "replication_check")):
        timeline = os.path.join(self.workdir, label + ".timeline.jsonl")
        logpath = os.path.join(self.workdir, label + ".log")
        self.log("%s: %s" % (label, shlex.join(argv)))
        t0 = time.time()
        proc = subprocess.Popen(argv, cwd=REPO, env=self.ansible_env(timeline, keep),
                                stdout=open(logpath, "w"), stderr=subprocess.STDOUT)
        return {"proc": proc, "t0": t0, "timeline": timeline, "log": logpath, "argv": argv, "label": label}

    def finish_playbook(self, running, timeout=3600):
        rc = running["proc"].wait(timeout)
        t_end = time.time()
        run = {"label": running["label"], "argv": running["argv"], "t0": running["t0"], "t_end": t_end,
               "total": t_end - running["t0"], "rc": rc}
        run.update(parse_timeline(running["timeline"]))
        if rc != 0:
            tail = open(running["log"]).read()[-3000:]
            raise BenchError("%s failed (rc %s); log %s:\n%s" % (running["label"], rc, running["log"], tail))
        return run

    def playbook(self, kind, playbook, ns, extra=(), **kw):
        argv = ["ansible-playbook", playbook, "-e", "stateful_mysql_namespace=%s" % ns] + list(extra)
        return self.finish_playbook(self.start_playbook(self.label(kind), argv, **kw))

    def site(self, ns, storage):
        run = self.playbook("site", "stateful.mysql.site", ns,
                            self.deploy_vars + ["-e", "mysql_statefulset_storage_size=%s" % storage])
        if "mariadb" not in self.results["meta"]:
            self.results["meta"]["mariadb"] = self.sql(ns, "%s-0" % NAME, "SELECT VERSION()")
        return run

    # --- SQL and pods -----------------------------------------------------------------

    def sql(self, ns, pod, statements, timeout=3600):
        return self.kubectl("exec", "-n", ns, pod, "-c", "mysql", "--", "mariadb",
                            "--defaults-extra-file=%s" % ROOT_CNF, "-N", "-B", "-e", statements,
                            timeout=timeout).strip()

    def pods_json(self, ns):
        return self.kjson("get", "pods", "-n", ns)["items"]

    def snapshot(self, ns, pods=None):
        out = {}
        for pod in self.pods_json(ns):
            name = pod["metadata"]["name"]
            if pods is None or name in pods:
                out[name] = pod_timeline(pod)
        return out

    def load_data(self, ns, megabytes, chunk_rows=20000):
        """~megabytes of incompressible rows (1000 random bytes each) in bench.filler."""
        rows = int(megabytes * 1000)
        statements = ["CREATE DATABASE IF NOT EXISTS bench",
                      "CREATE TABLE IF NOT EXISTS bench.filler (id BIGINT UNSIGNED PRIMARY KEY, "
                      "payload VARBINARY(1024) NOT NULL) ENGINE=InnoDB"]
        for start in range(1, rows + 1, chunk_rows):
            end = min(rows, start + chunk_rows - 1)
            statements.append("INSERT INTO bench.filler SELECT seq, RANDOM_BYTES(1000) FROM bench.seq_%d_to_%d" % (start, end))
        t0 = time.time()
        self.sql(ns, "%s-0" % NAME, ";\n".join(statements) + ";")
        loaded = time.time()
        self.wait_caught_up(ns)
        return {"rows": rows, "megabytes": megabytes, "load_s": loaded - t0, "caught_up_s": time.time() - loaded,
                "statement": "INSERT INTO bench.filler SELECT seq, RANDOM_BYTES(1000) FROM bench.seq_<a>_to_<b> "
                             "(%d rows per statement)" % chunk_rows}

    def wait_caught_up(self, ns, timeout=3600):
        replicas = int(self.kjson("get", "sts", NAME, "-n", ns)["spec"]["replicas"])
        target = self.sql(ns, "%s-0" % NAME, "SELECT @@GLOBAL.gtid_binlog_pos")
        deadline = time.time() + timeout
        pending = ["%s-%d" % (NAME, i) for i in range(1, replicas)]
        while pending:
            pending = [p for p in pending if self.sql(ns, p, "SELECT @@GLOBAL.gtid_slave_pos") != target]
            if pending and time.time() > deadline:
                raise BenchError("replicas %s did not reach %s" % (pending, target))
            if pending:
                time.sleep(2)

    def du(self, ns, pod, path, container="mysql"):
        return int(self.kubectl("exec", "-n", ns, pod, "-c", container, "--", "du", "-sb", path).split()[0])

    def scale_back(self, ns, to, frm):
        """Scale down to `to` pods and delete the PVCs of the removed ordinals (outside timing)."""
        self.kubectl("scale", "sts/%s" % NAME, "-n", ns, "--replicas=%d" % to)
        pods = ["pod/%s-%d" % (NAME, i) for i in range(to, frm)]
        self.kubectl("wait", "-n", ns, "--for=delete", *pods, "--timeout=600s", check=False)
        pvcs = ["pvc/data-%s-%d" % (NAME, i) for i in range(to, frm)]
        self.kubectl("delete", "-n", ns, *pvcs, "--ignore-not-found", "--wait=true", "--timeout=600s")
        self.kubectl("rollout", "status", "sts/%s" % NAME, "-n", ns, "--timeout=600s")
        self.settle()

    # --- meta -------------------------------------------------------------------------

    def snapshot_collection(self):
        """A copy of the collection as it is now: every run measures the same code even when
        someone edits or commits in the checkout meanwhile."""
        import shutil
        root = os.path.join(self.workdir, "collection")
        dest = os.path.join(root, "ansible_collections", "stateful", "mysql")
        shutil.rmtree(root, ignore_errors=True)
        files = subprocess.run(["git", "-C", REPO, "ls-files", "-co", "--exclude-standard", "--"] + COLLECTION_PATHS,
                               capture_output=True, text=True, check=True).stdout.split()
        for name in files:
            src = os.path.join(REPO, name)
            if os.path.isfile(src):
                os.makedirs(os.path.dirname(os.path.join(dest, name)), exist_ok=True)
                shutil.copy2(src, os.path.join(dest, name))
        self.collections_path = root
        return {"path": dest, "files": len(files)}

    def collect_meta(self):
        def out(argv):
            try:
                return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
            except Exception as exc:  # a missing tool is reported, not fatal
                return "unavailable (%s)" % exc
        meminfo = dict(line.split(":", 1) for line in open("/proc/meminfo"))
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
        version = json.loads(self.kubectl("version", "-o", "json"))
        galaxy = out(["ansible-galaxy", "collection", "list", "kubernetes.core"])
        kcore = re.search(r"^kubernetes\.core\s+(\S+)", galaxy, re.M)
        import kubernetes
        self.results["meta"] = {
            "mode": self.mode,
            "config": self.cfg,
            "started": utc(time.time()),
            "workdir": self.workdir,
            "nproc": out(["nproc"]),
            "cpu": cpu,
            "memory_kib": int(meminfo["MemTotal"].split()[0]),
            "kernel": platform.release(),
            "os": out(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "python": platform.python_version(),
            "ansible_core": out(["ansible", "--version"]).splitlines()[0],
            "kubernetes_core": kcore.group(1) if kcore else galaxy,
            "kubernetes_client": kubernetes.__version__,
            "kubernetes_server": version["serverVersion"]["gitVersion"],
            "kubectl": version["clientVersion"]["gitVersion"],
            "kind": out(["kind", "version"]),
            "docker": out(["docker", "version", "--format", "{{.Server.Version}}"]),
            "image": self.image,
            "git_commit": out(["git", "-C", REPO, "rev-parse", "HEAD"]),
            "collection_start": collection_state(),
            "collection_snapshot": self.snapshot_collection(),
            "load_start": open("/proc/loadavg").read().strip(),
        }

    # --- a profile of module start-up -------------------------------------------------

    def import_profile(self, repeat=5):
        """What importing the kubernetes client costs a module process, by entry point."""
        cases = [
            ("python start-up only", "pass"),
            ("kubernetes.config + kubernetes.dynamic (what kubernetes.core's modules use)",
             "import kubernetes.config, kubernetes.dynamic"),
            ("+ kubernetes.client CoreV1Api, AppsV1Api (the generated typed APIs)",
             "import kubernetes.config, kubernetes.dynamic; from kubernetes.client import CoreV1Api, AppsV1Api"),
        ]
        out = []
        for label, code in cases:
            times = []
            for _ in range(repeat):
                t0 = time.time()
                subprocess.run([sys.executable, "-c", code], check=True)
                times.append(time.time() - t0)
            out.append({"label": label, "code": code, "median_s": sorted(times)[len(times) // 2], "runs": times})
        self.results["imports"] = out
        self.save()

    # --- 1 and 2: time to ready, re-run -----------------------------------------------

    def render_baseline(self, ns):
        """The objects site.yml made, as a file `kubectl apply -f` can create anywhere."""
        kinds = "configmap,secret,service,statefulset,poddisruptionbudget,networkpolicy"
        items = self.kjson("get", kinds, "-n", ns, "-l", "app.kubernetes.io/instance=%s" % NAME)["items"]
        docs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "NAMESPACE"}}]
        for obj in items:
            meta = obj["metadata"]
            for key in ("uid", "resourceVersion", "managedFields", "creationTimestamp", "generation",
                        "namespace", "selfLink"):
                meta.pop(key, None)
            (meta.get("annotations") or {}).pop("kubectl.kubernetes.io/last-applied-configuration", None)
            if meta.get("annotations") == {}:
                meta.pop("annotations")
            meta["namespace"] = "NAMESPACE"
            obj.pop("status", None)
            spec = obj.get("spec") or {}
            if obj["kind"] == "Service":
                if spec.get("clusterIP") != "None":
                    spec.pop("clusterIP", None)
                spec.pop("clusterIPs", None)
            for claim in spec.get("volumeClaimTemplates") or []:
                claim.pop("status", None)
                claim.get("metadata", {}).pop("creationTimestamp", None)
            docs.append(obj)
        counts = {}
        for obj in items:
            counts[obj["kind"]] = counts.get(obj["kind"], 0) + 1
        expected = {"ConfigMap": 1, "Secret": 1, "Service": 2, "StatefulSet": 1, "PodDisruptionBudget": 1,
                    "NetworkPolicy": 1}
        if counts != expected:
            raise BenchError("rendered objects %s, expected %s" % (counts, expected))
        path = os.path.join(self.workdir, "baseline-objects.yaml")
        with open(path, "w") as f:
            yaml.safe_dump_all(docs, f, sort_keys=False)
        self.baseline_template = path
        self.results["meta"]["baseline_objects"] = {
            "path": path, "kinds": counts, "rendered_from": ns,
            "command": "kubectl get %s -n %s -l app.kubernetes.io/instance=%s -o json, stripped of status, uid, "
                       "resourceVersion, managedFields, creationTimestamp, generation, namespace, clusterIP(s) "
                       "(headless: clusterIP None kept); a Namespace object first" % (kinds, ns, NAME)}
        return path

    def baseline_file(self, ns):
        with open(self.baseline_template) as f:
            text = f.read()
        path = os.path.join(self.workdir, "baseline-%s.yaml" % ns)
        with open(path, "w") as f:
            f.write(text.replace("NAMESPACE", ns))
        return path

    def timed_kubectl(self, kind, first, second):
        """`first` then `second` (argument lists for kubectl), timed as one command."""
        label = self.label(kind)
        argv = [[self.kubectl_bin] + first, [self.kubectl_bin] + second]
        self.log("%s: %s && %s" % (label, shlex.join(argv[0]), shlex.join(argv[1])))
        env = dict(os.environ, KUBECONFIG=self.kubeconfig)
        t0 = time.time()
        subprocess.run(argv[0], check=True, capture_output=True, env=env)
        t_first = time.time()
        subprocess.run(argv[1], check=True, capture_output=True, env=env, timeout=1000)
        t_end = time.time()
        return {"label": label, "argv": argv, "t0": t0, "t_apply": t_first, "t_end": t_end, "total": t_end - t0,
                "ready_at": t_end}

    def baseline_deploy(self, ns):
        path = self.baseline_file(ns)
        return self.timed_kubectl("base", ["apply", "-f", path],
                                  ["rollout", "status", "sts/%s" % NAME, "-n", ns, "--timeout=900s"])

    def observe(self, run, ns, pods=None):
        """What the watcher and the API saw during a run."""
        run["watch_ready"] = self.ready_times(ns, run["t0"], run["t_end"])
        run["watch_added"] = self.added_times(ns, run["t0"], run["t_end"])
        run["pods"] = self.snapshot(ns, pods)
        run["disturbed"] = self.disturbances(ns, run["t0"], run["t_end"])
        return run

    def ttr_attempt(self, index, kind):
        capacity = self.wait_capacity(3)
        ns = self.namespace("bench-ttr-%s-%d" % (kind, index))
        self.start_watcher(ns)
        load = self.load()
        if kind == "site":
            run = self.site(ns, self.cfg["storage"])
            run["ready_at"] = run["wait_end"]
        else:
            run = self.baseline_deploy(ns)
        run.update(kind=kind, index=index, ns=ns, load1=load, capacity=capacity)
        self.observe(run, ns)
        self.log("%s %d: ready after %.1fs (total %.1fs)" % (kind, index, run["ready_at"] - run["t0"], run["total"]))
        if kind == "site" and not run["disturbed"]:
            time.sleep(2)
            second = self.site(ns, self.cfg["storage"])
            second.update(ns=ns, index=index, first_total=run["total"], load1=self.load())
            self.results["rerun"].append(second)
            self.log("re-run %d: %.1fs, changed=%s" % (index, second["total"], second["changed_total"]))
            if not getattr(self, "baseline_template", None):
                self.render_baseline(ns)
        self.delete_namespace(ns)
        self.settle()
        return run

    def bench_ttr(self):
        for index in range(1, self.cfg["runs"] + 1):
            order = ("base", "site") if index % 2 == 0 else ("site", "base")
            for kind in order:
                if kind == "base" and not getattr(self, "baseline_template", None):
                    continue  # rendered from the first site.yml run, which has not happened yet
                run = self.measured("%s deploy %d" % (kind, index), lambda: self.ttr_attempt(index, kind))
                self.results["ttr"].append(run)
                self.save()
            if not any(r["kind"] == "base" and r["index"] == index for r in self.results["ttr"]):
                run = self.measured("base deploy %d" % index, lambda: self.ttr_attempt(index, "base"))
                self.results["ttr"].append(run)
                self.save()

    # --- 3: wait latency --------------------------------------------------------------

    def wait_attempt(self, index):
        capacity = self.wait_capacity(3)
        ns = self.namespace("bench-wait-%d" % index)
        self.start_watcher(ns)
        inventory = os.path.join(self.workdir, "k8s-info-inventory-%s.yml" % ns)
        with open(inventory, "w") as f:
            yaml.safe_dump({"all": {"hosts": dict(("%s-%d" % (NAME, i), None) for i in range(3)),
                                    "vars": {"ansible_connection": "local",
                                             "ansible_python_interpreter": sys.executable}}}, f)
        base_argv = ["ansible-playbook", "-i", inventory, os.path.join(HERE, "k8s_info_wait.yml"),
                     "-e", "bench_namespace=%s" % ns, "-e", "bench_wait_timeout=900"]
        site_argv = ["ansible-playbook", "stateful.mysql.site", "-e", "stateful_mysql_namespace=%s" % ns] \
            + self.deploy_vars + ["-e", "mysql_statefulset_storage_size=%s" % self.cfg["storage"]]
        load = self.load()
        base = self.start_playbook(self.label("k8s-info-wait"), base_argv, keep=())
        site = self.start_playbook(self.label("site-wait"), site_argv)
        try:
            site_run = self.finish_playbook(site)
        except Exception:
            base["proc"].kill()
            raise
        base_run = self.finish_playbook(base)
        until = max(site_run["t_end"], base_run["t_end"])
        entry = {"index": index, "ns": ns, "load1": load, "capacity": capacity, "site": site_run,
                 "k8s_info": base_run, "t0": site_run["t0"], "t_end": until}
        self.observe(entry, ns)
        self.log("wait %d: site.yml %.1fs, k8s_info playbook %.1fs" % (index, site_run["total"], base_run["total"]))
        self.delete_namespace(ns)
        self.settle()
        return entry

    def bench_wait(self):
        for index in range(1, self.cfg["runs"] + 1):
            self.results["wait"].append(self.measured("wait latency %d" % index, lambda: self.wait_attempt(index)))
            self.save()

    # --- 5: scale-out 3 -> 5 ----------------------------------------------------------

    def scale_attempt(self, kind, ns, index):
        capacity = self.wait_capacity(2)
        load = self.load()
        if kind == "site":
            run = self.playbook("scale", "stateful.mysql.scale", ns, ["-e", "stateful_mysql_replicas=5"])
            run["ready_at"] = run["wait_end"]
        else:
            run = self.timed_kubectl("scale-base", ["scale", "sts/%s" % NAME, "-n", ns, "--replicas=5"],
                                     ["rollout", "status", "sts/%s" % NAME, "-n", ns, "--timeout=900s"])
        run.update(kind=kind, index=index, ns=ns, load1=load, capacity=capacity)
        self.observe(run, ns, ["%s-3" % NAME, "%s-4" % NAME])
        self.log("scale %s %d: %.1fs" % (kind, index, run["total"]))
        self.scale_back(ns, 3, 5)
        return run

    def bench_scale(self):
        """Each side: deploy 3 pods, load the same data, then scale 3 -> 5 and back, N times."""
        self.results["scale_setup"] = {}
        for kind in ("site", "base"):
            self.wait_capacity(5)
            ns = self.namespace("bench-scale-%s" % kind)
            self.start_watcher(ns)
            if kind == "site":
                setup = self.site(ns, self.cfg["storage"])
            else:
                setup = self.baseline_deploy(ns)
            self.log("loading %s MB into %s" % (self.cfg["scale_mb"], ns))
            data = self.load_data(ns, self.cfg["scale_mb"])
            self.results["scale_setup"][kind] = {"ns": ns, "deploy_total": setup["total"], "data": data}
            self.settle()
            for index in range(1, self.cfg["runs"] + 1):
                run = self.measured("scale %s %d" % (kind, index), lambda: self.scale_attempt(kind, ns, index))
                self.results["scale"].append(run)
                self.save()
            self.delete_namespace(ns)
            self.settle()

    # --- 4: clone throughput ----------------------------------------------------------

    def local_backup(self, ns, pod):
        """A streamed backup extracted locally, in the pod's backup container: (seconds, bytes)."""
        script = (
            "set -euo pipefail; t=$(mktemp -d); o=$(mktemp -d); trap 'rm -rf \"$t\" \"$o\"' EXIT; "
            "s=$(date +%s.%N); "
            "mariadb-backup --defaults-file=" + BACKUP_CNF + " --backup --stream=xbstream --slave-info "
            "--target-dir=\"$t\" 2>/tmp/bench-backup.log | mbstream -x -C \"$o\"; "
            "e=$(date +%s.%N); "
            "grep -q '^backup_type = full-backuped' \"$o/xtrabackup_checkpoints\"; "
            "echo \"$s $e $(du -sb \"$o\" | cut -f1)\"; rm -f /tmp/bench-backup.log"
        )
        out = self.kubectl("exec", "-n", ns, pod, "-c", "replication", "--", "bash", "-c", script).split()
        start, end, size = float(out[0]), float(out[1]), int(out[2])
        return {"pod": pod, "seconds": end - start, "bytes": size, "command": script}

    def stream_path(self, ns, sender, receiver, block):
        """The backup streamed from `sender` to `receiver` over the pod network through socat
        with a `block`-byte buffer (socat's default is 8192, which the sidecar uses)."""
        port = 3399
        opt = "" if block is None else "-b %d " % block
        recv = ("rm -rf /tmp/bench-o; mkdir /tmp/bench-o; timeout 600 socat %s-u TCP-LISTEN:%d,reuseaddr - "
                "| mbstream -x -C /tmp/bench-o; e=$(date +%%s.%%N); echo \"$e $(du -sb /tmp/bench-o | cut -f1)\"; "
                "rm -rf /tmp/bench-o" % (opt, port))
        send = ("set -o pipefail; t=$(mktemp -d); trap 'rm -rf \"$t\"' EXIT; s=$(date +%%s.%%N); "
                "mariadb-backup --defaults-file=%s --backup --stream=xbstream --slave-info --target-dir=\"$t\" "
                "2>/dev/null | socat %s-u - TCP:%s.%s:%d,retry=100,interval=0.1; echo $s"
                % (BACKUP_CNF, opt, receiver, NAME, port))
        argv = [self.kubectl_bin, "--kubeconfig", self.kubeconfig, "exec", "-n", ns, receiver, "-c", "replication",
                "--", "bash", "-c", recv]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        start = float(self.kubectl("exec", "-n", ns, sender, "-c", "replication", "--", "bash", "-c", send).split()[-1])
        out, err = proc.communicate(timeout=900)
        if proc.returncode != 0:
            raise BenchError("stream receiver failed: %s" % err[-500:])
        end, size = out.split()[-2:]
        return {"sender": sender, "receiver": receiver, "block": block or 8192, "seconds": float(end) - start,
                "bytes": int(size), "sender_command": send, "receiver_command": recv}

    def clone_attempt(self, ns, index):
        capacity = self.wait_capacity(1)
        load = self.load()
        run = self.playbook("clone", "stateful.mysql.scale", ns, ["-e", "stateful_mysql_replicas=4"])
        pod = "%s-3" % NAME
        run.update(index=index, load1=load, capacity=capacity)
        self.observe(run, ns, [pod])
        run["clone_log"] = self.kubectl("logs", "-n", ns, pod, "-c", "clone")
        run["sidecar_log"] = self.kubectl("logs", "-n", ns, pod, "-c", "replication")
        run["datadir_bytes"] = self.du(ns, pod, "/var/lib/mysql/data")
        self.log("clone %d: scale.yml %.1fs" % (index, run["total"]))
        self.scale_back(ns, 3, 4)
        return run

    def bench_clone(self):
        self.wait_capacity(4)
        ns = self.namespace("bench-clone")
        self.start_watcher(ns)
        clone = self.results["clone"]
        clone["ns"] = ns
        clone["storage"] = self.cfg["clone_storage"]
        clone["deploy_total"] = self.site(ns, self.cfg["clone_storage"])["total"]
        self.log("loading %s MB into %s" % (self.cfg["clone_mb"], ns))
        clone["data"] = self.load_data(ns, self.cfg["clone_mb"])
        clone["datadir_bytes"] = dict((p, self.du(ns, p, "/var/lib/mysql/data"))
                                      for p in ("%s-0" % NAME, "%s-2" % NAME))
        clone["table_bytes"] = self.du(ns, "%s-0" % NAME, "/var/lib/mysql/data/bench/filler.ibd")
        tmp_free = int(self.kubectl("exec", "-n", ns, "%s-0" % NAME, "-c", "replication", "--", "df", "-B1",
                                    "--output=avail", "/tmp").split()[-1])
        if tmp_free < 2.5 * clone["datadir_bytes"]["%s-0" % NAME]:
            raise BenchError("/tmp in the pod has %d bytes free, too little for a local backup" % tmp_free)
        self.save()
        self.settle()
        clone["local"] = []
        for index in range(self.cfg["local_runs"]):
            for pod in ("%s-0" % NAME, "%s-2" % NAME):
                res = self.local_backup(ns, pod)
                res["load1"] = self.load()
                clone["local"].append(res)
                self.log("local backup in %s: %d bytes in %.1fs" % (pod, res["bytes"], res["seconds"]))
                self.save()
                time.sleep(2)
        # Where the stream's time goes: the same backup over the pod network through socat, with
        # socat's default buffer (as the sidecar serves it) and with a larger one.
        clone["stream_path"] = []
        for index in range(self.cfg["local_runs"]):
            for block in (None, 131072):
                res = self.stream_path(ns, "%s-2" % NAME, "%s-1" % NAME, block)
                res["load1"] = self.load()
                clone["stream_path"].append(res)
                self.log("stream %s -> %s, socat -b %d: %d bytes in %.1fs" % (
                    res["sender"], res["receiver"], res["block"], res["bytes"], res["seconds"]))
                self.save()
                time.sleep(2)
        clone["runs"] = []
        for index in range(1, self.cfg["clone_runs"] + 1):
            clone["runs"].append(self.measured("clone %d" % index, lambda: self.clone_attempt(ns, index)))
            self.save()
        self.delete_namespace(ns)

    # --- all --------------------------------------------------------------------------

    def section(self, name, func, *args):
        self.log("=== %s ===" % name)
        try:
            return func(*args)
        except Exception as exc:
            self.log("%s failed: %s" % (name, exc))
            self.results["errors"].append({"benchmark": name, "error": str(exc),
                                           "trace": traceback.format_exc()[-3000:]})
            self.save()
            for ns in list(self.namespaces):
                self.delete_namespace(ns)
            return None

    def main(self):
        self.collect_meta()
        self.save()
        only = self.args.only or ["ttr", "scale", "wait", "clone"]
        self.results["meta"]["benchmarks"] = only
        titles = {"ttr": "time to ready and re-run", "scale": "scale-out", "wait": "wait latency",
                  "clone": "clone throughput"}
        try:
            self.section("module start-up profile", self.import_profile)
            for name in ("ttr", "wait", "scale", "clone"):
                if name in only:
                    if name == "scale" and not getattr(self, "baseline_template", None):
                        self.section("baseline objects", self.render_only)
                    self.section(titles[name], getattr(self, "bench_" + name))
        finally:
            for ns in list(self.watchers):
                self.stop_watcher(ns)
            for ns in list(self.namespaces):
                try:
                    self.delete_namespace(ns)
                except Exception as exc:
                    self.log("could not delete %s: %s" % (ns, exc))
            self.results["meta"]["collection_end"] = collection_state()
            self.results["meta"]["git_commit_end"] = subprocess.run(
                ["git", "-C", REPO, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
            self.results["meta"]["finished"] = utc(time.time())
            self.results["meta"]["load_end"] = open("/proc/loadavg").read().strip()
            self.save()
        return 1 if self.results["errors"] else 0

    def render_only(self):
        """The baseline objects when ttr did not run: one untimed site.yml deployment."""
        ns = self.namespace("bench-render")
        self.site(ns, self.cfg["storage"])
        self.render_baseline(ns)
        self.delete_namespace(ns)
        self.settle()


COLLECTION_PATHS = ["plugins", "roles", "playbooks", "meta", "site.yml", "galaxy.yml"]


def collection_state():
    """What the benchmark ran: a hash of the collection's files as they are on disk (the
    working tree, which may differ from HEAD), and the files that differ from HEAD."""
    import hashlib
    files = subprocess.run(["git", "-C", REPO, "ls-files", "-co", "--exclude-standard", "--"] + COLLECTION_PATHS,
                           capture_output=True, text=True).stdout.split()
    digest = hashlib.sha256()
    for name in sorted(files):
        path = os.path.join(REPO, name)
        if os.path.isfile(path):
            digest.update(name.encode() + b"\0")
            with open(path, "rb") as f:
                digest.update(hashlib.sha256(f.read()).digest())
    changed = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--"] + COLLECTION_PATHS,
                             capture_output=True, text=True).stdout.splitlines()
    return {"hash": digest.hexdigest()[:16], "changed_files": [line[3:] for line in changed]}


def parse_timeline(path):
    """Tasks (start, end, status), module results kept, stats, and the times that matter."""
    events = []
    if os.path.exists(path):
        with open(path) as f:
            events = [json.loads(line) for line in f if line.strip()]
    tasks, current = [], {}
    out = {"tasks": tasks, "loaded": None, "stats": None}
    for e in events:
        if e["event"] == "loaded" and out["loaded"] is None:
            out["loaded"] = e["t"]
        elif e["event"] == "task_start":
            task = {"name": e["task"], "action": e["action"], "start": e["t"], "end": None, "hosts": {}}
            tasks.append(task)
            current[e["uuid"]] = task
        elif e["event"] == "result":
            task = current.get(e["uuid"])
            if task is None:
                continue
            task["end"] = e["t"]
            task["hosts"][e["host"]] = {"t": e["t"], "status": e["status"], "changed": e["changed"]}
            if "result" in e:
                task["result"] = e["result"]
            if "msg" in e:
                task["msg"] = e["msg"]
        elif e["event"] == "stats":
            out["stats"] = e["summary"]
    for task in tasks:
        if task["action"].endswith("statefulset_wait") and task.get("end"):
            out["wait_start"], out["wait_end"] = task["start"], task["end"]
            out["wait_result"] = task.get("result")
        if task["action"].endswith("replication_check") and task.get("end"):
            out["check_start"], out["check_end"] = task["start"], task["end"]
            out["check_result"] = task.get("result")
    out["changed_total"] = sum(h.get("changed", 0) for h in (out["stats"] or {}).values())
    return out


def pod_timeline(pod):
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 run each and small data sets")
    parser.add_argument("--runs", type=int, help="override the number of repetitions")
    parser.add_argument("--only", action="append", choices=["ttr", "scale", "wait", "clone"],
                        help="run only these benchmarks (repeatable; scale needs ttr)")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--output", required=True, help="the Markdown file to write")
    args = parser.parse_args()
    # A stopped benchmark still stops its watchers and deletes its namespaces (main's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    bench = Bench(args)
    rc = bench.main()
    sys.path.insert(0, HERE)
    import report
    report.write(os.path.join(args.workdir, "results.json"), args.output)
    bench.log("wrote %s (results: %s)" % (args.output, os.path.join(args.workdir, "results.json")))
    return rc


if __name__ == "__main__":
    sys.exit(main())

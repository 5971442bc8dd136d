"""The benchmarks' plumbing on the shared kind cluster: kubectl, bench-* namespaces, the pod
watchers, room to schedule, and timed commands (ansible-playbook with the timeline callback,
kubectl pairs). A mixin of bench.Bench, which sets the attributes used here."""

import json
import os
import shlex
import subprocess
import sys
import time

import yaml

from timelines import parse_timeline, pod_timeline

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
NAME = "mysql"


class BenchError(Exception):
    pass


def cpu_millis(quantity):
    text = str(quantity)
    if text.endswith("m"):
        return int(float(text[:-1]))
    return int(float(text) * 1000)


def pod_requests(spec):
    """Millicores a pod holds: its containers together, or its largest init container."""
    def cpu(c):
        return cpu_millis(((c.get("resources") or {}).get("requests") or {}).get("cpu", "0"))
    app = sum(cpu(c) for c in spec.get("containers") or [])
    init = max([cpu(c) for c in spec.get("initContainers") or []] or [0])
    return max(app, init)


class Cluster:
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
            out = self.kubectl("get", "namespaces", "-o",
                               "jsonpath={range .items[*]}{.metadata.name} {.status.phase}{\"\\n\"}{end}")
            if not any(line.startswith("bench-") and line.endswith("Terminating") for line in out.splitlines()):
                break
            time.sleep(2)
        helpers = self.kubectl("get", "pods", "-n", "local-path-storage", "-o", "name")
        if any("helper-pod" in line for line in helpers.splitlines()):
            time.sleep(3)
        time.sleep(2)

    def start_watcher(self, ns):
        path = os.path.join(self.workdir, "watch-%s.jsonl" % ns)
        env = dict(os.environ, KUBECONFIG=self.kubeconfig)
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "podwatch.py"), ns, path], env=env,
                                stdout=subprocess.DEVNULL, stderr=open(path + ".err", "a"))
        deadline = time.time() + 60
        while time.time() < deadline:
            if os.path.exists(path) and any(json.loads(line).get("event") == "synced" for line in open(path)):
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

    def watched(self, ns, event, since, until):
        """The watcher's `event` lines in the window, the initial list left out."""
        return [e for e in self.watch_events(ns)
                if e["event"] == event and not e.get("initial") and since <= e["t"] <= until]

    # --- a shared cluster: room to schedule, and runs other workloads disturbed ---------

    def pod_cpu_request(self):
        """Millicores one pod of the StatefulSet requests (the role's defaults)."""
        with open(os.path.join(REPO, "roles", "mysql_statefulset", "defaults", "main.yml")) as f:
            defaults = yaml.safe_load(f)
        main = cpu_millis(defaults["mysql_statefulset_resources"]["requests"].get("cpu", "0"))
        side = cpu_millis(defaults["mysql_statefulset_sidecar_resources"]["requests"].get("cpu", "0"))
        return max(main + side, main)  # init containers run alone: the largest is the main one

    def free_cpu(self):
        allocatable = sum(cpu_millis(n["status"]["allocatable"]["cpu"]) for n in self.kjson("get", "nodes")["items"])
        used = sum(pod_requests(pod["spec"]) for pod in self.kjson("get", "pods", "-A")["items"]
                   if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))
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
        return ["%s unschedulable: %s" % (e["pod"], e.get("message"))
                for e in self.watched(ns, "unschedulable", since, until)]

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
                self.results.setdefault("discarded", []).append({"what": what, "flavor": self.server, "run": run})
                self.save()
        return run

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

    # --- pods -------------------------------------------------------------------------

    def snapshot(self, ns, pods=None):
        out = {}
        for pod in self.kjson("get", "pods", "-n", ns)["items"]:
            name = pod["metadata"]["name"]
            if pods is None or name in pods:
                out[name] = pod_timeline(pod)
        return out

    def observe(self, run, ns, pods=None):
        """What the watcher and the API saw during a run: pod -> Ready time (the last in the
        window) and creation time, the pods' histories, and disturbances."""
        run["watch_ready"] = dict((e["pod"], {"t": e["t"], "ltt": e.get("ltt")})
                                  for e in self.watched(ns, "ready", run["t0"], run["t_end"]))
        run["watch_added"] = dict((e["pod"], e["t"]) for e in self.watched(ns, "added", run["t0"], run["t_end"]))
        run["pods"] = self.snapshot(ns, pods)
        run["disturbed"] = self.disturbances(ns, run["t0"], run["t_end"])
        return run

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

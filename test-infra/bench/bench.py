"""The benchmarks behind docs/benchmarks.md (run through test-infra/bench/run.sh).

Runs, on the local kind cluster, one benchmark at a time, in namespaces named bench-*, each on
the servers --flavor names (FLAVOR-VERSION; by default MySQL 9.7, and for the clone, the
commit and the backup also MariaDB 10.11):

  ttr     time to ready: site.yml from nothing vs `kubectl apply -f` + `kubectl rollout status`
  rerun   the second site.yml run (changed=0) as a fraction of the first
  wait    statefulset_wait's latency vs kubernetes.core.k8s_info's wait (default polling)
  scale   scale-out 3 -> 5: scale.yml vs `kubectl scale` + `kubectl rollout status`
  clone   clone throughput: a 4th replica of a loaded set vs a local copy of the same data
  commit  commit latency with the semi-sync wait and without
  backup  backup throughput vs the clone's local limit; restore time into a new namespace

Every measurement goes to <workdir>/results.json (results["flavors"][<flavor-version>]);
report.py turns it into the document. Timing comes from wall clocks on this machine (the kind
node shares its kernel clock): the harness around each command, the bench_timeline callback
inside ansible-playbook, podwatch.py for the moment each pod turned Ready, and the API's own
timestamps.
"""

import argparse
import json
import os
import platform
import re
import signal
import subprocess
import sys
import time
import traceback

import collection_copy
import server_flavors
from clone_bench import CloneBenchmark
from backup_bench import BackupBenchmark
from commit_bench import CommitBenchmark
from scale_bench import ScaleBenchmark
from ttr_bench import TtrBenchmark
from wait_bench import WaitBenchmark
from cluster import NAME, REPO, BenchError, Cluster
from timelines import utc

ROOT_CNF = "/run/stateful-mysql/root.cnf"
MODES = {
    # runs: repetitions of the cheap benchmarks (and the backups); *_mb: data sets; clone_runs: 1 GB clones.
    "quick": dict(commits=200, runs=1, scale_mb=8, clone_mb=64, clone_runs=1, local_runs=1, backup_mb=32,
                  storage="1Gi", clone_storage="2Gi", backup_storage="2Gi", backup_pvc="2Gi"),
    "full": dict(commits=1000, runs=3, scale_mb=64, clone_mb=1024, clone_runs=3, local_runs=3, backup_mb=256,
                 storage="1Gi", clone_storage="8Gi", backup_storage="4Gi", backup_pvc="8Gi"),
}
TITLES = {"ttr": "time to ready and re-run", "scale": "scale-out", "wait": "wait latency",
          "clone": "clone throughput", "commit": "commit latency with and without semi-sync",
          "backup": "backup and restore"}


def empty_bucket():
    """What one server's benchmarks record."""
    return {"ttr": [], "rerun": [], "wait": [], "scale": [], "scale_setup": {}, "clone": {}, "commit": [],
            "backup": {}}


def images_for(plan, environ):
    """server -> locally built image, from the variables `cluster.sh env` printed."""
    images, missing = {}, []
    for name in dict.fromkeys(n for names in plan.values() for n in names):
        var = server_flavors.image_variable(name)
        if environ.get(var):
            images[name] = environ[var]
        else:
            missing.append("%s (%s)" % (name, var))
    if missing:
        raise BenchError("no locally built image for %s; test-infra/kind/cluster.sh env prints the images"
                         % ", ".join(missing))
    return images


class Bench(Cluster, TtrBenchmark, WaitBenchmark, ScaleBenchmark, CloneBenchmark, CommitBenchmark, BackupBenchmark):
    def __init__(self, args):
        self.args = args
        self.mode = "quick" if args.quick else "full"
        self.cfg = dict(MODES[self.mode])
        if args.runs:
            self.cfg["runs"] = args.runs
        self.plan = server_flavors.plan(args.only, args.flavor)
        self.images = images_for(self.plan, os.environ)
        self.workdir = args.workdir
        os.makedirs(self.workdir, exist_ok=True)
        self.kubectl_bin = os.environ["KUBECTL"]
        self.kubeconfig = os.environ["KUBECONFIG"]
        self.storage_class = os.environ.get("BENCH_STORAGE_CLASS", "standard")
        self.logf = open(os.path.join(self.workdir, "bench.log"), "a")
        self.namespaces, self.watchers, self.seq = [], {}, 0
        self.baseline_templates = {}
        self.server = self.bucket = None
        self.results = {"meta": {}, "flavors": {}, "errors": []}

    # --- the server under test --------------------------------------------------------

    def use_server(self, name):
        self.server, self.image = name, self.images[name]
        self.bucket = self.results["flavors"].setdefault(name, empty_bucket())

    def ns_name(self, kind):
        """bench-<server>-<kind>, e.g. bench-mysql-97-ttr-site-1."""
        return "bench-%s-%s" % (self.server.replace(".", ""), kind)

    def deploy_vars(self):
        return server_flavors.deploy_vars(self.server, self.image, self.storage_class)

    def scale_vars(self, replicas):
        return ["-e", "stateful_mysql_replicas=%d" % replicas] + server_flavors.flavor_vars(self.server)

    def playbook(self, kind, playbook, ns, extra=(), **kw):
        argv = ["ansible-playbook", playbook, "-e", "stateful_mysql_namespace=%s" % ns] + list(extra)
        return self.finish_playbook(self.start_playbook(self.label(kind), argv, **kw))

    def site_argv(self, ns, storage):
        return ["ansible-playbook", "stateful.mysql.site", "-e", "stateful_mysql_namespace=%s" % ns] \
            + self.deploy_vars() + ["-e", "mysql_statefulset_storage_size=%s" % storage]

    def site(self, ns, storage):
        run = self.finish_playbook(self.start_playbook(self.label("site"), self.site_argv(ns, storage)))
        info = self.results["meta"].setdefault("flavors", {}).setdefault(self.server, {"image": self.image})
        if "server" not in info:
            info["server"] = self.sql(ns, "%s-0" % NAME, "SELECT VERSION()")
        return run

    # --- SQL --------------------------------------------------------------------------

    def sql(self, ns, pod, statements, timeout=3600):
        return self.kubectl("exec", "-n", ns, pod, "-c", "mysql", "--", server_flavors.client(self.server),
                            "--defaults-extra-file=%s" % ROOT_CNF, "-N", "-B", "-e", statements,
                            timeout=timeout).strip()

    def load_data(self, ns, megabytes, chunk_rows=20000):
        """~megabytes of incompressible rows (1000 random bytes each) in bench.filler."""
        rows = int(megabytes * 1000)
        statements = server_flavors.load_statements(self.server, rows, chunk_rows)
        t0 = time.time()
        self.sql(ns, "%s-0" % NAME, ";\n".join(statements) + ";")
        loaded = time.time()
        self.wait_caught_up(ns)
        return {"rows": rows, "megabytes": megabytes, "load_s": loaded - t0, "caught_up_s": time.time() - loaded,
                "statement": server_flavors.load_description(self.server, chunk_rows)}

    def wait_caught_up(self, ns, timeout=3600):
        replicas = int(self.kjson("get", "sts", NAME, "-n", ns)["spec"]["replicas"])
        target = self.sql(ns, "%s-0" % NAME, server_flavors.primary_position_query(self.server))
        query = server_flavors.caught_up_query(self.server, target)
        deadline = time.time() + timeout
        pending = ["%s-%d" % (NAME, i) for i in range(1, replicas)]
        while pending:
            pending = [p for p in pending if self.sql(ns, p, query) != "1"]
            if pending and time.time() > deadline:
                raise BenchError("replicas %s did not reach %s" % (pending, target))
            if pending:
                time.sleep(2)

    # --- meta -------------------------------------------------------------------------

    def collect_meta(self):
        def out(argv):
            try:
                return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
            except Exception as exc:  # a missing tool is reported, not fatal
                return "unavailable (%s)" % exc
        meminfo = dict(line.split(":", 1) for line in open("/proc/meminfo"))
        cpu = next((x.split(":", 1)[1].strip() for x in open("/proc/cpuinfo") if x.startswith("model name")), "?")
        version = json.loads(self.kubectl("version", "-o", "json"))
        galaxy = out(["ansible-galaxy", "collection", "list", "kubernetes.core"])
        kcore = re.search(r"^kubernetes\.core\s+(\S+)", galaxy, re.M)
        import kubernetes
        self.collections_path, snapshot = collection_copy.snapshot_collection(REPO, self.workdir)
        self.results["meta"] = {
            "mode": self.mode, "config": self.cfg, "started": utc(time.time()), "workdir": self.workdir,
            "nproc": out(["nproc"]), "cpu": cpu, "memory_kib": int(meminfo["MemTotal"].split()[0]),
            "kernel": platform.release(), "os": out(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            "python": platform.python_version(), "ansible_core": out(["ansible", "--version"]).splitlines()[0],
            "kubernetes_core": kcore.group(1) if kcore else galaxy, "kubernetes_client": kubernetes.__version__,
            "kubernetes_server": version["serverVersion"]["gitVersion"],
            "kubectl": version["clientVersion"]["gitVersion"],
            "kind": out(["kind", "version"]), "docker": out(["docker", "version", "--format", "{{.Server.Version}}"]),
            "flavors": dict((name, {"image": image}) for name, image in self.images.items()),
            "git_commit": collection_copy.git_commit(REPO),
            "collection_start": collection_copy.collection_state(REPO),
            "collection_snapshot": snapshot,
            "load_start": open("/proc/loadavg").read().strip(),
        }

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

    # --- all --------------------------------------------------------------------------

    def section(self, name, func, *args):
        self.log("=== %s%s ===" % (name, " (%s)" % self.server if self.server else ""))
        try:
            return func(*args)
        except Exception as exc:
            self.log("%s failed: %s" % (name, exc))
            self.results["errors"].append({"benchmark": name, "flavor": self.server, "error": str(exc),
                                           "trace": traceback.format_exc()[-3000:]})
            self.save()
            for ns in list(self.namespaces):
                self.delete_namespace(ns)
            return None

    def run_plan(self):
        self.section("module start-up profile", self.import_profile)
        for name in server_flavors.BENCHMARKS:
            for server in self.plan.get(name, []):
                self.use_server(server)
                if name == "scale" and server not in self.baseline_templates:
                    self.section("baseline objects", self.render_only)
                self.section(TITLES[name], getattr(self, "bench_" + name))

    def finish(self):
        for ns in list(self.watchers):
            self.stop_watcher(ns)
        for ns in list(self.namespaces):
            try:
                self.delete_namespace(ns)
            except Exception as exc:
                self.log("could not delete %s: %s" % (ns, exc))
        meta = self.results["meta"]
        meta["collection_end"] = collection_copy.collection_state(REPO)
        meta["git_commit_end"] = collection_copy.git_commit(REPO)
        meta["finished"] = utc(time.time())
        meta["load_end"] = open("/proc/loadavg").read().strip()
        self.save()

    def main(self):
        self.collect_meta()
        self.results["meta"].update(benchmarks=list(self.plan), plan=self.plan)
        self.save()
        try:
            self.run_plan()
        finally:
            self.finish()
        return 1 if self.results["errors"] else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 run each and small data sets")
    parser.add_argument("--runs", type=int, help="override the number of repetitions")
    parser.add_argument("--only", action="append", choices=list(server_flavors.BENCHMARKS),
                        help="run only these benchmarks (repeatable; ttr includes the re-run)")
    parser.add_argument("--flavor", action="append", metavar="FLAVOR-VERSION",
                        help="run every chosen benchmark on this server, e.g. mysql-9.7 or mariadb-10.11 "
                             "(repeatable; default: mysql-9.7, and for the clone, the commit and the backup also "
                             "mariadb-10.11)")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--output", required=True, help="the Markdown file to write")
    args = parser.parse_args()
    try:
        server_flavors.plan(args.only, args.flavor)
    except ValueError as exc:
        parser.error(str(exc))
    # A stopped benchmark still stops its watchers and deletes its namespaces (main's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        bench = Bench(args)
    except BenchError as exc:
        sys.exit("bench.py: %s" % exc)
    rc = bench.main()
    import report
    report.write(os.path.join(args.workdir, "results.json"), args.output)
    bench.log("wrote %s (results: %s)" % (args.output, os.path.join(args.workdir, "results.json")))
    return rc


if __name__ == "__main__":
    sys.exit(main())

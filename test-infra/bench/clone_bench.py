"""Benchmark 4, clone throughput: a 4th replica of a loaded set, created by scale.yml and
cloned from ordinal 2, against the physical limit of the same copy inside a pod. MariaDB
streams a mariadb-backup from the donor's sidecar, so its limit is that backup extracted
locally; MySQL runs CLONE INSTANCE from the donor, so its limit is the donor's datadir copied
locally (server_flavors.local_limit). A mixin of bench.Bench."""

import json
import subprocess
import time

import server_flavors
from cluster import NAME, BenchError

BACKUP_CNF = "/run/stateful-mysql/backup.cnf"
PRIMARY, DONOR, NEW = "%s-0" % NAME, "%s-2" % NAME, "%s-3" % NAME
STREAM_PORT = 3399


class CloneBenchmark:
    def local_limit(self, ns, pod):
        """The clone's bytes copied inside `pod` with no network and no server: seconds, bytes."""
        container, script = server_flavors.local_limit(self.server, BACKUP_CNF)
        out = self.kubectl("exec", "-n", ns, pod, "-c", container, "--", "bash", "-c", script).split()
        start, end, size = float(out[0]), float(out[1]), int(out[2])
        return {"pod": pod, "seconds": end - start, "bytes": size, "command": script, "container": container,
                "load1": self.load()}

    def stream_path(self, ns, sender, receiver, block):
        """MariaDB: the backup streamed from `sender` to `receiver` over the pod network through
        socat with a `block`-byte buffer (socat's default is 8192)."""
        port = STREAM_PORT
        opt = "" if block is None else "-b %d " % block
        recv = ("rm -rf /tmp/bench-o; mkdir /tmp/bench-o; timeout 600 socat %s-u TCP-LISTEN:%d,reuseaddr - "
                "| mbstream -x -C /tmp/bench-o; e=$(date +%%s.%%N); echo \"$e $(du -sb /tmp/bench-o | cut -f1)\"; "
                "rm -rf /tmp/bench-o" % (opt, port))
        send = ("set -o pipefail; t=$(mktemp -d); trap 'rm -rf \"$t\"' EXIT; s=$(date +%%s.%%N); "
                "mariadb-backup --defaults-file=%s --backup --stream=xbstream --slave-info --target-dir=\"$t\" "
                "2>/dev/null | socat %s-u - TCP:%s.%s:%d,retry=100,interval=0.1 || exit 1; echo $s"
                % (BACKUP_CNF, opt, receiver, NAME, port))
        argv = [self.kubectl_bin, "--kubeconfig", self.kubeconfig, "exec", "-n", ns, receiver, "-c", "replication",
                "--", "bash", "-c", recv]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        try:
            start = float(self.kubectl("exec", "-n", ns, sender, "-c", "replication", "--", "bash", "-c", send).split()[-1])
        except Exception:
            proc.kill()
            raise
        out, err = proc.communicate(timeout=900)
        if proc.returncode != 0:
            raise BenchError("stream receiver failed: %s" % err[-500:])
        end, size = out.split()[-2:]
        return {"sender": sender, "receiver": receiver, "block": block or 8192, "seconds": float(end) - start,
                "bytes": int(size), "sender_command": send, "receiver_command": recv, "load1": self.load()}

    def clone_attempt(self, ns, index):
        capacity = self.wait_capacity(1)
        load = self.load()
        run = self.playbook("clone", "stateful.mysql.scale", ns, self.scale_vars(4))
        run.update(index=index, load1=load, capacity=capacity)
        self.observe(run, ns, [NEW])
        # The clone's log lines, from whichever init containers the pod ran (clone, or the one
        # init container that runs init-config, init-datadir and clone in turn).
        inits = [i["name"] for i in (run["pods"].get(NEW) or {}).get("init") or []] or ["clone"]
        run["clone_log"] = "\n".join(self.kubectl("logs", "-n", ns, NEW, "-c", name) for name in inits)
        run["sidecar_log"] = self.kubectl("logs", "-n", ns, NEW, "-c", "replication")
        run["datadir_bytes"] = self.du(ns, NEW, "/var/lib/mysql/data")
        self.log("clone %d: scale.yml %.1fs" % (index, run["total"]))
        self.scale_back(ns, 3, 4)
        return run

    def free_bytes(self, ns, pod, container, path):
        return int(self.kubectl("exec", "-n", ns, pod, "-c", container, "--", "df", "-B1", "--output=avail",
                                path).split()[-1])

    def clone_setup(self, ns, clone):
        """3 pods loaded with the data set; refuses to go on without room for the local copies."""
        clone.update(ns=ns, storage=self.cfg["clone_storage"], method=server_flavors.clone_method(self.server))
        clone["deploy_total"] = self.site(ns, self.cfg["clone_storage"])["total"]
        self.log("loading %s MB into %s" % (self.cfg["clone_mb"], ns))
        clone["data"] = self.load_data(ns, self.cfg["clone_mb"])
        clone["datadir_bytes"] = dict((p, self.du(ns, p, "/var/lib/mysql/data")) for p in (PRIMARY, DONOR))
        clone["table_bytes"] = self.du(ns, PRIMARY, "/var/lib/mysql/data/bench/filler.ibd")
        if clone["method"] == "stream":  # the backup and its extraction both go to /tmp
            free, need = self.free_bytes(ns, PRIMARY, "replication", "/tmp"), 2.5 * clone["datadir_bytes"][PRIMARY]
        else:  # the donor's datadir copied beside itself
            free, need = self.free_bytes(ns, DONOR, "mysql", "/var/lib/mysql"), 1.2 * clone["datadir_bytes"][DONOR]
        if free < need:
            raise BenchError("%d bytes free in the pod, too little for a local copy (%d needed)" % (free, need))
        self.save()
        self.settle()

    def clone_locals(self, ns, clone):
        """The local limit, local_runs times: MariaDB on the primary and the donor, MySQL on the donor."""
        pods = (PRIMARY, DONOR) if clone["method"] == "stream" else (DONOR,)
        clone["local"] = []
        for _ in range(self.cfg["local_runs"]):
            for pod in pods:
                res = self.local_limit(ns, pod)
                clone["local"].append(res)
                self.log("local copy in %s: %d bytes in %.1fs" % (pod, res["bytes"], res["seconds"]))
                self.save()
                time.sleep(2)

    def admit_stream_port(self, ns):
        """The collection's NetworkPolicy admits only the MySQL and clone ports, and the test
        cluster enforces it: a second policy (policies add up) admits the measurement's port
        between the namespace's pods."""
        policy = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                  "metadata": {"name": "bench-stream-port", "namespace": ns},
                  "spec": {"podSelector": {}, "policyTypes": ["Ingress"],
                           "ingress": [{"from": [{"podSelector": {}}],
                                        "ports": [{"protocol": "TCP", "port": STREAM_PORT}]}]}}
        self.kubectl("apply", "-f", "-", input=json.dumps(policy))

    def clone_stream_paths(self, ns, clone):
        """MariaDB: where the stream's time goes, the same backup over the pod network through
        socat, with socat's default buffer and with the sidecar's larger one."""
        self.admit_stream_port(ns)
        clone["stream_path"] = []
        for _ in range(self.cfg["local_runs"]):
            for block in (None, 131072):
                res = self.stream_path(ns, DONOR, "%s-1" % NAME, block)
                clone["stream_path"].append(res)
                self.log("stream %s -> %s, socat -b %d: %d bytes in %.1fs" % (
                    res["sender"], res["receiver"], res["block"], res["bytes"], res["seconds"]))
                self.save()
                time.sleep(2)

    def bench_clone(self):
        self.wait_capacity(4)
        ns = self.namespace(self.ns_name("clone"))
        self.start_watcher(ns)
        clone = self.bucket["clone"]
        self.clone_setup(ns, clone)
        self.clone_locals(ns, clone)
        if clone["method"] == "stream":
            self.clone_stream_paths(ns, clone)
        clone["runs"] = []
        for index in range(1, self.cfg["clone_runs"] + 1):
            clone["runs"].append(self.measured("clone %d" % index, lambda: self.clone_attempt(ns, index)))
            self.save()
        self.delete_namespace(ns)

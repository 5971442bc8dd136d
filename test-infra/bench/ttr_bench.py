"""Benchmarks 1 and 2, time to ready and the re-run: site.yml from nothing to 3 Ready pods
against `kubectl apply -f` of the same objects (rendered from a site.yml deployment) plus
`kubectl rollout status`, alternating; then the second site.yml run on the same deployment.
A mixin of bench.Bench; the baseline objects are the scale benchmark's baseline too."""

import os
import time

import yaml

from cluster import NAME, BenchError

BASELINE_KINDS = "configmap,secret,service,statefulset,poddisruptionbudget,networkpolicy"
STATE_CONFIGMAP = "%s-state" % NAME
BASELINE_EXPECTED = {"ConfigMap": 1, "Secret": 1, "Service": 2, "StatefulSet": 1, "PodDisruptionBudget": 1,
                     "NetworkPolicy": 1}


def strip_object(obj):
    """A live object as `kubectl apply -f` can create it in any namespace (NAMESPACE)."""
    meta = obj["metadata"]
    for key in ("uid", "resourceVersion", "managedFields", "creationTimestamp", "generation", "namespace", "selfLink"):
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
    return obj


class TtrBenchmark:
    def render_baseline(self, ns):
        """The objects site.yml made, as a file `kubectl apply -f` can create anywhere."""
        items = self.kjson("get", BASELINE_KINDS, "-n", ns, "-l", "app.kubernetes.io/instance=%s" % NAME)["items"]
        # <name>-state is replication_check's record that the deployment was verified, not a
        # deployed object: a copy would tell the baseline's new ordinal 0 it had held data.
        items = [obj for obj in items if obj["metadata"]["name"] != STATE_CONFIGMAP]
        docs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "NAMESPACE"}}]
        docs += [strip_object(obj) for obj in items]
        counts = {}
        for obj in items:
            counts[obj["kind"]] = counts.get(obj["kind"], 0) + 1
        if counts != BASELINE_EXPECTED:
            raise BenchError("rendered objects %s, expected %s" % (counts, BASELINE_EXPECTED))
        path = os.path.join(self.workdir, "baseline-objects-%s.yaml" % self.server)
        with open(path, "w") as f:
            yaml.safe_dump_all(docs, f, sort_keys=False)
        self.baseline_templates[self.server] = path
        self.bucket["baseline_objects"] = {
            "path": path, "kinds": counts, "rendered_from": ns,
            "command": "kubectl get %s -n %s -l app.kubernetes.io/instance=%s -o json, stripped of status, uid, "
                       "resourceVersion, managedFields, creationTimestamp, generation, namespace, clusterIP(s) "
                       "(headless: clusterIP None kept), without the ConfigMap %s (replication_check's record of "
                       "a verified deployment); a Namespace object first" % (BASELINE_KINDS, ns, NAME, STATE_CONFIGMAP)}
        return path

    def baseline_deploy(self, ns):
        with open(self.baseline_templates[self.server]) as f:
            text = f.read()
        path = os.path.join(self.workdir, "baseline-%s.yaml" % ns)
        with open(path, "w") as f:
            f.write(text.replace("NAMESPACE", ns))
        return self.timed_kubectl("base", ["apply", "-f", path],
                                  ["rollout", "status", "sts/%s" % NAME, "-n", ns, "--timeout=900s"])

    def rerun(self, ns, first):
        """The same site.yml again on the deployment `first` made: nothing should change."""
        time.sleep(2)
        second = self.site(ns, self.cfg["storage"])
        second.update(ns=ns, index=first["index"], first_total=first["total"], load1=self.load())
        self.bucket["rerun"].append(second)
        self.log("re-run %d: %.1fs, changed=%s" % (first["index"], second["total"], second["changed_total"]))

    def ttr_attempt(self, index, kind):
        capacity = self.wait_capacity(3)
        ns = self.namespace(self.ns_name("ttr-%s-%d" % (kind, index)))
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
            self.rerun(ns, run)
            if self.server not in self.baseline_templates:
                self.render_baseline(ns)
        self.delete_namespace(ns)
        self.settle()
        return run

    def ttr_measured(self, index, kind):
        run = self.measured("%s deploy %d" % (kind, index), lambda: self.ttr_attempt(index, kind))
        self.bucket["ttr"].append(run)
        self.save()

    def bench_ttr(self):
        for index in range(1, self.cfg["runs"] + 1):
            order = ("base", "site") if index % 2 == 0 else ("site", "base")
            for kind in order:
                if kind == "base" and self.server not in self.baseline_templates:
                    continue  # rendered from the first site.yml run, which has not happened yet
                self.ttr_measured(index, kind)
            if not any(r["kind"] == "base" and r["index"] == index for r in self.bucket["ttr"]):
                self.ttr_measured(index, "base")

    def render_only(self):
        """The baseline objects when ttr did not run: one untimed site.yml deployment."""
        ns = self.namespace(self.ns_name("render"))
        self.site(ns, self.cfg["storage"])
        self.render_baseline(ns)
        self.delete_namespace(ns)
        self.settle()

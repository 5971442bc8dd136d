"""Benchmark 5, scale-out 3 -> 5 of a loaded deployment: scale.yml against `kubectl scale` +
`kubectl rollout status` on the baseline objects, each side N times, scaling back between
runs. A mixin of bench.Bench."""

from cluster import NAME


class ScaleBenchmark:
    def scale_attempt(self, kind, ns, index):
        capacity = self.wait_capacity(2)
        load = self.load()
        if kind == "site":
            run = self.playbook("scale", "stateful.mysql.scale", ns, self.scale_vars(5))
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
        for kind in ("site", "base"):
            self.wait_capacity(5)
            ns = self.namespace(self.ns_name("scale-%s" % kind))
            self.start_watcher(ns)
            setup = self.site(ns, self.cfg["storage"]) if kind == "site" else self.baseline_deploy(ns)
            self.log("loading %s MB into %s" % (self.cfg["scale_mb"], ns))
            data = self.load_data(ns, self.cfg["scale_mb"])
            self.bucket["scale_setup"][kind] = {"ns": ns, "deploy_total": setup["total"], "data": data}
            self.settle()
            for index in range(1, self.cfg["runs"] + 1):
                run = self.measured("scale %s %d" % (kind, index), lambda: self.scale_attempt(kind, ns, index))
                self.bucket["scale"].append(run)
                self.save()
            self.delete_namespace(ns)
            self.settle()

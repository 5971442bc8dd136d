"""Benchmark 3, wait latency: statefulset_wait (inside site.yml) against
kubernetes.core.k8s_info with `wait: true` at its default polling, started together on the
same deployment; podwatch.py says when each pod turned Ready. A mixin of bench.Bench."""

import os
import sys

import yaml

from cluster import HERE, NAME


class WaitBenchmark:
    def k8s_info_argv(self, ns):
        inventory = os.path.join(self.workdir, "k8s-info-inventory-%s.yml" % ns)
        with open(inventory, "w") as f:
            yaml.safe_dump({"all": {"hosts": dict(("%s-%d" % (NAME, i), None) for i in range(3)),
                                    "vars": {"ansible_connection": "local",
                                             "ansible_python_interpreter": sys.executable}}}, f)
        return ["ansible-playbook", "-i", inventory, os.path.join(HERE, "k8s_info_wait.yml"),
                "-e", "bench_namespace=%s" % ns, "-e", "bench_wait_timeout=900"]

    def wait_attempt(self, index):
        capacity = self.wait_capacity(3)
        ns = self.namespace(self.ns_name("wait-%d" % index))
        self.start_watcher(ns)
        base_argv, site_argv = self.k8s_info_argv(ns), self.site_argv(ns, self.cfg["storage"])
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
            self.bucket["wait"].append(self.measured("wait latency %d" % index, lambda: self.wait_attempt(index)))
            self.save()

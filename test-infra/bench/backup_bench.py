"""Benchmark 7, backup and restore: a 3-pod deployment loaded with a data set, the clone
benchmark's local limit measured in the replica the backups are taken from (MariaDB: the
streamed mariadb-backup extracted in the pod; MySQL: the datadir copied on its own volume),
then stateful.mysql.backup to the PVC store from that replica, `runs` times, and one restore
of the last backup by site.yml into a new namespace, timed to ordinal 0 Ready, every pod Ready
and verified. A mixin of bench.Bench."""

import time

import server_flavors
from cluster import NAME

PRIMARY, SOURCE = "%s-0" % NAME, "%s-2" % NAME
RESTORE_KEEP = ("statefulset_wait", "replication_check", "backup_restore")


def task_result(run, action):
    """The kept result of the playbook's first finished task of `action` (short name)."""
    for task in run.get("tasks") or []:
        if task["action"].split(".")[-1] == action and task.get("result"):
            return task["result"]
    return None


class BackupBenchmark:
    def backup_store_vars(self):
        return server_flavors.flavor_vars(self.server) + [
                "-e", "mysql_backup_source_pod=%s" % SOURCE, "-e", "mysql_backup_keep=0",
                "-e", "mysql_backup_pvc_size=%s" % self.cfg["backup_pvc"],
                "-e", "mysql_backup_pvc_storage_class=%s" % self.storage_class]

    def backup_attempt(self, ns, index):
        load = self.load()
        run = self.playbook("backup", "stateful.mysql.backup", ns, self.backup_store_vars(), keep=("backup",))
        result = task_result(run, "backup") or {}
        manifest = result.get("manifest") or {}
        run.update(index=index, load1=load, id=result.get("id"), source_pod=result.get("source_pod"),
                   source_role=result.get("source_role"), store=result.get("store"),
                   manifest=dict((k, manifest.get(k)) for k in (
                       "size", "seconds", "data_bytes", "bytes_per_second", "started", "finished", "format",
                       "source_pod", "source_role", "server_version")))
        run.pop("tasks", None)  # the module's whole result: the manifest above is what counts
        self.log("backup %d: %s bytes in %ss (playbook %.1fs)" % (index, manifest.get("size"),
                                                                  manifest.get("seconds"), run["total"]))
        return run

    def restore_attempt(self, source_ns, backup_id, index):
        capacity = self.wait_capacity(3)
        ns = self.namespace(self.ns_name("restore"))
        self.start_watcher(ns)
        argv = self.site_argv(ns, self.cfg["backup_storage"]) + [
            "-e", "mysql_backup_restore_id=%s" % backup_id, "-e", "mysql_backup_restore_from_namespace=%s" % source_ns]
        load = self.load()
        run = self.finish_playbook(self.start_playbook(self.label("restore"), argv, keep=RESTORE_KEEP))
        run.update(index=index, ns=ns, id=backup_id, load1=load, capacity=capacity)
        sent = task_result(run, "backup_restore") or {}
        run["send"] = {"received": sent.get("received"), "seconds": sent.get("seconds")}
        self.observe(run, ns)
        run["datadir_bytes"] = self.du(ns, PRIMARY, "/var/lib/mysql/data")
        self.log("restore %d: site.yml %.1fs" % (index, run["total"]))
        self.delete_namespace(ns)
        self.settle()
        return run

    def bench_backup(self):
        self.wait_capacity(3)
        ns = self.namespace(self.ns_name("backup"))
        backup = self.bucket["backup"]
        backup.update(ns=ns, storage=self.cfg["backup_storage"], method=server_flavors.clone_method(self.server),
                      source=SOURCE)
        backup["deploy_total"] = self.site(ns, self.cfg["backup_storage"])["total"]
        self.log("loading %s MB into %s" % (self.cfg["backup_mb"], ns))
        backup["data"] = self.load_data(ns, self.cfg["backup_mb"])
        backup["datadir_bytes"] = dict((p, self.du(ns, p, "/var/lib/mysql/data")) for p in (PRIMARY, SOURCE))
        self.save()
        self.settle()
        backup["local"] = []
        for _ in range(self.cfg["local_runs"]):
            res = self.local_limit(ns, SOURCE)
            backup["local"].append(res)
            self.log("local copy in %s: %d bytes in %.1fs" % (SOURCE, res["bytes"], res["seconds"]))
            self.save()
            time.sleep(2)
        backup["runs"] = []
        for index in range(1, self.cfg["runs"] + 1):
            backup["runs"].append(self.backup_attempt(ns, index))
            self.save()
            time.sleep(2)
        last = backup["runs"][-1]["id"]
        backup["restores"] = [self.measured("restore 1", lambda: self.restore_attempt(ns, last, 1))]
        self.save()
        self.delete_namespace(ns)
        self.settle()

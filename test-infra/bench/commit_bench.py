"""Benchmark 6, what semi-synchronous replication costs a commit: single-row commits on the
primary of a 3-pod deployment with the primary waiting for a replica's acknowledgement
(stateful_mysql_semi_sync=wait, the default) and with that wait switched off on the primary
(asynchronous replication), alternating, in the same deployment. A mixin of bench.Bench."""

import server_flavors
from cluster import NAME

PRIMARY = "%s-0" % NAME


class CommitBenchmark:
    def commit_attempt(self, ns, index, semi_sync):
        micros = int(self.sql(ns, PRIMARY, server_flavors.commit_run(self.server, semi_sync, self.cfg["commits"])))
        run = {"index": index, "semi_sync": semi_sync, "commits": self.cfg["commits"], "micros": micros,
               "load1": self.load()}
        self.log("commits %d %s: %.2f ms each" % (index, "semi-sync" if semi_sync else "async",
                                                  micros / 1000.0 / self.cfg["commits"]))
        return run

    def bench_commit(self):
        self.wait_capacity(3)
        ns = self.namespace(self.ns_name("commit"))
        self.site(ns, self.cfg["storage"])
        self.sql(ns, PRIMARY, server_flavors.COMMIT_SETUP)
        try:
            for index in range(1, self.cfg["runs"] + 1):
                # Alternating, so a drift of the machine's load hits both sides alike.
                for semi_sync in ((True, False) if index % 2 else (False, True)):
                    self.bucket["commit"].append(self.commit_attempt(ns, index, semi_sync))
                    self.save()
        finally:
            self.sql(ns, PRIMARY, server_flavors.semi_sync_on(self.server))
        self.delete_namespace(ns)

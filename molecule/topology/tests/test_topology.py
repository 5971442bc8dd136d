"""topology: delete every pod; the StatefulSet restores them in order with their data."""

import datetime

TABLE = "app.survivors"


def _time(value):
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")


def _ready_since(pod):
    condition = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
    assert condition["status"] == "True", pod["metadata"]["name"]
    return _time(condition["lastTransitionTime"])


def _checksums(cluster):
    return {name: cluster.sql(name, "CHECKSUM TABLE " + TABLE)[0][1] for name in cluster.pod_names()}


def test_pods_come_back_in_order_with_their_pvcs_and_data(host, cluster, flavor):
    cluster.sql("mysql-0", "CREATE TABLE IF NOT EXISTS %s (id INT PRIMARY KEY, v VARCHAR(64))" % TABLE)
    cluster.sql("mysql-0", flavor.fill(TABLE, 1, 5000))
    cluster.wait_until("replicas to hold every row", lambda: len(set(_checksums(cluster).values())) == 1, timeout=60)
    before = _checksums(cluster)
    claims_before = {c["metadata"]["name"]: c["metadata"]["uid"] for c in cluster.get("pvc")["items"]}
    uids_before = {p["metadata"]["name"]: p["metadata"]["uid"] for p in cluster.pods()}

    cluster.kubectl("delete", "pods", "-l", "app.kubernetes.io/instance=mysql", "--wait=false")
    waited = cluster.module("stateful.mysql.statefulset_wait", name="mysql", timeout=600)
    assert waited["failed"] is False, waited.get("msg")

    pods = cluster.pods()
    assert [p["metadata"]["name"] for p in pods] == ["mysql-0", "mysql-1", "mysql-2"]
    assert all(p["metadata"]["uid"] != uids_before[p["metadata"]["name"]] for p in pods), "pods were not replaced"
    # OrderedReady: ordinal N+1 is created only once ordinal N is Ready.
    for earlier, later in zip(pods, pods[1:]):
        assert _time(later["metadata"]["creationTimestamp"]) >= _ready_since(earlier), (
            "%s was created before %s was Ready" % (later["metadata"]["name"], earlier["metadata"]["name"]))
    assert waited["ordered"] is True
    # The same claims, by uid, mounted by the same ordinals.
    claims_after = {c["metadata"]["name"]: c["metadata"]["uid"] for c in cluster.get("pvc")["items"]}
    assert claims_after == claims_before
    assert _checksums(cluster) == before


def test_replication_resumes_without_a_manual_step(host, cluster):
    cluster.sql("mysql-0", "INSERT INTO %s VALUES (100001, 'after the restart')" % TABLE)
    result = cluster.module("stateful.mysql.replication_check", name="mysql", checksum_tables=[TABLE])
    assert result["failed"] is False, result.get("msg")
    assert result["healthy"] is True
    for name in ("mysql-1", "mysql-2"):
        assert cluster.value(name, "SELECT v FROM %s WHERE id = 100001" % TABLE) == "after the restart"


def test_a_restarted_sidecar_leaves_replication_alone(cluster, flavor):
    before = cluster.replica_status("mysql-1")
    restarts = cluster.restarts("mysql-1", "replication")
    cluster.node_kill("mysql-1", "replication")
    cluster.wait_until("the sidecar to restart", lambda: cluster.restarts("mysql-1", "replication") > restarts, 60)
    cluster.wait_until("the sidecar to finish its start-up", lambda: "replication was set up earlier; leaving it as it is"
                       in cluster.kubectl("logs", "mysql-1", "-c", "replication"), 60)
    after = cluster.replica_status("mysql-1")
    # Not re-pointed: a CHANGE MASTER/REPLICATION SOURCE would have started a new relay log.
    assert after["Relay_Log_File"] == before["Relay_Log_File"]
    assert after[flavor.column["source_host"]] == "mysql-0.mysql"
    assert after[flavor.column["io_running"]] == after[flavor.column["sql_running"]] == "Yes"

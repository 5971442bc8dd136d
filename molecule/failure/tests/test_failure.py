"""failure: the primary's mysqld is killed, then its pod deleted, while a client writes; a stopped SQL
thread; last, an errant transaction on a replica, found by the check and healed by a rebuild."""

import time

import pytest

ATTEMPTS = 900


@pytest.fixture(scope="module")
def writer(cluster):
    cluster.start_writer(attempts=ATTEMPTS)
    return cluster


def test_no_acknowledged_commit_is_lost(host, writer):
    cluster = writer
    time.sleep(5)
    restarts = cluster.restarts("mysql-0", "mysql")
    cluster.node_kill("mysql-0", "mysql")
    cluster.wait_until("mysqld to restart", lambda: cluster.restarts("mysql-0", "mysql") > restarts, timeout=60)
    cluster.wait_until("the primary to be Ready again", lambda: cluster.ready("mysql-0"), timeout=180)
    time.sleep(5)
    uid = cluster.get("pod", "mysql-0")["metadata"]["uid"]
    cluster.kubectl("delete", "pod", "mysql-0", "--wait=false")
    cluster.wait_until("a new mysql-0", lambda: cluster.get("pod", "mysql-0")["metadata"]["uid"] != uid, timeout=60)
    cluster.wait_until("the new primary to be Ready", lambda: cluster.ready("mysql-0"), timeout=180)
    acked = {attempt for attempt, ok, _ms in cluster.writer_log() if ok}
    print("\nwriter: %d of %d attempts acknowledged during the primary's crash and deletion" % (len(acked), ATTEMPTS))
    assert len(acked) > ATTEMPTS / 3, "too few writes got through: %d" % len(acked)
    assert len(acked) < ATTEMPTS, "the outage refused no write: the test did not test anything"

    result = cluster.module("stateful.mysql.replication_check", name="mysql", checksum_tables=["app.acks"])
    assert result["failed"] is False, result.get("msg")
    for name in cluster.pod_names():
        stored = {int(row[0]) for row in cluster.sql(name, "SELECT id FROM app.acks")}
        missing = acked - stored
        assert not missing, "%s lost %d acknowledged rows: %s" % (name, len(missing), sorted(missing)[:10])


def test_a_stopped_sql_thread_leaves_and_rejoins_the_read_service(host, cluster):
    ip = cluster.get("pod", "mysql-2")["status"]["podIP"]
    assert ip in cluster.endpoints("mysql-read")
    cluster.sql("mysql-2", "STOP REPLICA SQL_THREAD")
    try:
        cluster.wait_until("mysql-2 to leave the read Service", lambda: ip not in cluster.endpoints("mysql-read"), 60)
        report = cluster.module("stateful.mysql.replication_check", name="mysql",
                                fail_on_unhealthy=False, canary=False)
        assert report["failed"] is False
        assert report["healthy"] is False
        assert report["unhealthy"] == ["mysql-2"]
        failing = cluster.module("stateful.mysql.replication_check", name="mysql", canary=False)
        assert failing["failed"] is True
        assert "mysql-2" in failing["msg"] and "mysql-1" not in failing["msg"], failing["msg"]
    finally:
        cluster.sql("mysql-2", "START REPLICA SQL_THREAD")
    cluster.wait_until("mysql-2 to return to the read Service", lambda: ip in cluster.endpoints("mysql-read"), 60)


# --- last: a replica forks (an errant transaction), the check names it, a rebuild heals it ---

ERRANT_DATABASE = "errant_by_hand"


def write_on_replica(cluster, pod):
    """Creates a database on a replica by hand, read-only lifted for that one session; returns
    what names the write: MySQL the replica's server_uuid (its own GTIDs), MariaDB the GTID."""
    if cluster.flavor.mysql:
        # read_only=OFF lifts super_read_only too; super_read_only=ON sets both again.
        statements = ("SET GLOBAL read_only = OFF; CREATE DATABASE %s; SET GLOBAL super_read_only = ON; "
                      "SELECT @@GLOBAL.server_uuid" % ERRANT_DATABASE)
    else:
        statements = ("SET GLOBAL read_only = OFF; CREATE DATABASE %s; SET GLOBAL read_only = ON; "
                      "SELECT @@SESSION.last_gtid" % ERRANT_DATABASE)
    return cluster.value(pod, statements)


def rebuild(cluster, pod):
    """Deletes a replica's PVC and pod: the StatefulSet makes both again and the new pod
    clones the previous ordinal (here the primary). Waits until it is Ready on a new volume."""
    claim = "data-" + pod
    old = cluster.get("pvc", claim)["metadata"]["uid"]
    cluster.kubectl("delete", "pvc", claim, "--wait=false")
    cluster.kubectl("delete", "pod", pod, "--wait=false")
    cluster.wait_until("a new volume for %s" % pod,
                       lambda: cluster.get("pvc", claim)["metadata"]["uid"] != old, timeout=120)
    cluster.wait_until("%s to be Ready again" % pod, lambda: cluster.ready(pod), timeout=240)


def test_an_errant_transaction_fails_the_check_until_the_replica_is_rebuilt(host, cluster):
    replica = "%s-1" % cluster.name
    assert cluster.module("stateful.mysql.replication_check", name=cluster.name)["failed"] is False
    try:
        written = write_on_replica(cluster, replica)
        assert written, "the write on %s returned nothing" % replica
        failing = cluster.module("stateful.mysql.replication_check", name=cluster.name, timeout=30)
        assert failing["failed"] is True, failing.get("msg")
        assert failing["errant_check"] == "compared"
        by_pod = {item["pod"]: item for item in failing["replicas"]}
        errant = by_pod[replica]["errant"]
        if cluster.flavor.mysql:
            # The replica's own server_uuid, which the primary never had.
            assert errant.startswith(written.lower() + ":"), errant
        else:
            assert written in errant.split(","), (written, errant)
        assert replica in failing["unhealthy"]
        assert replica in failing["msg"] and errant in failing["msg"], failing["msg"]
        assert all(item["errant"] == "" for pod, item in by_pod.items() if pod != replica), by_pod
    finally:
        # Whatever failed above, the next scenario step finds a healthy deployment.
        rebuild(cluster, replica)
    healed = cluster.module("stateful.mysql.replication_check", name=cluster.name)
    assert healed["failed"] is False, healed.get("msg")
    assert healed["errant_check"] == "compared"
    assert [item["errant"] for item in healed["replicas"]] == [""] * len(healed["replicas"])
    assert cluster.value(replica, "SHOW DATABASES LIKE '%s'" % ERRANT_DATABASE) is None

"""failure: the primary's mysqld is killed, then its pod deleted, while a client writes."""

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

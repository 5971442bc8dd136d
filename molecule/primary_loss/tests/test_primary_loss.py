"""primary_loss: the primary's pod and PVC deleted while a client writes."""

import time

ATTEMPTS = 900


def test_no_acknowledged_commit_is_lost_with_the_primarys_volume(cluster):
    cluster.start_writer(attempts=ATTEMPTS)
    time.sleep(3)
    # mysql-2 cut off from the primary (like a partitioned replica): it falls behind, and
    # the primary's semi-synchronous commits are acknowledged by mysql-1 alone.
    cluster.sql("mysql-2", "STOP REPLICA IO_THREAD")
    time.sleep(4)
    uid = cluster.get("pod", "mysql-0")["metadata"]["uid"]
    # The node-loss case on local storage: the volume goes with the pod.
    cluster.kubectl("delete", "pvc", "data-mysql-0", "--wait=false")
    cluster.kubectl("delete", "pod", "mysql-0", "--wait=false")
    cluster.wait_until("a new mysql-0", lambda: cluster.get("pod", "mysql-0")["metadata"]["uid"] != uid, timeout=120)
    cluster.wait_until("the rebuilt primary to be Ready", lambda: cluster.ready("mysql-0"), timeout=300)
    # The partition heals; what mysql-2 lacks is no longer in any binary log of the new primary.
    cluster.sql("mysql-2", "START REPLICA IO_THREAD")
    log = cluster.writer_log()
    acked = {attempt for attempt, ok, _ms in log if ok}
    print("\nwriter: %d of %d commits acknowledged across the loss of the primary's volume" % (len(acked), ATTEMPTS))
    assert len(acked) > ATTEMPTS / 3, "too few writes got through: %d" % len(acked)
    assert len(acked) < ATTEMPTS, "the loss refused no write: the test did not test anything"

    init = cluster.kubectl("logs", "mysql-0", "-c", "init")
    assert "rebuilding it from mysql-1.mysql" in init, init
    assert "primary rebuilt from mysql-1.mysql" in init

    result = cluster.module("stateful.mysql.replication_check", name="mysql", checksum_tables=["app.acks"], timeout=180)
    assert result["failed"] is False, result.get("msg")
    assert result["primary"]["semi_sync"] is True
    for name in cluster.pod_names():
        stored = {int(row[0]) for row in cluster.sql(name, "SELECT id FROM app.acks")}
        missing = acked - stored
        assert not missing, "%s lost %d acknowledged commits: %s" % (name, len(missing), sorted(missing)[:10])
    assert "catching up from mysql-1.mysql" in cluster.kubectl("logs", "mysql-2", "-c", "replication")

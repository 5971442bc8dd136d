"""upgrade: MariaDB 10.11 rolled to 11.8 with data and a write load; no downgrade."""

import os

ATTEMPTS = 1200
TARGET = "11.8"


def _site(host, cluster, version, image):
    return host.run(
        "ansible-playbook stateful.mysql.site -e stateful_mysql_namespace=%s -e stateful_mysql_flavor=mariadb "
        "-e stateful_mysql_version=%s -e mysql_statefulset_image=%s -e mysql_statefulset_image_pull_policy=Never "
        "-e mysql_statefulset_storage_size=256Mi -e '{\"mysql_config_server_options\": {\"innodb_buffer_pool_size\": \"64M\"}}' 2>&1",
        cluster.namespace, version, image)


def _versions(cluster):
    return {name: cluster.value(name, "SELECT VERSION()") for name in cluster.pod_names()}


def test_the_roll_goes_replicas_first_and_loses_no_commit(host, cluster):
    before = _versions(cluster)
    assert all(v.startswith("10.11.") for v in before.values()), before
    cluster.start_writer(attempts=ATTEMPTS)
    run = _site(host, cluster, TARGET, os.environ["MARIADB_11_8_IMAGE"])
    assert run.rc == 0, run.stdout[-4000:]
    order = [line.split("reach ordinal ")[1].split("]")[0] for line in run.stdout.splitlines() if "reach ordinal " in line]
    assert order == ["2", "1", "0"], order

    log = cluster.writer_log(timeout=600)
    acked = [(attempt, ms) for attempt, ok, ms in log if ok]
    gaps = [later[1] - earlier[1] for earlier, later in zip(acked, acked[1:])]
    print("\nwriter: %d of %d commits acknowledged during the roll; longest time without an acknowledged "
          "commit: %.1f s (the primary's restart)" % (len(acked), ATTEMPTS, max(gaps) / 1000.0))
    assert len(acked) > ATTEMPTS / 2

    after = _versions(cluster)
    assert all(v.startswith("11.8.") for v in after.values()), after
    assert cluster.statefulset()["metadata"]["labels"]["stateful.mysql/version"] == TARGET
    for name in cluster.pod_names():
        assert "system tables upgraded to 11.8" in cluster.kubectl("logs", name, "-c", "replication"), name
        stored = {int(row[0]) for row in cluster.sql(name, "SELECT id FROM app.acks")}
        missing = {attempt for attempt, _ms in acked} - stored
        assert not missing, "%s lost %d acknowledged commits" % (name, len(missing))
    result = cluster.module("stateful.mysql.replication_check", name="mysql", checksum_tables=["app.acks"])
    assert result["failed"] is False, result.get("msg")
    assert result["version"] == TARGET


def test_a_downgrade_is_refused_before_anything_changes(host, cluster):
    kinds = "configmaps,secrets,services,statefulsets,poddisruptionbudgets,networkpolicies"
    before = sorted((o["kind"], o["metadata"]["name"], o["metadata"]["resourceVersion"]) for o in cluster.get(kinds)["items"])
    run = _site(host, cluster, "10.11", os.environ["MARIADB_10_11_IMAGE"])
    assert run.rc != 0
    assert ("stateful_mysql_version '10.11' cannot replace the running StatefulSet's '11.8': servers are not "
            "downgraded in place") in " ".join(run.stdout.split()), run.stdout[-3000:]
    after = sorted((o["kind"], o["metadata"]["name"], o["metadata"]["resourceVersion"]) for o in cluster.get(kinds)["items"])
    assert after == before

"""failure: the primary's mysqld is killed, then its pod deleted, while a client writes."""

import time

import pytest

ATTEMPTS = 900

WRITER = """
apiVersion: v1
kind: Pod
metadata:
  name: writer
spec:
  restartPolicy: Never
  securityContext: {runAsUser: 999, runAsGroup: 999, fsGroup: 999}
  containers:
    - name: writer
      image: %(image)s
      imagePullPolicy: Never
      command:
        - bash
        - -c
        - |
          export MYSQL_PWD="$(cat /secret/app-password)"
          for i in $(seq 1 %(attempts)d); do
            if %(client)s --no-defaults -h mysql-0.mysql -u app --connect-timeout=2 \\
                 -e "INSERT INTO app.acks VALUES ($i)" 2>/dev/null; then echo "ack $i"; fi
            sleep 0.05
          done
          echo finished
      volumeMounts: [{name: secret, mountPath: /secret, readOnly: true}]
  volumes:
    - name: secret
      secret: {secretName: mysql-credentials, defaultMode: 0440}
"""


def _ready(cluster, pod):
    try:
        status = cluster.get("pod", pod)
    except AssertionError:
        return False
    return any(c["type"] == "Ready" and c["status"] == "True" for c in status["status"].get("conditions", []))


@pytest.fixture(scope="module")
def writer(host, cluster, flavor):
    cluster.sql("mysql-0", "CREATE TABLE IF NOT EXISTS app.acks (id INT PRIMARY KEY)")
    image = cluster.statefulset()["spec"]["template"]["spec"]["containers"][0]["image"]
    manifest = WRITER % {"image": image, "attempts": ATTEMPTS, "client": flavor.client}
    host.check_output("printf '%%s' %s | kubectl -n %s apply -f -", manifest, cluster.namespace)
    cluster.wait_until("the writer to start acknowledging",
                       lambda: "ack" in cluster.kubectl("logs", "writer"), timeout=60)
    return cluster


def test_no_acknowledged_commit_is_lost(host, writer):
    cluster = writer
    time.sleep(5)
    restarts = cluster.restarts("mysql-0", "mysql")
    cluster.node_kill("mysql-0", "mysql")
    cluster.wait_until("mysqld to restart", lambda: cluster.restarts("mysql-0", "mysql") > restarts, timeout=60)
    cluster.wait_until("the primary to be Ready again", lambda: _ready(cluster, "mysql-0"), timeout=180)
    time.sleep(5)
    uid = cluster.get("pod", "mysql-0")["metadata"]["uid"]
    cluster.kubectl("delete", "pod", "mysql-0", "--wait=false")
    cluster.wait_until("a new mysql-0", lambda: cluster.get("pod", "mysql-0")["metadata"]["uid"] != uid, timeout=60)
    cluster.wait_until("the new primary to be Ready", lambda: _ready(cluster, "mysql-0"), timeout=180)
    cluster.wait_until("the writer to finish",
                       lambda: cluster.get("pod", "writer")["status"]["phase"] == "Succeeded", timeout=300)

    log = cluster.kubectl("logs", "writer").split("\n")
    acked = {int(line.split()[1]) for line in log if line.startswith("ack ")}
    assert "finished" in log
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

"""default: three pods from site.yml, and the guarantees the classic tutorial promises."""

import os
import uuid

REPLICAS = 3
GTID = os.environ.get("STATEFUL_MYSQL_REPLICATION_MODE", "gtid") == "gtid"


def test_pods_have_stable_names_and_hostnames(cluster):
    assert cluster.pod_names() == ["mysql-0", "mysql-1", "mysql-2"]
    for name in cluster.pod_names():
        assert cluster.pod(name).check_output("hostname") == name


def test_each_pod_has_a_dns_record_in_the_headless_service(cluster):
    ips = {pod["metadata"]["name"]: pod["status"]["podIP"] for pod in cluster.pods()}
    resolver = cluster.pod("mysql-0")
    for name, ip in ips.items():
        fqdn = "%s.mysql.%s.svc.cluster.local" % (name, cluster.namespace)
        assert resolver.check_output("getent hosts %s", fqdn).split()[0] == ip


def test_every_pod_has_its_own_bound_pvc(cluster):
    claims = {c["metadata"]["name"]: c for c in cluster.get("pvc")["items"]}
    for ordinal in range(REPLICAS):
        claim = claims["data-mysql-%d" % ordinal]
        assert claim["status"]["phase"] == "Bound"
    volumes = [
        next(v["persistentVolumeClaim"]["claimName"] for v in pod["spec"]["volumes"] if v["name"] == "data")
        for pod in cluster.pods()
    ]
    assert volumes == ["data-mysql-%d" % ordinal for ordinal in range(REPLICAS)]


def test_server_id_follows_the_ordinal(cluster):
    ids = [int(cluster.value(name, "SELECT @@server_id")) for name in cluster.pod_names()]
    assert ids == [100, 101, 102]


def test_primary_writes_and_replicas_are_read_only(cluster, flavor):
    assert cluster.value("mysql-0", "SELECT @@read_only") == "0"
    for name in ("mysql-1", "mysql-2"):
        assert cluster.value(name, "SELECT @@read_only") == "1"
        if flavor.mysql:
            # super_read_only: not even root can write an errant transaction on a replica.
            assert cluster.value(name, "SELECT @@super_read_only") == "1"
            assert cluster.value(name, "SELECT @@gtid_mode") == ("ON" if GTID else "OFF")
        else:
            # GTID mode adds strict mode: an errant write on a replica stops replication.
            assert cluster.value(name, "SELECT @@gtid_strict_mode") == ("1" if GTID else "0")
    assert cluster.value("mysql-0", "SELECT @@super_read_only" if flavor.mysql else "SELECT 0") == "0"


def test_replicas_refuse_writes_from_the_application_account(cluster):
    cluster.sql("mysql-0", "CREATE TABLE IF NOT EXISTS app.refusal (id INT PRIMARY KEY)")
    for name in ("mysql-1", "mysql-2"):
        result = cluster.sql_as(name, "127.0.0.1", "app", "app-password", "INSERT INTO app.refusal VALUES (1)")
        assert result.rc != 0
        assert "read-only" in result.stderr or "1290" in result.stderr, result.stderr
    accepted = cluster.sql_as("mysql-1", "mysql-0.mysql", "app", "app-password", "INSERT INTO app.refusal VALUES (2)")
    assert accepted.rc == 0, accepted.stderr


def test_a_row_written_to_the_primary_reaches_every_replica_and_the_read_service(cluster):
    marker = uuid.uuid4().hex
    cluster.sql("mysql-0", "CREATE TABLE IF NOT EXISTS app.rows (marker CHAR(32) PRIMARY KEY)")
    written = cluster.sql_as("mysql-2", "mysql-0.mysql", "app", "app-password",
                             "INSERT INTO app.rows VALUES ('%s')" % marker)
    assert written.rc == 0, written.stderr
    query = "SELECT COUNT(*) FROM app.rows WHERE marker = '%s'" % marker
    for name in ("mysql-1", "mysql-2"):
        cluster.wait_until("the row on " + name, lambda name=name: cluster.value(name, query) == "1", timeout=30)
    # Every Ready pod behind the read Service answers with the row.
    seen = set()
    for _ in range(30):
        result = cluster.sql_as("mysql-1", "mysql-read", "app", "app-password",
                                "SELECT @@server_id, COUNT(*) FROM app.rows WHERE marker = '%s'" % marker)
        assert result.rc == 0, result.stderr
        server_id, count = result.stdout.split()
        assert count == "1"
        seen.add(server_id)
    assert len(seen) >= 2, "the read Service answered from %s only" % seen


def test_the_read_service_has_every_ready_pod(cluster):
    ips = sorted(pod["status"]["podIP"] for pod in cluster.pods())
    assert cluster.endpoints("mysql-read") == ips


def test_the_replication_module_reports_healthy(cluster):
    result = cluster.module("stateful.mysql.replication_check", name="mysql", canary=True)
    assert result["failed"] is False, result.get("msg")
    assert result["healthy"] is True
    assert sorted(r["pod"] for r in result["replicas"]) == ["mysql-1", "mysql-2"]
    assert all(r["source_is_primary"] and r["caught_up"] and r["canary_seen"] for r in result["replicas"])


def _versions(cluster):
    kinds = "configmaps,secrets,services,statefulsets,poddisruptionbudgets,networkpolicies,persistentvolumeclaims"
    return sorted((o["kind"], o["metadata"]["name"], o["metadata"]["resourceVersion"])
                  for o in cluster.get(kinds)["items"])


def test_what_the_datadirs_depend_on_cannot_change_in_place(host, cluster, flavor):
    other = {"mysql": "mariadb", "mariadb": "mysql"}[flavor.name]
    mode = "position" if GTID else "gtid"
    before = _versions(cluster)
    run = host.run(
        "ansible-playbook stateful.mysql.site -e stateful_mysql_namespace=%s -e stateful_mysql_flavor=%s "
        "-e stateful_mysql_port=3310 -e stateful_mysql_replication_mode=%s -e mysql_config_app_user=bob "
        "-e mysql_config_server_id_base=500 -e mysql_statefulset_storage_size=5Gi 2>&1",
        cluster.namespace, other, mode)
    assert run.rc != 0
    text = " ".join(run.stdout.split())
    for message in (
            "stateful_mysql_flavor '%s' cannot replace the running StatefulSet's '%s'" % (other, flavor.name),
            "stateful_mysql_replication_mode '%s' cannot replace the running StatefulSet's" % mode,
            "stateful_mysql_port 3310 cannot replace the running StatefulSet's 3306",
            "mysql_config_server_id_base, mysql_config_app_user cannot change on a running deployment",
            "mysql_statefulset_storage_size cannot change on an existing StatefulSet"):
        assert message in text, run.stdout[-3000:]
    assert _versions(cluster) == before

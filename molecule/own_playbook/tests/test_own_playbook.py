"""own_playbook: every setting honoured end to end, an existing Secret never rewritten, and
server-side apply removing what a template no longer has."""

import json
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
CONVERGE = os.path.join(os.path.dirname(HERE), "converge.yml")
PODS = ["db-0", "db-1"]


def _secret_state(cluster):
    secret = cluster.get("secret", "db-passwords")
    return secret["metadata"]["resourceVersion"], secret["data"]


@pytest.fixture(scope="module")
def secret_before(cluster):
    return _secret_state(cluster)


def _converge(host, cluster, flavor):
    """The scenario's own playbook again, with the settings molecule's inventory gives it."""
    return host.run(
        "ansible-playbook %s -e stateful_mysql_namespace=%s -e stateful_mysql_flavor=%s -e stateful_mysql_version=%s "
        "-e mysql_statefulset_image=%s -e mysql_statefulset_image_pull_policy=Never -e mysql_statefulset_storage_size=256Mi "
        "-e '{\"mysql_config_server_options\": {\"innodb_buffer_pool_size\": \"64M\"}}' 2>&1",
        CONVERGE, cluster.namespace, flavor.name, flavor.version, os.environ["STATEFUL_MYSQL_TEST_IMAGE"])


def test_the_existing_secret_is_used_and_no_other_is_made(cluster, secret_before):
    volumes = cluster.statefulset()["spec"]["template"]["spec"]["volumes"]
    assert next(v for v in volumes if v["name"] == "secret")["secret"]["secretName"] == "db-passwords"
    names = [s["metadata"]["name"] for s in cluster.get("secrets")["items"]]
    assert "db-credentials" not in names
    # Included twice in one play, the roles left it exactly as the platform team made it.
    recorded = cluster.get("configmap", "prepare-record")["data"]["secret-resource-version"]
    assert secret_before[0] == recorded
    assert cluster.get("secret", "db-passwords")["metadata"]["labels"] == {"made-by": "platform-team"}


def test_the_port_is_everywhere(cluster):
    for pod in PODS:
        assert cluster.value(pod, "SELECT @@port") == "3310"
    status = cluster.replica_status("db-1")
    assert status["Source_Port" if cluster.flavor.mysql else "Master_Port"] == "3310"
    assert status[cluster.flavor.column["source_host"]] == "db-0.db"
    services = {s["metadata"]["name"]: s for s in cluster.get("services")["items"]}
    assert [p["port"] for p in services["db"]["spec"]["ports"]] == [3310]
    assert services["db-read"]["spec"]["type"] == "NodePort"
    assert services["db-read"]["metadata"]["annotations"]["example.com/owner"] == "platform-team"
    policy = cluster.get("networkpolicy", "db")["spec"]["ingress"]
    assert policy[0]["ports"] == [{"port": 3310, "protocol": "TCP"}]
    assert {"podSelector": {"matchLabels": {"role": "shop-frontend"}}} in policy[0]["from"]


def test_accounts_server_ids_and_the_lag_limit(cluster):
    assert [cluster.value(pod, "SELECT @@server_id") for pod in PODS] == ["500", "501"]
    users = {row[0] for row in cluster.sql("db-0", "SELECT user FROM mysql.user")}
    assert {"repl", "donor", "shop", "root"} <= users
    assert not {"replicator", "backup", "app"} & users
    assert cluster.value("db-0", "SHOW DATABASES LIKE 'shop'") == "shop"
    settings = cluster.pod("db-0").check_output("cat /etc/stateful-mysql/settings.env")
    assert "MAX_LAG_SECONDS=12" in settings and "MYSQL_PORT=3310" in settings


def test_the_module_reads_the_deployment_from_the_statefulset(cluster):
    result = cluster.module("stateful.mysql.replication_check", name="db")
    assert result["failed"] is False, result.get("msg")
    assert (result["port"], result["max_lag"], result["secret_name"], result["service"]) == (3310, 12, "db-passwords", "db")
    assert result["replicas"][0]["source_is_primary"] is True


def test_a_key_removed_from_a_template_leaves_the_live_object(host, cluster, flavor, secret_before):
    # Objects as an earlier release of the collection applied them: an extra ConfigMap key
    # and an extra Service label, both owned by the collection's field manager.
    for kind, name, change in (("configmap", "db-config", lambda o: o["data"].update({"obsolete.cnf": "[mysqld]\n"})),
                               ("service", "db-read", lambda o: o["metadata"]["labels"].update({"obsolete": "yes"}))):
        live = cluster.get(kind, name)
        applied = {"apiVersion": live["apiVersion"], "kind": live["kind"],
                   "metadata": {"name": name, "namespace": cluster.namespace, "labels": live["metadata"]["labels"]}}
        for field in ("data", "spec"):
            if field in live:
                applied[field] = live[field]
        change(applied)
        applied.get("spec", {}).pop("clusterIP", None)
        applied.get("spec", {}).pop("clusterIPs", None)
        host.check_output("printf '%%s' %s | kubectl -n %s apply --server-side --force-conflicts "
                          "--field-manager=stateful.mysql -f -", json.dumps(applied), cluster.namespace)
    assert "obsolete.cnf" in cluster.get("configmap", "db-config")["data"]
    run = _converge(host, cluster, flavor)
    assert run.rc == 0, run.stdout[-3000:]
    assert "obsolete.cnf" not in cluster.get("configmap", "db-config")["data"]
    assert "obsolete" not in cluster.get("service", "db-read")["metadata"]["labels"]
    assert _secret_state(cluster) == secret_before

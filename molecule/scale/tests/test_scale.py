"""scale: 3 -> 5 -> 2 -> 4 through playbooks/scale.yml, with data present throughout."""

import pytest

TABLE = "app.scaled"


def _scale(host, cluster, replicas):
    result = host.run(
        "ansible-playbook stateful.mysql.scale -e stateful_mysql_namespace=%s -e stateful_mysql_replicas=%s",
        cluster.namespace, str(replicas),
    )
    assert result.rc == 0, result.stdout[-3000:]
    assert cluster.pod_names() == ["mysql-%d" % i for i in range(replicas)]


def _checksums(cluster):
    return {name: cluster.sql(name, "CHECKSUM TABLE " + TABLE)[0][1] for name in cluster.pod_names()}


def _origin(cluster, name):
    return cluster.pod(name).check_output("cat /var/lib/mysql/data/.stateful-mysql")


def _claims(cluster):
    return {c["metadata"]["name"]: c["metadata"]["uid"] for c in cluster.get("pvc")["items"]}


@pytest.fixture(scope="module")
def loaded(cluster, flavor):
    cluster.sql("mysql-0", "CREATE TABLE IF NOT EXISTS %s (id INT PRIMARY KEY, v CHAR(32))" % TABLE)
    cluster.sql("mysql-0", flavor.fill(TABLE, 1, 20000))
    return cluster


@pytest.fixture(scope="module")
def origins():
    """What each datadir says about its making, recorded while all five pods ran."""
    return {}


def test_scale_out_clones_from_the_previous_ordinal(host, loaded):
    cluster = loaded
    _scale(host, cluster, 5)
    assert _origin(cluster, "mysql-3").startswith("cloned from mysql-2.mysql")
    assert _origin(cluster, "mysql-4").startswith("cloned from mysql-3.mysql")
    cluster.wait_until("5 equal checksums", lambda: len(set(_checksums(cluster).values())) == 1, timeout=60)
    assert cluster.value("mysql-4", "SELECT COUNT(*) FROM " + TABLE) == "20000"


def test_scale_in_keeps_the_pvcs(host, loaded, origins):
    cluster = loaded
    origins.update((name, _origin(cluster, name)) for name in cluster.pod_names())
    claims = _claims(cluster)
    _scale(host, cluster, 2)
    retention = cluster.statefulset()["spec"]["persistentVolumeClaimRetentionPolicy"]
    assert retention["whenScaled"] == "Retain"
    # Retain: the removed ordinals' claims stay, untouched.
    assert _claims(cluster) == claims
    assert sorted(claims) == ["data-mysql-%d" % i for i in range(5)]


def test_returning_replicas_rejoin_and_catch_up(host, loaded, origins, flavor):
    cluster = loaded
    assert len(origins) == 5, "runs after test_scale_in_keeps_the_pvcs"
    cluster.sql("mysql-0", flavor.fill(TABLE, 20001, 25000))
    claims = _claims(cluster)
    _scale(host, cluster, 4)
    assert _claims(cluster) == claims
    # mysql-2 and mysql-3 come back on their old datadirs (not cloned again) and catch up.
    assert {name: _origin(cluster, name) for name in cluster.pod_names()} == {
        name: origins[name] for name in cluster.pod_names()}
    cluster.wait_until("4 equal checksums", lambda: len(set(_checksums(cluster).values())) == 1, timeout=60)
    assert cluster.value("mysql-3", "SELECT COUNT(*) FROM " + TABLE) == "25000"

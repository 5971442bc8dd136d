"""no_peer: no replica answers a primary without a volume; the operator chooses."""

REFUSAL = "an empty primary would serve a history the replicas' volumes lack"


def test_an_empty_primary_is_refused_then_recovered_from_a_replica(host, cluster, flavor):
    cluster.sql("mysql-0", "CREATE TABLE app.kept (id INT PRIMARY KEY)")
    cluster.sql("mysql-0", flavor.fill("app.kept", 1, 500, values="seq"))
    cluster.wait_until("the rows on mysql-2", lambda: cluster.value("mysql-2", "SELECT COUNT(*) FROM app.kept") == "500", 60)
    assert cluster.get("configmap", "mysql-state")["data"]["initialized"]

    cluster.kubectl("delete", "pvc", "data-mysql-0", "--wait=false")
    cluster.kubectl("delete", "pods", "-l", "app.kubernetes.io/instance=mysql", "--wait=false")
    cluster.wait_until("ordinal 0 to refuse",
                       lambda: REFUSAL in cluster.host.run("kubectl -n %s logs mysql-0 -c init", cluster.namespace).stdout,
                       timeout=180)
    waited = cluster.module("stateful.mysql.statefulset_wait", name="mysql", timeout=120)
    assert waited["failed"] is True and REFUSAL in waited["msg"], waited.get("msg")
    assert "stateful.mysql.recover" in waited["msg"]
    assert cluster.pod_names() == ["mysql-0"]

    # Starting empty while replicas' volumes hold data is refused too.
    empty = host.run("ansible-playbook stateful.mysql.recover -e stateful_mysql_namespace=%s "
                     "-e stateful_mysql_recover_empty=true 2>&1", cluster.namespace)
    assert empty.rc != 0
    assert "the replica volumes data-mysql-1, data-mysql-2 still hold data" in " ".join(empty.stdout.split())

    run = host.run("ansible-playbook stateful.mysql.recover -e stateful_mysql_namespace=%s "
                   "-e stateful_mysql_recover_from=mysql-2 2>&1", cluster.namespace)
    assert run.rc == 0, run.stdout[-4000:]
    # It said what it works with before acting, and the set has its size back.
    summary = " ".join(run.stdout.split())
    assert "recovering mysql-0 from volume data-mysql-2" in summary, run.stdout[-4000:]
    assert "size to restore: 3" in summary, run.stdout[-4000:]
    assert cluster.get("statefulset", "mysql")["spec"]["replicas"] == 3
    # The datadir's own record, not the init log: the crash-looping pod may take the choice and
    # rebuild before the playbook's restart, and the restarted pod's log then says "present".
    record = cluster.pod("mysql-0").check_output("cat /var/lib/mysql/data/.stateful-mysql")
    assert record.startswith("primary rebuilt from mysql-2.mysql-recovery"), record
    for name in ("mysql-0", "mysql-1", "mysql-2"):
        assert cluster.value(name, "SELECT COUNT(*) FROM app.kept") == "500", name
    # The choice is forgotten: a later loss is decided again.
    assert set(cluster.get("configmap", "mysql-state")["data"]) == {"initialized"}
    result = cluster.module("stateful.mysql.replication_check", name="mysql", checksum_tables=["app.kept"])
    assert result["failed"] is False, result.get("msg")

"""position: replicas follow the primary by binary log file and position, not GTID."""


def test_replicas_use_file_and_position(cluster, flavor):
    for name in ("mysql-1", "mysql-2"):
        fields = cluster.replica_status(name)
        if flavor.mysql:
            assert fields["Auto_Position"] == "0"
            assert cluster.value(name, "SELECT @@gtid_mode") == "OFF"
        else:
            assert fields["Using_Gtid"] == "No"
        assert fields[flavor.column["source_host"]] == "mysql-0.mysql"
        assert fields[flavor.column["io_running"]] == fields[flavor.column["sql_running"]] == "Yes"
        assert fields[flavor.column["exec_file"]].startswith("binlog.")


def test_the_statefulset_records_the_mode(cluster):
    labels = cluster.statefulset()["metadata"]["labels"]
    assert labels["stateful.mysql/replication-mode"] == "position"

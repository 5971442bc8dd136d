"""position: replicas follow the primary by binary log file and position, not GTID."""


def test_replicas_use_file_and_position(cluster):
    for name in ("mysql-1", "mysql-2"):
        status = cluster.pod(name).check_output(
            "mariadb --defaults-extra-file=/run/stateful-mysql/root.cnf -e 'SHOW REPLICA STATUS\\G'")
        fields = dict((key.strip(), value.strip()) for key, _, value in
                      (line.partition(":") for line in status.splitlines() if ":" in line))
        assert fields["Using_Gtid"] == "No"
        assert fields["Master_Host"] == "mysql-0.mysql"
        assert fields["Slave_IO_Running"] == fields["Slave_SQL_Running"] == "Yes"
        assert fields["Relay_Master_Log_File"].startswith("binlog.")


def test_the_statefulset_records_the_mode(cluster):
    labels = cluster.statefulset()["metadata"]["labels"]
    assert labels["stateful.mysql/replication-mode"] == "position"

import pytest

import server_flavors as sf


def test_defaults_mysql_everywhere_and_both_for_the_clone_the_commit_and_the_backup():
    assert sf.plan() == {"ttr": ["mysql-9.7"], "wait": ["mysql-9.7"], "scale": ["mysql-9.7"],
                         "clone": ["mysql-9.7", "mariadb-10.11"], "commit": ["mysql-9.7", "mariadb-10.11"],
                         "backup": ["mysql-9.7", "mariadb-10.11"]}
    assert sf.plan(only=["backup"]) == {"backup": ["mysql-9.7", "mariadb-10.11"]}
    assert sf.plan(only=["clone"]) == {"clone": ["mysql-9.7", "mariadb-10.11"]}


def test_flavor_option_applies_to_every_chosen_benchmark():
    assert sf.plan(only=["ttr", "clone"], chosen=["mariadb-10.11", "mysql-9.7", "mariadb-10.11"]) == {
        "ttr": ["mariadb-10.11", "mysql-9.7"], "clone": ["mariadb-10.11", "mysql-9.7"]}


@pytest.mark.parametrize("name", ["postgres-16", "mysql", "mysql-9", "mysql-latest"])
def test_bad_names_are_refused(name):
    with pytest.raises(ValueError, match="FLAVOR-VERSION"):
        sf.plan(chosen=[name])


def test_names_labels_images():
    assert sf.label("mysql-9.7") == "MySQL 9.7" and sf.label("mariadb-10.11") == "MariaDB 10.11"
    assert sf.label("odd") == "odd"
    assert sf.image_variable("mariadb-10.11") == "MARIADB_10_11_IMAGE"
    assert sf.image_variable("mysql-9.7") == "MYSQL_9_7_IMAGE"
    assert sf.client("mysql-9.7") == "mysql" and sf.client("mariadb-11.8") == "mariadb"
    assert sf.clone_method("mysql-9.7") == "plugin" and sf.clone_method("mariadb-10.11") == "stream"


def test_deploy_vars_name_the_flavor_version_and_local_image():
    argv = sf.deploy_vars("mysql-9.7", "localhost/x:9.7.4", "standard")
    pairs = dict(a.split("=", 1) for a in argv[1::2])
    assert argv[0::2] == ["-e"] * 5
    assert pairs == {"stateful_mysql_flavor": "mysql", "stateful_mysql_version": "9.7",
                     "mysql_statefulset_image": "localhost/x:9.7.4", "mysql_statefulset_image_pull_policy": "Never",
                     "mysql_statefulset_storage_class": "standard"}


def test_mysql_fills_with_a_deep_enough_recursive_cte():
    statements = sf.load_statements("mysql-9.7", rows=45000, chunk_rows=20000)
    assert statements[2] == "SET SESSION cte_max_recursion_depth = 20000"
    fills = statements[3:]
    assert len(fills) == 3 and "seq_" not in " ".join(fills) and "MD5" not in " ".join(fills)
    assert "SELECT CAST(1 AS UNSIGNED)" in fills[0] and "WHERE n < 20000)" in fills[0]
    assert "SELECT CAST(40001 AS UNSIGNED)" in fills[2] and "WHERE n < 45000)" in fills[2]
    assert all("RANDOM_BYTES(1000)" in s for s in fills)


def test_mariadb_fills_from_sequence_tables():
    statements = sf.load_statements("mariadb-10.11", rows=30000, chunk_rows=20000)
    assert statements[2:] == ["INSERT INTO bench.filler SELECT seq, RANDOM_BYTES(1000) FROM bench.seq_1_to_20000",
                              "INSERT INTO bench.filler SELECT seq, RANDOM_BYTES(1000) FROM bench.seq_20001_to_30000"]
    assert "cte_max_recursion_depth" not in sf.load_description("mariadb-10.11", 20000)


def test_caught_up_queries():
    assert sf.primary_position_query("mariadb-10.11") == "SELECT @@GLOBAL.gtid_binlog_pos"
    assert "gtid_executed" in sf.primary_position_query("mysql-9.7")
    uuid_set = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-23,4f22fa47-71ca-11e1-9e33-c80aa9429562:1-5"
    assert sf.caught_up_query("mysql-9.7", uuid_set) == (
        "SELECT GTID_SUBSET('%s', @@GLOBAL.gtid_executed)" % uuid_set)
    assert sf.caught_up_query("mariadb-10.11", "0-100-7") == "SELECT @@GLOBAL.gtid_slave_pos = '0-100-7'"
    with pytest.raises(ValueError):
        sf.caught_up_query("mysql-9.7", "x'; DROP TABLE t; --")


def test_local_limit_per_clone_method():
    container, script = sf.local_limit("mysql-9.7", "/run/b.cnf")
    assert container == "mysql" and "cp -a /var/lib/mysql/data" in script and "; sync; e=" in script
    container, script = sf.local_limit("mariadb-10.11", "/run/b.cnf")
    assert container == "replication" and "--defaults-file=/run/b.cnf" in script and "mbstream -x" in script


def test_commit_runs_one_autocommit_insert_per_commit_and_switches_the_flavors_own_variable():
    sql = sf.commit_run("mysql-9.7", False, 3)
    assert sql.startswith("SET GLOBAL rpl_semi_sync_source_enabled = OFF; SET @t = NOW(6); ")
    assert sql.count("INSERT INTO bench.commits") == 3 and "VALUES (2);" in sql
    assert sql.endswith("SELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6))")
    assert "BEGIN" not in sql
    assert sf.commit_run("mariadb-10.11", True, 1).startswith("SET GLOBAL rpl_semi_sync_master_enabled = ON;")
    assert sf.semi_sync_on("mariadb-11.8") == "SET GLOBAL rpl_semi_sync_master_enabled = ON"

"""bad input: each invalid setting fails before any change, with a message naming it.

The same table is in README.md ("Bad input"); keep them together.
"""

import json
import os

import pytest

FLAVOR = os.environ.get("STATEFUL_MYSQL_TEST_FLAVOR", "mariadb")
VERSIONS = {"mysql": "8.4, 9.7", "mariadb": "10.11, 11.4, 11.8"}
UNREACHABLE = "/tmp/stateful-mysql-unreachable.kubeconfig"

CASES = [
    ("mysql_statefulset_replicas=0", "mysql_statefulset_replicas must be at least 1, got 0"),
    ("stateful_mysql_name=My_Db", "stateful_mysql_name must be a DNS-1035 label (a lower-case letter, then "
     "lower-case letters, digits or -, not ending in -) of at most 52 characters, got 'My_Db'"),
    ("stateful_mysql_name=" + "a" * 53, "stateful_mysql_name must be a DNS-1035 label"),
    # A Service name must start with a letter (DNS-1035), and the name is the Services'.
    ("stateful_mysql_name=0db", "stateful_mysql_name must be a DNS-1035 label"),
    ("stateful_mysql_namespace=Not.A_Label", "stateful_mysql_namespace must be a DNS-1123 label (lower-case letters, "
     "digits or -, starting and ending with a letter or digit, at most 63 characters), got 'Not.A_Label'"),
    ("stateful_mysql_namespace=" + "n" * 64, "stateful_mysql_namespace must be a DNS-1123 label"),
    ("stateful_mysql_flavor=postgres", "value of stateful_mysql_flavor must be one of: mysql, mariadb, got: postgres"),
    ("stateful_mysql_version=9.9",
     "stateful_mysql_version '9.9' is not a supported %s version; choose one of %s" % (FLAVOR, VERSIONS[FLAVOR])),
    ("stateful_mysql_clone_port=3306", "stateful_mysql_port and stateful_mysql_clone_port must be two different ports"),
    ("mysql_statefulset_storage_size=10GB", "mysql_statefulset_storage_size must be a quantity such as 10Gi, got '10GB'"),
    ('{"mysql_statefulset_resources": {"limits": {"memory": "lots"}}}',
     "mysql_statefulset_resources and mysql_statefulset_sidecar_resources must map requests/limits to quantities"),
    ('{"mysql_config_server_options": {"server-id": 7, "loose_gtid_mode": "OFF", "innodb_buffer_pool_size": "64M"}}',
     "mysql_config_server_options must not set server-id, loose_gtid_mode: the collection manages it"),
    # Managed options however spelled: maximum- and upper-case skip- prefixes included.
    ('{"mysql_config_server_options": {"maximum-server-id": 5, "skip-log-bin": true}}',
     "mysql_config_server_options must not set maximum-server-id, skip-log-bin: the collection manages it"),
    # The deny list: authentication off, SQL run with the server's rights, replication errors hidden.
    ('{"mysql_config_server_options": {"skip-grant-tables": true}}',
     "mysql_config_server_options must not set skip-grant-tables: it turns off authentication, runs SQL with the"),
    ('{"mysql_config_server_options": {"slave-skip-errors": "all", "loose_replica_skip_errors": "1062"}}',
     "mysql_config_server_options must not set slave-skip-errors, loose_replica_skip_errors: it turns off"),
    ('{"mysql_config_server_options": {"loose-disable-grant-tables": 1, "init-file": "/tmp/x.sql", '
     '"slave_exec_mode": "IDEMPOTENT"}}',
     "mysql_config_server_options must not set loose-disable-grant-tables, init-file, slave_exec_mode: it turns off"),
    ('{"mysql_config_server_options": {"Skip-Grant-Tables": 1}}',
     "mysql_config_server_options must not set Skip-Grant-Tables: it turns off authentication"),
    ('{"mysql_config_server_options": {"Skip-Grant-Tables": 1}}',
     "mysql_config_server_options names must be lower-case option names (a letter, then letters, digits, - or _), "
     'got "Skip-Grant-Tables"'),
    # Names and values that would write other lines into the option file.
    ('{"mysql_config_server_options": {"max_connections = 10\\n[client]\\nuser": "root"}}',
     "mysql_config_server_options names must be lower-case option names (a letter, then letters, digits, - or _), got"),
    ('{"mysql_config_server_options": {"max_connections=10": 1, "[client]": 1, "x#y": 1}}',
     'got "max_connections=10", "[client]", "x#y"'),
    ('{"mysql_config_server_options": {"init_connect": "SET NAMES utf8mb4\\n[mysqld]\\nskip-grant-tables"}}',
     "mysql_config_server_options values must be one line (no line feed or carriage return), got one in init_connect"),
    ('{"mysql_config_server_options": {"init_connect": "SET NAMES utf8mb4\\r"}}',
     "mysql_config_server_options values must be one line (no line feed or carriage return), got one in init_connect"),
    ("mysql_config_app_user=replicator",
     "mysql_config_replication_user, mysql_config_backup_user and mysql_config_app_user must be three different "
     "accounts, got replicator, backup, replicator"),
    ("mysql_config_backup_user=root",
     "mysql_config_replication_user, mysql_config_backup_user and mysql_config_app_user must not be root"),
    ("mysql_config_app_database=mysql", "mysql_config_app_database must not be a system database, got 'mysql'"),
    ("mysql_config_binlog_expire_seconds=-1",
     "mysql_config_binlog_expire_seconds must be a whole number of seconds from 0 (keep binary logs forever) to"),
    ('{"mysql_config_server_options": {"binlog-expire-logs-seconds": 60}}',
     "mysql_config_server_options must not set binlog-expire-logs-seconds: the collection manages it"),
    ("stateful_mysql_existing_secret=partial",
     "stateful_mysql_existing_secret 'partial' lacks non-empty keys: replication-password, backup-password, app-password"),
    # prepare.yml's Secret "newline": root-password ends in \n, app-password in \r\n (as
    # kubectl create secret --from-file stores a file's last line).
    ("stateful_mysql_existing_secret=newline",
     "stateful_mysql_existing_secret 'newline' has values ending in a line break: app-password, root-password; "
     "store them without it"),
    ("stateful_mysql_existing_secret=absent",
     "stateful_mysql_existing_secret 'absent' does not exist in namespace molecule-bad-input"),
    ("mysql_statefulset_storage_class=no-such-class",
     "mysql_statefulset_storage_class 'no-such-class' does not exist in the cluster"),
    ("stateful_mysql_kubeconfig=" + UNREACHABLE, "stateful.mysql: cannot reach the Kubernetes API"),
]
if FLAVOR == "mysql":
    # MySQL 9.7 refuses to start with options it removed; the collection says so first.
    CASES.append(('{"mysql_config_server_options": {"innodb-log-file-size": "1G"}}',
                  "mysql_config_server_options: innodb-log-file-size would stop mysql 9.7 from starting "
                  "(removed in 9.x; use innodb_redo_log_capacity)"))

KINDS = "configmaps,secrets,services,statefulsets,persistentvolumeclaims,networkpolicies,poddisruptionbudgets"


def _snapshot(cluster):
    """Every object the collection could touch, by kind, name and resourceVersion: this
    namespace's, the namespace itself, and the StorageClasses (other scenarios may run in
    their own namespaces meanwhile)."""
    namespaced = json.loads(cluster.kubectl("get", KINDS, "-o", "json"))["items"]
    cluster_wide = json.loads(cluster.host.check_output("kubectl get storageclasses -o json"))["items"]
    cluster_wide.append(json.loads(cluster.host.check_output("kubectl get namespace %s -o json", cluster.namespace)))
    return sorted((o["kind"], o["metadata"]["name"], o["metadata"]["resourceVersion"]) for o in namespaced + cluster_wide)


@pytest.fixture(scope="module", autouse=True)
def unreachable_kubeconfig(host):
    host.check_output(
        "printf '%%s' %s > %s",
        "apiVersion: v1\nkind: Config\nclusters: [{name: gone, cluster: {server: 'https://127.0.0.1:1'}}]\n"
        "users: [{name: gone, user: {token: nothing}}]\n"
        "contexts: [{name: gone, context: {cluster: gone, user: gone}}]\ncurrent-context: gone\n",
        UNREACHABLE,
    )


@pytest.mark.parametrize("extra_vars,message", CASES, ids=[c[0][:40] for c in CASES])
def test_bad_input_fails_before_any_change(host, cluster, extra_vars, message):
    before = _snapshot(cluster)
    run = host.run(
        "ansible-playbook stateful.mysql.site -e stateful_mysql_namespace=%s -e stateful_mysql_flavor=%s -e %s 2>&1",
        cluster.namespace, FLAVOR, extra_vars,
    )
    assert run.rc != 0
    flattened = " ".join(run.stdout.split())
    assert message in flattened, run.stdout[-4000:]
    assert _snapshot(cluster) == before


def test_scale_rejects_a_size_below_one(host, cluster):
    before = _snapshot(cluster)
    run = host.run("ansible-playbook stateful.mysql.scale -e stateful_mysql_namespace=%s -e stateful_mysql_replicas=0 2>&1",
                   cluster.namespace)
    assert run.rc != 0
    assert "stateful_mysql_replicas must be an integer of at least 1, got '0'" in " ".join(run.stdout.split())
    assert _snapshot(cluster) == before

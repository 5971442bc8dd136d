"""security: no empty password, least-privilege grants, an authenticated clone port, and
no password in Ansible's output at -vvv."""

import re

import pytest

KEYS = ("root-password", "replication-password", "backup-password", "app-password")

INTRUDER = """
apiVersion: v1
kind: Pod
metadata:
  name: intruder
  labels: {app: intruder}
spec:
  restartPolicy: Never
  securityContext: {runAsUser: 999, runAsGroup: 999}
  containers:
    - name: intruder
      image: %s
      imagePullPolicy: Never
      command: [sleep, infinity]
"""


def _grants(cluster, account):
    rows = cluster.sql("mysql-0", "SHOW GRANTS FOR %s" % account)
    # Password hashes are not the point here.
    return sorted(re.sub(r" IDENTIFIED BY PASSWORD '[^']*'", "", row[0]) for row in rows)


def test_the_secret_has_four_generated_passwords(cluster):
    values = [cluster.secret(key) for key in KEYS]
    assert all(len(v) == 32 and v.isalnum() for v in values)
    assert len(set(values)) == 4


# Every account and what it may do, per flavor: root only at localhost, replication and
# the clone/backup account with exactly what they need, the application its database only.
ACCOUNTS = {
    "mysql": {
        "replicator@'%'": ["GRANT REPLICATION SLAVE ON *.* TO `replicator`@`%`"],
        # CLONE asks BACKUP_ADMIN of a donor and nothing else; it connects over the network.
        "backup@'%'": ["GRANT BACKUP_ADMIN ON *.* TO `backup`@`%`", "GRANT USAGE ON *.* TO `backup`@`%`"],
        "app@'%'": ["GRANT ALL PRIVILEGES ON `app`.* TO `app`@`%`", "GRANT USAGE ON *.* TO `app`@`%`"],
    },
    "mariadb": {
        "replicator@'%'": ["GRANT REPLICATION SLAVE ON *.* TO `replicator`@`%`"],
        "backup@localhost": ["GRANT RELOAD, PROCESS, BINLOG MONITOR, SLAVE MONITOR ON *.* TO `backup`@`localhost`"],
        "app@'%'": ["GRANT ALL PRIVILEGES ON `app`.* TO `app`@`%`", "GRANT USAGE ON *.* TO `app`@`%`"],
    },
}
SERVICE_ACCOUNTS = {
    "mysql": {"mysql.sys@localhost", "mysql.session@localhost", "mysql.infoschema@localhost"},
    "mariadb": {"mariadb.sys@localhost"},
}
# user@host, plugin, the credential's first characters and length (caching_sha2_password's
# is binary), locked
ACCOUNT_QUERY = {
    "mysql": "SELECT CONCAT(user, '@', host), plugin, LEFT(authentication_string, 3), "
             "LENGTH(authentication_string), account_locked FROM mysql.user",
    "mariadb": "SELECT CONCAT(user, '@', host), JSON_VALUE(priv, '$.plugin'), "
               "LEFT(IFNULL(JSON_VALUE(priv, '$.authentication_string'), ''), 1), "
               "LENGTH(IFNULL(JSON_VALUE(priv, '$.authentication_string'), '')), "
               "IFNULL(JSON_VALUE(priv, '$.account_locked'), 0) FROM mysql.global_priv",
}
# plugin, credential prefix, credential length of an account with a password
PASSWORD_HASH = {"mysql": ("caching_sha2_password", "$A$", 70), "mariadb": ("mysql_native_password", "*", 41)}


def _account_names(flavor):
    return {account.replace("'", "") for account in ACCOUNTS[flavor.name]} | {"root@localhost"}


def test_no_account_has_an_empty_password(cluster, flavor):
    rows = cluster.sql("mysql-0", ACCOUNT_QUERY[flavor.name])
    accounts = {row[0]: row[1:] for row in rows}
    assert set(accounts) == _account_names(flavor) | SERVICE_ACCOUNTS[flavor.name]
    for account, (plugin, prefix, length, locked) in accounts.items():
        if account in SERVICE_ACCOUNTS[flavor.name]:
            assert locked in ("1", "true", "Y"), "the server's service account %s must stay locked" % account
            continue
        assert locked in ("0", "false", "N"), account
        assert (plugin, prefix, int(length)) == PASSWORD_HASH[flavor.name], account
    # And each account really refuses an empty password.
    for user in ("root", "replicator", "backup", "app"):
        result = cluster.pod("mysql-1").run(
            "%s --no-defaults -h mysql-0.mysql -u %s --password= -e 'SELECT 1'", flavor.client, user)
        assert result.rc != 0 and "Access denied" in result.stderr, user


def test_root_is_local_only_and_accounts_hold_exactly_their_grants(cluster, flavor):
    for account, grants in ACCOUNTS[flavor.name].items():
        assert _grants(cluster, account) == sorted(grants), account
    hosts = [row[0] for row in cluster.sql("mysql-0", "SELECT host FROM mysql.user WHERE user = 'root'")]
    assert hosts == ["localhost"]


def test_the_backup_account_cannot_read_data_over_the_network(cluster):
    # With its own password: MySQL's clone account logs in but may only clone (SELECT
    # command denied); MariaDB's exists at localhost only (access denied).
    result = cluster.sql_as("mysql-1", "mysql-0.mysql", "backup", "backup-password", "SELECT COUNT(*) FROM mysql.user")
    assert result.rc != 0 and "denied" in result.stderr, result.stderr


@pytest.fixture(scope="module")
def intruder(host, cluster):
    image = cluster.statefulset()["spec"]["template"]["spec"]["containers"][0]["image"]
    host.check_output("printf '%%s' %s | kubectl -n %s apply -f -", INTRUDER % image, cluster.namespace)
    cluster.kubectl("wait", "--for=condition=Ready", "pod/intruder", "--timeout=120s")
    yield cluster.pod("intruder", container="intruder")
    cluster.kubectl("delete", "pod", "intruder", "--wait=false")


def test_the_clone_port_refuses_a_pod_outside_the_statefulset(cluster, flavor, intruder):
    if flavor.mysql:
        # No clone port at all: MySQL clones through its own port, as the clone account.
        probe = intruder.run("bash -c %s", "exec 3<>/dev/tcp/mysql-1.mysql/3307")
        assert probe.rc != 0 and "refused" in probe.stderr, probe.stderr
        return
    # Without the backup password the intruder cannot answer the challenge: it is refused
    # and gets not one byte of backup.
    probe = intruder.run(
        "bash -c %s",
        "exec 3<>/dev/tcp/mysql-1.mysql/3307 && IFS= read -r nonce <&3 && echo \"nonce=$nonce\" "
        "&& echo not-the-answer >&3 && IFS= read -r verdict <&3; echo \"verdict=$verdict\"; "
        "echo \"rest=$(cat <&3 | wc -c)\"")
    assert re.search(r"^nonce=[0-9a-f]{32}$", probe.stdout, re.M), probe.stdout
    assert "verdict=DENIED" in probe.stdout
    assert "rest=0" in probe.stdout
    ip = cluster.get("pod", "intruder")["status"]["podIP"]
    log = cluster.kubectl("logs", "mysql-1", "-c", "replication")
    assert "refused a clone request from %s" % ip in log


def test_the_network_policy_admits_the_clone_port_only_from_the_statefulset(cluster, flavor):
    policy = cluster.get("networkpolicy", "mysql")["spec"]
    selector = {"app.kubernetes.io/name": "stateful-mysql", "app.kubernetes.io/instance": "mysql"}
    assert policy["podSelector"]["matchLabels"] == selector
    ports = sorted(rule["ports"][0]["port"] for rule in policy["ingress"])
    assert ports == ([3306] if flavor.mysql else [3306, 3307])
    if not flavor.mysql:
        clone = next(rule for rule in policy["ingress"] if rule["ports"][0]["port"] == 3307)
        assert clone["from"] == [{"podSelector": {"matchLabels": selector}}]


def test_no_password_in_ansible_output_at_vvv(host, cluster, flavor):
    namespace = cluster.namespace + "-vvv"
    common = "-e stateful_mysql_namespace=%s -e stateful_mysql_flavor=%s -e stateful_mysql_version=%s " \
             "-e mysql_statefulset_replicas=1 -e stateful_mysql_semi_sync=off -e mysql_statefulset_image=%s " \
             "-e mysql_statefulset_image_pull_policy=Never -e mysql_statefulset_storage_size=256Mi" % (
                 namespace, flavor.name, flavor.version,
                 cluster.statefulset()["spec"]["template"]["spec"]["containers"][0]["image"])
    try:
        # First run generates the Secret; the second reads it back; verify reads it again.
        outputs = []
        for playbook in ("stateful.mysql.site", "stateful.mysql.site", "stateful.mysql.verify"):
            run = host.run("ansible-playbook -vvv %s %s 2>&1" % (playbook, common))
            assert run.rc == 0, run.stdout[-3000:]
            outputs.append(run.stdout)
        values = [host.check_output(
            "kubectl -n %s get secret mysql-credentials -o jsonpath={.data.%s} | base64 -d", namespace, key)
            for key in KEYS]
        assert all(len(v) == 32 for v in values)
        for output in outputs:
            # -vvv really was on: it traces every module execution.
            assert "ESTABLISH LOCAL CONNECTION" in output
            for value in values:
                assert value not in output
    finally:
        host.run("kubectl delete namespace %s --wait=false", namespace)

"""security: no empty password, least-privilege grants, an authenticated clone port, the
NetworkPolicy as a real engine enforces it (the test clusters run kube-router's firewall
controller; cluster.sh's smoke check fails when a policy is not enforced), and no password in
Ansible's output at -vvv."""

import re

import pytest

KEYS = ("root-password", "replication-password", "backup-password", "app-password")

# A pod of the namespace that is not the StatefulSet's: what the policy sees of a client.
CLIENT_POD = """
apiVersion: v1
kind: Pod
metadata:
  name: %(name)s
  labels: {app: %(name)s}
spec:
  restartPolicy: Never
  terminationGracePeriodSeconds: 0
  securityContext: {runAsUser: 999, runAsGroup: 999}
  containers:
    - name: main
      image: %(image)s
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


def _client_pod(host, cluster, name):
    image = cluster.statefulset()["spec"]["template"]["spec"]["containers"][0]["image"]
    host.check_output("printf '%%s' %s | kubectl -n %s apply -f -", CLIENT_POD % {"name": name, "image": image},
                      cluster.namespace)
    cluster.kubectl("wait", "--for=condition=Ready", "pod/" + name, "--timeout=120s")
    return cluster.pod(name, container="main")


@pytest.fixture(scope="module")
def intruder(host, cluster):
    yield _client_pod(host, cluster, "intruder")
    cluster.kubectl("delete", "pod", "intruder", "--wait=false")


@pytest.fixture(scope="module")
def admitted(host, cluster):
    """A client pod that mysql_statefulset_client_ingress_from names (by its app label)."""
    yield _client_pod(host, cluster, "admitted")
    cluster.kubectl("delete", "pod", "admitted", "--wait=false")


def _tcp(pod, target):
    """"open" when a TCP connection to target (host/port) is accepted within 3 s and the
    server says something (MySQL and the clone port both speak first), else "closed"."""
    probe = pod.run("timeout 4 bash -c %s",
                    "exec 3<>/dev/tcp/%s && IFS= read -r -t 3 -n 1 greeting <&3 && echo open" % target)
    return "open" if probe.stdout.strip() == "open" else "closed"


def test_the_clone_port_is_closed_to_a_pod_outside_the_statefulset(cluster, flavor, intruder):
    # The NetworkPolicy admits the clone port from the StatefulSet's pods alone: the intruder
    # cannot even open a connection.
    assert _tcp(intruder, "mysql-1.mysql/3307") == "closed"
    if flavor.mysql:
        # Nothing listens there even inside the pod: MySQL has no clone port, it clones through
        # its own port as the password-protected clone account (see the backup account's test).
        inside = cluster.pod("mysql-1").run("timeout 4 bash -c %s", "exec 3<>/dev/tcp/127.0.0.1/3307")
        assert inside.rc != 0 and "refused" in inside.stderr, inside.stderr
        return
    # Behind the policy the port still authenticates: a pod it admits (the StatefulSet's own
    # mysql-0, not using the backup password it holds) cannot answer the challenge, is
    # refused, and gets not one byte of backup.
    probe = cluster.pod("mysql-0").run(
        "timeout 20 bash -c %s",
        "exec 3<>/dev/tcp/mysql-1.mysql/3307 && IFS= read -r nonce <&3 && echo \"nonce=$nonce\" "
        "&& echo not-the-answer >&3 && IFS= read -r verdict <&3; echo \"verdict=$verdict\"; "
        "echo \"rest=$(cat <&3 | wc -c)\"")
    assert re.search(r"^nonce=[0-9a-f]{32}$", probe.stdout, re.M), probe.stdout
    assert "verdict=DENIED" in probe.stdout
    assert "rest=0" in probe.stdout
    ip = cluster.get("pod", "mysql-0")["status"]["podIP"]
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


def test_with_no_client_list_every_client_reaches_the_mysql_port(cluster, intruder):
    # The documented default: mysql_statefulset_client_ingress_from empty admits every source.
    assert "from" not in cluster.get("networkpolicy", "mysql")["spec"]["ingress"][0]
    assert _tcp(intruder, "mysql-0.mysql/3306") == "open"
    assert _tcp(intruder, "mysql-read/3306") == "open"


def test_a_client_list_admits_its_clients_only_and_the_peers_still_replicate(cluster, flavor, intruder, admitted):
    deployed = cluster.redeploy(mysql_statefulset_client_ingress_from=[{"podSelector": {"matchLabels": {"app": "admitted"}}}])
    assert deployed.rc == 0, deployed.stdout[-4000:]
    # The engine applies a changed policy within seconds: wait for it, then the verdict.
    cluster.wait_until("the policy to refuse the intruder", lambda: _tcp(intruder, "mysql-0.mysql/3306") == "closed",
                       timeout=60)
    for target in ("mysql-0.mysql/3306", "mysql-1.mysql/3306", "mysql-read/3306"):
        assert _tcp(intruder, target) == "closed", target
        assert _tcp(admitted, target) == "open", target
    # The StatefulSet's own pods stay admitted: a write on the primary reaches both replicas.
    cluster.sql("mysql-0", "CREATE TABLE IF NOT EXISTS app.after_policy (id INT PRIMARY KEY); "
                "INSERT INTO app.after_policy VALUES (1)")
    for replica in ("mysql-1", "mysql-2"):
        cluster.wait_until("%s to replicate the write" % replica,
                           lambda: cluster.value(replica, "SELECT COUNT(*) FROM app.after_policy") == "1", timeout=60)
    # And the clone port is the StatefulSet's alone, the client list notwithstanding.
    if not flavor.mysql:
        assert _tcp(admitted, "mysql-1.mysql/3307") == "closed"


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

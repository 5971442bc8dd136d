"""Backups a user can restore, on the real cluster and a real S3 server (versitygw, run by
converge.yml): backups from a replica to the PVC and to S3, each restored by site.yml into a
new namespace with the table checksum it had at backup time; a corrupted and a cut-off
backup refused before anything is created; retention keeping exactly N.

The tests run in order and share what they took (BACKUPS)."""

import json
import os
import re
import signal
import subprocess
import time

import pytest


NAME = "mysql"
KEEP = 2
TABLE = "app.t"
PVC_TARGET = os.environ["STATEFUL_MYSQL_NAMESPACE"] + "-pvc"
S3_TARGET = os.environ["STATEFUL_MYSQL_NAMESPACE"] + "-s3"
REFUSED_TARGET = os.environ["STATEFUL_MYSQL_NAMESPACE"] + "-refused"
# What each test took and measured, for the ones after it.
BACKUPS = {}


def _deploy_vars(flavor, namespace, **more):
    """The settings molecule's inventory gives the scenario, for site.yml run by hand."""
    extra = {"stateful_mysql_namespace": namespace, "stateful_mysql_flavor": flavor.name,
             "stateful_mysql_version": flavor.version,
             "mysql_statefulset_image": os.environ["STATEFUL_MYSQL_TEST_IMAGE"],
             "mysql_statefulset_image_pull_policy": "Never", "mysql_statefulset_storage_size": "256Mi",
             "mysql_config_server_options": {"innodb_buffer_pool_size": "64M"}}
    extra.update(more)
    return json.dumps(extra)


def _s3_options(cluster):
    """The backup module's store options for the scenario's versitygw (NodePort on the node)."""
    node = cluster.host.check_output(
        "kubectl get nodes -o jsonpath='{.items[0].status.addresses[?(@.type==\"InternalIP\")].address}'")
    port = cluster.get("service", "s3")["spec"]["ports"][0]["nodePort"]
    return {"store": "s3", "s3_endpoint": "http://%s:%s" % (node, port), "s3_bucket": "backups",
            "s3_secret": "s3-credentials"}


def _role_store_vars(options):
    return dict(("mysql_backup_" + key, value) for key, value in options.items())


def _checksum(cluster, pod, namespace=None):
    target = type(cluster)(cluster.host, namespace=namespace) if namespace else cluster
    rows = target.sql(pod, "SELECT COUNT(*) FROM %s; CHECKSUM TABLE %s" % (TABLE, TABLE))
    return int(rows[0][0]), rows[1][1]


def _write(cluster, first, last):
    cluster.sql(NAME + "-0", cluster.flavor.fill(TABLE, first, last))
    # The replica backed up must hold them: wait for it to apply them (by content).
    cluster.wait_until("the replica to apply rows up to %d" % last,
                       lambda: _checksum(cluster, NAME + "-1") == _checksum(cluster, NAME + "-0"))
    return _checksum(cluster, NAME + "-0")


def _backup(cluster, **options):
    started = time.time()
    result = cluster.module("stateful.mysql.backup", name=NAME, keep=KEEP, **options)
    assert not result["failed"], result.get("msg")
    result["wall_seconds"] = round(time.time() - started, 1)
    return result


def _site(host, namespace, flavor, backup_id, **more):
    extra = _deploy_vars(flavor, namespace, mysql_backup_restore_id=backup_id,
                         mysql_backup_restore_from_namespace=os.environ["STATEFUL_MYSQL_NAMESPACE"], **more)
    started = time.time()
    run = host.run("ansible-playbook stateful.mysql.site -e %s 2>&1", extra)
    return run, round(time.time() - started, 1)


def _namespace_exists(host, namespace):
    return host.run("kubectl get namespace %s", namespace).rc == 0


def _report(what, **numbers):
    print("MEASURED %s %s" % (what, json.dumps(numbers, sort_keys=True)))


def test_a_backup_to_the_volume_comes_from_a_replica_with_its_manifest(cluster, flavor):
    cluster.sql(NAME + "-0", "CREATE TABLE %s (id INT PRIMARY KEY, v VARCHAR(32))" % TABLE)
    state = _write(cluster, 1, 20000)
    result = _backup(cluster)
    manifest = result["manifest"]
    assert result["source_pod"] == NAME + "-1" and result["source_role"] == "replica"
    assert manifest["id"] == result["id"] and re.match(r"^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$", result["id"])
    assert manifest["flavor"] == flavor.name and manifest["version"] == flavor.version
    assert manifest["server_version"].startswith(flavor.version)
    assert re.match(r"^[0-9a-f]{64}$", manifest["sha256"]) and manifest["size"] > 0
    assert manifest["gtid"], manifest
    assert manifest["source_pod"] == NAME + "-1"
    assert manifest["started"] <= manifest["finished"]
    assert result["store"]["kind"] == "pvc"
    BACKUPS["pvc"] = (result["id"], state)
    _report("backup pvc", seconds=manifest["seconds"], size=manifest["size"], wall=result["wall_seconds"])


def test_a_backup_to_s3(cluster):
    state = _write(cluster, 20001, 30000)
    result = _backup(cluster, **_s3_options(cluster))
    assert result["source_role"] == "replica" and result["store"]["kind"] == "s3"
    assert result["store"]["bucket"] == "backups"
    BACKUPS["s3"] = (result["id"], state)
    _report("backup s3", seconds=result["manifest"]["seconds"], size=result["manifest"]["size"],
            wall=result["wall_seconds"])
    # Writes after the backups: a restore must not hold them.
    assert _write(cluster, 30001, 31000) != state


def test_the_backups_are_listed_with_their_manifests(host, cluster):
    listed = cluster.module("stateful.mysql.backup_info", name=NAME)
    assert not listed["failed"], listed.get("msg")
    assert listed["ids"] == [BACKUPS["pvc"][0]] and listed["incomplete"] == []
    assert listed["backups"][0]["sha256"]
    in_s3 = cluster.module("stateful.mysql.backup_info", name=NAME, **_s3_options(cluster))
    assert in_s3["ids"] == [BACKUPS["s3"][0]]
    run = host.run("ansible-playbook stateful.mysql.backups -e stateful_mysql_namespace=%s 2>&1", cluster.namespace)
    assert run.rc == 0, run.stdout[-3000:]
    assert BACKUPS["pvc"][0] in run.stdout


# A replica too (semi-synchronous commits need one): it clones from the restored primary.
@pytest.mark.parametrize("store,target,replicas", [("pvc", PVC_TARGET, 2), ("s3", S3_TARGET, 2)])
def test_a_backup_restores_into_a_new_namespace_with_the_data_it_held(host, cluster, flavor, store, target, replicas):
    backup_id, state = BACKUPS[store]
    more = _role_store_vars(_s3_options(cluster)) if store == "s3" else {}
    run, seconds = _site(host, target, flavor, backup_id, mysql_statefulset_replicas=replicas, **more)
    assert run.rc == 0, run.stdout[-4000:]
    restored = type(cluster)(host, namespace=target)
    assert _checksum(restored, NAME + "-0") == state
    for ordinal in range(1, replicas):
        restored.wait_until("the restored replica to hold the same rows",
                            lambda: _checksum(restored, "%s-%d" % (NAME, ordinal)) == state)
    assert restored.value(NAME + "-0", "SELECT @@GLOBAL.read_only") == "0"
    _report("restore %s" % store, site_seconds=seconds, rows=state[0])


def test_a_restore_into_a_namespace_with_data_is_refused(host, cluster, flavor):
    before = _checksum(cluster, NAME + "-0", PVC_TARGET)
    run, _seconds = _site(host, PVC_TARGET, flavor, BACKUPS["s3"][0],
                          **_role_store_vars(_s3_options(cluster)))
    assert run.rc != 0
    text = " ".join(run.stdout.split())
    assert "namespace %s already has a deployment %s" % (PVC_TARGET, NAME) in text, run.stdout[-3000:]
    assert "mysql_backup_restore_replace=true" in text
    assert _checksum(cluster, NAME + "-0", PVC_TARGET) == before


def test_a_corrupted_backup_is_refused_and_nothing_is_restored(host, cluster, flavor):
    backup_id = BACKUPS["pvc"][0]
    # One byte changed in the middle of the stored stream; its size stays.
    cluster.kubectl("exec", NAME + "-backup-store", "--", "bash", "-c",
                    "f=/backups/%s/stream; s=$(stat -c %%s $f); "
                    "printf 'X' | dd of=$f bs=1 seek=$((s / 2)) conv=notrunc status=none" % backup_id)
    run, _seconds = _site(host, REFUSED_TARGET, flavor, backup_id)
    assert run.rc != 0
    text = " ".join(run.stdout.split())
    assert "backup %s in PVC %s-backups in namespace %s is corrupt" % (backup_id, NAME, cluster.namespace) in text, \
        run.stdout[-3000:]
    assert "nothing was restored" in text
    assert not _namespace_exists(host, REFUSED_TARGET)


def test_retention_keeps_exactly_the_newest_n(cluster):
    taken = [BACKUPS["pvc"][0]]
    deleted = []
    for _ in range(KEEP):
        result = _backup(cluster)
        taken.append(result["id"])
        deleted += result["deleted"]
    listed = cluster.module("stateful.mysql.backup_info", name=NAME)
    assert listed["ids"] == taken[-KEEP:]
    assert deleted == taken[:-KEEP]
    # The S3 store's retention is its own: its one backup is still there.
    assert cluster.module("stateful.mysql.backup_info", name=NAME, **_s3_options(cluster))["ids"] == [BACKUPS["s3"][0]]


def test_a_cut_off_backup_is_never_listed_as_usable_nor_restored(host, cluster, flavor):
    # Slowed down so that it is still streaming when the controller is killed.
    command = ["ansible", "localhost", "-m", "stateful.mysql.backup", "-a",
               json.dumps({"name": NAME, "namespace": cluster.namespace, "keep": KEEP, "rate_limit": 200000})]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def streaming():
        data = cluster.get("configmap", NAME + "-backup").get("data") or {}
        return data if data.get("phase") == "running" and int(data.get("bytes") or 0) > 0 else None

    try:
        status = cluster.wait_until("the backup to stream its first bytes", streaming)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    backup_id = status["id"]
    listed = cluster.module("stateful.mysql.backup_info", name=NAME)
    assert backup_id not in listed["ids"]
    assert [entry["id"] for entry in listed["incomplete"]] == [backup_id]
    assert "no manifest" in listed["incomplete"][0]["reason"]
    run, _seconds = _site(host, REFUSED_TARGET, flavor, backup_id)
    assert run.rc != 0
    text = " ".join(run.stdout.split())
    assert "backup %s in PVC %s-backups in namespace %s is not usable: no manifest" % (
        backup_id, NAME, cluster.namespace) in text, run.stdout[-3000:]
    assert not _namespace_exists(host, REFUSED_TARGET)

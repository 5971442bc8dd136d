"""nodes: three MySQL pods on the three nodes of the three-node cluster (a control plane that
takes pods only where no worker can, and two workers), through a drain, a node lost and
back, and a node lost for good.

The client pods run on the control plane, the one node no test here drains or stops, so
what they record is what an application would have seen. Volumes are local-path ones:
a PVC is bound to its node, as with local disks in production.
"""

import json
import time

import pytest

SELECTOR = "app.kubernetes.io/instance=mysql"
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"

# A client pod reading through the read Service, one connection per read, as an application
# would: a failed connection is retried (up to 10 times, 0.3 s apart: a pod that stops leaves
# the Service's endpoints within about a second; nothing ran, so a retry is safe). It says
# which reads were answered, after how many retries, and when (ms).
READER = """
apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  restartPolicy: Never
  nodeName: %(node)s
  securityContext: {runAsUser: 999, runAsGroup: 999, fsGroup: 999}
  containers:
    - name: reader
      image: %(image)s
      imagePullPolicy: Never
      command:
        - bash
        - -c
        - |
          export MYSQL_PWD="$(cat /secret/app-password)"
          for i in $(seq 1 %(attempts)d); do
            for retry in 0 1 2 3 4 5 6 7 8 9 none; do
              [ "$retry" = none ] && break
              %(client)s --no-defaults -h mysql-read -u app --connect-timeout=2 -N \\
                -e "SELECT COUNT(*) FROM %(table)s" >/dev/null 2>&1 && break
              sleep 0.3
            done
            if [ "$retry" = none ]; then echo "miss $i 10 $(date +%%s%%3N)"; else echo "ok $i $retry $(date +%%s%%3N)"; fi
            sleep 0.05
          done
          echo finished
      volumeMounts: [{name: secret, mountPath: /secret, readOnly: true}]
  volumes:
    - name: secret
      secret: {secretName: mysql-credentials, defaultMode: 0440}
"""


def now_ms():
    # The kind nodes share the host's clock, so this compares with the clients' timestamps.
    return int(time.time() * 1000)


def nodes(cluster):
    return cluster.get("nodes")["items"]


def control_plane(cluster):
    return next(n["metadata"]["name"] for n in nodes(cluster) if CONTROL_PLANE_LABEL in n["metadata"]["labels"])


def placement(cluster):
    return {pod["metadata"]["name"]: pod["spec"].get("nodeName") for pod in cluster.pods()}


def node_ready(cluster, node):
    try:
        status = cluster.get("node", node)["status"]
    except AssertionError:
        return False
    return any(c["type"] == "Ready" and c["status"] == "True" for c in status["conditions"])


def pvc_uid(cluster, pod):
    return cluster.get("pvc", "data-" + pod)["metadata"]["uid"]


def run(cluster, command, *args):
    """A command on the controller that may fail; returns the result."""
    return cluster.host.run(command, *args)


def start_clients(cluster, table, attempts, reads=False):
    """The write load (conftest's writer), and optionally a reader, both on the control plane:
    the writer pod names no node, so the workers are cordoned while it is scheduled."""
    for pod in ("writer", "reader"):
        cluster.kubectl("delete", "pod", pod, "--ignore-not-found", "--wait=true")
    workers = [n["metadata"]["name"] for n in nodes(cluster) if CONTROL_PLANE_LABEL not in n["metadata"]["labels"]]
    for node in workers:
        cluster.kubectl("cordon", node)
    try:
        cluster.start_writer(table=table, attempts=attempts, pause="0.05")
    finally:
        for node in workers:
            cluster.kubectl("uncordon", node)
    assert cluster.get("pod", "writer")["spec"]["nodeName"] == control_plane(cluster)
    if reads:
        manifest = READER % {"node": control_plane(cluster), "attempts": attempts, "table": table,
                             "client": cluster.flavor.client,
                             "image": cluster.statefulset()["spec"]["template"]["spec"]["containers"][0]["image"]}
        cluster.host.check_output("printf '%%s' %s | kubectl -n %s apply -f -", manifest, cluster.namespace)


def reader_log(cluster, timeout=300):
    """The reader's (attempt, answered, retries, milliseconds) lines, once it finished."""
    cluster.wait_until("the reader to finish", lambda: cluster.get("pod", "reader")["status"]["phase"] == "Succeeded",
                       timeout=timeout)
    lines = cluster.kubectl("logs", "reader").split("\n")
    assert "finished" in lines
    return [(int(f[1]), f[0] == "ok", int(f[2]), int(f[3]))
            for f in (line.split() for line in lines) if f and f[0] in ("ok", "miss")]


def writer_so_far(cluster):
    """The writer's (attempt, acknowledged, milliseconds) lines so far, while it still runs."""
    lines = cluster.kubectl("logs", "writer").split("\n")
    return [(int(f[1]), f[0] == "ack", int(f[2])) for f in (line.split() for line in lines)
            if len(f) == 3 and f[0] in ("ack", "miss")]


def assert_every_acknowledged_row_everywhere(cluster, table, acked):
    result = cluster.module("stateful.mysql.replication_check", name="mysql", checksum_tables=[table], timeout=300)
    assert result["failed"] is False, result.get("msg")
    for name in cluster.pod_names():
        stored = {int(row[0]) for row in cluster.sql(name, "SELECT id FROM %s" % table)}
        missing = acked - stored
        assert not missing, "%s lost %d acknowledged commits: %s" % (name, len(missing), sorted(missing)[:10])


@pytest.fixture(scope="module")
def stopped_nodes(cluster):
    """Node containers a test stopped; started again at the end, whatever happened, so the
    cluster has its three nodes for the next run (a node deleted from the API registers anew)."""
    stopped = []
    yield stopped
    for node in stopped:
        cluster.host.run("docker start %s", node)
    for node in stopped:
        cluster.wait_until("node %s to be Ready again" % node, lambda: node_ready(cluster, node), timeout=180)


@pytest.fixture(scope="module")
def home(cluster):
    """Where the pods sit after the deployment: the primary's worker, the worker holding a
    replica, and the control plane."""
    where = placement(cluster)
    cp = control_plane(cluster)
    replica_worker = next(pod for pod, node in sorted(where.items()) if pod != "mysql-0" and node != cp)
    return {"placement": where, "control_plane": cp, "primary_node": where["mysql-0"],
            "replica": replica_worker, "replica_node": where[replica_worker]}


def test_required_anti_affinity_puts_each_pod_on_its_own_node(cluster, home):
    affinity = cluster.statefulset()["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]
    terms = affinity["requiredDuringSchedulingIgnoredDuringExecution"]
    assert [t["topologyKey"] for t in terms] == ["kubernetes.io/hostname"]
    where = home["placement"]
    print("\nplacement: %s" % json.dumps(where, sort_keys=True))
    assert sorted(where) == ["mysql-0", "mysql-1", "mysql-2"]
    assert len(set(where.values())) == 3, where
    assert set(where.values()) == {n["metadata"]["name"] for n in nodes(cluster)}
    # The control plane is PreferNoSchedule: it gets the pod no worker could take, the last.
    assert home["primary_node"] != home["control_plane"], where
    assert where["mysql-2"] == home["control_plane"], where


def test_a_drain_respects_the_budget_and_the_database_keeps_serving(cluster, home):
    replica, node = home["replica"], home["replica_node"]
    uid, claim = cluster.get("pod", replica)["metadata"]["uid"], pvc_uid(cluster, replica)
    start_clients(cluster, "app.drained", attempts=300, reads=True)
    time.sleep(2)
    t0 = time.time()
    drain_ms = now_ms()
    drained = run(cluster, "kubectl -n %s drain %s --pod-selector=%s --ignore-daemonsets --delete-emptydir-data "
                  "--timeout=180s 2>&1", cluster.namespace, node, SELECTOR)
    assert drained.rc == 0, drained.stdout
    away_ms = now_ms()
    print("\ndrain of %s (%s) took %.1f s" % (node, replica, time.time() - t0))
    # Its volume is on the cordoned node: the pod waits for it.
    cluster.wait_until("a new %s, unscheduled" % replica,
                       lambda: cluster.get("pod", replica)["metadata"]["uid"] != uid
                       and not cluster.get("pod", replica)["spec"].get("nodeName"), timeout=60)
    cluster.wait_until("the budget to allow no other disruption",
                       lambda: cluster.get("pdb", "mysql")["status"].get("disruptionsAllowed") == 0, timeout=60)

    # With one pod down, the budget refuses to evict a second: a drain of the primary's node fails.
    primary_uid = cluster.get("pod", "mysql-0")["metadata"]["uid"]
    refused = run(cluster, "kubectl -n %s drain %s --pod-selector=%s --ignore-daemonsets --delete-emptydir-data "
                  "--timeout=10s 2>&1", cluster.namespace, home["primary_node"], SELECTOR)
    cluster.kubectl("uncordon", home["primary_node"])
    assert refused.rc != 0, refused.stdout
    assert "disruption budget" in refused.stdout, refused.stdout
    assert cluster.get("pod", "mysql-0")["metadata"]["uid"] == primary_uid
    assert all(cluster.ready(name) for name in cluster.pod_names() if name != replica)

    t0 = time.time()
    cluster.kubectl("uncordon", node)
    cluster.wait_until("%s back and Ready" % replica, lambda: cluster.ready(replica), timeout=300)
    back_ms = now_ms()
    print("%s back on %s and Ready %.1f s after the uncordon" % (replica, node, time.time() - t0))
    assert cluster.get("pod", replica)["spec"]["nodeName"] == node
    assert pvc_uid(cluster, replica) == claim, "the returning replica got a new volume"

    writes = cluster.writer_log()
    reads = reader_log(cluster)
    acked = {attempt for attempt, ok, _ms in writes if ok}
    during = [ok for _attempt, ok, ms in writes if away_ms <= ms <= back_ms]
    retried = ["%+.1f s" % ((ms - drain_ms) / 1000.0) for _a, _ok, retries, ms in reads if retries]
    print("writer: %d of %d commits acknowledged, %d while %s was away; reader: %d of %d reads answered, "
          "%d after a retry (at %s from the drain's start)"
          % (len(acked), len(writes), sum(during), replica, sum(ok for _a, ok, _r, _ms in reads), len(reads),
             len(retried), ", ".join(retried) or "-"))
    assert any(during), "no write happened while the replica was away: the test tested nothing"
    assert all(ok for _a, ok, _ms in writes), "writes failed during the drain: %s" % [w for w in writes if not w[1]][:10]
    assert all(ok for _a, ok, _r, _ms in reads), "reads failed during the drain: %s" % [r for r in reads if not r[1]][:10]
    assert_every_acknowledged_row_everywhere(cluster, "app.drained", acked)


def test_a_node_lost_and_back_keeps_its_pod_volume_and_data(cluster, home, stopped_nodes):
    replica, node = home["replica"], home["replica_node"]
    uid, claim = cluster.get("pod", replica)["metadata"]["uid"], pvc_uid(cluster, replica)
    restarts = cluster.restarts(replica, "mysql")
    drained_rows = cluster.value(replica, "SELECT COUNT(*) FROM app.drained")
    start_clients(cluster, "app.node_lost", attempts=600)
    time.sleep(2)
    # A power cut: every process of the node dies at once, kubelet and containerd included.
    t0 = time.time()
    cluster.host.check_output("docker kill %s", node)
    stopped_nodes.append(node)
    down_ms = now_ms()
    cluster.wait_until("%s NotReady" % node, lambda: not node_ready(cluster, node), timeout=180)
    print("\n%s killed: NotReady after %.1f s" % (node, time.time() - t0))
    cluster.wait_until("%s to leave the read Service" % replica,
                       lambda: cluster.get("pod", replica)["status"].get("podIP") not in cluster.endpoints("mysql-read"),
                       timeout=60)
    t0 = time.time()
    cluster.host.check_output("docker start %s", node)
    stopped_nodes.remove(node)
    cluster.wait_until("%s Ready" % node, lambda: node_ready(cluster, node), timeout=180)
    cluster.wait_until("%s restarted on its node and Ready" % replica,
                       lambda: cluster.restarts(replica, "mysql") > restarts and cluster.ready(replica), timeout=300)
    up_ms = now_ms()
    print("%s back: node Ready and %s Ready %.1f s after the start" % (node, replica, time.time() - t0))
    pod = cluster.get("pod", replica)
    assert pod["metadata"]["uid"] == uid and pod["spec"]["nodeName"] == node
    assert pvc_uid(cluster, replica) == claim
    assert cluster.value(replica, "SELECT COUNT(*) FROM app.drained") == drained_rows

    writes = cluster.writer_log()
    acked = {attempt for attempt, ok, _ms in writes if ok}
    during = [ok for _attempt, ok, ms in writes if down_ms <= ms <= up_ms]
    print("writer: %d of %d commits acknowledged, %d of %d while the node was down"
          % (len(acked), len(writes), sum(during), len(during)))
    assert any(during), "no write was acknowledged while the node was down"
    assert_every_acknowledged_row_everywhere(cluster, "app.node_lost", acked)


def test_preferred_anti_affinity_rolls_every_pod_in_place(cluster, home):
    before = placement(cluster)
    t0 = time.time()
    rolled = cluster.redeploy(mysql_statefulset_anti_affinity="preferred")
    assert rolled.rc == 0, rolled.stdout[-4000:]
    print("\nroll to preferred anti-affinity: %.1f s" % (time.time() - t0))
    affinity = cluster.statefulset()["spec"]["template"]["spec"]["affinity"]["podAntiAffinity"]
    assert "requiredDuringSchedulingIgnoredDuringExecution" not in affinity
    assert affinity["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]["topologyKey"] \
        == "kubernetes.io/hostname"
    # Each pod came back on its own volume, so on its own node.
    assert placement(cluster) == before


def test_a_node_lost_for_good_rebuilds_the_primary_beside_a_replica(cluster, home, stopped_nodes):
    node = home["primary_node"]
    uid = cluster.get("pod", "mysql-0")["metadata"]["uid"]
    # More attempts than the loss can take: the writer is stopped once the rebuilt primary has
    # acknowledged writes.
    start_clients(cluster, "app.node_gone", attempts=20000)
    time.sleep(3)
    # The machine is gone: its container stops, its Node object is deleted, and the primary's
    # claim with it (its volume was on that machine's disk).
    t0 = time.time()
    cluster.host.check_output("docker kill %s", node)
    stopped_nodes.append(node)
    cluster.kubectl("delete", "node", node)
    cluster.kubectl("delete", "pvc", "data-mysql-0", "--wait=false")
    cluster.wait_until("a new mysql-0 on another node",
                       lambda: cluster.get("pod", "mysql-0")["metadata"]["uid"] != uid
                       and cluster.get("pod", "mysql-0")["spec"].get("nodeName"), timeout=180)
    print("\nmysql-0 scheduled again %.1f s after its node was lost" % (time.time() - t0))
    cluster.wait_until("the rebuilt primary to be Ready", lambda: cluster.ready("mysql-0"), timeout=300)
    ready_ms = now_ms()
    print("mysql-0 rebuilt and Ready %.1f s after its node was lost" % (time.time() - t0))

    where = placement(cluster)
    print("placement: %s" % json.dumps(where, sort_keys=True))
    # Two nodes for three pods: preferred anti-affinity puts the primary beside a replica.
    assert where["mysql-0"] != node
    assert where["mysql-0"] in (where["mysql-1"], where["mysql-2"]), where
    init = cluster.kubectl("logs", "mysql-0", "-c", "init")
    assert "rebuilding it from" in init and "primary rebuilt from" in init, init

    cluster.wait_until("the rebuilt primary to acknowledge writes",
                       lambda: sum(ok and ms > ready_ms for _a, ok, ms in writer_so_far(cluster)) >= 20, timeout=120)
    writes = cluster.stop_writer()
    acked = {attempt for attempt, ok, _ms in writes if ok}
    stamps = [ms for _attempt, ok, ms in writes if ok]
    print("writer: %d of %d commits acknowledged across the loss of the primary's node; longest time without "
          "one: %.1f s" % (len(acked), len(writes), max(b - a for a, b in zip(stamps, stamps[1:])) / 1000.0))
    assert len(acked) < len(writes), "the loss refused no write: the test did not test anything"
    assert any(ms > ready_ms for ms in stamps), "no write was acknowledged by the rebuilt primary"
    assert_every_acknowledged_row_everywhere(cluster, "app.node_gone", acked)
    for table in ("app.drained", "app.node_lost"):
        counts = {cluster.value(name, "SELECT COUNT(*) FROM %s" % table) for name in cluster.pod_names()}
        assert len(counts) == 1, "%s differs between the pods: %s" % (table, counts)

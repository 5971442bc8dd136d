"""Fixtures shared by every scenario's testinfra verifier.

Pods are testinfra hosts on the kubectl backend; cluster queries run kubectl on the
controller (the `host` fixture, localhost through Ansible). SQL goes through the pod's own
client and socket as root, or over TCP as another account whose password the pod reads
from its Secret mount (no password passes through a command line or test output).
"""

import base64
import json
import os
import time

import pytest
import testinfra

NAMESPACE = os.environ.get("STATEFUL_MYSQL_NAMESPACE", "default")
NAME = os.environ.get("STATEFUL_MYSQL_NAME", "mysql")


class Flavor:
    """What the scenario's server is (test-infra/molecule.sh sets it per run), and the
    facts about it the tests expect. Written down here, independently of the collection's
    own flavor table, so a wrong entry there fails a test instead of passing it."""

    def __init__(self, name, version):
        self.name = name
        self.version = version
        self.mysql = name == "mysql"
        self.client = "mysql" if self.mysql else "mariadb"
        # SHOW REPLICA STATUS columns, by what they mean.
        self.column = {
            "source_host": "Source_Host" if self.mysql else "Master_Host",
            "io_running": "Replica_IO_Running" if self.mysql else "Slave_IO_Running",
            "sql_running": "Replica_SQL_Running" if self.mysql else "Slave_SQL_Running",
            "exec_file": "Relay_Source_Log_File" if self.mysql else "Relay_Master_Log_File",
        }

    def __str__(self):
        return "%s %s" % (self.name, self.version)

    def rows(self, first, last):
        """A derived table of integers first..last in a column `seq` (for INSERT ... SELECT)."""
        if not self.mysql:
            return "seq_%d_to_%d" % (first, last)
        return ("(WITH RECURSIVE s(seq) AS (SELECT %d UNION ALL SELECT seq + 1 FROM s WHERE seq < %d) "
                "SELECT seq FROM s) AS seqs" % (first, last))

    def fill(self, table, first, last, values="seq, LEFT(SHA2(seq, 256), 32)"):
        """INSERT of rows first..last into table, as one statement batch (MySQL 9.7 has no MD5())."""
        prefix = "SET SESSION cte_max_recursion_depth = %d; " % (last - first + 2) if self.mysql else ""
        source = self.rows(first, last) if self.mysql else "app." + self.rows(first, last)
        return "%sINSERT INTO %s SELECT %s FROM %s" % (prefix, table, values, source)


FLAVOR = Flavor(os.environ.get("STATEFUL_MYSQL_TEST_FLAVOR", "mariadb"),
                os.environ.get("STATEFUL_MYSQL_TEST_VERSION", "10.11"))
CLIENT = FLAVOR.client + " --defaults-extra-file=/run/stateful-mysql/root.cnf -N -B"


# A client pod writing one row per commit to the primary, and saying which commits the
# server acknowledged (with the time, in milliseconds). /tmp/stop ends it early.
WRITER = """
apiVersion: v1
kind: Pod
metadata:
  name: writer
spec:
  restartPolicy: Never
  securityContext: {runAsUser: 999, runAsGroup: 999, fsGroup: 999}
  containers:
    - name: writer
      image: %(image)s
      imagePullPolicy: Never
      command:
        - bash
        - -c
        - |
          export MYSQL_PWD="$(cat /secret/app-password)"
          for i in $(seq 1 %(attempts)d); do
            [ -e /tmp/stop ] && break
            if %(client)s --no-defaults -h %(primary)s -u app --connect-timeout=2 \\
                 -e "INSERT INTO %(table)s VALUES ($i)" 2>/dev/null; then echo "ack $i $(date +%%s%%3N)"
            else echo "miss $i $(date +%%s%%3N)"; fi
            sleep %(pause)s
          done
          echo finished
      volumeMounts: [{name: secret, mountPath: /secret, readOnly: true}]
  volumes:
    - name: secret
      secret: {secretName: %(secret)s, defaultMode: 0440}
"""


class Cluster:
    """The deployed StatefulSet, seen through kubectl and SQL."""

    def __init__(self, host, namespace=NAMESPACE, name=NAME):
        self.host = host
        self.namespace = namespace
        self.name = name
        self.flavor = FLAVOR

    # kubectl on the controller
    def kubectl(self, *args):
        return self.host.check_output("kubectl -n %s " + " ".join(["%s"] * len(args)), self.namespace, *args)

    def get(self, *args):
        return json.loads(self.kubectl("get", *args, "-o", "json"))

    def statefulset(self):
        return self.get("statefulset", self.name)

    def pods(self):
        items = self.get("pods", "-l", "app.kubernetes.io/instance=" + self.name)["items"]
        return sorted(items, key=lambda pod: int(pod["metadata"]["name"].rsplit("-", 1)[1]))

    def pod_names(self):
        return [pod["metadata"]["name"] for pod in self.pods()]

    def secret(self, key, secret=None):
        data = self.get("secret", secret or self.name + "-credentials")["data"]
        return base64.b64decode(data[key]).decode()

    def endpoints(self, service):
        """Addresses of the Ready endpoints of a Service, from its EndpointSlices."""
        slices = self.get("endpointslices", "-l", "kubernetes.io/service-name=" + service)["items"]
        return sorted(
            address
            for item in slices
            for endpoint in item.get("endpoints") or []
            if (endpoint.get("conditions") or {}).get("ready")
            for address in endpoint["addresses"]
        )

    # commands in pods
    def pod(self, pod, container="mysql"):
        return testinfra.get_host(
            "kubectl://%s?container=%s&namespace=%s" % (pod, container, self.namespace)
        )

    def sql(self, pod, statement):
        """Rows of a statement run as root through the pod's socket."""
        out = self.pod(pod).check_output(CLIENT + " -e %s", statement)
        return [line.split("\t") for line in out.splitlines() if line]

    def value(self, pod, statement):
        rows = self.sql(pod, statement)
        return rows[0][0] if rows else None

    def sql_as(self, pod, server, user, secret_key, statement):
        """Runs a statement from `pod` against `server` over TCP as `user`, whose password is
        read inside the pod from its Secret mount; returns the command result."""
        return self.pod(pod).run(
            'MYSQL_PWD="$(cat /etc/stateful-mysql-secret/%s)" %s --no-defaults -h %s -u %s -N -B -e %s',
            secret_key, self.flavor.client, server, user, statement,
        )

    def module(self, module_name, **args):
        """Runs a module on the controller; returns its result, `failed` included.

        (testinfra's host.ansible cannot tell failures apart on ansible-core 2.19: the tree
        callback it reads no longer records `failed`.)"""
        args.setdefault("namespace", self.namespace)
        run = self.host.run(
            "ANSIBLE_LOAD_CALLBACK_PLUGINS=1 ANSIBLE_STDOUT_CALLBACK=ansible.posix.json "
            "ansible localhost -m %s -a %s",
            module_name, json.dumps(args),
        )
        result = json.loads(run.stdout)["plays"][0]["tasks"][0]["hosts"]["localhost"]
        result.setdefault("failed", False)
        return result

    def redeploy(self, **overrides):
        """site.yml again, with the settings molecule/config.yml gives every scenario plus
        overrides (a scenario's own group_vars are overrides too); returns the command result."""
        settings = {
            "stateful_mysql_namespace": self.namespace, "stateful_mysql_flavor": self.flavor.name,
            "stateful_mysql_version": self.flavor.version,
            "mysql_statefulset_image": os.environ["STATEFUL_MYSQL_TEST_IMAGE"],
            "mysql_statefulset_image_pull_policy": "Never", "mysql_statefulset_storage_size": "256Mi",
            "mysql_config_server_options": {"innodb_buffer_pool_size": "64M"},
        }
        settings.update(overrides)
        return self.host.run("ansible-playbook stateful.mysql.site -e %s 2>&1", json.dumps(settings))

    def ready(self, pod):
        """Whether the pod exists and is Ready."""
        try:
            status = self.get("pod", pod)
        except AssertionError:
            return False
        return any(c["type"] == "Ready" and c["status"] == "True" for c in status["status"].get("conditions", []))

    def start_writer(self, table="app.acks", attempts=900, pause="0.05"):
        """Starts the writer pod against the primary and waits for its first acknowledged commit."""
        self.sql(self.name + "-0", "CREATE TABLE IF NOT EXISTS %s (id INT PRIMARY KEY)" % table)
        manifest = WRITER % {"image": self.statefulset()["spec"]["template"]["spec"]["containers"][0]["image"],
                             "attempts": attempts, "client": self.flavor.client, "table": table, "pause": pause,
                             "primary": "%s-0.%s" % (self.name, self.name), "secret": self.name + "-credentials"}
        self.host.check_output("printf '%%s' %s | kubectl -n %s apply -f -", manifest, self.namespace)
        self.wait_until("the writer to start acknowledging", lambda: "ack" in self.kubectl("logs", "writer"), timeout=60)

    def writer_log(self, timeout=300):
        """The writer's (attempt, acknowledged, milliseconds) lines, once it finished."""
        self.wait_until("the writer to finish", lambda: self.get("pod", "writer")["status"]["phase"] == "Succeeded",
                        timeout=timeout)
        lines = self.kubectl("logs", "writer").split("\n")
        assert "finished" in lines
        return [(int(f[1]), f[0] == "ack", int(f[2])) for f in (line.split() for line in lines) if f and f[0] in ("ack", "miss")]

    def stop_writer(self):
        """Ends the writer after its current attempt, then returns writer_log."""
        self.kubectl("exec", "writer", "--", "touch", "/tmp/stop")
        return self.writer_log()

    def restarts(self, pod, container):
        return next(c["restartCount"] for c in self.get("pod", pod)["status"]["containerStatuses"]
                    if c["name"] == container)

    def node_kill(self, pod, container):
        """SIGKILL a container's main process from its kind node, as the OOM killer would
        (a container cannot SIGKILL its own PID 1)."""
        status = self.get("pod", pod)
        node = status["spec"]["nodeName"]
        container_id = next(c["containerID"] for c in status["status"]["containerStatuses"]
                            if c["name"] == container).split("://", 1)[1]
        pid = json.loads(self.host.check_output("docker exec %s crictl inspect %s", node, container_id))["info"]["pid"]
        self.host.check_output("docker exec %s kill -9 %s", node, str(pid))

    def replica_status(self, pod):
        """SHOW REPLICA STATUS of a pod, as a dict of column -> text (the flavor's names;
        see Flavor.column)."""
        out = self.pod(pod).check_output(CLIENT.replace(" -N", "") + " -e %s", "SHOW REPLICA STATUS")
        header, row = out.split("\n")[:2]
        return dict(zip(header.split("\t"), row.split("\t")))

    def wait_until(self, what, predicate, timeout=180, interval=1):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                last = predicate()
                if last:
                    return last
            except AssertionError as exc:
                last = exc
            time.sleep(interval)
        raise AssertionError("timed out after %ss waiting for %s (last: %r)\n%s"
                             % (timeout, what, last, self.diagnose()))

    def diagnose(self):
        """What a person would look at first: pods, recent events, each container's last lines."""
        report = [self.host.run("kubectl -n %s get pods -o wide", self.namespace).stdout,
                  self.host.run("kubectl -n %s get events --sort-by=.lastTimestamp", self.namespace).stdout[-4000:]]
        for pod in self.get("pods")["items"]:
            spec = pod["spec"]
            for container in spec.get("initContainers", []) + spec["containers"]:
                logs = self.host.run("kubectl -n %s logs %s -c %s --tail=15", self.namespace,
                                     pod["metadata"]["name"], container["name"])
                report.append("--- %s/%s\n%s%s" % (pod["metadata"]["name"], container["name"], logs.stdout, logs.stderr))
        return "\n".join(report)


@pytest.fixture(scope="module")
def cluster(host):
    return Cluster(host)


@pytest.fixture(scope="session")
def flavor():
    return FLAVOR

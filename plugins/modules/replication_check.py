#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: replication_check
short_description: Verify the replication of a MySQL or MariaDB StatefulSet from inside its pods
version_added: 0.1.0
description:
  - Checks the replication of a StatefulSet deployed by this collection, where pod
    C(<name>-0) is the primary and every other ordinal a replica of it.
  - Runs the server's own client in each pod's O(container) through the Kubernetes exec API,
    as C(root) through the socket C(/run/stateful-mysql/mysqld.sock). It needs no network
    path to the servers and no Python database driver.
  - The root password goes to the pod on stdin only. A small C(sh) script writes it to a
    mode-0600 temporary option file, opens it and removes it before the client starts, so
    it never appears in a command line, an environment, a log, a result or an error.
  - Flavor, version and replication mode come from the StatefulSet's labels
    C(stateful.mysql/flavor), C(stateful.mysql/version) and
    C(stateful.mysql/replication-mode); the options of the same names override them.
  - "On the primary: the server answers, C(read_only) is off, and its server id and GTID
    position (or binlog file and position) are recorded. With O(canary), a row with a
    unique id is first written to table C(stateful_mysql_check.canary) (database and table
    are created when missing), so the recorded position includes it."
  - "On every replica: IO and SQL threads running, no IO or SQL error (their texts are
    reported), lag not NULL and at most O(max_lag), source host C(<name>-0.<service>) (first
    DNS label and service label compared, so fully qualified names match) and port O(port),
    C(read_only) on, no errant transactions (see RV(replicas[].errant)), and caught up with
    the primary within O(timeout): in GTID mode, MariaDB
    replicas need a C(gtid_slave_pos) with, for every domain of the primary's
    C(gtid_binlog_pos), a sequence number at least as high; MySQL replicas need a
    C(gtid_executed) that contains the primary's; in position mode, the replica's executed
    source coordinates must be at or past the primary's binlog file and position. With
    O(canary), the replica must also return the canary row. With O(checksum_tables), the
    result of C(CHECKSUM TABLE) on each caught-up replica must equal the primary's."
  - "Errant transactions: after every replica was looked at, each replica's GTID state is read,
    then the primary's (in that order, so the primary's newest commits are never taken for the
    replica's own). A replica holding a transaction the primary lacks has diverged and is
    unhealthy. MySQL: C(GTID_SUBTRACT(replica gtid_executed, primary gtid_executed)) is not
    empty (computed by the module). MariaDB: per domain and server id, an entry of the
    replica's C(gtid_binlog_state) or C(gtid_slave_pos) whose server id the primary's
    C(gtid_binlog_state) lacks in that domain, or with a higher sequence number than the
    primary's. In position mode there are no GTIDs: RV(errant_check) is C(unavailable) and a
    warning says so."
  - Replicas whose replication is stopped are not waited for.
  - When anything is unhealthy and O(fail_on_unhealthy) is true, fails with a message naming
    every unhealthy pod and its problems, and still returns the whole structure.
author:
  - stateful.mysql maintainers (@stateful)
requirements:
  - python >= 3.8
  - kubernetes >= 24.2.0
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - stateful.mysql.statefulset
attributes:
  check_mode:
    description: In check mode the canary row is not written (RV(canary) is C(skipped)) and every read still happens.
    support: full
  diff_mode:
    description: Returns no diff.
    support: none
options:
  replicas:
    description: How many pods to check (the primary included). Defaults to the StatefulSet's C(spec.replicas).
    type: int
  container:
    description: The container running the server in each pod.
    type: str
    default: mysql
  secret_name:
    description:
      - Secret holding the root password under key C(root-password).
      - Defaults to the Secret the StatefulSet's pods mount as volume C(secret) (the
        credentials Secret the mysql_statefulset role created or was given), else
        C(<name>-credentials).
    type: str
  root_password:
    description: The server's root password. Defaults to key C(root-password) of O(secret_name).
    type: str
  max_lag:
    description:
      - Largest acceptable replication lag (seconds behind the source) in seconds.
      - Defaults to the StatefulSet's annotation C(stateful.mysql/max-lag-seconds), the
        limit its readiness probe applies (the mysql_config role's
        C(stateful_mysql_max_lag_seconds)).
    type: int
  port:
    description:
      - The MySQL port every replica must replicate from.
      - Defaults to the port named C(mysql) of O(container) in the StatefulSet's pod template.
    type: int
  timeout:
    description: Seconds the replicas get to catch up with the primary (and to return the canary row).
    type: int
    default: 60
  canary:
    description:
      - Write a row with a unique id on the primary (database C(stateful_mysql_check), table
        C(canary), both created when missing) and wait until every replica returns it.
      - The table holds one row, replaced by every run. Writing it does not count as a change
        (the module always reports C(changed=false)), so a repeated deployment stays idempotent.
    type: bool
    default: true
  checksum_tables:
    description:
      - Tables (C(db.table)) to compare with C(CHECKSUM TABLE) on the primary and on every
        replica once it has caught up. A difference is a problem.
      - Compare tables that are not being written to while the check runs.
    type: list
    elements: str
    default: []
  fail_on_unhealthy:
    description: Fail when the primary or any replica is unhealthy.
    type: bool
    default: true
  record_initialized:
    description:
      - When the deployment is healthy, record the time in key C(initialized) of the
        ConfigMap the pods mount as volume C(state) (C(<name>-state)), unless it is already
        there. From then on, an ordinal 0 whose volume is lost while no peer answers refuses
        to start empty (see the C(stateful.mysql.recover) playbook).
      - Bookkeeping like the canary row; it never counts as a change.
    type: bool
    default: true
  flavor:
    description:
      - Server flavor (C(mysql) or C(mariadb)); overrides the StatefulSet's C(stateful.mysql/flavor) label.
    type: str
  version:
    description: Server version (major.minor); overrides the C(stateful.mysql/version) label.
    type: str
  replication_mode:
    description: Replication mode; overrides the C(stateful.mysql/replication-mode) label (default C(gtid)).
    type: str
    choices: [gtid, position]
  binlog_space_percent:
    description:
      - Warn (in the task's warnings, without failing) when the binary logs of a pod take more
        than this percentage of its data volume, the storage the StatefulSet's
        C(volumeClaimTemplates) entry C(data) requests. The size is the sum of C(File_size)
        over C(SHOW BINARY LOGS).
      - C(0) turns the warning off.
    type: int
    default: 50
notes:
  - The pods need C(sh), C(mktemp) and the flavor's client (C(mysql) or C(mariadb)) in
    O(container), the server's socket at C(/run/stateful-mysql/mysqld.sock), and C(root)
    allowed to log in there with the password.
  - The credentials used need C(get) on StatefulSets, pods and (unless O(root_password) is
    given) Secrets, C(create) on C(pods/exec), and (with O(record_initialized)) C(get),
    C(create) and C(patch) on ConfigMaps.
seealso:
  - module: stateful.mysql.statefulset_wait
  - module: kubernetes.core.k8s_exec
"""

EXAMPLES = r"""
- name: Verify replication after a rollout
  stateful.mysql.replication_check:
    name: mysql
    namespace: databases
  register: replication

- name: Compare two tables too, with a tighter lag budget, without failing
  stateful.mysql.replication_check:
    name: mysql
    namespace: databases
    max_lag: 5
    checksum_tables:
      - app.orders
      - app.customers
    fail_on_unhealthy: false
  register: replication

- name: Report unhealthy pods
  ansible.builtin.debug:
    msg: "{{ replication.unhealthy }}"
  when: not replication.healthy

- name: Read-only check (no canary row), e.g. in a monitoring run
  stateful.mysql.replication_check:
    name: mysql
    namespace: databases
  check_mode: true
"""

RETURN = r"""
healthy:
  description: True when the primary and every replica are healthy.
  returned: always
  type: bool
unhealthy:
  description: Names of the unhealthy pods (the primary included when it is one of them).
  returned: always
  type: list
  elements: str
  sample: [mysql-2]
primary:
  description: What the primary reported.
  returned: always
  type: dict
  contains:
    pod:
      description: The primary's pod.
      type: str
      sample: mysql-0
    reachable:
      description: Whether SQL could be run there.
      type: bool
    semi_sync:
      description:
        - Whether semi-synchronous replication is active on the primary (commits wait for a
          replica's acknowledgement); null when the server has none.
        - When the StatefulSet's C(stateful.mysql/semi-sync) annotation says C(wait) or
          C(fallback) and the deployment has replicas, an inactive one is a problem.
      type: bool
    semi_sync_clients:
      description: Replicas connected in semi-synchronous mode.
      type: int
    server_id:
      description: C(@@server_id).
      type: int
      sample: 100
    read_only:
      description: C(@@read_only).
      type: bool
    super_read_only:
      description: The second column of the flavor's read-only query (C(@@super_read_only) on MySQL, always false on MariaDB).
      type: bool
    gtid:
      description: C(gtid_binlog_pos) (MariaDB) or C(gtid_executed) (MySQL), read after the canary write.
      type: str
      sample: 0-100-42
    file:
      description: Current binary log file.
      type: str
      sample: mysql-bin.000003
    position:
      description: Current binary log position.
      type: int
      sample: 1234
    checksums:
      description: C(CHECKSUM TABLE) results by table.
      type: dict
      sample: {"app.orders": "1234567890"}
    binlog_bytes:
      description: Bytes of binary logs on the primary (sum of C(File_size) of C(SHOW BINARY LOGS)); null when unknown.
      type: int
    healthy:
      description: Whether the primary has no problem.
      type: bool
    problems:
      description: What is wrong with the primary.
      type: list
      elements: str
replicas:
  description:
    - One entry per replica, by ordinal, each with every key below whatever happened to it
      (a replica whose pod does not exist has RV(replicas[].exists=false), nulls and the
      problem C(pod <name> does not exist)).
  returned: always
  type: list
  elements: dict
  contains:
    pod:
      description: The replica's pod.
      type: str
      sample: mysql-1
    exists:
      description: Whether the pod exists.
      type: bool
    server_id:
      description: C(@@server_id).
      type: int
      sample: 101
    io_running:
      description: Whether the IO (receiver) thread is running.
      type: bool
    io_state:
      description: The raw IO-thread column (C(Yes), C(No), C(Connecting)).
      type: str
    sql_running:
      description: Whether the SQL (applier) thread is running.
      type: bool
    sql_state:
      description: The raw SQL-thread column.
      type: str
    last_io_errno:
      description: Last IO error number (0 for none).
      type: int
    last_io_error:
      description: Last IO error text.
      type: str
    last_sql_errno:
      description: Last SQL error number (0 for none).
      type: int
    last_sql_error:
      description: Last SQL error text.
      type: str
    seconds_behind:
      description: Lag in seconds; null when unknown (a thread stopped).
      type: int
    source_host:
      description: The host the replica replicates from.
      type: str
      sample: mysql-0.mysql
    source_port:
      description: The source's port.
      type: int
      sample: 3306
    source_is_primary:
      description: Whether the source is C(<name>-0.<service>) port 3306.
      type: bool
    gtid:
      description: C(gtid_slave_pos) (MariaDB) or C(gtid_executed) (MySQL) at the last look.
      type: str
    exec_source_log_file:
      description: Source binlog file of the last executed event.
      type: str
    exec_source_log_pos:
      description: Source binlog position of the last executed event.
      type: int
    caught_up:
      description:
        - Whether it had applied everything the primary had when the check started.
        - Null when that cannot be told (the primary or the replica could not be read).
      type: bool
    canary_seen:
      description: Whether it returned the canary row; null when no canary was written.
      type: bool
    checksums:
      description: C(CHECKSUM TABLE) results by table (empty unless caught up).
      type: dict
    read_only:
      description: C(@@read_only).
      type: bool
    semi_sync:
      description: Whether the replica's semi-synchronous replication is on (null when the server has none).
      type: bool
    super_read_only:
      description: Second column of the flavor's read-only query.
      type: bool
    status:
      description: The replica status row with flavor-neutral column names.
      type: dict
    errant:
      description:
        - Transactions this replica holds that the primary lacks, C("") when none (MySQL a
          GTID set, MariaDB a comma-separated list of C(domain-server_id-sequence)).
        - Null when it could not be told (position mode, the pod or the primary unreadable).
        - Not empty makes the replica unhealthy; rebuild it from the primary.
      type: str
      sample: 3e11fa47-71ca-11e1-9e33-c80aa9429562:1
    binlog_bytes:
      description: Bytes of binary logs on this pod (sum of C(File_size) of C(SHOW BINARY LOGS)); null when unknown.
      type: int
    healthy:
      description: Whether the replica has no problem.
      type: bool
    problems:
      description: What is wrong with the replica.
      type: list
      elements: str
      sample: ["SQL thread not running (state: No)"]
canary_id:
  description: Id of the canary row written on the primary; null when none was written.
  returned: always
  type: str
  sample: 20250601T100000-4f1c2a...
canary:
  description: C(written), C(skipped) (check mode), C(disabled) (O(canary=false)) or C(failed) (the write failed, see the primary's problems).
  returned: always
  type: str
checksums:
  description: C(CHECKSUM TABLE) results, by table then pod.
  returned: always
  type: dict
  sample: {"app.orders": {"mysql-0": "1234567890", "mysql-1": "1234567890"}}
flavor:
  description: The flavor used.
  returned: always
  type: str
  sample: mariadb
version:
  description: The version used.
  returned: always
  type: str
  sample: "10.11"
replication_mode:
  description: The replication mode used.
  returned: always
  type: str
  sample: gtid
port:
  description: The MySQL port replicas were expected to replicate from.
  returned: always
  type: int
  sample: 3306
max_lag:
  description: The lag limit applied, in seconds.
  returned: always
  type: int
  sample: 30
service:
  description: The headless Service; the primary is C(<name>-0.<service>).
  returned: always
  type: str
  sample: mysql
initialized:
  description:
    - What O(record_initialized) did - C(recorded), C(already) (recorded earlier) or
      C(skipped) (unhealthy, check mode, disabled, or a StatefulSet without a state volume).
  returned: always
  type: str
  sample: already
semi_sync:
  description: The deployment's semi-synchronous mode (C(wait), C(fallback), C(off)), from the StatefulSet.
  returned: always
  type: str
  sample: wait
secret_name:
  description: The credentials Secret the pods mount (its name only; no value is ever returned).
  returned: always
  type: str
  sample: mysql-credentials
errant_check:
  description:
    - C(compared) (every existing replica's errant transactions are known, see
      RV(replicas[].errant)), C(incomplete) (some could not be read), or C(unavailable) (position
      mode has no GTIDs, so a replica's own writes go undetected; a warning says so).
  returned: always
  type: str
  sample: compared
volume_bytes:
  description: The data volume each pod requests (the StatefulSet's claim template C(data)), in bytes; null when unknown.
  returned: always
  type: int
  sample: 10737418240
binlog_space_percent:
  description: The O(binlog_space_percent) applied.
  returned: always
  type: int
  sample: 50
elapsed:
  description: Seconds the check took.
  returned: always
  type: float
"""

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.runner import Failed, run_module, statefulset_argument_spec
from ansible_collections.stateful.mysql.plugins.module_utils.replication.checker import (
    CheckError,
    check_replication,
)


def argument_spec():
    return statefulset_argument_spec(
        container=dict(type="str", default="mysql"),
        secret_name=dict(type="str"),
        root_password=dict(type="str", no_log=True),
        max_lag=dict(type="int"),
        port=dict(type="int"),
        timeout=dict(type="int", default=60),
        canary=dict(type="bool", default=True),
        checksum_tables=dict(type="list", elements="str", default=[]),
        fail_on_unhealthy=dict(type="bool", default=True),
        record_initialized=dict(type="bool", default=True),
        flavor=dict(type="str"),
        version=dict(type="str"),
        replication_mode=dict(type="str", choices=["gtid", "position"]),
        binlog_space_percent=dict(type="int", default=50),
    )


CHECKS = [
    (lambda p: 0 <= p["binlog_space_percent"] <= 100, "binlog_space_percent must be between 0 and 100"),
]


def check(api, module):
    result = check_replication(api, module.params, check_mode=module.check_mode)
    if module.params["fail_on_unhealthy"] and not result["healthy"]:
        raise Failed(result)
    return result


def main():
    run_module(argument_spec(), check, checks=CHECKS, errors=(CheckError,))


if __name__ == "__main__":
    main()

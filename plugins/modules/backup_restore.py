#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: backup_restore
short_description: Send a stored backup into ordinal 0 of a StatefulSet created to restore it
version_added: 0.2.0
description:
  - The controller's half of a restore; the site playbook runs it when
    C(mysql_backup_restore_id) is set, right after it applied a StatefulSet whose state
    ConfigMap C(<name>-state) holds C(restore-from) (the id), C(restore-sha256),
    C(restore-size) and C(restore-format) from the backup's manifest.
  - Ordinal 0's init container, finding no datadir, no peer and that key, waits for the
    stream. This module waits (up to O(timeout)) for that container to run, reads the backup
    from the store and writes it, through the exec API, into C(/tmp/restore/<id>.part) in
    the pod, renamed C(<id>.stream) only when every byte arrived.
  - "The pod then compares the stream's SHA-256 with the manifest's before it extracts
    anything (a corrupt backup is refused there too), extracts it into
    C(/var/lib/mysql/data.partial) (MariaDB: C(mbstream -x) and C(mariadb-backup --prepare);
    MySQL: the files stream), gives the collection's accounts this deployment's Secret's
    passwords through a temporary server without networking or grant tables, makes it a
    primary (the replication channel dropped; MariaDB continues the GTID numbering with
    C(gtid_binlog_state)), and renames it C(data). The replicas then clone from it as usual."
  - The module fails when the stored stream's SHA-256 or size differs from the manifest
    (corrupt), when the backup is not usable (cut off or failed), and when the pod refuses it.
  - When ordinal 0 already started from its data, it reports no change.
author:
  - stateful.mysql maintainers (@stateful)
requirements:
  - python >= 3.8
  - kubernetes >= 24.2.0
  - a Kubernetes API server speaking the C(v5.channel.k8s.io) exec protocol (1.30 and later)
extends_documentation_fragment:
  - kubernetes.core.k8s_auth_options
  - stateful.mysql.backup_store
attributes:
  check_mode:
    description: Not supported.
    support: none
  diff_mode:
    description: Returns no diff.
    support: none
options:
  name:
    description: Name of the StatefulSet to restore into.
    type: str
    required: true
  namespace:
    description: Its namespace.
    type: str
    default: default
  id:
    description: The backup's id.
    type: str
    required: true
  from_name:
    description: Name of the deployment the backup was taken of (the store's C(<name>-backups) claim, the S3 prefix). Defaults to O(name).
    type: str
  from_namespace:
    description: Its namespace. Defaults to O(namespace).
    type: str
  timeout:
    description: Seconds to wait for ordinal 0's init container to be running.
    type: int
    default: 900
seealso:
  - module: stateful.mysql.backup
  - module: stateful.mysql.backup_info
"""

EXAMPLES = r"""
# The site playbook does this; by hand it is only useful when a restore stopped midway.
- name: Send backup 20261201T231500Z-0a1b2c of db/mysql into the new deployment db-copy/mysql
  stateful.mysql.backup_restore:
    name: mysql
    namespace: db-copy
    id: 20261201T231500Z-0a1b2c
    from_namespace: db
"""

RETURN = r"""
id:
  description: The backup sent.
  returned: success
  type: str
received:
  description: Bytes ordinal 0 received (0 when it had already started from its data).
  returned: success
  type: int
seconds:
  description: Seconds the transfer took.
  returned: when a transfer happened
  type: float
manifest:
  description: The backup's manifest (see M(stateful.mysql.backup)).
  returned: success
  type: dict
"""

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.runner import k8s_argument_spec, run_module
from ansible_collections.stateful.mysql.plugins.module_utils.backup.runner import RestoreRun
from ansible_collections.stateful.mysql.plugins.module_utils.backup.stores import store_argument_spec
from ansible_collections.stateful.mysql.plugins.module_utils.backup.model import BackupError


def argument_spec():
    spec = k8s_argument_spec(
        name=dict(type="str", required=True),
        namespace=dict(type="str", default="default"),
        id=dict(type="str", required=True),
        from_name=dict(type="str"),
        from_namespace=dict(type="str"),
        timeout=dict(type="int", default=900),
    )
    spec.update(store_argument_spec())
    return spec


def main():
    run_module(argument_spec(), lambda api, module: RestoreRun(api, module.params).run(),
               errors=(BackupError,), supports_check_mode=False)


if __name__ == "__main__":
    main()

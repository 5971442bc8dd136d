# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every difference between the MySQL and MariaDB flavors, in one place.

Roles read a profile through the ``stateful.mysql.flavor_profile`` filter (it renders the
pods' ``flavor.env``); modules import :func:`profile` directly. Nothing else in the
collection may branch on the flavor name.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

DEFAULT_FLAVOR = "mysql"

_MYSQL_COMMON = {
    "server_bin": "mysqld",
    "client_bin": "mysql",
    "admin_bin": "mysqladmin",
    # New replicas are seeded with the CLONE plugin over the MySQL port: the recipient runs
    # a throwaway local server that clones the donor into data.partial.
    "clone_method": "plugin",
    "backup_bin": "",
    "stream_bin": "",
    "backup_file_prefixes": [],
    # Backups (backup-clone-local.sh): CLONE LOCAL into a directory, streamed as
    # "stateful-mysql-files 1" (the official image has no tar).
    "backup_method": "clone-local",
    "backup_format": "stateful-mysql-files/1",
    "backup_statement": "CLONE LOCAL DATA DIRECTORY = {directory}",
    # Initialises an empty datadir; root@localhost starts without a password, which the
    # bootstrap SQL replaces before the server ever listens on the network.
    "init_datadir": "mysqld --defaults-file={defaults_file} --initialize-insecure --datadir={datadir}",
    # The clone recipient's scratch datadir: small redo log, no binary log, no network.
    "init_scratch_datadir": (
        "mysqld --no-defaults --initialize-insecure --innodb-redo-log-capacity=8M --datadir={datadir}"
    ),
    "scratch_server_options": [
        "--no-defaults", "--skip-networking", "--skip-log-bin", "--innodb-redo-log-capacity=8M",
        "--plugin-load-add=mysql_clone.so", "--mysqlx=OFF", "--secure-file-priv=NULL",
    ],
    # read_only alone lets root (CONNECTION_ADMIN) write errant transactions on a replica.
    "replica_read_only_options": ["read_only = ON", "super_read_only = ON"],
    "gtid_options": ["gtid_mode = ON", "enforce_gtid_consistency = ON"],
    "position_options": ["gtid_mode = OFF", "enforce_gtid_consistency = OFF"],
    "log_replica_updates_option": "log_replica_updates = ON",
    "extra_server_options": [
        "plugin_load_add = mysql_clone.so",
        # No X Protocol listener (port 33060, a socket under /var/run/mysqld) and no file
        # import or export: nothing here uses them.
        "mysqlx = OFF",
        "secure_file_priv = NULL",
    ],
    "primary_options": ["read_only = OFF", "super_read_only = OFF"],
    # Semi-synchronous replication: a commit returns once a replica has it (AFTER_SYNC: the
    # primary's own commit waits too, so nothing a client saw can be missing on every replica).
    # loose_: the plugin's variables are unknown while --initialize runs (it loads no plugin);
    # the replication check reports semi-sync that is not active.
    "semi_sync_primary_options": [
        "plugin_load_add = semisync_source.so",
        "loose_rpl_semi_sync_source_enabled = ON",
        "loose_rpl_semi_sync_source_wait_point = AFTER_SYNC",
        "loose_rpl_semi_sync_source_wait_for_replica_count = 1",
        "loose_rpl_semi_sync_source_timeout = {timeout_ms}",
        "loose_rpl_semi_sync_source_wait_no_replica = {wait_no_replica}",
    ],
    "semi_sync_replica_options": ["plugin_load_add = semisync_replica.so", "loose_rpl_semi_sync_replica_enabled = ON"],
    "semi_sync_status": {
        "primary_active": "Rpl_semi_sync_source_status",
        "clients": "Rpl_semi_sync_source_clients",
        "replica_active": "Rpl_semi_sync_replica_status",
    },
    # Server options this version refuses at start-up (option name -> what to use instead).
    "rejected_options": {
        "query_cache_size": "the query cache was removed in 8.0",
        "query_cache_type": "the query cache was removed in 8.0",
        "default_authentication_plugin": "removed in 8.4; use authentication_policy",
    },
    "skip_replica_start_option": "--skip-replica-start",
    # MySQL upgrades its data dictionary and system tables itself while it starts.
    "upgrade_needed_command": "",
    "upgrade_command": "",
    "start_replica": "START REPLICA",
    "stop_replica": "STOP REPLICA",
    "reset_replica": "RESET REPLICA ALL",
    "show_replica_status": "SHOW REPLICA STATUS",
    # TLS on the replication link (the server makes its own certificates): the password and
    # the data are encrypted, and caching_sha2_password needs no RSA key exchange.
    # MySQL gives up on a source after SOURCE_RETRY_COUNT attempts (default 10: 50 s here), so
    # a replica whose primary's node is away for minutes would stay stopped. 17280 x 5 s is a
    # day (MariaDB's master_retry_count default, 100000, keeps trying longer still).
    "change_source_gtid": (
        "CHANGE REPLICATION SOURCE TO SOURCE_HOST={host}, SOURCE_PORT={port}, SOURCE_USER={user}, "
        "SOURCE_PASSWORD={password}, SOURCE_AUTO_POSITION=1, SOURCE_SSL=1, SOURCE_CONNECT_RETRY=5, SOURCE_RETRY_COUNT=17280"
    ),
    "change_source_position": (
        "CHANGE REPLICATION SOURCE TO SOURCE_HOST={host}, SOURCE_PORT={port}, SOURCE_USER={user}, "
        "SOURCE_PASSWORD={password}, SOURCE_LOG_FILE={file}, SOURCE_LOG_POS={position}, "
        "SOURCE_AUTO_POSITION=0, SOURCE_SSL=1, SOURCE_CONNECT_RETRY=5, SOURCE_RETRY_COUNT=17280"
    ),
    # A clone carries the donor's gtid_executed: SOURCE_AUTO_POSITION alone catches up.
    "reset_gtid": "",
    "set_gtid_from_clone": "",
    "clone_donor_list": "SET GLOBAL clone_valid_donor_list = {donor}",
    # REQUIRE SSL: the donor's own certificate encrypts the copy; the clone fails rather
    # than fall back to plain text.
    "clone_statement": (
        "CLONE INSTANCE FROM {user}@{host}:{port} IDENTIFIED BY {password} "
        "DATA DIRECTORY = {directory} REQUIRE SSL"
    ),
    # Position mode: the donor's binary log coordinates, as the clone recorded them...
    "clone_coordinates_query": "SELECT BINLOG_FILE, BINLOG_POSITION FROM performance_schema.clone_status",
    # ...or, when the donor was itself a replica, the primary's coordinates its applier had
    # committed, copied with the data (with commit order preserved, the furthest worker's).
    "applier_coordinates_query": (
        "SELECT Master_log_name, Master_log_pos FROM mysql.slave_worker_info UNION ALL "
        "SELECT Master_log_name, Master_log_pos FROM mysql.slave_relay_log_info "
        "ORDER BY 1 DESC, 2 DESC LIMIT 1"
    ),
    "primary_gtid_query": "SELECT @@GLOBAL.gtid_executed",
    "replica_gtid_query": "SELECT @@GLOBAL.gtid_executed",
    "gtid_set_kind": "mysql",
    # Errant transactions (a replica's own writes): the replica's gtid_executed minus the
    # primary's, computed by gtid.errant. The primary is read after every replica.
    "errant_replica_query": "SELECT @@GLOBAL.gtid_executed",
    "errant_primary_query": "SELECT @@GLOBAL.gtid_executed",
    # 1 when GTID set {a} holds every transaction of {b}; asked of a peer's server.
    "gtid_covers_query": "SELECT GTID_SUBSET({b}, {a})",
    # Client options for a login to a peer over the network (caching_sha2_password wants TLS).
    "peer_client_options": ["ssl-mode=REQUIRED"],
    # A replica's IO errors that mean its source no longer has the transactions it needs
    # (a primary rebuilt from a peer that was further ahead): catch up from that peer.
    "source_lacks_history_errors": [13114, 1236],
    # Run on a primary rebuilt from a replica's data before it serves: the replica's channel
    # came with the clone.
    "primary_rebuild_sql": ["RESET REPLICA ALL"],
    "read_only_query": "SELECT @@GLOBAL.read_only, @@GLOBAL.super_read_only",
    "show_primary_status": "SHOW BINARY LOG STATUS",
    # Each binary log and its size (columns Log_name, File_size, Encrypted); SHOW MASTER LOGS is gone.
    "show_binary_logs": "SHOW BINARY LOGS",
    # Binary logs older than this are removed (0: never). expire_logs_days is rejected by 9.x.
    "binlog_expire_option": "binlog_expire_logs_seconds = {seconds}",
    "binlog_expire_max_seconds": 4294967295,
    # The clone donor account: BACKUP_ADMIN is all CLONE asks of a donor.
    "backup_account_host": "%",
    "backup_grants": ["GRANT BACKUP_ADMIN ON *.* TO {account}"],
    "replication_grants": ["GRANT REPLICATION SLAVE ON *.* TO {account}"],
    # mysql.sys and friends are locked service accounts created by the server itself.
    "system_accounts": ["mysql.sys", "mysql.session", "mysql.infoschema"],
    "status_columns": {
        "Replica_IO_Running": "io_running",
        "Replica_SQL_Running": "sql_running",
        "Seconds_Behind_Source": "seconds_behind",
        "Source_Host": "source_host",
        "Source_Port": "source_port",
        "Last_IO_Errno": "last_io_errno",
        "Last_IO_Error": "last_io_error",
        "Last_SQL_Errno": "last_sql_errno",
        "Last_SQL_Error": "last_sql_error",
        "Source_Log_File": "read_source_log_file",
        "Read_Source_Log_Pos": "read_source_log_pos",
        "Relay_Source_Log_File": "exec_source_log_file",
        "Exec_Source_Log_Pos": "exec_source_log_pos",
        "Auto_Position": "auto_position",
        "Retrieved_Gtid_Set": "retrieved_gtid_set",
        "Executed_Gtid_Set": "executed_gtid_set",
    },
}

_MARIADB_COMMON = {
    "server_bin": "mariadbd",
    "client_bin": "mariadb",
    "admin_bin": "mariadb-admin",
    # New replicas receive a mariadb-backup stream from the donor's sidecar (port 3307).
    "clone_method": "stream",
    "backup_bin": "mariadb-backup",
    "stream_bin": "mbstream",
    "backup_file_prefixes": ["xtrabackup"],
    # Backups (backup-mariadb-backup.sh): the same xbstream a new replica receives.
    "backup_method": "mariadb-backup",
    "backup_format": "xbstream",
    "backup_statement": "",
    "init_datadir": (
        "mariadb-install-db --defaults-file={defaults_file} --datadir={datadir} "
        "--auth-root-authentication-method=normal --skip-test-db"
    ),
    "init_scratch_datadir": "",
    "scratch_server_options": [],
    # MariaDB has no super_read_only: accounts with READ_ONLY ADMIN (root) can still write,
    # so only root keeps it; gtid_strict_mode stops replication on an errant local write.
    "replica_read_only_options": ["read_only = ON"],
    "gtid_options": ["gtid_strict_mode = ON"],
    "position_options": [],
    "log_replica_updates_option": "log_slave_updates = ON",
    # MariaDB defaults to MIXED; replicas cloned mid-stream need row events.
    "extra_server_options": ["binlog_format = ROW"],
    "primary_options": ["read_only = OFF"],
    # Built into MariaDB; its default wait point (AFTER_COMMIT) would let other clients see a
    # commit no replica has yet.
    "semi_sync_primary_options": [
        "rpl_semi_sync_master_enabled = ON",
        "rpl_semi_sync_master_wait_point = AFTER_SYNC",
        "rpl_semi_sync_master_timeout = {timeout_ms}",
        "rpl_semi_sync_master_wait_no_slave = {wait_no_replica}",
    ],
    "semi_sync_replica_options": ["rpl_semi_sync_slave_enabled = ON"],
    "semi_sync_status": {
        "primary_active": "Rpl_semi_sync_master_status",
        "clients": "Rpl_semi_sync_master_clients",
        "replica_active": "Rpl_semi_sync_slave_status",
    },
    "rejected_options": {},
    "skip_replica_start_option": "--skip-slave-start",
    # A new MariaDB version starts on old system tables; mariadb-upgrade (which writes no
    # binary log) brings them up to date. Its check exits 0 while an upgrade is due.
    "upgrade_needed_command": "mariadb-upgrade --defaults-extra-file={cnf} --check-if-upgrade-is-needed --silent",
    "upgrade_command": "mariadb-upgrade --defaults-extra-file={cnf} --silent",
    "start_replica": "START REPLICA",
    "stop_replica": "STOP REPLICA",
    "reset_replica": "RESET REPLICA ALL",
    "show_replica_status": "SHOW REPLICA STATUS",
    "change_source_gtid": (
        "CHANGE MASTER TO MASTER_HOST={host}, MASTER_PORT={port}, MASTER_USER={user}, "
        "MASTER_PASSWORD={password}, MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=5"
    ),
    "change_source_position": (
        "CHANGE MASTER TO MASTER_HOST={host}, MASTER_PORT={port}, MASTER_USER={user}, "
        "MASTER_PASSWORD={password}, MASTER_LOG_FILE={file}, MASTER_LOG_POS={position}, "
        "MASTER_USE_GTID=no, MASTER_CONNECT_RETRY=5"
    ),
    "reset_gtid": "RESET MASTER",
    "set_gtid_from_clone": "SET GLOBAL gtid_slave_pos={gtid}",
    "clone_donor_list": "",
    "clone_statement": "",
    "clone_coordinates_query": "",
    "applier_coordinates_query": "",
    "primary_gtid_query": "SELECT @@GLOBAL.gtid_binlog_pos",
    "replica_gtid_query": "SELECT @@GLOBAL.gtid_slave_pos",
    "gtid_set_kind": "mariadb",
    # Errant transactions: every GTID the replica logged or applied (gtid_binlog_state has one
    # per domain and server id; gtid_slave_pos what replication applied) against the primary's
    # gtid_binlog_state, per domain and server id (gtid.errant).
    "errant_replica_query": "SELECT @@GLOBAL.gtid_binlog_state, @@GLOBAL.gtid_slave_pos",
    "errant_primary_query": "SELECT @@GLOBAL.gtid_binlog_state",
    # No such function: the pod scripts compare MariaDB positions per domain themselves.
    "gtid_covers_query": "",
    "peer_client_options": [],
    "source_lacks_history_errors": [1236],
    # The backup holds no binary log: without its GTID state the rebuilt primary would number
    # new transactions from 1 again, behind every replica.
    "primary_rebuild_sql": ["RESET REPLICA ALL", "RESET MASTER", "SET GLOBAL gtid_binlog_state = {gtid}"],
    "read_only_query": "SELECT @@GLOBAL.read_only, 0",
    "show_primary_status": "SHOW BINLOG STATUS",
    "show_binary_logs": "SHOW BINARY LOGS",
    # MariaDB 10.6+ (every version here) takes the same variable; without it, it never
    # removes a binary log.
    "binlog_expire_option": "binlog_expire_logs_seconds = {seconds}",
    # 99 days, MariaDB's largest value for it.
    "binlog_expire_max_seconds": 8553600,
    # The backup tool runs beside the donor's server and connects through its socket.
    "backup_account_host": "localhost",
    "backup_grants": [
        "GRANT RELOAD, PROCESS, BINLOG MONITOR, REPLICA MONITOR ON *.* TO {account}",
    ],
    "replication_grants": ["GRANT REPLICATION SLAVE ON *.* TO {account}"],
    "system_accounts": ["mariadb.sys"],
    "status_columns": {
        "Slave_IO_Running": "io_running",
        "Slave_SQL_Running": "sql_running",
        "Seconds_Behind_Master": "seconds_behind",
        "Master_Host": "source_host",
        "Master_Port": "source_port",
        "Last_IO_Errno": "last_io_errno",
        "Last_IO_Error": "last_io_error",
        "Last_SQL_Errno": "last_sql_errno",
        "Last_SQL_Error": "last_sql_error",
        "Master_Log_File": "read_source_log_file",
        "Read_Master_Log_Pos": "read_source_log_pos",
        "Relay_Master_Log_File": "exec_source_log_file",
        "Exec_Master_Log_Pos": "exec_source_log_pos",
        "Using_Gtid": "using_gtid",
        "Gtid_IO_Pos": "gtid_io_pos",
    },
}

# version -> what differs within a flavor. Images are the official ones, pinned; override
# them per deployment.
_VERSIONS = {
    "mysql": {
        "9.7": {
            "image": "docker.io/library/mysql:9.7.4",
            # The versions a running deployment may be upgraded from, in place (LTS to LTS).
            "upgrades_from": ["8.4"],
            # Measured on 9.7.4: each of these stops the server with "unknown variable".
            "rejected_options": {
                "query_cache_size": "the query cache was removed in 8.0",
                "query_cache_type": "the query cache was removed in 8.0",
                "default_authentication_plugin": "removed in 8.4; use authentication_policy",
                "innodb_log_file_size": "removed in 9.x; use innodb_redo_log_capacity",
                "innodb_log_files_in_group": "removed in 9.x; use innodb_redo_log_capacity",
                "expire_logs_days": "removed in 9.x; use binlog_expire_logs_seconds",
                "master_info_repository": "removed in 9.x; the repository is always a table",
                "relay_log_info_repository": "removed in 9.x; the repository is always a table",
                "transaction_write_set_extraction": "removed in 9.x",
                "binlog_transaction_dependency_tracking": "removed in 9.x",
            },
        },
        # The same statements and scripts as 9.7 (8.4 introduced the replica/source names).
        "8.4": {
            "image": "docker.io/library/mysql:8.4.7",
            "upgrades_from": [],
        },
    },
    "mariadb": {
        "10.11": {
            "image": "docker.io/library/mariadb:10.11.15",
            "upgrades_from": [],
        },
        "11.4": {
            "image": "docker.io/library/mariadb:11.4.9",
            "upgrades_from": ["10.11"],
            # MDEV-18931 renamed xtrabackup_* to mariadb_backup_* in the 11 series.
            "backup_file_prefixes": ["mariadb_backup", "xtrabackup"],
        },
        "11.8": {
            "image": "docker.io/library/mariadb:11.8.9",
            "upgrades_from": ["10.11", "11.4"],
            "backup_file_prefixes": ["mariadb_backup", "xtrabackup"],
        },
    },
}

_COMMON = {"mysql": _MYSQL_COMMON, "mariadb": _MARIADB_COMMON}
DEFAULT_VERSIONS = {"mysql": "9.7", "mariadb": "10.11"}


class FlavorError(ValueError):
    """An unknown flavor or version; the message names the choices."""


def flavors():
    return sorted(_VERSIONS)


def versions(flavor):
    if flavor not in _VERSIONS:
        raise FlavorError("unknown flavor %r; choose one of: %s" % (flavor, ", ".join(flavors())))
    return sorted(_VERSIONS[flavor])


def profile(flavor, version=None):
    """The merged profile of one flavor and version (a fresh dict the caller may change)."""
    if version in (None, ""):
        version = DEFAULT_VERSIONS.get(flavor)
    known = versions(flavor)
    if version not in known:
        raise FlavorError("unknown %s version %r; choose one of: %s" % (flavor, version, ", ".join(known)))
    merged = copy.deepcopy(_COMMON[flavor])
    merged.update(copy.deepcopy(_VERSIONS[flavor][version]))
    merged["flavor"] = flavor
    merged["version"] = version
    merged["columns"] = dict((neutral, column) for column, neutral in merged["status_columns"].items())
    return merged


def status_column(flavor, name):
    """The flavor's SHOW REPLICA STATUS column for a flavor-neutral name."""
    for column, neutral in _COMMON[flavor]["status_columns"].items():
        if neutral == name:
            return column
    raise KeyError(name)


def normalize_status(row, flavor):
    """Maps one SHOW REPLICA STATUS row (column -> text) to the flavor-neutral names."""
    columns = _COMMON[flavor]["status_columns"]
    return dict((columns[key], value) for key, value in row.items() if key in columns)

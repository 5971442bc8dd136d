"""What the benchmarks do differently per database server, named flavor-version as in
molecule/matrix.txt ("mysql-9.7", "mariadb-10.11"): the client, the SQL that loads data and
tells whether a replica caught up, and how a new replica is cloned and what bounds that clone
physically. Pure: builds commands, runs nothing."""

import re

BENCHMARKS = ("ttr", "wait", "scale", "clone", "commit", "backup")
# The collection's default flavor for everything; the clone benchmark also measures MariaDB,
# whose clone method (a streamed backup) differs from MySQL's (the CLONE plugin), and so does
# the commit latency, whose semi-synchronous replication is built in rather than a plugin,
# and the backup, whose tool is the flavor's (CLONE LOCAL or mariadb-backup).
DEFAULT_PLAN = {"ttr": ["mysql-9.7"], "wait": ["mysql-9.7"], "scale": ["mysql-9.7"],
                "clone": ["mysql-9.7", "mariadb-10.11"], "commit": ["mysql-9.7", "mariadb-10.11"],
                "backup": ["mysql-9.7", "mariadb-10.11"]}

_FLAVORS = {
    "mysql": {"label": "MySQL", "client": "mysql", "clone_method": "plugin",
              "semi_sync_switch": "rpl_semi_sync_source_enabled"},
    "mariadb": {"label": "MariaDB", "client": "mariadb", "clone_method": "stream",
                "semi_sync_switch": "rpl_semi_sync_master_enabled"},
}

# The local limit of the MySQL clone: the donor's datadir copied on its own volume (the clone
# also reads a PVC and writes a PVC of the same StorageClass), then synced, as clone.sh syncs
# before its rename. The first sync flushes what earlier writes left dirty, outside the timing.
COPY_TARGET = "/var/lib/mysql/bench-copy"
_LOCAL_COPY = (
    "set -euo pipefail; d=" + COPY_TARGET + "; rm -rf \"$d\"; trap 'rm -rf \"$d\"' EXIT; sync; "
    "s=$(date +%s.%N); cp -a /var/lib/mysql/data \"$d\"; sync; e=$(date +%s.%N); "
    "echo \"$s $e $(du -sb \"$d\" | cut -f1)\""
)
# The local limit of the MariaDB clone: the same streamed backup the donor's sidecar serves,
# extracted again inside the pod (no network, no prepare, no server start).
_LOCAL_BACKUP = (
    "set -euo pipefail; t=$(mktemp -d); o=$(mktemp -d); trap 'rm -rf \"$t\" \"$o\"' EXIT; "
    "s=$(date +%s.%N); "
    "mariadb-backup --defaults-file={backup_cnf} --backup --stream=xbstream --slave-info "
    "--target-dir=\"$t\" 2>/tmp/bench-backup.log | mbstream -x -C \"$o\"; "
    "e=$(date +%s.%N); "
    "grep -q '^backup_type = full-backuped' \"$o/xtrabackup_checkpoints\"; "
    "echo \"$s $e $(du -sb \"$o\" | cut -f1)\"; rm -f /tmp/bench-backup.log"
)
_GTID_SET = re.compile(r"^[0-9A-Za-z:,\-]*$")


def split_name(name):
    """'mysql-9.7' -> ('mysql', '9.7'); anything else is refused with the accepted form."""
    flavor, _, version = name.partition("-")
    if flavor not in _FLAVORS or not re.match(r"^\d+\.\d+$", version):
        raise ValueError("a server is FLAVOR-VERSION with FLAVOR one of %s, e.g. mysql-9.7; got %r"
                         % (", ".join(sorted(_FLAVORS)), name))
    return flavor, version


def label(name):
    """'mariadb-10.11' -> 'MariaDB 10.11' (unknown names are shown as they are)."""
    try:
        flavor, version = split_name(name)
    except ValueError:
        return name
    return "%s %s" % (_FLAVORS[flavor]["label"], version)


def image_variable(name):
    """The variable `test-infra/kind/cluster.sh env` prints the locally built image in."""
    return re.sub(r"[.-]", "_", name).upper() + "_IMAGE"


def client(name):
    return _FLAVORS[split_name(name)[0]]["client"]


def clone_method(name):
    return _FLAVORS[split_name(name)[0]]["clone_method"]


# Single-row commits in one session, each its own transaction (autocommit), timed by the
# server itself: the client's start-up and the exec round trip stay out of the figure.
COMMIT_SETUP = (
    "CREATE DATABASE IF NOT EXISTS bench; "
    "CREATE TABLE IF NOT EXISTS bench.commits (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB"
)


def commit_run(name, semi_sync, commits):
    """SQL that switches the primary's semi-synchronous wait on or off, commits `commits`
    rows one statement each and prints the microseconds they took."""
    switch = _FLAVORS[split_name(name)[0]]["semi_sync_switch"]
    inserts = "INSERT INTO bench.commits (v) VALUES (%d); " * commits % tuple(range(commits))
    return ("SET GLOBAL %s = %s; SET @t = NOW(6); %sSELECT TIMESTAMPDIFF(MICROSECOND, @t, NOW(6))"
            % (switch, "ON" if semi_sync else "OFF", inserts))


def semi_sync_on(name):
    return "SET GLOBAL %s = ON" % _FLAVORS[split_name(name)[0]]["semi_sync_switch"]


def plan(only=None, chosen=None):
    """benchmark -> servers to run it on: --flavor's list for every benchmark, else the defaults."""
    for name in chosen or []:
        split_name(name)
    out = {}
    for bench in BENCHMARKS:
        if only and bench not in only:
            continue
        out[bench] = list(dict.fromkeys(chosen)) if chosen else list(DEFAULT_PLAN[bench])
    return out


def flavor_vars(name):
    flavor, version = split_name(name)
    return ["-e", "stateful_mysql_flavor=%s" % flavor, "-e", "stateful_mysql_version=%s" % version]


def deploy_vars(name, image, storage_class):
    return flavor_vars(name) + [
        "-e", "mysql_statefulset_image=%s" % image,
        # Built here and loaded into the node: never pulled.
        "-e", "mysql_statefulset_image_pull_policy=Never",
        # Named, not the cluster default: a concurrent rook_storageclass scenario on the
        # shared cluster makes its own class the default for a while.
        "-e", "mysql_statefulset_storage_class=%s" % storage_class]


def fill_statement(name, start="<a>", end="<b>"):
    """One INSERT of rows start..end of 1000 random bytes each (MD5() is gone from MySQL 9.7;
    RANDOM_BYTES() exists in both)."""
    if split_name(name)[0] == "mariadb":  # the SEQUENCE engine's virtual tables
        return "INSERT INTO bench.filler SELECT seq, RANDOM_BYTES(1000) FROM bench.seq_%s_to_%s" % (start, end)
    # MySQL has no sequence tables: a recursive CTE, one level per row.
    return ("INSERT INTO bench.filler WITH RECURSIVE seq (n) AS (SELECT CAST(%s AS UNSIGNED) UNION ALL "
            "SELECT n + 1 FROM seq WHERE n < %s) SELECT n, RANDOM_BYTES(1000) FROM seq" % (start, end))


def load_statements(name, rows, chunk_rows):
    """The statements that create bench.filler and fill it with `rows` rows, `chunk_rows` per INSERT."""
    statements = ["CREATE DATABASE IF NOT EXISTS bench",
                  "CREATE TABLE IF NOT EXISTS bench.filler (id BIGINT UNSIGNED PRIMARY KEY, "
                  "payload VARBINARY(1024) NOT NULL) ENGINE=InnoDB"]
    if split_name(name)[0] == "mysql":
        statements.append("SET SESSION cte_max_recursion_depth = %d" % max(1000, chunk_rows))
    for start in range(1, rows + 1, chunk_rows):
        statements.append(fill_statement(name, start, min(rows, start + chunk_rows - 1)))
    return statements


def load_description(name, chunk_rows):
    text = fill_statement(name) + " (%d rows per statement)" % chunk_rows
    if split_name(name)[0] == "mysql":
        text = "SET SESSION cte_max_recursion_depth = %d; " % max(1000, chunk_rows) + text
    return text


def primary_position_query(name):
    """What the primary has written, as one line (MySQL prints a multi-source set over lines)."""
    if split_name(name)[0] == "mariadb":
        return "SELECT @@GLOBAL.gtid_binlog_pos"
    return "SELECT REPLACE(@@GLOBAL.gtid_executed, '\\n', '')"


def caught_up_query(name, position):
    """A query a replica answers with 1 once it has applied `position` (the primary's)."""
    if not _GTID_SET.match(position):
        raise ValueError("unexpected GTID set %r" % position)
    if split_name(name)[0] == "mariadb":
        return "SELECT @@GLOBAL.gtid_slave_pos = '%s'" % position
    return "SELECT GTID_SUBSET('%s', @@GLOBAL.gtid_executed)" % position


def local_limit(name, backup_cnf):
    """The clone's physical limit measured inside a pod: (container, bash script). Both print
    "<start> <end> <bytes>"."""
    if clone_method(name) == "stream":
        return "replication", _LOCAL_BACKUP.replace("{backup_cnf}", backup_cnf)
    return "mysql", _LOCAL_COPY

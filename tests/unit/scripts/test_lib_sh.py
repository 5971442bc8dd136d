# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""lib.sh's functions, run by bash with a fake client (pod_shell.py, fake_client.sh).

Quoting is checked by reading back what the client would receive; GTID coverage on
MariaDB against the table gtid.py's tests share (fixtures/gtid_cases.yml).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import stat

import pytest
from gtid_cases import gtid_cases
from mysql_syntax import option_file, sql_string
from pod_shell import Pod, batch_escape, session_statements

from ansible_collections.stateful.mysql.plugins.module_utils import flavors

# Text a password or name may hold that quoting must carry through unchanged.
AWKWARD = [
    "plain",
    "it's",
    'say "hi"',
    "back\\slash",
    "ends in a backslash\\",
    "\\'",
    "''",
    "two\nlines",
    "tab\there",
    "&amp; & \\&",
    "{password}",
    "$(id) `id` $HOME",
    "#not a comment",
    " spaced ",
    "100%_",
    u"pässwörd ✓",
]


@pytest.fixture
def pod(tmp_path):
    return Pod(tmp_path, "mysql")


@pytest.fixture
def mariadb_pod(tmp_path):
    return Pod(tmp_path, "mariadb")


def test_sourcing_needs_nothing_else(pod):
    assert pod.run("echo ok").stdout == "ok\n"
    assert pod.calls() == []


# --- quoting ------------------------------------------------------------------------------

# sql_modes a server may run with (a user can set sql_mode in mysql_config_server_options).
SERVER_SQL_MODES = ["", "STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION", "NO_BACKSLASH_ESCAPES",
                    "ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES", "ANSI"]


@pytest.mark.parametrize("server_mode", SERVER_SQL_MODES)
@pytest.mark.parametrize("value", AWKWARD)
def test_sql_quote_round_trip(pod, value, server_mode):
    pod.run('sql "SELECT $(sql_quote "$VALUE")"', VALUE=value)
    [(args, stdin)] = pod.calls()
    # Statements go on stdin: nothing of the value in the process list.
    assert args == ["--defaults-extra-file=%s/root.cnf" % pod.run_dir, "-N", "-B"]
    # Whatever the server's sql_mode, the session reads backslashes literally first.
    statements, no_backslash_escapes = session_statements(stdin, server_mode)
    assert no_backslash_escapes
    assert statements.startswith("SELECT ") and statements.endswith("\n")
    assert sql_string(statements[len("SELECT "):-1], no_backslash_escapes=True) == (value, "")


@pytest.mark.parametrize("value", [v for v in AWKWARD if "\\" in v])
def test_sql_quote_relies_on_the_session_mode(pod, value):
    # Why sql() sets the mode: read with backslash escapes, the literal means something else.
    quoted = pod.run('sql_quote "$VALUE"', VALUE=value).stdout
    assert sql_string(quoted, no_backslash_escapes=True) == (value, "")
    assert _read_with_backslash_escapes(quoted) != (value, "")


def _read_with_backslash_escapes(quoted):
    try:
        return sql_string(quoted)
    except AssertionError:  # the literal does not even end where it should
        return None


def test_sql_quote_only_doubles_quotes(pod):
    assert pod.run('sql_quote "$VALUE"', VALUE="it's \\ '' ok").stdout == "'it''s \\ '''' ok'"


# --- the Secret ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["plain", "two\nlines", " spaced ", "\\", u"pässwörd ✓", "ends in\ttab\t"])
def test_secret_is_the_value_byte_for_byte(pod, value):
    with open(os.path.join(pod.secret_dir, "app-password"), "w") as handle:
        handle.write(value)
    assert pod.run('v="$(secret app-password)"; printf "%s|" "$v"').stdout == value + "|"


@pytest.mark.parametrize("value", ["from-file\n", "crlf\r\n", "cr\r", "two\n\n"])
def test_secret_ending_in_a_line_break_is_refused(pod, value):
    with open(os.path.join(pod.secret_dir, "app-password"), "w", newline="") as handle:
        handle.write(value)
    result = pod.run("secret app-password", check=False)
    assert result.returncode != 0 and result.stdout == ""
    assert "key 'app-password' of the Secret db-credentials ends with a line break" in result.stderr


def test_secret_empty_or_missing_is_refused(pod):
    open(os.path.join(pod.secret_dir, "app-password"), "w").close()
    for key in ("app-password", "root-password"):
        result = pod.run("secret %s" % key, check=False)
        assert result.returncode != 0
        assert "the Secret db-credentials has no value for key '%s'" % key in result.stderr


@pytest.mark.parametrize("value", AWKWARD)
def test_cnf_quote_round_trip(pod, value):
    pod.run('write_client_cnf "$RUN_DIR/app.cnf" app "$VALUE"', VALUE=value)
    path = os.path.join(pod.run_dir, "app.cnf")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path) as handle:
        client = option_file(handle.read())["client"]
    assert client == {"user": "app", "password": value, "socket": pod.run_dir + "/mysqld.sock"}


def test_fill_keeps_values_literal(pod):
    out = pod.run(r"""fill '{a}-{b}-{a}' 'a=x&y' 'b=\1 {a}'""").stdout
    # '&' is not the match, '\1' not a group, and a later key's value is not filled again.
    assert out == "x&y-\\1 {a}-x&y"


def test_fill_replaces_placeholders_inside_earlier_values(pod):
    # Why the scripts pass the password last: a value can hold a later key's placeholder.
    assert pod.run("fill '{a} {b}' 'a={b}' b=x").stdout == "x x"


# --- the pod's name -----------------------------------------------------------------------

@pytest.mark.parametrize("hostname, ordinal, primary", [
    ("db-0", "0", True), ("db-1", "1", False), ("db-12", "12", False), ("my-db-3", "3", False),
])
def test_ordinal(pod, hostname, ordinal, primary):
    out = pod.run("ordinal; echo; is_primary && echo primary || echo replica; primary_host", hostname=hostname)
    assert out.stdout == "%s\n%s\ndb-0.db" % (ordinal, "primary" if primary else "replica")


@pytest.mark.parametrize("hostname", ["db", "db-", "db-1a"])
def test_ordinal_needs_a_number(pod, hostname):
    result = pod.run("ordinal", hostname=hostname, check=False)
    assert result.returncode != 0
    assert "cannot read an ordinal from the hostname '%s'" % hostname in result.stderr


# --- SHOW REPLICA STATUS --------------------------------------------------------------------

STATUS_FIXTURES = ["%s-%s" % (server, situation)
                   for server in ("mysql-9.7", "mariadb-10.11", "mariadb-11.8")
                   for situation in ("healthy", "io-connecting", "sql-error", "sql-stopped", "wrong-source-delayed")]


@pytest.mark.parametrize("name", STATUS_FIXTURES)
def test_replica_status(tmp_path, batch, name):
    flavor, version = name.split("-")[:2]
    pod = Pod(tmp_path, flavor, version)
    output = batch(name)
    pod.answer("root.cnf", output)
    header, row = output.split("\n")[:2]
    expected = dict(zip(header.split("\t"), row.split("\t")))
    script = 'status="$(replica_status)"; printf "%s\\n" "$status"; for c in "$COLUMN_IO_RUNNING" ' \
             '"$COLUMN_SQL_RUNNING" "$COLUMN_LAST_IO_ERRNO" "$COLUMN_LAST_SQL_ERRNO" "$COLUMN_SECONDS_BEHIND"; ' \
             'do printf "%s\\n" "$c=$(status_field "$status" "$c")"; done'
    lines = pod.run(script).stdout.split("\n")[:-1]
    fields = len(expected)
    assert lines[:fields] == ["%s=%s" % item for item in zip(header.split("\t"), row.split("\t"))]
    columns = flavors.profile(flavor, version)["columns"]
    names = ["io_running", "sql_running", "last_io_errno", "last_sql_errno", "seconds_behind"]
    assert lines[fields:] == ["%s=%s" % (columns[n], expected[columns[n]]) for n in names]
    [(args, _stdin)] = pod.calls()
    assert args[-2:] == ["-e", flavors.profile(flavor, version)["show_replica_status"]]


def test_replica_status_healthy_values(tmp_path, batch):
    pod = Pod(tmp_path, "mariadb")
    pod.answer("root.cnf", batch("mariadb-10.11-healthy"))
    out = pod.run('s="$(replica_status)"; status_field "$s" "$COLUMN_IO_RUNNING"; '
                  'status_field "$s" "$COLUMN_LAST_SQL_ERRNO"; status_field "$s" Gtid_IO_Pos').stdout
    assert out == "Yes\n0\n0-100-5\n"


def test_replica_status_of_a_primary_is_empty(pod):
    pod.answer("root.cnf", "")
    assert pod.run('s="$(replica_status)"; echo "[$s][$(status_field "$s" "$COLUMN_IO_RUNNING")]"').stdout == "[][]\n"


# --- GTID positions -----------------------------------------------------------------------

@pytest.mark.parametrize("printed, position", [
    ("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,\n8a94f357-aab4-11df-86ab-c80aa9429562:1-3",
     "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5,8a94f357-aab4-11df-86ab-c80aa9429562:1-3"),
    (" 0-1-5 ,\n1-2-3 ", "0-1-5,1-2-3"),
    ("", ""),
])
def test_own_gtid(pod, printed, position):
    # The client prints a newline inside the value as a literal \n, then ends the row.
    pod.answer("root.cnf", batch_escape(printed) + "\n")
    assert pod.run("own_gtid").stdout == position
    [(_args, stdin)] = pod.calls()
    assert session_statements(stdin)[0] == flavors.profile("mysql")["replica_gtid_query"] + "\n"


def test_peer_gtid(pod):
    pod.answer("peer-db-2.db.cnf", batch_escape("0-1-5,\n1-2-3") + "\n")
    assert pod.run("peer_gtid db-2.db").stdout == "0-1-5,1-2-3"
    with open(os.path.join(pod.run_dir, "peer-db-2.db.cnf")) as handle:
        client = option_file(handle.read())["client"]
    assert client == {"user": "replicator", "password": "repl'pass", "host": "db-2.db", "port": "3306",
                      "connect-timeout": "3", "ssl-mode": "REQUIRED"}


def test_peer_gtid_of_a_silent_peer_is_empty(pod):
    pod.answer("peer-db-2.db.cnf", "", status=1)
    result = pod.run("peer_gtid db-2.db; echo \"rc=$?\"")
    assert result.stdout == "rc=0\n"


# --- GTID coverage ------------------------------------------------------------------------

COVERS = 'if gtid_covers "$A" "$B" ${PEER:+"$PEER"}; then echo true; else echo false; fi'


@pytest.mark.parametrize("a, b, covers", gtid_cases("mariadb"))
def test_gtid_covers_mariadb(mariadb_pod, a, b, covers):
    # As the scripts do: positions read by own_gtid and peer_gtid, compared here.
    mariadb_pod.answer("root.cnf", batch_escape(a) + "\n")
    mariadb_pod.answer("peer-db-2.db.cnf", batch_escape(b) + "\n")
    out = mariadb_pod.run('A="$(own_gtid)" B="$(peer_gtid db-2.db)" PEER=db-2.db; ' + COVERS).stdout
    assert out == "%s\n" % str(covers).lower()
    assert len(mariadb_pod.calls()) == 2


@pytest.mark.parametrize("a, b, covers", gtid_cases("mysql"))
@pytest.mark.parametrize("peer", ["db-2.db", ""])
def test_gtid_covers_mysql_asks_the_server(pod, a, b, covers, peer):
    a, b = a.replace("\n", ""), b.replace("\n", "")  # as own_gtid and peer_gtid pass them
    option_file_name = "peer-%s.cnf" % peer if peer else "root.cnf"
    pod.answer(option_file_name, "1\n" if covers else "0\n")
    assert pod.run(COVERS, A=a, B=b, PEER=peer).stdout == "%s\n" % str(covers).lower()
    [(args, stdin)] = pod.calls()
    assert args[0] == "--defaults-extra-file=%s/%s" % (pod.run_dir, option_file_name)
    # SELECT GTID_SUBSET(b, a): is b inside a?
    prefix = "SELECT GTID_SUBSET("
    statements, no_backslash_escapes = session_statements(stdin)
    assert statements.startswith(prefix) and statements.endswith(")\n")
    first, rest = sql_string(statements[len(prefix):-2], no_backslash_escapes)
    second, rest = sql_string(rest[len(", "):], no_backslash_escapes)
    assert (first, second, rest) == (b, a, "")


def test_gtid_covers_mysql_fails_when_the_server_does_not_answer(pod):
    pod.answer("peer-db-2.db.cnf", "", status=1)
    assert pod.run(COVERS, A="x:1", B="x:1", PEER="db-2.db").stdout == "false\n"

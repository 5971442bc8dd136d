# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SQL over exec: the password's way through stdin, the pod script, the exit status."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils.k8s import pod_exec
from ansible_collections.stateful.mysql.plugins.module_utils.replication import sql as pod_sql
from ansible_collections.stateful.mysql.plugins.module_utils.replication.errors import ReplicationError
from fakes import FakeApi
from scripts.mysql_syntax import sql_string

NASTY = 'Ünï"co\\de#pa\'ss w$rd;`x` -- \t\n'

FAKE_CLIENT = r"""#!/bin/sh
# Stands in for mysql/mariadb: $1 --defaults-file=..., $2 --batch, $3 --connect-timeout, $4 -e, $5 statement.
defaults=${1#--defaults-file=}
case "$5" in
  show-defaults)
    printf 'path\tmode\n%s\t%s\n' "$defaults" "$(stat -L -c %a "$defaults")"
    cat "$defaults" >&2 ;;
  fail)
    echo "ERROR 1064 (42000): You have an error in your SQL syntax" >&2
    exit 1 ;;
  *)
    printf 'statement\n%s\n' "$5" ;;
esac
"""


# --- the option-file value ---------------------------------------------------------------

@pytest.mark.parametrize("password, value", [
    ("simple", '"simple"'),
    ("with space ", '"with space "'),
    ("hash#", '"hash#"'),
    ('quo"te', '"quo\\"te"'),
    ("single'quote", '"single\'quote"'),
    ("back\\slash", '"back\\\\slash"'),
    ("new\nline\ttab\rcr", '"new\\nline\\ttab\\rcr"'),
    ("ünï", '"ünï"'),
])
def test_option_value(password, value):
    assert pod_sql.option_value(password) == value
    assert "\n" not in pod_sql.option_value(password)


def test_option_value_rejects_nul():
    with pytest.raises(ValueError):
        pod_sql.option_value("a\x00b")


def test_quoting():
    assert pod_sql.quote_identifier("we`ird") == "`we``ird`"
    assert pod_sql.quote_string("it's a 'test'") == "'it''s a ''test'''"


@pytest.mark.parametrize("value", ["db-0", "it's", "''", "0f3c9a", u"pässwörd ✓", "a\nb"])
@pytest.mark.parametrize("no_backslash_escapes", [False, True])
def test_quote_string_means_the_same_under_every_sql_mode(value, no_backslash_escapes):
    assert sql_string(pod_sql.quote_string(value), no_backslash_escapes) == (value, "")


@pytest.mark.parametrize("value", ["back\\slash", "\\", "\\'"])
def test_quote_string_refuses_a_backslash(value):
    # No literal holds a backslash under both sql_modes.
    with pytest.raises(ReplicationError, match="holds a backslash"):
        pod_sql.quote_string(value)


# --- the pod script, run here with a fake client ------------------------------------------

def run_script(tmp_path, statements, stdin):
    client = tmp_path / "fake-client"
    client.write_text(FAKE_CLIENT)
    client.chmod(0o755)
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    marker = "@@test-marker@@"
    command = pod_sql.build_command(str(client), statements, marker, socket="/run/test.sock")
    env = dict(os.environ, TMPDIR=str(tmpdir))
    proc = subprocess.run(command, input=stdin.encode("utf-8"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, check=False)
    return proc, marker, tmpdir


def test_script_writes_a_private_option_file_and_removes_it(tmp_path):
    value = pod_sql.option_value(NASTY)
    proc, marker, tmpdir = run_script(tmp_path, ["show-defaults", "SELECT 1"], value + "\n")
    assert proc.returncode == 0
    outputs, rcs = pod_sql.split_output(proc.stdout.decode(), marker, 2)
    errors, _rcs = pod_sql.split_output(proc.stderr.decode(), marker, 2)
    assert rcs == [0, 0]
    path, mode = outputs[0].strip().split("\n")[1].split("\t")
    # The client reads the option file through the descriptor: the file itself is gone.
    assert path == "/dev/fd/3"
    assert mode == "600"
    assert list(tmpdir.iterdir()) == []
    assert errors[0] == "[client]\nuser=root\npassword=%s\nsocket=/run/test.sock\n" % value
    assert outputs[1] == "statement\nSELECT 1\n"
    # The password is in no argument of the command line.
    assert not any(NASTY in arg or value in arg for arg in pod_sql.build_command("mysql", ["SELECT 1"], marker))


def test_script_keeps_going_after_a_failed_statement(tmp_path):
    proc, marker, _tmpdir = run_script(tmp_path, ["fail", "SELECT 2"], '"pw"\n')
    outputs, rcs = pod_sql.split_output(proc.stdout.decode(), marker, 2)
    errors, _rcs = pod_sql.split_output(proc.stderr.decode(), marker, 2)
    assert rcs == [1, 0]
    assert errors[0].startswith("ERROR 1064 (42000)")
    assert outputs == ["", "statement\nSELECT 2\n"]


def test_script_refuses_to_run_without_a_password(tmp_path):
    proc, marker, _tmpdir = run_script(tmp_path, ["SELECT 1"], "")
    assert proc.returncode == 90
    assert pod_sql.split_output(proc.stdout.decode(), marker, 1) == ([None], [None])


# --- splitting the streams --------------------------------------------------------------------

def test_split_output_keeps_exact_text():
    m = "@@m@@"
    text = ("%s begin 0\n\n%s end 0 0\n"
            "%s begin 1\na\tb\n1\t2\n\n%s end 1 0\n"
            "%s begin 2\nno newline\n%s end 2 7\n") % (m, m, m, m, m, m)
    assert pod_sql.split_output(text, m, 3) == (["", "a\tb\n1\t2\n", "no newline"], [0, 0, 7])


def test_split_output_missing_pieces():
    m = "@@m@@"
    assert pod_sql.split_output("%s begin 0\nhalf" % m, m, 2) == ([None, None], [None, None])


# --- opening the exec session ----------------------------------------------------------------

def test_exec_url_repeats_command_and_quotes_names():
    url = pod_exec.exec_url("https://10.0.0.1:6443/", "ns", "db-0", "mysql",
                            ["sh", "-c", "echo a&b=c"], stdin=True)
    path, query = url.split("?", 1)
    assert path == "https://10.0.0.1:6443/api/v1/namespaces/ns/pods/db-0/exec"
    assert query == ("command=sh&command=-c&command=echo+a%26b%3Dc&container=mysql"
                     "&stdin=true&stdout=true&stderr=true&tty=false")


def test_exec_url_without_stdin():
    assert "&stdin=false&" in pod_exec.exec_url("http://h", "ns", "p", "c", ["true"], stdin=False)


class FakeConfiguration:
    def __init__(self, settings):
        self.settings = settings

    def auth_settings(self):
        return self.settings


def test_auth_headers_carry_the_bearer_token_only_when_set():
    token = {"BearerToken": {"type": "api_key", "in": "header", "key": "authorization", "value": "Bearer t0k"}}
    assert pod_exec.auth_headers(FakeConfiguration(token)) == {"authorization": "Bearer t0k"}
    # Client-certificate kubeconfigs (kind's) have no header credential.
    assert pod_exec.auth_headers(FakeConfiguration({})) == {}
    empty = {"BearerToken": {"in": "header", "key": "authorization", "value": None}}
    assert pod_exec.auth_headers(FakeConfiguration(empty)) == {}


# --- the exit status ------------------------------------------------------------------------

def test_exit_status():
    assert pod_exec.parse_exit_status('{"metadata":{},"status":"Success"}') == 0
    failure = ('{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: '
               'error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode",'
               '"details":{"causes":[{"reason":"ExitCode","message":"3"}]}}')
    assert pod_exec.parse_exit_status(failure) == 3


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "not json",
    "[1, 2]",
    '{"status":"Failure","message":"Internal error occurred: error executing command in container: '
    'failed to exec in container: exec: \\"nope\\": executable file not found in $PATH"}',
    '{"status":"Failure","details":{"causes":[{"reason":"ExitCode","message":"x"}]}}',
])
def test_no_exit_status_is_an_error(text):
    with pytest.raises(pod_exec.PodExecError):
        pod_exec.parse_exit_status(text)


# --- run_sql over a fake exec ---------------------------------------------------------------

def scripted(command, stdin):
    marker = command[6]
    statements = command[7:]
    out, err = [], []
    for index, statement in enumerate(statements):
        out.append("%s begin %d\ncolumn\n%s\n\n%s end %d 0\n" % (marker, index, statement, marker, index))
        err.append("%s begin %d\n\n%s end %d 0\n" % (marker, index, marker, index))
    return pod_exec.ExecResult(0, "".join(out), "".join(err))


def test_run_sql_sends_the_password_on_stdin_only():
    fake = FakeApi(exec_result=scripted)
    results = pod_sql.run_sql(fake, "ns", "db-0", "mysql", "mariadb", NASTY, ["SELECT 1", "SELECT 2"])
    assert [r.rows for r in results] == [[["SELECT 1"]], [["SELECT 2"]]]
    assert [r.scalar() for r in results] == ["SELECT 1", "SELECT 2"]
    call = fake.exec_calls[0]
    assert call["stdin"] == pod_sql.option_value(NASTY) + "\n"
    assert call["command"][:3] == ["sh", "-c", pod_sql.SCRIPT]
    assert call["command"][4:6] == ["mariadb", pod_sql.SOCKET]
    assert not any(NASTY in part or pod_sql.option_value(NASTY)[1:-1] in part for part in call["command"])


def test_run_sql_redacts_the_password_from_errors():
    def leaky(command, stdin):
        return pod_exec.ExecResult(91, "", "cannot write %s anywhere" % stdin.strip())

    with pytest.raises(pod_sql.SqlError) as caught:
        pod_sql.run_sql(FakeApi(exec_result=leaky), "ns", "db-0", "mysql", "mariadb", "s3cr3t\"pw", ["SELECT 1"])
    assert "s3cr3t" not in str(caught.value)
    assert "********" in str(caught.value)
    assert "exit code 91" in str(caught.value)


def test_run_sql_exec_failure():
    def broken(command, stdin):
        raise pod_exec.PodExecError("cannot exec in pod ns/db-0 container mysql: pods \"db-0\" not found")

    with pytest.raises(pod_sql.SqlError) as caught:
        pod_sql.run_sql(FakeApi(exec_result=broken), "ns", "db-0", "mysql", "mariadb", "pw", ["SELECT 1"])
    assert "not found" in str(caught.value)


def test_redactor():
    redact = pod_sql.Redactor('a"b')
    assert redact('x a"b y a\\"b z') == "x ******** y ******** z"
    assert pod_sql.Redactor("")("text") == "text"
    assert redact(None) is None


def test_statement_result():
    ok = pod_sql.StatementResult("SELECT", 0, "a\tb\n1\tNULL\n", "")
    assert ok.ok and ok.dicts() == [{"a": "1", "b": None}] and ok.first_row() == ["1", None]
    failed = pod_sql.StatementResult("SELECT", 1, "", "ERROR 1146 (42S02): Table 'x.y' doesn't exist\n")
    assert not failed.ok and failed.rows == [] and failed.scalar() is None
    assert failed.describe_error() == "ERROR 1146 (42S02): Table 'x.y' doesn't exist (exit code 1)"

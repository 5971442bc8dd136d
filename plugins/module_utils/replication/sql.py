# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SQL through the server's own client inside the pod, over the Kubernetes exec API.

No network path to mysqld and no Python driver: one exec runs the flavor's client once
per statement, as root through the socket. The password travels on stdin only: the pod
script reads the first stdin line into a mode-0600 option file, opens it and removes it
before the first client starts (the clients read it through /dev/fd/3), so it is in no
argv, environment, log or result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import uuid

from ansible_collections.stateful.mysql.plugins.module_utils.k8s.pod_exec import PodExecError
from ansible_collections.stateful.mysql.plugins.module_utils.replication.status import (
    parse_batch,
)
from ansible_collections.stateful.mysql.plugins.module_utils.replication.errors import ReplicationError

SOCKET = "/run/stateful-mysql/mysqld.sock"
USER = "root"
REDACTED = "********"

# $1 client binary, $2 socket, $3 marker, $4... statements; stdin line 1: password value.
SCRIPT = r"""
umask 077
IFS= read -r pw || { echo "no password on stdin" >&2; exit 90; }
client=$1 socket=$2 marker=$3
shift 3
f=
for d in "${TMPDIR:-/tmp}" /run/stateful-mysql /dev/shm; do
  f=$(mktemp "$d/.stateful-mysql-client.XXXXXX" 2>/dev/null) && break
  f=
done
[ -n "$f" ] || { echo "cannot create a temporary option file" >&2; exit 91; }
trap 'rm -f "$f"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
printf '[client]\nuser=%s\npassword=%s\nsocket=%s\n' root "$pw" "$socket" > "$f" || exit 91
pw=
exec 3<"$f"
defaults=$f
if [ -r /dev/fd/3 ]; then rm -f "$f"; defaults=/dev/fd/3; fi
i=0
for stmt in "$@"; do
  printf '%s begin %d\n' "$marker" "$i"
  printf '%s begin %d\n' "$marker" "$i" >&2
  "$client" --defaults-file="$defaults" --batch --connect-timeout=10 -e "$stmt" </dev/null
  rc=$?
  printf '\n%s end %d %d\n' "$marker" "$i" "$rc"
  printf '\n%s end %d %d\n' "$marker" "$i" "$rc" >&2
  i=$((i + 1))
done
"""


class SqlError(ReplicationError):
    """The statements could not be run at all (exec failed, option file, no output)."""


class StatementResult:
    """One statement's outcome: ``rc``, raw ``output``, ``error`` text, parsed rows."""

    def __init__(self, statement, rc, output, error):
        self.statement = statement
        self.rc = rc
        self.output = output
        self.error = error.strip()
        self.columns, self.rows = parse_batch(output) if rc == 0 else ([], [])

    @property
    def ok(self):
        return self.rc == 0

    def dicts(self):
        return [dict(zip(self.columns, row)) for row in self.rows]

    def scalar(self):
        """The first column of the first row, or None."""
        return self.rows[0][0] if self.rows and self.rows[0] else None

    def first_row(self):
        return self.rows[0] if self.rows else None

    def describe_error(self):
        text = self.error or "no error text"
        return "%s (exit code %s)" % (text, self.rc)

    def __repr__(self):
        return "StatementResult(rc=%r, rows=%d)" % (self.rc, len(self.rows))


OPTION_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b"}


def option_value(password):
    """``password`` as a double-quoted option-file value on one line.

    Option files (MySQL and MariaDB alike) unescape \\\\ \\" \\' \\n \\t \\r \\b \\s inside a
    value and treat ``#`` as a comment outside quotes.
    """
    if "\x00" in password:
        raise ValueError("the root password contains a NUL character, which option files cannot hold")
    return '"%s"' % "".join(OPTION_ESCAPES.get(char, char) for char in password)


def quote_identifier(name):
    return "`%s`" % name.replace("`", "``")


def quote_string(value):
    """``value`` as an SQL string literal that means the same under every sql_mode: quotes
    doubled. A backslash is an escape character unless the server runs with
    NO_BACKSLASH_ESCAPES, so no one literal holds one in both; the values quoted here (ids
    and pod names) never need one, and one is refused rather than guessed at."""
    if "\\" in value:
        raise ReplicationError("cannot quote %r for every sql_mode: it holds a backslash" % value)
    return "'%s'" % value.replace("'", "''")


def build_command(client_bin, statements, marker, socket=SOCKET):
    return ["sh", "-c", SCRIPT, "stateful-mysql-sql", client_bin, socket, marker] + list(statements)


def split_output(text, marker, count):
    """Cuts one stream of the script's output into ``count`` pieces; returns (pieces, rcs)."""
    pieces = [None] * count
    rcs = [None] * count
    pattern = re.compile(
        r"%s begin (\d+)\n(.*?)\n%s end \1 (\d+)\n" % (re.escape(marker), re.escape(marker)),
        re.S,
    )
    for match in pattern.finditer(text):
        index = int(match.group(1))
        if 0 <= index < count:
            pieces[index] = match.group(2)
            rcs[index] = int(match.group(3))
    return pieces, rcs


class Redactor:
    """Replaces a secret (and its option-file form) in any text with ********."""

    def __init__(self, *secrets):
        self.secrets = []
        for secret in secrets:
            if secret:
                self.secrets.append(secret)
                self.secrets.append(option_value(secret)[1:-1])
        self.secrets.sort(key=len, reverse=True)

    def __call__(self, text):
        if text is None:
            return None
        text = str(text)
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, REDACTED)
        return text


def run_sql(api, namespace, pod, container, client_bin, password, statements, timeout=60, socket=SOCKET):
    """Runs each statement in its own client call, in order; returns StatementResults.

    A statement that fails does not stop the next ones. Raises SqlError (with the password
    redacted) when the exec itself fails or the script could not start the clients.
    """
    statements = list(statements)
    redact = Redactor(password)
    marker = "@@stateful-mysql-%s@@" % uuid.uuid4().hex
    command = build_command(client_bin, statements, marker, socket)
    try:
        result = api.exec(namespace, pod, container, command, stdin=option_value(password) + "\n", timeout=timeout)
    except PodExecError as exc:
        raise SqlError(redact(str(exc)))
    outputs, rcs = split_output(result.stdout, marker, len(statements))
    errors, _rcs = split_output(result.stderr, marker, len(statements))
    if result.rc != 0 or any(rc is None for rc in rcs):
        detail = redact(result.stderr).strip() or redact(result.stdout).strip() or "no output"
        raise SqlError("SQL in pod %s/%s container %s failed (exit code %s): %s" % (
            namespace, pod, container, result.rc, detail[-2000:]))
    out = []
    for index, statement in enumerate(statements):
        out.append(StatementResult(statement, rcs[index], redact(outputs[index] or ""), redact(errors[index] or "")))
    return out

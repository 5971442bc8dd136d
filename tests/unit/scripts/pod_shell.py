# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the pod scripts' shell functions offline: lib.sh sourced in ``bash -c``, its
/etc, /run and /var paths moved under a temporary directory, the flavor's settings as
flavor.env holds them, and fake_client.sh as the client and admin tools.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shlex
import stat
import subprocess

import yaml
from mysql_syntax import session_sql_mode

from ansible_collections.stateful.mysql.plugins.module_utils import flavors

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
ROLE = os.path.join(ROOT, "roles", "mysql_config")
SCRIPTS = os.path.join(ROLE, "files", "scripts")

# What settings.env.j2 renders, with test values.
SETTINGS = {
    "STS_NAME": "db", "SERVICE_NAME": "db", "MYSQL_PORT": "3306", "CLONE_PORT": "3307",
    "REPLICATION_MODE": "gtid", "MAX_LAG_SECONDS": "30", "REPLICATION_USER": "replicator",
    "BACKUP_USER": "backup", "CLONE_METHOD": "stream", "SECRET_NAME": "db-credentials",
}


def batch_escape(text):
    """A value as the client prints it in batch mode: backslash, newline and tab escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def flavor_env(flavor, version=None):
    """flavor.env as templates/flavor.env.j2 renders it (keys from the role's vars)."""
    with open(os.path.join(ROLE, "vars", "main.yml")) as handle:
        role_vars = yaml.safe_load(handle)
    separators = role_vars["_mysql_config_flavor_env_separators"]
    profile = flavors.profile(flavor, version)
    lines = []
    for key in role_vars["_mysql_config_flavor_env"]:
        value = profile[key]
        if not isinstance(value, str):
            value = separators.get(key, " ").join(str(item) for item in value)
        lines.append("%s=%s" % (key.upper(), shlex.quote(value)))
    for name in ("io_running", "sql_running", "last_io_errno", "last_sql_errno", "seconds_behind"):
        lines.append("COLUMN_%s=%s" % (name.upper(), shlex.quote(profile["columns"][name])))
    return "\n".join(lines) + "\n"


class Pod(object):
    """One pod's file system under ``root``; ``run`` executes shell with lib.sh sourced."""

    def __init__(self, root, flavor, version=None):
        self.root = str(root)
        self.fake_dir = os.path.join(self.root, "fake")
        for sub in ("answers", "status", "calls"):
            os.makedirs(os.path.join(self.fake_dir, sub))
        self.lib = self._install_lib()
        self.conf_dir = self._dir("CONF_DIR")
        self.secret_dir = self._dir("SECRET_DIR")
        self.run_dir = self._dir("RUN_DIR")
        client = self._install_fake_client()
        self.flavor_env = flavor_env(flavor, version)
        self._write(os.path.join(self.conf_dir, "flavor.env"),
                    self.flavor_env + "CLIENT_BIN=%s\nADMIN_BIN=%s\n" % (client, client))
        self._write(os.path.join(self.conf_dir, "settings.env"),
                    "".join("%s=%s\n" % item for item in sorted(SETTINGS.items())))
        self._write(os.path.join(self.secret_dir, "replication-password"), "repl'pass")

    def _install_lib(self):
        # lib.sh's absolute paths (NAME=/...) move under root; the test fails if none did.
        with open(os.path.join(SCRIPTS, "lib.sh")) as handle:
            text = handle.read()
        self.paths = dict(re.findall(r"^([A-Z_]+)=(/\S*)$", text, re.M))
        assert {"CONF_DIR", "SECRET_DIR", "RUN_DIR", "STATE_DIR"} <= set(self.paths)
        text = re.sub(r"^([A-Z_]+)=(/\S*)$", lambda m: "%s=%s%s" % (m.group(1), self.root, m.group(2)), text,
                      flags=re.M)
        for path in self.paths.values():
            os.makedirs(self.root + path, exist_ok=True)
        lib = os.path.join(self.root, "lib.sh")
        self._write(lib, text)
        return lib

    def _dir(self, name):
        return self.root + self.paths[name]

    def _install_fake_client(self):
        with open(os.path.join(HERE, "fake_client.sh")) as handle:
            body = handle.read()
        path = os.path.join(self.root, "fake-client")
        self._write(path, "#!/usr/bin/env bash\n" + body)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    @staticmethod
    def _write(path, text):
        with open(path, "w") as handle:
            handle.write(text)

    def answer(self, option_file, text, status=0):
        """What the fake client prints when called with --defaults-extra-file=.../option_file."""
        self._write(os.path.join(self.fake_dir, "answers", option_file), text)
        self._write(os.path.join(self.fake_dir, "status", option_file), "%d\n" % status)

    def calls(self):
        """[(argv, stdin)] of every fake client call, in order."""
        calls_dir = os.path.join(self.fake_dir, "calls")
        out = []
        for name in sorted(n for n in os.listdir(calls_dir) if n.endswith(".args")):
            with open(os.path.join(calls_dir, name)) as handle:
                args = handle.read().split("\0")[:-1]
            with open(os.path.join(calls_dir, name[:-5] + ".stdin")) as handle:
                out.append((args, handle.read()))
        return out

    def run(self, script, hostname="db-1", check=True, **env):
        """bash -c SCRIPT after sourcing lib.sh; env values as shell variables. Returns the
        CompletedProcess (stdout, stderr as text); raises on failure when ``check``."""
        environ = {"PATH": os.environ["PATH"], "FAKE_DIR": self.fake_dir, "HOSTNAME": hostname, "LANG": "C.UTF-8"}
        environ.update(env)
        result = subprocess.run(["bash", "-c", '. "$0"\n' + script, self.lib], env=environ, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
        if check and result.returncode != 0:
            raise AssertionError("exit %d: %s" % (result.returncode, result.stderr))
        return result


def session_statements(stdin, server_mode=""):
    """What sql() sent, after its session's sql_mode statement: (statements, whether
    backslashes are ordinary characters in them)."""
    flags, rest = session_sql_mode(stdin, server_mode)
    return rest, "NO_BACKSLASH_ESCAPES" in flags


def functions(script, *names):
    """The definitions of the named functions in a pod script, to eval beside lib.sh (the
    scripts themselves run their main part when sourced)."""
    with open(os.path.join(SCRIPTS, script)) as handle:
        text = handle.read()
    found = []
    for name in names:
        # One line (`name() { ...; }`), else up to the first line that is a lone `}`.
        match = (re.search(r"^%s\(\) \{[^\n]*\}$" % name, text, re.M)
                 or re.search(r"^%s\(\) \{$.*?^\}$" % name, text, re.M | re.S))
        assert match, "%s has no function %s" % (script, name)
        found.append(match.group(0))
    return "\n".join(found) + "\n"

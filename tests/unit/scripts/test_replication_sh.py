# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Functions of the scripts that source lib.sh: where a clone's replication starts
(sidecar.sh's coordinates) and which peer a lost primary is rebuilt from
(primary-source.sh's most_advanced), with the fake client of pod_shell.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shlex

import pytest
from pod_shell import Pod, functions, session_statements

from ansible_collections.stateful.mysql.plugins.module_utils import flavors

COORDINATES = functions("sidecar.sh", "donor_ordinal", "coordinates")


def run_coordinates(pod, method, mode, files, donor="db-2.db", check=True):
    """coordinates() with CLONE_METHOD, REPLICATION_MODE and SETUP_DIR's files as given."""
    setup_dir = os.path.join(pod.root + pod.paths["DATA_ROOT"], "replication-setup")
    os.makedirs(setup_dir)
    for name, text in dict(files, donor=donor).items():
        with open(os.path.join(setup_dir, name), "w") as handle:
            handle.write(text)
    # Called as configure_replica calls it: in $(...), where set -e does not reach.
    script = 'eval "$FUNCTIONS"; CLONE_METHOD=%s REPLICATION_MODE=%s; coords="$(coordinates)"; ' \
             'printf "%%s\\n" "$coords"' % (method, mode)
    return pod.run(script, FUNCTIONS=COORDINATES, check=check)


# A backup stream: binlog_info is "file<TAB>position[<TAB>gtid]"; slave_info, from a replica
# donor, holds the statements that would point a replica at the donor's own primary.
@pytest.mark.parametrize("mode, files, printed", [
    ("gtid", {"binlog_info": "binlog.000003\t1234\t0-100-5\n"}, "gtid 0-100-5"),
    ("gtid", {"binlog_info": "binlog.000003\t1234\n"}, "gtid "),
    ("gtid", {"binlog_info": "binlog.000003\t1234\t0-101-9\n",
              "slave_info": "SET GLOBAL gtid_slave_pos = '0-100-7';\nCHANGE MASTER TO master_use_gtid = slave_pos\n"},
     "gtid 0-100-7"),
    ("position", {"binlog_info": "binlog.000003\t1234\n"}, "position binlog.000003 1234"),
    ("position", {"binlog_info": "binlog.000003\t1234\n",
                  "slave_info": "CHANGE MASTER TO MASTER_LOG_FILE='binlog.000002', MASTER_LOG_POS=456;\n"},
     "position binlog.000002 456"),
])
def test_coordinates_of_a_stream(tmp_path, mode, files, printed):
    pod = Pod(tmp_path, "mariadb")
    assert run_coordinates(pod, "stream", mode, files).stdout == printed + "\n"
    assert pod.calls() == []


def test_coordinates_of_a_stream_without_the_log_file(tmp_path):
    pod = Pod(tmp_path, "mariadb")
    result = run_coordinates(pod, "stream", "position", {"binlog_info": "binlog.000003\t1234\n",
                                                         "slave_info": "CHANGE MASTER TO MASTER_LOG_POS=456;\n"},
                             check=False)
    assert result.returncode != 0 and "no log file in slave_info" in result.stderr


def test_coordinates_of_a_plugin_clone_with_gtid(tmp_path):
    pod = Pod(tmp_path, "mysql")
    assert run_coordinates(pod, "plugin", "gtid", {}).stdout == "gtid\n"
    assert pod.calls() == []


# A primary donor's own coordinates come from the clone's record, a replica donor's from
# its applier's position in the primary's log.
@pytest.mark.parametrize("donor, query", [("db-0.db", "clone_coordinates_query"),
                                          ("db-2.db", "applier_coordinates_query")])
def test_coordinates_of_a_plugin_clone_by_position(tmp_path, donor, query):
    pod = Pod(tmp_path, "mysql")
    pod.answer("root.cnf", "binlog.000004\t789\n")
    assert run_coordinates(pod, "plugin", "position", {}, donor=donor).stdout == "position binlog.000004 789\n"
    [(_args, stdin)] = pod.calls()
    assert session_statements(stdin)[0] == flavors.profile("mysql")[query] + "\n"


@pytest.mark.parametrize("answer", ["", "NULL\tNULL\n", "binlog.000004\t\n"])
def test_coordinates_of_a_plugin_clone_without_a_record(tmp_path, answer):
    pod = Pod(tmp_path, "mysql")
    pod.answer("root.cnf", answer)
    result = run_coordinates(pod, "plugin", "position", {}, check=False)
    assert result.returncode != 0 and "the clone recorded no binary log coordinates" in result.stderr


# most_advanced compares with gtid_covers: on MariaDB in the pod, so the whole choice is
# checked here.
@pytest.mark.parametrize("positions, chosen", [
    ({"h1": "0-1-5", "h2": "0-1-7", "h3": "0-1-6"}, "h2"),
    ({"h1": "0-1-7", "h2": "0-2-7"}, "h1"),
    ({"h1": "0-1-5,1-2-3", "h2": "0-1-7,1-2-3"}, "h2"),
    ({"h1": "0-1-5,1-2-3", "h2": "0-1-7"}, ""),
    ({"h1": "", "h2": "0-1-1"}, "h2"),
])
def test_most_advanced(tmp_path, positions, chosen):
    pod = Pod(tmp_path, "mariadb")
    assigns = " ".join("[%s]=%s" % (host, shlex.quote(gtid)) for host, gtid in positions.items())
    # Called as choose_source calls it: in $(...); it prints nothing when histories diverged.
    script = 'eval "$FUNCTIONS"; declare -A GTID=(%s); printf %%s "$(most_advanced %s)"' % (
        assigns, " ".join(positions))
    out = pod.run(script, FUNCTIONS=functions("primary-source.sh", "most_advanced")).stdout
    assert out == chosen

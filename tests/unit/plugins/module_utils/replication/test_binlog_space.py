# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Binary log space against the data volume: pure, from constructed SHOW BINARY LOGS output
(MySQL 9.7 prints Log_name, File_size, Encrypted; MariaDB Log_name, File_size)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils import flavors
from ansible_collections.stateful.mysql.plugins.module_utils.replication import binlog_space
from ansible_collections.stateful.mysql.plugins.module_utils.replication.sql import StatementResult

MIB = 1048576


@pytest.mark.parametrize("flavor", ["mysql", "mariadb"])
def test_the_statement_is_the_profiles(flavor):
    assert binlog_space.statements({"profile": flavors.profile(flavor)}) == ["SHOW BINARY LOGS"]


@pytest.mark.parametrize("text, total", [
    ("Log_name\tFile_size\tEncrypted\nbinlog.000001\t180\tNo\nbinlog.000002\t2048\tNo\n", 2228),
    ("Log_name\tFile_size\nbinlog.000001\t1073741824\nbinlog.000002\t1073741824\n", 2147483648),
    ("", 0),
])
def test_binlog_bytes_sums_file_sizes(text, total):
    assert binlog_space.binlog_bytes(StatementResult("SHOW BINARY LOGS", 0, text, "")) == total


def test_binlog_bytes_unknown():
    # Binary logging off: "ERROR 1381 (HY000): You are not using binary logging".
    assert binlog_space.binlog_bytes(StatementResult("SHOW BINARY LOGS", 1, "", "ERROR 1381")) is None
    assert binlog_space.binlog_bytes(StatementResult("SHOW BINARY LOGS", 0, "Log_name\tFile_size\nb.1\tx\n", "")) is None
    assert binlog_space.binlog_bytes(None) is None


@pytest.mark.parametrize("used, volume, percent, warned", [
    (129 * MIB, 256 * MIB, 50, True),
    (128 * MIB, 256 * MIB, 50, False),    # exactly half is not more than half
    (200 * MIB, 256 * MIB, 80, False),
    (300 * MIB, 256 * MIB, 0, False),     # off
    (None, 256 * MIB, 50, False),
    (300 * MIB, None, 50, False),
])
def test_warning_above_the_threshold(used, volume, percent, warned):
    text = binlog_space.warning("mysql-2", used, volume, percent)
    assert bool(text) is warned
    if warned:
        assert text == ("mysql-2: binary logs take 129.0 MiB, 50% of its 256.0 MiB data volume (more than "
                        "binlog_space_percent=50%): a full volume stops the server; lower "
                        "mysql_config_binlog_expire_seconds or grow the volume")

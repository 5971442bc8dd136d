# -*- coding: utf-8 -*-
# Copyright: stateful.mysql contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a backup is: ids, the source pod, the manifest, which backups are usable, which
retention deletes, the checksum verdict, and the MySQL files stream's end check."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.stateful.mysql.plugins.module_utils.backup import model as backups
from ansible_collections.stateful.mysql.plugins.module_utils.backup.model import BackupError

SHA = "a" * 64
DEPLOYMENT = {"namespace": "db", "name": "mysql", "flavor": "mariadb", "version": "10.11",
              "replication_mode": "gtid", "format": "xbstream"}


def pod(name, ready=True):
    return {"metadata": {"name": name},
            "status": {"conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}}


def manifest(backup_id, size=10, sha=SHA):
    return backups.build_manifest(backup_id, DEPLOYMENT, {"server-version": "10.11.6-MariaDB", "replica-gtid": "0-1-5"},
                                  size, sha, 100.0, 104.0, "mysql-1", "replica")


def test_ids_sort_by_time_and_are_recognised():
    first, second = backups.new_id(0, "00aa11"), backups.new_id(3600, "000000")
    assert first == "19700101T000000Z-00aa11" and first < second
    assert backups.is_id(first) and not backups.is_id("../etc") and not backups.is_id(None)


def test_the_source_is_the_highest_ready_replica():
    pods = [pod("mysql-0"), pod("mysql-1"), pod("mysql-2", ready=False)]
    assert backups.choose_source("mysql", pods) == ("mysql-1", "replica", None)


def test_the_primary_only_when_no_replica_is_ready_and_it_says_so():
    source, role, warning = backups.choose_source("mysql", [pod("mysql-0"), pod("mysql-1", ready=False)])
    assert (source, role) == ("mysql-0", "primary") and "no replica of mysql is Ready" in warning


def test_no_ready_pod_no_backup_and_a_requested_pod_must_be_ready():
    with pytest.raises(BackupError, match="no pod of StatefulSet mysql is Ready"):
        backups.choose_source("mysql", [pod("mysql-0", ready=False)])
    with pytest.raises(BackupError, match="source_pod mysql-2 is not a Ready pod"):
        backups.choose_source("mysql", [pod("mysql-0"), pod("mysql-2", ready=False)], "mysql-2")


def test_the_manifest_holds_what_describes_the_backup():
    found = manifest("19700101T000000Z-00aa11")
    assert found["gtid"] == "0-1-5" and found["flavor"] == "mariadb" and found["server_version"].startswith("10.11")
    assert (found["started"], found["finished"], found["seconds"]) == ("1970-01-01T00:01:40Z", "1970-01-01T00:01:44Z", 4.0)
    assert found["source_pod"] == "mysql-1" and found["size"] == 10 and found["sha256"] == SHA
    assert backups.manifest_problems(found, found["id"]) == []


def test_the_facts_of_the_pod_give_the_position():
    facts = backups.parse_facts("log line\n@@stateful-mysql-backup binlog-file mysql-bin.000002\n"
                                "@@stateful-mysql-backup binlog-position 345\n@@stateful-mysql-backup gtid u:1-5\n")
    assert backups.backup_position(facts) == ("u:1-5", {"file": "mysql-bin.000002", "position": 345})
    assert backups.log_tail("a\n@@stateful-mysql-backup gtid x\nb\n") == "a\nb"


def test_only_a_complete_backup_is_usable():
    good, cut, wrong, bare = ("19700101T00000%dZ-000000" % i for i in range(4))
    entries = {
        good: {"manifest": manifest(good), "stream": 10},
        cut: {"manifest": None, "stream": None, "partial": 4},
        wrong: {"manifest": manifest(wrong), "stream": 9},
        bare: {"manifest": None, "stream": 10},
    }
    usable, incomplete = backups.listing(entries)
    assert [m["id"] for m in usable] == [good]
    reasons = dict((entry["id"], entry["reason"]) for entry in incomplete)
    assert reasons[cut].startswith("no manifest: the stream stopped at 4 bytes")
    assert reasons[wrong] == "the stored stream has 9 bytes, its manifest says 10"
    assert reasons[bare].startswith("no manifest: the backup was cut off or failed")


def test_a_manifest_of_another_backup_is_not_usable():
    usable, incomplete = backups.listing({"19700101T000001Z-000000": {"manifest": manifest("19700101T000002Z-000000"),
                                                                      "stream": 10}})
    assert usable == [] and "describes backup 19700101T000002Z-000000" in incomplete[0]["reason"]


def test_retention_keeps_the_newest_n_and_removes_older_leftovers():
    ids = ["2026010%dT000000Z-000000" % i for i in range(1, 6)]
    assert backups.retention(ids[:4], [], 2, ids[3]) == (ids[:2], [])
    # A leftover newer than the new backup may be a run still going: it stays.
    assert backups.retention(ids[:2], [ids[0][:-1] + "1", ids[4]], 3, ids[1]) == ([], [ids[0][:-1] + "1"])
    assert backups.retention(ids, [], 0, ids[4]) == ([], [])
    # The new backup is never deleted, whatever keep says.
    assert ids[4] not in backups.retention(ids, [], 1, ids[4])[0]


def test_finding_a_backup_names_why_it_cannot_be_restored():
    usable = [manifest("20260101T000000Z-000000")]
    incomplete = [{"id": "20260102T000000Z-000000", "reason": "no manifest: cut off"}]
    assert backups.find_backup(usable, incomplete, "20260101T000000Z-000000", "PVC x")["size"] == 10
    with pytest.raises(BackupError, match="is not usable: no manifest: cut off"):
        backups.find_backup(usable, incomplete, "20260102T000000Z-000000", "PVC x")
    with pytest.raises(BackupError, match=r"no backup 20260103T000000Z-000000 in PVC x \(usable: 20260101"):
        backups.find_backup(usable, incomplete, "20260103T000000Z-000000", "PVC x")
    with pytest.raises(BackupError, match="is not a backup id"):
        backups.find_backup(usable, incomplete, "latest", "PVC x")


def test_a_stream_whose_checksum_differs_is_corrupt():
    found = manifest("20260101T000000Z-000000")
    assert backups.checksum_problem(found, SHA, "PVC x") is None
    problem = backups.checksum_problem(found, "b" * 64, "PVC x")
    assert problem.startswith("backup 20260101T000000Z-000000 in PVC x is corrupt") and "nothing was restored" in problem


def files_stream(*records):
    body = b"".join(records)
    return backups.FILES_HEADER + body


def test_a_complete_files_stream_passes_in_any_pieces():
    stream = files_stream(b"D mysql\n", b"F 5 mysql/a\nhello", b"F 0 b\n", b"E 3\n")
    for size in (1, 3, len(stream)):
        check = backups.FilesStreamCheck()
        for start in range(0, len(stream), size):
            check.feed(stream[start:start + size])
        assert check.finish() == 3


def test_a_files_stream_cut_short_is_recognised():
    check = backups.FilesStreamCheck()
    check.feed(files_stream(b"F 5 a\nhel"))
    with pytest.raises(BackupError, match="cut short"):
        check.finish()


def test_a_files_stream_with_a_wrong_count_or_trailing_bytes_is_malformed():
    with pytest.raises(BackupError, match="announces 2 records and holds 1"):
        backups.FilesStreamCheck().feed(files_stream(b"D a\n", b"E 2\n"))
    with pytest.raises(BackupError, match="bytes follow its end record"):
        backups.FilesStreamCheck().feed(files_stream(b"E 0\n", b"x"))

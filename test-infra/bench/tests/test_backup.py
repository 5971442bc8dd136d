"""Benchmark 7's figures and words: backup rates against the local limit, the restore's times."""

import fake_results as fr
from figures.backup import backup
from figures.compute import compute
from wording.backup import backup_section
from wording.document import render
from wording.markdown import Doc

T0 = fr.T0


def backup_run(index, size, seconds, total=None, load1=0.5):
    return {"index": index, "load1": load1, "id": "20261202T0%d0000Z-abcdef" % index, "source_pod": "mysql-2",
            "source_role": "replica", "t0": T0, "t_end": T0 + (total or seconds + 3), "total": total or seconds + 3,
            "manifest": {"size": size, "seconds": seconds},
            "argv": ["ansible-playbook", "stateful.mysql.backup", "-e", "stateful_mysql_namespace=bench-x-backup"]}


def restore_run(index=1):
    run = {"index": index, "load1": 1.0, "id": "20261202T030000Z-abcdef", "t0": T0, "t_end": T0 + 60.0,
           "total": 60.0, "wait_end": T0 + 50.0, "send": {"received": 300_000_000, "seconds": 20.0},
           "datadir_bytes": 400_000_000}
    return fr.with_pods(run, {"mysql-0": (T0 + 5.0, T0 + 35.0), "mysql-1": (T0 + 36.0, T0 + 42.0),
                              "mysql-2": (T0 + 43.0, T0 + 49.5)})


def bucket(method="stream", restores=True):
    return {"ns": "bench-x-backup", "storage": "4Gi", "method": method, "source": "mysql-2", "deploy_total": 40.0,
            "data": {"rows": 256000, "megabytes": 256, "load_s": 6.0, "caught_up_s": 0.5},
            "datadir_bytes": {"mysql-0": 400_000_000, "mysql-2": 500_000_000},
            "local": [{"pod": "mysql-2", "bytes": 300_000_000, "seconds": 1.0, "command": "x", "load1": 0.4},
                      {"pod": "mysql-2", "bytes": 300_000_000, "seconds": 1.5, "command": "x", "load1": 0.4},
                      {"pod": "mysql-2", "bytes": 300_000_000, "seconds": 2.0, "command": "x", "load1": 0.4}],
            "runs": [backup_run(1, 300_000_000, 20.0, total=30.0), backup_run(2, 300_000_000, 15.0),
                     backup_run(3, 310_000_000, 16.0)],
            "restores": [restore_run()] if restores else []}


def test_not_measured():
    assert backup({}) is None
    assert backup({"runs": [backup_run(1, 10, 1.0)]}) is None  # no local rate


def test_rates_against_the_local_limit():
    figs = backup(bucket())
    assert figs["local"]["rate"] == 200_000_000.0  # 300 MB in the median 1.5 s
    assert [round(r["rate"], 2) for r in figs["runs"]] == [15.0, 20.0, 19.38]
    assert [round(r["of_local"], 4) for r in figs["runs"]] == [0.075, 0.1, 0.0969]
    assert figs["bytes"] == 300_000_000 and figs["seconds"] == 16.0
    assert round(figs["rate"], 2) == 19.38 and round(figs["ratio"], 4) == 0.0969
    assert figs["runs"][0]["total"] == 30.0 and figs["runs"][1]["total"] == 18.0


def test_restore_times_from_the_start_of_site_yml():
    r = backup(bucket())["restores"][0]
    assert r["ready0"] == 35.0 and r["ready_all"] == 50.0 and r["verified"] == 60.0
    assert r["send_rate"] == 15.0 and r["send_bytes"] == 300_000_000
    assert r["init"] == {"name": "init-config, init-datadir, clone", "from": 7.0, "to": 10.0, "duration": 3.0}


def test_the_section_and_its_summary_rows():
    doc = Doc()
    backup_section(doc, {"server": "mariadb-10.11", "figures": backup(bucket())})
    text = "\n".join(doc.lines)
    assert text.startswith("## 7. Backup and restore (MariaDB 10.11)")
    assert "**300.0 MB in 16.00 s, 19.4 MB/s**, **0.10** of the local rate" in text
    assert "| 1 | 0.50 | mysql-2 | 300.0 | 20.00 | 15.0 | 0.07 | 30.0 s |" in text
    assert "| 1 | 1.00 | 300.0 | 20.0 s | 15.0 | 7 -> 10 | 35.0 s | 50.0 s | 60.0 s |" in text
    assert doc.summary == [
        ("7", "MariaDB 10.11", "backup rate / local streamed-backup rate (300 MB)", "0.10 (19.4 MB/s / 200.0 MB/s)",
         "none set", "-"),
        ("7", "MariaDB 10.11", "restore to verified, 300 MB", "60.0 s (mysql-0 Ready 35.0 s)", "none set", "-")]


def test_without_a_restore_the_backups_still_show():
    doc = Doc()
    backup_section(doc, {"server": "mysql-9.7", "figures": backup(bucket("plugin", restores=False))})
    assert "Restore: not measured." in doc.lines
    assert [row[2] for row in doc.summary] == ["backup rate / local datadir-copy rate (300 MB)"]


def test_the_document_has_section_7_per_default_server():
    text = render(compute(fr.new_results({"mariadb-10.11": {"backup": bucket()}})))
    assert "## 7. Backup and restore (MySQL 9.7)" in text and "## 7. Backup and restore (MariaDB 10.11)" in text
    assert "| 7 | MySQL 9.7 | backup rate / local rate; restore to verified | n/a | none set | not measured |" in text
    assert "- 7. backup.yml (to the PVC store):" in text

"""The whole document from hand-made results: every section renders, and one the run left out
says so. (The wording itself is not asserted word by word.)"""

import fake_results as fr
from figures.compute import compute
from wording.document import render


def sections(text):
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_a_mariadb_only_file_still_renders_with_mysql_not_measured():
    old = fr.old_results(ttr=fr.ttr_runs(), rerun=fr.rerun_runs(), wait=[fr.wait_entry(1, fr.T0)],
                         scale=fr.scale_runs(), clone=fr.clone_bucket("stream"))
    text = render(compute(old))
    assert "## 1. Time to ready: 3 pods from nothing (MySQL 9.7)" in sections(text)
    assert "## 4. Clone throughput: a 4th replica of a loaded primary (MariaDB 10.11)" in sections(text)
    # ttr, rerun, wait, scale, clone, commit and backup have a MySQL 9.7 row; an old file measured none of them
    assert text.count("Not measured: this run did not include MySQL 9.7") == 7
    assert "| 1 | MySQL 9.7 | deploy-to-ready, site.yml / (kubectl apply + rollout status) | n/a | <= 1.05x | " \
           "not measured |" in text


def test_both_flavors_render_side_by_side():
    results = fr.new_results({"mysql-9.7": {"ttr": fr.ttr_runs(), "clone": fr.clone_bucket("plugin")},
                              "mariadb-10.11": {"clone": fr.clone_bucket("stream")}},
                             errors=[{"benchmark": "wait latency", "flavor": "mysql-9.7", "error": "boom\nmore"}])
    text = render(compute(results))
    assert "Not measured (see *Errors*)." in text
    assert "- wait latency (MySQL 9.7): `boom`" in text
    assert "clone rate / local datadir-copy rate (1396 MB)" in text  # CLONE's "cloned 1.3G"
    assert "clone rate / local streamed-backup rate (1300 MB)" in text
    assert "**Clone throughput, MySQL 9.7" in text and "**Clone throughput, MariaDB 10.11" in text


def test_pod_tables_follow_the_init_containers_the_pods_ran():
    results = fr.new_results({"mysql-9.7": {"clone": fr.clone_bucket("plugin", one_init=True)}})
    text = render(compute(results))
    assert "in the init container before its clone step" in text
    assert "scheduled until the init container started" in text
    old = render(compute(fr.old_results(ttr=fr.ttr_runs())))
    assert "| pod | created | scheduled | init-config | init-datadir | clone | mysql started |" in old

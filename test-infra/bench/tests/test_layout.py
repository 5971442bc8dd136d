import fake_results as fr
from figures.layout import absence, all_runs, normalize, servers_for, single_server_name


def test_a_mariadb_only_file_reads_as_one_mariadb_server():
    old = fr.old_results(ttr=fr.ttr_runs(), errors=[{"benchmark": "wait latency", "error": "boom"}])
    old["meta"]["baseline_objects"] = {"kinds": {}}
    view = normalize(old)
    assert list(view["flavors"]) == ["mariadb-10.11"]
    bucket = view["flavors"]["mariadb-10.11"]
    assert len(bucket["ttr"]) == 6 and bucket["clone"] == {} and bucket["baseline_objects"] == {"kinds": {}}
    assert view["meta"]["flavors"]["mariadb-10.11"]["server"].startswith("10.11.19")
    assert view["errors"][0]["flavor"] == "mariadb-10.11"
    assert "flavors" not in old and old["ttr"]  # the input is left as it was


def test_the_version_comes_from_what_the_server_reported():
    assert single_server_name({"mariadb": "11.8.9-MariaDB"}) == "mariadb-11.8"
    assert single_server_name({}) == "mariadb-10.11"


def test_an_old_clone_is_a_streamed_one():
    view = normalize(fr.old_results(clone={"runs": [{}], "local": [{}]}))
    assert view["flavors"]["mariadb-10.11"]["clone"]["method"] == "stream"


def test_mysql_is_always_reported_first_even_when_absent():
    view = normalize(fr.old_results(ttr=fr.ttr_runs()))
    assert servers_for(view, "ttr") == ["mysql-9.7", "mariadb-10.11"]
    assert servers_for(view, "clone") == ["mysql-9.7", "mariadb-10.11"]


def test_other_servers_follow_the_defaults():
    view = normalize(fr.new_results({"mariadb-11.8": {"wait": [{"index": 1}]}}, plan={"wait": ["mariadb-11.8"]}))
    assert servers_for(view, "wait") == ["mysql-9.7", "mariadb-11.8"]
    assert view["flavors"]["mariadb-11.8"]["ttr"] == []  # missing keys filled in


def test_absence_says_error_only_for_that_benchmark_and_server():
    view = normalize(fr.new_results({}, errors=[{"benchmark": "clone throughput", "flavor": "mysql-9.7",
                                                 "error": "x"}]))
    assert absence(view, "clone", "mysql-9.7") == "error"
    assert absence(view, "clone", "mariadb-10.11") == "not run"
    assert absence(view, "ttr", "mysql-9.7") == "not run"


def test_all_runs_lists_every_server_and_kind():
    view = normalize(fr.new_results({"mysql-9.7": {"ttr": [{"index": 1}], "clone": {"runs": [{"index": 2}]}}}))
    assert [(n, k, x["index"]) for n, k, x in all_runs(view)] == [("mysql-9.7", "ttr", 1), ("mysql-9.7", "clone", 2)]

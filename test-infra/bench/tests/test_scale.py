import pytest

import fake_results as fr
from figures.scale import scale


def test_not_measured_without_both_sides():
    assert scale([r for r in fr.scale_runs() if r["kind"] == "base"], {}) is None


def test_medians_ratios_and_new_pods():
    figs = scale(fr.scale_runs(), {"site": {"data": {"megabytes": 64}}})
    assert (figs["site_ready"], figs["base_ready"]) == (20.0, 19.0)
    assert figs["ratio"] == pytest.approx(20.0 / 19.0)
    assert figs["total_ratio"] == pytest.approx(21.2 / 19.0)
    assert figs["megabytes"] == 64 and figs["runs"] == 3
    assert [h["pod"] for h in figs["site_pods"]] == ["mysql-3", "mysql-4"]
    assert [r["kind"] for r in figs["rows"]] == ["site"] * 3 + ["base"] * 3
    assert [t["name"] for t in figs["tasks"] if t["duration"] > 0.2] == ["Read", "Scale", "Wait", "Verify"]

"""Each bench command runs in its --quick form, so the benchmarks cannot rot. No timing assertions:
only that every command completes and writes the fields the report reads."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_decoding_bench_compares_both_methods_on_the_same_email():
    from bench import decoding

    result = decoding.main(["--quick"])
    entry = result["lengths"]["30"]
    assert entry["greedy"]["seconds"]["n"] == entry["draft_verify"]["seconds"]["n"] == 1
    assert isinstance(entry["identical"], bool)
    assert entry["identical_one_kernel_count"] == "1/1"  # exact by construction, unlike plain greedy


def test_latency_bench_measures_in_process_and_over_http():
    from bench import latency

    result = latency.main(["--quick"])
    entry = result["lengths"]["30"]
    assert entry["in_process"]["total_s"]["n"] == 1
    assert entry["in_process"]["overhead_ratio_p50"] > 0
    assert entry["http"]["total_s"]["n"] == 1 and entry["http"]["failures"] == 0


def test_concurrency_bench_accounts_for_every_request():
    from bench import concurrency

    result = concurrency.main(["--quick"])
    for row in result["levels"]:
        assert row["lost"] == 0
        assert row["ok"] + row["rejected_503"] + row["errors"] == row["sent"]


def test_classifiers_bench_times_every_email():
    from bench import classifiers

    result = classifiers.main(["--quick"])
    assert result["wall_ms"]["n"] == result["cpu_ms"]["n"] == 10 and result["load_s"]["n"] == 1
    assert result["encoder"].endswith(".onnx")


def test_report_renders_without_overwriting_results():
    from bench import report

    text = report.render()
    assert text.startswith("# Benchmark results")

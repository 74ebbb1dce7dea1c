"""Each bench command runs in its --quick form, as a user runs it (`python -m bench.x --quick`), so
the benchmarks cannot rot. No timing assertions: only that every command completes and writes the
fields the report reads (bench/out/*.quick.json, which the report ignores)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backend.config import REPO_ROOT, Settings

pytestmark = pytest.mark.slow

OUT = REPO_ROOT / "bench" / "out"


def run_bench(module: str, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def quick_result(module: str, name: str) -> dict:
    result_file = OUT / f"{name}.quick.json"
    result_file.unlink(missing_ok=True)  # a stale file from an earlier run must not pass for this one
    run_bench(module, "--quick")
    return json.loads(result_file.read_text(encoding="utf-8"))


def test_decoding_bench_compares_both_methods_on_the_same_email():
    entry = quick_result("bench.decoding", "decoding")["lengths"]["30"]
    assert entry["greedy"]["seconds"]["n"] == entry["draft_verify"]["seconds"]["n"] == 1
    assert isinstance(entry["identical"], bool)
    assert entry["identical_one_kernel_count"] == "1/1"  # exact by construction, unlike plain greedy


def test_latency_bench_measures_in_process_and_over_http():
    entry = quick_result("bench.latency", f"latency.{Settings().decoding}")["lengths"]["30"]
    assert entry["in_process"]["total_s"]["n"] == 1
    assert entry["in_process"]["overhead_ratio_p50"] > 0
    assert entry["http"]["total_s"]["n"] == 1 and entry["http"]["failures"] == 0


def test_concurrency_bench_accounts_for_every_request():
    for row in quick_result("bench.concurrency", f"concurrency.{Settings().decoding}")["levels"]:
        assert row["lost"] == 0
        assert row["ok"] + row["rejected_503"] + row["errors"] == row["sent"]


def test_classifiers_bench_times_every_email():
    result = quick_result("bench.classifiers", "classifiers")
    assert result["wall_ms"]["n"] == result["cpu_ms"]["n"] == 10 and result["load_s"]["n"] == 1
    assert result["encoder"].endswith(".onnx")


def test_report_renders_without_overwriting_results():
    results = REPO_ROOT / "bench" / "RESULTS.md"
    before = results.read_bytes()
    assert run_bench("bench.report", "--print").stdout.startswith("# Benchmark results")
    assert results.read_bytes() == before

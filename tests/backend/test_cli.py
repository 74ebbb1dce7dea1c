"""`python -m backend` as a subprocess, with the real model."""

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT

EMAIL = "Hi Sam,\n\nI has attached the report you ask for.\n\nBest,\nDana\n"


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "backend", *args], cwd=REPO_ROOT, input=stdin, capture_output=True, timeout=600
    )


def test_check_prints_the_corrected_email(tmp_path):
    path = tmp_path / "email.txt"
    path.write_text(EMAIL)
    done = run_cli("check", str(path), "--max-tokens", "40")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip()


def test_check_json_from_stdin():
    done = run_cli("check", "-", "--json", "--max-tokens", "40", stdin=EMAIL.encode())
    result = json.loads(done.stdout)
    assert result["original"] == EMAIL and set(result) >= {"corrected", "changed", "diff", "scores_before", "timings"}


def test_check_refuses_empty_and_binary_input_with_a_message():
    for payload in (b"  \n", b"\xff\xfe\x00binary"):
        done = run_cli("check", "-", stdin=payload)
        assert done.returncode == 2 and b"error:" in done.stderr


def test_batch_handles_20_lines_with_one_model_load(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [{"id": i, "text": f"Hi Ana,\nThe meeting are on day {i}.\nBo"} for i in range(19)] + [{"id": 19, "text": " "}]
    source.write_text("\n".join(json.dumps(line) for line in lines))
    done = run_cli("batch", str(source), str(target), "--max-tokens", "6")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode().count("model loaded") == 1
    results = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in results] == list(range(20))
    assert all({"output", "changed", "scores_before", "scores_after", "timings_ms"} <= set(r) for r in results[:19])
    assert results[19]["error"]["code"] == "empty"


def test_batch_score_only(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Send me the report now."}) + "\n")
    done = run_cli("batch", str(source), str(target), "--score-only")
    assert done.returncode == 0, done.stderr.decode()
    line = json.loads(target.read_text())
    assert line["id"] == "a" and set(line["scores"]) == {"sentiment", "politeness"}


def test_prepare_builds_the_merged_model_into_the_given_cache(tmp_path):
    done = run_cli("prepare", "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr.decode()
    assert "'adapter_merged': True" in done.stdout.decode()
    merged = list((tmp_path / "merged").glob("*.gguf"))
    assert len(merged) == 1 and merged[0].stat().st_size > 200_000_000
    assert not list(tmp_path.rglob("*.partial"))

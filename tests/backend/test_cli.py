"""`python -m backend` as a subprocess, with the real model; the fast ones prove the model is never
loaded by pointing it at a file that does not exist."""

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

EMAIL = "Hi Sam,\n\nI has attached the report you ask for.\n\nBest,\nDana\n"
NO_MODEL = ("--model-path", "/nonexistent/model.gguf")  # loading it would fail with a traceback


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


@pytest.mark.fast
def test_check_refuses_empty_and_binary_input_before_loading_the_model():
    for payload in (b"  \n", b"\xff\xfe\x00binary", b"Hi \x00\x01\x02 there"):
        done = run_cli("check", "-", *NO_MODEL, stdin=payload)
        assert done.returncode == 2 and done.stderr.startswith(b"error:") and b"Traceback" not in done.stderr


@pytest.mark.fast
def test_batch_refuses_a_malformed_file_before_loading_the_model(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Hi."}) + "\n" + json.dumps({"id": 2, "body": "Hi."}) + "\n")
    done = run_cli("batch", str(source), str(tmp_path / "out.jsonl"), *NO_MODEL)
    assert done.returncode == 2 and b"line 2" in done.stderr and b"Traceback" not in done.stderr
    assert not (tmp_path / "out.jsonl").exists()


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


@pytest.mark.fast
def test_batch_score_only_runs_the_classifiers_without_the_model(tmp_path):
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Send me the report now."}) + "\n" + json.dumps({"id": "b", "text": " "}))
    done = run_cli("batch", str(source), str(target), "--score-only", *NO_MODEL)
    assert done.returncode == 0, done.stderr.decode()
    first, second = [json.loads(line) for line in target.read_text().splitlines()]
    assert first["id"] == "a" and set(first["scores"]) == {"sentiment", "politeness"}
    assert second["error"]["code"] == "empty"


def test_prepare_builds_the_merged_model_into_the_given_cache(tmp_path):
    done = run_cli("prepare", "--cache-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr.decode()
    assert "'adapter_merged': True" in done.stdout.decode()
    merged = list((tmp_path / "merged").glob("*.gguf"))
    assert len(merged) == 1 and merged[0].stat().st_size > 200_000_000
    assert not list(tmp_path.rglob("*.partial"))


@pytest.mark.fast
def test_every_setting_is_a_flag_and_few_shot_is_a_switch():
    from pathlib import Path

    from backend.cli import _settings_from, build_parser
    from backend.config import Settings

    args = build_parser().parse_args(["check", "--few-shot", "email.txt", "--merge-adapter", "false",
                                      "--scoring-threads", "2", "--data-dir", "/data"])
    settings = _settings_from(args)
    assert args.file == "email.txt"
    assert settings.few_shot and not settings.merge_adapter and settings.scoring_threads == 2
    assert settings.data_dir == Path("/data")
    flags = {action.dest for action in build_parser()._subparsers._group_actions[0].choices["serve"]._actions}
    assert set(Settings.model_fields) <= flags


@pytest.mark.fast
@pytest.mark.parametrize("command", ["check", "batch", "serve"])
def test_every_command_prints_its_help(command):
    # Settings' descriptions become the help text; a bare "%" in one made --help crash
    from backend.cli import build_parser

    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([command, "--help"])
    assert done.value.code == 0

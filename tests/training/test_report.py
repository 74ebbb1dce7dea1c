"""training/RESULTS.md is regenerated from the committed JSON: the report must keep reading it."""

import pytest

from tests.conftest import REPO_ROOT
from training.report import main

RESULTS = REPO_ROOT / "training" / "results"


@pytest.mark.fast
def test_report_renders_the_committed_results(tmp_path):
    out = tmp_path / "training" / "RESULTS.md"
    out.parent.mkdir(parents=True)
    main(["--bench", str(RESULTS / "throughput-bf16.json"), "--dev-eval", str(RESULTS / "eval-dev-decoding.json"),
          "--eval", str(RESULTS / "eval-baselines.json"), str(RESULTS / "eval-gec-served.json"),
          "--verify", str(RESULTS / "export_verify.json"), "--out", str(out)])
    text = out.read_text()
    assert "| bf16 |" in text and "1.68x" in text
    assert "FCE dev: 400 sentences" in text and "| m1 | 1 | 1.0 | 47.55 |" in text
    assert "FCE test: 1000 sentences" in text and "| gec-margin1 | 1 | 1.0 | 47.69 |" in text
    assert "| harper | 42.4 |" in text


@pytest.mark.fast
def test_results_of_different_data_are_not_merged_into_one_table(tmp_path):
    with pytest.raises(ValueError, match="other data"):
        main(["--eval", str(RESULTS / "eval-baselines.json"), str(RESULTS / "eval-shipped-60.json"), "--out", str(tmp_path / "R.md")])


@pytest.mark.fast
def test_dev_results_that_left_out_other_training_data_are_not_merged(tmp_path):
    import json

    other = json.loads((RESULTS / "eval-dev-decoding.json").read_text()) | {"trained_on": ["mix-gec-gemma", "mix-gec2-gemma"]}
    (tmp_path / "other.json").write_text(json.dumps(other))
    with pytest.raises(ValueError, match="other data"):
        main(["--dev-eval", str(RESULTS / "eval-dev-decoding.json"), str(tmp_path / "other.json"), "--out", str(tmp_path / "R.md")])
    # as two comparisons, each is its own table
    main(["--dev-eval", str(RESULTS / "eval-dev-decoding.json"), "--dev-eval", str(tmp_path / "other.json"), "--out", str(tmp_path / "R.md")])
    assert (tmp_path / "R.md").read_text().count("## Choices made on dev splits") == 2


@pytest.mark.fast
def test_every_table_names_the_command_that_wrote_it(tmp_path):
    import json
    import shlex

    from training.evaluate import ModelSpec
    from training.report import evaluate_command

    # A results file written before commands were recorded: the command is rebuilt from its settings,
    # and its --model arguments parse back into the models it holds.
    rebuilt = evaluate_command(RESULTS / "eval-dev-decoding.json")
    argv = shlex.split(rebuilt.split("`")[1])
    models = [ModelSpec.parse(argv[i + 1]) for i, a in enumerate(argv) if a == "--model"]
    recorded = json.loads((RESULTS / "eval-dev-decoding.json").read_text())["models"]
    assert [(m.label, m.adapter, m.passes, m.copy_margin) for m in models] == \
        [(m["label"], m["adapter"], m["passes"], m["copy_margin"]) for m in recorded]
    assert argv[argv.index("--fce-limit") + 1] == "400" and "--split" in argv
    for text in ("a=gemma3-270m+x.gguf+runtime+fewshot+2pass+margin:0.5+gguf:m.gguf", "b=smollm2-135m", "h=harper"):
        assert ModelSpec.parse(ModelSpec.parse(text).argument()) == ModelSpec.parse(text)
    # A file that records its command is shown with that command, as run.
    written = json.loads((RESULTS / "eval-shipped-60.json").read_text()) | {"command": "python -m training.evaluate --limit 60 ..."}
    (tmp_path / "eval-x.json").write_text(json.dumps(written))
    assert evaluate_command(tmp_path / "eval-x.json") == "`python -m training.evaluate --limit 60 ...`"

    out = tmp_path / "training" / "RESULTS.md"
    (out.parent / "results").mkdir(parents=True)  # the sweep's plot goes there
    main(["--bench", str(RESULTS / "throughput-bf16.json"), "--eval", str(RESULTS / "eval-baselines.json"),
          "--sweep", str(RESULTS / "sweep-gec_recipe.json"), "--out", str(out)])
    text = out.read_text()
    assert "`python -m training.bench_throughput --configs optimized bf16 --batch 8 --steps 3 --threads 2`" in text
    assert "--model harper=harper" in text
    assert "`python -m training.sweep --plan training/recipes/sweeps/gec_recipe.yaml`" in text


@pytest.mark.fast
def test_a_run_is_summarised_into_a_committed_file_that_renders_the_same_section(tmp_path):
    import json

    from training.report import load_run, run_section

    run = tmp_path / "runs" / "tiny"
    run.mkdir(parents=True)
    (run / "metrics.json").write_text(json.dumps({"global_step": 4, "bf16": False, "train_loss": 0.5, "eval_loss": 0.4}))
    (run / "progress.json").write_text(json.dumps({"examples_seen": 32, "tokens_seen": 3200, "train_seconds": 16.0, "sessions": 2}))
    (run / "run_info.json").write_text(json.dumps({
        "recipe": {"name": "tiny-run", "base": "gemma3-270m"}, "train_examples": 32, "train_tokens": 3200, "completion_tokens": 900,
        "data_manifest": {"scorer": "backend", "train_counts": {"wi": 32}},
        "command": "/repo/training/train.py --recipe training/recipes/tiny.yaml --resume"}))
    # the second session logged step 2 again after resuming from its checkpoint: the later value counts
    rows = [{"step": 1, "loss": 1.0}, {"step": 2, "loss": 0.8}, {"step": 2, "loss": 0.6}, {"step": 2, "eval_loss": 0.45},
            {"step": 3, "loss": 0.5}, {"step": 4, "loss": 0.4}, {"step": 4, "eval_loss": 0.4}]
    (run / "metrics.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    results = tmp_path / "results"
    results.mkdir()

    summary = load_run(run, results)
    saved = results / "run-tiny-run.json"
    assert json.loads(saved.read_text()) == json.loads(json.dumps(summary))
    text = run_section(load_run(saved, results))
    assert text == run_section(summary)
    assert "Command: `python -m training.train --recipe training/recipes/tiny.yaml`" in text
    assert "| tokens/s (all sessions) | 200.0 |" in text
    assert "(step, loss): [(1, 1.0), (2, 0.6), (3, 0.5), (4, 0.4)]" in text and "by step: [(2, 0.45), (4, 0.4)]" in text
    never_logged = tmp_path / "runs" / "never-logged"  # a run stopped before its first metrics: no section
    never_logged.mkdir()
    assert load_run(never_logged, results) is None


@pytest.mark.fast
def test_the_committed_run_summaries_and_tone_checks_render(tmp_path):
    out = tmp_path / "training" / "RESULTS.md"
    (out.parent / "results").mkdir(parents=True)
    tone_checks = sorted(RESULTS.glob("tone-check-*.json"))
    main(["--run", str(RESULTS / "run-gemma3-270m-gec.json"), "--tone-check", *map(str, tone_checks), "--out", str(out)])
    text = out.read_text()
    assert "## Training run: gemma3-270m-gec\n" in text and "| examples_seen (all sessions) | 23424 |" in text
    assert f"## Tone check ({len(tone_checks)} runs)" in text
    assert "| tone-check-stage4-rating | 63.3% | 66.7% | 63.3% | 50.0% | 98.2% |" in text
    # a check run without clean emails (--clean 0) shows its clean share as not measured, not as 0%
    assert "| tone-check-stage4-7bit-all41 | 58.5% |" in text
    assert [line for line in text.splitlines() if line.startswith("| tone-check-stage4-7bit-all41 |")][0].endswith("| - |")
    # a file written before the check recorded its command: rebuilt, with the label threshold it ran with, and
    # without the softening rules serving applies since
    assert ("- tone-check-stage3-label.json: `PROOFREAD_RUDE_COMMAND_BELOW=1.0 PROOFREAD_RUDE_WITHOUT_EVIDENCE_BELOW=0.26 "
            "PROOFREAD_RUDE_RATING_BELOW=0.0 PROOFREAD_TONE_RULES=False python -m training.tone_check ") in text
    # a recorded command reruns with the settings of its day that today's defaults changed (no rating label then, and
    # a bare command evidence in any email)
    assert ("- tone-check-stage4-7bit.json: `PROOFREAD_RUDE_COMMAND_BELOW=1.0 PROOFREAD_RUDE_RATING_BELOW=0.0 "
            "python -m training.tone_check ") in text

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

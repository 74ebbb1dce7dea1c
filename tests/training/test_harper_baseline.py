"""The rule-based baseline the model is compared against: harper.js through the same evaluation."""

import pytest

from tests.training.conftest import needs_data


def test_harper_applies_its_first_suggestions():
    from training.baselines.harper_proofreader import HarperProofreader

    harper = HarperProofreader()
    try:
        result = harper.proofread("I has a apple. This are teh best.")
        assert result.corrected != "I has a apple. This are teh best." and result.lints_applied >= 1
        assert harper.proofread("Thanks for the update.").corrected == "Thanks for the update."
    finally:
        harper.close()


@needs_data()
def test_harper_goes_through_the_evaluation_like_a_model():
    from training.evaluate import ModelSpec, clean_emails, evaluate_model, validation_rows

    metrics, _ = evaluate_model(ModelSpec.parse("harper=harper"), validation_rows(5), clean_emails(2), scorer=None, progress=False)
    assert metrics["jfleg_sentences"] == 5 and metrics["gleu"] is not None and metrics["tokens_per_s"] is None

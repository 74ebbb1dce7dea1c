"""The rule-based baseline the model is compared against: harper.js through the same evaluation."""

import pytest

from tests.training.conftest import needs_data


def test_harper_is_a_proofreader_built_from_settings_and_applies_its_suggestions():
    from backend.config import Settings
    from backend.factory import build_proofreader
    from backend.types import Result

    harper = build_proofreader(Settings(engine="harper"))
    try:
        draft = "I has a apple. This are teh best."
        result = harper.proofread(draft)
        assert isinstance(result, Result) and result.changed and result.model.engine == "harper.js"
        assert "".join(s.original for s in result.diff) == draft
        assert "".join(s.corrected for s in result.diff) == result.corrected
        assert result.timings.generated_tokens == 0 and result.timings.generate_ms > 0
        assert harper.proofread("Thanks for the update.").corrected == "Thanks for the update."
    finally:
        harper.close()


@needs_data()
def test_harper_goes_through_the_evaluation_like_a_model():
    from training.evaluate import ModelSpec, clean_emails, evaluate_model, validation_rows

    metrics, _ = evaluate_model(ModelSpec.parse("harper=harper"), validation_rows(5), clean_emails(2), scorer=None, progress=False)
    assert metrics["jfleg_sentences"] == 5 and metrics["gleu"] is not None and metrics["tokens_per_s"] is None

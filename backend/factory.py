"""Builds what the settings ask for: every proofreader is made here, from `Settings` alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.config import Settings

if TYPE_CHECKING:
    from backend.scoring import Scorer
    from backend.types import Proofreader, Scores


def build_proofreader(settings: Settings, scorer: Scorer | None = None) -> Proofreader:
    """The proofreader `settings.engine` names. `scorer`: one already loaded, to share (evaluation
    builds several proofreaders in one process); the Space scores remotely and takes none."""
    if settings.engine == "space":
        from backend.engines.space_engine import SpaceProofreader

        return SpaceProofreader(settings)
    if settings.engine == "harper":
        # The baseline lives with the training code (its Node package is installed there).
        from training.baselines.harper_proofreader import HarperProofreader

        return HarperProofreader(settings, scorer)
    from backend.proofreader import LlamaProofreader

    return LlamaProofreader(settings, scorer=scorer)


class _Scoring:
    """`score()` of the Proofreader protocol without a language model: the input checks, then the classifiers."""

    def __init__(self, settings: Settings) -> None:
        from backend.scoring import Scorer

        self.settings = settings
        self.scorer = Scorer(settings=settings)

    def score(self, text: str) -> Scores:
        from backend.input_checks import check_input

        check_input(text, self.settings.max_input_chars)
        return self.scorer.score(text)


def build_scorer(settings: Settings):
    """What scoring alone needs (`batch --score-only`): the Space scores remotely; every local engine
    uses the classifiers, so no language model is loaded."""
    if settings.engine == "space":
        return build_proofreader(settings)
    return _Scoring(settings)

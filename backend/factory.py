"""Builds the proofreader the settings ask for: the local model, or a remote Gradio Space."""

from __future__ import annotations

from backend.config import Settings


def build_proofreader(settings: Settings):
    if settings.engine == "space":
        from backend.engines.space_engine import SpaceProofreader

        return SpaceProofreader(settings)
    from backend.proofreader import Proofreader

    return Proofreader(settings)

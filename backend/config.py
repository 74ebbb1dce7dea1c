"""All settings in one typed place. Every field can be set by an environment variable
(`PROOFREAD_<FIELD>`, e.g. `PROOFREAD_ADAPTER=none`) or by the CLI flag of the same name.
Everything that changes a proofread is here; what changes a single call is `backend.types.Options`."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_ADAPTER = REPO_ROOT / "models" / "gemma3-270m-proofread-lora.gguf"
# Files built from the packaged models on first use (the merged model, the int8 sentence encoder).
CACHE_DIR = Path.home() / ".cache" / "email-proofreader"
# The public data sets (JFLEG, AESLC, W&I, politeness...), read in place and never copied into the repo.
DATA_DIR = REPO_ROOT.parent / "shared" / "data"

# Libraries read these at import time: the model hub, Gradio and transformers must never phone home.
# (The backend's `--engine space` needs the hub to find OWNER/NAME Spaces, so it does not call this.)
_OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
}


def stay_offline() -> None:
    """Sets the offline variables (unless already set), before hub/transformers/gradio are imported."""
    for name, value in _OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


ENV_PREFIX = "PROOFREAD_"  # every Settings field is also the environment variable PROOFREAD_<FIELD>


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    engine: Literal["llama", "space", "harper"] = Field(
        "llama",
        description="llama = the local model; space = a remote Gradio Space (see `space`); harper = the rule-based "
        "baseline harper.js (evaluation; needs `npm ci --prefix training/baselines/harper`).",
    )
    base: Literal["gemma3-270m", "smollm2-135m"] = Field(
        "gemma3-270m", description="Embedded base model, used when model_path is not set."
    )
    model_path: Path | None = Field(None, description="Any GGUF file; overrides `base`.")
    chat_format: Literal["gemma", "chatml"] | None = Field(
        None, description="Prompt format; defaults to the base model's own."
    )
    adapter: str = Field(
        "default",
        description="'default' = the shipped fine-tuned LoRA (if present), 'none', or a GGUF adapter path.",
    )
    merge_adapter: bool = Field(
        True,
        description="Fold the adapter into the base weights once (cached in cache_dir; faster) instead of applying it at every step.",
    )
    few_shot: bool = Field(
        False,
        description="Put example turns before the email in the prompt: for a base model that was never fine-tuned.",
    )
    cache_dir: Path = Field(
        default_factory=lambda: CACHE_DIR,
        description="Where files built on first use are kept: the merged model, the int8 sentence encoder, training's converted base models.",
    )
    data_dir: Path = Field(
        default_factory=lambda: DATA_DIR,
        description="The public data sets (training, evaluation, benchmarks); see ../shared/data/README.md.",
    )
    n_threads: int = Field(default_factory=lambda: os.cpu_count() or 2)
    scoring_threads: int = Field(
        1,
        ge=1,
        description="Threads of the classifiers' sentence encoder. One leaves the other core to the LLM; on the shared "
        "2-core test machine 2 threads were ~2x slower per email (bench/classifiers.py --threads 2).",
    )
    llama_kernels: Literal["auto", "portable"] = Field(
        "auto",
        description="llama.cpp CPU kernels: the fastest variant this CPU can run (backend/llama_builds.py), or the portable x86-64-v3 build. Read once, before the model loads.",
    )
    n_ctx: int = 2048
    decoding: Literal["greedy", "draft_verify"] = Field(
        "draft_verify",
        description="Decoding that verifies tokens drafted from the email in batches (about 2x faster; at temperature 0 greedy's tokens when copy_margin is 0, above it sampling's distribution), or plain token-by-token decoding.",
    )
    copy_margin: float = Field(
        1.0,
        ge=0,
        description="draft_verify keeps a copied token the model ranks within this many logits of its first choice: fewer needless edits, a few missed ones (0 = exact greedy). 1.0 had the best FCE dev F0.5 of 0-4 and kept 97.5% of correct CWEB dev sentences unchanged vs 92.5% at 0 (training/RESULTS.md).",
    )
    rude_without_evidence_below: float = Field(
        0.08,
        ge=0,
        le=1,
        description="Politeness under this P(polite) labels an email rude without an accusation, bare command or face-threat sentence to show, once it is rude_without_evidence_min_words long (0 = off: the label needs evidence). Chosen by training.classifiers.calibrate_rude on scenarios 1-12 and AESLC train.",
    )
    rude_without_evidence_min_words: int = Field(
        35, ge=0, description="Short texts (a learner's sentence) score low without being rude: below this length the score alone never says rude. From it on, a text is an email whose bare commands need rude_command_below."
    )
    rude_command_below: float = Field(
        0.25,
        ge=0,
        le=1,
        description="In an email of rude_without_evidence_min_words or more, a bare command (no 'please') is evidence for the rude label only under this P(polite) as well as the head's rude_below: instructions between colleagues are full of them. Blame of the reader, and a bare command in a shorter text, need rude_below alone (1 = as blame). Chosen by training.classifiers.calibrate_rude on scenarios 1-12 and AESLC train.",
    )
    rude_rating_below: float = Field(
        2.22,
        ge=0,
        le=5,
        description="An email whose email rating (how people would rate it, 1-5; texts of 30+ words) is under this is labelled rude, evidence or not (0 = off). Chosen by training.classifiers.calibrate_rude on scenarios 1-12 (each rated by a fit that never saw its scenario) and AESLC train.",
    )
    tone_retries: int = Field(
        0,
        ge=0,
        description="When an email labelled rude comes back no politer by the scorer, or still rude, sample this many more rewrites (seeds 1..n) and keep the politest one the guards accept (0 = off). Only for greedy requests. Off by default: at 2, the tone check gained one email of 30 (politer by both 63.3 -> 66.7%) but a clean email the label wrongly calls rude was rewritten, and rude emails took ~2.3x as long (models/README.md, 'Serving changes without training').",
    )
    tone_rules: bool = Field(
        True,
        description="Finish the rewrite of an email labelled rude with the softening rules the model was trained on (backend/softening.py: milder words, requests for demands, a thanks in an email of several lines), if the guards accept the result. The model applies them unevenly and copies some rude replies whole: with the rules, the tone check's politer-by-both went from 63.3% to 76.7% (models/README.md, 'Serving changes without training').",
    )
    tone_retry_temperature: float = Field(0.7, gt=0, le=2.0, description="Sampling temperature of those retries.")
    tone_retry_top_p: float = Field(0.95, gt=0, le=1.0, description="Nucleus cut-off of those retries.")
    chunk_words: int = Field(160, description="Long emails are proofread paragraph groups of about this size.")
    max_generate_seconds: float = Field(
        30.0,
        gt=0,
        description="Model time one request may use; past it the rest of a long draft is kept unchanged (one warning), so one request cannot hold the worker for minutes.",
    )
    max_input_chars: int = 20_000
    queue_size: int = Field(8, description="Requests waiting for the model worker before 503.")
    space: str | None = Field(None, description="Gradio Space URL or owner/name, for engine=space.")
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_origins: list[str] = Field(default_factory=list, description="CORS origins; no wildcard by default.")
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to (against DNS rebinding); empty = the bound host, localhost and 127.0.0.1; '*' = any.",
    )
    api_key: str | None = Field(None, description="If set, requests must send `Authorization: Bearer <key>`.")

    def resolved_chat_format(self) -> str:
        if self.chat_format:
            return self.chat_format
        return "chatml" if self.base == "smollm2-135m" and self.model_path is None else "gemma"

    def rude_without_evidence(self) -> tuple[float, int]:
        """(P(polite) under which, and words from which, the score alone says rude): PolitenessClassifier's `without_evidence`."""
        return self.rude_without_evidence_below, self.rude_without_evidence_min_words

    def resolved_allowed_hosts(self) -> set[str]:
        return set(self.allowed_hosts) or {self.host, "localhost", "127.0.0.1"}

    def resolved_adapter(self) -> Path | None:
        if self.adapter == "none":
            return None
        if self.adapter == "default":
            # The shipped adapter was trained on the Gemma base: never apply it to another model.
            uses_gemma_base = self.model_path is None and self.base == "gemma3-270m"
            return SHIPPED_ADAPTER if uses_gemma_base and SHIPPED_ADAPTER.exists() else None
        return Path(self.adapter)


def environment_overrides() -> str:
    """The settings set through the environment now, as a shell prefix ("PROOFREAD_TONE_RULES=False "): a command
    recorded with it reruns with the same settings. Never the API key: recorded commands are committed."""
    names = {ENV_PREFIX + field.upper() for field in Settings.model_fields if field != "api_key"}
    return "".join(f"{name}={shlex.quote(value)} " for name, value in sorted(os.environ.items()) if name in names)

"""A training run = one recipe file (training/recipes/*.yaml), parsed into these dataclasses, with
optional CLI overrides `--set train.max_steps=10 lora.r=8`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class DataConfig:
    name: str = "mix-v1"  # training/build/data/<name>/
    seed: int = 13
    scorer: str = "auto"  # backend | lexical | auto (backend, else the lexical fallback)
    jfleg_refs_per_source: int = 2  # 0: no JFLEG pairs (the validation split is fixed in training.data.jfleg)
    # sentence corpora (training.data.gec_corpora; their test splits are never read here)
    wi: int = 0  # Write & Improve train sentences
    fce: int = 0  # FCE train sentences
    sentence_changed_share: float | None = None  # share of W&I/FCE sentences with an edit (None: the corpus's own)
    gec_paragraphs: int = 0  # email-shaped: 2-6 consecutive FCE/W&I sentences with a greeting and sign-off
    cweb: int = 0  # CWEB dev website sentences (mostly already correct: against over-correction)
    c4: int = 0  # C4_200M synthetic pairs
    synthetic_errors: int = 1500  # noisy email -> clean email
    unchanged: int = 400  # clean email -> itself
    unchanged_informal: int = 0  # clean email with correct shorthand ("this a.m.", "congrats", "FYI") -> itself, taken first
    tone_pairs: int = 300  # blunted email -> polite original
    email_tone_pairs: int = 0  # human-rated email -> a politer version of it (training.data.email_tone_pairs; 29 at most)
    softening: int = 0  # real email made harsh -> its minimal softening (training.data.softening)
    softening_rated: int = 0  # emails people rated impolite (training scenarios) -> their minimal softening (20 at most)
    softening_repeats: int = 1  # how often each rated one is taught
    softening_reader: bool = False  # harsh sentences aimed at the reader too (softening.HARSH_READER), not only at the work
    softening_reply: bool = False  # and replies pushing back at the reader (softening.HARSH_REPLY)
    softening_without_reasons: float = 0.0  # share of them whose tone note names no reasons (serving's score-only rude label)
    email_tone_repeats: int = 1  # so few that one pass among thousands of corrections barely registers: each is taught this often
    instructions: int = 100  # general instruction examples (Alpaca)
    sharegpt: int = 0  # conversations in the ShareGPT/FineTome schema
    errors_per_word: float = 0.05
    max_email_words: int = 80  # short emails = short sequences = fast training (serving chunks at ~160 words)
    max_prompt_chars: int = 2400
    validation_per_kind: int = 20  # eval-loss set: this many held-out examples of each kind
    # An earlier mix's data name (built first, same chat format): its sentences, paragraphs and emails
    # are not drawn again, so a second training stage sees only new text.
    exclude_data: str | None = None


@dataclass
class LoraConfig:
    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: list[str] = field(
        default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    )


@dataclass
class TrainConfig:
    learning_rate: float = 2e-4
    lr_scheduler: str = "cosine"
    warmup_ratio: float = 0.05
    weight_decay: float = 0.0
    per_device_batch: int = 8
    grad_accumulation: int = 1
    max_length: int = 384
    group_by_length: bool = True
    epochs: float = 1.0
    max_steps: int = -1
    save_steps: int = 25
    eval_steps: int = 100
    logging_steps: int = 5
    save_total_limit: int = 3
    threads: int = 2
    fast_loss: bool = True  # lm_head + cross-entropy only where the loss is computed
    # Off: activations of batch 8 x 384 tokens fit easily in RAM, and recomputing the forward pass in the
    # backward pass (trl's default) costs time on 2 cores.
    gradient_checkpointing: bool = False
    bf16: str = "auto"  # bf16 autocast: "auto" = where the CPU has bf16 instructions (training.cpu), "on", "off"
    max_grad_norm: float = 1.0


@dataclass
class Recipe:
    name: str
    base: str = "gemma3-270m"
    seed: int = 42
    # Continue from another run's adapter (a folder with adapter_config.json, e.g. training/runs/<run>/adapter):
    # a second stage on new data starts from what the first one learned. Its LoRA shape wins over `lora`.
    init_adapter: str | None = None
    data: DataConfig = field(default_factory=DataConfig)
    lora: LoraConfig = field(default_factory=LoraConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def _build(cls, values: dict[str, Any]):
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(values) - set(known)
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {sorted(unknown)}")
    kwargs = {}
    for key, value in values.items():
        sub = {"data": DataConfig, "lora": LoraConfig, "train": TrainConfig}.get(key) if cls is Recipe else None
        kwargs[key] = _build(sub, value or {}) if sub else value
    return cls(**kwargs)


def _coerce(text: str) -> Any:
    return yaml.safe_load(text)


def apply_overrides(raw: dict, overrides: list[str]) -> dict:
    for item in overrides:
        key, _, value = item.partition("=")
        if not _:
            raise ValueError(f"override {item!r} must look like section.key=value")
        node = raw
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = _coerce(value)
    return raw


def load_recipe(path: str | Path, overrides: list[str] | None = None) -> Recipe:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    raw = apply_overrides(raw, overrides or [])
    recipe = _build(Recipe, raw)
    recipe.train.learning_rate = float(recipe.train.learning_rate)
    return recipe

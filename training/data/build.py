"""Builds a recipe's training mix into training/build/data/<name>/{train,validation}.jsonl plus
manifest.json (input hashes, counts, scorer used). Deterministic for a given recipe.

    python -m training.data.build --recipe training/recipes/gemma3-270m-proofread.yaml
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path

from backend.shorthand import has_shorthand
from backend.softening import soften
from training.base_models import BASES
from training.config import REPO_ROOT, DataConfig, Recipe, load_recipe
from training.data import emails as email_data
from training.data import email_tone_pairs, gec_corpora, instructions, jfleg, softening, synthetic_errors, tone_pairs
from training.data.common import ExampleMaker, data_path, file_sha256, write_jsonl
from training.data.scoring import as_not_rude, as_rude, load_scorer

BUILD_DIR = REPO_ROOT / "training" / "build" / "data"
# Kinds too scarce to give examples to the eval-loss set (29 human-rated email pairs in all).
_TRAIN_ONLY_KINDS = {email_tone_pairs.KIND, softening.RATED_KIND}
_TONE_STRATEGIES = {"greeting": "greeting", "thanks_line": "gratitude", "thanks_sentence": "gratitude",
                    "request": "direct command", "please": "please", "hedge": "hedge", "appreciate": "gratitude"}


def clean_email_pool(seed: int, max_words: int = 140) -> tuple[list[dict], list[dict]]:
    """(usable, clean-looking) training emails, shuffled with the seed."""
    usable = email_data.load_emails("train", max_words=max_words)
    random.Random(seed).shuffle(usable)
    return usable, [e for e in usable if email_data.looks_clean(e["text"])]


def build_examples(cfg: DataConfig, chat_format: str, scorer=None, limit_emails: int | None = None) -> tuple[list[dict], list[dict], dict]:
    if scorer is None:
        scorer, scorer_name = load_scorer(cfg.scorer)
    else:
        scorer_name = getattr(scorer, "name", type(scorer).__name__)
    maker = ExampleMaker(chat_format, scorer)
    examples: list[dict] = []
    seen = earlier_mix(cfg.exclude_data, chat_format, cfg.seed)

    def plain(source, target, kind, **meta):
        return maker.proofread(source, target, kind, scores=as_not_rude(maker.scores(source)), **meta)

    # JFLEG train split (the validation split is never used here)
    if cfg.jfleg_refs_per_source:
        train_rows, _ = jfleg.split(jfleg.load())
        for source, target, sid in jfleg.training_pairs(train_rows, cfg.jfleg_refs_per_source):
            example = plain(source, target, "jfleg", source_id=f"jfleg:{sid}")
            # a JFLEG sentence has four references: one not taught before is new data
            if (example["source_id"], example["completion"]) not in seen.pairs:
                examples.append(example)
    examples += sentence_corpus_examples(cfg, plain, seen.ids)

    usable, clean = clean_email_pool(cfg.seed, cfg.max_email_words)
    if limit_emails:
        usable, clean = usable[:limit_emails], clean[:limit_emails]
    noise = synthetic_errors.NoiseConfig(errors_per_word=cfg.errors_per_word)

    # clean emails with injected errors -> the clean email
    def synthetic(email):
        rng = random.Random(f"{cfg.seed}:noise:{email['id']}")
        target = email_data.decorate(email["text"], rng)
        source, applied = synthetic_errors.inject_errors(target, rng, noise)
        if source == target:
            return None
        return plain(source, target, "synthetic", source_id=email["id"], errors=applied)

    # tone pairs from polite emails not used above
    def tone(email):
        rng = random.Random(f"{cfg.seed}:tone:{email['id']}")
        text = email_data.decorate(email["text"], rng, p_greeting=0.3, p_signoff=0.3)
        pair = tone_pairs.make_pair(text, rng)
        if pair is None:
            return None
        rough, edits = pair
        rules = sorted({_TONE_STRATEGIES.get(r, r) for r in _rule_names(text, edits)})
        scores = as_rude(maker.scores(rough.strip()), rules or ["direct command"])
        return maker.proofread(rough.strip(), text, "tone", scores=scores, source_id=email["id"])

    # a harsh email -> its minimal softening; the note says rude, as serving's label would, with its reasons or, as
    # when the score alone says rude (Settings.rude_without_evidence_below), none
    def softened(source, target, kind, source_id, reasons=True):
        scores = as_rude(maker.scores(source), ["criticism"])
        if not reasons:
            scores = scores.model_copy(update={"politeness": scores.politeness.model_copy(update={"reasons": []})})
        return maker.proofread(source, target, kind, scores=scores, source_id=source_id)

    harsh_sentences = (softening.HARSH if cfg.softening_reader else softening.HARSH_WORK) + (softening.HARSH_REPLY if cfg.softening_reply else [])

    def harsh(email):
        rng = random.Random(f"{cfg.seed}:harsh:{email['id']}")
        source = softening.harshen(email_data.decorate(email["text"], rng), rng, harsh_sentences)
        target = soften(source, rng)
        without_reasons = cfg.softening_without_reasons > rng.random()
        return softened(source, target, softening.KIND, email["id"], not without_reasons) if softening.usable(source, target) else None

    # clean emails that must come back unchanged
    def unchanged(email):
        text = email_data.decorate(email["text"], random.Random(f"{cfg.seed}:same:{email['id']}"))
        return plain(text, text, "unchanged", source_id=email["id"])

    used: set[str] = set(seen.ids)
    examples += take_emails(clean, used, cfg.synthetic_errors, synthetic)
    examples += take_emails(clean, used, cfg.tone_pairs, tone)
    examples += take_emails([e for e in clean if has_shorthand(e["text"])], used, cfg.unchanged_informal, unchanged)
    examples += take_emails(clean, used, cfg.unchanged, unchanged)
    examples += take_emails(clean, used, cfg.softening, harsh)
    for email_id, source, target in softening.rated_pairs()[: cfg.softening_rated] if cfg.softening_rated else []:
        examples += [softened(source, target, softening.RATED_KIND, f"email-politeness:{email_id}")] * cfg.softening_repeats
    if cfg.email_tone_pairs:
        examples += email_tone_pairs.training_examples(maker, cfg.email_tone_pairs) * cfg.email_tone_repeats

    # general instructions, short ones only (long answers cost training time and teach nothing here)
    chats = instructions.load_alpaca()
    random.Random(cfg.seed).shuffle(chats)
    chats = [c for c in chats if len(c[0]["content"]) + len(c[1]["content"]) < 700][: cfg.instructions]
    examples += [maker.chat(c, "instruction") for c in chats]
    if cfg.sharegpt:
        convs = instructions.load_sharegpt()
        random.Random(cfg.seed).shuffle(convs)
        examples += [maker.chat(c, "sharegpt") for c in convs[: cfg.sharegpt]]

    examples = [e for e in examples if len(e["prompt"]) <= cfg.max_prompt_chars]
    random.Random(cfg.seed).shuffle(examples)
    # held-out eval-loss set: a few of each kind
    validation, train, taken = [], [], {}
    for example in examples:
        kind = example["kind"]
        if taken.get(kind, 0) < cfg.validation_per_kind and kind not in _TRAIN_ONLY_KINDS:
            taken[kind] = taken.get(kind, 0) + 1
            validation.append(example)
        else:
            train.append(example)
    counts = {k: sum(e["kind"] == k for e in train) for k in sorted({e["kind"] for e in train})}
    return train, validation, {"scorer": scorer_name, "train_counts": counts, "validation_counts": taken}


# Each W&I/FCE file is cut in essay order: single sentences come from the first part, email-shaped
# paragraphs from the rest, so no sentence is taught both ways.
_PARAGRAPH_PART = 0.3


@dataclass(frozen=True)
class EarlierMix:
    ids: frozenset[str] = frozenset()  # source ids it drew (sentences, paragraphs, emails)
    pairs: frozenset[tuple[str, str]] = frozenset()  # (source id, completion) it taught


def earlier_mix(name: str | None, chat_format: str, seed: int) -> EarlierMix:
    if not name:
        return EarlierMix()
    folder = BUILD_DIR / f"{name}-{chat_format}"
    if not (folder / "train.jsonl").exists():
        raise SystemExit(f"data.exclude_data: {folder} is not built; build the earlier recipe's data first")
    manifest = folder / "manifest.json"
    earlier_seed = json.loads(manifest.read_text())["data_config"]["seed"] if manifest.exists() else seed
    if earlier_seed != seed:
        # paragraphs are known by their first sentence: only the same seed groups them the same way
        raise SystemExit(f"data.exclude_data: {name} was built with data.seed {earlier_seed}; use the same seed")
    rows = [json.loads(line) for split in ("train.jsonl", "validation.jsonl")
            for line in (folder / split).read_text(encoding="utf-8").splitlines() if line]
    return EarlierMix(frozenset(r.get("source_id", "") for r in rows),
                      frozenset((r.get("source_id", ""), r["completion"]) for r in rows))


def sentence_corpus_examples(cfg: DataConfig, plain, exclude: frozenset[str] = frozenset()) -> list[dict]:
    """W&I and FCE sentences, email-shaped paragraphs of them, CWEB dev and C4 pairs, as the recipe asks;
    none whose id is in `exclude`."""
    def fresh(pairs):
        return [p for p in pairs if p.id not in exclude]

    examples: list[dict] = []
    corpora = {}
    if cfg.wi or cfg.fce or cfg.gec_paragraphs:
        corpora = {"wi": gec_corpora.load_wi(), "fce": gec_corpora.load_fce("train")}
    sentences, paragraph_pool = {}, []
    for name, pairs in corpora.items():
        cut = int(len(pairs) * (1 - _PARAGRAPH_PART))
        sentences[name] = fresh(pairs[:cut])
        # grouped as in the earlier mix (same seed), so a paragraph it drew has the same id
        paragraph_pool += [p for p in gec_corpora.paragraphs(pairs[cut:], random.Random(f"{cfg.seed}:paragraphs:{name}"))
                           if p[2] not in exclude]
    for name in ("wi", "fce"):
        count = getattr(cfg, name)
        rng = random.Random(f"{cfg.seed}:{name}")
        for pair in gec_corpora.sample(sentences.get(name, []), count, rng, cfg.sentence_changed_share) if count else []:
            examples.append(plain(pair.source, pair.target, name, source_id=pair.id))
    random.Random(f"{cfg.seed}:paragraphs").shuffle(paragraph_pool)
    def decorated(text: str, pid: str) -> str:
        # one seed per paragraph decorates both sides, so greeting and sign-off match in source and target
        return email_data.decorate(text, random.Random(f"{cfg.seed}:decorate:{pid}"))

    for source, target, pid in paragraph_pool[: cfg.gec_paragraphs]:
        examples.append(plain(decorated(source, pid), decorated(target, pid), "gec_paragraph", source_id=pid))
    if cfg.cweb:
        for pair in gec_corpora.sample(fresh(gec_corpora.load_cweb("dev")), cfg.cweb, random.Random(f"{cfg.seed}:cweb")):
            examples.append(plain(pair.source, pair.target, "cweb", source_id=pair.id))
    if cfg.c4:
        for pair in gec_corpora.sample(fresh(gec_corpora.load_c4()), cfg.c4, random.Random(f"{cfg.seed}:c4")):
            examples.append(plain(pair.source, pair.target, "c4", source_id=pair.id))
    return examples


def take_emails(pool: list[dict], used: set[str], limit: int, make) -> list[dict]:
    """Up to `limit` examples, one per email of `pool` in order, never from an email already in `used`
    (each email serves one kind only); `make(email)` returns None for an email it cannot use."""
    made: list[dict] = []
    for email in pool:
        if len(made) >= limit:
            break
        if email["id"] in used:
            continue
        example = make(email)
        if example is None:
            continue
        used.add(email["id"])
        made.append(example)
    return made


def _rule_names(text: str, edits) -> list[str]:
    names = []
    for name, pattern, _ in tone_pairs._RULES:
        if any(m.start() == e.start and m.end() == e.end for m in pattern.finditer(text) for e in edits):
            names.append(name)
    if any(e.start == e.end for e in edits):
        names.append("accusation")
    return names


def data_dir(recipe: Recipe) -> Path:
    """Where a recipe's data lives: one folder per data name and chat format, shared by every run."""
    return BUILD_DIR / f"{recipe.data.name}-{BASES[recipe.base].chat_format}"


def build_recipe_data(recipe: Recipe, out_dir: Path | None = None, limit_emails: int | None = None) -> Path:
    cfg, chat_format = recipe.data, BASES[recipe.base].chat_format
    out = out_dir or data_dir(recipe)
    started = time.time()
    train, validation, info = build_examples(cfg, chat_format, limit_emails=limit_emails)
    write_jsonl(out / "train.jsonl", train)
    write_jsonl(out / "validation.jsonl", validation)
    inputs = [data_path("gec", name) for name in ("jfleg_dev.jsonl", "wi_locness_train.jsonl", "fce_train.jsonl", "cweb_dev.jsonl", "c4_200m_sample.jsonl")]
    inputs += [data_path("emails", "aeslc_train.jsonl"), data_path("instruct", "alpaca_5000.json")]
    inputs += [email_tone_pairs.corpus_path()] if cfg.email_tone_pairs or cfg.softening_rated else []
    manifest = {
        "data_config": cfg.__dict__,
        "chat_format": chat_format,
        **info,
        "inputs": {p.name: file_sha256(p) for p in inputs},
        "outputs": {name: file_sha256(out / name) for name in ("train.jsonl", "validation.jsonl")},
        "seconds": round(time.time() - started, 1),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return out


def build(recipe_path: str, overrides: list[str] | None = None, out_dir: Path | None = None, limit_emails: int | None = None) -> Path:
    return build_recipe_data(load_recipe(recipe_path, overrides), out_dir, limit_emails)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", required=True)
    parser.add_argument("--set", nargs="*", default=[], dest="overrides", help="overrides like data.tone_pairs=100")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    out = build(args.recipe, args.overrides, args.out)
    print(json.dumps(json.loads((out / "manifest.json").read_text()), indent=1)[:1500])
    print(out)


if __name__ == "__main__":
    main()

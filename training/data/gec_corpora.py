"""Sentence-level grammar-correction corpora from ../shared/data/gec, one loader per corpus, all
returning the same record: `Pair(id, source, target, corpus, references)`.

Which split may be trained on is decided here, once: `fce_test` and `cweb_test` are evaluation
data (training.evaluate scores them) and no builder may read them; the JFLEG validation split lives
in training.data.jfleg. Whitespace is normalised (the M2 detokenisation left double spaces where a
token was deleted), so a model never learns to edit spacing that the user did not write."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from training.data.common import data_path, read_jsonl

EVALUATION_ONLY = frozenset({("fce", "test"), ("cweb", "test")})


@dataclass(frozen=True)
class Pair:
    id: str
    source: str
    target: str
    corpus: str
    references: tuple[str, ...] = field(default=())  # every annotator's target where there are several

    @property
    def changed(self) -> bool:
        return self.source != self.target


def _squash(text: str) -> str:
    return " ".join(text.split())


def _load(name: str, corpus: str, split: str, evaluation: bool) -> list[Pair]:
    if (corpus, split) in EVALUATION_ONLY and not evaluation:
        raise ValueError(f"{corpus} {split} is evaluation data: never train on it")
    pairs = []
    for row in read_jsonl(data_path("gec", name)):
        source, target = _squash(row["source"]), _squash(row["target"])
        if not source or not target:
            continue
        refs = tuple(_squash(r) for r in row.get("references", ()))
        pairs.append(Pair(f"{corpus}-{split}:{row['id']}", source, target, corpus, refs))
    return pairs


def load_wi(evaluation: bool = False) -> list[Pair]:
    """Write & Improve (BEA-2019) train, levels A-C: 34,171 learner sentences."""
    return _load("wi_locness_train.jsonl", "wi", "train", evaluation)


def load_fce(split: str = "train", evaluation: bool = False) -> list[Pair]:
    """Cambridge FCE: train 28,577 / dev 2,203 / test 2,722 sentences, in essay order."""
    return _load(f"fce_{split}.jsonl", "fce", split, evaluation)


def load_cweb(split: str = "dev", evaluation: bool = False) -> list[Pair]:
    """CWEB website sentences (about 73% left unchanged by both annotators): the over-correction data."""
    return _load(f"cweb_{split}.jsonl", "cweb", split, evaluation)


def load_c4(max_added_words: int = 2) -> list[Pair]:
    """The C4_200M synthetic sample. Some of its targets add text that the source never had (a list
    number, a clause): a proofreader must not learn that, so pairs whose target is more than
    `max_added_words` words longer than the source are dropped."""
    pairs = _load("c4_200m_sample.jsonl", "c4", "sample", False)
    return [p for p in pairs if len(p.target.split()) - len(p.source.split()) <= max_added_words]


def unchanged_by_all(pair: Pair) -> bool:
    """True when every annotator left the sentence as it was (CWEB has two)."""
    refs = pair.references or (pair.target,)
    return all(ref == pair.source for ref in refs)


def sample(pairs: list[Pair], n: int, rng: random.Random, changed_share: float | None = None) -> list[Pair]:
    """`n` pairs drawn without replacement; with `changed_share`, that share of them has an edit
    (the rest are already correct), otherwise the corpus's own mix."""
    pool = list(pairs)
    rng.shuffle(pool)
    if changed_share is None:
        return pool[:n]
    changed = [p for p in pool if p.changed]
    same = [p for p in pool if not p.changed]
    k = min(len(changed), round(n * changed_share))
    return changed[:k] + same[: n - k]


def paragraphs(pairs: list[Pair], rng: random.Random, min_sentences: int = 2, max_sentences: int = 6,
               max_words: int = 110) -> list[tuple[str, str, str]]:
    """(source, target, id) paragraphs of 2-6 consecutive sentences of one corpus file (in essay
    order), so a model trained on sentences also sees them as the running text of an email. Headings
    and fragments (under four words, no final punctuation) end a paragraph instead of joining it."""
    out, i = [], 0
    while i < len(pairs):
        want = rng.randint(min_sentences, max_sentences)
        group: list[Pair] = []
        while i < len(pairs) and len(group) < want:
            pair = pairs[i]
            i += 1
            if len(pair.source.split()) < 4 or pair.source[-1] not in ".!?\"'":
                break
            if sum(len(p.source.split()) for p in group) + len(pair.source.split()) > max_words:
                break
            group.append(pair)
        if len(group) >= min_sentences:
            out.append((" ".join(p.source for p in group), " ".join(p.target for p in group), group[0].id))
    return out

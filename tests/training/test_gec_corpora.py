"""The sentence corpora (issue 14): one record shape, evaluation splits never read by the builder,
email-shaped paragraphs that keep source and target aligned, ERRANT F0.5 counted like errant_compare."""

import random

import pytest

from tests.training.conftest import needs_data
from training.data import gec_corpora
from training.data.gec_corpora import Pair


@needs_data()
def test_every_corpus_loads_into_the_same_record_with_normalised_spacing():
    for pairs in (gec_corpora.load_wi(), gec_corpora.load_fce("train"), gec_corpora.load_cweb("dev"), gec_corpora.load_c4()):
        assert len(pairs) > 5000 and all(isinstance(p, Pair) for p in pairs)
        assert not any("  " in p.source or "  " in p.target for p in pairs)
        assert any(p.changed for p in pairs) and any(not p.changed for p in pairs)
    assert all(len(p.references) == 2 for p in gec_corpora.load_cweb("dev")[:100])


@needs_data()
def test_c4_pairs_whose_target_adds_text_are_dropped():
    pairs = gec_corpora.load_c4(max_added_words=2)
    assert all(len(p.target.split()) - len(p.source.split()) <= 2 for p in pairs)
    assert 5000 < len(pairs) < 10_000


def test_evaluation_splits_are_refused_unless_asked_for_evaluation():
    with pytest.raises(ValueError, match="evaluation data"):
        gec_corpora.load_fce("test")
    with pytest.raises(ValueError, match="evaluation data"):
        gec_corpora.load_cweb("test")


@needs_data()
def test_building_a_mix_never_reads_an_evaluation_file(monkeypatch):
    from training.config import DataConfig
    from training.data import build, common
    from training.data.scoring import LexicalScorer

    read = []
    original = common.read_jsonl

    def spy(path):
        read.append(str(path))
        return original(path)

    monkeypatch.setattr(gec_corpora, "read_jsonl", spy)
    monkeypatch.setattr(build.jfleg, "read_jsonl", spy, raising=False)
    cfg = DataConfig(wi=20, fce=20, gec_paragraphs=10, cweb=20, c4=10, synthetic_errors=2, unchanged=2, tone_pairs=0,
                     instructions=0, validation_per_kind=1)
    train, validation, info = build.build_examples(cfg, "gemma", scorer=LexicalScorer(), limit_emails=200)
    assert {"wi", "fce", "gec_paragraph", "cweb", "c4"} <= set(info["train_counts"])
    assert read and not [p for p in read if "test" in p.rsplit("/", 1)[-1]]


@needs_data()
def test_a_second_stage_mix_draws_nothing_the_earlier_mix_drew(tmp_path, monkeypatch):
    from training.config import DataConfig
    from training.data import build
    from training.data.common import write_jsonl
    from training.data.scoring import LexicalScorer

    monkeypatch.setattr(build, "BUILD_DIR", tmp_path)
    sizes = dict(wi=30, fce=30, gec_paragraphs=10, cweb=30, c4=10, synthetic_errors=3, unchanged=3, tone_pairs=2,
                 instructions=0, validation_per_kind=1)
    first, first_val, _ = build.build_examples(DataConfig(jfleg_refs_per_source=1, **sizes), "gemma",
                                               scorer=LexicalScorer(), limit_emails=60)
    write_jsonl(tmp_path / "first-gemma" / "train.jsonl", first)
    write_jsonl(tmp_path / "first-gemma" / "validation.jsonl", first_val)
    second, second_val, info = build.build_examples(DataConfig(jfleg_refs_per_source=2, exclude_data="first", **sizes),
                                                    "gemma", scorer=LexicalScorer(), limit_emails=60)
    earlier = first + first_val
    later = second + second_val
    assert {"wi", "fce", "gec_paragraph", "cweb", "c4", "jfleg"} <= set(info["train_counts"])
    assert not {e["source_id"] for e in earlier if e["kind"] != "jfleg"} & {e["source_id"] for e in later}
    # a JFLEG sentence comes back only with a reference not taught before
    assert not {(e["source_id"], e["completion"]) for e in earlier} & {(e["source_id"], e["completion"]) for e in later}
    (tmp_path / "first-gemma" / "manifest.json").write_text('{"data_config": {"seed": 13}}')
    with pytest.raises(SystemExit, match="same seed"):
        build.build_examples(DataConfig(exclude_data="first", seed=14, **sizes), "gemma", scorer=LexicalScorer(), limit_emails=60)
    with pytest.raises(SystemExit, match="not built"):
        build.build_examples(DataConfig(exclude_data="missing", **sizes), "gemma", scorer=LexicalScorer(), limit_emails=60)


def test_paragraphs_join_consecutive_sentences_and_keep_both_sides_aligned():
    pairs = [Pair(f"x:{i}", f"Sentence number {i} has an eror.", f"Sentence number {i} has an error.", "x") for i in range(40)]
    pairs[10] = Pair("x:10", "Heading", "Heading", "x")  # a fragment ends a paragraph instead of joining it
    out = gec_corpora.paragraphs(pairs, random.Random(0))
    assert out
    for source, target, _ in out:
        n = source.count("Sentence number")
        assert 2 <= n <= 6 and target.count("Sentence number") == n
        assert source.replace("eror", "error") == target and "Heading" not in source


def test_sample_takes_the_requested_share_of_changed_sentences():
    pairs = [Pair(str(i), "a b", "a b" if i % 2 else "a c", "x") for i in range(100)]
    chosen = gec_corpora.sample(pairs, 20, random.Random(1), changed_share=0.75)
    assert len(chosen) == 20 and sum(p.changed for p in chosen) == 15


def test_errant_f05_counts_span_edits_like_errant_compare():
    from training.errant_score import corpus_f05, edits

    source = "I has went to the store yesterday and buy apple ."
    reference = "I went to the store yesterday and bought an apple ."
    assert len(edits(source, reference)) == 3
    perfect = corpus_f05([source], [reference], [reference])
    assert perfect["f0.5"] == 100.0 and perfect["fp"] == perfect["fn"] == 0
    copy = corpus_f05([source], [source], [reference])
    assert copy["tp"] == 0 and copy["fn"] == 3 and copy["f0.5"] == 0.0
    # one right edit, one wrong one: P = 1/2, R = 1/3, F0.5 = 1.25 * P * R / (0.25 * P + R)
    partial = corpus_f05([source], ["I has went to the store yesterday and bought apples ."], [reference])
    assert (partial["tp"], partial["fp"], partial["fn"]) == (1, 1, 2)
    assert partial["f0.5"] == round(100 * 1.25 * (1 / 2) * (1 / 3) / (0.25 * (1 / 2) + 1 / 3), 2)


def test_bf16_setting_follows_the_cpu_and_refuses_typos(monkeypatch):
    from training import cpu

    monkeypatch.setattr(cpu, "cpu_flags", lambda: frozenset({"avx2", "avx512_bf16"}))
    assert cpu.use_bf16("auto") and not cpu.use_bf16("off")
    monkeypatch.setattr(cpu, "cpu_flags", lambda: frozenset({"avx2"}))
    assert not cpu.use_bf16("auto") and cpu.use_bf16("on")
    with pytest.raises(ValueError):
        cpu.use_bf16("yes")

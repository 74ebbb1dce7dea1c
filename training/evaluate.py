"""Compare models through the backend's real `Proofreader.proofread()` (same prompt, same guards).

    python -m training.evaluate \\
        --model base-fewshot=gemma3-270m+fewshot \\
        --model tuned=gemma3-270m+models/gemma3-270m-proofread-lora.gguf \\
        --out training/runs/eval-v1 [--limit 50] [--clean-limit 40]

A model spec is LABEL=BASE[+ADAPTER.gguf][+runtime][+fewshot][+2pass][+margin:X][+gguf:PATH] (BASE: gemma3-270m |
smollm2-135m; an adapter is merged into the base as the backend serves it, `+runtime` applies it at every
step instead, `+2pass` proofreads the first output once more, `+margin:X` decodes with Settings.copy_margin X), or `harper=harper` for the rule-based
baseline (harper.js, first suggestion per lint; training/baselines/).
Metrics, on data never trained on:
  JFLEG validation split (training.data.jfleg): GLEU (multi-reference, outputs tokenized like JFLEG),
    exact match with a reference, output/input length ratio, guard fallbacks, seconds per sentence;
  FCE test (--fce-limit N sentences, a fixed seeded sample; 0 = none, -1 = all 2,722): ERRANT span-based
    F0.5, precision, recall (training.errant_score);
  CWEB test sentences both annotators left unchanged (--cweb-limit N): the share that comes back unchanged;
  clean emails from AESLC dev: the share returned unchanged, the share of words changed, seconds per email.
`--split dev` scores FCE dev and the CWEB dev sentences the model's training data (`--trained-on`, every stage's
train.jsonl) did not contain instead: the splits to tune decoding choices on, leaving test untouched.
Writes results.json and results.md. Texts are not written unless
--save-outputs is given (they are public data sets, but the habit of not logging text stays)."""

from __future__ import annotations

import argparse
import json
import random
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from backend.config import Settings, environment_overrides
from backend.diff import changed_word_share
from backend.llama_runtime import chosen_build
from training.data import emails as email_data
from training.data import gec_corpora, jfleg
from training.gleu import corpus_gleu
from training.textnorm import detokenize, tokenize

CLEAN_SEED = 7
SAMPLE_SEED = 11  # fixes which FCE / CWEB test sentences a limited run scores


@dataclass
class ModelSpec:
    label: str
    base: str
    adapter: str = "none"
    few_shot: bool = False
    model_path: str | None = None
    merge: bool = True  # the adapter folded into the base, as the backend serves it; `+runtime` applies it per step
    passes: int = 1  # `+2pass`: proofread the output once more (a classic GEC gain: fixes uncovered by the first pass)
    copy_margin: float | None = None  # None: the served default (Settings.copy_margin)

    @classmethod
    def parse(cls, text: str) -> "ModelSpec":
        label, _, rest = text.partition("=")
        if not rest:
            raise ValueError(f"model spec {text!r} must look like LABEL=BASE[+ADAPTER][+fewshot]")
        base, *parts = rest.split("+")
        spec = cls(label=label, base=base)
        for part in parts:
            if part == "fewshot":
                spec.few_shot = True
            elif part == "runtime":
                spec.merge = False
            elif part == "2pass":
                spec.passes = 2
            elif part.startswith("margin:"):
                spec.copy_margin = float(part[7:])
            elif part.startswith("gguf:"):
                spec.model_path = part[5:]
            else:
                spec.adapter = part
        return spec

    def argument(self) -> str:
        """The `--model` argument that parses back into this spec."""
        if self.base == "harper":
            return f"{self.label}=harper"
        parts = [self.base]
        if self.adapter != "none":
            parts.append(self.adapter)
        parts += ["runtime"] * (not self.merge) + ["fewshot"] * self.few_shot + ["2pass"] * (self.passes == 2)
        if self.copy_margin is not None:
            parts.append(f"margin:{self.copy_margin:g}")
        if self.model_path:
            parts.append(f"gguf:{self.model_path}")
        return f"{self.label}=" + "+".join(parts)


def validation_rows(limit: int | None = None) -> list[dict]:
    """The held-out JFLEG validation sentences in id order (the first `limit` for quick runs)."""
    _, validation = jfleg.split(jfleg.load())
    return sorted(validation, key=lambda r: r["id"])[:limit]


def fce_pairs(limit: int, split: str = "test") -> list[gec_corpora.Pair]:
    """FCE test (or dev) sentences: all of them with limit -1, else a fixed seeded sample. No builder reads FCE dev."""
    if limit == 0:
        return []
    pairs = gec_corpora.load_fce(split, evaluation=True)
    return pairs if limit < 0 else random.Random(SAMPLE_SEED).sample(pairs, min(limit, len(pairs)))


def trained_source_ids(train_jsonls: list[Path]) -> set[str]:
    ids: set[str] = set()
    for path in train_jsonls:
        with open(path, encoding="utf-8") as f:
            ids |= {json.loads(line).get("source_id", "") for line in f}
    return ids


def cweb_unchanged_sources(limit: int, split: str = "test", exclude_ids: set[str] = frozenset()) -> list[str]:
    """CWEB sentences that both annotators left as they were: a proofreader should too. On dev, those
    in `exclude_ids` (the model's training data) are left out."""
    if limit == 0:
        return []
    pairs = gec_corpora.load_cweb(split, evaluation=True)
    sources = [p.source for p in pairs if gec_corpora.unchanged_by_all(p) and p.id not in exclude_ids]
    return sources if limit < 0 else random.Random(SAMPLE_SEED).sample(sources, min(limit, len(sources)))


def clean_emails(limit: int, max_words: int = 80) -> list[str]:
    """A fixed set of already-correct-looking emails from AESLC dev (never used for training)."""
    pool = [e["text"] for e in email_data.load_emails("dev", max_words=max_words) if email_data.looks_clean(e["text"])]
    random.Random(CLEAN_SEED).shuffle(pool)
    return pool[:limit]


def tone_cases(limit: int, skip: int, max_words: int = 80) -> list[tuple[str, str]]:
    """(blunted, polite original) pairs from AESLC dev emails not in the clean set (seeded)."""
    from training.data import tone_pairs

    pool = [e["text"] for e in email_data.load_emails("dev", max_words=max_words) if email_data.looks_clean(e["text"])]
    random.Random(CLEAN_SEED).shuffle(pool)
    cases = []
    for i, text in enumerate(pool[skip:]):
        pair = tone_pairs.make_pair(text, random.Random(f"tone-eval:{i}"))
        if pair:
            cases.append((pair[0].strip(), text))
        if len(cases) >= limit:
            break
    return cases


def settings_for(spec: ModelSpec, threads: int = 2) -> Settings:
    """The backend settings that serve `spec` (every model is built by backend.factory, as served)."""
    if spec.base == "harper":  # the rule-based baseline: `--model harper=harper`
        return Settings(engine="harper")
    from training.base_models import BASES

    kwargs = {"base": spec.base, "adapter": spec.adapter, "merge_adapter": spec.merge, "n_threads": threads,
              "chat_format": BASES[spec.base].chat_format, "few_shot": spec.few_shot}
    if spec.copy_margin is not None:
        kwargs["copy_margin"] = spec.copy_margin
    if spec.model_path:
        kwargs["model_path"] = spec.model_path
    return Settings(**kwargs)


def make_proofreader(spec: ModelSpec, scorer, threads: int = 2):
    from backend.factory import build_proofreader

    proofreader = build_proofreader(settings_for(spec, threads), scorer=scorer)
    return RepeatedProofreader(proofreader, spec.passes) if spec.passes > 1 else proofreader


class RepeatedProofreader:
    """Proofreads the output again while the previous pass changed something, up to `passes` passes;
    the result reads as one proofread of the original."""

    def __init__(self, proofreader, passes: int):
        self.proofreader, self.passes = proofreader, passes

    def proofread(self, text: str):
        from backend.diff import word_diff

        first = result = self.proofreader.proofread(text)
        fallbacks, warnings = list(first.fallbacks), list(first.warnings)
        generated, generate_ms = first.timings.generated_tokens, first.timings.generate_ms
        for _ in range(self.passes - 1):
            if not result.changed:
                break
            result = self.proofreader.proofread(result.corrected)
            fallbacks += [f for f in result.fallbacks if f not in fallbacks]
            warnings += result.warnings
            generated += result.timings.generated_tokens
            generate_ms += result.timings.generate_ms
        timings = result.timings.model_copy(update={"generated_tokens": generated, "generate_ms": generate_ms})
        return result.model_copy(update={"original": text, "changed": result.corrected != text, "diff": word_diff(text, result.corrected),
                                         "scores_before": first.scores_before, "fallbacks": fallbacks, "warnings": warnings,
                                         "timings": timings})


def evaluate_fce(proofreader, pairs: list[gec_corpora.Pair], label: str, progress: bool) -> tuple[dict, list]:
    from tqdm import tqdm

    from training.errant_score import corpus_f05

    outputs = [proofreader.proofread(p.source).corrected for p in tqdm(pairs, desc=f"{label} fce", disable=not progress)]
    scores = corpus_f05([p.source for p in pairs], outputs, [p.target for p in pairs])
    metrics = {"fce_sentences": len(pairs), "fce_f05": scores["f0.5"], "fce_precision": scores["precision"],
               "fce_recall": scores["recall"], "fce_edit_counts": {k: scores[k] for k in ("tp", "fp", "fn")}}
    return metrics, [{"id": p.id, "source": p.source, "output": o} for p, o in zip(pairs, outputs)]


def evaluate_cweb(proofreader, sources: list[str], label: str, progress: bool) -> tuple[dict, list]:
    from tqdm import tqdm

    outputs = [proofreader.proofread(s).corrected for s in tqdm(sources, desc=f"{label} cweb", disable=not progress)]
    kept = sum(o == s for s, o in zip(sources, outputs))
    metrics = {"cweb_unchanged_sentences": len(sources), "cweb_kept_unchanged": round(kept / max(len(sources), 1), 4)}
    return metrics, [{"source": s, "output": o} for s, o in zip(sources, outputs) if o != s]


def evaluate_model(spec: ModelSpec, rows: list[dict], emails: list[str], scorer, progress: bool = True, threads: int = 2,
                   tones: list[tuple[str, str]] = (), fce: list[gec_corpora.Pair] = (), cweb: list[str] = ()) -> tuple[dict, dict]:
    from tqdm import tqdm

    proofreader = make_proofreader(spec, scorer, threads)
    sources, hyps, refs = [], [], []
    exact, ratios, fallbacks, seconds = 0, [], 0, []
    generated_tokens, generate_ms = 0, 0.0
    outputs = {"jfleg": [], "clean": []}
    for row in tqdm(rows, desc=f"{spec.label} jfleg", disable=not progress):
        text = detokenize(row["source"])
        start = time.perf_counter()
        result = proofreader.proofread(text)
        seconds.append(time.perf_counter() - start)
        fallbacks += any(f.guarded for f in result.fallbacks)
        generated_tokens += result.timings.generated_tokens
        generate_ms += result.timings.generate_ms
        hyp = tokenize(result.corrected).split()
        sources.append(row["source"].split())
        hyps.append(hyp)
        refs.append([r.split() for r in row["references"]])
        exact += any(hyp == r.split() for r in row["references"])
        ratios.append(len(hyp) / max(len(row["source"].split()), 1))
        outputs["jfleg"].append({"id": row["id"], "source": text, "output": result.corrected})
    unchanged, changed_words, email_seconds, email_fallbacks = 0, [], [], 0
    for email in tqdm(emails, desc=f"{spec.label} clean", disable=not progress):
        start = time.perf_counter()
        result = proofreader.proofread(email)
        email_seconds.append(time.perf_counter() - start)
        unchanged += result.corrected == email
        email_fallbacks += any(f.guarded for f in result.fallbacks)
        changed_words.append(changed_word_share(email, result.corrected))
        outputs["clean"].append({"source": email, "output": result.corrected})
    tone_rude_before, tone_rude_after, tone_exact, tone_distance = 0, 0, 0, []
    outputs["tone"] = []
    for rough, polite in tqdm(tones, desc=f"{spec.label} tone", disable=not progress):
        result = proofreader.proofread(rough)
        tone_rude_before += result.scores_before.politeness.label == "rude"
        tone_rude_after += result.scores_after.politeness.label == "rude"
        tone_exact += result.corrected == polite
        tone_distance.append(changed_word_share(polite, result.corrected))
        outputs["tone"].append({"source": rough, "output": result.corrected, "polite_original": polite})
    n, m = max(len(rows), 1), max(len(emails), 1)
    metrics = {
        "label": spec.label, "base": spec.base, "adapter": spec.adapter, "few_shot": spec.few_shot,
        "jfleg_sentences": len(rows),
        "gleu": round(100 * corpus_gleu(sources, hyps, refs), 2) if rows else None,
        "exact_match": round(exact / n, 4),
        "length_ratio": round(sum(ratios) / n, 3),
        "jfleg_guard_fallbacks": round(fallbacks / n, 4),
        "s_per_sentence": round(sum(seconds) / n, 3),
        "tokens_per_s": round(generated_tokens / (generate_ms / 1000), 1) if generated_tokens and generate_ms else None,
        "clean_emails": len(emails),
        "clean_unchanged": round(unchanged / m, 4),
        "clean_words_changed": round(sum(changed_words) / m, 4),
        "clean_guard_fallbacks": round(email_fallbacks / m, 4),
        "s_per_email": round(sum(email_seconds) / m, 3),
    }
    metrics["passes"] = spec.passes
    metrics["copy_margin"] = Settings().copy_margin if spec.copy_margin is None else spec.copy_margin
    if fce:
        fce_metrics, outputs["fce"] = evaluate_fce(proofreader, list(fce), spec.label, progress)
        metrics.update(fce_metrics)
    if cweb:
        cweb_metrics, outputs["cweb_changed"] = evaluate_cweb(proofreader, list(cweb), spec.label, progress)
        metrics.update(cweb_metrics)
    if tones:
        metrics.update({"tone_cases": len(tones), "tone_rude_before": round(tone_rude_before / len(tones), 4),
                        "tone_rude_after": round(tone_rude_after / len(tones), 4),
                        "tone_restored_exactly": round(tone_exact / len(tones), 4),
                        "tone_words_off_original": round(sum(tone_distance) / len(tones), 4)})
    return metrics, outputs


def reference_rows(rows: list[dict]) -> dict:
    """GLEU of copying the source, and of one human reference against the other three."""
    sources = [r["source"].split() for r in rows]
    refs = [[x.split() for x in r["references"]] for r in rows]
    human = [[x.split() for x in r["references"][1:]] for r in rows]
    return {
        "copy_source_gleu": round(100 * corpus_gleu(sources, sources, refs), 2),
        "human_ref0_vs_others_gleu": round(100 * corpus_gleu(sources, [r[0] for r in refs], human), 2),
    }


def markdown(results: dict) -> str:
    cols = [("label", "model"), ("gleu", "GLEU"), ("exact_match", "exact match"), ("clean_unchanged", "clean unchanged"),
            ("clean_words_changed", "words changed (clean)"), ("length_ratio", "length ratio"),
            ("jfleg_guard_fallbacks", "guard fallbacks"), ("s_per_sentence", "s/sentence"), ("s_per_email", "s/email")]
    lines = []
    if results["jfleg_sentences"] or results["clean_emails"]:  # a dev-split run scores FCE / CWEB only
        lines += [f"JFLEG validation: {results['jfleg_sentences']} sentences (copy-source GLEU {results['reference']['copy_source_gleu']}, "
                  f"one human reference vs the other three {results['reference']['human_ref0_vs_others_gleu']}); "
                  f"clean AESLC dev emails: {results['clean_emails']}.", "",
                  "| " + " | ".join(c[1] for c in cols) + " |", "|" + "---|" * len(cols)]
        for m in results["models"]:
            cells = []
            for key, _ in cols:
                value = m[key]
                if key in ("exact_match", "clean_unchanged", "clean_words_changed", "jfleg_guard_fallbacks"):
                    value = f"{100 * value:.1f}%"
                cells.append(str(value))
            lines.append("| " + " | ".join(cells) + " |")
    gec = [m for m in results["models"] if m.get("fce_sentences") or m.get("cweb_unchanged_sentences")]
    if gec:
        copy = results["reference"].get("fce_copy_source", {})
        split = results.get("split", "test")
        lines += ["", f"FCE {split}: {results.get('fce_sentences', 0)} sentences, ERRANT span-based F0.5 (copying the source: "
                  f"{copy.get('f0.5', '-')}); CWEB {split}: {results.get('cweb_unchanged_sentences', 0)} sentences both annotators "
                  "left unchanged, share returned unchanged.", "",
                  "| model | passes | copy margin | FCE F0.5 | precision | recall | CWEB kept unchanged |", "|---|---|---|---|---|---|---|"]
        for m in gec:
            kept = f"{100 * m['cweb_kept_unchanged']:.1f}%" if "cweb_kept_unchanged" in m else "-"
            lines.append(f"| {m['label']} | {m.get('passes', 1)} | {m.get('copy_margin', 0.0)} | {m.get('fce_f05', '-')} | "
                         f"{m.get('fce_precision', '-')} | {m.get('fce_recall', '-')} | {kept} |")
    toned = [m for m in results["models"] if m.get("tone_cases")]
    if toned:
        lines += ["", f"Tone restoration: {toned[0]['tone_cases']} polite AESLC dev emails blunted by the training rules "
                  "(never trained on); 'rude' is the backend scorer's label, which decides whether the prompt asks for politeness.", "",
                  "| model | rude before | rude after | restored exactly | words off the polite original |", "|---|---|---|---|---|"]
        for m in toned:
            lines.append(f"| {m['label']} | {100 * m['tone_rude_before']:.1f}% | {100 * m['tone_rude_after']:.1f}% | "
                         f"{100 * m['tone_restored_exactly']:.1f}% | {100 * m['tone_words_off_original']:.1f}% |")
    return "\n".join(lines) + "\n"


def run(specs: list[ModelSpec], out: Path, limit: int | None, clean_limit: int, save_outputs: bool, threads: int = 2,
        tone_limit: int = 0, fce_limit: int = 0, cweb_limit: int = 0, split: str = "test", trained_on: list[Path] = (),
        command: str | None = None) -> dict:
    from training.data.scoring import load_scorer

    scorer, scorer_name = load_scorer("auto")
    rows = validation_rows(limit)
    emails = clean_emails(clean_limit)
    tones = tone_cases(tone_limit, skip=clean_limit) if tone_limit else []
    if split == "dev" and cweb_limit and not trained_on:
        raise SystemExit("--split dev needs --trained-on TRAIN.jsonl: CWEB dev sentences were training data")
    fce = fce_pairs(fce_limit, split)
    cweb = cweb_unchanged_sources(cweb_limit, split, trained_source_ids(trained_on))
    results = {"split": split, "jfleg_sentences": len(rows), "clean_emails": len(emails), "fce_sentences": len(fce),
               "cweb_unchanged_sentences": len(cweb),
               # the dev CWEB sentences depend on what was left out: results are comparable only with the same list
               **({"trained_on": sorted(p.parent.name for p in trained_on)} if split == "dev" else {}),
               # llama.cpp's kernels differ by CPU, and so do the model's outputs, a little (models/README.md)
               "scorer": scorer_name, "llama_threads": threads, "llama_kernels": chosen_build().name,
               "reference": reference_rows(rows), "models": [],
               **({"command": command} if command else {})}
    if fce:
        from training.errant_score import corpus_f05

        results["reference"]["fce_copy_source"] = corpus_f05([p.source for p in fce], [p.source for p in fce], [p.target for p in fce])
    out.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        metrics, outputs = evaluate_model(spec, rows, emails, scorer, threads=threads, tones=tones, fce=fce, cweb=cweb)
        results["models"].append(metrics)
        if save_outputs:
            (out / f"outputs-{spec.label}.json").write_text(json.dumps(outputs, indent=1, ensure_ascii=False))
        (out / "results.json").write_text(json.dumps(results, indent=2))
    (out / "results.md").write_text(markdown(results))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", required=True, help="LABEL=BASE[+ADAPTER][+fewshot]")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None, help="first N validation sentences (by id)")
    parser.add_argument("--clean-limit", type=int, default=60)
    parser.add_argument("--save-outputs", action="store_true", help="also write every output text")
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp threads (1 is faster when the cores are busy)")
    parser.add_argument("--tone-limit", type=int, default=0, help="also score N blunted AESLC dev emails (tone restoration)")
    parser.add_argument("--fce-limit", type=int, default=0, help="also score N FCE test sentences with ERRANT F0.5 (-1: all 2,722)")
    parser.add_argument("--cweb-limit", type=int, default=0, help="also check N unchanged CWEB test sentences come back unchanged (-1: all)")
    parser.add_argument("--split", choices=["test", "dev"], default="test", help="FCE / CWEB split: dev to tune on, test to report")
    parser.add_argument("--trained-on", type=Path, nargs="+", default=[],
                        help="the model's train.jsonl (every stage's): their CWEB dev sentences are left out of --split dev")
    args = parser.parse_args(argv)
    # training.report prints it; with the PROOFREAD_* settings it ran with, it reruns the same evaluation
    command = environment_overrides() + "python -m training.evaluate " + shlex.join(sys.argv[1:] if argv is None else argv)
    results = run([ModelSpec.parse(m) for m in args.model], args.out, args.limit, args.clean_limit, args.save_outputs, args.threads,
                  args.tone_limit, args.fce_limit, args.cweb_limit, args.split, args.trained_on, command)
    print(markdown(results))


if __name__ == "__main__":
    main()

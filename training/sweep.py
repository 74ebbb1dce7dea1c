"""Train several configurations on a step budget and score each on the held-out validation split.

One mechanism serves three experiments (a plan file each, under training/recipes/sweeps/):
  - successive halving: rungs of 20, 40, 60 steps, keep the top third after each rung (model-centric search);
  - data ablation: one rung, keep all, each configuration a different data mix (data-centric);
  - base comparison: one rung, keep all, each configuration a different base model.

    python -m training.sweep --plan training/recipes/sweeps/halving.yaml [--out training/runs/sweep-halving]
    python -m training.sweep --plan ... --report-only      # rewrite the table and plot from sweep.json

Each configuration is the plan's recipe plus `common` and its own `--set`-style overrides. At every
rung it trains (resuming its own checkpoint) up to the rung's step budget, is exported to a GGUF
adapter and evaluated through the backend's real `proofread()` on the first `eval_limit` validation
sentences (GLEU), `clean_limit` clean emails (over-correction) and, where the plan asks, `fce_limit` FCE dev
sentences (ERRANT F0.5) and `cweb_limit` correct CWEB dev sentences that configuration never trained on. Everything is recorded in
<out>/sweep.json after each evaluation, so an interrupted sweep resumes where it stopped; <out>/sweep.md
holds the table and <out>/sweep.png the validation GLEU per rung.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from training.config import REPO_ROOT, load_recipe

RUNS_DIR = REPO_ROOT / "training" / "runs"


@dataclass
class Plan:
    recipe: str
    configs: dict[str, list[str]]
    rungs: list[int]
    keep: float = 1.0
    eval_limit: int = 80
    clean_limit: int = 20
    eval_threads: int = 2  # 1 when two sweeps share the 2 cores
    fce_limit: int = 0  # FCE dev: no data builder reads it, so every configuration is scored on unseen sentences
    cweb_limit: int = 0
    common: list[str] = field(default_factory=list)
    # config name -> the sweep folder that trains and scores it at the same budget (for example the
    # halving's leader in the base comparison). Never trained here: rerun once that sweep recorded it.
    reuse: dict[str, str] = field(default_factory=dict)
    description: str = ""

    @classmethod
    def load(cls, path: Path) -> "Plan":
        raw = yaml.safe_load(Path(path).read_text())
        plan = cls(**raw)
        if sorted(plan.rungs) != plan.rungs or not plan.rungs:
            raise ValueError("rungs must be increasing step budgets")
        return plan


def survivors(results: dict[str, dict], keep: float) -> list[str]:
    """The best ceil(keep * n) configurations by validation GLEU. Early rungs can tie (every output
    rejected by the guards scores the copy-the-source GLEU): validation loss breaks those ties,
    then the name, for determinism."""
    ranked = sorted(results, key=lambda name: (-results[name]["gleu"], results[name].get("eval_loss") or math.inf, name))
    return ranked[: max(1, math.ceil(keep * len(ranked)))]


def recipe_overrides(plan: Plan, name: str, steps: int) -> list[str]:
    overrides = list(plan.common) + list(plan.configs[name]) + [f"train.max_steps={steps}"]
    common = load_recipe(REPO_ROOT / plan.recipe, list(plan.common))
    # A configuration that changes the data gets its own data folder, so mixes never overwrite each other.
    if any(o.startswith("data.") for o in plan.configs[name]) and not any(o.startswith("data.name=") for o in plan.configs[name]):
        overrides.append(f"data.name={common.data.name}-{name}")
    # Checkpoints at every rung boundary, so the next rung resumes exactly where this one stopped, and
    # at least as often as the recipe asks (a rung can outlast a session).
    every = math.gcd(*plan.rungs)
    every = max(d for d in range(1, every + 1) if every % d == 0 and d <= max(common.train.save_steps, 1))
    overrides.append(f"train.save_steps={every}")
    return overrides


def train_and_score(plan: Plan, name: str, steps: int, out: Path, data_dir: Path | None = None) -> dict:
    from training.data.build import data_dir as recipe_data_dir
    from training.evaluate import ModelSpec, clean_emails, cweb_unchanged_sources, evaluate_model, fce_pairs, trained_source_ids, validation_rows
    from training.export import export_adapter
    from training.data.scoring import load_scorer
    from training.train import train

    recipe = load_recipe(REPO_ROOT / plan.recipe, recipe_overrides(plan, name, steps))
    run_dir = out / name
    started = time.time()
    train_metrics = train(recipe, run_dir, resume=True, data_dir=data_dir)
    train_seconds = time.time() - started
    adapter = export_adapter(run_dir / "adapter", run_dir / f"adapter-step{steps}.gguf", recipe.base)
    scorer, _ = load_scorer("auto")
    # Applied at run time, as for the reference row (eval-shipped-60.json): a merged copy of every
    # candidate would leave ~290 MB per adapter in the cache.
    # Exact greedy (copy margin 0): a sweep compares what the models learned, not the served decoding lever.
    spec = ModelSpec(label=name, base=recipe.base, adapter=str(adapter), merge=False, copy_margin=0.0)
    trained = trained_source_ids([(data_dir or recipe_data_dir(recipe)) / "train.jsonl"])
    metrics, _ = evaluate_model(spec, validation_rows(plan.eval_limit), clean_emails(plan.clean_limit), scorer,
                                progress=False, threads=plan.eval_threads, fce=fce_pairs(plan.fce_limit, "dev"),
                                cweb=cweb_unchanged_sources(plan.cweb_limit, "dev", trained))
    metrics.update(
        steps=steps,
        train_seconds=round(train_seconds, 1),
        eval_seconds=round(time.time() - started - train_seconds, 1),
        s_per_step=train_metrics.get("s_per_step"),
        train_tokens_per_s=train_metrics.get("tokens_per_s"),
        eval_loss=train_metrics.get("eval_loss"),
    )
    return metrics


def reused_result(plan: Plan, name: str, steps: int) -> dict | None:
    """The result another sweep recorded for the same overrides and step budget, if it has one."""
    other_dir = REPO_ROOT / plan.reuse[name]
    if not (other_dir / "sweep.json").exists():
        return None
    other = json.loads((other_dir / "sweep.json").read_text())
    if other["plan"]["recipe"] != plan.recipe:
        return None
    wanted = sorted(plan.common + plan.configs[name])
    for config, overrides in other["plan"]["configs"].items():
        if sorted(other["plan"]["common"] + overrides) != wanted:
            continue
        for rung in other["rungs"]:
            if rung["steps"] == steps and config in rung["results"]:
                return {**rung["results"][config], "reused_from": f"{plan.reuse[name]} ({config})"}
    return None


def run_sweep(plan: Plan, out: Path, data_dir: Path | None = None) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    state_path = out / "sweep.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {"rungs": []}
    state["plan"] = plan.__dict__  # the plan file is the truth (a resumed sweep may have gained a rung or a fix)
    alive = list(plan.configs)
    for index, steps in enumerate(plan.rungs):
        if len(state["rungs"]) <= index:
            state["rungs"].append({"steps": steps, "results": {}})
        results = state["rungs"][index]["results"]
        for name in alive:
            if name in results:
                continue  # done before an interruption
            result = reused_result(plan, name, steps) if name in plan.reuse else train_and_score(plan, name, steps, out, data_dir)
            if result is None:
                print(f"{name}: not yet recorded at {steps} steps by {plan.reuse[name]}; rerun this sweep later", flush=True)
                continue
            results[name] = result
            state_path.write_text(json.dumps(state, indent=2))
            write_report(state, out)
        alive = survivors({n: results[n] for n in alive if n in results}, plan.keep)
        state["rungs"][index]["promoted"] = alive
        state_path.write_text(json.dumps(state, indent=2))
    write_report(state, out)
    return state


def markdown(state: dict) -> str:
    plan = state["plan"]
    results = [r for rung in state["rungs"] for r in rung["results"].values()]
    cost = sum(r["train_seconds"] + r["eval_seconds"] for r in results if "reused_from" not in r)
    lines = [
        f"{plan.get('description', '').strip()}",
        "",
        f"Recipe `{plan['recipe']}`, rungs {plan['rungs']} steps, keep {plan['keep']:.2f} per rung; "
        f"validation: first {plan['eval_limit']} JFLEG validation sentences, {plan['clean_limit']} clean emails"
        + (f", {plan.get('fce_limit')} FCE dev sentences (ERRANT F0.5), {plan.get('cweb_limit')} correct CWEB dev sentences "
           "not in that configuration's training data. " if plan.get("fce_limit") else ". ") +
        f"Core time spent: {cost / 3600:.2f} h (training + evaluation; results reused from another sweep not counted).",
        "",
        "| rung (steps) | configuration | overrides | GLEU | exact match | FCE dev F0.5 (P / R) | CWEB dev kept | clean unchanged "
        "| words changed (clean) | validation loss | s/step (train) | tokens/s (llama.cpp) | s/email (llama.cpp) | promoted |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rung in state["rungs"]:
        promoted = set(rung.get("promoted", []))
        for name, m in sorted(rung["results"].items(), key=lambda kv: -kv[1]["gleu"]):
            overrides = " ".join(plan["configs"][name]) or "(recipe as is)"
            label = name + (f" (reused: {m['reused_from']})" if "reused_from" in m else "")
            loss = f"{m['eval_loss']:.4f}" if m.get("eval_loss") is not None else ""
            fce = f"{m['fce_f05']} ({m['fce_precision']} / {m['fce_recall']})" if "fce_f05" in m else ""
            cweb = f"{100 * m['cweb_kept_unchanged']:.1f}%" if "cweb_kept_unchanged" in m else ""
            lines.append(
                f"| {rung['steps']} | {label} | `{overrides}` | {m['gleu']} | {100 * m['exact_match']:.1f}% | {fce} | {cweb} | "
                f"{100 * m['clean_unchanged']:.1f}% | {100 * m['clean_words_changed']:.1f}% | {loss} | {m['s_per_step']} | "
                f"{m.get('tokens_per_s')} | {m.get('s_per_email')} | {'yes' if name in promoted else ''} |"
            )
    return "\n".join(lines) + "\n"


def plot(state: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    for name in state["plan"]["configs"]:
        points = [(r["steps"], r["results"][name]["gleu"]) for r in state["rungs"] if name in r["results"]]
        if points:
            ax.plot(*zip(*points), marker="o", label=name)
    ax.set_xlabel("training steps (rung budget)")
    ax.set_ylabel("validation GLEU")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(state: dict, out: Path) -> None:
    (out / "sweep.md").write_text(markdown(state))
    plot(state, out / "sweep.png")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None, help="default: training/runs/sweep-<plan name>")
    parser.add_argument("--data-dir", type=Path, default=None, help="a prebuilt data folder for every configuration (smoke tests)")
    parser.add_argument("--report-only", action="store_true")
    args = parser.parse_args(argv)
    plan = Plan.load(args.plan)
    out = args.out or RUNS_DIR / f"sweep-{args.plan.stem}"
    if args.report_only:
        write_report(json.loads((out / "sweep.json").read_text()), out)
    else:
        run_sweep(plan, out, args.data_dir)
    print((out / "sweep.md").read_text())


if __name__ == "__main__":
    main()

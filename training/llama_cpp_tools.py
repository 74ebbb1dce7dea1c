"""llama.cpp's official converters (convert_lora_to_gguf.py, convert_hf_to_gguf.py) and their
vendored gguf-py, taken from the llama-cpp-python sdist of the version we serve with, so converter
and runtime formats match. Extracted once into ~/.cache/email-proofreader/llama.cpp."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

from training.base_models import CACHE_DIR

LLAMA_CPP_PYTHON_VERSION = "0.3.36"
TOOLS_DIR = CACHE_DIR / "llama.cpp"
SDIST_DIR = CACHE_DIR / "sdist"
_PREFIX = f"llama_cpp_python-{LLAMA_CPP_PYTHON_VERSION}/vendor/llama.cpp/"
_WANTED = ("convert_lora_to_gguf.py", "convert_hf_to_gguf.py", "conversion/", "gguf-py/", "LICENSE")


def sdist_path() -> Path:
    path = SDIST_DIR / f"llama_cpp_python-{LLAMA_CPP_PYTHON_VERSION}.tar.gz"
    if not path.exists():
        SDIST_DIR.mkdir(parents=True, exist_ok=True)
        # pip serves it from its cache when it was downloaded before (the build of llama-cpp-python does)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-binary", ":all:", "--no-deps",
                        f"llama-cpp-python=={LLAMA_CPP_PYTHON_VERSION}", "-d", str(SDIST_DIR)], check=True)
    return path


def ensure_tools() -> Path:
    """The folder holding the converters (with gguf-py/ beside them)."""
    if (TOOLS_DIR / "conversion").exists() and (TOOLS_DIR / "gguf-py" / "gguf").exists():
        return TOOLS_DIR
    partial = TOOLS_DIR.with_name("llama.cpp.partial")
    with tarfile.open(sdist_path()) as tar:
        members = []
        for member in tar.getmembers():
            if member.name.startswith(_PREFIX) and member.name[len(_PREFIX):].startswith(_WANTED):
                member.name = member.name[len(_PREFIX):]
                members.append(member)
        tar.extractall(partial, members=members, filter="data")
    partial.rename(TOOLS_DIR)
    return TOOLS_DIR


def run_converter(script: str, args: list[str]) -> subprocess.CompletedProcess:
    """Runs a converter with the vendored gguf-py first on the path."""
    tools = ensure_tools()
    # The offline variables come with os.environ (training/__init__.py sets them).
    env = {"PYTHONPATH": str(tools / "gguf-py"), "PATH": "/usr/bin:/bin", "NO_LOCAL_GGUF": ""}
    import os

    env = {**os.environ, **env}
    env.pop("NO_LOCAL_GGUF")
    return subprocess.run([sys.executable, str(tools / script), *args], env=env, check=True, capture_output=True, text=True)

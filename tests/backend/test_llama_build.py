"""The llama.cpp build is portable (issue 13): no AMX and nothing beyond x86-64-v3 in the package itself,
faster kernels only where /proc/cpuinfo has every instruction they use, installed by `make setup` from
its own wheel folder, and a build that crashes stops setup with a clear message."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from backend import llama_builds, llama_runtime
from backend.config import CACHE_DIR
from backend.cpu_features import cpu_flags
from backend.model_files import base_model_path
from tests.conftest import REPO_ROOT

# Reported as "NAME = 1" by llama.cpp but not instruction sets a CPU must have.
NOT_INSTRUCTION_SETS = {"LLAMAFILE", "OPENMP", "REPACK"}
# llama.cpp's name for an instruction set -> the /proc/cpuinfo flags it needs.
NEEDS = {"SSE3": {"pni"}, "SSSE3": {"ssse3"}, "AVX": {"avx"}, "AVX2": {"avx2"}, "F16C": {"f16c"}, "FMA": {"fma"},
         "BMI2": {"bmi2"}, "AVX_VNNI": {"avx_vnni"}, "AVX512": {"avx512f"}, "AVX512_VBMI": {"avx512vbmi"},
         "AVX512_VNNI": {"avx512_vnni"}, "AVX512_BF16": {"avx512_bf16"}, "AMX_INT8": {"amx_int8"}, "AMX_BF16": {"amx_bf16"}}
# The flags of an AWS c7i / GCP C3 Xeon (Sapphire Rapids), where the native build died with SIGILL.
SAPPHIRE_RAPIDS = frozenset("avx avx2 fma f16c bmi2 avx512f avx512cd avx512vl avx512dq avx512bw avx512vbmi "
                            "avx512_vnni avx512_bf16 avx_vnni amx_tile amx_int8 amx_bf16".split())
HASWELL = frozenset("avx avx2 fma f16c bmi2".split())


def compiled_features(kernels: str) -> set[str]:
    """What the loaded CPU kernels were compiled with, in a fresh process (the choice is made once per process)."""
    code = "from backend.llama_runtime import system_info; print(system_info())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT,
                         env={**os.environ, "PROOFREAD_LLAMA_KERNELS": kernels}).stdout
    cpu = out.split("CPU :", 1)[1].split("\n")[0]
    return {name for name, value in re.findall(r"(\w+) = (\d)", cpu) if value == "1"} - NOT_INSTRUCTION_SETS


def test_the_package_build_has_no_amx_and_nothing_beyond_x86_64_v3():
    """Fails on a -march=native build from any AVX512 or AMX machine."""
    features = compiled_features("portable")
    assert {"AVX2", "FMA", "F16C"} <= features  # and still fast: the AVX2 kernels are in
    assert features <= {"SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "BMI2"}, sorted(features)


def test_the_kernels_loaded_here_use_only_instructions_this_cpu_has_and_never_amx():
    features = compiled_features("auto")
    assert not {f for f in features if f.startswith("AMX")}
    missing = {f for f in features if not NEEDS[f] <= cpu_flags()}
    assert not missing, f"kernels compiled for {sorted(missing)}, which this CPU lacks"
    assert llama_runtime.chosen_build() is llama_builds.choose(cpu_flags())


def test_a_cpu_with_every_instruction_of_a_variant_gets_that_variant():
    """The variant's flags are spelled as /proc/cpuinfo spells them (a misspelt one silently kept every
    AVX512 machine on the portable kernels)."""
    features = compiled_features("auto")
    for build in llama_builds.KERNEL_VARIANTS:
        wanted = {name for name, flags in NEEDS.items() if f"-DGGML_{name}=ON" in build.cmake_flags}
        assert {f for n in wanted for f in NEEDS[n]} <= build.cpu_flags, "a variant must require what it compiles"
        if all(NEEDS[n] <= cpu_flags() for n in wanted):  # this CPU could run it
            assert wanted <= features, f"this CPU has {sorted(wanted)} but the loaded kernels use {sorted(features)}"
            break


def test_every_variant_is_free_of_amx_and_is_chosen_only_where_the_cpu_has_all_it_uses():
    for build in llama_builds.BUILDS:
        assert "-DGGML_NATIVE=OFF" in build.cmake_flags and not any("AMX" in f and f.endswith("=ON") for f in build.cmake_flags)
    assert llama_builds.choose(SAPPHIRE_RAPIDS) is llama_builds.AVX512  # AMX machine: AVX512 kernels, no AMX code
    assert llama_builds.choose(HASWELL) is llama_builds.PORTABLE
    assert llama_builds.choose(SAPPHIRE_RAPIDS - {"avx512_bf16"}) is llama_builds.PORTABLE  # one flag short: portable


def test_installed_build_is_the_one_setup_built_from_the_declared_flags():
    """pip's wheel cache ignores build flags: a venv that held a native wheel must get this one reinstalled."""
    folder = llama_builds.wheel_dir(CACHE_DIR)
    source = llama_builds.installed_from()
    assert folder.name in source, f"llama-cpp-python was not installed by `make setup` from {folder}: {source or 'an index'}"
    for build in llama_builds.KERNEL_VARIANTS:
        assert (llama_runtime.kernels_dir() / build.name / llama_builds.KERNELS).exists()


def test_one_token_generates_in_a_child_process():
    llama_runtime.check_generation(base_model_path("gemma3-270m"), n_threads=2)


def test_a_build_that_dies_with_sigill_stops_setup_with_cause_and_fix(monkeypatch):
    monkeypatch.setattr(llama_runtime, "_CHILD", "import os, signal; os.kill(os.getpid(), signal.SIGILL)")
    with pytest.raises(llama_runtime.LlamaBuildError) as error:
        llama_runtime.check_generation(base_model_path("gemma3-270m"))
    message = str(error.value)
    assert "SIGILL" in message and "illegal instruction" in message and "make setup" in message
    assert "AVX2 = 1" in message  # says what the build was compiled with


def test_prepare_exits_with_the_message_instead_of_crashing():
    """Setup's `prepare` step reports a crashing build and exits 1 (the Makefile stops there)."""
    code = ("import sys; from backend import llama_runtime, cli; "
            "llama_runtime._CHILD = 'import os, signal; os.kill(os.getpid(), signal.SIGILL)'; "
            "sys.exit(cli.main(['prepare']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT)
    assert done.returncode == 1
    assert "SIGILL" in done.stderr and "make setup" in done.stderr


def test_requirements_carry_what_the_no_deps_install_of_llama_cpp_python_needs():
    """setup installs the project's wheel with --no-deps, so its dependencies must come from requirements.txt
    (a fresh clone failed `backend prepare` with "No module named 'diskcache'")."""
    from importlib.metadata import requires

    def name(requirement: str) -> str:
        return re.split(r"[ ;<>=!\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")

    needed = {name(r) for r in requires("llama-cpp-python") or [] if "extra ==" not in r}
    listed = {name(line) for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")}
    assert needed and needed <= listed, needed - listed

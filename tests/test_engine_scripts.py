"""The test engine's shell helpers (scripts/engine/lib.sh), run in bash without an engine."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parent.parent / "scripts" / "engine" / "lib.sh"


def _run_lib(state: Path, script: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUTOR_ENGINE_STATE": str(state), "LOG_PREFIX": "t"}
    return subprocess.run(["bash", "-c", f'set -euo pipefail; . "{LIB}"; {script}'],
                          env=env, capture_output=True, text=True, timeout=30)


@pytest.fixture
def live_sleep():
    process = subprocess.Popen(["sleep", "60"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_a_pidfile_naming_another_program_or_nobody_is_removed_and_a_live_one_kept(
        tmp_path: Path, live_sleep: int) -> None:
    # The case that stopped dockerd from starting after a restore: containerd's pidfile
    # named a pid that had been reused by an unrelated, running process.
    reused = tmp_path / "containerd.pid"
    reused.write_text(f"{live_sleep}\n")
    dead = tmp_path / "docker.pid"
    dead.write_text("999999999")
    ours = tmp_path / "sleep.pid"
    ours.write_text(str(live_sleep))
    result = _run_lib(tmp_path, f'clear_stale_pidfiles "{reused}:containerd" "{dead}:dockerd" '
                                f'"{ours}:sleep" "{tmp_path}/absent.pid:dockerd"')
    assert result.returncode == 0, result.stderr
    assert not reused.exists()
    assert not dead.exists()
    assert ours.read_text() == str(live_sleep)
    assert f"pid {live_sleep} is not a running containerd" in result.stderr
    assert "absent.pid" not in result.stderr

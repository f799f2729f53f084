"""Benchmarks: run with `python -m pytest benchmarks` (not part of the test suite)."""

import sys
from pathlib import Path

# Reuse the tests' engine helper and fakes.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

"""Wheel build hook: ship the lessons' parse with them (tutor.lessonfile.prebuilt).

A learner's first start then opens the course as quickly as every later one. Only a
regular wheel gets it: an editable install reads the checkout's lessons/, whose files
change while someone works on them, and parses them into its own cache as before.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltLessons(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))  # the tutor being built, not one installed
        try:
            from tutor.lessonfile.prebuilt import write_prebuilt

            self._out = Path(tempfile.mkdtemp(prefix="docker-tutor-parsed-"))
            count = write_prebuilt(root / "lessons", self._out, root / "tutor")
        finally:
            sys.path.remove(str(root))
        self.app.display_info(f"lessons parsed for the wheel: {count} files")
        build_data["force_include"][str(self._out)] = "tutor/_lessons_parsed"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)

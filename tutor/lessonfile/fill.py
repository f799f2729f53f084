"""The whole course parsed into the parse cache by a process of its own, after a start
that read many lessons from their headers (tutor.lessonfile.headers): the next start
then reads every lesson from the cache and reports every problem at once.

It runs at a lower priority, after the first prompt, on the machine's other core; two
sessions starting at once may both run one, and the last index written wins (each is
complete).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.course.lesson import Course

# After the first prompt is drawn: nothing competes with the start.
FILL_DELAY_SECONDS = 1.0


def fill_later(course: Course, lessons_dir: Path | None, cache_dir: Path | None) -> None:
    """Start the background parse soon, when the course has lessons not yet checked."""
    if not course.unchecked_lessons or lessons_dir is None or cache_dir is None:
        return
    timer = threading.Timer(FILL_DELAY_SECONDS, start_fill, (lessons_dir, cache_dir))
    timer.daemon = True
    timer.start()


def start_fill(lessons_dir: Path, cache_dir: Path) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "tutor.lessonfile.fill", str(lessons_dir), str(cache_dir)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # a Ctrl-C at the tutor's prompt is not for it
    except OSError:
        return None  # the next start reads headers again: slower, nothing lost


def main(argv: list[str]) -> int:
    from tutor.lessonfile.loader import load_course

    lessons_dir, cache_dir = (Path(arg) for arg in argv)
    try:
        os.nice(10)  # the learner's session comes first
    except (AttributeError, OSError):
        pass  # no niceness here (Windows): it still runs after the first prompt
    load_course(lessons_dir, cache_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

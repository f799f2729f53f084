"""The learner's progress: where they are and what they have done, kept in a file
that survives crashes and is shared safely by two sessions."""

from tutor.progress.records import (
    FORMAT_VERSION,
    PASSED,
    SKIPPED,
    LessonRecord,
    Progress,
    StepRecord,
    now_iso,
)
from tutor.progress.store import LoadResult, ProgressStore

__all__ = ["FORMAT_VERSION", "PASSED", "SKIPPED", "LessonRecord", "LoadResult", "Progress",
           "ProgressStore", "StepRecord", "now_iso"]

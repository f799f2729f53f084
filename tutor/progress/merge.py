"""Three-way merge of progress, for two tutor sessions on one data folder.

Each session remembers the progress it last read or wrote (the base). When it
saves, it merges what it has now (ours) with what is on disk (theirs), lesson
by lesson: a lesson only one side changed is taken from that side; a lesson
both changed is merged field by field so that no finished step is lost.
"""

from __future__ import annotations

from typing import Any

from tutor.progress.records import PASSED, SKIPPED

Json = dict[str, Any]

_STATUS_RANK = {None: 0, SKIPPED: 1, PASSED: 2}


def merge_progress(base: Json | None, ours: Json, theirs: Json | None) -> Json:
    """The progress to write: ``ours`` with what the other session did since ``base``."""
    if theirs is None or theirs == base:
        return ours
    base_lessons = (base or {}).get("lessons") or {}
    our_lessons = ours.get("lessons") or {}
    their_lessons = theirs.get("lessons") or {}
    merged: Json = {}
    for lesson_id in dict.fromkeys([*our_lessons, *their_lessons]):
        mine, other, before = (our_lessons.get(lesson_id), their_lessons.get(lesson_id),
                               base_lessons.get(lesson_id))
        result = _merge_lesson(before, mine, other)
        if result is not None:
            merged[lesson_id] = result
    return {**ours, "lessons": merged}


def _merge_lesson(base: Json | None, ours: Json | None, theirs: Json | None) -> Json | None:
    if ours == base:
        return theirs  # only they changed it (or nobody did)
    if theirs == base:
        return ours  # only we changed it (a reset included)
    if ours is None or theirs is None:
        # One side forgot the lesson, the other made progress in it: keep the progress.
        return ours if ours is not None else theirs
    steps: Json = {}
    their_steps = theirs.get("steps") or {}
    our_steps = ours.get("steps") or {}
    for step_id in dict.fromkeys([*their_steps, *our_steps]):
        steps[step_id] = _merge_step(our_steps.get(step_id), their_steps.get(step_id))
    finished = [value for value in (ours.get("completed_at"), theirs.get("completed_at"))
                if value]
    created = list(theirs.get("created") or [])
    created += [item for item in ours.get("created") or [] if item not in created]
    return {
        "completed_at": min(finished) if finished else None,
        "steps": steps,
        "values": {**(theirs.get("values") or {}), **(ours.get("values") or {})},
        "created": created,
        **{key: value for key, value in ours.items()
           if key not in ("completed_at", "steps", "values", "created")},
    }


def _merge_step(ours: Json | None, theirs: Json | None) -> Json:
    if ours is None or theirs is None:
        return ours if ours is not None else theirs  # type: ignore[return-value]
    status = max((ours.get("status"), theirs.get("status")),
                 key=lambda value: _STATUS_RANK.get(value, 0))
    return {
        **theirs,
        **ours,
        "status": status,
        "attempts": max(int(ours.get("attempts") or 0), int(theirs.get("attempts") or 0)),
        "hints": max(int(ours.get("hints") or 0), int(theirs.get("hints") or 0)),
        "revealed": bool(ours.get("revealed")) or bool(theirs.get("revealed")),
    }

"""Three-way merge of progress, for two tutor sessions on one data folder.

Each session remembers the progress it last read or wrote (the base). When it
saves, it merges what it has now (ours) with what is on disk (theirs), lesson
by lesson: a lesson only one side changed is taken from that side; a lesson
both changed is merged field by field so that no finished step is lost. Time
spent adds up what each side added. Quiz answers merge question by question: a
question both sides answered keeps the answers of both.
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
    return {**ours, "lessons": merged,
            "quiz": _merge_quiz((base or {}).get("quiz"), ours.get("quiz"), theirs.get("quiz"))}


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
        "seconds": _added_up(base, ours, theirs),
        **{key: value for key, value in ours.items()
           if key not in ("completed_at", "steps", "values", "created", "seconds")},
    }


def _seconds(record: Json | None) -> float:
    value = (record or {}).get("seconds")
    return float(value) if isinstance(value, (int, float)) else 0.0


def _added_up(base: Json | None, ours: Json | None, theirs: Json | None) -> float:
    """Time spent: what was there, plus what each side added since."""
    before = _seconds(base)
    return round(before + max(0.0, _seconds(ours) - before)
                 + max(0.0, _seconds(theirs) - before), 1)


def _merge_quiz(base: Json | None, ours: Json | None, theirs: Json | None) -> Json | None:
    if theirs is None or theirs == base:
        return ours
    if ours is None or ours == base:
        return theirs
    base_questions = (base or {}).get("questions") or {}
    our_questions = ours.get("questions") or {}
    their_questions = theirs.get("questions") or {}
    questions: Json = {}
    for key in dict.fromkeys([*our_questions, *their_questions]):
        mine, other, before = (our_questions.get(key), their_questions.get(key),
                               base_questions.get(key))
        if mine == before:
            merged = other  # only they answered it since (or nobody did)
        elif other == before:
            merged = mine
        else:
            merged = _merge_question(mine, other)
        if merged is not None:
            questions[key] = merged
    return {"questions": questions, "seconds": _added_up(base, ours, theirs)}


def _merge_question(ours: Json | None, theirs: Json | None) -> Json | None:
    """Both sessions answered the question: every answer of both counts. The card of
    the side that saw all of them stays; otherwise it is computed again when next used
    (its card_reviews no longer matches), the newer side's due date meanwhile."""
    if ours is None or theirs is None:
        return ours if ours is not None else theirs
    reviews = {(item.get("at"), item.get("rating")): item
               for side in (theirs, ours) for item in side.get("reviews") or []
               if isinstance(item, dict)}
    union = [reviews[key] for key in sorted(reviews, key=lambda key: (str(key[0]), str(key[1])))]
    for side in (ours, theirs):
        if len(side.get("reviews") or []) == len(union):
            return {**side, "reviews": union}
    newer = max((ours, theirs), key=lambda side: str(((side.get("reviews") or [{}])[-1])
                                                     .get("at") or ""))
    return {"reviews": union, "card": newer.get("card"),
            "card_reviews": newer.get("card_reviews") or 0}


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

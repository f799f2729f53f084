"""Quiz questions, their identity, FSRS scheduling over simulated days, and which
questions a round picks."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

import pytest
from conftest import SHIPPED_LESSONS
from quizkit import FakeClock, write_quiz_course

from tutor.lessonfile.loader import load_course
from tutor.progress import Progress
from tutor.progress.reviews import AGAIN, GOOD, HARD, QuestionRecord
from tutor.quiz.entries import topic_ids
from tutor.quiz.questions import collect_questions
from tutor.quiz.schedule import from_iso, rating_for, record_answer, refresh, replay
from tutor.quiz.selection import AHEAD, DUE, KNOWN, MISSED, NEW, matching, pick_round
from tutor.quiz.standing import is_due, is_mastered, topic_standings


@pytest.fixture
def lessons(tmp_path):
    return write_quiz_course(tmp_path / "lessons")


@pytest.fixture
def course(lessons):
    loaded = load_course(lessons)
    assert not loaded.problems, loaded.problems
    return loaded


def keyed(course) -> dict[str, str]:
    """step id/mode -> question key"""
    return {f"{q.step.id}/{q.mode}": q.key for q in collect_questions(course)}


# -- the questions ------------------------------------------------------------------------


def test_questions_are_the_quiz_material_once_per_mode(course):
    questions = collect_questions(course)
    assert [f"{q.lesson.id}/{q.step.id}/{q.mode}" for q in questions] == [
        "basics/kernel/ask", "basics/registry/ask", "basics/runtimes/ask",
        "practice/run-web/recall", "practice/run-web/challenge", "practice/list/recall"]
    assert all(q.key.startswith(f"{q.lesson.id}/{q.step.id}/{q.mode}#") for q in questions)
    assert len({q.key for q in questions}) == len(questions)
    assert topic_ids(course, questions) == ["kernel", "registries", "running"]
    assert [q.title for q in questions][:2] == ["What do containers on one host share?",
                                                "Name the public registry run by Docker, Inc."]


def test_a_question_without_topics_is_filed_under_its_lesson(lessons):
    text = (lessons / "basics.yaml").read_text()
    (lessons / "basics.yaml").write_text(text.replace("    topics: [registries]\n", ""))
    course = load_course(lessons)
    registry = next(q for q in collect_questions(course) if q.step.id == "registry")
    assert registry.topics == ("basics",)
    assert [q.step.id for q in matching(collect_questions(course), "basics")] == [
        "kernel", "registry", "runtimes"]  # a lesson id selects its questions


def test_rewording_hints_keeps_the_identity_changing_the_question_does_not(lessons, course):
    before = keyed(course)
    text = (lessons / "basics.yaml").read_text()
    (lessons / "basics.yaml").write_text(
        text.replace("Think about uname -r inside a container.", "uname -r tells.")
        .replace("Containers are processes sharing the host kernel.", "They share it."))
    assert keyed(load_course(lessons)) == before
    (lessons / "basics.yaml").write_text(text.replace("A hypervisor", "A hypervisor (KVM)"))
    changed = keyed(load_course(lessons))
    assert changed["kernel/ask"] != before["kernel/ask"]
    assert {k: v for k, v in changed.items() if k != "kernel/ask"} == {
        k: v for k, v in before.items() if k != "kernel/ask"}
    # Which choice is right is part of the question too.
    (lessons / "basics.yaml").write_text(text.replace(
        "      - text: Nothing at all", "      - text: Nothing at all\n        correct: true"))
    assert keyed(load_course(lessons))["kernel/ask"] not in (before["kernel/ask"],
                                                              changed["kernel/ask"])


def test_answers_to_a_deleted_question_are_ignored(lessons, course):
    clock = FakeClock()
    progress = Progress()
    old = keyed(course)["registry/ask"]
    record_answer(progress.quiz.question(old), AGAIN, clock())
    text = (lessons / "basics.yaml").read_text()
    start = text.index("  - id: registry")
    end = text.index("  - id: runtimes")
    (lessons / "basics.yaml").write_text(text[:start] + text[end:])
    course = load_course(lessons)
    clock.advance(days=1)
    picks = pick_round(collect_questions(course), progress, clock(), count=10)
    assert old not in {pick.question.key for pick in picks}
    assert all(pick.reason == NEW for pick in picks)
    assert "registries" not in topic_standings(collect_questions(course), progress, clock())


# -- scheduling ---------------------------------------------------------------------------


def test_ratings():
    assert rating_for(correct=False, helped=False) == AGAIN
    assert rating_for(correct=False, helped=True) == AGAIN
    assert rating_for(correct=True, helped=True) == HARD
    assert rating_for(correct=True, helped=False) == GOOD


def test_intervals_grow_with_right_answers_over_simulated_days():
    clock = FakeClock()
    record = QuestionRecord()
    gaps = []
    for _ in range(6):
        record_answer(record, GOOD, clock())
        due = from_iso(record.due or "")
        assert due is not None and due > clock()
        gaps.append(due - clock())
        clock.now = due  # answer again exactly when due
    assert gaps[0] < timedelta(hours=1)  # FSRS's first learning step: minutes
    assert gaps[-1] > timedelta(days=20)
    assert all(later > earlier for earlier, later in itertools.pairwise(gaps[1:]))
    assert record.card is not None and record.card["state"] == 2  # graduated: Review
    assert record.card_reviews == len(record.reviews) == 6


def test_a_miss_brings_a_question_back_within_minutes():
    clock = FakeClock()
    record = QuestionRecord()
    for _ in range(4):
        clock.now = from_iso(record.due or "") or clock.now
        record_answer(record, GOOD, clock())
    long_gap = from_iso(record.due or "") - clock()
    clock.now += long_gap
    record_answer(record, AGAIN, clock())
    short_gap = from_iso(record.due or "") - clock()
    assert short_gap < timedelta(hours=1) < long_gap


def test_the_card_is_a_function_of_the_reviews():
    clock = FakeClock()
    record = QuestionRecord()
    for rating, hours in [(GOOD, 0), (AGAIN, 0.2), (GOOD, 30), (HARD, 90), (GOOD, 400)]:
        clock.advance(hours=hours)
        record_answer(record, rating, clock())
    assert record.card == dict(replay(record.reviews).to_dict())
    # An answer recorded out of order (another session's clock) is put in its place.
    early = clock.now - timedelta(hours=10)
    record_answer(record, AGAIN, early)
    assert [r.at for r in record.reviews] == sorted(r.at for r in record.reviews)
    assert record.card == dict(replay(record.reviews).to_dict())


def test_a_stale_card_is_computed_again():
    clock = FakeClock()
    record = QuestionRecord()
    record_answer(record, GOOD, clock())
    clock.advance(days=1)
    record_answer(record, GOOD, clock())
    stale = QuestionRecord(reviews=list(record.reviews), card=None, card_reviews=0)
    assert not stale.fresh
    refresh(stale)
    assert stale.fresh and stale.card == record.card


def test_a_card_written_by_something_else_is_recomputed():
    clock = FakeClock()
    record = QuestionRecord()
    record_answer(record, GOOD, clock())
    record.card = {"nonsense": True}
    clock.advance(minutes=20)
    record_answer(record, GOOD, clock())
    assert record.card == dict(replay(record.reviews).to_dict())


def test_mastery_needs_a_graduated_right_answer_that_is_not_due(course):
    clock = FakeClock()
    progress = Progress()
    key = keyed(course)["kernel/ask"]
    record = progress.quiz.question(key)
    record_answer(record, GOOD, clock())
    assert not is_mastered(record, clock())  # still in FSRS's learning steps
    clock.now = from_iso(record.due or "") or clock.now
    record_answer(record, GOOD, clock())
    assert is_mastered(record, clock())
    standing = topic_standings(collect_questions(course), progress, clock())["kernel"]
    assert (standing.questions, standing.answered, standing.mastered) == (2, 1, 1)
    assert standing.mastery == 0.5
    clock.now = from_iso(record.due or "") or clock.now
    assert is_due(record, clock()) and not is_mastered(record, clock())


# -- picking a round -----------------------------------------------------------------------


def answer(progress, key, rating, clock):
    record_answer(progress.quiz.question(key), rating, clock())


def test_missed_then_due_then_new_then_the_rest(course):
    clock = FakeClock()
    keys = keyed(course)
    progress = Progress()
    for step in ("kernel/ask", "registry/ask", "runtimes/ask"):
        answer(progress, keys[step], GOOD, clock)
    clock.advance(minutes=30)
    answer(progress, keys["runtimes/ask"], GOOD, clock)  # runtimes graduates: due in days
    answer(progress, keys["registry/ask"], AGAIN, clock)
    clock.advance(minutes=30)  # kernel and registry are due now
    picks = pick_round(collect_questions(course), progress, clock(), count=10,
                       rng=random.Random(0))
    assert [(p.question.step.id, p.reason) for p in picks][:2] == [
        ("registry", MISSED), ("kernel", DUE)]
    assert {p.reason for p in picks[2:]} == {NEW}
    # runtimes is mastered and not due: it waits until it is.
    assert "runtimes" not in [p.question.step.id for p in picks]


def test_a_question_answered_once_is_gone_over_again_before_it_is_mastered(course):
    clock = FakeClock()
    keys = keyed(course)
    progress = Progress()
    for key in keys.values():
        answer(progress, key, GOOD, clock)
    picks = pick_round(collect_questions(course), progress, clock(), count=3)
    assert [p.reason for p in picks] == [AHEAD] * 3  # still in the learning steps


def test_only_a_round_with_nothing_else_takes_mastered_questions(course):
    clock = FakeClock()
    progress = Progress()
    keys = keyed(course)
    for key in keys.values():
        answer(progress, key, GOOD, clock)
    clock.advance(hours=1)
    for key in keys.values():
        answer(progress, key, GOOD, clock)
    soonest = min(keys.values(), key=lambda key: progress.quiz.questions[key].due or "")
    picks = pick_round(collect_questions(course), progress, clock(), count=2)
    assert [p.reason for p in picks] == [KNOWN, KNOWN]
    assert picks[0].question.key == soonest


def test_one_question_per_step_and_few_challenges(course):
    picks = pick_round(collect_questions(course), Progress(), FakeClock()(), count=10,
                       rng=random.Random(3))
    steps = [p.question.step.id for p in picks]
    assert len(steps) == len(set(steps)) == 5  # run-web asked once: recall or challenge
    assert sum(p.question.is_challenge for p in picks) <= 1
    assert not any(p.question.is_challenge for p in pick_round(
        collect_questions(course), Progress(), FakeClock()(), count=10, challenges=False))


def test_new_questions_of_opened_lessons_come_first(course):
    progress = Progress()
    progress.lesson("practice").step("run-web")  # the learner opened the practice lesson
    for seed in range(5):
        picks = pick_round(collect_questions(course), progress, FakeClock()(), count=3,
                           rng=random.Random(seed))
        assert {p.question.lesson.id for p in picks[:2]} == {"practice"}


def test_a_topic_round(course):
    questions = matching(collect_questions(course), "registries")
    picks = pick_round(questions, Progress(), FakeClock()(), count=10)
    assert [p.question.step.id for p in picks] == ["registry"]
    assert matching(collect_questions(course), "nothing-like-it") == []


def test_over_simulated_weeks_missed_questions_come_back_far_more_often(course):
    """A learner quizzes once a day for six weeks, a round of two, always right except on
    `registry`, which they always get wrong: it comes back every day; the questions they
    know come back rarely."""
    clock = FakeClock()
    progress = Progress()
    keys = keyed(course)
    asked: dict[str, int] = {}
    for _day in range(42):
        questions = [q for q in collect_questions(course) if q.mode != "challenge"]
        for pick in pick_round(questions, progress, clock(), count=2, rng=random.Random(_day)):
            step = pick.question.step.id
            asked[step] = asked.get(step, 0) + 1
            answer(progress, pick.question.key, AGAIN if step == "registry" else GOOD, clock)
        clock.advance(days=1)
    assert asked["registry"] == 42
    known = [asked.get(step, 0) for step in ("kernel", "runtimes", "run-web", "list")]
    assert all(2 <= count <= 6 for count in known), asked
    late = progress.quiz.questions[keys["kernel/ask"]]
    gap = from_iso(late.due or "") - from_iso(late.reviews[-1].at)
    assert gap > timedelta(days=14)  # well known: weeks between reviews


def test_the_quiz_entries_a_cached_header_keeps_are_the_steps_own(tmp_path):
    """What the start screen counts from lesson headers (tutor.quiz.entries) is what the
    steps themselves say, after a round trip through the parse cache."""
    from tutor.course.lesson import LazySteps
    from tutor.quiz.entries import entries_from_steps, quiz_entries

    load_course(SHIPPED_LESSONS, cache_dir=tmp_path)
    course = load_course(SHIPPED_LESSONS, cache_dir=tmp_path)
    assert all(isinstance(lesson.steps, LazySteps) for lesson in course.lessons)
    noted = quiz_entries(course)
    assert all(lesson.steps._steps is None for lesson in course.lessons)  # type: ignore[attr-defined]
    from_steps = [entry for lesson in course.lessons for entry in entries_from_steps(lesson)]
    assert noted == from_steps and len(noted) > 40
    assert [entry.key for entry in noted] == [q.key for q in collect_questions(course)]

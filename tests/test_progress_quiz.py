"""Progress format 3: quiz answers and time spent, kept atomically, loaded from older
files, and merged without loss when two sessions share one data folder."""

from __future__ import annotations

import json

from quizkit import FakeClock

from tutor.progress import FORMAT_VERSION, Progress, ProgressStore
from tutor.progress.reviews import AGAIN, GOOD, HARD
from tutor.quiz.schedule import record_answer, replay

KEY = "basics/kernel/ask#0123456789ab"
OTHER = "basics/registry/ask#ba9876543210"


def test_quiz_answers_and_time_round_trip(tmp_path):
    clock = FakeClock()
    progress = Progress()
    record_answer(progress.quiz.question(KEY), GOOD, clock())
    progress.quiz.seconds = 42.5
    progress.lesson("basics").seconds = 61.25
    store = ProgressStore(tmp_path / "progress.json")
    store.save(progress)
    raw = json.loads((tmp_path / "progress.json").read_text())
    assert raw["version"] == FORMAT_VERSION == 3
    assert raw["quiz"]["questions"][KEY]["reviews"] == [
        {"at": "2025-03-03T09:00:00+00:00", "rating": GOOD}]
    assert raw["quiz"]["questions"][KEY]["card_reviews"] == 1
    loaded = ProgressStore(tmp_path / "progress.json").load().progress
    assert loaded.quiz.seconds == 42.5 and loaded.lessons["basics"].seconds == 61.2
    record = loaded.quiz.questions[KEY]
    assert record.fresh and record.card == progress.quiz.questions[KEY].card


def test_a_version_2_file_loads_with_no_quiz_history(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({
        "version": 2, "learner": "abc123", "current": {"lesson": "basics", "step": "kernel"},
        "lessons": {"basics": {"completed_at": None, "steps": {"intro": {"status": "passed"}},
                               "values": {}, "created": []}}}))
    result = ProgressStore(path).load()
    assert result.problem is None and result.backup is None
    progress = result.progress
    assert progress.learner == "abc123" and progress.quiz.questions == {}
    assert progress.lessons["basics"].seconds == 0.0
    ProgressStore(path).save(progress)
    assert json.loads(path.read_text())["version"] == 3


def test_bad_quiz_entries_are_dropped_not_fatal(tmp_path):
    path = tmp_path / "progress.json"
    path.write_text(json.dumps({"version": 3, "learner": "x", "current": None, "lessons": {},
                                "quiz": {"questions": {KEY: {"reviews": [
                                    {"at": "2025-01-01T00:00:00+00:00", "rating": 9},
                                    {"at": 5, "rating": 3},
                                    {"at": "2025-01-02T00:00:00+00:00", "rating": 3}],
                                    "card": "nonsense"}}, "seconds": "lots"}}))
    progress = ProgressStore(path).load().progress
    record = progress.quiz.questions[KEY]
    assert [(r.at, r.rating) for r in record.reviews] == [("2025-01-02T00:00:00+00:00", 3)]
    assert record.card is None and not record.fresh
    assert progress.quiz.seconds == 0.0


def two_sessions(tmp_path):
    path = tmp_path / "progress.json"
    ProgressStore(path).save(Progress(learner="me"))
    first, second = ProgressStore(path), ProgressStore(path)
    return path, (first, first.load().progress), (second, second.load().progress)


def test_two_sessions_answering_keep_every_answer(tmp_path):
    clock = FakeClock()
    path, (store_a, mine), (store_b, theirs) = two_sessions(tmp_path)
    record_answer(mine.quiz.question(KEY), GOOD, clock())
    store_a.save(mine)
    clock.advance(minutes=3)
    record_answer(theirs.quiz.question(KEY), AGAIN, clock())
    record_answer(theirs.quiz.question(OTHER), HARD, clock())
    store_b.save(theirs)  # merged with what the first session saved meanwhile
    on_disk = ProgressStore(path).load().progress.quiz.questions
    assert [r.rating for r in on_disk[KEY].reviews] == [GOOD, AGAIN]
    assert [r.rating for r in on_disk[OTHER].reviews] == [HARD]
    # Neither side saw both answers: the card is computed again when next used.
    assert not on_disk[KEY].fresh
    # The saving session now sees the other's answers too.
    assert [r.rating for r in theirs.quiz.questions[KEY].reviews] == [GOOD, AGAIN]
    clock.advance(minutes=1)
    record = theirs.quiz.questions[KEY]
    record_answer(record, GOOD, clock())
    assert record.fresh and record.card == dict(replay(record.reviews).to_dict())


def test_time_spent_in_two_sessions_adds_up(tmp_path):
    path, (store_a, mine), (store_b, theirs) = two_sessions(tmp_path)
    mine.lesson("basics").seconds = 100
    mine.lesson("basics").step("intro").status = "passed"
    mine.quiz.seconds = 10
    store_a.save(mine)
    theirs.lesson("basics").seconds = 40
    theirs.lesson("basics").step("kernel").status = "passed"
    theirs.quiz.seconds = 5
    store_b.save(theirs)
    loaded = ProgressStore(path).load().progress
    assert loaded.lessons["basics"].seconds == 140
    assert loaded.quiz.seconds == 15
    assert set(loaded.lessons["basics"].steps) == {"intro", "kernel"}


def test_a_reset_in_one_session_is_not_undone_by_the_other(tmp_path):
    clock = FakeClock()
    path = tmp_path / "progress.json"
    start = Progress(learner="me")
    record_answer(start.quiz.question(KEY), GOOD, clock())
    ProgressStore(path).save(start)
    store_a, store_b = ProgressStore(path), ProgressStore(path)
    mine, theirs = store_a.load().progress, store_b.load().progress
    store_b.save(theirs)  # the other session saves without touching the quiz
    mine.quiz.questions.clear()
    store_a.save(mine)
    assert ProgressStore(path).load().progress.quiz.questions == {}

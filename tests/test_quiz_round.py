"""A quiz round in the conversation: it takes the learner's lines until it ends, judges
each answer at once, records reviews, and ends with a summary."""

from __future__ import annotations

import random
import re

import pytest
from conftest import FakePractice, saved
from quizkit import FakeClock, right_answer, write_quiz_course, wrong_answer

from tutor.lessonfile.loader import load_course
from tutor.progress.reviews import AGAIN, GOOD, HARD
from tutor.quiz.questions import collect_questions
from tutor.quiz.round import QuizRound
from tutor.quiz.start import Request, read_request, start_quiz
from tutor.steps.choice import ChoiceStep, label


@pytest.fixture
def course(tmp_path):
    loaded = load_course(write_quiz_course(tmp_path / "lessons"))
    assert not loaded.problems
    return loaded


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def quiz(make_talk, course, clock):
    talk = make_talk(course)
    talk.conv.clock = clock
    return talk


def asked(talk):
    round_ = talk.conv.activity
    assert isinstance(round_, QuizRound) and round_.asked is not None
    return round_.asked


def answer_all(talk, right: bool = True) -> str:
    out = ""
    while isinstance(talk.conv.activity, QuizRound):
        current = asked(talk)
        line = right_answer(current) if right else wrong_answer(current)
        if current.question.is_challenge:
            line = "/skip"
        out += talk.say(line)
    return out


def reviews(talk) -> dict[str, list[int]]:
    return {key: [review.rating for review in record.reviews]
            for key, record in talk.conv.progress.quiz.questions.items()}


def test_a_round_asks_judges_and_sums_up(quiz, progress_path):
    out = quiz.say("/quiz kernel")
    assert "Quiz on The kernel: 2 questions (2 new)." in out
    assert "Quiz · 1/2 · The kernel" in out
    assert quiz.conv.toolbar_state() == ("Quiz", 1, 2)
    first = asked(quiz)
    out = quiz.say(right_answer(first))
    assert "✔ Correct!" in out
    assert first.step.explanation.split()[0] in out  # the explanation comes at once
    assert "Quiz · 2/2" in out
    second = asked(quiz)
    out = quiz.say(wrong_answer(second))
    assert "✘ Not quite." in out and "Explanation" in out
    assert re.search(r"The answers?: \(", out)
    assert "Round over: 1 of 2 right (50%)." in out
    assert re.search(r"The kernel\s+│\s+1/2", out)
    if "runtimes" in second.question.key:
        assert "Running containers │   0/1" in out
    assert "Review next: " in out and "/quiz " in out
    assert "Next review: in a minute (2 questions within the hour)." in out  # 1 and 10 min
    assert quiz.conv.activity is None
    ratings = {key.split("/")[1]: value for key, value in reviews(quiz).items()}
    assert ratings == {first.question.step.id: [GOOD], second.question.step.id: [AGAIN]}
    on_disk = saved(progress_path).quiz.questions
    assert {key: [r.rating for r in record.reviews] for key, record in on_disk.items()} == \
        reviews(quiz)


def test_choices_are_shuffled_and_lettered_anew(make_talk, course, clock, progress_path):
    """Over a few seeds the right answer moves; what is printed is what is judged."""
    letters = set()
    for seed in range(6):
        progress_path.unlink(missing_ok=True)  # each round new to the learner
        talk = make_talk(course)
        talk.conv.clock = clock
        start_quiz(talk.conv, Request("kernel", 2), clock, rng=random.Random(seed))
        out = talk.output()
        while "runtimes" in asked(talk).question.key:
            out = talk.say("/skip")
        step = asked(talk).step
        assert isinstance(step, ChoiceStep)
        shown = re.findall(r"^\s+([a-d])\) (.+?)\s*$", out, re.M)
        printed = dict(shown[-4:])
        assert [printed[label(i)] for i in range(4)] == [c.text for c in step.choices]
        right = label(next(iter(step.correct_indexes)))
        letters.add(right)
        assert "✔ Correct!" in talk.say(right)
    assert len(letters) > 1


def test_a_hint_makes_a_right_answer_count_as_helped(quiz):
    quiz.say("/quiz registries")
    out = quiz.say("/hint")
    assert "Hint 1/1" in out and "It is a hub." in out
    assert "No more hints" in quiz.say("/hint")
    out = quiz.say("docker hub")
    assert "✔ Correct!" in out
    assert "Round over: 1 of 1 right (100%), 1 with a hint." in out
    assert list(reviews(quiz).values()) == [[HARD]]


def test_skip_shows_the_answer_and_counts_as_missed(quiz):
    quiz.say("/quiz registries")
    out = quiz.say("/skip")
    assert "✘ Skipped." in out and "The answer: Docker Hub" in out
    assert list(reviews(quiz).values()) == [[AGAIN]]


def test_stop_ends_the_round_early_with_what_was_answered(quiz):
    quiz.say("/quiz")
    quiz.say(right_answer(asked(quiz)) if not asked(quiz).question.is_challenge else "/skip")
    out = quiz.say("/stop")
    assert "Round over (ended early):" in out
    assert quiz.conv.activity is None
    assert len(reviews(quiz)) == 1


def test_lesson_commands_wait_and_others_pass_through(quiz):
    quiz.say("/quiz kernel")
    out = quiz.say("/start basics")
    assert "A quiz round is running: finish it, or /stop" in out
    assert quiz.conv.lesson is None
    out = quiz.say("/help")
    assert "In a quiz: answer the question" in out and "/recap" in out
    out = quiz.say("/progress")
    assert "0 of 2 lessons complete." in out
    assert isinstance(quiz.conv.activity, QuizRound)


def test_a_question_in_words_is_not_counted_as_a_miss(quiz):
    quiz.say("/quiz registries")
    out = quiz.say("what is a registry?")
    assert "That reads like a question" in out
    assert reviews(quiz) == {}
    assert isinstance(quiz.conv.activity, QuizRound)


def test_recall_questions_take_a_docker_command(quiz):
    start_quiz(quiz.conv, Request("running", 3), quiz.conv.clock, rng=random.Random(0))
    seen = set()
    while isinstance(quiz.conv.activity, QuizRound):
        current = asked(quiz)
        seen.add(current.question.mode)
        if current.recall is not None and current.question.step.id == "list":
            assert "unclear" not in quiz.say("docker ps | head")
            out = quiz.say("docker container ls")
            assert "✔ Correct!" in out
        elif current.recall is not None:
            out = quiz.say("docker run --name web busybox sleep 600")
            assert "It needs --detach." in out
            assert "The command: `docker run -d --name web busybox sleep 600`" in out
        else:
            quiz.say("/skip")
    assert "recall" in seen


def test_a_challenge_without_an_engine_is_skipped_in_one_line(quiz, course, clock):
    questions = [q for q in collect_questions(course) if q.is_challenge]
    from tutor.quiz.selection import NEW, Pick

    round_ = QuizRound(quiz.conv, [Pick(questions[0], NEW)])
    quiz.conv.begin_activity(round_)
    round_.begin()
    out = " ".join(quiz.output().split())
    assert "Skipped a practical challenge: it needs the Docker engine (this session does " \
           "not run docker commands). The round goes on." in out
    assert "1 practical challenge skipped (no engine)." in out
    assert quiz.conv.activity is None and reviews(quiz) == {}


def challenge_round(talk, course):
    from tutor.quiz.selection import NEW, Pick

    question = next(q for q in collect_questions(course) if q.is_challenge)
    round_ = QuizRound(talk.conv, [Pick(question, NEW)])
    talk.conv.begin_activity(round_)
    round_.begin()
    return talk.output()


def test_a_challenge_runs_through_the_practice_session(make_talk, course, clock):
    practice = FakePractice(run_result=True)
    talk = make_talk(course, practice=practice)
    talk.conv.clock = clock
    out = challenge_round(talk, course)
    assert "Quiz · 1/1 · challenge · Running containers" in out
    assert "Start a container named `web`" not in out  # the task is rendered, not raw
    assert "A practical challenge: type docker commands" in out
    assert practice.begun == ["_quiz"]
    assert ("enter_step", "run-web") in practice.calls
    assert "This is a practical challenge" in talk.say("sure thing")
    out = talk.say("docker run -d --name web busybox sleep 600")
    assert ("run_command", "docker run -d --name web busybox sleep 600",
            asked_step(course, "run-web")) in practice.calls
    assert "_quiz" in practice.lesson_ids
    assert "✔ Done!" in out and "It runs in the background." in out
    assert ("leave_step", "run-web") in practice.calls
    assert "Round over: 1 of 1 right (100%)." in out
    assert list(reviews(talk).values()) == [[GOOD]]


def asked_step(course, step_id):
    return next(step for lesson in course.lessons for step in lesson.steps if step.id == step_id)


def test_what_a_challenge_made_is_offered_for_removal_at_the_end(make_talk, course, clock):
    practice = FakePractice(run_result=True)
    practice.created = [{"kind": "container", "id": "abc", "name": "web"}]
    talk = make_talk(course, practice=practice)
    challenge_round(talk, course)
    out = talk.say("docker run -d --name web busybox sleep 600")
    assert "Your commands made container web in the challenges. Remove it? [y/N]" in out
    assert talk.conv.activity is not None  # until the question is answered
    out = talk.say("y")
    assert ("remove_created", 1) in practice.calls and "Removed: container web." in out
    assert talk.conv.activity is None


def test_keeping_what_a_challenge_made(make_talk, course, clock):
    practice = FakePractice(run_result=True)
    practice.created = [{"kind": "container", "id": "abc", "name": "web"}]
    talk = make_talk(course, practice=practice)
    challenge_round(talk, course)
    talk.say("docker run -d --name web busybox sleep 600")
    out = talk.say("n")
    assert "Kept: container web." in out
    assert ("remove_created", 1) not in practice.calls


def test_a_round_in_a_lesson_returns_to_the_lesson(make_talk, course, clock):
    practice = FakePractice(run_result=True)
    talk = make_talk(course, practice=practice)
    talk.conv.clock = clock
    talk.say("/start practice")
    assert talk.position == ("practice", "run-web")
    talk.say("/quiz registries")
    assert ("leave_step", "run-web") in practice.calls  # the practice step is set down
    out = talk.say("Docker Hub")
    assert "Round over" in out
    assert "Practice · step 1/2" in out  # back where the learner was
    assert practice.begun[-1] == "practice"
    assert talk.position == ("practice", "run-web")


def test_quit_during_a_round_saves_what_was_answered(quiz, progress_path):
    quiz.say("/quiz registries 1")
    quiz.say("/quit")
    assert quiz.conv.finished and quiz.conv.activity is None
    assert saved(progress_path).quiz.questions == {}
    quiz.conv.finished = False
    quiz.say("/quiz registries")
    quiz.say("Docker Hub")
    assert [list(r.reviews) for r in saved(progress_path).quiz.questions.values()]


def test_due_questions_come_first_in_the_next_round(quiz, clock):
    quiz.say("/quiz registries")
    quiz.say("quay.io")  # missed
    clock.advance(minutes=5)
    out = quiz.say("/quiz")
    assert "1 missed last time" in out
    assert "missed last time" in out.split("Quiz · 1/")[1].splitlines()[0]
    assert "registry" in asked(quiz).question.key


def test_time_in_a_round_counts_as_quiz_time(quiz):
    ticks = iter([100.0, 130.0, 1000.0])
    quiz.conv.timer.clock = lambda: next(ticks)
    quiz.conv.timer.last = 90.0
    quiz.say("/quiz registries")  # 10 s before: no lesson, no quiz
    quiz.say("/hint")  # 30 s in the quiz
    quiz.say("Docker Hub")  # 870 s, capped to 300
    assert quiz.conv.progress.quiz.seconds == 330.0


@pytest.mark.parametrize(("args", "expected"), [
    ("", Request(None, 10)), ("images", Request("images", 10)), ("5", Request(None, 5)),
    ("images 3", Request("images", 3)), ("0", "A round has 1 to 50 questions."),
    ("a b", "Usage: /quiz [topic] [number of questions]"),
])
def test_quiz_arguments(args, expected):
    assert read_request(args) == expected


def test_an_unknown_topic_is_named_with_the_closest(quiz):
    out = quiz.say("/quiz kernal")
    assert "No quiz questions on 'kernal' (did you mean 'kernel'?)." in out
    assert "Topics: kernel, registries, running" in out
    assert quiz.conv.activity is None


def test_quiz_topics_and_recap_lessons_complete_at_the_prompt(quiz):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from tutor.repl.completer import TutorCompleter

    def complete(text: str) -> list[str]:
        return [c.text for c in TutorCompleter(quiz.conv).get_completions(
            Document(text), CompleteEvent())]

    assert complete("/quiz r") == ["registries", "running"]
    assert complete("/quiz ba") == ["basics"]  # a lesson id selects its questions too
    assert complete("/recap pr") == ["practice"]

"""How far the learner is, as data: per lesson (steps done, first-try answers, hints,
time), quiz mastery per topic, what is due for review, and what to do next. /progress
and ``docker-tutor progress`` show it; ``--json`` prints it for scripts; ``--export
FILE.md`` writes it as Markdown to share."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tutor.progress import PASSED, SKIPPED
from tutor.quiz.entries import quiz_entries, topic_ids
from tutor.quiz.schedule import to_iso
from tutor.quiz.standing import due_questions, next_due, topic_standings
from tutor.study.recommend import recommend
from tutor.study.timing import duration

if TYPE_CHECKING:
    from tutor.course.lesson import Course, Lesson
    from tutor.progress import Progress

REPORT_VERSION = 1


@dataclass(frozen=True)
class LessonLine:
    id: str
    title: str
    status: str  # "done", "started" or "not started"
    steps_done: int
    steps: int
    first_try: int  # questions answered right at the first try, without the explanation
    questions: int
    hints: int
    skipped: int
    seconds: float
    completed_at: str | None

    @property
    def fraction(self) -> float:
        return self.steps_done / self.steps if self.steps else 0.0


@dataclass(frozen=True)
class TopicLine:
    id: str
    title: str
    questions: int
    answered: int
    mastered: int
    due: int

    @property
    def mastery(self) -> float:
        return self.mastered / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Report:
    profile: str | None
    generated: str  # ISO, UTC
    course: str
    lessons: tuple[LessonLine, ...]
    topics: tuple[TopicLine, ...]
    quiz_seconds: float
    due_now: int
    next_due: str | None
    next_due_count: int
    next_lesson: str | None  # the recommended lesson's id
    advice: tuple[str, ...]  # what next, in sentences

    @property
    def lessons_done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.status == "done")

    @property
    def lesson_seconds(self) -> float:
        return sum(lesson.seconds for lesson in self.lessons)

    def to_json(self) -> dict[str, Any]:
        lessons = [{**asdict(lesson), "seconds": round(lesson.seconds)} for lesson in self.lessons]
        topics = [{**asdict(topic), "mastery": round(topic.mastery, 3)} for topic in self.topics]
        return {
            "version": REPORT_VERSION, "profile": self.profile, "generated": self.generated,
            "course": self.course, "lessons": lessons,
            "lessons_done": self.lessons_done, "lessons_total": len(self.lessons),
            "quiz": {"topics": topics, "due_now": self.due_now, "next_due": self.next_due,
                     "next_due_count": self.next_due_count,
                     "seconds": round(self.quiz_seconds)},
            "time": {"lessons_seconds": round(self.lesson_seconds),
                     "quiz_seconds": round(self.quiz_seconds),
                     "total_seconds": round(self.lesson_seconds + self.quiz_seconds)},
            "next": {"lesson": self.next_lesson, "advice": list(self.advice)},
        }


def lesson_line(lesson: Lesson, progress: Progress) -> LessonLine:
    record = progress.lessons.get(lesson.id)
    steps = record.steps if record else {}
    questions = [step for step in lesson.steps if step.is_question]
    done = record is not None and record.completed
    finished = sum(1 for step in lesson.steps if steps.get(step.id) and steps[step.id].status)
    first_try = sum(1 for step in questions if (r := steps.get(step.id)) is not None
                    and r.status == PASSED and r.attempts == 0 and not r.revealed)
    return LessonLine(
        id=lesson.id, title=lesson.title,
        status="done" if done else "started" if finished or progress.current_lesson == lesson.id
        else "not started",
        steps_done=finished, steps=len(lesson.steps), first_try=first_try,
        questions=len(questions), hints=sum(r.hints for r in steps.values()),
        skipped=sum(1 for r in steps.values() if r.status == SKIPPED),
        seconds=record.seconds if record else 0.0,
        completed_at=record.completed_at if record else None)


def build_report(course: Course, progress: Progress, now: datetime,
                 profile: str | None = None) -> Report:
    questions = quiz_entries(course)
    standings = topic_standings(questions, progress, now)
    upcoming = next_due(questions, progress, now)
    advice = recommend(course, progress, now)
    lines = []
    if advice.lesson is not None:
        lines.append(f"Next lesson: “{advice.lesson.title}” (/start {advice.lesson.id}).")
    quiz = advice.quiz_advice(course)
    if quiz:
        lines.append(quiz)
    if advice.lesson is None and not quiz:
        lines.append("Every lesson is done and every quiz question is secure for now.")
    return Report(
        profile=profile, generated=to_iso(now), course=course.title,
        lessons=tuple(lesson_line(lesson, progress) for lesson in course.lessons),
        topics=tuple(TopicLine(topic, course.topic_title(topic), s.questions, s.answered,
                               s.mastered, s.due)
                     for topic in topic_ids(course, questions) if (s := standings[topic])),
        quiz_seconds=progress.quiz.seconds,
        due_now=len(due_questions(questions, progress, now)),
        next_due=to_iso(upcoming[0]) if upcoming else None,
        next_due_count=upcoming[1] if upcoming else 0,
        next_lesson=advice.lesson.id if advice.lesson else None,
        advice=tuple(lines))


def bar(fraction: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def report_markdown(report: Report, now: datetime) -> str:
    """The report as a Markdown page a learner can share."""
    from tutor.quiz.summary import next_review

    who = f" ({report.profile})" if report.profile else ""
    out = [f"# Docker tutor: progress{who}", "",
           f"{report.course}. Exported {report.generated[:16].replace('T', ' ')} UTC.", "",
           f"**{report.lessons_done} of {len(report.lessons)} lessons complete**; time spent: "
           f"{duration(report.lesson_seconds)} in lessons, {duration(report.quiz_seconds)} in "
           "quizzes.", "", "## Lessons", "",
           "| lesson | progress | steps | right first time | hints | skipped | time |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for line in report.lessons:
        mark = " ✔" if line.status == "done" else ""
        out.append(f"| {line.title}{mark} | {bar(line.fraction)} {round(100 * line.fraction)}% "
                   f"| {line.steps_done}/{line.steps} | {line.first_try}/{line.questions} "
                   f"| {line.hints} | {line.skipped} | {duration(line.seconds)} |")
    out += ["", "## Quiz mastery", ""]
    if any(topic.answered for topic in report.topics):
        out += ["| topic | mastered | answered | due now |", "| --- | --- | --- | --- |"]
        out += [f"| {topic.title} | {bar(topic.mastery)} {topic.mastered}/{topic.questions} "
                f"| {topic.answered}/{topic.questions} | {topic.due} |" for topic in report.topics]
    else:
        out.append("No quiz taken yet (`docker-tutor quiz`).")
    out += ["", "## Review", ""]
    due = (f"{report.due_now} question{'s' if report.due_now != 1 else ''} due now."
           if report.due_now else "Nothing is due now.")
    if report.next_due:
        from tutor.quiz.schedule import from_iso

        moment = from_iso(report.next_due)
        if moment is not None:
            due += " " + next_review(moment, report.next_due_count, now)
    out += [due, "", "## What next", "", *(f"- {line}" for line in report.advice), ""]
    return "\n".join(out)

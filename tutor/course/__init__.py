"""The course model: lessons, the steps they are made of, and what practice steps
declare. Loading lesson files is ``tutor.lessonfile``'s work."""

from tutor.course.lesson import Course, Lesson, Step, StepHost, Verdict

__all__ = ["Course", "Lesson", "Step", "StepHost", "Verdict"]

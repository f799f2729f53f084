"""What the tutor remembers of quizzes: every answer to every quiz question, and the
spaced-repetition state computed from them.

A question's record keeps its reviews (when, and how well: FSRS's ratings 1-4) and the
scheduler's card computed from the first ``card_reviews`` of them. The reviews are the
truth: two sessions that both quizzed merge by taking the union of their reviews, and
a card computed from fewer reviews than the record holds is computed again
(``tutor.quiz.schedule``). The card's ``due`` is read here without the scheduler, so
the start screen can say what is due without loading it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4  # FSRS's ratings, as stored


@dataclass(frozen=True, order=True)
class Review:
    at: str  # ISO 8601, UTC
    rating: int  # AGAIN (missed) .. EASY

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "rating": self.rating}

    @classmethod
    def from_json(cls, data: Any) -> Review | None:
        if not isinstance(data, dict):
            return None
        at, rating = data.get("at"), data.get("rating")
        if not isinstance(at, str) or not isinstance(rating, int) or not AGAIN <= rating <= EASY:
            return None
        return cls(at, rating)


@dataclass
class QuestionRecord:
    reviews: list[Review] = field(default_factory=list)
    # The scheduler's card (fsrs.Card.to_dict()) after the first card_reviews reviews.
    card: dict[str, Any] | None = None
    card_reviews: int = 0

    @property
    def fresh(self) -> bool:
        """True when the card includes every review."""
        return self.card is not None and self.card_reviews == len(self.reviews)

    @property
    def due(self) -> str | None:
        """When the question is due again (ISO, UTC); None before its first answer."""
        if self.card is None:
            return None
        due = self.card.get("due")
        return due if isinstance(due, str) else None

    @property
    def last_rating(self) -> int | None:
        return self.reviews[-1].rating if self.reviews else None

    def to_json(self) -> dict[str, Any]:
        return {"reviews": [review.to_json() for review in self.reviews],
                "card": self.card, "card_reviews": self.card_reviews}

    @classmethod
    def from_json(cls, data: Any) -> QuestionRecord:
        if not isinstance(data, dict):
            return cls()
        reviews = sorted(review for item in data.get("reviews") or []
                         if (review := Review.from_json(item)) is not None)
        card = data.get("card")
        count = data.get("card_reviews")
        return cls(reviews=reviews, card=card if isinstance(card, dict) else None,
                   card_reviews=count if isinstance(count, int) else 0)


@dataclass
class QuizRecord:
    # By question identity (tutor.quiz.questions: lesson/step/mode#content-hash).
    questions: dict[str, QuestionRecord] = field(default_factory=dict)
    seconds: float = 0.0  # time spent in quizzes

    def question(self, key: str) -> QuestionRecord:
        return self.questions.setdefault(key, QuestionRecord())

    def to_json(self) -> dict[str, Any]:
        return {"questions": {key: record.to_json() for key, record in self.questions.items()},
                "seconds": round(self.seconds, 1)}

    @classmethod
    def from_json(cls, data: Any) -> QuizRecord:
        if not isinstance(data, dict):
            return cls()
        questions = data.get("questions")
        seconds = data.get("seconds")
        return cls(questions={str(key): QuestionRecord.from_json(value)
                              for key, value in (questions or {}).items()}
                   if isinstance(questions, dict) else {},
                   seconds=float(seconds) if isinstance(seconds, (int, float)) else 0.0)

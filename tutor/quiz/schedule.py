"""Spaced repetition with FSRS (the ``fsrs`` package): when each question is due again.

Each answer is a review rated as FSRS rates them: missed (Again), right with help
(Hard: a hint, a typo forgiven), right (Good). The scheduler runs without its random
"fuzz", so a card is a pure function of the question's reviews: two sessions' answers
merged into one list give the same card whichever computes it.

``fsrs`` is imported inside the functions that use it: it loads with the first quiz
answer, never before the first prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from tutor.progress.reviews import AGAIN, GOOD, HARD, QuestionRecord, Review

if TYPE_CHECKING:
    from fsrs import Card, Scheduler

# Now, in UTC; tests pass a clock that moves through simulated days.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def to_iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat()


def from_iso(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def rating_for(correct: bool, helped: bool) -> int:
    """Missed: Again. Right after a hint (or with a typo forgiven): Hard. Right: Good."""
    if not correct:
        return AGAIN
    return HARD if helped else GOOD


def record_answer(record: QuestionRecord, rating: int, at: datetime) -> None:
    """Add a review and bring the question's card up to date."""
    at = at.astimezone(timezone.utc)
    review = Review(to_iso(at), rating)
    in_order = not record.reviews or record.reviews[-1] <= review
    record.reviews.append(review)
    if in_order and record.card is not None and record.card_reviews == len(record.reviews) - 1:
        card = _card_from(record.card)
        if card is not None:
            _store(record, _review(_scheduler(), card, rating, at))
            return
    record.reviews.sort()
    refresh(record, force=True)


def refresh(record: QuestionRecord, force: bool = False) -> None:
    """Compute the card again from every review (after a merge added some)."""
    if record.fresh and not force:
        return
    if not record.reviews:
        record.card, record.card_reviews = None, 0
        return
    _store(record, replay(record.reviews))


def replay(reviews: list[Review]) -> Card:
    from fsrs import Card  # loaded with the first quiz answer, not at start-up

    scheduler = _scheduler()
    first = from_iso(reviews[0].at) or utc_now()
    card = Card(card_id=1, due=first)  # an id of our own: fsrs would sleep to make one
    for review in reviews:
        card = _review(scheduler, card, review.rating, from_iso(review.at) or first)
    return card


def _review(scheduler: Scheduler, card: Card, rating: int, at: datetime) -> Card:
    from fsrs import Rating

    reviewed, _log = scheduler.review_card(card, Rating(rating), review_datetime=at)
    return reviewed


def _store(record: QuestionRecord, card: Card) -> None:
    record.card = dict(card.to_dict())
    record.card_reviews = len(record.reviews)


def _card_from(data: dict[str, Any]) -> Card | None:
    from fsrs import Card

    try:
        return Card.from_dict(data)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None  # written by something else: computed again from the reviews


_SCHEDULER: Scheduler | None = None


def _scheduler() -> Scheduler:
    global _SCHEDULER
    if _SCHEDULER is None:
        from fsrs import Scheduler

        # No fuzz: the same reviews always give the same card (see the module's doc).
        _SCHEDULER = Scheduler(enable_fuzzing=False)
    return _SCHEDULER

"""Quiz-style practice drawn from the lessons' own questions.

``questions`` finds what a quiz may ask (each with an identity that changes when the
question does), ``recall`` judges a typed command by what it means, ``schedule``
keeps each question's spaced-repetition state (FSRS, loaded with the first answer),
``standing`` reads what is due and what is mastered without the scheduler,
``selection`` picks a round, ``round`` asks it in the conversation, and ``summary``
says how it went.
"""

"""Practice steps: running the learner's docker commands and judging the engine's state."""

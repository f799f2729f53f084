"""docker-tutor: an interactive REPL that teaches Docker against a real engine."""

__version__ = "0.1.0"

"""The interactive REPL: a loop over prompt-toolkit plus small factories for its parts."""

"""Guided self-study: how far the learner is (``report``, shown by /progress and
``docker-tutor progress``, exported as JSON or Markdown), the cheat sheet at the end of
a lesson (``recap``), what to do next (``recommend``), and the time spent (``timing``)."""

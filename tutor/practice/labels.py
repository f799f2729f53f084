"""Labels that tell, on a shared engine, whose a container or image is.

- ``org.docker-tutor.learner=ID`` on the containers a learner's ``run`` and
  ``create`` make through the tutor, and on the fixtures set up for them: the
  learner is the one whose progress file holds that ID;
- ``org.docker-tutor.session=ID`` on fixtures: the tutor process that set them
  up, so a later session can tell leftovers of a killed one from a live one's.

Fixture labels themselves are in ``tutor.practice.fixtures``.
"""

LEARNER_LABEL = "org.docker-tutor.learner"
SESSION_LABEL = "org.docker-tutor.session"

"""Allow ``python -m tutor`` as an alias of the ``docker-tutor`` console script."""

import sys

from tutor.cli import main

sys.exit(main())

"""`python -m jobs <worker>` (see jobs/worker.py)."""

import sys

from jobs.worker import main

sys.exit(main())

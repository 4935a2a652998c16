import sys

from bridge_app.cli import main

sys.exit(main())

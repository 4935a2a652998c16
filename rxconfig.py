"""Reflex configuration. Ports come from the command line.

The database is not Reflex's business here: plain SQLModel + Alembic (bridge_app/services/db.py).
"""

import reflex as rx

config = rx.Config(
    app_name="bridge_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
)

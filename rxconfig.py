"""Reflex configuration. Ports come from the command line.

The database is not Reflex's business here: plain SQLModel + Alembic (bridge_app/services/db.py).
"""

import reflex as rx

from bridge_app.settings import get_settings, public_origins

config = rx.Config(
    # CORS (with credentials) and the event socket answer only the app's own origins.
    cors_allowed_origins=public_origins(get_settings()),
    app_name="bridge_app",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
)

"""Reflex configuration. Ports come from the command line; the database URL from settings."""

import reflex as rx

from bridge_app.settings import get_settings

config = rx.Config(
    app_name="bridge_app",
    db_url=get_settings().sqlalchemy_url or None,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin()],
    disable_plugins=[rx.plugins.SitemapPlugin],
)

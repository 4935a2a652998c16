"""Pure domain logic: no database, network, framework or clock access."""

"""The client's address behind a trusted proxy (the ingress): `TRUSTED_PROXIES`.

Behind the ingress every request's peer is the ingress itself; throttles keyed by that would
treat every user as one. X-Forwarded-For is believed only when the peer is a trusted proxy
(anyone can send the header), and then walked from the right past the trusted hops.
"""

from __future__ import annotations

import ipaddress
import logging
from functools import lru_cache
from typing import Any

from bridge_app.settings import get_settings

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def trusted_networks(spec: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    nets = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        try:
            nets.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            log.warning("TRUSTED_PROXIES: %r is not an address or network; ignored", part)
    return tuple(nets)


def is_trusted_proxy(address: str, nets: tuple[Any, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in nets)


def forwarded_client(peer: str | None, forwarded_for: str) -> str | None:
    """Walk X-Forwarded-For from the right while the hop is a trusted proxy: the first
    untrusted address is the client. Without a trusted peer the header is ignored (anyone can
    send it)."""
    nets = trusted_networks(get_settings().TRUSTED_PROXIES)
    if peer is None or not nets or not is_trusted_proxy(peer, nets):
        return peer

    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted_proxy(hop, nets):
            return hop[:64]
    return peer

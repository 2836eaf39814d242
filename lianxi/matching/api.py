"""JSON API for the matching app (mounted by lianxi.api)."""

from ninja import Router

router = Router(tags=["matching"])

"""JSON API for the lists app (mounted by lianxi.api)."""

from ninja import Router

router = Router(tags=["lists"])

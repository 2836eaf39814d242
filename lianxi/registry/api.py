"""JSON API for the registry app (mounted by lianxi.api)."""

from ninja import Router

router = Router(tags=["registry"])

"""JSON API for the meetings app (mounted by lianxi.api)."""

from ninja import Router

router = Router(tags=["meetings"])

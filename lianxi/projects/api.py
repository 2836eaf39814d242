"""JSON API for the projects app (mounted by lianxi.api)."""

from ninja import Router

router = Router(tags=["projects"])

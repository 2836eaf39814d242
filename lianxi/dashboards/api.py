"""JSON API for the dashboards app (mounted by lianxi.api)."""

from ninja import Router

router = Router(tags=["dashboards"])

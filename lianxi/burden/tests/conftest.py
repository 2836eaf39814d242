import pytest


@pytest.fixture(autouse=True)
def _burden_cap(settings):
    """Tests count on the district default cap, whatever the environment says."""
    settings.BURDEN_MONTHLY_CAP = 8

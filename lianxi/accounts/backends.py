"""Authentication backends: login throttling in front of Django's own."""

from axes.backends import AxesStandaloneBackend


class ThrottledLoginBackend(AxesStandaloneBackend):
    """django-axes' check, for logins that come with an HTTP request (the login page,
    /admin/login/). A call without a request (a management command, the test client's
    ``login()``) has no address to throttle and no attacker behind it, so it goes on to Django's
    ModelBackend instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

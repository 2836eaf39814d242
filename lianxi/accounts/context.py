from lianxi.accounts.access import access_for


def access(request):
    """Templates ask ``access.can_manage_conference(...)`` etc. instead of re-deriving roles."""
    return {"access": access_for(request.user)}

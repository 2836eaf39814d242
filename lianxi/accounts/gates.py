"""Which kind of work a signed-in user has, for the page they land on after signing in."""

from lianxi.accounts.access import access_for

# In order of precedence: a person holding several roles lands on the most hands-on one.
STREET, LIAISON, SECRETARIAT, ADMIN, REVIEWER, SUPERUSER, NONE = (
    "street", "liaison", "secretariat", "admin", "reviewer", "superuser", "none")


def landing_role(user) -> str:
    """The role whose work this user lands on: a grassroots unit's confirmations before a liaison's
    inbox before a conference's overview; ``none`` for anonymous users and users without grants."""
    access = access_for(user)
    if not access.is_authenticated:
        return NONE
    if access.street_units:
        return STREET
    if access.liaison_units:
        return LIAISON
    if access.secretariat_conferences:
        return SECRETARIAT
    if access.admin_conferences:
        return ADMIN
    if access.reviewer_conferences:
        return REVIEWER
    if access.is_superuser:
        return SUPERUSER
    return NONE

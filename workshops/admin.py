"""Django finds the admin registrations here; they live in the editorial wing."""

from workshops.editorial import (  # noqa: F401 - importing them registers the admins
    admin,
    admin_accounts,
    admin_capture,
    admin_focus_areas,
    admin_follow_up,
    admin_people,
)

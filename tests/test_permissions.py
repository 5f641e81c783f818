"""Who may do what: the whole table of roles × actions × states, against the one module
that answers it (workshops/editorial/permissions.py). Every admin page, action and service asks
there, so a change of a rule is a change of this table."""

import pytest

from tests.conftest import member
from tests.factories import EventFactory, ProgrammeFactory
from workshops.editorial.permissions import Action, may
from workshops.models import EventStatus

pytestmark = pytest.mark.django_db

STATES = (EventStatus.DRAFT, EventStatus.REVIEW, EventStatus.PUBLISHED, EventStatus.WITHDRAWN)

# For each role and action: may it be done to an event that is a draft, in review,
# published, withdrawn (Y or N in that order), and to events in general (last letter).
TABLE = {
    "Editor": {
        Action.EDIT: "YYNN Y",
        Action.DELETE: "NNNN N",
        Action.SUBMIT: "YNNY Y",
        Action.RETURN_TO_DRAFT: "NYNN Y",
        Action.PUBLISH: "NNNN N",
        Action.WITHDRAW: "NNNN N",
        Action.RECOVER: "NNNN N",
    },
    "Publisher": {
        Action.EDIT: "YYYY Y",
        Action.DELETE: "YYYY Y",
        Action.SUBMIT: "YNNY Y",
        Action.RETURN_TO_DRAFT: "NYNN Y",
        Action.PUBLISH: "NYNN Y",
        Action.WITHDRAW: "NNYN Y",
        Action.RECOVER: "YYYY Y",
    },
    "Administrator": dict.fromkeys(Action, "NNNN N"),
    None: dict.fromkeys(Action, "NNNN N"),  # staff without a role
}


def test_the_table_names_every_action_for_every_role():
    assert all(set(actions) == set(Action) for actions in TABLE.values())


@pytest.mark.parametrize("role", list(TABLE), ids=str)
def test_who_may_do_what(django_user_model, role):
    if role is None:
        user = django_user_model.objects.create_user("tanpa-peran", is_staff=True)
    else:
        user = member(django_user_model, role)
    events = [EventFactory(status=state) for state in STATES]
    for action, expected in TABLE[role].items():
        answers = "".join("Y" if may(user, action, event) else "N" for event in events)
        answers += " " + ("Y" if may(user, action) else "N")
        assert answers == expected, f"{role} {action}"


# The programme dimension: a user listed on programme A (Programme.staff) may do
# nothing to an event of programme B, whatever the role and the state; listed on none,
# the role's table above holds for every programme.
@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_a_role_limited_to_a_programme_may_do_nothing_to_another(django_user_model, role):
    user = member(django_user_model, role)
    mine = ProgrammeFactory(slug="program-a", name="Program A", city="Semarang")
    mine.staff.add(user)
    other = ProgrammeFactory(slug="program-b", name="Program B", city="Surabaya")
    for action, expected in TABLE[role].items():
        own = "".join(
            "Y" if may(user, action, EventFactory(programme=mine, status=state)) else "N"
            for state in STATES
        )
        assert own + " " + ("Y" if may(user, action) else "N") == expected, f"{role} {action}"
        foreign = "".join(
            "Y" if may(user, action, EventFactory(programme=other, status=state)) else "N"
            for state in STATES
        )
        assert foreign == "NNNN", f"{role} {action} on another programme's event"


def test_a_staffer_listed_on_no_programme_works_on_every_programme(editor):
    other = ProgrammeFactory(slug="program-b", name="Program B", city="Surabaya")
    ProgrammeFactory(slug="program-a", name="Program A", city="Semarang").staff.add(
        ProgrammeFactory().staff.model.objects.create(username="lain")
    )
    assert may(editor, Action.EDIT, EventFactory(programme=other, status=EventStatus.DRAFT))

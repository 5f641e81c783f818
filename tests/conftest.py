import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.utils import translation

from workshops.models import Event

WORKSHOP_SLUG = "lokakarya-perdana-program-prioritas-2018-09-26"


@pytest.fixture
def workshop(db):
    """The 26 Sept 2018 workshop, loaded from the committed fixture."""
    call_command("loaddata", "workshop_2018_09_26", verbosity=0)
    return Event.objects.get(slug=WORKSHOP_SLUG)


@pytest.fixture
def staff_user(db, django_user_model):
    """A secretariat staffer: admin access and every permission on the proceedings."""
    user = django_user_model.objects.create_user(
        username="staf", password="kata-sandi-uji", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["workshops", "focus_areas"])
    )
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture(autouse=True)
def indonesian_by_default():
    """Each test starts in the source language, as a request without /en/ would.

    (A request to an /en/ page leaves English active in the test thread, and
    modeltranslation writes `title=` to the active language's column.)
    """
    with translation.override("id"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached pages (the database starts afresh too)."""
    from django.core.cache import cache

    from jakres.core.cache import forget_page_memo
    from workshops.models import forget_default_programme

    cache.clear()
    forget_default_programme()
    forget_page_memo()
    yield
    cache.clear()
    forget_default_programme()
    forget_page_memo()


def member(django_user_model, role, username=None):
    """A staffer in one of the roles created by the roles migration."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username=username or role.lower(), password="sandi-uji-yang-panjang", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(db, django_user_model):
    """A staffer in the Editor role."""
    return member(django_user_model, "Editor")


@pytest.fixture
def publisher(db, django_user_model):
    """A staffer in the Publisher role."""
    return member(django_user_model, "Publisher")


@pytest.fixture
def administrator(db, django_user_model):
    """A staffer in the Administrator role."""
    return member(django_user_model, "Administrator")

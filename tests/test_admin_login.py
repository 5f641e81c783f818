"""Admin login: lockout after repeated failures, password rules, a movable admin URL."""

import importlib

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import clear_url_caches, resolve, reverse

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
    )


def test_repeated_failures_lock_the_login_out(client, django_user_model):
    django_user_model.objects.create_user(
        username="staf", password="kata-sandi-yang-benar-2018", is_staff=True
    )
    for _ in range(4):
        response = login(client, "staf", "salah")
        assert response.status_code == 200
    assert login(client, "staf", "salah").status_code == 429  # the fifth failure locks
    locked = login(client, "staf", "kata-sandi-yang-benar-2018")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode() or "Terlalu banyak" in (
        locked.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_correct_password_logs_in_before_the_limit(client, django_user_model):
    django_user_model.objects.create_user(
        username="staf", password="kata-sandi-yang-benar-2018", is_staff=True
    )
    login(client, "staf", "salah")
    response = login(client, "staf", "kata-sandi-yang-benar-2018")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


@override_settings(AXES_COOLOFF_TIME=1)  # hours, as DJANGO_AXES_COOLOFF_HOURS sets it
def test_the_lockout_lasts_as_long_as_configured(client, django_user_model):
    """The cool-off is the configured one (here an hour, not the default 15 minutes:
    tests/security/test_login_lockout.py covers that): still locked after 59 minutes,
    let in after 61."""
    from tests.security.test_login_lockout import time_passes

    django_user_model.objects.create_user(
        username="staf", password="kata-sandi-yang-benar-2018", is_staff=True
    )
    for _ in range(5):
        login(client, "staf", "salah")
    time_passes(59)
    assert login(client, "staf", "kata-sandi-yang-benar-2018").status_code == 429
    time_passes(2)
    assert login(client, "staf", "kata-sandi-yang-benar-2018").status_code == 302
    assert "_auth_user_id" in client.session


def test_staff_passwords_go_through_djangos_validators(client, django_user_model):
    admin_user = django_user_model.objects.create_user(
        username="admin-kota", password="x", is_staff=True
    )
    admin_user.groups.add(Group.objects.get(name="Administrator"))
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {"username": "staf-baru", "password1": "12345678", "password2": "12345678"},
    )
    assert response.status_code == 200
    assert not django_user_model.objects.filter(username="staf-baru").exists()
    html = response.content.decode()
    assert "errorlist" in html
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "staf-baru",
            "password1": "Prosiding-Jakarta-2018!",
            "password2": "Prosiding-Jakarta-2018!",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert django_user_model.objects.filter(username="staf-baru").exists()


def test_admin_url_can_be_configured():
    import jakres.urls

    try:
        with override_settings(ADMIN_URL="kantor-staf/"):
            moved = importlib.reload(jakres.urls)
            assert resolve("/kantor-staf/", urlconf=moved).app_name == "admin"
            with pytest.raises(Exception):  # noqa: B017 - Resolver404
                resolve("/admin/", urlconf=moved)
    finally:
        importlib.reload(jakres.urls)
        clear_url_caches()

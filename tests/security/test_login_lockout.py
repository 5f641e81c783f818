"""Item 7: the login lockout locks a username from one client address, for a fixed
time that further attempts do not extend, and the address cannot be chosen by the
client (X-Forwarded-For is read only when a trusted proxy header is configured)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-yang-benar-2018"
VICTIM = "203.0.113.7"
ATTACKER = "198.51.100.9"
PROXY = "10.0.0.2"


@pytest.fixture
def staffer(django_user_model):
    return django_user_model.objects.create_user(username="staf", password=PASSWORD, is_staff=True)


def login(client, password, remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        reverse("admin:login"),
        {"username": "staf", "password": password, "next": "/admin/"},
        **extra,
    )


def is_locked_out(response):
    html = response.content.decode()
    return response.status_code == 429 and (
        "Too many failed logins" in html or "Terlalu banyak" in html
    )


def logged_in(client, response):
    return response.status_code == 302 and "_auth_user_id" in client.session


def lock(client, remote_addr, forwarded_for=None):
    responses = [login(client, "salah", remote_addr, forwarded_for) for _ in range(5)]
    assert is_locked_out(responses[-1])
    # In the admin's own frame: its header and title, not Django's defaults.
    html = responses[-1].content.decode()
    assert "Prosiding Jakarta Berketahanan" in html and "| Admin jakres</title>" in html
    assert "Administrasi Django" not in html and "Django administration" not in html
    assert not any(is_locked_out(r) for r in responses[:-1])


def time_passes(minutes):
    """Move every recorded attempt into the past, as if `minutes` had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_attempts_during_a_lockout_do_not_extend_it(client, staffer):
    """A wrong password every few minutes cannot keep an account locked for ever."""
    lock(client, VICTIM)
    time_passes(10)
    assert is_locked_out(login(client, "salah", VICTIM))  # still locked, 5 minutes left
    time_passes(4)
    assert is_locked_out(login(client, "salah", VICTIM))  # still locked, 1 minute left
    time_passes(2)  # 16 minutes after the lockout began
    response = login(client, PASSWORD, VICTIM)
    assert logged_in(client, response)


def test_a_lockout_still_lasts_its_full_time(client, staffer):
    """Not extending a lockout does not shorten it: 14 minutes in, it still holds."""
    lock(client, VICTIM)
    time_passes(14)
    assert is_locked_out(login(client, PASSWORD, VICTIM))
    assert "_auth_user_id" not in client.session


def test_forged_forwarded_for_does_not_lock_someone_else(client, staffer):
    """Without a configured proxy header, X-Forwarded-For cannot frame another address."""
    lock(client, ATTACKER, forwarded_for=VICTIM)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    response = login(client, PASSWORD, VICTIM)
    assert logged_in(client, response)


def test_changing_forwarded_for_does_not_escape_a_lockout(client, staffer):
    """Without a configured proxy header, a new X-Forwarded-For is still the same client."""
    lock(client, ATTACKER, forwarded_for="192.0.2.1")
    for forged in ("192.0.2.2", VICTIM, f"{VICTIM}, 192.0.2.3", ""):
        assert is_locked_out(login(client, PASSWORD, ATTACKER, forwarded_for=forged))
    assert "_auth_user_id" not in client.session


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=1)
def test_clients_behind_the_trusted_proxy_are_locked_independently(client, staffer):
    """Behind the configured proxy, one client's failures do not lock another out."""
    lock(client, PROXY, forwarded_for=ATTACKER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert is_locked_out(login(client, PASSWORD, PROXY, forwarded_for=ATTACKER))
    response = login(client, PASSWORD, PROXY, forwarded_for=VICTIM)
    assert logged_in(client, response)


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_client_cannot_choose_its_address(client, staffer):
    """Addresses a client puts in front of the proxy's entry are ignored."""
    # The proxy appends the address it saw; the client wrote the rest.
    lock(client, PROXY, forwarded_for=f"{VICTIM}, {ATTACKER}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert is_locked_out(login(client, PASSWORD, PROXY, forwarded_for=f"192.0.2.9, {ATTACKER}"))
    assert logged_in(client, login(client, PASSWORD, PROXY, forwarded_for=VICTIM))


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=2)
def test_two_trusted_proxies_use_the_address_the_outer_one_saw(client, staffer):
    """With two proxies, the second entry from the right is the client."""
    lock(client, PROXY, forwarded_for=f"{VICTIM}, {ATTACKER}, 10.0.0.1")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    response = login(client, PASSWORD, PROXY, forwarded_for=f"{VICTIM}, 10.0.0.1")
    assert logged_in(client, response)


@override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=1)
def test_a_malformed_proxy_header_falls_back_to_the_connection(client, staffer):
    """Garbage in the proxy header is not an address: the connection's address is used."""
    lock(client, PROXY, forwarded_for="not-an-address")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def run_production_check(extra_env):
    import subprocess
    import sys

    from django.conf import settings

    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--verbosity=0",
            "-c",
            "from django.conf import settings; "
            "print(settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT)",
        ],
        env={
            "DJANGO_SETTINGS_MODULE": "jakres.settings.production",
            "DJANGO_SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-key-for-checks",
            "DJANGO_ALLOWED_HOSTS": "jakres.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "PATH": "/usr/bin:/bin",
            **extra_env,
        },
        cwd=str(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "extra_env",
    [
        {"DJANGO_TRUSTED_PROXY_HEADER": "X-Forwarded-For", "DJANGO_TRUSTED_PROXY_COUNT": "0"},
        {"DJANGO_TRUSTED_PROXY_HEADER": "X-Forwarded-For; evil"},
    ],
)
def test_production_refuses_a_nonsensical_proxy_configuration(extra_env):
    """A proxy count below one or a header that is no header name stops production."""
    result = run_production_check(extra_env)
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_HEADER must be a header name" in result.stderr


def test_production_reads_the_proxy_configuration():
    """Production takes the proxy header and count from the environment; none by default."""
    assert run_production_check({}).stdout.split() == ["None", "1"]
    configured = run_production_check(
        {"DJANGO_TRUSTED_PROXY_HEADER": "X-Forwarded-For", "DJANGO_TRUSTED_PROXY_COUNT": "2"}
    )
    assert configured.stdout.split() == ["X-Forwarded-For", "2"], configured.stderr

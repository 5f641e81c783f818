"""Item 6: what the Administrator role may do to staff accounts and to the role groups,
and that every role change and every password set for someone else is recorded and
reported to the superusers."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.admin_forms import form_data
from tests.conftest import member

pytestmark = pytest.mark.django_db

ROLES = ("Editor", "Publisher", "Administrator")
NEW_PASSWORD = "Prosiding-Jakarta-2018-baru!"


@pytest.fixture
def administrator(django_user_model):
    return member(django_user_model, "Administrator", "admin-kota")


@pytest.fixture
def editor(django_user_model):
    return member(django_user_model, "Editor", "penyunting")


@pytest.fixture
def superusers(django_user_model):
    """Two superusers who receive the notices, and one without an address."""
    return [
        django_user_model.objects.create_superuser("akar", "akar@example.org", "x"),
        django_user_model.objects.create_superuser("kepala", "kepala@example.org", "x"),
        django_user_model.objects.create_superuser("tanpa-surel", "", "x"),
    ]


def user_log(user):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)
    )


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_administrator_cannot_change_their_own_groups(client, administrator, superusers):
    """No one gives themself a role: own groups are read-only, a crafted POST is ignored."""
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[administrator.pk])
    page = client.get(url).content.decode()
    data = form_data(page, "user_form")
    publisher = Group.objects.get(name="Publisher")
    data["groups"] = [str(publisher.pk)]  # crafted: Publisher added to one's own roles
    data["first_name"] = "Adi"
    response = client.post(url, data)
    assert response.status_code == 302  # the rest of the form is saved as usual
    administrator.refresh_from_db()
    assert administrator.first_name == "Adi"
    assert group_names(administrator) == {"Administrator"}
    assert 'name="groups"' not in page  # shown read-only, not as a field
    groups_row = page.split('class="form-row field-groups')[1]
    assert '<div class="readonly">Administrator</div>' in groups_row.split("</fieldset>")[0]


def test_superuser_cannot_change_their_own_groups_either(client, superusers):
    """The own-groups rule holds for superusers too (their roles are set by another)."""
    root = superusers[0]
    client.force_login(root)
    url = reverse("admin:auth_user_change", args=[root.pk])
    data = form_data(client.get(url).content.decode(), "user_form")
    data["groups"] = [str(Group.objects.get(name="Editor").pk)]
    client.post(url, data)
    assert group_names(root) == set()


@pytest.mark.parametrize("role", ROLES)
def test_administrator_cannot_delete_a_role_group(client, administrator, role):
    """The three role groups survive an Administrator's delete page and crafted POST."""
    group = Group.objects.get(name=role)
    client.force_login(administrator)
    url = reverse("admin:auth_group_delete", args=[group.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 403
    assert Group.objects.filter(pk=group.pk, name=role).exists()
    assert group.permissions.exists()


def test_administrator_cannot_bulk_delete_a_role_group(client, administrator):
    """The changelist's delete action refuses role groups too."""
    editor_group = Group.objects.get(name="Editor")
    client.force_login(administrator)
    client.post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [editor_group.pk], "post": "yes"},
    )
    assert Group.objects.filter(name="Editor").exists()


def test_administrator_cannot_rename_a_role_group(client, administrator):
    """A role group's name is read-only for an Administrator."""
    group = Group.objects.get(name="Publisher")
    client.force_login(administrator)
    url = reverse("admin:auth_group_change", args=[group.pk])
    page = client.get(url).content.decode()
    assert 'name="name"' not in page
    client.post(url, {"name": "Penerbit-palsu", "permissions": []})
    group.refresh_from_db()
    assert group.name == "Publisher"
    assert group.permissions.exists()


def test_administrator_may_manage_other_groups(client, administrator):
    """Groups that are not roles stay the Administrator's to rename and delete."""
    extra = Group.objects.create(name="Tamu")
    client.force_login(administrator)
    client.post(reverse("admin:auth_group_change", args=[extra.pk]), {"name": "Tamu-2"})
    extra.refresh_from_db()
    assert extra.name == "Tamu-2"
    client.post(reverse("admin:auth_group_delete", args=[extra.pk]), {"post": "yes"})
    assert not Group.objects.filter(pk=extra.pk).exists()


def test_superuser_may_delete_a_role_group(client, superusers):
    """Only a superuser deletes a role group."""
    client.force_login(superusers[0])
    group = Group.objects.get(name="Editor")
    client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"})
    assert not Group.objects.filter(name="Editor").exists()


def test_setting_another_users_password_is_recorded_and_mailed(
    client, administrator, editor, superusers, mailoutbox, django_capture_on_commit_callbacks
):
    """An Administrator may set a staffer's password; the superusers hear of it."""
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[editor.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
        )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)

    messages = [entry.get_change_message() for entry in user_log(editor)]
    assert any(
        "admin-kota" in message and "penyunting" in message and "password" in message.lower()
        for message in messages
    ), messages
    entry = user_log(editor).filter(change_message__contains="admin-kota").get()
    assert entry.user == administrator

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == ["akar@example.org", "kepala@example.org"]
    assert "password" in mail.subject.lower()
    assert "penyunting" in mail.subject
    assert "admin-kota" in mail.body and "penyunting" in mail.body
    assert NEW_PASSWORD not in mail.body
    assert f"/admin/auth/user/{editor.pk}/history/" in mail.body


def test_role_change_of_another_user_is_recorded_and_mailed(
    client, administrator, editor, superusers, mailoutbox, django_capture_on_commit_callbacks
):
    """Giving or taking a role is allowed for another user, and recorded and reported."""
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    data = form_data(client.get(url).content.decode(), "user_form")
    data["groups"] = [str(Group.objects.get(name="Publisher").pk)]  # Editor out, Publisher in
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert group_names(editor) == {"Publisher"}

    entry = user_log(editor).filter(change_message__contains="admin-kota").get()
    message = entry.get_change_message()
    assert "added Publisher" in message and "removed Editor" in message
    assert entry.user == administrator

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == ["akar@example.org", "kepala@example.org"]
    assert "role" in mail.subject.lower() and "penyunting" in mail.subject
    assert "added Publisher" in mail.body and "removed Editor" in mail.body
    assert "admin-kota" in mail.body


def test_saving_a_user_without_a_role_change_sends_nothing(
    client, administrator, editor, superusers, mailoutbox, django_capture_on_commit_callbacks
):
    """Only real role changes are reported, not every save of a user page."""
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    data = form_data(client.get(url).content.decode(), "user_form")
    data["first_name"] = "Siti"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert mailoutbox == []
    assert not user_log(editor).filter(change_message__contains="admin-kota").exists()


def test_administrator_cannot_set_a_superusers_password(client, administrator, superusers):
    """A superuser's password is out of an Administrator's reach."""
    root = superusers[0]
    client.force_login(administrator)
    url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert response.status_code == 403
    root.refresh_from_db()
    assert not root.check_password(NEW_PASSWORD)

"""Staff accounts: Administrators manage users and give them roles (groups), but only
a superuser grants superuser status, single permissions or a group's permissions,
or touches a superuser's account. Otherwise an Administrator could raise themself.

Also:
- no one changes their own groups (the field is read-only on one's own page, so a
  crafted POST cannot change it either);
- the three role groups (Editor, Publisher, Administrator) are renamed or deleted only
  by a superuser;
- every role change (groups added to or removed from a user) and every password set for
  another user is written to the user's admin history and mailed to every superuser
  with an email address.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters

logger = logging.getLogger("jakres.accounts")

RESERVED_USER_FIELDS = ("is_superuser", "user_permissions")
# Created by workshops/migrations/0003_roles.py.
ROLE_GROUPS = ("Editor", "Publisher", "Administrator")


def notify_superusers(request, subject, body):
    """Mail every active superuser with an address, once the change is committed."""
    recipients = sorted(
        User.objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return

    def send():
        try:
            send_mail(subject, body, None, recipients)
        except Exception:
            # The admin history keeps the record; a mail server outage must not undo it.
            logger.exception("could not mail the superusers: %s", subject)

    transaction.on_commit(send)


def describe_actor(request):
    return f"{request.user.get_username()} (id {request.user.pk})"


def now_text():
    return f"{timezone.localtime():%Y-%m-%d %H:%M:%S %Z}"


def history_link(request, user):
    return request.build_absolute_uri(reverse("admin:auth_user_history", args=[user.pk]))


class StaffUserAdmin(UserAdmin):
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": tuple(
                field for field in options.get("fields", ()) if field not in RESERVED_USER_FIELDS
            )})
            for name, options in fieldsets
        ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.pk == request.user.pk:
            # No one gives themself a role, superusers included.
            return (*readonly, "groups")
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = set(user.groups.values_list("name", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(user.groups.values_list("name", flat=True))
        if before != after:
            self.record_role_change(request, user, sorted(after - before), sorted(before - after))

    def record_role_change(self, request, user, added, removed):
        name = user.get_username()
        parts = [f"added {', '.join(added)}"] if added else []
        if removed:
            parts.append(f"removed {', '.join(removed)}")
        change = "; ".join(parts)
        done = f"Roles of {name} changed by {describe_actor(request)}: {change}."
        self.log_change(request, user, done)
        now_roles = ", ".join(user.groups.order_by("name").values_list("name", flat=True))
        notify_superusers(
            request,
            f"[{settings.SITE_NAME}] Role change: {name}",
            f"{done}\nAccount: {name} (id {user.pk}), at {now_text()}.\n"
            f"Roles now: {now_roles or 'none'}.\n\n"
            f"History of the account: {history_link(request, user)}\n",
        )

    @method_decorator(sensitive_post_parameters())
    def user_change_password(self, request, id, form_url=""):
        target = self.get_object(request, unquote(id))
        old_hash = target.password if target is not None else None
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and target is not None and target.pk != request.user.pk:
            target.refresh_from_db()
            if target.password != old_hash:
                self.record_password_change(request, target)
        return response

    def record_password_change(self, request, user):
        name = user.get_username()
        if user.has_usable_password():
            done = f"Password of {name} set by {describe_actor(request)}."
        else:
            done = f"Password login of {name} disabled by {describe_actor(request)}."
        self.log_change(request, user, done)
        notify_superusers(
            request,
            f"[{settings.SITE_NAME}] Password set for another user: {name}",
            f"{done}\nAccount: {name} (id {user.pk}), at {now_text()}.\n\n"
            "If this was not agreed, disable the account and check its history: "
            f"{history_link(request, user)}\n",
        )


class StaffGroupAdmin(GroupAdmin):
    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        readonly = (*readonly, "permissions")
        if obj is not None and obj.name in ROLE_GROUPS:
            readonly = (*readonly, "name")
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in ROLE_GROUPS and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, StaffGroupAdmin)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page inside the admin's own frame (its
    header and title), which django-axes' template rendering leaves out."""
    return render(
        request,
        "admin/locked_out.html",
        admin.site.each_context(request),
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )

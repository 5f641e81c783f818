"""The secretariat's roles, as Django groups.

Editor: creates and edits drafts, submits them for review.
Publisher: everything an Editor does, plus publishing, withdrawing and deleting events.
Administrator: manages staff accounts and their groups, and unlocks locked-out logins.
"""

from django.db import migrations

CONTENT_APPS = ("workshops", "focus_areas")


def content_codenames(apps, *, with_event_delete):
    codenames = []
    for app_label in CONTENT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            name = model._meta.model_name
            if name.startswith("historical"):
                continue
            for action in ("add", "change", "view", "delete"):
                if action == "delete" and name == "event" and not with_event_delete:
                    continue
                codenames.append((app_label, f"{action}_{name}"))
    return codenames


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(pairs):
        found = []
        for app_label, codename in pairs:
            found.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        return found

    editor = content_codenames(apps, with_event_delete=False) + [("workshops", "submit_event")]
    publisher = content_codenames(apps, with_event_delete=True) + [
        ("workshops", "submit_event"),
        ("workshops", "publish_event"),
    ]
    administrator = [
        ("auth", f"{action}_{model}")
        for model in ("user", "group")
        for action in ("add", "change", "view", "delete")
    ] + [("axes", f"{action}_accessattempt") for action in ("view", "delete")]
    administrator += [
        (app_label, f"view_{model._meta.model_name}")
        for app_label in CONTENT_APPS
        for model in apps.get_app_config(app_label).get_models()
    ]

    for name, pairs in (
        ("Editor", editor),
        ("Publisher", publisher),
        ("Administrator", administrator),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions(pairs))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editor", "Publisher", "Administrator"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0002_uploads_and_workflow_permissions"),
        ("focus_areas", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]


import django.db.models.deletion
import jakres.core.constraints
from django.db import migrations, models


def organiser_to_rows(apps, schema_editor):
    Event = apps.get_model("workshops", "Event")
    EventOrganiser = apps.get_model("workshops", "EventOrganiser")
    EventOrganiser.objects.bulk_create(
        EventOrganiser(event_id=event_id, organisation_id=organiser_id, role="organiser", order=1)
        for event_id, organiser_id in Event.objects.filter(organiser__isnull=False)
        .values_list("pk", "organiser_id")
        .iterator()
    )


def grant_roles(apps, schema_editor):
    """Organiser rows are event content: Editors and Publishers work on them (as on the
    other parts, 0003_roles), Administrators see them."""
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config("workshops")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    found = Permission.objects.filter(
        content_type__app_label="workshops", content_type__model="eventorganiser"
    )
    for group in Group.objects.filter(name__in=["Editor", "Publisher"]):
        group.permissions.add(*found)
    for group in Group.objects.filter(name="Administrator"):
        group.permissions.add(*found.filter(codename="view_eventorganiser"))


def rows_to_organiser(apps, schema_editor):
    """Back to one organiser: each event's first row in the role "organiser" (else its
    first row); partners and supporters are lost."""
    Event = apps.get_model("workshops", "Event")
    EventOrganiser = apps.get_model("workshops", "EventOrganiser")
    first = {}
    for row in EventOrganiser.objects.order_by("event_id", "role", "order").iterator():
        # "organiser" sorts before "partner" and "supporter".
        first.setdefault(row.event_id, row.organisation_id)
    for event_id, organisation_id in first.items():
        Event.objects.filter(pk=event_id).update(organiser_id=organisation_id)


class Migration(migrations.Migration):

    dependencies = [
        ('workshops', '0010_trigram_extension'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventOrganiser',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('organiser', 'Organiser'), ('partner', 'Partner'), ('supporter', 'Supporter')], default='organiser', max_length=20, verbose_name='role')),
                ('order', models.PositiveSmallIntegerField(verbose_name='order')),
            ],
            options={
                'verbose_name': 'organiser',
                'verbose_name_plural': 'organisers',
                'ordering': ('event', 'order'),
            },
            bases=(jakres.core.constraints.ReadableConstraints, models.Model),
        ),
        migrations.AddField(
            model_name='session',
            name='date',
            field=models.DateField(blank=True, help_text="Only if the session is on another day than the event's first.", null=True, verbose_name='day'),
        ),
        migrations.AddField(
            model_name='session',
            name='end_time',
            field=models.TimeField(blank=True, null=True, verbose_name='ends at'),
        ),
        migrations.AddField(
            model_name='session',
            name='start_time',
            field=models.TimeField(blank=True, null=True, verbose_name='starts at'),
        ),
        migrations.AddConstraint(
            model_name='session',
            constraint=models.CheckConstraint(condition=models.Q(('start_time__isnull', True), ('end_time__isnull', True), ('end_time__gt', models.F('start_time')), _connector='OR'), name='session_end_time_after_start', violation_error_message='A session ends after it starts.'),
        ),
        migrations.AddField(
            model_name='eventorganiser',
            name='event',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='organisers', to='workshops.event', verbose_name='event'),
        ),
        migrations.AddField(
            model_name='eventorganiser',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='event_roles', to='workshops.organisation', verbose_name='organisation'),
        ),
        migrations.AddConstraint(
            model_name='eventorganiser',
            constraint=models.UniqueConstraint(fields=('event', 'order'), name='eventorganiser_unique_order_in_event', violation_error_message='Two rows here are in the same position: move one of them and save again.'),
        ),
        migrations.AddConstraint(
            model_name='eventorganiser',
            constraint=models.UniqueConstraint(fields=('event', 'organisation'), name='eventorganiser_unique_organisation_in_event', violation_error_message='This organisation is already listed for this event: give it one row, with its role.'),
        ),
        # Each event's one organiser becomes its first organiser row, as "organiser".
        migrations.RunPython(organiser_to_rows, rows_to_organiser),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='event',
            name='organiser',
        ),
    ]

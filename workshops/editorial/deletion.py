"""The delete confirmation of an event (or of one of its parts) lists every row that
goes with it, each by its name, with a link and a permission check. Django's
get_deleted_objects() names each row by its __str__ and checks it by its admin's
has_delete_permission(): both follow foreign keys (a session's event, a speaker's
person, a shock's hazard), one query a row. Here the rows' foreign keys are set from
the rows collected themselves, and the others read once per model, before they are
named: the page's queries no longer grow with the event's size."""

from django.contrib.admin.utils import NestedObjects, quote
from django.db import router
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst


def prime_relations(instances) -> None:
    """Points each instance's forward foreign keys (by primary key) at the instances
    given, or else at rows read once per related model; so that walking them reads
    nothing. (The collector's rows hold copies of their parents, joined without the
    grandparents: a conclusion's group without its session. They are replaced by the
    collected rows, which hold theirs.) Rows read here are primed too, so two levels (a
    speaker's person, a group's focus area's programme) cost no query a row."""
    instances = list(instances)
    known = {}
    for obj in instances:
        known.setdefault(obj._meta.concrete_model, {})[obj.pk] = obj
    for _level in range(2):
        missing = {}
        for obj, field, value in _keys(instances):
            model = field.related_model._meta.concrete_model
            if value not in known.get(model, {}) and not field.is_cached(obj):
                missing.setdefault(model, set()).add(value)
        loaded = []
        for model, ids in missing.items():
            rows = model._base_manager.using(instances[0]._state.db).in_bulk(ids)
            known.setdefault(model, {}).update(rows)
            loaded.extend(rows.values())
        for obj, field, value in _keys(instances):
            target = known.get(field.related_model._meta.concrete_model, {}).get(value)
            if target is not None:
                field.set_cached_value(obj, target)
        instances = loaded
        if not instances:
            break


def _keys(instances):
    """(instance, foreign key to a primary key, its value) of every set key."""
    for obj in instances:
        for field in obj._meta.concrete_fields:
            if (field.many_to_one or field.one_to_one) and field.target_field.primary_key:
                value = getattr(obj, field.attname)
                if value is not None:
                    yield obj, field, value


class PrimedNestedObjects(NestedObjects):
    def nested(self, format_callback=None):
        prime_relations([obj for objs in self.data.values() for obj in objs] + list(self.protected))
        return super().nested(format_callback)


def get_deleted_objects(objs, request, admin_site):
    """django.contrib.admin.utils.get_deleted_objects(), with the collected rows'
    relations primed (PrimedNestedObjects): the same list, links and permissions."""
    try:
        obj = objs[0]
    except IndexError:
        return [], {}, set(), []
    collector = PrimedNestedObjects(using=router.db_for_write(obj._meta.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def format_callback(obj):
        opts = obj._meta
        no_edit_link = f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.is_registered(obj.__class__):
            return no_edit_link
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=(quote(obj.pk),),
            )
        except NoReverseMatch:
            return no_edit_link
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(format_callback)
    protected = [format_callback(obj) for obj in collector.protected]
    model_count = {
        model._meta.verbose_name_plural: len(objs) for model, objs in collector.model_objs.items()
    }
    return to_delete, model_count, perms_needed, protected


class PrimedDeletionMixin:
    """The delete confirmation reads each related record once (see above)."""

    def get_deleted_objects(self, objs, request):
        return get_deleted_objects(objs, request, self.admin_site)

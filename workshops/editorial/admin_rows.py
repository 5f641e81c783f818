"""The event page reads each kind of row once (issue 10: at most 30 queries, whatever
the size of the event).

django-nested-admin builds one formset per parent row (the speakers of each session,
the conclusions of each group, the sub-points of each conclusion), and each would read
its rows, and each autocomplete its chosen person or focus area, on its own. Here the
rows of one kind are read once per request for the whole event, with the records they
show, and handed out per parent; an autocomplete finds its chosen record among them.
"""

from django.contrib.admin.widgets import AutocompleteSelect

from workshops.editorial.workflow import rows_of_event


def _cache(request):
    return request.__dict__.setdefault("_jakres_rows", {"rows": {}, "records": {}})


def remember_records(request, rows):
    """Keep the related records the rows were read with (select_related), by model."""
    records = _cache(request)["records"]
    for row in rows:
        for field in row._meta.concrete_fields:
            if field.is_relation and field.is_cached(row):
                record = field.get_cached_value(row)
                if record is not None:
                    records.setdefault(record._meta.label, {})[str(record.pk)] = record


def rows_for_parent(request, queryset, event_id, fk, parent_id):
    """The rows of `queryset` under parent `parent_id` (by foreign key `fk`), read once
    for every parent of the event."""
    key = (queryset.model._meta.label, fk.name, str(queryset.query))
    rows = _cache(request)["rows"]
    if key not in rows:
        grouped = {}
        # A page of one part of the event (a group's page) reads only that part's rows.
        scope = getattr(request, "jakres_rows_scope", None) or {}
        loaded = list(rows_of_event(queryset, event_id).filter(**scope))
        for row in loaded:
            grouped.setdefault(getattr(row, fk.attname), []).append(row)
        remember_records(request, loaded)
        rows[key] = grouped
    return list(rows[key].get(parent_id, []))


class KnownAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that shows its chosen record from the rows already read."""

    jakres_request = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        model = self.field.remote_field.model
        known = {}
        if self.jakres_request is not None:
            known = _cache(self.jakres_request)["records"].get(model._meta.label, {})
        if not chosen <= known.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in sorted(chosen):
            label = self.choices.field.label_from_instance(known[pk])
            options.append(self.create_option(name, known[pk].pk, label, chosen, len(options)))
        return [(None, options, 0)]

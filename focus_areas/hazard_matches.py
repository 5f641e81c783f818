"""Which conclusions name which shock or stress, stored in HazardConclusion.

The rule (`names_hazard`): a conclusion names a shock or stress when its text in a
language holds the shock or stress's name in that language as whole words,
case-insensitive, any run of spaces between the words. "Banjir" names "banjir" in
"Banjir, lagi." but not in "banjirnya".

The rule runs in Python, in one place, for every write path: a saved conclusion or
shock/stress (signals, so that admin forms, live capture, imports, fixtures and
restored versions all keep the rows in step, raw saves included), the bulk benchmark
data and the data migration (`rematch_all`). Deleting either side cascades.
"""

import re

BATCH = 2000


def hazard_pattern(name):
    """The compiled whole-word pattern of a name, or None for an empty name."""
    words = (name or "").split()
    if not words:
        return None
    return re.compile(r"\b" + r"\s+".join(re.escape(word) for word in words) + r"\b", re.I)


def hazard_patterns(hazard):
    """(Indonesian pattern, English pattern) of a shock or stress; either may be None."""
    return (hazard_pattern(hazard.name_ind), hazard_pattern(hazard.name_en))


def names_hazard(patterns, text_ind, text_en):
    """Does a conclusion with these texts name the shock or stress of `patterns`?"""
    return any(
        pattern is not None and pattern.search(text or "")
        for pattern, text in zip(patterns, (text_ind, text_en), strict=True)
    )


def _matched_pairs(hazards, conclusion_rows):
    """(hazard id, conclusion id) for each match among (pk, text_ind, text_en) rows."""
    patterns = [(hazard.pk, hazard_patterns(hazard)) for hazard in hazards]
    for pk, text_ind, text_en in conclusion_rows:
        for hazard_id, pair in patterns:
            if names_hazard(pair, text_ind, text_en):
                yield hazard_id, pk


def _models(apps):
    if apps is None:
        from django.apps import apps
    return (
        apps.get_model("workshops", "Hazard"),
        apps.get_model("focus_areas", "Conclusion"),
        apps.get_model("focus_areas", "HazardConclusion"),
    )


def rematch_all(apps=None):
    """Every match afresh, conclusions read in batches (the data migration passes its
    historical `apps`; the benchmark data after its bulk inserts). Returns the count."""
    Hazard, Conclusion, HazardConclusion = _models(apps)
    HazardConclusion.objects.all().delete()
    hazards = list(Hazard.objects.only("pk", "name_ind", "name_en"))
    rows = Conclusion.objects.order_by("pk").values_list("pk", "text_ind", "text_en")
    made = 0
    batch = []
    for hazard_id, conclusion_id in _matched_pairs(hazards, rows.iterator(chunk_size=BATCH)):
        batch.append(HazardConclusion(hazard_id=hazard_id, conclusion_id=conclusion_id))
        if len(batch) == BATCH:
            made += len(HazardConclusion.objects.bulk_create(batch))
            batch = []
    return made + len(HazardConclusion.objects.bulk_create(batch))


def rematch_conclusion(conclusion):
    """Store the shocks and stresses one conclusion's texts name, and only those."""
    Hazard, _, HazardConclusion = _models(None)
    hazards = Hazard.objects.only("pk", "name_ind", "name_en")
    row = (conclusion.pk, conclusion.text_ind, conclusion.text_en)
    wanted = {hazard_id for hazard_id, _ in _matched_pairs(hazards, [row])}
    _replace(HazardConclusion.objects.filter(conclusion_id=conclusion.pk), wanted,
             lambda hazard_id: HazardConclusion(hazard_id=hazard_id, conclusion_id=conclusion.pk),
             "hazard_id")  # fmt: skip


def rematch_hazard(hazard):
    """Store the conclusions a shock or stress's names appear in, and only those."""
    _, Conclusion, HazardConclusion = _models(None)
    rows = Conclusion.objects.values_list("pk", "text_ind", "text_en")
    wanted = {conclusion_id for _, conclusion_id in _matched_pairs([hazard], rows.iterator())}
    _replace(HazardConclusion.objects.filter(hazard_id=hazard.pk), wanted,
             lambda conclusion_id: HazardConclusion(hazard_id=hazard.pk, conclusion_id=conclusion_id),
             "conclusion_id")  # fmt: skip


def _replace(stored, wanted, make, other_side):
    """Make the `stored` rows hold exactly the `wanted` ids of `other_side`."""
    have = set(stored.values_list(other_side, flat=True))
    if have - wanted:
        stored.filter(**{f"{other_side}__in": have - wanted}).delete()
    if wanted - have:
        stored.model.objects.bulk_create([make(pk) for pk in wanted - have])


def _changed(instance, fields):
    """Has a saved row changed any of `fields` since it was read? A row not read from the
    database (new, deserialised by loaddata or a restored version) counts as changed."""
    loaded = getattr(instance, "_loaded_values", None)
    if loaded is None:
        return True
    return any(field not in loaded or loaded[field] != getattr(instance, field) for field in fields)


def _remember(instance, fields):
    """The row now matches these values: a second save() without changes skips."""
    if hasattr(instance, "_loaded_values"):
        instance._loaded_values.update({field: getattr(instance, field) for field in fields})


def conclusion_saved(sender, instance, **kwargs):
    fields = ("text_ind", "text_en")
    if _changed(instance, fields):
        rematch_conclusion(instance)
        _remember(instance, fields)


def hazard_saved(sender, instance, **kwargs):
    fields = ("name_ind", "name_en")
    if _changed(instance, fields):
        rematch_hazard(instance)
        _remember(instance, fields)


def connect_signals():
    from django.db.models.signals import post_save

    Hazard, Conclusion, _ = _models(None)
    post_save.connect(conclusion_saved, sender=Conclusion, dispatch_uid="hazard-match-conclusion")
    post_save.connect(hazard_saved, sender=Hazard, dispatch_uid="hazard-match-hazard")

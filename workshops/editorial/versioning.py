"""Version history (django-reversion) of an event and all its parts.

Registered from AppConfig.ready(), after django-modeltranslation has added the
Indonesian and English columns, so that every version stores both languages.
Following the relations makes one revision hold the event with all its parts,
and restoring it brings them all back (and removes parts added since).
"""

import reversion
from django.apps import apps


def register_models():
    registrations = {
        ("workshops", "Event"): (
            "organisers",
            "sessions",
            "shocks_stresses",
            "documents",
            "photos",
        ),
        ("workshops", "EventOrganiser"): (),
        ("workshops", "Session"): ("appearances", "groups"),
        ("workshops", "Appearance"): (),
        ("workshops", "ShockStress"): (),
        ("workshops", "Document"): (),
        ("workshops", "Photo"): (),
        ("workshops", "Person"): (),
        ("workshops", "Organisation"): (),
        ("workshops", "Sector"): (),
        ("workshops", "Hazard"): (),
        ("focus_areas", "FocusArea"): (),
        ("focus_areas", "DiscussionGroup"): ("conclusions",),
        ("focus_areas", "Conclusion"): (),
    }
    for (app_label, model_name), follow in registrations.items():
        model = apps.get_model(app_label, model_name)
        # The admin's VersionAdmin registers its models first (the admin app is ready
        # earlier), following only the first level of inlines; these rules replace that.
        if reversion.is_registered(model):
            reversion.unregister(model)
        reversion.register(model, follow=follow)

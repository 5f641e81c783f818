"""The first programme, shared by the migrations that attach old rows to it."""

JAKARTA = {
    "slug": "jakarta-berketahanan",
    "name": "Jakarta Berketahanan",
    "name_ind": "Jakarta Berketahanan",
    "name_en": "Jakarta Berketahanan",
    "city": "Jakarta",
    "network": "100 Resilient Cities",
    "start_year": 2018,
    "end_year": 2019,
    "secretariat": "Sekretariat Jakarta Berketahanan (Resilient Jakarta)",
    "secretariat_ind": "Sekretariat Jakarta Berketahanan (Resilient Jakarta)",
    "secretariat_en": "Jakarta Berketahanan (Resilient Jakarta) Secretariat",
}


def jakarta_programme(apps):
    """The first programme, for the rows of a database made before programmes."""
    Programme = apps.get_model("workshops", "Programme")
    programme, _ = Programme.objects.get_or_create(slug=JAKARTA["slug"], defaults=JAKARTA)
    return programme

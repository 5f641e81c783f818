from django.core.management import BaseCommand

from search_index.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the proceedings. Saves keep it up to date; run this "
        "after loading data without model signals (bulk loads) or to repair it."
    )

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))

from django.core.management import BaseCommand, call_command

from search_index.models import Entry
from workshops.models import Event

FIXTURES = ("workshop_2018_09_26",)


class Command(BaseCommand):
    help = (
        "Set up the database: apply migrations, then load the 26 Sept 2018 workshop "
        "if the database has no events yet. It never overwrites staff edits; "
        "--reload-fixture loads the fixture again over existing rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reload-fixture",
            action="store_true",
            help="Load the fixture even if events exist (overwrites the fixture's rows).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        if Event.objects.exists() and not options["reload_fixture"]:
            self.stdout.write("The database already has events; the fixture was not loaded again.")
        else:
            for fixture in FIXTURES:
                call_command("loaddata", fixture, verbosity=verbosity)
            # Give every loaded object a first version, so later edits can be undone.
            call_command("createinitialrevisions", verbosity=0, comment="Initial version")
            # A fixture may hold parts before their parents: index once all is in.
            call_command("rebuild_search_index", verbosity=verbosity)
        if Event.objects.exists() and not Entry.objects.exists():
            call_command("rebuild_search_index", verbosity=verbosity)  # an older database
        self.stdout.write(
            self.style.SUCCESS(
                "Database ready. Create a staff login with: manage.py createsuperuser"
            )
        )

from django.core.management import BaseCommand, call_command

FIXTURES = ("workshop_2018_09_26",)


class Command(BaseCommand):
    help = (
        "Set up the database: apply migrations, then load the 26 Sept 2018 workshop. "
        "Safe to run again: the fixture uses natural keys, so a second load changes nothing."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=verbosity)
        for fixture in FIXTURES:
            call_command("loaddata", fixture, verbosity=verbosity)
        self.stdout.write(
            self.style.SUCCESS(
                "Database ready. Create a staff login with: manage.py createsuperuser"
            )
        )

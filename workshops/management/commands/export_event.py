import json

from django.core.management import BaseCommand, CommandError

from workshops.models import Event
from workshops.proceedings import with_proceedings
from workshops.transfer import export_event


class Command(BaseCommand):
    help = "Write one event, with all its parts, as a JSON document (docs/import-export.md)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the event's slug, as in /events/<slug>/")
        parser.add_argument("-o", "--output", help="file to write (default: standard output)")

    def handle(self, *args, slug, output=None, **options):
        try:
            event = with_proceedings(Event.objects.all()).get(slug=slug)
        except Event.DoesNotExist as error:
            raise CommandError(f"No event with the slug {slug!r}.") from error
        text = json.dumps(export_event(event), ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")

"""Stored, citable conclusion numbers (issue 11, item 1): "2.3" is conclusion 3 of group
2 and "2.1.a" sub-point a of 2.1, wherever a conclusion is shown or cited; moving rows
does not change them, and only an explicit renumbering (refused like any other change of
a published event to an Editor) makes them follow the order again."""

import importlib
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse
from reversion.models import Version

from focus_areas.models import Conclusion, DiscussionGroup, conclusion_label, sub_point_letter
from tests.admin_forms import form_data
from tests.conftest import WORKSHOP_SLUG
from tests.factories import ConclusionFactory, DiscussionGroupFactory, EventFactory
from workshops.models import EventStatus
from workshops.transfer import export_event, import_event

pytestmark = pytest.mark.django_db

PAGE = f"/events/{WORKSHOP_SLUG}/"
JSON = f"/events/{WORKSHOP_SLUG}/proceedings.json"
NUMBER = re.compile(
    r'<span class="conclusion-number">([0-9.a-z]+)</span>\s*'
    r'(?:<(?:div|span) class="conclusion-body">)?\s*([^<]{0,40})'
)


def group_of(event, number):
    return DiscussionGroup.objects.get(session__event=event, number=number)


def shown_numbers(html, group):
    """(label, first words) of a group's conclusions, in the order the page lists them."""
    section = html.split(f'id="{group.anchor}"', 1)[1].split("</section>", 1)[0]
    return [(label, text.strip()[:25]) for label, text in NUMBER.findall(section)]


def json_numbers(client, group_number):
    document = json.loads(client.get(JSON).content)
    groups = [g for s in document["sessions"] for g in s["groups"]]
    group = next(g for g in groups if g["number"] == group_number)
    return [
        (c["citation_label"], c["text"]["id"][:25], [p["citation_label"] for p in c["sub_points"]])
        for c in group["conclusions"]
    ]


def swap_order(first, second):
    """What moving a row does: the two conclusions exchange positions, numbers stay."""
    a, b = first.order, second.order
    Conclusion.objects.filter(pk=first.pk).update(order=30000)
    Conclusion.objects.filter(pk=second.pk).update(order=a)
    Conclusion.objects.filter(pk=first.pk).update(order=b)


# --- What the reader sees -----------------------------------------------------------


def test_the_fixture_shows_the_numbers_the_page_showed_before(client, workshop):
    """The migration numbered existing rows by their order: the fixture's numbers are
    the positions the page's list showed, with lettered sub-points."""
    html = client.get(PAGE).content.decode()
    assert shown_numbers(html, group_of(workshop, 2)) == [
        ("2.1", "Dalam membangun sadar bud"),
        ("2.1.a", "Peran BPBD mapping pulau "),
        ("2.1.b", "Seribu dalam mengembangka"),
        ("2.2", "Koordinasi dengan Forum K"),
        ("2.3", "Kolaborasi BPBD, Dinas so"),
        ("2.4", "Advokasi dalam perencanaa"),
    ]
    assert [label for label, _text in shown_numbers(html, group_of(workshop, 5))] == [
        "5.1",
        "5.2",
        "5.3",
    ]
    assert "Tautan ke simpulan 2.3" in html


def test_the_migration_numbers_rows_by_their_order(workshop):
    migration = importlib.import_module("focus_areas.migrations.0006_conclusion_number")
    group = group_of(workshop, 2)
    for conclusion in group.conclusions.all():  # numbers that follow no order
        Conclusion.objects.filter(pk=conclusion.pk).update(number=100 + conclusion.pk)
    second, third = group.conclusions.filter(parent=None, order__in=(2, 3)).order_by("order")
    swap_order(second, third)  # the order no longer follows the rows' ids
    migration.number_by_order(apps, None)
    assert Conclusion.objects.get(pk=third.pk).number == 2
    rows = sorted((c.parent_id is not None, c.order, c.number) for c in group.conclusions.all())
    assert rows == [
        (False, 1, 1),
        (False, 2, 2),
        (False, 3, 3),
        (False, 4, 4),
        (True, 1, 1),
        (True, 2, 2),
    ]


def test_a_reorder_keeps_the_numbers_on_the_page_and_in_the_json(client, workshop):
    group = group_of(workshop, 2)
    second, third = group.conclusions.filter(parent=None, order__in=(2, 3)).order_by("order")
    swap_order(second, third)
    html = client.get(PAGE).content.decode()
    # Listed in their new order, each with the number it is cited by.
    assert shown_numbers(html, group)[3:5] == [
        ("2.3", "Kolaborasi BPBD, Dinas so"),
        ("2.2", "Koordinasi dengan Forum K"),
    ]
    assert json_numbers(client, 2) == [
        ("2.1", "Dalam membangun sadar bud", ["2.1.a", "2.1.b"]),
        ("2.3", "Kolaborasi BPBD, Dinas so", []),
        ("2.2", "Koordinasi dengan Forum K", []),
        ("2.4", "Advokasi dalam perencanaa", []),
    ]
    page = client.get(third.get_absolute_url()).content.decode()
    assert "Kelompok 2, simpulan 2.3" in page  # cite this


def test_moving_a_conclusion_in_the_admin_keeps_its_number(client, staff_client, workshop):
    """The group's admin page, as staff drag a row: the order changes, not the number."""
    group = group_of(workshop, 2)
    url = reverse("admin:focus_areas_discussiongroup_change", args=[group.pk])
    data = form_data(staff_client.get(url).content.decode(), "discussiongroup_form")
    rows = {data[f"conclusions-{i}-id"]: i for i in range(int(data["conclusions-TOTAL_FORMS"]))}
    second, third = group.conclusions.filter(parent=None, order__in=(2, 3)).order_by("order")
    data[f"conclusions-{rows[str(second.pk)]}-order"] = "3"
    data[f"conclusions-{rows[str(third.pk)]}-order"] = "2"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.order, second.number, third.order, third.number) == (3, 2, 2, 3)
    html = client.get(PAGE).content.decode()
    assert shown_numbers(html, group)[3] == ("2.3", "Kolaborasi BPBD, Dinas so")


def test_the_conclusion_page_names_its_number_and_is_cited_by_it(client, workshop):
    point = Conclusion.objects.get(ref="smp26bpa")
    sub_point = Conclusion.objects.get(ref="smp26bsb")
    html = client.get(point.get_absolute_url()).content.decode()
    assert re.search(r'<h1[^>]*>Simpulan <span class="conclusion-number">2.1</span>', html)
    assert '<span class="conclusion-number">2.1.b</span>' in html  # its sub-points
    assert "Kelompok 2, simpulan 2.1." in html
    html = client.get(sub_point.get_absolute_url()).content.decode()
    assert '<span class="conclusion-number">2.1.b</span>' in html
    assert "Kelompok 2, simpulan 2.1.b." in html
    english = client.get(f"/en{sub_point.get_absolute_url()}").content.decode()
    assert "Group 2, conclusion 2.1.b." in english


def test_the_follow_up_list_and_search_show_the_numbers(client, workshop):
    html = client.get("/follow-up/?event=" + WORKSHOP_SLUG).content.decode()
    assert '<span class="conclusion-number">3.2</span>' in html
    html = client.get("/search/?q=kolaborasi&kind=conclusion").content.decode()
    assert re.search(r">Simpulan 2\.3: Lokakarya Perdana", html), html[:4000]


# --- New rows, and moves to another group ----------------------------------------------


def test_a_new_conclusion_gets_the_next_free_number():
    group = DiscussionGroupFactory(number=2)
    first, second, third = (ConclusionFactory(group=group, order=n) for n in (1, 2, 3))
    second.delete()
    fourth = ConclusionFactory(group=group, order=2)
    assert [c.number for c in (first, third, fourth)] == [1, 3, 4]
    sub_point = ConclusionFactory(group=group, parent=first, order=1)
    assert (sub_point.number, sub_point.label) == (1, "2.1.a")
    assert ConclusionFactory(group=group, parent=first, order=2).label == "2.1.b"


def test_a_conclusion_added_in_the_admin_gets_the_next_free_number(staff_client, workshop):
    group = group_of(workshop, 5)
    url = reverse("admin:focus_areas_discussiongroup_change", args=[group.pk])
    data = form_data(staff_client.get(url).content.decode(), "discussiongroup_form")
    total = int(data["conclusions-TOTAL_FORMS"])
    new = f"conclusions-{total}"  # a row added by "add another" (the page's script)
    data.update({"conclusions-TOTAL_FORMS": str(total + 1), f"{new}-order": str(total + 1),
                 f"{new}-text_ind": "Simpulan tambahan", f"{new}-children-TOTAL_FORMS": "0",
                 f"{new}-children-INITIAL_FORMS": "0"})  # fmt: skip
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Conclusion.objects.get(text_ind="Simpulan tambahan").label == "5.4"


def test_a_conclusion_moved_to_another_group_takes_the_next_number_there(workshop):
    conclusion = Conclusion.objects.get(ref="smp26apc")  # 1.3
    conclusion.group = group_of(workshop, 5)
    conclusion.order = 9
    conclusion.save()
    conclusion.refresh_from_db()
    assert conclusion.label == "5.4"


def test_two_conclusions_of_a_group_cannot_share_a_number_and_staff_are_told_why(
    staff_client, workshop
):
    conclusion = Conclusion.objects.get(ref="smp26apc")
    url = reverse("admin:focus_areas_conclusion_change", args=[conclusion.pk])
    data = form_data(staff_client.get(url).content.decode(), "conclusion_form")
    data["number"] = "1"
    html = staff_client.post(url, data).content.decode()
    assert "Simpulan lain dari kelompok ini sudah memakai nomor ini." in html
    conclusion.refresh_from_db()
    assert conclusion.number == 3


def test_sub_point_letters():
    assert [sub_point_letter(n) for n in (1, 2, 26, 27, 28)] == ["a", "b", "z", "aa", "ab"]
    assert conclusion_label(2, 3) == "2.3"
    assert conclusion_label(2, 1, parent_number=1) == "2.1.a"


# --- Renumbering on purpose --------------------------------------------------------------


def renumber(client, event):
    return client.post(
        reverse("admin:workshops_event_changelist"),
        {"action": "renumber_conclusions", "_selected_action": [str(event.pk)]},
        follow=True,
    )


def test_renumbering_makes_the_numbers_follow_the_order_and_is_in_the_history(
    client, publisher, workshop
):
    group = group_of(workshop, 2)
    second, third = group.conclusions.filter(parent=None, order__in=(2, 3)).order_by("order")
    swap_order(second, third)
    sub_a, sub_b = group.conclusions.filter(parent__isnull=False).order_by("order")
    swap_order(sub_a, sub_b)
    client.force_login(publisher)
    html = renumber(client, workshop).content.decode()
    assert "4 simpulan mendapat nomor baru" in html
    second.refresh_from_db()
    third.refresh_from_db()
    assert (third.order, third.number, second.order, second.number) == (2, 2, 3, 3)
    assert Conclusion.objects.get(pk=sub_b.pk).label == "2.1.a"
    client.logout()
    page = client.get(PAGE).content.decode()
    assert shown_numbers(page, group)[1:5] == [
        ("2.1.a", "Seribu dalam mengembangka"),
        ("2.1.b", "Peran BPBD mapping pulau "),
        ("2.2", "Kolaborasi BPBD, Dinas so"),
        ("2.3", "Koordinasi dengan Forum K"),
    ]
    version = Version.objects.get_for_object(workshop).first()
    assert version.revision.comment == "Menomori ulang simpulan menurut urutannya"
    assert version.revision.user == publisher


def test_renumbering_nothing_out_of_order_changes_nothing(client, publisher, workshop):
    client.force_login(publisher)
    html = renumber(client, workshop).content.decode()
    assert "0 simpulan mendapat nomor baru" in html
    assert not Version.objects.get_for_object(workshop).exists()


def test_an_editor_cannot_renumber_a_published_event(client, editor, workshop):
    """A crafted POST of the action: refused, and no number moves."""
    assert workshop.status == EventStatus.PUBLISHED
    group = group_of(workshop, 2)
    second, third = group.conclusions.filter(parent=None, order__in=(2, 3)).order_by("order")
    swap_order(second, third)
    client.force_login(editor)
    html = renumber(client, workshop).content.decode()
    assert "hanya Penerbit yang dapat mengubahnya" in html
    assert Conclusion.objects.get(pk=third.pk).number == 3
    assert Conclusion.objects.get(pk=second.pk).number == 2


def test_an_editor_renumbers_a_draft(client, editor):
    event = EventFactory(status=EventStatus.DRAFT)
    group = DiscussionGroupFactory(session__event=event, number=1)
    first, second = ConclusionFactory(group=group, order=1), ConclusionFactory(group=group, order=2)
    swap_order(first, second)
    client.force_login(editor)
    renumber(client, event)
    assert Conclusion.objects.get(pk=second.pk).label == "1.1"
    assert Conclusion.objects.get(pk=first.pk).label == "1.2"


# --- Export and import -------------------------------------------------------------------


def test_export_and_import_keep_the_numbers(client, workshop):
    group = group_of(workshop, 2)
    second, third = group.conclusions.filter(parent=None, order__in=(2, 3)).order_by("order")
    swap_order(second, third)
    document = export_event(workshop)
    exported = document["sessions"][2]["groups"][1]["conclusions"]
    assert [(c["order"], c["number"]) for c in exported] == [(1, 1), (2, 3), (3, 2), (4, 4)]
    before = json_numbers(client, 2)
    import_event(json.loads(json.dumps(document)))
    assert json_numbers(client, 2) == before
    assert Conclusion.objects.get(ref=third.ref).number == 3


def test_a_document_without_numbers_is_numbered_by_order(client, workshop):
    document = export_event(workshop)
    for session in document["sessions"]:
        for group in session["groups"]:
            for conclusion in group["conclusions"]:
                del conclusion["number"]
                for point in conclusion["sub_points"]:
                    del point["number"]
    group = document["sessions"][2]["groups"][1]
    import_event(document)
    assert json_numbers(client, 2)[:2] == [
        ("2.1", "Dalam membangun sadar bud", ["2.1.a", "2.1.b"]),
        ("2.2", "Koordinasi dengan Forum K", []),
    ]
    # One that has a number keeps it; the others then take the next free ones.
    group = document["sessions"][2]["groups"][1]
    for conclusion in group["conclusions"][:3]:
        conclusion.pop("number", None)
    group["conclusions"][3]["number"] = 2
    import_event(document)
    assert [c[0] for c in json_numbers(client, 2)] == ["2.3", "2.4", "2.5", "2.2"]


def test_a_document_giving_two_conclusions_one_number_is_refused(workshop):
    from workshops.transfer import ImportFailed

    document = export_event(workshop)
    conclusions = document["sessions"][2]["groups"][1]["conclusions"]
    conclusions[1]["number"] = conclusions[0]["number"]
    with pytest.raises(ImportFailed) as failure:
        import_event(document)
    assert failure.value.errors == ["sessions[2].groups[1].conclusions: number 1 is used 2 times"]


def test_the_pdf_gives_the_stored_numbers(client, workshop):
    from tests.test_pdf import read, text_of
    from workshops.site import pdf

    if not pdf.available():
        pytest.skip("WeasyPrint needs Pango (see tests/test_pdf.py)")
    group = group_of(workshop, 2)
    second, third = group.conclusions.filter(parent=None, order__in=(2, 3)).order_by("order")
    swap_order(second, third)
    text = text_of(read(client.get(f"/events/{WORKSHOP_SLUG}/proceedings.pdf")))
    places = [
        text.find(words)
        for words in (
            "2.1 Dalam membangun sadar",
            "2.1.a Peran BPBD",
            "2.1.b Seribu dalam",
            "2.3 Kolaborasi BPBD",
            "2.2 Koordinasi dengan",
            "2.4 Advokasi",
        )
    ]
    assert -1 not in places and places == sorted(places), places


def test_a_conclusion_carried_to_a_later_event_is_named_by_its_number(client):
    import datetime

    from follow_up.models import Link, LinkKind
    from tests.factories import ProgrammeFactory
    from tests.test_follow_up import conclusion_at

    programme = ProgrammeFactory()
    earlier = conclusion_at(datetime.date(2018, 9, 26), programme=programme)
    later = conclusion_at(datetime.date(2018, 11, 20), programme=programme)
    ConclusionFactory(group=later.group, parent=later, order=1)
    sub_point = ConclusionFactory(group=later.group, parent=later, order=2)
    link = Link(
        conclusion=earlier,
        kind=LinkKind.REFINED,
        later_conclusion=sub_point,
        date=datetime.date(2018, 11, 20),
        state="published",
    )
    link.save()
    html = client.get(earlier.get_absolute_url()).content.decode()
    label = f"{later.group.number}.{later.number}.b"
    assert f'<span class="conclusion-number">{label}</span></a>' in html

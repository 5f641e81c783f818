"""No position shown or typed (issue 10, item 3), on a row's own admin pages too: the
add and change pages of sessions, speakers, shocks and stresses, documents, photos,
conclusions, sectors and plans have no "Urutan" input; a row added there goes after
its siblings; the lists are in order without an order column; the group's page moves
its conclusions by the event page's handles and up/down buttons."""

import re

import pytest
from django.urls import reverse

from focus_areas.models import Conclusion, DiscussionGroup
from follow_up.models import Plan
from tests.admin_forms import form_data
from tests.factories import PlanFactory
from workshops.models import (
    Appearance,
    Document,
    Event,
    EventStatus,
    Person,
    Photo,
    Sector,
    Session,
    ShockStress,
)

pytestmark = pytest.mark.django_db

POSITIONED = [Session, Appearance, ShockStress, Document, Photo, Conclusion, Sector, Plan]


@pytest.fixture
def draft_workshop(workshop):
    """The fixture's workshop as a draft, which an Editor may change."""
    Event.objects.filter(pk=workshop.pk).update(status=EventStatus.DRAFT)
    workshop.refresh_from_db()
    return workshop


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def the_form(html, model):
    start = html.index(f'id="{model._meta.model_name}_form"')
    return html[start : html.index("</form>", start)]


def position_inputs(form_html):
    """Visible controls named like a position, and labels saying "Urutan"."""
    visible = [
        tag
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", form_html)
        if re.search(r'\bname="([^"]*-)?order"', tag) and 'type="hidden"' not in tag
    ]
    return visible + re.findall(r"<label[^>]*>\s*Urutan", form_html)


@pytest.mark.parametrize("role", ["editor", "publisher"])
@pytest.mark.parametrize("model", POSITIONED, ids=lambda m: m.__name__)
def test_a_rows_own_pages_show_no_position(client, request, role, draft_workshop, model):
    client.force_login(request.getfixturevalue(role))
    if model is Plan and not Plan.objects.exists():
        PlanFactory()
    pages = [admin_url(model, "add"), admin_url(model, "change", model.objects.first().pk)]
    for url in pages:
        response = client.get(url)
        if response.status_code == 403:  # (not this role's: plans, sectors)
            continue
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="id"' in html
        form = the_form(html, model)
        assert "Simpan" in html
        assert position_inputs(form) == [], url


@pytest.mark.parametrize("model", POSITIONED, ids=lambda m: m.__name__)
def test_the_lists_have_no_order_column_but_keep_the_order(client, publisher, workshop, model):
    client.force_login(publisher)
    if model is Plan and not Plan.objects.exists():
        PlanFactory()
    html = client.get(admin_url(model, "changelist")).content.decode()
    assert "column-order" not in html  # (the admin's <th class="sortable column-order">)
    assert "Urutan" not in html


def test_the_session_list_stays_in_the_events_order(client, publisher, workshop):
    client.force_login(publisher)
    html = client.get(admin_url(Session, "changelist") + "?q=&event__id__exact="
                      + str(workshop.pk)).content.decode()  # fmt: skip
    titles = [s.title_ind for s in workshop.sessions.order_by("order")]
    shown = [html.index(title) for title in titles]
    assert shown == sorted(shown)


def test_the_group_page_moves_conclusions_by_handles_not_numbers(client, editor, draft_workshop):
    group = DiscussionGroup.objects.get(session__event=draft_workshop, number=2)
    client.force_login(editor)
    html = client.get(admin_url(DiscussionGroup, "change", group.pk)).content.decode()
    form = the_form(html, DiscussionGroup)
    assert position_inputs(form) == []
    hidden = re.findall(r'<input[^>]*name="conclusions-\d+-order"[^>]*>', form)
    assert len(hidden) == group.conclusions.filter(parent=None).count()
    assert all('type="hidden"' in tag for tag in hidden)
    assert "jk-sortable" in form and 'class="jk-handle"' in form  # the event page's rows
    assert "admin-jakres/admin.js" in html  # its up/down buttons


# --- A new row goes last ------------------------------------------------------------------


def add(client, model, **values):
    """Save a new row through its own add page, as a browser would (no position sent)."""
    url = admin_url(model, "add")
    data = form_data(client.get(url).content.decode(), f"{model._meta.model_name}_form")
    assert not any(name == "order" for name in data)
    data.update({name: str(value) for name, value in values.items()})
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )


def test_a_session_added_on_its_page_goes_after_the_events_sessions(client, editor, draft_workshop):
    before = list(draft_workshop.sessions.order_by("order").values_list("pk", "order"))
    client.force_login(editor)
    add(client, Session, event=draft_workshop.pk, kind="plenary", title_ind="Sesi penutup baru")
    new = Session.objects.get(title_ind="Sesi penutup baru")
    assert new.order == max(order for _pk, order in before) + 1
    assert list(draft_workshop.sessions.exclude(pk=new.pk).order_by("order")
                .values_list("pk", "order")) == before  # fmt: skip


def test_an_appearance_added_on_its_page_goes_after_the_sessions_speakers(
    client, editor, draft_workshop
):
    session = max(draft_workshop.sessions.all(), key=lambda s: s.appearances.count())
    highest = max(session.appearances.values_list("order", flat=True))
    person = Person.objects.exclude(appearances__session=session).first()
    client.force_login(editor)
    add(client, Appearance, session=session.pk, person=person.pk, role="panelist")
    new = Appearance.objects.get(session=session, person=person)
    assert new.order == highest + 1


def test_a_document_added_on_its_page_goes_after_the_events_documents(
    client, editor, draft_workshop
):
    highest = max(draft_workshop.documents.values_list("order", flat=True))
    client.force_login(editor)
    add(client, Document, event=draft_workshop.pk, kind="proceedings", title_ind="Laporan baru",
        url="https://example.org/laporan.pdf")  # fmt: skip
    assert Document.objects.get(title_ind="Laporan baru").order == highest + 1


def test_a_conclusion_added_on_its_page_goes_after_its_siblings(client, editor, draft_workshop):
    group = DiscussionGroup.objects.get(session__event=draft_workshop, number=2)
    points = group.conclusions.filter(parent=None)
    point = max(points, key=lambda c: c.children.count())
    client.force_login(editor)
    add(client, Conclusion, group=group.pk, text_ind="Simpulan baru di akhir")
    new = Conclusion.objects.get(text_ind="Simpulan baru di akhir")
    assert new.order == max(points.exclude(pk=new.pk).values_list("order", flat=True)) + 1
    highest_sub = max(point.children.values_list("order", flat=True))
    add(client, Conclusion, group=group.pk, parent=point.pk, text_ind="Sub-simpulan baru")
    assert Conclusion.objects.get(text_ind="Sub-simpulan baru").order == highest_sub + 1


def test_a_row_kept_in_place_keeps_its_position_and_a_moved_row_goes_last(
    client, editor, draft_workshop
):
    first = draft_workshop.sessions.order_by("order").first()
    client.force_login(editor)
    url = admin_url(Session, "change", first.pk)
    data = form_data(client.get(url).content.decode(), "session_form")
    data["title_ind"] = "Judul yang diubah"
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert (first.title_ind, first.order) == ("Judul yang diubah", 1)

    group = DiscussionGroup.objects.get(session__event=draft_workshop, number=2)
    other = DiscussionGroup.objects.get(session__event=draft_workshop, number=3)
    point = group.conclusions.filter(parent=None, children=None).order_by("order").first()
    url = admin_url(Conclusion, "change", point.pk)
    data = form_data(client.get(url).content.decode(), "conclusion_form")
    data.update(group=str(other.pk), number="")  # (a free number there)
    assert client.post(url, data).status_code == 302
    point.refresh_from_db()
    siblings = other.conclusions.filter(parent=None).exclude(pk=point.pk)
    assert point.group_id == other.pk
    assert point.order == max(siblings.values_list("order", flat=True)) + 1


def test_a_new_group_saves_its_conclusions_in_the_order_of_their_rows(
    client, editor, draft_workshop
):
    session = draft_workshop.sessions.exclude(groups__number=9).first()
    focus_area = DiscussionGroup.objects.exclude(session=session).first().focus_area
    client.force_login(editor)
    url = admin_url(DiscussionGroup, "add")
    data = form_data(client.get(url).content.decode(), "discussiongroup_form")
    assert position_inputs(the_form(client.get(url).content.decode(), DiscussionGroup)) == []
    data = {k: v for k, v in data.items() if "__prefix__" not in k and "-empty-" not in k}
    data.update({"session": str(session.pk), "focus_area": str(focus_area.pk), "number": "9",
                 "conclusions-TOTAL_FORMS": "2"})  # fmt: skip
    for row, (order, text) in enumerate([("2", "Simpulan kedua"), ("1", "Simpulan pertama")]):
        data.update({f"conclusions-{row}-order": order, f"conclusions-{row}-text_ind": text,
                     f"conclusions-{row}-children-TOTAL_FORMS": "0",
                     f"conclusions-{row}-children-INITIAL_FORMS": "0"})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    group = DiscussionGroup.objects.get(session=session, number=9)
    assert list(group.conclusions.order_by("order").values_list("text_ind", "order")) == [
        ("Simpulan pertama", 1),
        ("Simpulan kedua", 2),
    ]

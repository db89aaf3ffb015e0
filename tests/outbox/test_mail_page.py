"""The development mail page: every email readable in the browser, only in development, only for
staff superusers."""

import pytest
from django.urls import reverse

from accounts.models import User
from outbox.models import OutboxStatus
from tests.factories.outbox import OutboxMessageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.outbox.urls")]

EN = {"accept-language": "en"}


@pytest.fixture
def development(settings):
    settings.DEBUG = True


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="admin@navpanel.no", password="x", name="Admin")


def test_mail_list_shows_every_email_newest_first(client, development, superuser):
    OutboxMessageFactory(subject="Første", to="en@example.no")
    OutboxMessageFactory(subject="Andre", to="to@example.no", status=OutboxStatus.SENT)
    client.force_login(superuser)

    response = client.get(reverse("outbox_mail_list"), headers=EN)

    assert response.status_code == 200
    assert [m.subject for m in response.context["page"]] == ["Andre", "Første"]
    assert response.text.index("Andre") < response.text.index("Første")
    assert "to@example.no" in response.text
    assert "Sent" in response.text


def test_mail_list_needs_the_same_number_of_queries_for_one_and_many_emails(
    client, development, superuser, django_assert_max_num_queries
):
    OutboxMessageFactory()
    client.force_login(superuser)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("outbox_mail_list"))
    OutboxMessageFactory.create_batch(5)

    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("outbox_mail_list"))


def test_mail_detail_shows_the_text_and_the_html_in_a_sandboxed_frame(
    client, development, superuser
):
    message = OutboxMessageFactory(
        body_text="Hei Kari,\nlenken: https://navpanel.nav.no/r/abc",
        body_html='<p style="color: red">Hei</p><script>alert("x")</script>',
    )
    client.force_login(superuser)

    response = client.get(reverse("outbox_mail_detail", args=[message.pk]), headers=EN)

    assert response.status_code == 200
    assert "Hei Kari,\nlenken: https://navpanel.nav.no/r/abc" in response.text
    assert "<script>alert" not in response.text
    assert (
        'sandbox srcdoc="&lt;p style=&quot;color: red&quot;&gt;Hei&lt;/p&gt;'
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in response.text
    )
    assert "'unsafe-inline'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_mail_detail_of_an_unknown_email_is_404(client, development, superuser):
    client.force_login(superuser)

    assert client.get(reverse("outbox_mail_detail", args=[987654])).status_code == 404


@pytest.mark.parametrize("name", ["outbox_mail_list", "outbox_mail_detail"])
def test_mail_pages_are_404_when_debug_is_off_even_for_a_superuser(client, superuser, name):
    message = OutboxMessageFactory()
    client.force_login(superuser)
    args = [message.pk] if name == "outbox_mail_detail" else []

    assert client.get(reverse(name, args=args)).status_code == 404
    client.logout()
    assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize("persona", ["leader_a", "hr", "staff"])
def test_mail_pages_are_403_for_anyone_but_a_staff_superuser(client, development, persona, request):
    if persona == "staff":
        user = User.objects.create_user(
            email="stab@navpanel.no", password="x", name="Stab", is_staff=True
        )
    else:
        user = request.getfixturevalue(persona)
    message = OutboxMessageFactory()
    client.force_login(user)

    listing = client.get(reverse("outbox_mail_list"))
    detail = client.get(reverse("outbox_mail_detail", args=[message.pk]))

    assert (listing.status_code, detail.status_code) == (403, 403)


def test_mail_pages_send_an_anonymous_visitor_to_sign_in(client, development):
    response = client.get(reverse("outbox_mail_list"))

    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_the_mail_page_shows_sms_with_their_text_and_sender(client, development, superuser):
    sms = OutboxMessageFactory(
        channel="sms",
        to="+4791234567",
        subject="",
        body_text="Hei Kari! Svar her: https://navpanel.example/r/k/Ab3dE5fG7h",
    )
    client.force_login(superuser)

    listed = client.get(reverse("outbox_mail_list"), headers=EN)
    shown = client.get(reverse("outbox_mail_detail", args=[sms.pk]), headers=EN)

    assert "SMS" in listed.text and "Hei Kari! Svar her" in listed.text
    assert "SMS to +4791234567" in shown.text
    assert "Hei Kari! Svar her: https://navpanel.example/r/k/Ab3dE5fG7h" in shown.text
    assert "HTML version" not in shown.text

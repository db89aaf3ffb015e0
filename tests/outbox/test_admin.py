"""The outbox in the admin: every email readable and findable, none editable; failed retried."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from outbox.models import OutboxMessage, OutboxStatus
from tests.factories.outbox import OutboxMessageFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
CHANGELIST = "admin:outbox_outboxmessage_changelist"


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser(email="admin@navpanel.no", password="x", name="Admin")
    client.force_login(admin)
    return client


def _keys_listed(response) -> set[str]:
    return {message.key for message in response.context["cl"].result_list}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "failed"}, {"invitation:seat:2:v1"}),
        ({"kind": "consent_request"}, {"consent-request:representative:9:v1"}),
        ({"q": "invitation:seat:1:v1"}, {"invitation:seat:1:v1"}),
        ({"q": "ola@example.no"}, {"invitation:seat:1:v1"}),
    ],
)
def test_admin_list_filters_by_status_and_kind_and_finds_by_key_or_address(
    admin_client, query, expected
):
    OutboxMessageFactory(key="invitation:seat:1:v1", to="ola@example.no")
    OutboxMessageFactory(key="invitation:seat:2:v1", status=OutboxStatus.FAILED)
    OutboxMessageFactory(key="consent-request:representative:9:v1", kind="consent_request")

    response = admin_client.get(reverse(CHANGELIST), query, headers=EN)

    assert response.status_code == 200
    assert _keys_listed(response) == expected


def test_admin_list_filters_by_office(admin_client, office_a, office_b):
    OutboxMessageFactory(key="rana", office=office_a)
    OutboxMessageFactory(key="hadeland", office=office_b)

    response = admin_client.get(reverse(CHANGELIST), {"office__id__exact": office_b.pk})

    assert _keys_listed(response) == {"hadeland"}


def test_admin_list_needs_the_same_number_of_queries_for_one_and_many_messages(
    admin_client, office_a, django_assert_max_num_queries
):
    OutboxMessageFactory(office=office_a)
    with django_assert_max_num_queries(12) as one:
        admin_client.get(reverse(CHANGELIST))
    OutboxMessageFactory.create_batch(5, office=office_a)

    with django_assert_max_num_queries(len(one.captured_queries)):
        admin_client.get(reverse(CHANGELIST))


def test_admin_shows_a_message_with_its_bodies_read_only(admin_client):
    message = OutboxMessageFactory(
        body_text="Hei Kari,\ndu er invitert.",
        body_html="<p>Hei <b>Kari</b></p>",
        attachments=[{"filename": "intervju.ics", "content_type": "text/calendar", "content": ""}],
    )

    response = admin_client.get(
        reverse("admin:outbox_outboxmessage_change", args=[message.pk]), headers=EN
    )

    assert response.status_code == 200
    assert "Hei Kari,<br>du er invitert." in response.text
    assert "&lt;p&gt;Hei &lt;b&gt;Kari&lt;/b&gt;&lt;/p&gt;" in response.text
    assert "intervju.ics" in response.text
    assert message.message_id.replace("<", "&lt;").replace(">", "&gt;") in response.text
    assert 'name="body_text"' not in response.text
    assert 'name="_save"' not in response.text


def test_nobody_can_add_edit_or_delete_an_outbox_row_in_the_admin(admin_client):
    message = OutboxMessageFactory(subject="Original")

    add = admin_client.get(reverse("admin:outbox_outboxmessage_add"))
    edit = admin_client.post(
        reverse("admin:outbox_outboxmessage_change", args=[message.pk]),
        {"subject": "Changed", "status": "sent"},
    )
    delete = admin_client.post(
        reverse("admin:outbox_outboxmessage_delete", args=[message.pk]), {"post": "yes"}
    )

    message.refresh_from_db()
    assert (add.status_code, edit.status_code, delete.status_code) == (403, 403, 403)
    assert (message.subject, message.status) == ("Original", OutboxStatus.QUEUED)


def test_retry_action_queues_the_failed_messages_again_and_publishes_them_on_commit(
    admin_client, broker, django_capture_on_commit_callbacks
):
    failed = OutboxMessageFactory(status=OutboxStatus.FAILED, attempts=1, last_error="550 …")
    sent = OutboxMessageFactory(status=OutboxStatus.SENT, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse(CHANGELIST),
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
            headers=EN,
            follow=True,
        )

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert response.status_code == 200
    assert "1 email was queued again." in response.text
    assert "1 selected email was not failed and was left as it was." in response.text
    assert (failed.status, failed.attempts) == (OutboxStatus.QUEUED, 0)
    assert sent.status == OutboxStatus.SENT
    assert broker.messages_waiting() == [failed.pk]


def test_staff_who_may_only_view_the_outbox_get_no_retry_action(client):
    viewer = User.objects.create_user(
        email="brukerstotte@navpanel.no", password="x", name="Viewer", is_staff=True
    )
    viewer.user_permissions.add(Permission.objects.get(codename="view_outboxmessage"))
    failed = OutboxMessageFactory(status=OutboxStatus.FAILED)
    client.force_login(viewer)

    page = client.get(reverse(CHANGELIST))
    client.post(reverse(CHANGELIST), {"action": "retry", "_selected_action": [failed.pk]})

    assert page.status_code == 200
    assert 'value="retry"' not in page.text
    assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.FAILED


def test_a_leader_cannot_open_the_outbox_in_the_admin(client, leader_a):
    client.force_login(leader_a)

    response = client.get(reverse(CHANGELIST))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_admin_lists_sms_beside_emails_and_filters_by_channel(admin_client, office_a):
    OutboxMessageFactory(key="invitation:seat:1:v1", to="ola@example.no")
    sms = OutboxMessageFactory(
        key="sms:invitation:seat:1:v1",
        channel="sms",
        to="+4791234567",
        subject="",
        body_text="Hei Ola! Svar her: https://navpanel.example/r/k/Ab3dE5fG7h",
        office=office_a,
    )

    listed = admin_client.get(reverse(CHANGELIST), {"channel__exact": "sms"}, headers=EN)
    found = admin_client.get(reverse(CHANGELIST), {"q": "+4791234567"}, headers=EN)
    shown = admin_client.get(reverse("admin:outbox_outboxmessage_change", args=[sms.pk]))

    assert _keys_listed(listed) == {"sms:invitation:seat:1:v1"}
    assert _keys_listed(found) == {"sms:invitation:seat:1:v1"}
    assert "Svar her" in shown.text and "NAV Rana" in shown.text

"""Error pages in NAV's look, the user's language, with a way back (issue 18, point 8).

The test settings run with DEBUG=False, as production does, so Django renders our handlers.
"""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


def _get(path: str, language: str, **headers: str):
    client = Client(raise_request_exception=False, headers={"accept-language": language})
    return client.get(path, headers=headers)


@pytest.mark.parametrize(
    ("path", "status", "norwegian", "english"),
    [
        ("/test-errors/bad/", 400, "Noe var feil i forespørselen", "Something was wrong"),
        ("/test-errors/refuses/", 403, "Du har ikke tilgang", "You do not have access"),
        ("/no-such-page/", 404, "Vi fant ikke siden", "We could not find the page"),
        ("/test-errors/fails/", 500, "Noe gikk galt hos oss", "Something went wrong on our side"),
    ],
)
def test_an_error_page_speaks_the_users_language_in_navs_look(
    settings, path, status, norwegian, english
):
    assert settings.DEBUG is False

    nb = _get(path, "nb")
    en = _get(path, "en")

    assert nb.status_code == en.status_code == status
    nb_html, en_html = nb.content.decode(), en.content.decode()
    assert '<html lang="nb"' in nb_html and norwegian in nb_html
    assert '<html lang="en"' in en_html and english in en_html
    assert "aksel-internalheader" in nb_html and "vendor/ds-css/components" in nb_html
    assert f"Feilkode {status}" in nb_html
    assert 'href="/">Gå til forsiden i navpanel</a>' in nb_html
    assert 'href="/">Go to the front page of navpanel</a>' in en_html


def test_the_way_back_is_the_page_one_came_from_when_it_was_ours():
    came_from = "http://testserver/runder/"

    ours = _get("/no-such-page/", "nb", referer=came_from).content.decode()
    elsewhere = _get("/no-such-page/", "nb", referer="https://evil.example/x").content.decode()

    assert f'href="{came_from}">Tilbake til siden du kom fra</a>' in ours
    assert "evil.example" not in elsewhere
    assert "Tilbake til siden du kom fra" not in elsewhere


def test_a_representatives_error_page_sends_them_to_their_link_not_to_the_staff_front_page():
    response = _get("/r/test-errors/fails/", "nb")

    html = response.content.decode()
    assert response.status_code == 500
    assert "55 55 33 33" in html
    assert 'href="https://www.nav.no/"' in html
    assert "Gå til forsiden i navpanel" not in html


def test_a_request_for_a_host_we_do_not_serve_gets_our_400_page():
    response = _get("/", "en", host="evil.example")

    assert response.status_code == 400
    assert "Something was wrong with the request" in response.content.decode()

"""A steering pack downloaded through the API as an integration does it, with a personal
token: the `download` link of a made pack gives the PDF (the page's download asks for a
session, so a token holder would get the log-in page), to its organization's people only."""

from metrics.steering.models import SteeringPack
from tests.partnership.test_api import api


def test_a_token_downloads_the_made_pack_from_its_download_link(world):
    pack = SteeringPack.objects.get(partnership=world.acme_contoso)
    client = api(world.alice, token=True)
    link = client.get(f"/api/v1/steering-packs/{pack.pk}/").json()["download"]
    assert link.endswith(f"/api/v1/steering-packs/{pack.pk}/download/")
    response = client.get(link, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="pack.pdf"' == response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_pack_download_is_refused_to_the_other_party_and_while_it_is_made(world):
    pack = SteeringPack.objects.get(partnership=world.acme_contoso)
    url = f"/api/v1/steering-packs/{pack.pk}/download/"
    # The CDMO's lead sees the partnership, not the sponsor's pack; a stranger neither.
    assert api(world.bob, token=True).get(url).status_code == 404
    assert api(world.dave, token=True).get(url).status_code == 404
    assert api().get(url).status_code in (401, 403)
    SteeringPack.objects.filter(pk=pack.pk).update(status="pending")
    response = api(world.alice, token=True).get(url, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"

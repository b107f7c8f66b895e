"""The addresses of a body's pages, built from a route reversed once: the same as ``reverse`` for every key."""

from django.urls import NoReverseMatch, reverse, set_script_prefix

import pytest

from catalog.models.gebiete import seitenadresse

ROUTEN = ["kommune", "kommune_druck", "kommune_csv", "kommune_xlsx", "kommune_feed", "zustaendigkeit_vorlage"]


@pytest.mark.parametrize("name", ROUTEN)
@pytest.mark.parametrize("schluessel", ["01", "01061", "01061046", "010610046046", "000000000000"])
def test_an_address_is_what_reverse_gives(name, schluessel):
    assert seitenadresse(name, schluessel) == reverse(name, args=[schluessel])


def test_the_script_prefix_is_part_of_the_address():
    try:
        set_script_prefix("/portal/")
        assert seitenadresse("kommune", "01061") == "/portal/kommunen/01061/" == reverse("kommune", args=["01061"])
    finally:
        set_script_prefix("/")
    assert seitenadresse("kommune", "01061") == "/kommunen/01061/"


@pytest.mark.parametrize("schluessel", ["a/b", "ä1", "²", "01 06"])
def test_a_key_that_is_not_plain_digits_goes_through_reverse(schluessel):
    """Quoted or refused exactly as reverse quotes or refuses it."""
    try:
        erwartet = reverse("kommune", args=[schluessel])
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            seitenadresse("kommune", schluessel)
    else:
        assert seitenadresse("kommune", schluessel) == erwartet

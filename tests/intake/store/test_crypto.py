import pytest

from intake.fields.certificate_numbers import mask_certificate_no
from intake.store.crypto import FieldCipher
from intake.store.keys import KeyProblem, new_secret


def test_seal_and_open_round_trip():
    cipher = FieldCipher(new_secret())
    token = cipher.seal("371602199003071239", "trainee.id_number")
    assert b"371602" not in token
    assert cipher.open(token, "trainee.id_number") == "371602199003071239"
    assert cipher.seal("371602199003071239", "trainee.id_number") != token  # fresh nonce every time
    assert cipher.seal("", "x") is None and cipher.open(None, "x") is None


def test_wrong_key_or_wrong_column_does_not_open():
    secret = new_secret()
    token = FieldCipher(secret).seal("13812345678", "trainee.phone")
    with pytest.raises(KeyProblem):
        FieldCipher(new_secret()).open(token, "trainee.phone")
    with pytest.raises(KeyProblem):
        FieldCipher(secret).open(token, "trainee.id_number")


def test_keyed_hash_is_stable_normalised_and_keyed():
    secret = new_secret()
    a, b = FieldCipher(secret), FieldCipher(secret)
    assert a.id_hash("37160219900307123x") == b.id_hash(" 37160219900307123X ")
    assert a.id_hash("37160219900307123X") != FieldCipher(new_secret()).id_hash("37160219900307123X")


def test_certificate_numbers_holding_an_id_are_masked():
    assert mask_certificate_no("T37160219900307123X") == "T371602********123X"
    assert mask_certificate_no("TS2137160012345") == "TS2137160012345"

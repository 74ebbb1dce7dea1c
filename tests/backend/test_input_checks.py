import pytest

from backend.input_checks import InputError, check_input, unchanged_reason
from backend.types import Fallback

pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("x" * 20_001, "too_large"),
        ("abc\x00def", "binary"),
        ("bad \ufffd bytes", "binary"),
        ("<html><body><p>Hello</p></body></html>", "html"),
    ],
)
def test_refused_drafts_get_a_clear_code(text, code):
    with pytest.raises(InputError) as error:
        check_input(text, 20_000)
    assert error.value.code == code and error.value.message


def test_ordinary_drafts_pass():
    check_input("Hi Ana, 2 < 3 and I <3 this plan. Thanks!", 20_000)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Привет, как дела? Встретимся завтра в офисе.", Fallback.NOT_ENGLISH),
        ("مرحبا، هل يمكنك إرسال التقرير غدا؟", Fallback.NOT_ENGLISH),
        ("Bonjour Marie, pourriez-vous m'envoyer le rapport demain matin avant midi, merci beaucoup.", Fallback.NOT_ENGLISH),
        ("🙂🙂🙂 12345", Fallback.NO_WORDS),
    ],
)
def test_non_english_or_wordless_text_is_left_unchanged(text, reason):
    assert unchanged_reason(text) == reason


def test_english_goes_to_the_model():
    assert unchanged_reason("Hi Sam, could you send me the report by Friday? Thanks, Dana") is None

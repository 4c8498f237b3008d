import logging

from workbook.content import load_content
from workbook.ui import errors


def test_guarded_never_raises_even_when_the_card_fails(monkeypatch, caplog):
    card = errors.error_card()

    def card_fails(_card):
        raise RuntimeError("card broke")

    monkeypatch.setattr(errors, "show_error", card_fails)
    wrapped = errors.guarded(lambda: 1 / 0, card=card)
    with caplog.at_level(logging.ERROR, logger="workbook"):
        wrapped()
    assert "ZeroDivisionError" in caplog.text
    assert "the error card could not be shown" in caplog.text


def test_a_later_success_does_not_hide_the_card():
    # Callbacks nest (a button's callback sets state whose observers are callbacks too):
    # an inner failure must stay on screen when the outer callback ends well.
    card = errors.error_card()
    inner = errors.guarded(lambda: 1 / 0, card=card)
    errors.guarded(lambda: inner(), card=card)()
    assert card.layout.display is None
    assert load_content().text.error.heading in card.value


def test_log_to_server_changes_nothing_outside_a_kernel():
    before = list(errors.LOG.handlers)
    errors.log_to_server()
    assert errors.LOG.handlers == before
    assert errors.LOG.propagate is True


def test_error_card_is_announced_and_plain():
    card = errors.error_card()
    errors.show_error(card)
    assert card.value.startswith('<div role="alert"')
    assert load_content().text.error.heading in card.value
    assert card.layout.display is None

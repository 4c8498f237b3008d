"""The checks in front of every request and on the kernel channel."""

from __future__ import annotations

import json

import pytest

from workbook.serving.guard import allowed_host, new_secret, same_secret, valid_secret
from workbook.serving.channel import frame_problem, message_kind, well_formed_v1_frame


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:8866", True),
        ("192.168.1.20", True),
        ("[::1]:8866", True),
        ("localhost:8866", True),
        ("LOCALHOST", True),
        ("clinic-pc.example:8866", True),  # a name the server was given
        ("evil.example", False),
        ("evil.example:8866", False),
        ("127.0.0.1.evil.example", False),
        ("", False),
    ],
)
def test_host_names(host, allowed):
    assert allowed_host(host, ("clinic-pc.example",)) is allowed


def test_secrets_are_new_each_time_and_compared_exactly():
    first, second = new_secret(), new_secret()
    assert first != second and valid_secret(first) and valid_secret(second)
    assert not valid_secret("short") and not valid_secret(None) and not valid_secret(first + "x")
    assert same_secret(first, first)
    assert not same_secret(first, second) and not same_secret(None, first) and not same_secret(first, None)


def v1_frame(parts: list[bytes]) -> bytes:
    offsets, position = [], 8 * (len(parts) + 2)  # the count, then one offset a part and the end
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + b"".join(parts)


def real_frame(msg_type: str, content: dict) -> bytes:
    header = json.dumps({"msg_type": msg_type}).encode()
    return v1_frame([b"iopub", header, b"{}", b"{}", json.dumps(content).encode()])


def test_v1_frames_with_a_huge_or_lying_offset_count_are_refused():
    assert well_formed_v1_frame(real_frame("comm_msg", {}))
    huge = (30_000_000).to_bytes(8, "little") + bytes(16)  # the 24-byte frame that froze the server
    assert not well_formed_v1_frame(huge)
    assert not well_formed_v1_frame((10**9).to_bytes(8, "little"))
    assert not well_formed_v1_frame(b"\x01")
    lying = (6).to_bytes(8, "little") + (10**6).to_bytes(8, "little") * 6  # offsets past its end
    assert not well_formed_v1_frame(lying)


def legacy_shaped(count: int) -> bytes:
    return count.to_bytes(8, "little") + (8 * (count + 1)).to_bytes(8, "little") * count


def test_each_frame_is_checked_against_its_own_channels_protocol():
    comm = real_frame("comm_msg", {})
    legacy = json.dumps({"header": {"msg_type": "comm_msg"}, "channel": "shell", "content": {}})
    assert frame_problem(comm, v1=True) is None
    assert frame_problem(legacy, v1=False) is None
    # A legacy channel takes no binary frame: the legacy parser believes its first 4 bytes.
    for count in (2, 4, 32):
        assert frame_problem(legacy_shaped(count), v1=False) == "a binary frame on a legacy channel"
    assert frame_problem(comm, v1=False) == "a binary frame on a legacy channel"
    assert frame_problem(legacy, v1=True) == "a text frame on a v1 channel"


@pytest.mark.parametrize(
    ("frame", "v1"),
    [
        (legacy_shaped(2), True),  # too few offsets for a header
        (v1_frame([b"nowhere", b"{}", b"{}", b"{}", b"{}"]), True),  # no such channel
        (v1_frame([b"shell", b"{not json", b"{}", b"{}", b"{}"]), True),
        (v1_frame([b"shell", b"\xff\xfe", b"{}", b"{}", b"{}"]), True),
        (v1_frame([b"shell", b"[]", b"{}", b"{}", b"{}"]), True),
        (v1_frame([b"\xff", b"{}", b"{}", b"{}", b"{}"]), True),
        ("[" * 30_000, False),  # nested past the JSON parser
        ("not json", False),
        ("[]", False),
        (json.dumps({"header": []}), False),
        (json.dumps({"header": {"msg_type": "comm_msg"}, "channel": 3}), False),
    ],
)
def test_a_malformed_frame_is_named_without_an_exception(frame, v1):
    assert frame_problem(frame, v1=v1) is not None


def test_error_output_is_recognised_in_every_form():
    assert message_kind(real_frame("stream", {"name": "stderr", "text": "Traceback"})) == "stream:stderr"
    assert message_kind(real_frame("stream", {"name": "stdout", "text": "hi"})) == "stream:stdout"
    assert message_kind(real_frame("error", {"traceback": []})) == "error"
    assert message_kind({"header": {"msg_type": "comm_msg"}, "content": {}}) == "comm_msg"
    assert message_kind(json.dumps({"header": {"msg_type": "error"}})) == "error"
    assert message_kind(b"\x00" * 4) is None

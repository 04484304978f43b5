"""The freeze_updates config: each spec form across steps, and every bad config."""

from __future__ import annotations

import pytest

from neuraltypes.freezing import FreezeSchedule, load_freeze_config

CFG = {
    "enabled": True,
    "modules": {"encoder": 3, "decoder": [5, -1], "joint": [2, 4], "transcoder": -1, "head": 0},
}


def test_schedule_table() -> None:
    schedule = FreezeSchedule.from_config(CFG)
    table = {update: sorted(schedule.frozen_at(update)) for update in range(1, 8)}
    assert table == {
        1: ["encoder", "transcoder"],
        2: ["encoder", "joint", "transcoder"],
        3: ["encoder", "joint", "transcoder"],
        4: ["joint", "transcoder"],
        5: ["decoder", "transcoder"],
        6: ["decoder", "transcoder"],
        7: ["decoder", "transcoder"],
    }
    assert sorted(schedule.frozen_at(10**6)) == ["decoder", "transcoder"]


def test_disabled_does_nothing() -> None:
    schedule = FreezeSchedule.from_config({**CFG, "enabled": False})
    assert schedule.frozen_at(1) == frozenset()


def test_segments() -> None:
    schedule = FreezeSchedule.from_config({"modules": {"a": [3, 5]}})
    assert schedule.breakpoints() == [3.0, 6.0]
    assert schedule.segment(1) == (-float("inf"), 3.0)
    assert schedule.segment(4) == (3.0, 6.0)
    assert schedule.segment(9) == (6.0, float("inf"))


@pytest.mark.parametrize(
    ("cfg", "message"),
    [
        ({"enabled": True}, "freeze_updates has no 'modules' mapping (module name -> steps)"),
        ([1, 2], "freeze_updates must be a mapping with 'enabled' and 'modules', got list"),
        (
            {"modules": {}, "enable": True},
            "freeze_updates has unknown keys ['enable']; expected 'enabled' and 'modules'",
        ),
        (
            {"enabled": "yes", "modules": {}},
            "freeze_updates.enabled must be true or false, got 'yes'",
        ),
        (
            {"modules": ["encoder"]},
            "freeze_updates.modules must map module names to steps, got list",
        ),
        (
            {"modules": {"enc": [10, 5]}},
            "freeze_updates.modules.enc = [10, 5]: the range ends (5) before it starts (10)",
        ),
        (
            {"modules": {"enc": [1, 2, 3]}},
            "freeze_updates.modules.enc = [1, 2, 3]: a range needs 2 numbers [start, end], got 3",
        ),
        ({"modules": {"enc": 2.5}}, "freeze_updates.modules.enc = 2.5: 2.5 is not an integer"),
        ({"modules": {"enc": True}}, "freeze_updates.modules.enc = True: True is not an integer"),
        ({"modules": {"enc": "10"}}, "freeze_updates.modules.enc = '10': '10' is not an integer"),
        (
            {"modules": {"enc": -5}},
            "freeze_updates.modules.enc = -5: -5 is negative; the only negative value allowed is -1",
        ),
        (
            {"modules": {"enc": [-1, 5]}},
            "freeze_updates.modules.enc = [-1, 5]: the start of a range can't be -1",
        ),
        (
            {"modules": {"enc": [3, -2]}},
            "freeze_updates.modules.enc = [3, -2]: -2 is negative; the only negative value allowed is -1",
        ),
        (
            {"modules": {"encoder": 5, "encoder.layers.0": 2}},
            "freeze_updates.modules lists both 'encoder' and its submodule 'encoder.layers.0'; "
            "schedule one or the other",
        ),
    ],
)
def test_bad_configs(cfg: object, message: str) -> None:
    with pytest.raises(ValueError) as info:
        FreezeSchedule.from_config(cfg)
    assert str(info.value) == message


def test_load_from_yaml_text_file_and_omegaconf(tmp_path: object) -> None:
    from pathlib import Path

    from omegaconf import OmegaConf

    text = "model:\n  freeze_updates:\n    enabled: true\n    modules:\n      encoder: 3\n"
    path = Path(str(tmp_path)) / "cfg.yaml"
    path.write_text(text)
    expected = FreezeSchedule(True, {"encoder": (1, 3)})
    assert load_freeze_config(text) == expected
    assert load_freeze_config(path) == expected
    assert load_freeze_config(str(path)) == expected
    assert load_freeze_config(OmegaConf.create(text)) == expected
    assert load_freeze_config(OmegaConf.create(text).model.freeze_updates) == expected
    assert load_freeze_config({"freeze_updates": {"modules": {"encoder": 3}}}) == expected
    with pytest.raises(FileNotFoundError, match="freeze config file not found: nope.yaml"):
        load_freeze_config("nope.yaml")

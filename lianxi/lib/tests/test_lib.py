import pytest

from lianxi.lib.env import env_bool, env_int, env_str
from lianxi.lib.numbers import chinese_ordinal
from lianxi.lib.text import normalise_query, pinyin_initials, to_simplified, to_traditional


def test_env_bool_is_strict(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ValueError, match="X_FLAG"):
        env_bool("X_FLAG")


def test_env_int_is_strict(monkeypatch):
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 3) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ValueError, match="X_NUM"):
        env_int("X_NUM", 3)


def test_secret_read_from_file(tmp_path, monkeypatch):
    secret = tmp_path / "key"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("X_KEY", "from-env")
    monkeypatch.setenv("X_KEY_FILE", str(secret))
    assert env_str("X_KEY") == "from-file"


@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (13, "十三"), (20, "二十"), (103, "一百零三"), (110, "一百一十")])
def test_chinese_ordinal(n, text):
    assert chinese_ordinal(n) == text


def test_chinese_text_helpers():
    assert pinyin_initials("黄浦区“文化思南”") == "hpqwhsn"
    assert to_traditional("联席会议") == "聯席會議"
    assert to_simplified("聯席會議") == "联席会议"
    assert normalise_query(" 聯席·會議 ") == "联席会议"


def test_pinyin_initials_keep_runs_of_letters_and_digits_whole():
    assert pinyin_initials("示例单位000123科技公司") == "sldw000123kjgs"
    assert pinyin_initials("示例街道01·C9会客厅") == "sljd01c9hkt"

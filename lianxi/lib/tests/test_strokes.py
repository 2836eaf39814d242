"""姓氏笔画 order checked against orders whose answer is known from the rule's own examples and
from stroke counts anyone can verify by writing the characters."""

from lianxi.lib.strokes import person_key, sort_names, sort_people, stroke_count, strokes, unknown_characters


def test_stroke_counts_of_common_surnames():
    assert [stroke_count(c) for c in "丁王方欧洪韩"] == [2, 4, 4, 8, 9, 12]


def test_fewer_strokes_first():
    assert sort_people(["韩志强", "王明", "丁一"]) == ["丁一", "王明", "韩志强"]


def test_compound_surname_by_its_first_character():
    # 欧 has 8 strokes, 洪 9: 欧阳 stands before 洪.
    assert sort_people(["洪某某", "欧阳某"]) == ["欧阳某", "洪某某"]


def test_same_count_by_first_stroke_class_heng_shu_pie_dian_zhe():
    # All four strokes: 王 starts 横, 中 starts 竖, 毛 starts 撇, 方 starts 点, 邓 starts 折.
    assert [len(strokes(c)) for c in "王中毛方邓"] == [4, 4, 4, 4, 4]
    assert sort_people(["邓某", "方某", "毛某", "中某", "王某"]) == ["王某", "中某", "毛某", "方某", "邓某"]


def test_tie_goes_to_the_second_stroke():
    # Three strokes each: 干 横横竖, 土 横竖横, 上 竖横横 — the first differing stroke decides.
    assert sort_names(["上", "土", "干"]) == ["干", "土", "上"]


def test_a_single_given_name_leaves_a_blank_that_comes_first():
    assert sort_people(["田大利", "田富"]) == ["田富", "田大利"]
    assert person_key("田富")[1] == (0, ())


def test_traditional_characters_are_read_through_their_simplified_form():
    assert stroke_count("韓") == stroke_count("韩")


def test_unknown_characters_are_named_and_sort_last():
    assert unknown_characters(["王䶮"]) == {"䶮"}
    assert sort_names(["䶮", "王"]) == ["王", "䶮"]


def test_letters_and_digits_after_han_and_in_code_point_order():
    assert sort_names(["示例单位2", "示例单位1", "示例单位甲"]) == ["示例单位甲", "示例单位1", "示例单位2"]

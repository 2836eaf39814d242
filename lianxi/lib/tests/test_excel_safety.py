"""Excel files written by the app never carry a formula a user typed (formula injection), and
text read from an upload stays the text typed."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from lianxi.lib import excel

HOSTILE = ['=HYPERLINK("http://evil.example/x","点击查看")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "=1+1\n第二行"]


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/"))


def test_add_table_writes_formula_like_text_as_text():
    wb = excel.new_workbook()
    excel.add_table(wb, "清单", ["序号", "内容"], [[i, value] for i, value in enumerate(HOSTILE, start=1)],
                    caption="=1+1 示例")
    data = excel.to_bytes(wb)
    assert "<f>" not in sheet_xml(data)
    ws = load_workbook(io.BytesIO(data))["清单"]
    assert ws["A1"].value == "=1+1 示例" and ws["A1"].data_type == "s"
    cells = [ws.cell(row=3 + i, column=2) for i in range(len(HOSTILE))]
    # Exactly as typed, no apostrophe added (XML itself reads a bare CR as a line feed).
    assert [c.value.replace("\r", "\n") for c in cells] == [v.replace("\r", "\n") for v in HOSTILE]
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_template_choices_and_example_are_text():
    columns = [excel.Column("owner", "单位", required=True, choices=["=1+1", "示例单位A"]),
               excel.Column("title", "名称")]
    data = excel.to_bytes(excel.template(columns, title="=标题", example={"owner": "=1+1", "title": "@x"}))
    assert "<f>" not in sheet_xml(data)


def test_control_characters_in_stored_text_do_not_break_an_export():
    wb = excel.new_workbook()
    excel.add_table(wb, "清单", ["内容"], [["示例\x01需求\x1f"]])
    ws = load_workbook(io.BytesIO(excel.to_bytes(wb)))["清单"]
    assert ws["A2"].value == "示例需求"


@pytest.mark.parametrize("value", HOSTILE[:5])
def test_uploaded_text_cells_are_read_as_the_text_typed(value):
    from tests.security.corpus import need_row, workbook
    from tests.security.corpus import sheet_xml as corpus_sheet

    data = workbook(corpus_sheet([need_row(1)[:1] + [value] + need_row(1)[2:]]))
    cols = [excel.Column("owner", "需求单位", required=True), excel.Column("title", "需求名称", required=True)]
    [(number, row)] = list(excel.read_rows(io.BytesIO(data), cols))
    assert (number, row["title"]) == (2, value.strip())

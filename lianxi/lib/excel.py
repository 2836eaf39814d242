"""Excel in and out (openpyxl): templates with Chinese headers and drop-down lists, reading rows
with their row numbers, and writing plain tables for download.

A template is a list of :class:`Column`. Drop-down choices live on a hidden sheet (选项) and the
data validation refers to its ranges, so lists longer than Excel's 255-character inline limit
(hundreds of areas or units) still work."""

import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lianxi.lib.downloads import attachment

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "数据"
CHOICES_SHEET = "选项"
HELP_SHEET = "填写说明"
HEADER_FILL = PatternFill("solid", fgColor="FDE7E7")


class ExcelFormatError(ValueError):
    """The file is not a workbook of the expected shape (not xlsx, headers missing …)."""


@dataclass
class Column:
    key: str
    header: str
    required: bool = False
    choices: Sequence[str] | None = None
    width: int = 16
    help: str = ""
    multiple: bool = False  # several choices in one cell, separated by 、 or ，
    number: bool = False
    date: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.header}*" if self.required else self.header


# Starts a cell of a template's example row; a row carrying it is skipped on import.
EXAMPLE_MARK = "【示例，请删除本行】"


def template(columns: Sequence[Column], *, title: str, example: dict | None = None,
             rows_with_validation: int = 2000, notes: Iterable[str] = ()) -> Workbook:
    """A workbook with a 数据 sheet (headers, an optional example row), the drop-downs, and a
    填写说明 sheet explaining each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    choices_ws = wb.create_sheet(CHOICES_SHEET)
    help_ws = wb.create_sheet(HELP_SHEET)
    for index, col in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index, value=col.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = col.width
        if col.date:
            for row in range(2, rows_with_validation + 2):
                ws.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        if col.choices:
            choices_ws.cell(row=1, column=index, value=col.header).font = Font(bold=True)
            for offset, choice in enumerate(col.choices, start=2):
                choices_ws.cell(row=offset, column=index, value=choice)
            if not col.multiple:
                last = len(col.choices) + 1
                dv = DataValidation(
                    type="list", formula1=f"'{CHOICES_SHEET}'!${letter}$2:${letter}${last}", allow_blank=not col.required,
                    showErrorMessage=True, errorTitle="输入无效", error=f"请从下拉列表中选择{col.header}。",
                    showInputMessage=bool(col.help), promptTitle=col.header[:32], prompt=col.help[:250],
                )
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{rows_with_validation + 1}")
        elif col.number:
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="1", allow_blank=not col.required,
                                showErrorMessage=True, errorTitle="输入无效", error=f"{col.header}须为正整数。")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{rows_with_validation + 1}")
    ws.freeze_panes = "A2"
    if example:
        for index, col in enumerate(columns, start=1):
            ws.cell(row=2, column=index, value=example.get(col.key))
    choices_ws.sheet_state = "hidden"
    help_ws.append([title])
    help_ws["A1"].font = Font(bold=True, size=14)
    help_ws.append(["带 * 的列必须填写；有下拉列表的列请从列表中选择。第 1 行是表头，请勿修改。"])
    for note in notes:
        help_ws.append([note])
    help_ws.append([])
    help_ws.append(["列", "是否必填", "说明"])
    for col in columns:
        help_ws.append([col.header, "必填" if col.required else "选填", col.help])
    help_ws.column_dimensions["A"].width = 18
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 80
    return wb


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    return value


def open_workbook(file) -> Workbook:
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a zoo of exceptions for non-xlsx input
        raise ExcelFormatError(_("无法读取文件，请上传由模板填写的 .xlsx 文件。")) from exc


def read_rows(file, columns: Sequence[Column], *, sheet: str | None = DATA_SHEET) -> Iterator[tuple[int, dict]]:
    """``(row_number, {key: value})`` for every non-empty row after the header, the number being
    the row as Excel shows it. Headers are matched by text (the trailing * is optional), so
    columns may be reordered; a missing required header raises :class:`ExcelFormatError`."""
    wb = open_workbook(file)
    try:
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise ExcelFormatError(_("文件是空的。"))
        positions = {}
        by_header = {col.header: col for col in columns}
        for index, text in enumerate(header):
            text = str(text or "").strip().rstrip("*＊").strip()
            if text in by_header:
                positions[by_header[text].key] = index
        missing = [col.header for col in columns if col.required and col.key not in positions]
        if missing:
            raise ExcelFormatError(_("缺少必填列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)})
        for number, values in enumerate(rows, start=2):
            cleaned = {key: _clean(values[pos]) if pos < len(values) else None for key, pos in positions.items()}
            if all(v is None for v in cleaned.values()):
                continue
            if any(isinstance(v, str) and v.startswith(EXAMPLE_MARK) for v in cleaned.values()):
                continue  # the template's example row, left in by the user: never imported
            yield number, cleaned
    finally:
        wb.close()


# A row element's opening, plain or with a namespace prefix (``<x:row …>``); all five bytes long.
_ROW_TAGS = (b"<row ", b"<row>", b"<row/")
_PREFIXED_ROW_TAGS = (b":row ", b":row>", b":row/")


def _count_row_tags(source) -> int:
    """Row elements in a sheet's XML, counted in chunks without parsing it."""
    plain = prefixed = 0
    tail = b""
    while chunk := source.read(1 << 20):
        buffer = tail + chunk
        plain += sum(buffer.count(tag) for tag in _ROW_TAGS)
        prefixed += sum(buffer.count(tag) for tag in _PREFIXED_ROW_TAGS)
        # Four bytes carried over: a tag split between chunks is counted once, none twice.
        tail = buffer[-4:]
    return plain or prefixed


def count_rows(file, *, sheet: str | None = DATA_SHEET) -> int | None:
    """Rows after the header (for a progress bar; may include blanks): as the sheet's dimension
    records them, or — for files written without one, e.g. by openpyxl's write-only mode — by
    counting the row elements of its XML; ``None`` if neither is possible."""
    wb = open_workbook(file)
    try:
        ws = wb[sheet] if sheet and sheet in wb.sheetnames else wb.worksheets[0]
        if ws.max_row is not None:
            return max(ws.max_row - 1, 0)
        try:
            with ws._get_source() as source:  # the sheet's XML, as openpyxl's read-only reader opens it
                return max(_count_row_tags(source) - 1, 0)
        except (AttributeError, KeyError, OSError):
            return None
    finally:
        wb.close()


def split_multiple(value) -> list[str]:
    """A cell holding several choices: ``甲、乙，丙`` → ``['甲', '乙', '丙']``."""
    if value in (None, ""):
        return []
    text = str(value)
    for sep in ("，", ",", "；", ";", "\n"):
        text = text.replace(sep, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def add_table(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence],
              widths: Sequence[int] | None = None, caption: str | None = None):
    """A sheet with an optional caption line, bold headers and the rows."""
    ws = wb.create_sheet(title[:31])
    if caption:
        ws.append([caption])
        ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    ws.append(list(headers))
    header_row = ws.max_row
    for index in range(1, len(headers) + 1):
        cell = ws.cell(row=header_row, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = (widths[index - 1] if widths else 16)
    for row in rows:
        ws.append(list(row))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return ws


def new_workbook() -> Workbook:
    """An empty workbook (its default sheet removed) for :func:`add_table`."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def download(wb: Workbook, filename: str) -> HttpResponse:
    """The workbook as an attachment; the Chinese file name is sent per RFC 6266/5987."""
    return attachment(to_bytes(wb), filename, XLSX_CONTENT_TYPE)

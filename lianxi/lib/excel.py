"""Excel in and out (openpyxl): templates with Chinese headers and drop-down lists, reading rows
with their row numbers, and writing plain tables for download.

A template is a list of :class:`Column`. Drop-down choices live on a hidden sheet (选项) and the
data validation refers to its ranges, so lists longer than Excel's 255-character inline limit
(hundreds of areas or units) still work."""

import datetime
import io
import os
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from lianxi.lib.downloads import attachment

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "数据"
CHOICES_SHEET = "选项"
HELP_SHEET = "填写说明"
HEADER_FILL = PatternFill("solid", fgColor="FDE7E7")

# Text starting with one of these is a formula (or DDE command) to a spreadsheet program that
# re-parses cell text, e.g. after an edit or a CSV round trip.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def exportable(value):
    """A value as it may be written: text without the control characters XML cannot carry
    (openpyxl would refuse the whole file for one of them)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def as_text(cell):
    """Keep a formula-like string a plain string: stored as a text cell (``t="s"``, never
    ``<f>``) with Excel's quote prefix, so it shows exactly as typed — no apostrophe in the
    text — and stays text when someone edits the cell. Chosen over prefixing ``'`` because the
    released record must read as the unit wrote it."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put(ws, row: int, column: int, value):
    """Write one cell safely: every cell the app writes goes through here or :func:`add_table`."""
    return as_text(ws.cell(row=row, column=column, value=exportable(value)))


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
        cell = put(ws, 1, index, col.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[letter].width = col.width
        if col.date:
            for row in range(2, rows_with_validation + 2):
                ws.cell(row=row, column=index).number_format = "yyyy-mm-dd"
        if col.choices:
            put(choices_ws, 1, index, col.header).font = Font(bold=True)
            for offset, choice in enumerate(col.choices, start=2):
                put(choices_ws, offset, index, choice)
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
            put(ws, 2, index, example.get(col.key))
    choices_ws.sheet_state = "hidden"
    lines = [[title], ["带 * 的列必须填写；有下拉列表的列请从列表中选择。第 1 行是表头，请勿修改。"],
             *([note] for note in notes), [], ["列", "是否必填", "说明"],
             *([col.header, "必填" if col.required else "选填", col.help] for col in columns)]
    for number, line in enumerate(lines, start=1):
        for index, value in enumerate(line, start=1):
            put(help_ws, number, index, value)
    help_ws["A1"].font = Font(bold=True, size=14)
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


# --------------------------------------------------------------------------------------------
# Reading an upload: inspected before it is parsed, then read whole
# --------------------------------------------------------------------------------------------

CORRUPT = _lazy("文件已损坏或格式不受支持")


class ExcelLimitError(ExcelFormatError):
    """The file is a workbook, but bigger than this deployment accepts (see :class:`Limits`)."""


@dataclass(frozen=True)
class Limits:
    """What one upload may hold; each is a setting (``LIANXI_IMPORT_*``, the README's table)."""

    max_bytes: int
    max_uncompressed_bytes: int
    max_rows: int
    max_cell_chars: int
    max_shared_strings_bytes: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(settings.IMPORT_MAX_BYTES, settings.IMPORT_MAX_UNCOMPRESSED_BYTES, settings.IMPORT_MAX_ROWS,
                   settings.IMPORT_MAX_CELL_CHARS, settings.IMPORT_MAX_SHARED_STRINGS_BYTES)


def _corrupt(reason: str) -> ExcelFormatError:
    return ExcelFormatError(_("文件已损坏或格式不受支持（%(reason)s），请在 Excel 中另存为 .xlsx 后重新上传。")
                            % {"reason": reason})


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


# XML 1.0 forbids these bytes anywhere in a document; in UTF-16 text every other byte is NUL.
_ILLEGAL_XML_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 1 << 20
_MAX_MEMBERS = 10_000


@dataclass
class Inspection:
    """What :func:`inspect` learnt: row elements per worksheet part, and the sheets' parts by name."""

    rows: dict = field(default_factory=dict)
    sheet_parts: dict = field(default_factory=dict)

    def rows_of(self, sheet: str | None) -> int | None:
        part = self.sheet_parts.get(sheet) if sheet else None
        if part is None and self.sheet_parts:
            part = next(iter(self.sheet_parts.values()))
        return self.rows.get(part)


@contextmanager
def _opened(file):
    """A path (the command line) opened for reading, or the upload itself."""
    if isinstance(file, str | os.PathLike):
        with open(file, "rb") as handle:
            yield handle
    else:
        yield file


def _upload_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def _sheet_parts(zf: zipfile.ZipFile) -> dict:
    """``{sheet name: part path}`` from the workbook and its relationships (small parts, already
    checked for DTDs, parsed with defusedxml)."""
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = {}
    if "xl/_rels/workbook.xml.rels" in zf.NameToInfo:
        for rel in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels")):
            target = rel.get("Target", "")
            rels[rel.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return {sheet.get("name"): rels.get(sheet.get(f"{ns_rel}id"))
            for sheet in workbook.iter(f"{ns_main}sheet")}


def inspect(file, limits: Limits | None = None) -> Inspection:
    """Check an upload before any parser sees it; raise :class:`ExcelLimitError` or
    :class:`ExcelFormatError` naming what is wrong.

    In this order, each bounded by the one before: the file's size; the zip's directory (members,
    their declared uncompressed sizes — a zip bomb stops here —, encryption, compression method);
    then every member is decompressed in 1 MB chunks, which checks its CRC and never reads past its
    declared size, while its XML is scanned for a DOCTYPE or ENTITY declaration (refused: entities
    are never expanded, so no XXE and no billion laughs), for bytes XML forbids (control characters,
    UTF-16 text) and, in worksheets, for more rows than allowed. Nothing is built in memory but
    the counts."""
    limits = limits or Limits.from_settings()
    size = _upload_size(file)
    if size > limits.max_bytes:
        raise ExcelLimitError(_("文件过大：%(size)s，每次导入的上限为 %(limit)s，请拆分后分批导入。")
                              % {"size": _mb(size), "limit": _mb(limits.max_bytes)})
    if size == 0:
        raise _corrupt(_("文件为空"))
    file.seek(0)
    try:
        zf = zipfile.ZipFile(file)
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _corrupt(_("不是 .xlsx 文件")) from exc
    if len(infos) > _MAX_MEMBERS:
        raise _corrupt(_("压缩包内文件过多"))
    if "xl/workbook.xml" not in zf.NameToInfo:
        raise _corrupt(_("缺少工作簿"))
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_bytes:
        raise ExcelLimitError(_("文件解压后过大（%(size)s，上限为 %(limit)s），请拆分后分批导入。")
                              % {"size": _mb(declared), "limit": _mb(limits.max_uncompressed_bytes)})
    inspection = Inspection()
    for info in infos:
        if info.flag_bits & 0x1:
            raise _corrupt(_("文件已加密"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _corrupt(_("不支持的压缩方式"))
        name = info.filename
        if name == "xl/sharedStrings.xml" and info.file_size > limits.max_shared_strings_bytes:
            raise ExcelLimitError(_("文件中的文字总量过大（%(size)s，上限为 %(limit)s），请拆分后分批导入。")
                                  % {"size": _mb(info.file_size), "limit": _mb(limits.max_shared_strings_bytes)})
        is_xml = name.endswith((".xml", ".rels", ".vml"))
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        try:
            rows = _scan_member(zf, info, is_xml=is_xml, count_rows=is_sheet, max_rows=limits.max_rows + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise _corrupt(_("压缩数据校验失败")) from exc
        if is_sheet:
            inspection.rows[name] = rows
    try:
        inspection.sheet_parts = _sheet_parts(zf)
    except Exception as exc:  # noqa: BLE001 - any parse failure of the workbook part is a bad file
        raise _corrupt(_("工作簿结构无效")) from exc
    return inspection


def _scan_member(zf, info, *, is_xml: bool, count_rows: bool, max_rows: int) -> int:
    rows = prefixed = 0
    tail = b""
    first = True
    with zf.open(info) as source:
        while chunk := source.read(_CHUNK):
            if is_xml:
                if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    raise _corrupt(_("不支持 UTF-16 编码"))
                if _ILLEGAL_XML_BYTES.search(chunk):
                    raise _corrupt(_("含有控制字符"))
                window = tail + chunk
                if any(marker in window for marker in _DTD_MARKERS):
                    raise _corrupt(_("含有 DTD 声明"))
                if count_rows:
                    rows += sum(window.count(tag) for tag in _ROW_TAGS) - sum(tail.count(tag) for tag in _ROW_TAGS)
                    prefixed += (sum(window.count(tag) for tag in _PREFIXED_ROW_TAGS)
                                 - sum(tail.count(tag) for tag in _PREFIXED_ROW_TAGS))
                    if max(rows, prefixed) > max_rows:
                        raise ExcelLimitError(_("文件行数过多：超过每次导入 %(limit)s 行的上限，请拆分后分批导入。")
                                              % {"limit": f"{max_rows - 1:,}"})
                tail = window[-16:]
            first = False
    return max(rows, prefixed)


def open_workbook(file) -> Workbook:
    """An openpyxl workbook of a file written by this app (tests, benchmarks); uploads are read
    with :func:`read_rows`, which inspects them first."""
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises a zoo of exceptions for non-xlsx input
        raise _corrupt(_("不是 .xlsx 文件")) from exc


def _sheet_rows(file, sheet: str | None):
    """``(first Excel row number, rows)`` of ``sheet`` (or the first sheet), read with
    python-calamine: every row the sheet's XML holds, whatever its ``<dimension>`` claims."""
    from python_calamine import CalamineWorkbook

    file.seek(0)
    try:
        wb = CalamineWorkbook.from_filelike(file)
        name = sheet if sheet and sheet in wb.sheet_names else wb.sheet_names[0]
        ws = wb.get_sheet_by_name(name)
        return ws.to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001 - calamine's errors (zip, XML, values) all mean a bad file
        raise _corrupt(_("无法解析工作表")) from exc


def read_rows(file, columns: Sequence[Column], *, sheet: str | None = DATA_SHEET,
              limits: Limits | None = None) -> Iterator[tuple[int, dict]]:
    """``(row_number, {key: value})`` for every non-empty row after the header, the number being
    the row as Excel shows it. The file is :func:`inspect`-ed first; every row is read (the
    sheet's recorded dimension is not trusted). Text cells come back as the text typed — a cell
    reading ``=1+1`` is that text, and formulas are never evaluated (their cached value is read).
    Headers are matched by text (the trailing * is optional), so columns may be reordered; a
    missing required header raises :class:`ExcelFormatError`."""
    limits = limits or Limits.from_settings()
    with _opened(file) as handle:
        inspect(handle, limits)
        table = _sheet_rows(handle, sheet)
    if not table:
        raise ExcelFormatError(_("文件是空的。"))
    _check_cells(table, limits)
    header = table[0]
    positions = {}
    by_header = {col.header: col for col in columns}
    for index, text in enumerate(header):
        text = str(text or "").strip().rstrip("*＊").strip()
        if text in by_header:
            positions[by_header[text].key] = index
    missing = [col.header for col in columns if col.required and col.key not in positions]
    if missing:
        raise ExcelFormatError(_("缺少必填列：%(columns)s。请使用下载的模板。") % {"columns": "、".join(missing)})
    for number, values in enumerate(table[1:], start=2):
        cleaned = {key: _clean(values[pos]) if pos < len(values) else None for key, pos in positions.items()}
        if all(v is None for v in cleaned.values()):
            continue
        if any(isinstance(v, str) and v.startswith(EXAMPLE_MARK) for v in cleaned.values()):
            continue  # the template's example row, left in by the user: never imported
        yield number, cleaned


NO_DATA_ROWS = "文件中没有数据行。"


def data_rows(file, columns: Sequence[Column], report) -> Iterator[tuple[int, dict]]:
    """:func:`read_rows` for an import that reports on the file: a file that cannot be read, or has
    no data rows, is said in ``report.file_error`` (the rows read before a problem stand) instead of
    raised. After the loop, ``report.file_error`` empty means the file was read to its end."""
    count = 0
    try:
        for row in read_rows(file, columns):
            count += 1
            yield row
    except ExcelFormatError as exc:
        report.file_error = str(exc)
        return
    if not count:
        report.file_error = NO_DATA_ROWS


def _check_cells(table, limits: Limits):
    """Every text cell of the sheet, read or not: within the length limit and free of the
    control characters XML forbids (which calamine would decode from ``_x0001_`` escapes)."""
    for number, values in enumerate(table, start=1):
        for pos, value in enumerate(values):
            if not isinstance(value, str):
                continue
            if len(value) > limits.max_cell_chars:
                raise ExcelLimitError(
                    _("第 %(row)s 行第 %(col)s 列的内容过长（%(n)s 字，上限为 %(limit)s 字）。")
                    % {"row": number, "col": get_column_letter(pos + 1), "n": f"{len(value):,}",
                       "limit": f"{limits.max_cell_chars:,}"})
            if ILLEGAL_CHARACTERS_RE.search(value):
                raise _corrupt(_("第 %(row)s 行第 %(col)s 列含有控制字符")
                               % {"row": number, "col": get_column_letter(pos + 1)})


# A row element's opening, plain or with a namespace prefix (``<x:row …>``); all five bytes long.
_ROW_TAGS = (b"<row ", b"<row>", b"<row/")
_PREFIXED_ROW_TAGS = (b":row ", b":row>", b":row/")


def count_rows(file, *, sheet: str | None = DATA_SHEET) -> int | None:
    """Rows after the header (for a progress bar; may include blanks), counted from the sheet's
    row elements by :func:`inspect` — which also refuses a bad or oversized file up front."""
    with _opened(file) as handle:
        rows = inspect(handle).rows_of(sheet)
    return None if rows is None else max(rows - 1, 0)


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
    """A sheet with an optional caption line, bold headers and the rows; text that looks like a
    formula is written as text (:func:`as_text`)."""
    ws = wb.create_sheet(title[:31])
    header_row = 1
    if caption:
        put(ws, 1, 1, caption).font = Font(bold=True, size=14)
        header_row = 2
    for index, header in enumerate(headers, start=1):
        cell = put(ws, header_row, index, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = (widths[index - 1] if widths else 16)
    for number, row in enumerate(rows, start=header_row + 1):
        values = [exportable(v) for v in row]
        ws.append(values)
        for index, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
                as_text(ws.cell(row=number, column=index))
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

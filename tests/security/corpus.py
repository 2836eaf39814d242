"""The malformed-file corpus: .xlsx files that are broken, hostile or too big, built in memory
in well under a second each (the big ones are highly compressible, so they stay small on disk).

Each case names the file and the message the import must answer with; the tests replay every case
against every import (the web page for needs and for resources, the ``import_needs`` command).
``python -m tests.security.corpus DIR`` writes the files to DIR for manual checks.

A valid workbook is built directly as XML parts (no openpyxl, no database) with the needs
template's headers, so each case changes one thing against a file that is otherwise good."""

import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

HEADERS = ["需求单位*", "需求名称*", "需求描述", "类别*", "街道/居民区*", "需求数量*"]
CORRUPT = "文件已损坏或格式不受支持"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def _letter(index: int) -> str:
    return chr(ord("A") + index)


def _row(number: int, values) -> str:
    cells = []
    for col, value in enumerate(values):
        ref = f"{_letter(col)}{number}"
        if isinstance(value, int):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        elif value is not None:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>')
    return f'<row r="{number}">{"".join(cells)}</row>'


def sheet_xml(rows, *, dimension: str | None = None, doctype: str = "") -> bytes:
    head = SHEET_HEAD
    if doctype:
        head = head.replace("?>", "?>" + doctype, 1)
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(_row(n, values) for n, values in enumerate([HEADERS, *rows], start=1))
    return f"{head}{dim}<sheetData>{body}</sheetData></worksheet>".encode()


def shared_strings_xml(strings=("示例",)) -> bytes:
    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>').encode()


def workbook(sheet: bytes, shared: bytes | None = None, *, compression=zipfile.ZIP_DEFLATED, level=6) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
        zf.writestr("xl/sharedStrings.xml", shared or shared_strings_xml())
    return buffer.getvalue()


def need_row(i: int, owner="示例街道", area="示例街道", category="为老服务"):
    return [owner, f"示例导入需求{i:04d}", "每周五天", category, area, 5]


# ---------------------------------------------------------------------------------------- cases

def dimension_lie(rows: int = 50) -> bytes:
    """50 good rows under a <dimension> that claims 10: every row must be read."""
    return workbook(sheet_xml([need_row(i) for i in range(rows)], dimension="A1:N11"))


def million_rows() -> bytes:
    """1,000,000 one-cell rows (about 2 MB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/sharedStrings.xml", shared_strings_xml().decode())):
            zf.writestr(name, data)
        with zf.open("xl/worksheets/sheet1.xml", "w") as out:
            out.write(sheet_xml([]).replace(b"</sheetData></worksheet>", b""))
            chunk = b"<row><c><v>1</v></c></row>" * 10_000
            for _ in range(100):
                out.write(chunk)
            out.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def huge_shared_string(size: int = 150_000_000) -> bytes:
    """One shared string of ``size`` characters, referenced by one cell (about 150 KB compressed)."""
    buffer = io.BytesIO()
    sheet = sheet_xml([]).replace(b"</sheetData>", b'<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData>')
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet)):
            zf.writestr(name, data)
        with zf.open("xl/sharedStrings.xml", "w") as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
            block = b"A" * 1_000_000
            for _ in range(size // len(block)):
                out.write(block)
            out.write(b"</t></si></sst>")
    return buffer.getvalue()


def long_cell(chars: int = 20_000) -> bytes:
    return workbook(sheet_xml([need_row(1)[:2] + ["说" * chars] + need_row(1)[3:]]))


def truncated_sheet() -> bytes:
    sheet = sheet_xml([need_row(i) for i in range(20)])
    return workbook(sheet[: len(sheet) // 2])


def control_character() -> bytes:
    return workbook(sheet_xml([need_row(1)]).replace("示例导入需求0001".encode(), "示例\x01需求".encode()))


def bad_crc() -> bytes:
    data = bytearray(workbook(sheet_xml([need_row(1)]), compression=zipfile.ZIP_STORED))
    marker = "示例导入需求0001".encode()
    at = data.index(marker)
    data[at] ^= 0x01  # one flipped bit in the sheet's stored bytes: the CRC no longer matches
    return bytes(data)


def xxe() -> bytes:
    doctype = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    sheet = sheet_xml([need_row(1)], doctype=doctype).replace(b"\xe6\xaf\x8f\xe5\x91\xa8\xe4\xba\x94\xe5\xa4\xa9",
                                                              b"&xxe;", 1)
    return workbook(sheet)


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    shared = shared_strings_xml().replace(b"?>", f"?><!DOCTYPE sst [{entities}]>".encode(), 1)
    return workbook(sheet_xml([need_row(1)]), shared.replace("示例".encode(), b"&lol9;"))


def utf16_sheet() -> bytes:
    sheet = sheet_xml([need_row(1)]).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return workbook(sheet.encode("utf-16"))


def not_a_zip() -> bytes:
    return b"\xef\xbb\xbf\xe5\xba\x8f\xe5\x8f\xb7,\xe5\x8d\x95\xe4\xbd\x8d\n1,2\n"


def empty_file() -> bytes:
    return b""


def too_large_file(size: int = 11 * 1024 * 1024) -> bytes:
    """A real workbook padded with an incompressible member past the upload size limit."""
    import os

    buffer = io.BytesIO(workbook(sheet_xml([need_row(1)])))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("xl/media/padding.bin", os.urandom(size))
    return buffer.getvalue()


def no_workbook_part() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@dataclass(frozen=True)
class Case:
    name: str
    build: object
    message: str  # the import's answer contains this


CASES = [
    Case("million_rows", million_rows, "行数过多"),
    Case("huge_shared_string", huge_shared_string, "解压后过大"),
    Case("big_shared_strings", lambda: huge_shared_string(40_000_000), "文字总量过大"),
    Case("long_cell", long_cell, "内容过长"),
    Case("too_large_file", too_large_file, "文件过大"),
    Case("truncated_sheet", truncated_sheet, CORRUPT),
    Case("control_character", control_character, CORRUPT),
    Case("bad_crc", bad_crc, CORRUPT),
    Case("xxe", xxe, CORRUPT),
    Case("billion_laughs", billion_laughs, CORRUPT),
    Case("utf16_sheet", utf16_sheet, CORRUPT),
    Case("not_a_zip", not_a_zip, CORRUPT),
    Case("empty_file", empty_file, "为空"),
    Case("no_workbook_part", no_workbook_part, CORRUPT),
]


def main(argv):
    target = Path(argv[1] if len(argv) > 1 else "malformed-xlsx")
    target.mkdir(parents=True, exist_ok=True)
    for case in [*CASES, Case("dimension_lie", dimension_lie, "")]:
        path = target / f"{case.name}.xlsx"
        path.write_bytes(case.build())
        print(f"{path}\t{path.stat().st_size} bytes\t{case.message or '全部 50 行导入'}")


if __name__ == "__main__":
    main(sys.argv)

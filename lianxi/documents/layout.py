"""The default Word templates, in 公文 layout (GB/T 9704-2012) as far as a generated file can go.

``python -m lianxi.documents.layout`` writes them to ``lianxi/documents/docx/``. Each is a docxtpl
template: Jinja tags in ordinary paragraphs, so an office can open the file in Word, change the
wording or the layout, keep the tags, and put it in ``LIANXI_DOCUMENT_TEMPLATES`` to replace ours.

Layout: A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (版心 156 × 225 mm); body
3号 (16 pt) 仿宋 with a two-character indent and a fixed 28.95 pt line pitch (22 lines a page);
title 2号 (22 pt) 小标宋, centred; level-one headings 黑体; page numbers "— 1 —" in 4号 宋体. Fonts
are named, not embedded: where 仿宋_GB2312 / 方正小标宋简体 are missing, Word and LibreOffice fall
back to the nearest installed CJK font."""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).with_name("docx")
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
PITCH = Pt(28.95)


def _font(run, name: str, size_pt: float, *, bold=False, color=None):
    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), name)


def _paragraph(doc, text="", *, font=FANGSONG, size=16, align=None, indent=True, bold=False, color=None,
               space_before=0, keep_pitch=True):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if keep_pitch:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = PITCH
    fmt.space_after = Pt(0)
    fmt.space_before = Pt(space_before)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _tag(doc, tag: str):
    """A paragraph holding only a docxtpl block tag ({%p for … %}); docxtpl removes it."""
    return _paragraph(doc, tag, indent=False)


def _page_number_footer(section):
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), SONGTI, 14)
    run = footer.add_run()
    _font(run, SONGTI, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _font(footer.add_run(" —"), SONGTI, 14)


def _document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    normal = doc.styles["Normal"]
    normal.font.name = FANGSONG
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    _page_number_footer(section)
    return doc


def _masthead(doc, text: str):
    """版头: the issuing body's name, red 小标宋, centred, then the red rule."""
    _paragraph(doc, text, font=XIAOBIAOSONG, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED,
               keep_pitch=False)
    rule = _paragraph(doc, "", indent=False, keep_pitch=False)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "E60012")):
        bottom.set(qn(key), value)
    border.append(bottom)
    rule._p.get_or_add_pPr().append(border)
    _paragraph(doc)


def _title(doc, text: str):
    _paragraph(doc, text, font=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               keep_pitch=False)
    _paragraph(doc)


def _heading(doc, text: str):
    _paragraph(doc, text, font=HEITI, size=16)


def _signature(doc, organ: str, date: str):
    """落款 without a seal: organ one line below the body, 右空二字; the date on the next line."""
    _paragraph(doc)
    p = _paragraph(doc, organ, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    p.paragraph_format.right_indent = Pt(32)
    p = _paragraph(doc, date, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    p.paragraph_format.right_indent = Pt(32)


def minutes():
    doc = _document()
    _masthead(doc, "{{ masthead }}")
    _title(doc, "{{ title }}")
    _paragraph(doc, "时间：{{ date }}")
    _paragraph(doc, "地点：{{ venue }}")
    _paragraph(doc, "主持：{{ host }}")
    _paragraph(doc, "{{ opening }}")
    _heading(doc, "一、会议议程")
    _tag(doc, "{%p for item in agenda %}")
    _paragraph(doc, "{{ item.number }}{{ item.title }}{% if item.people %}（{{ item.people }}）{% endif %}。")
    _tag(doc, "{%p endfor %}")
    _heading(doc, "二、议定事项")
    _tag(doc, "{%p for line in decisions %}")
    _paragraph(doc, "{{ line }}")
    _tag(doc, "{%p endfor %}")
    _tag(doc, "{%p if not decisions %}")
    _paragraph(doc, "{{ blank }}")
    _tag(doc, "{%p endif %}")
    _paragraph(doc)
    _paragraph(doc, "出席：", font=HEITI)
    _tag(doc, "{%p for person in attendees %}")
    _paragraph(doc, "{{ person }}")
    _tag(doc, "{%p endfor %}")
    _signature(doc, "{{ organ }}", "{{ written_on }}")
    return doc


def notice():
    doc = _document()
    _masthead(doc, "{{ masthead }}")
    _title(doc, "{{ title }}")
    _paragraph(doc, "{{ addressee }}：", indent=False)
    _paragraph(doc, "{{ opening }}")
    _heading(doc, "一、会议时间")
    _paragraph(doc, "{{ date }}{{ time }}")
    _heading(doc, "二、会议地点")
    _paragraph(doc, "{{ venue }}")
    _heading(doc, "三、参会人员")
    _paragraph(doc, "{{ participants }}")
    _heading(doc, "四、会议议程")
    _tag(doc, "{%p for item in agenda %}")
    _paragraph(doc, "{{ item.number }}{{ item.title }}。")
    _tag(doc, "{%p endfor %}")
    _heading(doc, "五、有关事项")
    _paragraph(doc, "请于{{ blank }}前将参会人员名单报秘书处。联系人：{{ blank }}，电话：{{ blank }}。")
    _paragraph(doc)
    _paragraph(doc, "附件：{{ attachment_title }}")
    _signature(doc, "{{ organ }}", "{{ written_on }}")
    p = _paragraph(doc, "", indent=False)
    p.add_run().add_break(WD_BREAK.PAGE)
    _paragraph(doc, "附件", font=HEITI, indent=False)
    _paragraph(doc)
    _paragraph(doc, "{{ attachment_title }}", font=XIAOBIAOSONG, size=22, align=WD_ALIGN_PARAGRAPH.CENTER,
               indent=False, keep_pitch=False)
    _paragraph(doc)
    _tag(doc, "{%p for unit in member_units %}")
    _paragraph(doc, "{{ loop.index }}. {{ unit }}", indent=False)
    _tag(doc, "{%p endfor %}")
    return doc


def brief():
    doc = _document()
    _masthead(doc, "{{ masthead }}")
    _paragraph(doc, "{{ issue }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc)
    _title(doc, "{{ title }}")
    _tag(doc, "{%p for para in paragraphs %}")
    _paragraph(doc, "{{ para }}")
    _tag(doc, "{%p endfor %}")
    _signature(doc, "{{ organ }}", "{{ written_on }}")
    return doc


def certificate():
    doc = _document()
    doc.sections[0].footer.is_linked_to_previous = False
    for p in doc.sections[0].footer.paragraphs:
        p.clear()
    _tag(doc, "{%p for cert in certificates %}")
    _paragraph(doc)
    _paragraph(doc, "荣誉证书", font=XIAOBIAOSONG, size=42, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               color=RED, keep_pitch=False)
    _paragraph(doc)
    _paragraph(doc)
    _paragraph(doc, "{{ cert.recipient }}：", size=22, indent=False, keep_pitch=False)
    _paragraph(doc)
    _paragraph(doc, "{{ cert.text }}", size=22, keep_pitch=False)
    _paragraph(doc)
    _paragraph(doc)
    _signature(doc, "{{ cert.organ }}", "{{ cert.date }}")
    _tag(doc, "{%p if not loop.last %}")
    p = _paragraph(doc, "", indent=False)
    p.add_run().add_break(WD_BREAK.PAGE)
    _tag(doc, "{%p endif %}")
    _tag(doc, "{%p endfor %}")
    return doc


BUILDERS = {"minutes": minutes, "notice": notice, "brief": brief, "certificate": certificate}


def write_all(folder: Path = HERE):
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        build().save(folder / f"{name}.docx")


if __name__ == "__main__":
    write_all()
    print(f"已写出 {len(BUILDERS)} 个模板到 {HERE}")

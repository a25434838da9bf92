from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from openpyxl import load_workbook

from huiqi.audit.models import AuditEvent
from huiqi.enterprises.importing import COLUMNS, build_template, import_enterprises
from huiqi.enterprises.models import Enterprise, EnterpriseFlag, EnterpriseQualification, YearFigure
from huiqi.enterprises.values import display_value, parse_field_path

from .helpers import HEADER, A, B, csv_bytes, good_rows, uscc, with_cell, wrong_check, xlsx_bytes

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 3, 31)


def run(data: bytes, filename: str = "企业.xlsx", *, source: str = "市场监管", as_of: date | None = AS_OF) -> Any:
    return import_enterprises(actor="测试", filename=filename, data=data, source=source, as_of=as_of)


def counts() -> tuple[int, int, int, int, int]:
    return (Enterprise.objects.count(), YearFigure.objects.count(), EnterpriseQualification.objects.count(),
            EnterpriseFlag.objects.count(), AuditEvent.objects.count())


def test_xlsx_import_creates_enterprises_with_figures_in_yuan() -> None:
    report = run(xlsx_bytes(good_rows()))
    assert report.ok, [str(e) for e in report.errors]
    assert (report.rows, report.created, report.updated) == (3, 2, 0)
    a = Enterprise.objects.get(uscc=A)
    assert a.region == "350582"
    assert a.industry == "3971"
    assert a.registered_capital == Decimal("50000000")
    assert a.ownership == "private" and a.listed == "none"
    revenue = YearFigure.objects.get(enterprise=a, year=2024, field="revenue")
    assert revenue.value_number == Decimal("35000000")
    assert YearFigure.objects.get(enterprise=a, year=2024, field="profit").value_number == Decimal("-200000")
    assert YearFigure.objects.get(enterprise=a, year=2023, field="tax_credit_rating").value_text == "B"
    held = EnterpriseQualification.objects.get(enterprise=a)
    assert (held.qualification.code, held.valid_from, held.valid_to) == ("hnte", date(2023, 11, 20), date(2026, 11, 19))
    assert {f.flag: f.value for f in a.flags.all()} == {"dishonest": False, "abnormal_operation": False,
                                                        "major_violation_3y": False}
    b = Enterprise.objects.get(uscc=B)
    assert b.region == "350503" and b.industry == "651"
    assert YearFigure.objects.get(enterprise=b, field="revenue").value_number == Decimal("8005000")
    assert not b.qualifications_source and b.registered_capital is None


def test_provenance_is_recorded_per_field_and_per_figure() -> None:
    run(xlsx_bytes(good_rows()), source="市场监管", as_of=AS_OF)
    a = Enterprise.objects.get(uscc=A)
    assert a.sources["registered_capital"] == {"source": "市场监管", "as_of": "2025-03-31", "status": "official"}
    assert "established_on" in a.sources and "address" not in a.sources
    figure = YearFigure.objects.get(enterprise=a, year=2024, field="employees")
    assert (figure.source, figure.as_of, figure.status) == ("市场监管", AS_OF, "official")
    assert (a.qualifications_source, a.qualifications_as_of) == ("市场监管", AS_OF)



def test_an_import_leaves_one_audit_event_with_the_row_count_and_the_file_hash() -> None:
    import hashlib

    data = xlsx_bytes(good_rows())
    run(data, source="市场监管", as_of=AS_OF)
    assert not AuditEvent.objects.filter(action__in=["enterprise.create", "enterprise.update"]).exists()
    event = AuditEvent.objects.get(action="enterprise.import")
    assert event.after == {"rows": 3, "created": 2, "updated": 0, "unchanged": 0,
                           "sha256": hashlib.sha256(data).hexdigest()}


def test_an_import_queues_one_match_job_for_the_enterprises_it_changed_and_none_when_nothing_changed(
        django_capture_on_commit_callbacks: Any) -> None:
    from huiqi.matching.models import MatchJob

    with django_capture_on_commit_callbacks(execute=True):
        run(xlsx_bytes(good_rows()))
    job = MatchJob.objects.get()
    assert job.kind == MatchJob.Kind.ENTERPRISES
    assert job.targets == sorted(Enterprise.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        again = run(xlsx_bytes(good_rows()))
    assert (again.created, again.updated) == (0, 0)
    assert MatchJob.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        run(xlsx_bytes(with_cell(good_rows(), 0, "营业收入(万元)", 3600)))
    assert list(MatchJob.objects.order_by("pk").values_list("targets", flat=True))[1] == [
        Enterprise.objects.get(uscc=A).pk]


def test_row_source_and_date_columns_override_the_defaults() -> None:
    header = [*HEADER, "数据来源", "数据日期"]
    rows = [[*good_rows()[2], "统计", "2024-12-31"]]
    assert run(xlsx_bytes(rows, header)).ok
    figure = YearFigure.objects.get(field="revenue")
    assert (figure.source, figure.as_of) == ("统计", date(2024, 12, 31))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_import_reads_utf8_with_or_without_bom_and_gb18030(encoding: str) -> None:
    report = run(csv_bytes(good_rows(), encoding=encoding), "企业.csv")
    assert report.ok, [str(e) for e in report.errors]
    assert Enterprise.objects.get(uscc=B).name == "泉州丰泽示例软件有限公司"
    assert YearFigure.objects.get(enterprise__uscc=A, year=2024, field="revenue").value_number == Decimal("35000000")


def test_reimport_updates_by_credit_code_instead_of_duplicating() -> None:
    run(xlsx_bytes(good_rows()))
    before = counts()
    changed = with_cell(good_rows(), 0, "营业收入(万元)", 3600)
    report = run(xlsx_bytes(changed), as_of=date(2025, 4, 30))
    assert report.ok
    assert (report.created, report.updated) == (0, 1)  # only A's revenue changed
    assert counts()[:4] == before[:4]
    figure = YearFigure.objects.get(enterprise__uscc=A, year=2024, field="revenue")
    assert (figure.value_number, figure.as_of) == (Decimal("36000000"), date(2025, 4, 30))


def test_older_extract_does_not_overwrite_newer_data() -> None:
    run(xlsx_bytes(good_rows()), as_of=date(2025, 6, 30))
    run(xlsx_bytes(with_cell(good_rows(), 0, "营业收入(万元)", 1)), as_of=date(2024, 1, 1))
    assert YearFigure.objects.get(enterprise__uscc=A, year=2024, field="revenue").value_number == Decimal("35000000")


def test_blank_cell_leaves_the_stored_value_unknown_not_zero() -> None:
    run(xlsx_bytes(good_rows()))
    assert not YearFigure.objects.filter(enterprise__uscc=B, field="main_revenue").exists()
    run(xlsx_bytes(with_cell(good_rows(), 0, "注册资本(万元)", "")))
    assert Enterprise.objects.get(uscc=A).registered_capital == Decimal("50000000")


BAD_CASES = [
    ("wrong-format credit code", with_cell(good_rows(), 1, "统一社会信用代码*", "91350582MA00001"),
     "第 3 行「统一社会信用代码」：统一社会信用代码应为18位，实际为15位"),
    ("wrong check character", with_cell(good_rows(), 2, "统一社会信用代码*", wrong_check(B)),
     f"第 4 行「统一社会信用代码」：校验码应为{B[17]}"),
    ("unknown region", with_cell(good_rows(), 1, "所在地区*", "火星市"),
     "第 3 行「所在地区」：未知的地区名称（火星市）"),
    ("ambiguous region", with_cell(good_rows(), 2, "所在地区*", "鼓楼区"),
     "第 4 行「所在地区」：地区名称「鼓楼区」有多个同名地区：江苏省南京市鼓楼区（320106）"),
    ("negative revenue", with_cell(good_rows(), 2, "营业收入(万元)", -20),
     "第 4 行「营业收入(万元)」：不能为负数（-20）"),
    ("non-numeric figure", with_cell(good_rows(), 0, "从业人员", "很多"),
     "第 2 行「从业人员」：不是数字（很多）"),
    ("date not a date", with_cell(good_rows(), 0, "成立日期", "2015-13-45"),
     "第 2 行「成立日期」：不是有效日期（2015-13-45）"),
    ("unknown qualification", with_cell(good_rows(), 1, "资质", "中华老字号"),
     "第 3 行「资质」：未知资质「中华老字号」，请先在资质目录中添加"),
    ("empty required cell", with_cell(good_rows(), 2, "企业名称*", ""),
     "第 4 行「企业名称」：必填，不能为空"),
    ("figures without a year", with_cell(good_rows(), 2, "年度", ""),
     "第 4 行「年度」：填写了年度指标，必须填写年度"),
    # a formula cell has no value to import; it is not an empty cell either
    ("a formula instead of a figure", with_cell(good_rows(), 0, "营业收入(万元)", "=2000+1500"),
     "第 2 行「营业收入(万元)」：单元格 K2 是公式（=2000+1500），不导入公式"),
    ("a formula instead of the name", with_cell(good_rows(), 1, "企业名称*", '=HYPERLINK("http://x.cn","点此")'),
     "第 3 行「企业名称」：单元格 B3 是公式"),
    ("a name over its limit (Excel keeps 32,767 characters of it)",
     with_cell(good_rows(), 2, "企业名称*", "某" * 1_000_000), "第 4 行「企业名称」：超过 200 字（实际 32,767 字）"),
    ("an address over its limit", with_cell(good_rows(), 2, "联系电话", "1" * 31),
     "第 4 行「联系电话」：超过 30 字"),
]


@pytest.mark.parametrize(("case", "rows", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(case: str, rows: list[list[object]],
                                                                        message: str) -> None:
    run(xlsx_bytes(good_rows()[:1]))  # an enterprise already stored, which the bad file would update
    before = counts()
    report = run(xlsx_bytes(rows), as_of=date(2025, 6, 30))
    assert not report.ok
    assert any(str(e).startswith(message) for e in report.errors), [str(e) for e in report.errors]
    assert counts() == before
    assert YearFigure.objects.get(enterprise__uscc=A, year=2024, field="revenue").as_of == AS_OF


def test_wrong_check_character_is_accepted_when_marked_verified() -> None:
    code = wrong_check(uscc("350503", 9))
    header = [*HEADER, "校验码已核实"]
    rows = [[*with_cell(good_rows(), 2, "统一社会信用代码*", code)[2], "是"]]
    report = run(xlsx_bytes(rows, header))
    assert report.ok, [str(e) for e in report.errors]
    assert Enterprise.objects.get(uscc=code).uscc_check_overridden is True


def test_missing_required_column_is_named_and_nothing_is_written() -> None:
    header = [h for h in HEADER if h != "所在地区*"]
    rows = [[v for h, v in zip(HEADER, r, strict=True) if h != "所在地区*"] for r in good_rows()]
    before = counts()
    report = run(xlsx_bytes(rows, header))
    assert [str(e) for e in report.errors] == ["第 1 行「所在地区」：缺少必填列（表头）；请按模板填写表头"]
    assert counts() == before


def test_same_enterprise_and_year_twice_is_an_error() -> None:
    rows = good_rows()
    rows.append(list(rows[0]))
    report = run(xlsx_bytes(rows))
    assert any(str(e).startswith("第 5 行「年度」：同一企业 2024 年度已在第 2 行出现") for e in report.errors)
    assert Enterprise.objects.count() == 0


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("企业.pdf", b"%PDF-1.4 whatever", "不支持的文件类型（.pdf）"),
    ("企业.xlsx", b"PK\x03\x04" + b"\x00garbage" * 50, "无法打开该 Excel 文件"),
    ("企业.xlsx", b"just some text, not a workbook", "文件不是有效的 Excel（.xlsx）文件"),
    ("企业.csv", bytes(range(256)) * 4, "文件不是文本格式的 CSV"),
    ("企业.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "不支持旧版 Excel（.xls）文件"),
])
def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message_and_changes_nothing(filename: str, data: bytes,
                                                                                     message: str) -> None:
    run(xlsx_bytes(good_rows()[:1]))
    before = counts()
    report = run(data, filename)
    assert len(report.errors) == 1 and message in str(report.errors[0])
    assert counts() == before


def test_template_has_chinese_headers_a_help_sheet_and_an_example_that_imports() -> None:
    data = build_template()
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["企业数据"]
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["统一社会信用代码*", "企业名称*", "所在地区*"]
    assert "营业收入(万元)" in headers and "资质" in headers and "近三年重大违法" in headers
    help_rows = {row[0]: row[2] for row in workbook["说明"].iter_rows(min_row=2, values_only=True) if row and row[0]}
    assert all(column.printed in help_rows for column in COLUMNS)
    assert "万元" in help_rows["营业收入(万元)"]
    report = run(data)  # the example row itself is valid
    assert report.ok, [str(e) for e in report.errors]
    assert report.created == 1


def test_command_prints_the_report_and_fails_on_errors(tmp_path: Any) -> None:
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx_bytes(good_rows()))
    out = io.StringIO()
    call_command("import_enterprises", str(good), "--source", "市场监管", "--as-of", "2025-03-31", stdout=out)
    assert "新建企业 2 家" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(with_cell(good_rows(), 0, "营业收入(万元)", -5)))
    err = io.StringIO()
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import_enterprises", str(bad), "--source", "税务", "--as-of", "2025-03-31", stderr=err)
    assert "第 2 行「营业收入(万元)」：不能为负数（-5）" in err.getvalue()


def test_without_a_source_or_date_the_file_is_refused_once_not_per_row() -> None:
    report = run(xlsx_bytes(good_rows()), source="", as_of=None)
    assert [str(e) for e in report.errors] == [
        "第 1 行「数据来源」：请在导入时填写数据来源（如 市场监管），或在文件中加「数据来源」列",
        "第 1 行「数据日期」：请在导入时填写数据日期，或在文件中加「数据日期」列",
    ]
    assert Enterprise.objects.count() == 0


def test_phone_numbers_are_masked_in_the_audit_log() -> None:
    from huiqi.enterprises.services import EnterpriseRow, enterprise_upsert

    enterprise_upsert(actor="测试", data=EnterpriseRow(uscc=A, name="晋江示例鞋业有限公司", region="350582",
                                                     contact_phone="13812345678"), source="市场监管", as_of=AS_OF)
    event = AuditEvent.objects.get(action="enterprise.create", object_repr="晋江示例鞋业有限公司")
    assert event.after is not None and event.after["contact_phone"] == "138****5678"
    assert "13812345678" not in str(event.after)


def test_a_code_an_officer_confirmed_imports_without_the_mark_again() -> None:
    code = wrong_check(uscc("350503", 9))
    header = [*HEADER, "校验码已核实"]
    first = with_cell(good_rows(), 2, "统一社会信用代码*", code)[2]
    assert run(xlsx_bytes([[*first, "是"]], header)).ok
    again = run(xlsx_bytes([with_cell([first], 0, "营业收入(万元)", 900)[0]]))
    assert again.ok, [str(e) for e in again.errors]
    assert YearFigure.objects.get(enterprise__uscc=code, field="revenue").value_number == Decimal("9000000")


def test_qualifications_written_as_none_are_known_to_be_empty() -> None:
    assert run(xlsx_bytes(with_cell(good_rows(), 2, "资质", "无"))).ok
    b = Enterprise.objects.get(uscc=B)
    assert b.qualifications_source == "市场监管" and not b.qualifications.exists()


def test_a_csv_name_of_a_million_characters_is_a_row_error_not_a_silent_cut() -> None:
    report = run(csv_bytes(with_cell(good_rows(), 2, "企业名称*", "某" * 1_000_000)), "企业.csv")
    assert [str(e) for e in report.errors] == ["第 4 行「企业名称」：超过 200 字（实际 1,000,000 字），请核对后再导入"]
    assert not Enterprise.objects.exists()


def test_an_xlsx_bomb_is_refused_before_openpyxl_opens_it() -> None:
    from tests.ooxml import xlsx_bomb

    report = run(xlsx_bomb(xlsx_bytes(good_rows()), unpacked=50 * 1024 * 1024))
    assert [e.row for e in report.errors] == [None]
    assert "疑似压缩炸弹" in str(report.errors[0])
    assert not Enterprise.objects.exists()


def test_contact_phones_are_stored_encrypted_and_read_back_in_plain() -> None:
    from django.db import connection

    assert run(xlsx_bytes(good_rows())).ok
    enterprise = Enterprise.objects.get(uscc=A)
    assert enterprise.contact_phone == "13812345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM enterprises_enterprise WHERE id = %s", [enterprise.pk])
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored and "2345678" not in stored and stored.startswith("gAAAAA")


def test_an_email_column_is_stored_encrypted_and_shown_masked_and_a_bad_one_names_row_and_field() -> None:
    header = [*HEADER, "联系邮箱"]
    rows = [[*good_rows()[0], "Caiwu@Example.com"]]
    report = run(xlsx_bytes(rows, header))
    assert report.ok, [str(e) for e in report.errors]
    enterprise = Enterprise.objects.get(uscc=A)
    assert enterprise.contact_email == "Caiwu@Example.com"  # the text messages and e-mails reach it
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT contact_email FROM {Enterprise._meta.db_table} WHERE uscc = %s", [A])
        assert "Caiwu" not in cursor.fetchone()[0]  # personal data is encrypted at rest
    assert display_value(parse_field_path("contact_email"), enterprise.contact_email) == "C***@Example.com"

    before = counts()
    report = run(xlsx_bytes([[*good_rows()[1], "财务部邮箱"]], header))
    assert [str(e) for e in report.errors] == [
        "第 2 行「联系邮箱」：不是有效的电子邮箱地址（财务部邮箱），应形如 caiwu@example.com"]
    assert counts() == before

from django import forms

from lianxi.lib.forms import DateInput

MAX_SHEET_BYTES = 20 * 1024 * 1024


class SetupForm(forms.Form):
    district = forms.CharField(label="区名称", max_length=100, help_text="如 ××区")
    conference = forms.CharField(label="区级联席会议名称", max_length=150, help_text="如 ××区区域化党建联席会议")
    short_name = forms.CharField(label="简称", max_length=60, required=False)
    founded_on = forms.DateField(label="成立日期", required=False, help_text="不清楚可留空",
                                 widget=DateInput())
    admin_name = forms.CharField(label="区级管理员账号", max_length=40, help_text="登录名，如 qzzb-admin")
    secretariat_name = forms.CharField(label="秘书处账号", max_length=40, help_text="登录名，如 mishuchu")


class SheetUploadForm(forms.Form):
    file = forms.FileField(label="登记表（.xlsx）")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_SHEET_BYTES:
            raise forms.ValidationError("文件超过 20 MB，请拆分后分批导入。")
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传由模板填写的 .xlsx 文件。")
        return f

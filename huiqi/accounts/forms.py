from typing import Any

from django import forms

from .models import Department, Role


class LoginForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色")
    department: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)
    region = forms.CharField(label="管辖区划代码", max_length=6, required=False, help_text="如 350500；全省填 350000。政府用户必填")
    enterprise_uscc = forms.CharField(label="所属企业信用代码（企业用户）", max_length=18, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .access import BUSINESS_ROLES

        # 三员 accounts are not created here (deployment, or two of the three together).
        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in BUSINESS_ROLES]  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.order_by("region", "name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        from huiqi.enterprises.models import Enterprise

        data = super().clean() or {}
        if data.get("role") == "enterprise":
            uscc = (data.get("enterprise_uscc") or "").strip().upper()
            enterprise = Enterprise.objects.filter(uscc=uscc).first()
            if enterprise is None:
                self.add_error("enterprise_uscc", "企业用户必须绑定企业库中已有的企业：请填写正确的统一社会信用代码")
            data["enterprise"] = enterprise
        else:
            data["enterprise"] = None
        return data


class AdminAccountProposalForm(forms.Form):
    role = forms.ChoiceField(label="三员角色")
    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50)
    reason = forms.CharField(label="理由", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .access import ADMIN_ROLES

        self.fields["role"].choices = [(v, label) for v, label in Role.choices if v in ADMIN_ROLES]  # type: ignore[attr-defined]

from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "huiqi.enterprises"
    verbose_name = "企业库"

"""Field-level encryption of sensitive personal data (bank account numbers, enterprise phones).

Fernet (AES-128-CBC + HMAC-SHA256) with the key in `settings.HUIQI_FIELD_KEY` (a urlsafe-base64
32-byte Fernet key, injected from the environment in production). When it is empty — a local
demo or the test suite — a key is derived from SECRET_KEY with HKDF-SHA256, so a demo database is
still encrypted at rest; rotating SECRET_KEY then makes stored values unreadable, which is why
production must set HUIQI_FIELD_KEY explicitly. Several keys may be given comma-separated (newest
first) to rotate keys: MultiFernet decrypts with any and encrypts with the first.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

_SALT = b"huiqi-field-encryption-v1"


def _derived_key(secret: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=b"fernet").derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(raw)


def _fernet() -> MultiFernet:
    configured = [k.strip() for k in str(getattr(settings, "HUIQI_FIELD_KEY", "") or "").split(",") if k.strip()]
    keys = [k.encode("ascii") for k in configured] or [_derived_key(settings.SECRET_KEY)]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt_text(plain: str) -> str:
    return _fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("加密字段无法解密：字段密钥（HUIQI_FIELD_KEY）与加密时不一致") from exc


FERNET_PREFIX = "gAAAAA"  # every Fernet token starts so (version byte 0x80 + timestamp)


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored Fernet-encrypted and read back as plain text. Values are not
    searchable or comparable in SQL (each encryption differs). A value written before the column
    was encrypted (no Fernet prefix) is read as it is, so old rows stay readable until re-saved."""

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if not value or not value.startswith(FERNET_PREFIX):
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_text(str(value))

"""Masking of personal contact data (PIPL; 等保 个人信息保护) for whoever's work does not need it."""

import re

_NOT_DIGIT = re.compile(r"\D")


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; a short number keeps only its last two digits."""
    if not value:
        return ""
    digits = _NOT_DIGIT.sub("", value)
    if len(digits) >= 8:
        return f"{digits[:3]}****{digits[-4:]}"
    if not digits:
        return "****"
    keep = min(2, len(digits) - 1)
    return "*" * (len(digits) - keep) + digits[len(digits) - keep:]


def mask_email(value: str) -> str:
    """``abc@x.cn`` → ``a***@x.cn``."""
    if not value:
        return ""
    local, at, domain = value.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"

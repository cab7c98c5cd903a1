"""Forms of the second-factor pages: a code to sign in with, and a code to confirm a new app."""

from __future__ import annotations

from django import forms

from provide.accounts.mfa import TOTP_DIGITS, normalise_code

ERROR_CODE_MISSING = "Enter the code from your authenticator app or a recovery code"
ERROR_APP_CODE = "Enter the 6-digit code your authenticator app shows"


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        strip=True,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        error_messages={"required": ERROR_CODE_MISSING},
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(ERROR_CODE_MISSING)
        return code


class AuthenticatorConfirmForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        strip=True,
        help_text="Six digits. A new code shows every 30 seconds.",
        error_messages={"required": ERROR_APP_CODE},
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == TOTP_DIGITS):
            raise forms.ValidationError(ERROR_APP_CODE)
        return code

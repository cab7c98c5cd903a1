"""Read a page's form the way a browser would submit it (checked radios and boxes, text,
hidden fields), so tests post exactly what a user who changed nothing would post."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_index: int) -> None:
        super().__init__()
        self.form_index = form_index
        self.seen_forms = -1
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.seen_forms += 1
            self.inside = (
                self.seen_forms == self.form_index and a.get("method", "").lower() == "post"
            )
            return
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.data.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.data.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(html: str, form_index: int = 1) -> dict[str, list[str]]:
    """The fields of the ``form_index``-th form on the page (0 is the sign-out form)."""
    reader = _FormReader(form_index)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def with_changes(data: dict[str, list[str]], **changes: str | list[str]) -> dict[str, list[str]]:
    """A copy of ``data`` with fields changed; ``shared__contact_result`` means
    ``shared-contact_result``."""
    updated = {k: list(v) for k, v in data.items()}
    for key, value in changes.items():
        updated[key.replace("__", "-")] = value if isinstance(value, list) else [value]
    return updated

"""繁體中文 for the whole page, data included: UI strings come from the zh_Hant catalogue, and the
rendered HTML is passed through OpenCC so unit names, titles and notes read in traditional too."""

from django.utils import translation

from lianxi.lib.text import to_traditional


class TraditionalChineseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            translation.get_language() == "zh-hant"
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            charset = response.charset or "utf-8"
            response.content = to_traditional(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response

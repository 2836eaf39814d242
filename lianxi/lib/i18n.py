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


class ChosenLanguageMiddleware:
    """简体中文 unless the user picked another language (the language cookie set by the switcher).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a clerk whose browser
    happens to be set to English would get an English UI they never asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

"""The public pages about the service (ikms.web.help_pages): help with the glossary, the accessibility statement."""

from django.urls import path

from ikms.web import help_pages

app_name = "pages"

urlpatterns = [
    path("palidziba/", help_pages.help_page, name="help"),
    path("pieklustamiba/", help_pages.accessibility_statement, name="accessibility"),
]

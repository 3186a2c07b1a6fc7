from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from directory import exchange, logo, nearby, sitemaps, support
from directory import pages as views
from opendata import views as opendata
from search import views as search_views
from wspl_site import health

admin.site.site_header = _("WSPL – panel administracyjny")
admin.site.site_title = _("WSPL – administracja")
admin.site.index_title = _("Zarządzanie siecią")

urlpatterns = [
    # For the proxy, the service manager and the monitoring (wspl_site/health.py): no language prefix, never cached.
    path("health/live", health.live, name="health_live"),
    path("health/ready", health.ready, name="health_ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Open data: one stable address per dataset, outside the language prefixes.
    path("dane/", include((opendata.urlpatterns, "opendata"))),
    # For search engines: an index of sitemaps (one per kind, both languages), and robots.txt pointing to it.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    *views.page_urls,
    path(_("siec/wsparcie/"), support.support, name="support"),
    path(_("siec/logo/"), logo.logo_kit, name="logo"),
    path(_("siec/gielda/"), exchange.ExchangeListView.as_view(), name="exchange"),
    path(_("siec/gielda/<int:pk>/"), exchange.entry_detail, name="exchange_entry"),
    path(_("szukaj/"), search_views.search, name="search"),
    path(_("blisko-mnie/"), nearby.nearby, name="nearby"),
    path(_("dane-otwarte/"), opendata.index, name="open_data"),
    path("", include("directory.urls")),
    path("", include("members.urls")),
    path(_("wydarzenia/"), include("events.urls")),
    path(_("dobre-praktyki/"), include("practices.urls")),
    path(_("moje/"), include("coordinator.urls")),
    path(_("konto/"), include("coordinator.account_urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A request the site cannot take (too large, too many fields, a host it does not serve) gets the site's Polish page;
# for a foreign host it is rendered without the request, whose host the layout would ask for again.
handler400 = "coordinator.errors.bad_request"
# A server error gets the site's Polish 500 page; a database out of reach the 503 page (both without the database).
handler500 = "coordinator.errors.server_error"

"""Uploaded images on local disk or on S3-compatible object storage, and pages that never ask the storage.

The S3 tests run against moto's S3 server, an emulator of the S3 API started here as a real process on a free
port of 127.0.0.1; django-storages' S3Storage talks to it over HTTP exactly as it would to a provider.
"""

import importlib
import io
import os
import re
import socket
import subprocess
import sys
import time

import boto3
import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from common import images
from common.forms import version_of
from common.storage import media_storage
from partnerships.models import Partnership
from tests import factories

pytestmark = pytest.mark.django_db

BUCKET = "wspl-media"
MOTO_STARTS_WITHIN = 30  # seconds


def s3_environment(endpoint, **more):
    return {
        "DJANGO_S3_BUCKET": BUCKET,
        "DJANGO_S3_ENDPOINT_URL": endpoint,
        "DJANGO_S3_REGION": "eu-central-1",
        "DJANGO_S3_ACCESS_KEY_ID": "klucz-testowy",
        "DJANGO_S3_SECRET_ACCESS_KEY": "sekret-testowy",
        **more,
    }


class MotoServer:
    """moto's S3 emulator as a separate process: stopping it closes its port, so any request fails at once."""

    def __init__(self, log_path):
        self.log_path = log_path
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.endpoint = self._wait_for_address()

    def _wait_for_address(self):
        deadline = time.monotonic() + MOTO_STARTS_WITHIN
        while time.monotonic() < deadline:
            found = re.search(r"Running on (http://127\.0\.0\.1:\d+)", self.log_path.read_text())
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto's S3 server did not start:\n{self.log_path.read_text()}")

    @property
    def port(self):
        return int(self.endpoint.rsplit(":", 1)[1])

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="eu-central-1",
            aws_access_key_id="klucz-testowy",
            aws_secret_access_key="sekret-testowy",
        )

    def keys(self, prefix=""):
        listing = self.client().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return {item["Key"] for item in listing.get("Contents", [])}


@pytest.fixture
def moto_server(tmp_path):
    server = MotoServer(tmp_path / "moto.log")
    server.client().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    yield server
    server.stop()


@pytest.fixture
def s3(settings, moto_server):
    """The site's media on the bucket, configured as settings.py does it for DJANGO_MEDIA_STORAGE=s3."""
    backend, media_url = media_storage("s3", s3_environment(moto_server.endpoint))
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    settings.MEDIA_URL = media_url
    return moto_server


@pytest.fixture
def partnership():
    return factories.partnership(name="Partnerstwo Sady", districts=["zoliborz"])


def png(size):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 140, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def send_logo(client, partnership, capture_on_commit, *, size=None, remove=False):
    """The coordinator's "Logo i zdjęcie" form, as a browser sends it; what runs after the commit runs too."""
    data = {"version": version_of(Partnership.objects.get(pk=partnership.pk)), "logo_alt": "Logo: zielony dom"}
    if size:
        data["logo_file"] = SimpleUploadedFile("logo.png", png(size), "image/png")
    if remove:
        data["logo_remove"] = "on"
    with capture_on_commit(execute=True):
        response = client.post(reverse("coordinator:partnership_images", kwargs={"slug": partnership.slug}), data)
    assert response.status_code == 302, response.content.decode()
    return Partnership.objects.get(pk=partnership.pk)


def logo_tag(page):
    found = re.search(r'<img [^>]*class="logo-img"[^>]*>', page)
    assert found, "the page shows no logo"
    return found.group(0)


def og_image(page):
    return re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)


# --- object storage ---------------------------------------------------------------------------


def test_logo_upload_lands_in_the_bucket_with_its_copies_and_the_page_links_there(
    s3, coordinator_client, partnership, django_capture_on_commit_callbacks
):
    partnership = send_logo(coordinator_client, partnership, django_capture_on_commit_callbacks, size=(1600, 800))

    name = partnership.logo.name
    stem = name.removesuffix(".png")
    assert partnership.logo_width == 1600
    assert s3.keys() == {name, f"{stem}.w160.png", f"{stem}.w1200.png"}
    with Image.open(io.BytesIO(s3.client().get_object(Bucket=BUCKET, Key=f"{stem}.w160.png")["Body"].read())) as copy:
        assert copy.size == (160, 80)
    head = s3.client().head_object(Bucket=BUCKET, Key=name)
    assert head["ContentType"] == "image/png"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"

    page = Client().get(partnership.get_absolute_url()).content.decode()

    base = f"{s3.endpoint}/{BUCKET}/"
    tag = logo_tag(page)
    assert f'src="{base}{stem}.w1200.png"' in tag
    assert f'srcset="{base}{stem}.w160.png 160w, {base}{stem}.w1200.png 1200w"' in tag
    assert og_image(page) == f"{base}{stem}.w1200.png"


def test_public_page_renders_with_the_storage_gone(
    s3, coordinator_client, partnership, django_capture_on_commit_callbacks
):
    """Rendering asks the storage nothing: with the S3 server stopped (its port closed) the page is the same."""
    partnership = send_logo(coordinator_client, partnership, django_capture_on_commit_callbacks, size=(800, 400))
    before = Client().get(partnership.get_absolute_url()).content.decode()

    s3.stop()
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", s3.port), timeout=2):
        pass  # nothing listens any more: any request to the storage would fail
    response = Client().get(partnership.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    stem = partnership.logo.name.removesuffix(".png")
    base = f"{s3.endpoint}/{BUCKET}/"
    assert logo_tag(page) == logo_tag(before)
    assert f'srcset="{base}{stem}.w160.png 160w, {base}{partnership.logo.name} 800w"' in logo_tag(page)
    assert og_image(page) == f"{base}{partnership.logo.name}"  # no 1200 px copy of an 800 px logo


def test_replacing_and_removing_a_logo_deletes_its_objects_in_the_bucket(
    s3, coordinator_client, partnership, django_capture_on_commit_callbacks
):
    first = send_logo(coordinator_client, partnership, django_capture_on_commit_callbacks, size=(1600, 800)).logo.name
    second = send_logo(coordinator_client, partnership, django_capture_on_commit_callbacks, size=(400, 200))

    assert second.logo.name != first
    assert s3.keys() == {second.logo.name, second.logo.name.replace(".png", ".w160.png")}
    assert second.logo_width == 400

    removed = send_logo(coordinator_client, partnership, django_capture_on_commit_callbacks, remove=True)

    assert not removed.logo and removed.logo_width is None
    assert s3.keys() == set()


def test_data_migration_reads_the_widths_of_stored_objects_and_skips_missing_ones(s3):
    stored = images.store_image(SimpleUploadedFile("a.png", png((900, 300)), "image/png"), "partnerships/logos")
    known = factories.partnership(logo=stored.name)
    lost = factories.partnership(logo="partnerships/logos/nie-ma-takiego.png")
    assert known.logo_width is None and lost.logo_width is None  # as every row before the migration

    migration = importlib.import_module("partnerships.migrations.0007_image_widths_of_stored_files")
    migration.fill(apps, None)

    known.refresh_from_db()
    lost.refresh_from_db()
    assert known.logo_width == 900
    assert lost.logo_width is None
    assert lost.logo.name == "partnerships/logos/nie-ma-takiego.png"  # the row keeps its image


# --- local disk -------------------------------------------------------------------------------


def test_public_page_on_local_disk_lists_the_copies_without_looking_at_the_disk(
    settings, coordinator_client, partnership, django_capture_on_commit_callbacks
):
    """Every file is deleted from the disk: the page still has the srcset the database describes."""
    partnership = send_logo(coordinator_client, partnership, django_capture_on_commit_callbacks, size=(1600, 800))
    stem = partnership.logo.name.removesuffix(".png")
    files = [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    assert len(files) == 3
    for path in files:
        path.unlink()

    page = Client().get(partnership.get_absolute_url()).content.decode()

    tag = logo_tag(page)
    assert f'src="/media/{stem}.w1200.png"' in tag
    assert f'srcset="/media/{stem}.w160.png 160w, /media/{stem}.w1200.png 1200w"' in tag
    assert og_image(page) == f"http://testserver/media/{stem}.w1200.png"


def test_data_migration_on_local_disk_skips_missing_files():
    stored = images.store_image(SimpleUploadedFile("a.png", png((700, 300)), "image/png"), "events")
    event = factories.event(image=stored.name)
    lost = factories.event(image="events/zgubione.png")

    migration = importlib.import_module("events.migrations.0009_image_widths_of_stored_files")
    migration.fill(apps, None)

    event.refresh_from_db()
    lost.refresh_from_db()
    assert (event.image_width, lost.image_width) == (700, None)


# --- settings ---------------------------------------------------------------------------------


def settings_of(environment):
    """What wspl_site/settings.py makes of an environment, read in a fresh Python."""
    code = (
        "import wspl_site.settings as s;"
        "print(s.MEDIA_STORAGE); print(s.STORAGES['default']); print(s.MEDIA_URL);"
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_MEDIA", "DJANGO_S3"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **environment},
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_use_local_disk_unless_told_otherwise():
    result = settings_of({})

    assert result.returncode == 0, result.stderr
    kind, backend, media_url, _ = result.stdout.splitlines()
    assert kind == "local"
    assert backend == "{'BACKEND': 'django.core.files.storage.FileSystemStorage'}"
    assert media_url == "/media/"


def test_settings_put_media_on_the_bucket_and_allow_its_images():
    result = settings_of(
        {"DJANGO_MEDIA_STORAGE": "s3", **s3_environment("https://s3.waw.io.cloud.ovh.net", DJANGO_S3_REGION="waw")}
    )

    assert result.returncode == 0, result.stderr
    kind, backend, media_url, img_src = result.stdout.splitlines()
    assert kind == "s3"
    assert "'BACKEND': 'storages.backends.s3.S3Storage'" in backend
    assert "'querystring_auth': False" in backend and "'region_name': 'waw'" in backend
    assert media_url == f"https://s3.waw.io.cloud.ovh.net/{BUCKET}/"
    assert "'https://s3.waw.io.cloud.ovh.net'" in img_src


def test_unknown_media_storage_is_refused_with_a_message():
    result = settings_of({"DJANGO_MEDIA_STORAGE": "ftp"})

    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_MEDIA_STORAGE='ftp' is not known: use 'local'" in result.stderr


def test_s3_without_its_bucket_and_keys_is_refused_naming_what_is_missing():
    with pytest.raises(ImproperlyConfigured) as refused:
        media_storage("s3", {"DJANGO_S3_ENDPOINT_URL": "http://127.0.0.1:9000"})

    assert str(refused.value) == (
        "DJANGO_MEDIA_STORAGE=s3 needs DJANGO_S3_BUCKET, DJANGO_S3_ACCESS_KEY_ID, DJANGO_S3_SECRET_ACCESS_KEY too "
        "(see the README)."
    )


def test_custom_domain_makes_the_public_addresses(settings, s3, partnership):
    """With a public address base (a CDN, the provider's public bucket address), pages link there."""
    backend, media_url = media_storage("s3", s3_environment(s3.endpoint, DJANGO_S3_CUSTOM_DOMAIN="media.example.org"))
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    stored = images.store_image(SimpleUploadedFile("a.png", png((300, 100)), "image/png"), "partnerships/covers")
    partnership.cover, partnership.cover_width, partnership.cover_alt = stored.name, stored.width, "Piknik"
    partnership.save()

    page = Client().get(partnership.get_absolute_url()).content.decode()

    assert media_url == "https://media.example.org/"
    stem = stored.name.removesuffix(".png")
    assert (
        f'srcset="https://media.example.org/{stem}.w160.png 160w, https://media.example.org/{stored.name} 300w"' in page
    )

"""Where uploaded images are kept: on local disk (the default) or in an S3-compatible bucket.

settings.py reads DJANGO_MEDIA_STORAGE and calls `media_storage()` for STORAGES["default"] and MEDIA_URL;
the README's settings table lists the variables. With "s3" the files go through django-storages' S3Storage,
which several app servers can share, and browsers fetch them from the bucket's public address.
"""

from django.core.exceptions import ImproperlyConfigured

S3_REQUIRED = ("DJANGO_S3_BUCKET", "DJANGO_S3_ENDPOINT_URL", "DJANGO_S3_ACCESS_KEY_ID", "DJANGO_S3_SECRET_ACCESS_KEY")
# Stored names are random and never reused (a new upload gets a new name), so browsers may keep a file for good.
CACHE_FOREVER = "public, max-age=31536000, immutable"


def media_storage(kind, environ):
    """(the STORAGES["default"] entry, MEDIA_URL) for DJANGO_MEDIA_STORAGE=`kind`, or ImproperlyConfigured."""
    if kind == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "/media/"
    if kind != "s3":
        raise ImproperlyConfigured(
            f"DJANGO_MEDIA_STORAGE={kind!r} is not known: use 'local' (files in DJANGO_MEDIA_ROOT, the default) "
            "or 's3' (an S3-compatible bucket, see the README)."
        )
    missing = [name for name in S3_REQUIRED if not environ.get(name, "").strip()]
    if missing:
        raise ImproperlyConfigured(f"DJANGO_MEDIA_STORAGE=s3 needs {', '.join(missing)} too (see the README).")
    options = s3_options(environ)
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, public_base(options)


def s3_options(environ):
    """django-storages' S3Storage options from the DJANGO_S3_* variables."""
    options = {
        "bucket_name": environ["DJANGO_S3_BUCKET"].strip(),
        "endpoint_url": environ["DJANGO_S3_ENDPOINT_URL"].strip().rstrip("/"),
        "region_name": environ.get("DJANGO_S3_REGION", "").strip() or None,
        "access_key": environ["DJANGO_S3_ACCESS_KEY_ID"].strip(),
        "secret_key": environ["DJANGO_S3_SECRET_ACCESS_KEY"].strip(),
        # The images are public: plain addresses without signatures, so url() only builds a string.
        "querystring_auth": False,
        # <endpoint>/<bucket>/<name>: one address scheme for every provider (MinIO and Garage need no DNS for it).
        "addressing_style": "path",
        "object_parameters": {"CacheControl": CACHE_FOREVER},
    }
    domain = environ.get("DJANGO_S3_CUSTOM_DOMAIN", "").strip().rstrip("/")
    if domain:
        # A host (https) or a whole public address base, e.g. https://media.example.org or http://127.0.0.1:9000/b.
        scheme, separator, rest = domain.partition("://")
        if separator:
            options["url_protocol"], domain = f"{scheme.lower()}:", rest
        options["custom_domain"] = domain
    return options


def public_base(options):
    """The address under which browsers find the stored files (it ends with a slash)."""
    if options.get("custom_domain"):
        return f"{options.get('url_protocol', 'https:')}//{options['custom_domain']}/"
    return f"{options['endpoint_url']}/{options['bucket_name']}/"

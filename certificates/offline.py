"""The offline verifier for inspectors (/verify/): what its page and service worker are made of.

The page (templates/certificates/offline_verifier.html, static/js/offline-verifier.js) checks
a certificate's QR token in the browser: CBOR from the `cbor2` npm package, Ed25519 with
WebCrypto (or `@noble/ed25519` where the browser lacks it), the public keys and the revocation
status lists kept in the browser's Cache Storage, refreshed whenever it is online; a list is
used only if its eddsa-jcs-2022 proof verifies with those keys (JCS from `canonicalize`,
base58btc from `@scure/base`). A QR code
is read from the camera with `barcode-detector` (the browser's BarcodeDetector, or ZXing in
WebAssembly where there is none).

The service worker is Workbox (workbox-sw from npm, its modules served from our static files,
never a CDN). There is no build step, so this module writes the precache manifest itself:
every static file the page needs, with a revision hashed from its content, and the page with
a revision from the template, the files and the language. Any change gives a new worker,
which precaches the new files and drops the old ones.
"""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

DATA_CACHE = "hocso-verifier-data"

# Static files the page loads (the JS modules import one another by relative path, so each
# package's directory goes in whole).
ASSET_FILES = [
    "css/site.css",
    "js/offline-verifier.js",
    "noble-ed25519/index.js",
    "canonicalize/canonicalize.js",
    "scure-base/index.js",
]
ASSET_DIRS = ["cbor2", "wtf8"]
ASSET_EXTRA = ["barcode-detector/ponyfill.js", "zxing-wasm/zxing_reader.wasm"]
WORKBOX_MODULES = ["workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching"]


@lru_cache(maxsize=256)
def _file_revision(path: str) -> str:
    found = finders.find(path)
    if found:
        return hashlib.sha256(Path(found).read_bytes()).hexdigest()[:16]
    # Deployed from collected files only (no node_modules beside the code).
    with staticfiles_storage.open(path) as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _dir_files() -> tuple[str, ...]:
    found = []
    for prefix in ASSET_DIRS:
        for finder in finders.get_finders():
            for path, storage in finder.list([]):
                path = path.replace("\\", "/")
                if getattr(storage, "prefix", None):
                    path = f"{storage.prefix}/{path}"
                if path.startswith(prefix + "/") and path.endswith(".js"):
                    found.append(path)
    return tuple(sorted(set(found)))


def asset_paths() -> list[str]:
    return [*ASSET_FILES, *_dir_files(), *ASSET_EXTRA]


def asset_url(path: str) -> str:
    """The URL the page asks for. Files of the ASSET_DIRS import one another by relative
    path, so with hashed names (ManifestStaticFilesStorage in production) the browser asks
    for their plain names, which WhiteNoise serves too: those are the ones to precache."""
    if path.split("/", 1)[0] in ASSET_DIRS:
        return settings.STATIC_URL + path
    return static(path)


def import_map() -> dict:
    return {
        "imports": {
            "cbor2": asset_url("cbor2/index.js"),
            "@cto.af/wtf8": asset_url("wtf8/index.js"),
            "@noble/ed25519": static("noble-ed25519/index.js"),
            "canonicalize": static("canonicalize/canonicalize.js"),
            "@scure/base": static("scure-base/index.js"),
        }
    }


def messages() -> dict:
    """The page's words, translated on the server (the page keeps them when offline)."""
    return {
        "valid": _("Valid certificate"),
        "valid_text": _("Genuine: signed by a published key and not revoked in the saved list."),
        "revoked": _("Revoked certificate"),
        "revoked_text": _(
            "The signature is genuine, but the issuer has revoked this certificate. It no "
            "longer certifies anything."
        ),
        "forged": _("Not valid: damaged, altered or forged"),
        "forged_text": _(
            "The code does not match its signature, or it is not a certificate code. Do not "
            "accept it."
        ),
        "unknown_key": _("Unknown issuer"),
        "unknown_key_text": _(
            "The certificate was signed with a key that is not among the saved keys. Go online "
            "to refresh the keys; if it stays unknown, do not accept it."
        ),
        "expired": _("Expired certificate"),
        "expired_text": _("The signature is genuine, but the certificate's validity ended on"),
        "no_list": _(
            "No saved status list covers this serial: go online to refresh the lists before "
            "relying on it."
        ),
        "no_data": _("No keys saved yet: open this page once while online."),
        "fetched": _("Keys and status lists saved on"),
        "never": _("never"),
        "offline": _("Offline: using the saved keys and lists."),
        "online": _("Online: keys and lists refreshed."),
        "refresh_failed": _("Could not refresh the keys and lists; using the saved ones."),
        "ready": _("Ready to work offline."),
        "camera_failed": _("The camera could not be opened. Paste the code instead."),
        "no_qr": _("No QR code found in this picture."),
        "scanning": _("Point the camera at the certificate's QR code…"),
        "empty": _("Paste the code or the link from the QR code first."),
        # The plural forms of the site's "N hours" (Vietnamese has one form).
        "hour": ngettext("%(hours)s hour", "%(hours)s hours", 1),
        "hours": ngettext("%(hours)s hour", "%(hours)s hours", 2),
    }


def page_context() -> dict:
    return {
        "import_map_text": json.dumps(import_map()),
        "verifier": {
            "keys_url": reverse("certificate_keys"),
            "lists_url": reverse("certificates:status_lists"),
            "worker_url": reverse("certificate_verifier_sw"),
            "scope": reverse("certificate_offline_verifier"),
            "data_cache": DATA_CACHE,
            "wasm_url": static("zxing-wasm/zxing_reader.wasm"),
            "barcode_url": static("barcode-detector/ponyfill.js"),
            "language": get_language() or settings.LANGUAGE_CODE,
            "messages": messages(),
        },
    }


def service_worker(request) -> str:
    """The service worker's source: Workbox with our manifest."""
    manifest = [
        {"url": asset_url(path), "revision": _file_revision(path)} for path in asset_paths()
    ]
    template = get_template("certificates/offline_verifier.html")
    page_revision = hashlib.sha256(
        "|".join(
            [
                Path(template.origin.name).read_text(encoding="utf-8"),
                get_language() or "",
                *[entry["revision"] for entry in manifest],
                json.dumps(messages(), ensure_ascii=False),
            ]
        ).encode("utf-8")
    ).hexdigest()[:16]
    manifest.append({"url": reverse("certificate_offline_verifier"), "revision": page_revision})
    modules = {name: static(f"workbox/{name}.prod.js") for name in WORKBOX_MODULES}
    config = {
        "manifest": manifest,
        "modules": modules,
        "dataCache": DATA_CACHE,
    }
    source = SERVICE_WORKER.replace("__WORKBOX_SW__", json.dumps(static("workbox/workbox-sw.js")))
    return source.replace("__CONFIG__", json.dumps(config, ensure_ascii=False))


SERVICE_WORKER = """\
// The offline certificate verifier's service worker (certificates/offline.py writes it).
importScripts(__WORKBOX_SW__);
const CONFIG = __CONFIG__;
workbox.setConfig({ debug: false, modulePathCb: (name) => CONFIG.modules[name] });
workbox.core.skipWaiting();
workbox.core.clientsClaim();
// The page and its files, precached at install; stale ones are dropped on activation.
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(CONFIG.manifest, { ignoreURLParametersMatching: [/.*/] });
// Keys and status lists are not routed here: the page keeps them in its own cache
// (CONFIG.dataCache), refreshes them when online and reads them from there.
"""

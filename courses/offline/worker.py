"""The installable app: its web manifest and its service worker (served at /sw.js, scope /).

The service worker is Workbox (workbox-sw and its modules from npm, served from our static
files, never a CDN; there is no build step, so this module writes its configuration, as
certificates/offline.py does for the verifier's). What it does:

- pages (navigations): network first, so an online learner always sees the server's state; a
  copy of each page visited is kept, and offline the copy is shown: from the pages visited or
  from a course saved for offline (`hocso-course-<id>` caches, see `manifest`), else the
  offline page, precached with its script, the stylesheet and the icons;
- static files with a content hash in their name: cache first (they never change); other
  static files: the cached copy at once, refreshed in the background;
- H5P package files: cache first (immutable); an activity played once can play offline, and
  one never played says it needs a connection (static/js/offline.js);
- media and documents: from any cache that holds them (a saved course), with range requests
  for audio and video seeking, else the network.

Admin, sign-in and API URLs are never cached. A change to any precached file or to this
configuration gives a new worker, which replaces the old one at once.
"""

import hashlib
import json
import uuid
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from .manifest import CACHE_PREFIX

PAGES_CACHE = "hocso-pages"
STATIC_CACHE = "hocso-static"
WORKBOX_MODULES = [
    "workbox-core",
    "workbox-routing",
    "workbox-strategies",
    "workbox-precaching",
    "workbox-range-requests",
]
ICONS = [
    ("icons/icon-192.png", "192x192", "any"),
    ("icons/icon-512.png", "512x512", "any"),
    ("icons/icon-maskable-512.png", "512x512", "maskable"),
]
PRECACHED = ["css/site.css", "js/offline.js", *[path for path, _size, _purpose in ICONS]]
# Never cached: the admin, sign-in (its forms carry one-time tokens), APIs and the sync itself.
NETWORK_ONLY_PREFIXES = [
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/api/",
    "/xapi/",
    "/verify/",
    "/health/",
    "/metrics",
]


@lru_cache(maxsize=64)
def _file_revision(path: str) -> str:
    found = finders.find(path)
    if found:
        return hashlib.sha256(Path(found).read_bytes()).hexdigest()[:16]
    with staticfiles_storage.open(path) as handle:  # deployed from collected files only
        return hashlib.sha256(handle.read()).hexdigest()[:16]


def web_manifest() -> dict:
    """The W3C web app manifest: Vietnamese name, the learner's start page, our icons."""
    return {
        "name": "Học Số",
        "short_name": "Học Số",
        "description": _("Digital skills courses that work on a phone, online and offline."),
        "lang": "vi",
        "dir": "ltr",
        "start_url": reverse("courses:my_learning"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f7f9",
        "theme_color": "#0b6e4f",
        "icons": [
            {"src": static(path), "sizes": size, "type": "image/png", "purpose": purpose}
            for path, size, purpose in ICONS
        ],
    }


def _h5p_files_prefix() -> str:
    """The URL prefix of every H5P package file (courses.h5p.urls "file")."""
    zero = uuid.UUID(int=0)
    return reverse("courses:h5p:file", args=[zero, "x"]).split(str(zero))[0]


def service_worker() -> str:
    offline_url = reverse("offline_page")
    precache = [{"url": static(path), "revision": _file_revision(path)} for path in PRECACHED]
    config = {
        "precache": precache,
        "offlineUrl": offline_url,
        "modules": {name: static(f"workbox/{name}.prod.js") for name in WORKBOX_MODULES},
        "pagesCache": PAGES_CACHE,
        "staticCache": STATIC_CACHE,
        "courseCachePrefix": CACHE_PREFIX,
        "staticUrl": settings.STATIC_URL,
        "mediaUrl": settings.MEDIA_URL,
        "networkOnly": NETWORK_ONLY_PREFIXES,
        "h5pFiles": _h5p_files_prefix(),
    }
    # The offline page's revision follows this configuration and the precached files: a new
    # deployment that changes either refreshes it.
    config["precache"].append(
        {
            "url": offline_url,
            "revision": hashlib.sha256(
                json.dumps(config, sort_keys=True).encode("utf-8")
            ).hexdigest()[:16],
        }
    )
    source = SERVICE_WORKER.replace("__WORKBOX_SW__", json.dumps(static("workbox/workbox-sw.js")))
    return source.replace("__CONFIG__", json.dumps(config, ensure_ascii=False))


SERVICE_WORKER = """\
// Học Số's service worker (courses/offline/worker.py writes it; see its docstring).
importScripts(__WORKBOX_SW__);
const CONFIG = __CONFIG__;
workbox.setConfig({ debug: false, modulePathCb: (name) => CONFIG.modules[name] });
// Modules used inside handlers must be loaded while the worker is evaluated.
workbox.loadModule("workbox-range-requests");
workbox.core.skipWaiting();
workbox.core.clientsClaim();
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(CONFIG.precache);

const sameOrigin = (url) => url.origin === self.location.origin;
const networkOnly = (url) => CONFIG.networkOnly.some((prefix) => url.pathname.startsWith(prefix));
// A page that redirected (to sign in, or away from a lesson) is not kept under its URL.
const noRedirects = { cacheWillUpdate: async ({ response }) =>
  response && response.status === 200 && !response.redirected ? response : null };

// Offline: the page from any cache (visited, or saved with its course), else the offline page.
async function cachedPage(request) {
  const hit = await caches.match(request.url, { ignoreVary: true });
  if (hit) { return hit; }
  return (await caches.match(workbox.precaching.getCacheKeyForURL(CONFIG.offlineUrl))) ||
    Response.error();
}

const pages = new workbox.strategies.NetworkFirst({
  cacheName: CONFIG.pagesCache, networkTimeoutSeconds: 6, plugins: [noRedirects],
});
workbox.routing.registerRoute(
  ({ request, url }) => request.mode === "navigate" && sameOrigin(url) && !networkOnly(url),
  async (options) => {
    try {
      const response = await pages.handle(options);
      if (response && response.ok) { return response; }
      return response || cachedPage(options.request);
    } catch (error) {
      return cachedPage(options.request);
    }
  }
);

const hashed = /\\.[0-9a-f]{12}\\.[A-Za-z0-9]+$/;
workbox.routing.registerRoute(
  ({ url }) =>
    sameOrigin(url) && url.pathname.startsWith(CONFIG.staticUrl) && hashed.test(url.pathname),
  new workbox.strategies.CacheFirst({ cacheName: CONFIG.staticCache, plugins: [noRedirects] })
);
workbox.routing.registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith(CONFIG.staticUrl),
  new workbox.strategies.StaleWhileRevalidate({
    cacheName: CONFIG.staticCache, plugins: [noRedirects],
  })
);

// H5P package files (their URL holds the package's uuid: they never change). With the
// activity's page, kept once played, an activity can play again offline where it allows.
workbox.routing.registerRoute(
  ({ url }) => sameOrigin(url) && url.pathname.startsWith(CONFIG.h5pFiles),
  new workbox.strategies.CacheFirst({ cacheName: "hocso-h5p", plugins: [noRedirects] })
);

// Media and documents: kept by a saved course (the page stores them), served from there.
workbox.routing.registerRoute(
  ({ url, request }) => sameOrigin(url) && request.method === "GET" &&
    (url.pathname.startsWith(CONFIG.mediaUrl) || url.pathname.startsWith("/documents/")),
  async ({ request }) => {
    const hit = await caches.match(request.url, { ignoreVary: true });
    if (hit) {
      return request.headers.has("range")
        ? workbox.rangeRequests.createPartialResponse(request, hit) : hit;
    }
    return fetch(request);
  }
);
"""

// Service worker of the 科普e站 web player, registered for /player and for /media/. It keeps the
// player shell so the page opens with the network gone, and answers /media/* (the page's images
// and videos, and slides framed from /media/) from the media cache the page fills (files
// verified by size and SHA-256 there), with Range support for video. /api/ is never
// intercepted: the device API always goes to the server.
"use strict";

const SHELL_CACHE = "kexie-player-shell-v1";
const MEDIA_CACHE = "kexie-media-v1";
const SHELL = ["/player", "/player/player.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((u) => new Request(u, { cache: "reload", credentials: "same-origin" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("kexie-player-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function shellKey(path) {
  if (path === "/player" || path === "/player/" || path === "/player/index.html") return "/player";
  if (path === "/player/player.js") return path;
  return null;
}

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (url.pathname.startsWith("/media/")) {
    event.respondWith(media(req));
    return;
  }
  const key = shellKey(url.pathname);
  if (key) event.respondWith(shell(event, key));
});

// Cache first, and refresh the copy from the network for the next start.
async function shell(event, key) {
  const cache = await caches.open(SHELL_CACHE);
  const hit = await cache.match(key);
  const network = fetch(new Request(key, { cache: "no-cache", credentials: "same-origin" })).then(async (res) => {
    if (res.ok && res.type === "basic") await cache.put(key, res.clone());
    return res;
  });
  if (hit) {
    event.waitUntil(network.catch(() => {}));
    return hit;
  }
  try {
    return await network;
  } catch {
    return new Response("离线且没有缓存的播放器，请联网后重新打开。", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

// What the server sends with an HTML slide: it runs sandboxed, without scripts, and reaches
// nothing outside itself.
const SLIDE_POLICY = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

// Media files are immutable (named by their SHA-256): the cached copy is always right.
async function media(req) {
  const cache = await caches.open(MEDIA_CACHE);
  const hit = await cache.match(req.url, { ignoreSearch: true, ignoreVary: true });
  if (!hit) return fetch(req);
  const type = hit.headers.get("Content-Type") || "";
  if (/^text\/html/i.test(type)) {
    const headers = new Headers(hit.headers);
    headers.set("Content-Security-Policy", SLIDE_POLICY);
    return new Response(hit.body, { status: 200, headers });
  }
  const range = req.headers.get("Range");
  if (!range) return hit;
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!m || (m[1] === "" && m[2] === "")) return hit; // several ranges or nonsense: the whole file
  const blob = await hit.blob();
  const size = blob.size;
  let start;
  let end;
  if (m[1] === "") {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${size}` } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": hit.headers.get("Content-Type") || "application/octet-stream",
      "Content-Length": String(end - start + 1),
      "Content-Range": `bytes ${start}-${end}/${size}`,
      "Accept-Ranges": "bytes",
    },
  });
}

// 科普e站 web player: the page a screen's browser opens in kiosk mode. It follows the device API
// (docs: /work/shared/specs/estation-device-api.md): enrol with a code, fetch the manifest with its
// ETag, keep every file in Cache Storage so it plays with the network gone, play by the schedule
// rules (an emergency interrupt first), record every play in an IndexedDB outbox that drains to
// the server, send heartbeats, and listen to the server's event stream for instant changes.
//
// State for tests and for people looking at the screen with devtools:
//   body[data-state]      "enroll" | "playing" | "idle"
//   body[data-online]     "true" | "false"
//   body[data-recorded]   plays recorded since this screen was enrolled
//   body[data-pending]    plays waiting in the outbox
//   body[data-live]       "true" while the event stream is open
//   body[data-cached]     files of the current manifest in the media cache (of data-items)
//   #stage[data-content-id], #stage[data-mode] ("schedule" | "interrupt"): what is on screen
"use strict";

(() => {
  const API = "/api/device/v1";
  const APP_VERSION = "web-1.0.0";
  const MODEL = "web-player";
  const MEDIA_CACHE = "kexie-media-v1";
  const MAX_BATCH = 1000;
  const MIN_PLAY_MS = 500; // a cut shorter than this was never seen: not a play
  const LS = {
    token: "kexie.player.token",
    deviceId: "kexie.player.device_id",
    stationId: "kexie.player.station_id",
    stationName: "kexie.player.station_name",
    hardwareId: "kexie.player.hardware_id",
    poll: "kexie.player.poll_interval_s",
    recorded: "kexie.player.recorded",
    current: "kexie.player.current_play",
    rotation: "kexie.player.rotation",
    clock: "kexie.player.clock_offset_ms",
  };
  // Zones without daylight saving: computed by offset so the answer never depends on the
  // browser's own zone or its time zone database.
  const FIXED_ZONES = {
    "Asia/Shanghai": 480, "Asia/Chongqing": 480, "Asia/Chungking": 480, "Asia/Harbin": 480, PRC: 480,
    "Asia/Hong_Kong": 480, "Asia/Macau": 480, "Asia/Taipei": 480, "Etc/GMT-8": 480,
    UTC: 0, "Etc/UTC": 0, GMT: 0, "Etc/GMT": 0,
  };

  const $ = (id) => document.getElementById(id);
  const body = document.body;
  const stage = $("stage");
  const bootAt = performance.now();

  // ---------------------------------------------------------------- small utilities

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const lsGet = (k) => { try { return localStorage.getItem(k); } catch { return null; } };
  const lsSet = (k, v) => { try { localStorage.setItem(k, v); } catch { /* full or disabled */ } };
  const lsDel = (k) => { try { localStorage.removeItem(k); } catch { /* disabled */ } };
  const lsJson = (k) => { try { return JSON.parse(lsGet(k) || "null"); } catch { return null; } };

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function hex(bytes) {
    return [...new Uint8Array(bytes)].map((x) => x.toString(16).padStart(2, "0")).join("");
  }

  // The server's clock, as learnt from heartbeats: schedules and play times follow it even when
  // the screen's own clock is off.
  let clockOffset = Number(lsGet(LS.clock)) || 0;
  const now = () => Date.now() + clockOffset;
  const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const parseTime = (s) => (s == null || s === "" ? NaN : Date.parse(s));

  function hardwareId() {
    let id = lsGet(LS.hardwareId);
    if (!id) {
      id = "web-" + hex(crypto.getRandomValues(new Uint8Array(6)));
      lsSet(LS.hardwareId, id);
    }
    return id;
  }

  function resolution() {
    const dpr = window.devicePixelRatio || 1;
    return `${Math.round(screen.width * dpr)}x${Math.round(screen.height * dpr)}`;
  }

  // The inline stylesheet may be refused by a strict content policy; a constructed stylesheet
  // with the same rules is not.
  function ensureStyles() {
    if (getComputedStyle($("net")).position === "fixed") return;
    const text = $("player-css") ? $("player-css").textContent : "";
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(text);
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    } catch (e) {
      console.warn("player: cannot apply styles", e);
    }
  }

  // ---------------------------------------------------------------- storage (IndexedDB)

  // kv: {manifest, etag}; outbox: plays keyed by play_id. localStorage stands in when IndexedDB
  // is unavailable.
  const store = (() => {
    let dbp = null;
    function open() {
      if (!dbp) {
        dbp = new Promise((resolve, reject) => {
          if (!window.indexedDB) return reject(new Error("no IndexedDB"));
          const r = indexedDB.open("kexie-player", 1);
          r.onupgradeneeded = () => {
            const db = r.result;
            if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
            if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "play_id" });
          };
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
          r.onblocked = () => reject(new Error("IndexedDB blocked"));
        });
      }
      return dbp;
    }
    function run(name, mode, fn) {
      return open().then((db) => new Promise((resolve, reject) => {
        const tx = db.transaction(name, mode);
        let out;
        fn(tx.objectStore(name), (v) => { out = v; });
        tx.oncomplete = () => resolve(out);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error || new Error("aborted"));
      }));
    }
    const req = (r, set) => { r.onsuccess = () => set(r.result); };
    // localStorage fallback
    const fbOutbox = () => lsJson("kexie.player.fb_outbox") || {};
    const fbSave = (o) => lsSet("kexie.player.fb_outbox", JSON.stringify(o));
    let useFallback = false;
    async function attempt(idb, fb) {
      if (!useFallback) {
        try { return await idb(); } catch (e) {
          if (e && e.name === "QuotaExceededError") throw e;
          console.warn("player: IndexedDB unavailable, using localStorage", e);
          useFallback = true;
        }
      }
      return fb();
    }
    return {
      get: (key) => attempt(
        () => run("kv", "readonly", (s, set) => req(s.get(key), set)),
        () => lsJson("kexie.player.fb_" + key) ?? undefined),
      set: (key, value) => attempt(
        () => run("kv", "readwrite", (s) => { s.put(value, key); }),
        () => lsSet("kexie.player.fb_" + key, JSON.stringify(value))),
      del: (key) => attempt(
        () => run("kv", "readwrite", (s) => { s.delete(key); }),
        () => lsDel("kexie.player.fb_" + key)),
      // Adds a play once: true when it was new.
      addPlay: (play) => attempt(
        () => run("outbox", "readwrite", (s, set) => {
          const g = s.get(play.play_id);
          g.onsuccess = () => { if (g.result === undefined) { s.put(play); set(true); } else set(false); };
        }),
        () => { const o = fbOutbox(); if (o[play.play_id]) return false; o[play.play_id] = play; fbSave(o); return true; }),
      listPlays: (limit) => attempt(
        () => run("outbox", "readonly", (s, set) => req(s.getAll(null, limit), set)),
        () => Object.values(fbOutbox()).slice(0, limit)),
      removePlays: (ids) => attempt(
        () => run("outbox", "readwrite", (s) => { for (const id of ids) s.delete(id); }),
        () => { const o = fbOutbox(); for (const id of ids) delete o[id]; fbSave(o); }),
      countPlays: () => attempt(
        () => run("outbox", "readonly", (s, set) => req(s.count(), set)),
        () => Object.keys(fbOutbox()).length),
    };
  })();

  // ---------------------------------------------------------------- network state

  let online = navigator.onLine;
  function setOnline(v) {
    online = v;
    const shown = v && navigator.onLine;
    body.dataset.online = String(shown);
    $("net").hidden = shown || body.dataset.state === "enroll";
  }
  const isOnline = () => online && navigator.onLine;

  class Unauthorized extends Error {}

  // Authorised call to the device API. A network failure marks the screen offline; a 401
  // means this screen's token was revoked.
  async function api(path, opts = {}) {
    const token = lsGet(LS.token);
    if (!token) throw new Unauthorized("not enrolled");
    const headers = Object.assign({ Authorization: `Bearer ${token}` }, opts.headers || {});
    if (opts.json !== undefined) headers["Content-Type"] = "application/json";
    let res;
    try {
      res = await fetch(API + path, {
        method: opts.method || "GET",
        headers,
        body: opts.json !== undefined ? JSON.stringify(opts.json) : undefined,
        cache: "no-store",
        signal: opts.signal,
      });
    } catch (e) {
      if (!(opts.signal && opts.signal.aborted)) setOnline(false);
      throw e;
    }
    setOnline(true);
    if (res.status === 401) {
      if (lsGet(LS.token) === token) unenroll("本屏幕的授权已失效，请输入新的注册码重新注册。");
      throw new Unauthorized("401");
    }
    return res;
  }

  // ---------------------------------------------------------------- state

  let session = 0; // bumped on enrol / unenrol: loops of an older session stop
  let manifest = null;
  let etag = null;
  let itemsById = new Map();
  let pollInterval = Number(lsGet(LS.poll)) || 60;
  let cur = null; // the play on screen
  let renderSeq = 0;
  let blobBlocked = false; // a content policy refusing blob: URLs: play through the service worker
  const cached = new Set(); // sha256 of verified files in the media cache
  const objectUrls = new Map(); // sha256 -> blob: URL

  function setState(s) {
    body.dataset.state = s;
    $("enroll").hidden = s !== "enroll";
    $("stage").hidden = s !== "playing";
    $("idle").hidden = s !== "idle";
    $("net").hidden = s === "enroll" || isOnline();
    $("station-name").textContent = lsGet(LS.stationName) || "";
  }

  function setRecorded(n) {
    lsSet(LS.recorded, String(n));
    body.dataset.recorded = String(n);
  }

  async function refreshPending() {
    try {
      body.dataset.pending = String(await store.countPlays());
    } catch (e) {
      console.warn("player: outbox count", e);
    }
  }

  function refreshCachedCount() {
    const shas = new Set([...itemsById.values()].map((i) => i.sha256));
    body.dataset.items = String(shas.size);
    body.dataset.cached = String([...shas].filter((s) => cached.has(s)).length);
  }

  // ---------------------------------------------------------------- enrolment

  function showEnroll(message) {
    setState("enroll");
    $("hardware-id").textContent = hardwareId();
    $("enroll-error").textContent = message || "";
    $("enroll-submit").disabled = false;
    setTimeout(() => $("enroll-code").focus(), 0);
  }

  async function enroll(ev) {
    ev.preventDefault();
    const code = $("enroll-code").value.trim().toUpperCase();
    const alertBox = $("enroll-error");
    alertBox.textContent = "";
    if (!code) {
      alertBox.textContent = "请输入注册码。";
      return;
    }
    $("enroll-submit").disabled = true;
    try {
      let res;
      try {
        res = await fetch(API + "/enroll", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          cache: "no-store",
          body: JSON.stringify({ code, hardware_id: hardwareId(), model: MODEL, resolution: resolution(), app_version: APP_VERSION }),
        });
      } catch {
        setOnline(false);
        alertBox.textContent = "无法连接服务器，请检查网络后重试。";
        return;
      }
      setOnline(true);
      let data = null;
      try { data = await res.json(); } catch { /* not JSON */ }
      if (!res.ok || !data || !data.token) {
        alertBox.textContent = (data && data.message) || `注册失败（HTTP ${res.status}），请稍后重试。`;
        return;
      }
      if (lsGet(LS.deviceId) !== String(data.device_id)) setRecorded(0);
      lsSet(LS.token, data.token);
      lsSet(LS.deviceId, String(data.device_id));
      lsSet(LS.stationId, String(data.station_id ?? ""));
      lsSet(LS.stationName, data.station_name || "");
      if (data.poll_interval_s > 0) {
        pollInterval = data.poll_interval_s;
        lsSet(LS.poll, String(pollInterval));
      }
      $("enroll-code").value = "";
      manifest = null;
      etag = null;
      itemsById = new Map();
      await store.del("manifest").catch(() => {});
      startSession();
    } finally {
      $("enroll-submit").disabled = false;
    }
  }

  function unenroll(message) {
    session++;
    stopPlay(false);
    lsDel(LS.token);
    clearStage();
    manifest = null;
    etag = null;
    itemsById = new Map();
    store.del("manifest").catch(() => {});
    stopLive();
    clearInterval(tickTimer);
    clearTimeout(pollTimer);
    delete stage.dataset.contentId;
    delete stage.dataset.mode;
    showEnroll(message);
  }

  // ---------------------------------------------------------------- schedule rules

  function zonedNow(t, tz) {
    let offset = FIXED_ZONES[tz || "Asia/Shanghai"];
    if (offset === undefined) {
      try {
        const parts = new Intl.DateTimeFormat("en-US", {
          timeZone: tz, hourCycle: "h23", weekday: "short", hour: "2-digit", minute: "2-digit",
        }).formatToParts(new Date(t));
        const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
        const dow = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }[p.weekday];
        if (dow) return { dow, min: (Number(p.hour) % 24) * 60 + Number(p.minute) };
      } catch { /* unknown zone */ }
      offset = 480;
    }
    const d = new Date(t + offset * 60000);
    return { dow: d.getUTCDay() || 7, min: d.getUTCHours() * 60 + d.getUTCMinutes() };
  }

  function hhmm(s, dflt) {
    const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(String(s ?? "").trim());
    return m ? Number(m[1]) * 60 + Number(m[2]) : dflt;
  }

  function inDaypart(dp, z) {
    const days = Array.isArray(dp.days) && dp.days.length ? dp.days.map(Number) : [1, 2, 3, 4, 5, 6, 7];
    const from = hhmm(dp.from, 0);
    const to = hhmm(dp.to, 1440);
    if (from < to) return days.includes(z.dow) && z.min >= from && z.min < to;
    if (from === to) return days.includes(z.dow);
    // Across midnight: the evening of a listed day and the morning after it.
    const prev = z.dow === 1 ? 7 : z.dow - 1;
    return (days.includes(z.dow) && z.min >= from) || (days.includes(prev) && z.min < to);
  }

  function entryValid(e, t, z) {
    const from = parseTime(e.valid_from);
    const to = parseTime(e.valid_to);
    if (!isNaN(from) && t < from) return false;
    if (!isNaN(to) && t >= to) return false;
    const dps = Array.isArray(e.dayparts) ? e.dayparts : [];
    return dps.length === 0 || dps.some((dp) => inDaypart(dp, z));
  }

  function activeInterrupt(m, t) {
    const i = m && m.interrupt;
    if (!i || !i.content_id) return null;
    const until = parseTime(i.until);
    return isNaN(until) || t < until ? i : null;
  }

  const playable = (item) => !!item && (cached.has(item.sha256) || isOnline());

  // What should be on screen now: the interrupt, or the top-priority schedule entries in list
  // order (with their positions in the schedule), or nothing.
  function decide(t) {
    if (!manifest) return null;
    const intr = activeInterrupt(manifest, t);
    if (intr) return { mode: "interrupt", interrupt: intr };
    const z = zonedNow(t, manifest.timezone);
    const valid = [];
    (Array.isArray(manifest.schedule) ? manifest.schedule : []).forEach((e, i) => {
      if (entryValid(e, t, z) && playable(itemsById.get(e.content_id))) valid.push({ e, i });
    });
    if (!valid.length) return null;
    const prio = (v) => Number(v.e.priority) || 0;
    const top = Math.max(...valid.map(prio));
    return { mode: "schedule", candidates: valid.filter((v) => prio(v) === top) };
  }

  // Equal priorities rotate in list order: the next candidate after the last one played.
  function pickNext(cands) {
    const rot = lsJson(LS.rotation) || {};
    let pos = manifest.schedule.findIndex((e) => e.schedule_id === rot.id);
    if (pos < 0) pos = Number.isInteger(rot.pos) ? rot.pos : -1;
    const next = cands.find((c) => c.i > pos) || cands[0];
    lsSet(LS.rotation, JSON.stringify({ id: next.e.schedule_id, pos: next.i }));
    return next.e;
  }

  // ---------------------------------------------------------------- playback

  function evaluate() {
    if (body.dataset.state === "enroll") return;
    const d = decide(now());
    if (cur) {
      const item = itemsById.get(cur.content_id);
      // A new file for the same content, or the file of a title-only interrupt arrived.
      const changed = (cur.sha256 && item && item.sha256 !== cur.sha256) || (cur.titleOnly && playable(item));
      if (cur.interrupt_id) {
        if (d && d.mode === "interrupt" && d.interrupt.interrupt_id === cur.interrupt_id && !changed) return;
      } else if (d && d.mode === "schedule" && !changed
        && d.candidates.some((c) => c.e.schedule_id === cur.schedule_id && c.e.content_id === cur.content_id)) {
        return;
      }
      stopPlay(false);
    }
    startNext(d);
  }

  function startNext(d) {
    if (!d) {
      clearStage();
      delete stage.dataset.contentId;
      delete stage.dataset.mode;
      setState("idle");
      return;
    }
    let item, play;
    if (d.mode === "interrupt") {
      item = itemsById.get(d.interrupt.content_id) || null;
      if (item && !playable(item)) item = null; // offline without the file: its title at least
      play = { content_id: d.interrupt.content_id, schedule_id: null, interrupt_id: d.interrupt.interrupt_id };
    } else {
      const e = pickNext(d.candidates);
      item = itemsById.get(e.content_id);
      play = { content_id: e.content_id, schedule_id: e.schedule_id ?? null, interrupt_id: null };
    }
    const durationS = item && Number(item.duration_s) > 0 ? Number(item.duration_s) : 10;
    cur = Object.assign(play, {
      play_id: uuid(),
      startedAt: now(),
      startPerf: performance.now(),
      durationS,
      sha256: item ? item.sha256 : null,
      failed: !item || !playable(item),
      titleOnly: !item,
    });
    cur.timer = setTimeout(onPlayEnd, durationS * 1000);
    stage.dataset.contentId = play.content_id;
    stage.dataset.mode = d.mode;
    setState("playing");
    saveCurrent();
    render(cur, item, d.mode === "interrupt" ? d.interrupt.title : null);
  }

  function onPlayEnd() {
    const completed = !!cur && !cur.failed;
    stopPlay(completed);
    evaluate();
  }

  function playRecord(p, completed) {
    return {
      play_id: p.play_id,
      content_id: p.content_id,
      schedule_id: p.schedule_id,
      interrupt_id: p.interrupt_id,
      started_at: rfc3339(p.startedAt),
      duration_ms: Math.max(0, Math.round(performance.now() - p.startPerf)),
      completed,
    };
  }

  // Ends the play on screen and records it (cut plays count, as not completed).
  function stopPlay(completed) {
    if (!cur) return;
    const p = cur;
    cur = null;
    clearTimeout(p.timer);
    const rec = playRecord(p, completed);
    if (!p.titleOnly && (completed || rec.duration_ms >= MIN_PLAY_MS)) {
      recordPlay(rec).finally(() => {
        const c = lsJson(LS.current);
        if (c && c.play_id === rec.play_id) lsDel(LS.current);
      });
    } else {
      lsDel(LS.current);
    }
  }

  // The play on screen is kept in localStorage (updated every second), so a reload, a crash or
  // a power cut still leaves a record of it for the next start.
  function saveCurrent() {
    if (!cur || cur.titleOnly) return;
    lsSet(LS.current, JSON.stringify(playRecord(cur, false)));
  }

  async function recoverCurrent() {
    const c = lsJson(LS.current);
    if (c && c.play_id && c.duration_ms >= MIN_PLAY_MS) await recordPlay(c);
    lsDel(LS.current);
  }

  async function recordPlay(rec) {
    try {
      if (await store.addPlay(rec)) setRecorded((Number(lsGet(LS.recorded)) || 0) + 1);
    } catch (e) {
      console.error("player: cannot record play", e);
      return;
    }
    await refreshPending();
    flushOutbox();
  }

  async function objectUrl(item) {
    if (objectUrls.has(item.sha256)) return objectUrls.get(item.sha256);
    if (!window.caches || !cached.has(item.sha256)) return null;
    try {
      const res = await (await caches.open(MEDIA_CACHE)).match(mediaKey(item));
      if (!res) {
        cached.delete(item.sha256);
        return null;
      }
      let blob = await res.blob();
      const type = contentType(item, blob.type);
      if (blob.type !== type) blob = new Blob([blob], { type });
      const u = URL.createObjectURL(blob);
      objectUrls.set(item.sha256, u);
      return u;
    } catch (e) {
      console.warn("player: cache read", e);
      return null;
    }
  }

  async function htmlText(item) {
    try {
      const hit = window.caches && (await (await caches.open(MEDIA_CACHE)).match(mediaKey(item)));
      if (hit) return await hit.text();
      const res = await fetch(mediaKey(item));
      if (res.ok) return await res.text();
    } catch { /* offline */ }
    return null;
  }

  function clearStage(keep) {
    for (const v of stage.querySelectorAll("video")) {
      if (v === keep) continue;
      v.pause();
      v.removeAttribute("src");
      v.load();
    }
    if (keep) stage.replaceChildren(keep);
    else stage.replaceChildren();
  }

  async function render(p, item, title, force) {
    const seq = ++renderSeq;
    const stale = () => seq !== renderSeq || cur !== p;
    const fail = (why, el) => {
      // An element already replaced (a blob: URL the content policy refused, say) is no failure.
      if (el && (!el.isConnected || (blobBlocked && el.src && el.src.startsWith("blob:")))) return;
      if (el) el.dataset.failed = "1";
      if (cur === p) p.failed = true;
      console.warn("player: cannot show", p.content_id, why);
    };
    if (!item) {
      // The interrupt's file is unknown here: show its title rather than nothing.
      const card = document.createElement("div");
      card.className = "card";
      card.textContent = title || "紧急通知";
      clearStage();
      stage.appendChild(card);
      return;
    }
    // The same file again (a single item repeating): keep the element, no flicker.
    const shown = stage.firstElementChild;
    if (!force && shown && shown.dataset.sha === item.sha256 && !shown.dataset.failed) {
      if (shown.tagName === "VIDEO") {
        shown.currentTime = 0;
        shown.play().catch(() => {});
      }
      return;
    }
    const type = String(item.media_type || "").toLowerCase();
    const isHtml = type.startsWith("text/html");
    let src = null;
    let srcdoc = null;
    // A slide is framed from its /media URL: the server (or, offline, the service worker
    // registered for /media/) answers it with the slide's own sandboxing policy.
    const framed = isHtml && (isOnline() || mediaWorkerReady());
    if (framed) src = mediaKey(item);
    else if (!blobBlocked) src = await objectUrl(item);
    if (stale()) return;
    if (!src) {
      if (isHtml) {
        // Offline without the /media worker: the document's text, from the cache.
        const text = await htmlText(item);
        if (stale()) return;
        if (text == null) fail("html unavailable");
        else if (!blobBlocked) src = URL.createObjectURL(new Blob([text], { type: "text/html; charset=utf-8" }));
        else srcdoc = text;
      } else {
        src = mediaKey(item); // through the service worker's media cache, or the network
      }
    }
    let el;
    if (type.startsWith("video/")) {
      el = document.createElement("video");
      el.muted = true;
      el.defaultMuted = true;
      el.autoplay = true;
      el.loop = true;
      el.playsInline = true;
      el.setAttribute("muted", "");
      el.addEventListener("error", () => fail("video error", el));
      el.src = src;
    } else if (type.startsWith("image/")) {
      el = document.createElement("img");
      el.alt = item.title || "";
      el.addEventListener("error", () => fail("image error", el));
      el.src = src;
    } else if (isHtml) {
      el = document.createElement("iframe");
      // Framed from /media the response's own policy sandboxes it (a sandbox attribute would
      // keep the service worker from answering offline); a copy made here is sandboxed here.
      if (!framed) el.setAttribute("sandbox", "");
      el.title = item.title || "";
      if (srcdoc != null) el.srcdoc = srcdoc;
      else if (src) el.src = src;
    } else {
      el = document.createElement("div");
      el.className = "card";
      el.textContent = item.title || "";
      fail("unsupported type " + type);
    }
    el.dataset.sha = item.sha256;
    clearStage();
    stage.appendChild(el);
    if (el.tagName === "VIDEO") el.play().catch((e) => { if (el.isConnected) console.warn("player: video play", e); });
  }

  // A strict content policy (img-src/media-src/frame-src without blob:) shows up as a violation:
  // from then on media goes through its /media URL, which the service worker serves from cache.
  let mediaWorker = null; // the registration that answers frames under /media/ offline
  const mediaWorkerReady = () => !!(mediaWorker && mediaWorker.active && mediaWorker.active.state === "activated");

  document.addEventListener("securitypolicyviolation", (e) => {
    if (!String(e.blockedURI || "").startsWith("blob") || blobBlocked) return;
    blobBlocked = true;
    console.warn("player: blob: URLs refused by the content policy; playing through /media");
    if (cur && !cur.titleOnly) render(cur, itemsById.get(cur.content_id), null, true);
  });

  // ---------------------------------------------------------------- manifest and media cache

  // HTML slides carry no charset of their own in the manifest: they are UTF-8.
  const contentType = (item, fallback) => {
    const t = item.media_type || fallback || "application/octet-stream";
    return /^text\//i.test(t) && !/charset=/i.test(t) ? `${t}; charset=utf-8` : t;
  };

  const mediaKey = (item) => new URL(item.url || `/media/${item.sha256}`, location.href).href;

  function useManifest(m, tag) {
    manifest = m;
    etag = tag;
    itemsById = new Map((Array.isArray(m.items) ? m.items : []).map((i) => [i.content_id, i]));
    if (Number(m.poll_interval_s) > 0 && Number(m.poll_interval_s) !== pollInterval) {
      pollInterval = Number(m.poll_interval_s);
      lsSet(LS.poll, String(pollInterval));
    }
    // Object URLs of files this manifest no longer plays.
    const keep = new Set([...itemsById.values()].map((i) => i.sha256));
    for (const [sha, u] of objectUrls) {
      if (!keep.has(sha) && !(cur && cur.sha256 === sha)) {
        URL.revokeObjectURL(u);
        objectUrls.delete(sha);
      }
    }
    refreshCachedCount();
  }

  let manifestBusy = false;
  let manifestAgain = false;
  async function fetchManifest() {
    if (manifestBusy) {
      manifestAgain = true;
      return;
    }
    manifestBusy = true;
    const sess = session;
    try {
      do {
        manifestAgain = false;
        const res = await api("/manifest", { headers: etag && manifest ? { "If-None-Match": etag } : {} });
        if (sess !== session) return;
        if (res.status === 304) continue;
        if (!res.ok) throw new Error(`manifest: HTTP ${res.status}`);
        const m = await res.json();
        if (sess !== session) return;
        const tag = res.headers.get("ETag") || (m.version != null ? `"${m.version}"` : null);
        const changed = !manifest || manifest.version !== m.version;
        useManifest(m, tag);
        await store.set("manifest", { manifest: m, etag: tag }).catch((e) => console.warn("player: save manifest", e));
        evaluate();
        syncMedia();
        if (changed) heartbeat();
      } while (manifestAgain && sess === session);
    } catch (e) {
      if (!(e instanceof Unauthorized)) console.warn("player: manifest", e);
    } finally {
      manifestBusy = false;
    }
  }

  async function loadCachedSet() {
    cached.clear();
    if (!window.caches) return;
    try {
      const keys = await (await caches.open(MEDIA_CACHE)).keys();
      for (const k of keys) {
        const m = /\/media\/([0-9a-f]{64})$/i.exec(new URL(k.url).pathname);
        if (m) cached.add(m[1].toLowerCase());
      }
    } catch (e) {
      console.warn("player: media cache", e);
    }
  }

  async function download(item) {
    const res = await fetch(mediaKey(item));
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    const blob = await res.blob();
    if (Number.isFinite(Number(item.size)) && blob.size !== Number(item.size)) {
      throw new Error(`size ${blob.size}, expected ${item.size}`);
    }
    if (crypto.subtle && blob.size <= 512 * 1024 * 1024) {
      const sum = hex(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
      if (sum !== String(item.sha256).toLowerCase()) throw new Error(`sha256 ${sum}`);
    }
    const cache = await caches.open(MEDIA_CACHE);
    await cache.put(mediaKey(item), new Response(blob, {
      headers: {
        "Content-Type": contentType(item, blob.type),
        "Content-Length": String(blob.size),
        ETag: `"${item.sha256}"`,
      },
    }));
    cached.add(item.sha256);
  }

  let syncBusy = false;
  let syncAgain = false;
  async function syncMedia() {
    if (!window.caches || !manifest) return;
    if (syncBusy) {
      syncAgain = true;
      return;
    }
    syncBusy = true;
    const sess = session;
    let added = false;
    try {
      do {
        syncAgain = false;
        // What plays now first: the interrupt, then the entries valid now, then the rest.
        const t = now();
        const order = [];
        const intr = activeInterrupt(manifest, t);
        if (intr) order.push(intr.content_id);
        const z = zonedNow(t, manifest.timezone);
        for (const e of manifest.schedule || []) if (entryValid(e, t, z)) order.push(e.content_id);
        for (const i of itemsById.values()) order.push(i.content_id);
        const seen = new Set();
        for (const id of order) {
          const item = itemsById.get(id);
          if (!item || seen.has(item.sha256) || cached.has(item.sha256)) continue;
          seen.add(item.sha256);
          if (!isOnline() || sess !== session) break;
          try {
            await download(item);
            added = true;
            refreshCachedCount();
            if (!cur) evaluate();
          } catch (e) {
            console.warn("player: download", item.url, e);
          }
        }
        if (sess !== session) return;
        await pruneCache();
      } while (syncAgain);
    } finally {
      syncBusy = false;
    }
    refreshCachedCount();
    if (added && sess === session) heartbeat();
  }

  // Drops files no manifest item refers to (the file on screen stays until it ends).
  async function pruneCache() {
    if (!manifest) return;
    const keep = new Set([...itemsById.values()].map((i) => mediaKey(i)));
    try {
      const cache = await caches.open(MEDIA_CACHE);
      for (const k of await cache.keys()) {
        if (keep.has(k.url)) continue;
        const m = /\/media\/([0-9a-f]{64})$/i.exec(new URL(k.url).pathname);
        if (m && cur && cur.sha256 === m[1]) continue;
        await cache.delete(k);
        if (m) cached.delete(m[1].toLowerCase());
      }
    } catch (e) {
      console.warn("player: prune", e);
    }
  }

  // ---------------------------------------------------------------- heartbeat

  async function heartbeat() {
    if (!lsGet(LS.token) || !navigator.onLine) return;
    const sess = session;
    let free = null;
    try {
      if (navigator.storage && navigator.storage.estimate) {
        const e = await navigator.storage.estimate();
        if (e.quota != null) free = Math.max(0, Math.floor((e.quota - (e.usage || 0)) / 1048576));
      }
    } catch { /* unknown */ }
    const shas = [...new Set([...itemsById.values()].map((i) => i.sha256))].filter((s) => cached.has(s));
    const payload = {
      manifest_version: manifest ? manifest.version : null,
      cached: shas,
      playing: cur ? cur.content_id : null,
      free_disk_mb: free,
      uptime_s: Math.floor((performance.now() - bootAt) / 1000),
      app_version: APP_VERSION,
    };
    try {
      const sent = Date.now();
      const res = await api("/heartbeat", { method: "POST", json: payload });
      if (!res.ok || sess !== session) return;
      const data = await res.json().catch(() => null);
      if (!data) return;
      const server = parseTime(data.server_time);
      if (!isNaN(server)) {
        const local = (sent + Date.now()) / 2;
        const off = server - local;
        // Only correct a real skew: a second of jitter is not worth moving the clock for.
        clockOffset = Math.abs(off) > 2000 ? Math.round(off) : 0;
        lsSet(LS.clock, String(clockOffset));
      }
      if (data.manifest_version != null && (!manifest || data.manifest_version !== manifest.version)) fetchManifest();
    } catch (e) {
      if (!(e instanceof Unauthorized)) console.warn("player: heartbeat", e);
    }
  }

  // ---------------------------------------------------------------- proof of play outbox

  let flushBusy = false;
  let flushAgain = false;
  let flushRetry = null;
  const poisoned = new Set(); // plays the server refused one by one (400): kept, sent last
  async function flushOutbox() {
    if (!lsGet(LS.token) || !navigator.onLine) return;
    if (flushBusy) {
      flushAgain = true;
      return;
    }
    flushBusy = true;
    clearTimeout(flushRetry);
    flushRetry = null;
    let batch = MAX_BATCH;
    let ok = true;
    try {
      do {
        flushAgain = false;
        for (;;) {
          const all = await store.listPlays(batch + poisoned.size);
          const plays = all.filter((p) => !poisoned.has(p.play_id)).slice(0, batch);
          if (!plays.length) break;
          const res = await api("/plays", { method: "POST", json: { plays } });
          if (res.status === 200) {
            await store.removePlays(plays.map((p) => p.play_id));
            await refreshPending();
            batch = MAX_BATCH;
            continue;
          }
          if ((res.status === 413 || res.status === 400) && plays.length > 1) {
            batch = Math.max(1, Math.floor(plays.length / 2));
            continue;
          }
          if (res.status === 400) {
            poisoned.add(plays[0].play_id);
            console.warn("player: server refused play", plays[0], await res.text().catch(() => ""));
            continue;
          }
          throw new Error(`plays: HTTP ${res.status}`);
        }
      } while (flushAgain);
    } catch (e) {
      ok = false;
      if (!(e instanceof Unauthorized)) console.warn("player: send plays", e);
    } finally {
      flushBusy = false;
      await refreshPending();
    }
    if (!ok && lsGet(LS.token)) flushRetry = setTimeout(flushOutbox, 10000);
  }

  // ---------------------------------------------------------------- live events

  let liveCtrl = null;
  let liveUp = false;
  let wakeLive = null;
  let liveKick = false; // reconnect now, without the backoff

  function stopLive() {
    liveUp = false;
    if (liveCtrl) liveCtrl.abort();
    liveCtrl = null;
    if (wakeLive) wakeLive();
  }

  // Parses a text/event-stream body: calls onEvent(type, data) per event, onData() per chunk.
  async function readEvents(stream, onData, onEvent) {
    const reader = stream.getReader();
    const dec = new TextDecoder();
    let buf = "";
    let type = "";
    let data = [];
    let hasData = false;
    const line = (l) => {
      if (l === "") {
        if (hasData || type) onEvent(type || "message", data.join("\n"));
        type = "";
        data = [];
        hasData = false;
        return;
      }
      if (l[0] === ":") return;
      const c = l.indexOf(":");
      const field = c < 0 ? l : l.slice(0, c);
      let value = c < 0 ? "" : l.slice(c + 1);
      if (value[0] === " ") value = value.slice(1);
      if (field === "event") type = value;
      else if (field === "data") {
        data.push(value);
        hasData = true;
      }
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      onData();
      buf += dec.decode(value, { stream: true });
      for (;;) {
        const i = buf.search(/[\r\n]/);
        if (i < 0) break;
        if (buf[i] === "\r" && i === buf.length - 1) break; // maybe \r\n split across chunks
        const n = buf[i] === "\r" && buf[i + 1] === "\n" ? 2 : 1;
        const l = buf.slice(0, i);
        buf = buf.slice(i + n);
        line(l);
      }
    }
  }

  async function liveLoop(sess) {
    let delay = 1000;
    while (sess === session) {
      if (!navigator.onLine) {
        await new Promise((r) => { wakeLive = r; setTimeout(r, 30000); });
        wakeLive = null;
        continue;
      }
      const ctrl = new AbortController();
      liveCtrl = ctrl;
      let opened = 0;
      let watchdog = null;
      // Pings come at least every 25 s: silence for 60 s is a dead connection.
      const feed = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => ctrl.abort(), 60000);
      };
      liveKick = false;
      try {
        feed();
        const res = await api("/events", { headers: { Accept: "text/event-stream" }, signal: ctrl.signal });
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        opened = Date.now();
        liveUp = true;
        body.dataset.live = "true";
        fetchManifest(); // anything missed while disconnected
        flushOutbox();
        await readEvents(res.body, feed, (type, data) => {
          if (type !== "manifest") return;
          let v = null;
          try { v = JSON.parse(data).version; } catch { /* no version: refetch anyway */ }
          if (v == null || !manifest || v !== manifest.version) fetchManifest();
        });
      } catch (e) {
        if (e instanceof Unauthorized) return;
        if (!ctrl.signal.aborted) console.warn("player: events", e);
      } finally {
        clearTimeout(watchdog);
        liveUp = false;
        body.dataset.live = "false";
        if (liveCtrl === ctrl) liveCtrl = null;
      }
      if (sess !== session) return;
      if (opened && Date.now() - opened > 10000) delay = 1000;
      if (liveKick) {
        liveKick = false;
        delay = 1000;
        continue;
      }
      await new Promise((r) => { wakeLive = r; setTimeout(r, delay + Math.random() * 250); });
      wakeLive = null;
      delay = Math.min(delay * 2, 30000);
    }
  }

  // ---------------------------------------------------------------- session

  let tickTimer = null;
  let pollTimer = null;

  function pollLoop(sess) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(() => {
      if (sess !== session) return;
      if (!liveUp) fetchManifest(); // the event stream is down: poll with the ETag
      heartbeat();
      flushOutbox();
      syncMedia();
      pollLoop(sess);
    }, Math.max(5, pollInterval) * 1000);
  }

  function startSession() {
    const sess = ++session;
    setState(cur ? "playing" : "idle");
    evaluate();
    clearInterval(tickTimer);
    tickTimer = setInterval(() => {
      if (sess !== session) return;
      evaluate();
      saveCurrent();
    }, 1000);
    fetchManifest();
    heartbeat();
    flushOutbox();
    syncMedia();
    pollLoop(sess);
    liveLoop(sess);
  }

  window.addEventListener("online", () => {
    setOnline(true);
    if (!lsGet(LS.token)) return;
    liveKick = true;
    if (liveCtrl) liveCtrl.abort(); // a stream from before the outage may be half dead
    if (wakeLive) wakeLive();
    flushOutbox();
    fetchManifest();
    heartbeat();
    syncMedia();
  });
  window.addEventListener("offline", () => {
    setOnline(false);
    if (liveCtrl) liveCtrl.abort();
    evaluate();
  });
  window.addEventListener("pagehide", saveCurrent);

  async function boot() {
    ensureStyles();
    setOnline(navigator.onLine);
    body.dataset.recorded = String(Number(lsGet(LS.recorded)) || 0);
    $("enroll-form").addEventListener("submit", enroll);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/player/sw.js", { scope: "/player" })
        .catch((e) => console.warn("player: service worker", e));
      // The same worker for /media/, so slides framed from there play offline too (the server
      // allows any scope with Service-Worker-Allowed: /).
      navigator.serviceWorker.register("/player/sw.js", { scope: "/media/" })
        .then((r) => { mediaWorker = r; })
        .catch((e) => console.warn("player: media service worker", e));
    }
    await recoverCurrent();
    await refreshPending();
    await loadCachedSet();
    if (!lsGet(LS.token)) {
      showEnroll();
      return;
    }
    try {
      const saved = await store.get("manifest");
      if (saved && saved.manifest) useManifest(saved.manifest, saved.etag || null);
    } catch (e) {
      console.warn("player: saved manifest", e);
    }
    startSession();
  }

  boot();
})();

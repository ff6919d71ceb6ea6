// Issue 14, the hostile demo: user text must never reach a page live. On a demo district of its
// own, the test writes a corpus of hostile strings into every free-text field of every kind of
// record through the UI's own forms (as staff, as a town officer and as the public), then opens
// every page as admin in Chromium and fails if a planted element is in the DOM, a request goes
// to /__x14/ or to another origin, a dialog opens, the page navigates away by itself, or a
// script breaks.
import { test, expect, Browser, BrowserContext, Page } from "@playwright/test";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EVALUATED, MARK_ATTR } from "./hostile-corpus";
import { fillHostile } from "./hostile-forms";
import { PASSWORD, solve } from "./helpers";

// A server of its own: the hostile text must not leak into the other tests' demo, nor their
// lockouts into this one.
const PORT = Number(process.env.KEXIE_E2E_PORT ?? 18090) + 1;
const BASE = `http://127.0.0.1:${PORT}`;
const BIN = process.env.KEXIE_BIN ?? path.resolve(__dirname, "../../target/debug/kexie");
const DATA = path.join(os.tmpdir(), `kexie-e2e-hostile-${process.pid}`);
const ROUTES = path.resolve(__dirname, "../../crates/web/src/routes.rs");

// A 1×1 PNG, for the forms that need a picture.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

let server: ChildProcess | undefined;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fs.rmSync(DATA, { recursive: true, force: true });
  server = spawn(BIN, ["--data", DATA, "serve", "--demo", "--listen", `127.0.0.1:${PORT}`], {
    env: { ...process.env, RUST_LOG: "warn", KEXIE_LOGIN_BURST: "200", KEXIE_LOGIN_PER_MINUTE: "200", KEXIE_SUGGEST_BURST: "50", KEXIE_DOOR_BURST: "50" },
    stdio: "ignore",
  });
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("the hostile test's server did not start");
});

test.afterAll(() => {
  server?.kill();
  fs.rmSync(DATA, { recursive: true, force: true });
});

async function context(browser: Browser): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: BASE, locale: "zh-CN" });
  // A field that never becomes editable fails that write, not the whole run.
  ctx.setDefaultTimeout(8_000);
  return ctx;
}

async function signedIn(browser: Browser, username: string): Promise<BrowserContext> {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto("/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator("a.user")).toBeVisible();
  await page.close();
  return ctx;
}

// What planted text can do that a page never does by itself, recorded per context with the page
// it happened on: a request to /__x14/ or to another origin, a dialog, a script error.
class Watch {
  events: { page: string; tab: Page | null; what: string }[] = [];
  constructor(ctx: BrowserContext) {
    const origin = new URL(BASE).origin;
    void ctx.route("**/__x14/**", (r) => r.fulfill({ status: 204, body: "" }));
    ctx.on("request", (r) => {
      const u = r.url();
      if (u.startsWith("data:") || u.startsWith("blob:")) return;
      if (!u.includes("/__x14/") && new URL(u).origin === origin) return;
      const tab = r.frame().page();
      this.events.push({ page: pageOf(tab), tab, what: `request ${r.method()} ${u}` });
    });
    ctx.on("dialog", (d) => {
      this.events.push({ page: pageOf(d.page()), tab: d.page(), what: `dialog ${d.type()}: ${d.message().slice(0, 80)}` });
      d.dismiss().catch(() => undefined);
    });
    ctx.on("weberror", (e) => this.events.push({ page: pageOf(e.page()), tab: e.page(), what: `script error: ${e.error().message.slice(0, 160)}` }));
  }
}

function pageOf(page: Page | null): string {
  if (!page) return "?";
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/** The first link in the page's main table (a record of the list), as a path. */
async function firstRecord(page: Page, list: string, pattern: RegExp): Promise<string | undefined> {
  await page.goto(list);
  const hrefs = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return hrefs.find((h) => pattern.test(h));
}

const pathOf = (url: string) => new URL(url, BASE).pathname;

// One write through a form: where it is, which form, and what the test must supply.
interface Write {
  kind: string;
  who: "admin" | "jinsha" | "public";
  // Opens the page with the form and returns the form's selector, or undefined if there is none.
  open: (page: Page, saved: Map<string, string>) => Promise<string | undefined>;
  fixed?: (page: Page) => Promise<Record<string, string>>;
  files?: Record<string, { name: string; mimeType: string; buffer: Buffer }>;
  before?: (page: Page) => Promise<void>;
  // Also open the record's edit page when inspecting.
  edit?: boolean;
  // Writes run in lanes side by side (a write depends only on earlier ones in its lane): the
  // staff's are split in two, the town officer's and the public's are the third.
  lane?: 1;
  // Where the corpus starts for this form (0: the first field gets `</script>`…), for names
  // that charts and maps carry; otherwise from the write's place in the list.
  seed?: number;
}

async function at(page: Page, url: string, form: string): Promise<string | undefined> {
  await page.goto(url);
  return (await page.locator(form).count()) ? form : undefined;
}

// A sub-form on a record's page: the first record of `list` whose page has it.
async function onRecord(page: Page, list: string, pattern: RegExp, form: string, tries = 6): Promise<string | undefined> {
  await page.goto(list);
  const hrefs = (await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))).filter((h) => pattern.test(h));
  for (const h of [...new Set(hrefs)].slice(0, tries)) {
    if (await at(page, h, form)) return form;
  }
  return undefined;
}

// The edit form of a record already in the demo (from the end of its list, the first that may
// be edited), so the records made by the "new" forms keep their own strings.
const editListed = (list: string, pattern: RegExp) => async (page: Page) => {
  await page.goto(list);
  const hrefs = (await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))).filter((h) => pattern.test(h));
  for (const h of [...new Set(hrefs)].reverse().slice(0, 4)) {
    if (await at(page, `${h}/edit`, `form[action="${h}"]`)) return `form[action="${h}"]`;
  }
  return undefined;
};

// A code the org picker offers (those fields take a code of a record in scope).
const orgCode = (field: string, kind: string, q: string) => async (page: Page): Promise<Record<string, string>> => {
  const html = await (await page.request.get(`/orgs/pick?kind=${kind}&q=${encodeURIComponent(q)}`)).text();
  const code = /value="([^"]+)"/.exec(html)?.[1];
  return code ? { [field]: code } : {};
};

// The sum public forms ask, where the form asks one.
async function sum(page: Page): Promise<Record<string, string>> {
  return (await page.locator("[data-question]").count()) ? { answer: await solve(page) } : {};
}

const WRITES: Write[] = [
  // Names that charts, maps and JSON carry first.
  { kind: "station", who: "admin", open: (p) => at(p, "/estation/stations/new", 'form[action="/estation/stations"]'), edit: true },
  { kind: "station (edit)", who: "admin", open: editListed("/estation", /^\/estation\/stations\/\d+$/), edit: true },
  { kind: "station (town officer)", who: "jinsha", seed: 0, open: async (p) => {
      const s = await firstRecord(p, "/estation", /^\/estation\/stations\/\d+$/);
      return s ? at(p, `${s}/edit`, `form[action="${s}"]`) : undefined;
    } },
  { kind: "screen", who: "admin", open: (p, s) => at(p, pathOf(s.get("station") ?? "/estation"), 'form[action$="/screens"]') },
  { kind: "region", who: "admin", open: (p) => at(p, "/regions/new", 'form[action="/regions"]') },
  { kind: "organisation", who: "admin", open: (p) => at(p, "/orgs/new", 'form[action="/orgs"]'), edit: true },
  { kind: "organisation (edit)", who: "admin", open: editListed("/orgs", /^\/orgs\/\d+$/), edit: true },
  { kind: "organisation (town officer)", who: "jinsha", open: async (p) => {
      const o = await firstRecord(p, "/orgs", /^\/orgs\/\d+$/);
      return o ? at(p, `${o}/edit`, `form[action="${o}"]`) : undefined;
    } },
  { kind: "outreach content", who: "admin", open: (p) => at(p, "/outreach/content/new", 'form[action="/outreach/content"]'), edit: true },
  { kind: "outreach content (edit)", who: "admin", open: editListed("/outreach/content", /^\/outreach\/content\/\d+$/), edit: true },
  { kind: "publication", who: "admin", open: (p) => onRecord(p, "/outreach/content?status=published", /^\/outreach\/content\/\d+$/, 'form[action$="/publications"]') },
  { kind: "campaign", who: "admin", seed: 0, open: (p) => at(p, "/outreach/campaigns", 'form[action="/outreach/campaigns"]') },
  { kind: "distribution", who: "admin", open: (p) => at(p, "/outreach/distributions", 'form[action="/outreach/distributions"]') },
  { kind: "distribution receipt", who: "admin", open: (p) => at(p, "/outreach/distributions?signed=no", 'form[action$="/sign"]') },
  { kind: "activity", who: "admin", seed: 16, open: (p) => at(p, "/activities/new", 'form[action="/activities"]'), edit: true },
  { kind: "activity (edit)", who: "admin", open: editListed("/activities?status=draft", /^\/activities\/\d+$/), edit: true },
  { kind: "activity (town officer)", who: "jinsha", open: (p) => at(p, "/activities/new", 'form[action="/activities"]'), edit: true },
  { kind: "activity report", who: "admin", open: (p) => onRecord(p, "/activities?status=closed", /^\/activities\/\d+$/, 'form[action$="/report"]') },
  { kind: "shift", who: "admin", open: (p, s) => at(p, pathOf(s.get("activity") ?? "/activities"), 'form[action="/volunteers/shifts"]') },
  { kind: "service project", who: "admin", open: (p) => at(p, "/volunteers/projects/new", 'form[action="/volunteers/projects"]'), edit: true },
  { kind: "service project (edit)", who: "admin", open: editListed("/volunteers/projects", /^\/volunteers\/projects\/\d+$/), edit: true },
  { kind: "commendation", who: "admin", open: (p) => onRecord(p, "/volunteers", /^\/volunteers\/\d+$/, 'form[action$="/commendations"]') },
  { kind: "volunteer hours", who: "admin", open: (p) => onRecord(p, "/volunteers", /^\/volunteers\/\d+$/, 'form[action$="/hours"]') },
  { kind: "matchmaking need", who: "admin", lane: 1, open: (p) => at(p, "/match/needs/new", 'form[action="/match/needs"]'), fixed: orgCode("org_code", "enterprise", "公司"), edit: true },
  { kind: "matchmaking need (edit)", who: "admin", lane: 1, open: editListed("/match/needs", /^\/match\/needs\/\d+$/), edit: true },
  { kind: "expert", who: "admin", lane: 1, open: (p) => at(p, "/match/experts/new", 'form[action="/match/experts"]'), edit: true },
  { kind: "expert (edit)", who: "admin", lane: 1, open: editListed("/match/experts", /^\/match\/experts\/\d+$/), edit: true },
  { kind: "expert conflict", who: "admin", lane: 1, open: (p) => onRecord(p, "/match/experts", /^\/match\/experts\/\d+$/, 'form[action$="/conflicts"]'), fixed: orgCode("org_code", "enterprise", "公司") },
  {
    kind: "workstation membership",
    who: "admin",
    open: (p) => onRecord(p, "/match/experts", /^\/match\/experts\/\d+$/, 'form[action$="/workstations"]'),
    fixed: orgCode("workstation_code", "expert_workstation", "工作站"),
  },
  { kind: "matchmaking event", who: "admin", lane: 1, open: (p) => at(p, "/match/events", 'form[action="/match/events"]') },
  { kind: "engagement step", who: "admin", lane: 1, open: (p) => onRecord(p, "/match/engagements", /^\/match\/engagements\/\d+$/, 'form[action$="/step"]') },
  { kind: "person", who: "admin", lane: 1, open: (p) => at(p, "/people/new", 'form[action="/people"]'), edit: true },
  { kind: "person (edit)", who: "admin", lane: 1, open: editListed("/people", /^\/people\/\d+$/), edit: true },
  { kind: "screen group", who: "admin", lane: 1, seed: 0, open: (p) => at(p, "/estation/groups", 'form[action="/estation/groups"]') },
  {
    kind: "media item",
    who: "admin",
    open: (p) => at(p, "/estation/media", 'form[action="/estation/media"]'),
    files: { file: { name: "x14.png", mimeType: "image/png", buffer: PNG } },
  },
  { kind: "schedule entry", who: "admin", lane: 1, open: (p) => at(p, "/estation/schedules", 'form[action="/estation/schedules"]') },
  { kind: "interrupt", who: "admin", lane: 1, open: (p) => at(p, "/estation/interrupts/new", 'form[action="/estation/interrupts"]') },
  { kind: "token", who: "admin", lane: 1, open: (p) => at(p, "/me", 'form[action="/me/tokens"]') },
  // The public forms, without an account.
  { kind: "suggestion", who: "public", open: (p) => at(p, "/suggest", 'form[action="/suggest"]'), fixed: sum },
  { kind: "service order", who: "public", open: (p) => at(p, "/order", 'form[action="/order"]'), fixed: sum },
  { kind: "volunteer sign-up", who: "public", open: (p) => at(p, "/join", 'form[action="/join"]'), fixed: sum },
  { kind: "activity registration", who: "public", open: (p) => onRecord(p, "/a", /^\/a\/\d+$/, 'form[action$="/register"]'), fixed: sum },
  // Staff answers on what the public sent.
  {
    kind: "suggestion answer",
    who: "admin",
    lane: 1,
    open: (p) => onRecord(p, "/suggestions", /^\/suggestions\/\d+$/, 'form[action$="/answer"]'),
    before: async (p) => {
      const box = p.locator('form[action$="/answer"] input[name=public]');
      if (await box.count()) await box.check();
    },
  },
  { kind: "suggestion moderation", who: "admin", lane: 1, open: (p) => onRecord(p, "/suggestions?status=received", /^\/suggestions\/\d+$/, 'form[action$="/moderate"]') },
  { kind: "order decline", who: "admin", lane: 1, open: (p) => onRecord(p, "/orders?status=dispatched", /^\/orders\/\d+$/, 'form[action$="/decline"]') },
  { kind: "order done", who: "admin", lane: 1, open: (p) => onRecord(p, "/orders?status=accepted", /^\/orders\/\d+$/, 'form[action$="/done"]') },
];

// GET pages of the route table that take no parameter and answer with a page.
function routePages(): string[] {
  const src = fs.readFileSync(ROUTES, "utf8");
  const paths = [...src.matchAll(/spec\(g\.clone\(\), "([^"]+)"/g)].map((m) => m[1]);
  const notPages = /[{}]|\.(xlsx|docx|json|js|svg)$|^\/(healthz|metrics|lang|login|player)$|^\/api\/v1\//;
  return [...new Set(paths.filter((p) => !notPages.test(p)))];
}

interface Finding {
  page: string;
  what: string;
}

// Hover every point of every chart: a tooltip is HTML made from the data. Returns planted
// elements seen in a tooltip.
async function hoverCharts(page: Page): Promise<string[]> {
  await page
    .waitForFunction(() => (window as any).echarts && [...document.querySelectorAll("[data-chart]")].every((el) => (window as any).echarts.getInstanceByDom(el)), null, { timeout: 5_000 })
    .catch(() => undefined);
  return page.evaluate(async (mark) => {
    const out: string[] = [];
    const ec = (window as any).echarts;
    for (const el of Array.from(document.querySelectorAll("[data-chart]"))) {
      const chart = ec?.getInstanceByDom(el);
      if (!chart) continue;
      const series = chart.getOption().series ?? [];
      for (let si = 0; si < series.length; si++) {
        const n = Math.min((series[si].data ?? []).length, 400);
        for (let i = 0; i < n; i++) {
          chart.dispatchAction({ type: "showTip", seriesIndex: si, dataIndex: i });
          await new Promise((r) => requestAnimationFrame(r));
          const live = document.querySelector(`[${mark}]`);
          if (live) {
            out.push(`tooltip of chart ${(el as HTMLElement).dataset.chart} point ${i}: ${live.outerHTML.slice(0, 160)}`);
            live.remove();
          }
        }
      }
    }
    return out;
  }, MARK_ATTR);
}

// Planted elements and acting attributes in the DOM, and evaluated template syntax.
async function plantedInDom(page: Page): Promise<string[]> {
  return page.evaluate(({ mark, evaluated }) => {
    const out: string[] = [];
    document.querySelectorAll(`[${mark}]`).forEach((el) => out.push(`live element: ${el.outerHTML.slice(0, 160)}`));
    // Attributes that act or fetch and hold planted text (values and labels may show it as text).
    // A planted address is one whose scheme or path is the attacker's; a link that carries the
    // text in its query (a tag filter) is the app's own.
    const planted = (v: string) => {
      try {
        const u = new URL(v, location.href);
        return u.protocol === "javascript:" || u.pathname.includes("__x14") || u.hostname === "x14.invalid";
      } catch {
        return false;
      }
    };
    document.querySelectorAll("*").forEach((el) => {
      if (el.hasAttribute(mark)) return;
      for (const a of Array.from(el.attributes)) {
        const acts = /^(on|hx-|data-hx-|http-equiv)/.test(a.name) && a.value.includes("x14");
        const fetches = /^(href|src|action|formaction|data)$/.test(a.name) && planted(a.value);
        if (acts || fetches) out.push(`planted attribute ${a.name}="${a.value.slice(0, 80)}" on <${el.tagName.toLowerCase()}>`);
      }
    });
    if (document.body?.innerText.includes(evaluated)) out.push("template syntax was evaluated ({{7*7}} → 49)");
    return out;
  }, { mark: MARK_ATTR, evaluated: EVALUATED });
}

// Opens `url` and returns what went live there.
async function inspect(page: Page, url: string, watch: Watch): Promise<Finding[]> {
  const found: Finding[] = [];
  const from = watch.events.length;
  const resp = await page.goto(url, { waitUntil: "load" }).catch((e) => {
    found.push({ page: url, what: `did not load: ${String(e).split("\n")[0]}` });
    return null;
  });
  if (resp && resp.status() >= 500) found.push({ page: url, what: `status ${resp.status()}` });
  const landed = page.url();
  // Requests htmx starts on load (the page's own and any planted ones) finish first.
  await page.waitForFunction(() => !document.querySelector(".htmx-request"), null, { timeout: 5_000 }).catch(() => undefined);
  if (await page.locator("[data-chart]").count()) (await hoverCharts(page)).forEach((t) => found.push({ page: url, what: t }));
  await page.waitForTimeout(100);
  (await plantedInDom(page)).forEach((d) => found.push({ page: url, what: d }));
  if (page.url() !== landed) found.push({ page: url, what: `navigated by itself to ${page.url()}` });
  watch.events.slice(from).filter((e) => e.tab === page).forEach((e) => found.push({ page: url, what: e.what }));
  return found;
}

test("hostile text written through every form is never live on any page", async ({ browser }) => {
  test.setTimeout(300_000);
  const contexts = {
    admin: await signedIn(browser, "admin"),
    jinsha: await signedIn(browser, "jinsha"),
    public: await context(browser),
  };
  const watches = { admin: new Watch(contexts.admin), jinsha: new Watch(contexts.jinsha), public: new Watch(contexts.public) };
  const findings: Finding[] = [];
  const saved = new Map<string, string>();
  const written = new Map<string, number>();
  const notWritten: string[] = [];
  const visit = new Set<string>();

  await test.step("write the corpus through the forms", async () => {
    const t0 = Date.now();
    const lane = (w: Write) => (w.who === "admin" ? (w.lane ?? 0) : 2);
    const run = async (n: number) => {
      for (const w of WRITES.filter((x) => lane(x) === n)) {
        const page = await contexts[w.who].newPage();
        const watch = watches[w.who];
        const from = watch.events.length;
        try {
          const form = await w.open(page, saved);
          if (!form) {
            notWritten.push(`${w.kind}: no form`);
            continue;
          }
          const files = w.files;
          const out = await fillHostile(page, form, {
            seed: w.seed ?? WRITES.indexOf(w) * 5,
            fixed: w.fixed,
            before: async (p) => {
              if (files) for (const [name, file] of Object.entries(files)) await p.locator(form).locator(`input[name="${name}"]`).setInputFiles(file);
              if (w.before) await w.before(p);
            },
          });
          const area = w.kind.replace(/ \(.*\)$/, "");
          if (out.saved && out.hostile.length) {
            written.set(area, (written.get(area) ?? 0) + out.hostile.length);
            if (!saved.has(w.kind)) saved.set(w.kind, out.url);
            if (!out.url.includes("__x14")) visit.add(pathOf(out.url) + new URL(out.url).search);
            if (w.edit) visit.add(`${pathOf(out.url)}/edit`);
          } else {
            notWritten.push(`${w.kind}: ${out.saved ? "saved without hostile text" : "not saved"}${out.rejected.length ? ` (refused: ${out.rejected.join(", ")})` : ""}`);
          }
        } catch (e) {
          notWritten.push(`${w.kind}: ${String(e).split("\n")[0]}`);
        } finally {
          await page.close();
        }
        // Planted text that acts while the forms are filled is a finding too.
        watch.events.slice(from).filter((e) => e.tab === page).forEach((e) => findings.push({ page: e.page, what: `${e.what} (while writing ${w.kind})` }));
      }
    };
    await Promise.all([run(0), run(1), run(2)]);
    console.log(`hostile fields written in ${Math.round((Date.now() - t0) / 1000)} s, by kind of record:\n${[...written].map(([k, n]) => `  ${k}: ${n}`).join("\n")}`);
    if (notWritten.length) console.log(`not written:\n  ${notWritten.join("\n  ")}`);
  });

  // The test must not pass by writing nothing: most kinds of record hold hostile text.
  expect.soft(written.size, `kinds of record written: ${[...written.keys()].join(", ")}`).toBeGreaterThanOrEqual(25);
  for (const must of ["station", "organisation", "outreach content", "activity", "suggestion", "service order", "expert"]) {
    expect.soft(written.get(must) ?? 0, `${must} holds hostile text`).toBeGreaterThan(0);
  }

  await test.step("open every page as admin", async () => {
    const t0 = Date.now();
    const queue = [...routePages(), ...visit, "/search?q=x14", "/search?q=%E7%A7%91%E6%99%AE"];
    let opened = 0;
    // Two tabs at once: each event is told apart by the tab it happened in.
    const tab = async () => {
      const page = await contexts.admin.newPage();
      for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
        findings.push(...(await inspect(page, url, watches.admin)));
        opened += 1;
        // A list that searches is opened again with a search for the planted text.
        if (!url.includes("?") && (await page.locator("main input[name=q]").count())) queue.push(`${url}?q=x14`);
      }
    };
    await Promise.all([tab(), tab()]);
    console.log(`pages opened: ${opened} in ${Math.round((Date.now() - t0) / 1000)} s`);
  });

  for (const c of Object.values(contexts)) await c.close();
  const report = findings.map((f) => `${f.page}: ${f.what}`).join("\n");
  expect(findings, `planted text went live:\n${report}`).toEqual([]);
});

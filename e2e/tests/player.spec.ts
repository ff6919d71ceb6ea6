// The 科普e站 web player against the real server: enrolment with a code staff generate, playing
// on with the network gone (a reload included), proof of play that loses and doubles nothing
// when the network comes back, and an emergency interrupt on screen within two seconds.
import { test, expect, Browser, Page } from "@playwright/test";
import { loginOk } from "./helpers";

/// Links of the station list, in page order: `/estation/stations/{id}`. The list is at
/// `/estation/stations`, or at `/estation` where the server keeps it there.
async function stationLinks(staff: Page): Promise<string[]> {
  const res = await staff.goto("/estation/stations");
  if (!res?.ok()) await staff.goto("/estation");
  // The list's rows: links in the page head lead to forms (new, import, export).
  const hrefs = await staff.locator('tbody a[href^="/estation/stations/"]').evaluateAll((els) => els.map((a) => a.getAttribute("href") ?? ""));
  const stations = [...new Set(hrefs.filter((h) => /^\/estation\/stations\/[^/?#.]+$/.test(h) && !/\/(new|import)$/.test(h)))];
  expect(stations.length).toBeGreaterThan(0);
  return stations;
}

/// Adds a screen to the station and returns its enrolment code.
async function newCode(staff: Page, station: string): Promise<string> {
  await staff.goto(station);
  await staff.getByRole("button", { name: "添加屏幕并生成注册码" }).click();
  const code = staff.locator("[data-enroll-code]");
  await expect(code).toHaveText(/^\s*[0-9A-Z]{4}-[0-9A-Z]{4}\s*$/);
  return (await code.textContent())!.trim();
}

/// A screen: its own browser context (its own storage, network switch), the player enrolled with
/// `code` and playing.
async function enrolledPlayer(browser: Browser, code: string) {
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto("/player");
  const body = page.locator("body");
  await expect(body).toHaveAttribute("data-state", "enroll");
  await page.getByLabel("注册码").fill(code);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(body).toHaveAttribute("data-state", "playing");
  await expect(page.locator("#stage")).toHaveAttribute("data-content-id", /.+/);
  await expect(page.locator("#stage")).toHaveAttribute("data-mode", "schedule");
  const deviceId = await page.evaluate(() => localStorage.getItem("kexie.player.device_id"));
  expect(deviceId).toBeTruthy();
  return { context, page, body, deviceId: deviceId! };
}

const counters = (page: Page) =>
  page.evaluate(() => ({
    state: document.body.dataset.state ?? "",
    recorded: Number(document.body.dataset.recorded ?? "NaN"),
    pending: Number(document.body.dataset.pending ?? "NaN"),
  }));

/// The plays the server counts for one screen, as the station page shows them.
async function playsTotal(staff: Page, station: string, deviceId: string): Promise<number> {
  await staff.goto(station);
  let cell = staff.locator(`[data-device-id="${deviceId}"] [data-plays-total], [data-plays-total][data-device-id="${deviceId}"]`);
  if ((await cell.count()) === 0) cell = staff.locator("[data-plays-total]");
  await expect(cell).toHaveCount(1);
  const attr = await cell.getAttribute("data-plays-total");
  const text = attr && /^\d+$/.test(attr) ? attr : (await cell.textContent()) ?? "";
  const n = Number(text.replace(/[^\d]/g, ""));
  expect(Number.isInteger(n)).toBe(true);
  return n;
}

test("a screen enrols with a code, plays on offline and across a reload, and delivers every play once", async ({ browser, page: staff }) => {
  test.setTimeout(180_000);
  await loginOk(staff, "staff");
  const [station] = await stationLinks(staff);

  // A wrong code: the server's message, and still the form.
  const probe = await browser.newContext({ locale: "zh-CN" });
  const wrong = await probe.newPage();
  await wrong.goto("/player");
  await wrong.getByLabel("注册码").fill("ZZZZ-ZZZZ");
  await wrong.getByRole("button", { name: "注册" }).click();
  await expect(wrong.getByRole("alert")).not.toBeEmpty();
  await expect(wrong.locator("body")).toHaveAttribute("data-state", "enroll");
  await probe.close();

  const code = await newCode(staff, station);
  const { context, page, body, deviceId } = await enrolledPlayer(browser, code);
  // A code works once.
  const again = await browser.newContext({ locale: "zh-CN" });
  const second = await again.newPage();
  await second.goto("/player");
  await second.getByLabel("注册码").fill(code);
  await second.getByRole("button", { name: "注册" }).click();
  await expect(second.getByRole("alert")).not.toBeEmpty();
  await again.close();

  // Before the network goes: the service worker controls the page and every file is cached.
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 15_000 });
  await expect
    .poll(() => page.evaluate(() => Number(document.body.dataset.items) > 0 && document.body.dataset.cached === document.body.dataset.items), { timeout: 30_000 })
    .toBe(true);
  await expect(body).toHaveAttribute("data-online", "true");
  await expect.poll(async () => (await counters(page)).pending, { timeout: 15_000 }).toBe(0);
  const before = await counters(page);

  await context.setOffline(true);
  await expect(body).toHaveAttribute("data-online", "false");
  // Plays keep coming and wait in the outbox; the screen never stops playing.
  const states = new Set<string>();
  await expect
    .poll(async () => {
      const c = await counters(page);
      states.add(c.state);
      return c.pending;
    }, { timeout: 60_000, intervals: [500] })
    .toBeGreaterThan(0);
  expect([...states]).toEqual(["playing"]);
  // Every play recorded offline is waiting: nothing was sent, nothing dropped.
  await expect.poll(async () => {
    const c = await counters(page);
    return c.recorded - before.recorded - c.pending;
  }).toBe(0);
  const offline = await counters(page);

  // A reload with the network gone: the page, the manifest and the media come from the cache,
  // and the play the reload cut is kept.
  await page.reload();
  await expect(body).toHaveAttribute("data-state", "playing");
  await expect(page.locator("#stage")).toHaveAttribute("data-content-id", /.+/);
  await expect(page.locator("#stage > img, #stage > video, #stage > iframe").first()).toBeAttached();
  await expect.poll(async () => (await counters(page)).pending).toBeGreaterThanOrEqual(offline.pending);
  await expect.poll(async () => {
    const c = await counters(page);
    return c.recorded - before.recorded - c.pending;
  }).toBe(0);

  await context.setOffline(false);
  await expect(body).toHaveAttribute("data-online", "true");
  await expect.poll(async () => (await counters(page)).pending, { timeout: 30_000 }).toBe(0);

  // The server has exactly what the screen recorded: read the server first, then the screen,
  // so a play recorded in between can only make the screen's count the larger one.
  const deadline = Date.now() + 45_000;
  let last = "";
  for (;;) {
    const total = await playsTotal(staff, station, deviceId);
    const c = await counters(page);
    expect(total, "the server never counts more plays than the screen recorded").toBeLessThanOrEqual(c.recorded);
    if (c.pending === 0 && total === c.recorded) break;
    last = `server ${total}, screen recorded ${c.recorded}, pending ${c.pending}`;
    expect(Date.now(), last).toBeLessThan(deadline);
    await page.waitForTimeout(1000);
  }
  await context.close();
});

test("an emergency interrupt reaches a connected screen within two seconds", async ({ browser, page: staff }) => {
  test.setTimeout(90_000);
  await loginOk(staff, "staff");
  const stations = await stationLinks(staff);
  const code = await newCode(staff, stations[stations.length > 1 ? 1 : 0]);
  const { context, page, body } = await enrolledPlayer(browser, code);
  // The screen listens to the event stream.
  await expect(body).toHaveAttribute("data-live", "true", { timeout: 15_000 });

  await staff.goto("/estation/interrupts/new");
  const content = staff.getByLabel("播放内容");
  const media = await content.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter((v) => v !== ""));
  expect(media.length).toBeGreaterThan(0);
  await content.selectOption(media[0]);
  await staff.getByLabel("播放范围").selectOption("all");
  // Half an hour from now on the clock of Beijing (whatever zone the form reads it in, it is
  // in the future).
  const until = new Date(Date.now() + 8 * 3600_000 + 30 * 60_000).toISOString().slice(0, 16);
  await staff.getByLabel("播放至").fill(until);
  const published = staff.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/estation/interrupts"));
  await staff.getByRole("button", { name: "立即插播" }).click();
  const response = await published;
  const t0 = Date.now();
  expect(response.status()).toBeLessThan(400);
  await expect(page.locator("#stage[data-mode=interrupt]")).toBeVisible({ timeout: 2000 });
  expect(Date.now() - t0).toBeLessThan(2000);
  await expect(page.locator("#stage")).toHaveAttribute("data-content-id", media[0]);
  await expect(staff).toHaveURL(/\/estation\/interrupts\/(?!new)[^/?#]+$/);
  await context.close();
});

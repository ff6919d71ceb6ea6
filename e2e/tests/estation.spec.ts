import { test, expect } from "@playwright/test";
import { loginOk } from "./helpers";

test("staff see the network, schedule content with inline checks and preview a station", async ({ page }) => {
  await loginOk(page, "staff");
  await page.getByRole("link", { name: "科普e站" }).first().click();
  await expect(page.getByRole("heading", { name: "科普e站总览" })).toBeVisible();
  await expect(page.locator("[data-stat=stations]")).toHaveText("112");
  // The list searches as one types and filters by town.
  await page.locator("#q").fill("向阳");
  await expect(page.locator("table[data-table=stations] tbody tr")).not.toHaveCount(112);
  await page.locator("#q").fill("");
  await page.getByLabel("镇（街道）").selectOption({ label: "西亭镇" });
  await expect(page.locator("table[data-table=stations] tbody tr td:nth-child(2)").first()).toHaveText("西亭镇");
  await page.locator("table[data-table=stations] tbody tr a").first().click();
  await expect(page.getByRole("heading", { name: "播放预览" })).toBeVisible();
  await expect(page.locator("table[data-table=tomorrow] tr").first()).toBeVisible();

  // A schedule entry with a daypart that ends before it starts: refused in place, nothing sent.
  await page.goto("/estation/schedules");
  await page.getByLabel("播放内容").selectOption({ label: "垃圾分类知多少（15″）" });
  await page.getByLabel("播放时段").fill("1-5 18:00-08:00");
  await page.getByRole("button", { name: "添加排期" }).click();
  await expect(page.locator("[data-error-for=dayparts]")).toContainText("结束时间应晚于开始时间");
  await page.getByLabel("播放时段").fill("1-5 08:00-18:00");
  await page.getByLabel("优先级").fill("8");
  await page.getByRole("button", { name: "添加排期" }).click();
  await expect(page).toHaveURL(/\/estation\/schedules$/);
  await expect(page.locator("table[data-table=schedules] tbody tr").first()).toContainText("垃圾分类知多少");

  // The change shows in the delivery receipts.
  await page.getByRole("link", { name: "下发回执" }).click();
  await expect(page.locator("table[data-table=changes] tbody tr").first()).toContainText("新增排期：垃圾分类知多少");

  // Proof of play: yesterday's plays by station, short stations flagged, and the map draws.
  await page.goto("/estation/plays");
  await expect(page.locator("[data-stat=plays]")).not.toHaveText("0");
  await expect(page.locator("tr[data-short]").first()).toBeVisible();
  await page.goto("/estation/map");
  await expect(page.locator("[data-chart=stations] canvas")).toBeVisible();
});

test("a town officer on a phone sees the town's stations and offline screens", async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const page = await phone.newPage();
  await loginOk(page, "jinsha");
  await page.goto("/estation");
  const towns = page.locator("table[data-table=stations] tbody tr");
  await expect(towns.first()).toBeVisible();
  const count = Number(await page.locator("[data-stat=stations]").textContent());
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThan(112);
  await page.goto("/estation/screens/offline?hours=1");
  await expect(page.getByRole("heading", { name: "离线屏幕" })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await phone.close();
});

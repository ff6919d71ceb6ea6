import { test, expect } from "@playwright/test";
import { loginOk } from "./helpers";

test("an enterprise posts a need, staff approve it and see the experts it suits, with reasons", async ({ browser }) => {
  const enterprise = await browser.newPage();
  await loginOk(enterprise, "qiye");
  await enterprise.goto("/match/needs/new");
  // Inline validation: nothing is sent while required fields are empty.
  await enterprise.getByRole("button", { name: "保存并提交审核" }).click();
  await expect(enterprise.locator("[data-error-for=title]")).not.toBeEmpty();
  await expect(enterprise).toHaveURL(/\/match\/needs\/new$/);
  await enterprise.getByLabel("项目名称").fill("家纺面料印花渗色问题攻关");
  await enterprise.getByLabel("行业领域").fill("纺织业");
  await enterprise.getByLabel("需求类型").selectOption("technology");
  await enterprise.getByLabel("需求背景").fill("公司做床上用品面料，活性印花为主，近期出口订单对牢度要求提高。");
  await enterprise.getByLabel("需解决的主要技术难题").fill("印出来的花型边上会渗开，洗几次以后颜色变淡，白底还会被沾色。");
  await enterprise.getByLabel("期望实现的主要技术目标").fill("花型轮廓清晰，皂洗牢度达到4级，白底沾色4级以上。");
  await enterprise.getByLabel("预算（万元）").fill("60");
  await enterprise.getByRole("button", { name: "保存并提交审核" }).click();
  await expect(enterprise.locator("[data-status=submitted]")).toBeVisible();
  const url = enterprise.url();

  const staff = await browser.newPage();
  await loginOk(staff, "staff");
  await staff.goto("/match/needs?status=submitted");
  await staff.getByRole("link", { name: "家纺面料印花渗色问题攻关" }).click();
  await expect(staff).toHaveURL(url);
  await staff.getByRole("button", { name: "审核通过" }).click();
  await expect(staff.locator("[data-status=approved]")).toBeVisible();
  const ranked = staff.locator("table[data-table=ranked-experts] tbody tr");
  await expect(ranked.first()).toBeVisible();
  expect(await ranked.count()).toBeGreaterThanOrEqual(5);
  await expect(staff.getByRole("columnheader", { name: "匹配依据" })).toBeVisible();
  await expect(ranked.first().locator("ul.why li").first()).toBeVisible();
  // Start an engagement with the best expert and record a visit.
  await ranked.first().getByRole("button", { name: "发起对接" }).click();
  await expect(staff.locator("[data-stage=matched]")).toBeVisible();
  await staff.getByLabel("进展").selectOption("visited");
  await staff.getByRole("button", { name: "保存" }).click();
  await expect(staff.locator("[data-stage=visited]")).toBeVisible();
});

test("staff set up an event and compute its plan, or learn why none exists", async ({ page }) => {
  await loginOk(page, "staff");
  await page.goto("/match/events");
  await page.getByRole("button", { name: "创建活动" }).click();
  await expect(page.locator("[data-error-for=name]")).not.toBeEmpty();
  await page.getByLabel("活动名称").fill("2027年新材料专场对接会");
  await page.getByLabel("日期").fill("2027-03-18");
  await page.getByRole("button", { name: "创建活动" }).click();
  await expect(page.getByRole("heading", { name: "2027年新材料专场对接会" })).toBeVisible();
  for (let i = 0; i < 3; i++) {
    await page.locator("#f-need_id").selectOption({ index: i });
    await page.locator("#needs").getByRole("button", { name: "添加" }).click();
  }
  await expect(page.locator("#needs tbody tr")).toHaveCount(3);
  await page.locator("#f-expert_id").selectOption({ index: 0 });
  await page.locator("#experts").getByLabel("最多对接场数").fill("1");
  await page.locator("#experts").getByRole("button", { name: "添加" }).click();
  await page.getByRole("button", { name: "计算对接安排" }).click();
  // One expert with one meeting cannot serve three enterprises wanting three each: the page
  // says so and names them.
  await expect(page.locator("#plan-issues")).toBeVisible();
  await expect(page.locator("#plan-issues li").first()).toBeVisible();
});

test("the demo's planned event shows its meetings by slot and prints an expert's schedule", async ({ page }) => {
  await loginOk(page, "staff");
  await page.goto("/match/events");
  await page.getByRole("link", { name: "2026年产学研精准对接活动·智能制造与新材料专场" }).click();
  await expect(page.locator("[data-status=planned]")).toBeVisible();
  await expect(page.locator("table[data-table=meetings] tbody tr").first()).toBeVisible();
  await expect(page.locator("#clashes")).toHaveCount(0);
  await page.locator("#experts").getByRole("link", { name: "日程" }).first().click();
  await expect(page.locator("section.sheet")).toHaveCount(1);
  await expect(page.locator("section.sheet tbody tr").first()).toBeVisible();
});

test("an expert on a phone sees the published needs they suit", async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const page = await phone.newPage();
  await loginOk(page, "expert");
  await page.goto("/match/experts");
  await page.locator("table[data-table=experts] tbody a").first().click();
  const needs = page.locator("table[data-table=ranked-needs] tbody tr");
  await expect(needs.first()).toBeVisible();
  await expect(needs.first().locator("ul.why li").first()).toBeVisible();
  // No horizontal scrolling of the page itself on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await phone.close();
});

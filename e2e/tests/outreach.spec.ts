import { test, expect } from "@playwright/test";
import { loginOk } from "./helpers";

test("a piece is written in the editor, passes two reviews by others, goes out on WeChat and is found by search", async ({ browser }) => {
  const title = "秋季果园病虫害绿色防控要点";
  const author = await browser.newPage();
  await loginOk(author, "bianji");
  await author.goto("/outreach/content/new");
  await author.getByLabel("标题").fill(title);
  await author.getByLabel("主题").selectOption("农业技术");
  await author.getByLabel("受众").selectOption("农民");
  await author.getByLabel("标签").fill("果园，绿色防控");
  // The editor writes into the form's body; a pasted script does not survive the save.
  const editor = author.locator("[data-editor]");
  await editor.click();
  await author.keyboard.type("梨树黑星病要在落花后及时喷药，优先选用生物农药。");
  await author.getByRole("button", { name: "保存" }).click();
  await expect(author.locator("[data-status=draft]")).toBeVisible();
  await expect(author.locator("[data-body]")).toContainText("梨树黑星病");
  await author.getByRole("button", { name: "提交审核" }).click();
  await expect(author.locator("[data-status=submitted]")).toBeVisible();
  const url = author.url();

  const science = await browser.newPage();
  await loginOk(science, "kepu");
  await science.goto("/outreach/review");
  await science.getByRole("link", { name: title }).click();
  await expect(science).toHaveURL(url);
  await science.getByRole("button", { name: "科学性审核通过" }).click();
  await expect(science.locator("[data-status=science_reviewed]")).toBeVisible();

  const editorial = await browser.newPage();
  await loginOk(editorial, "staff");
  await editorial.goto(url);
  await editorial.getByRole("button", { name: "编辑与政治审核通过" }).click();
  await expect(editorial.locator("[data-status=approved]")).toBeVisible();
  // Record it on WeChat, then the figure from the back office.
  await editorial.locator("#record").getByLabel("渠道").selectOption("wechat");
  await editorial.locator("#record").getByLabel("账号/栏目").fill("南通州科协");
  await editorial.locator("#record").getByLabel("链接").fill("https://mp.weixin.qq.com/s/guoyuan");
  await editorial.getByRole("button", { name: "登记", exact: true }).click();
  await expect(editorial.locator("[data-status=done]")).toBeVisible();
  await editorial.getByLabel("惠及人次").fill("2,380");
  await editorial.getByRole("button", { name: "保存" }).click();
  await expect(editorial.locator("[data-reach]")).toHaveText("2380");

  // The WeChat-ready version and the overview.
  await editorial.goto(url + "/channel/wechat");
  await expect(editorial.locator("textarea")).toContainText("梨树黑星病");
  await editorial.goto("/outreach");
  await expect(editorial.locator("[data-sentence]")).toContainText("共发送科普知识");
  await expect(editorial.locator("[data-chart=channel] canvas")).toBeVisible();

  await editorial.goto("/search?q=" + encodeURIComponent("黑星病"));
  await expect(editorial.locator("[data-hit=content]").first()).toContainText(title);
  await expect(editorial.locator("[data-hit=content] mark").first()).toBeVisible();
});

test("an emergency campaign interrupts every screen and opens a task per channel in one action", async ({ page }) => {
  await loginOk(page, "staff");
  await page.goto("/outreach/campaigns");
  await page.getByLabel("活动名称").fill("寒潮大风应急科普");
  await page.getByLabel("类型").selectOption("emergency");
  await page.getByLabel("开始日期").fill("2026-11-20");
  await page.getByLabel("结束日期").fill("2026-12-05");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("heading", { name: /寒潮大风应急科普/ })).toBeVisible();
  const piece = page.locator("#f-content option").nth(1);
  await page.locator("#f-content").selectOption({ index: 1 });
  expect(await piece.textContent()).toBeTruthy();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "立即启动" }).click();
  await expect(page.locator("[data-stat=channels]")).toHaveText("0 / 8");
  await expect(page.locator("table[data-table=tasks] tbody tr")).toHaveCount(8);
  await page.goto("/estation/interrupts");
  const row = page.locator("tr", { hasText: "寒潮大风应急科普" }).first();
  await expect(row).toBeVisible();
  // End it: the other tests' screens play their schedule again.
  await row.getByRole("link").first().click();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "结束插播" }).click();
  await expect(page.getByRole("button", { name: "结束插播" })).toHaveCount(0);
});

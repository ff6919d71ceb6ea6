import { test, expect, Page } from "@playwright/test";
import { loginOk, solve } from "./helpers";

// A date `days` ahead in China time, as a date input's value.
function chinaDay(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

async function phone(browser: import("@playwright/test").Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true });
  return ctx.newPage();
}

test("a community orders a service on a phone; staff dispatch, the team accepts and runs it; the community rates it", async ({ browser }) => {
  // 点单: from the menu, on a phone; a bad form is marked in place.
  const p = await phone(browser);
  await p.goto("/order");
  await expect(p.getByRole("heading", { name: "科普服务点单" })).toBeVisible();
  await p.locator("[data-menu] li a").first().click();
  await expect(p.locator("[data-picked]")).toBeVisible();
  await p.getByRole("button", { name: "提交点单" }).click();
  await expect(p.locator("[data-error-for=orderer]")).toContainText("此项为必填");
  await p.getByText("社区/单位", { exact: true }).click();
  await p.getByLabel("社区/单位或姓名").fill("金沙街道南山社区居委会");
  await p.getByLabel("联系人").fill("陈美华");
  await p.getByLabel("手机号").fill("13962814417");
  await p.getByLabel("镇（街道）").selectOption({ label: "金沙街道" });
  await p.getByLabel("服务地点").fill("南山社区党群服务中心");
  await p.getByLabel("服务类型").selectOption({ value: "lecture" });
  await p.getByLabel("服务主题").fill("老年人防范电信诈骗讲座");
  await p.getByLabel("期望日期").fill(chinaDay(10));
  await p.locator("#f-answer").fill(await solve(p));
  await p.getByRole("button", { name: "提交点单" }).click();
  await expect(p.locator("[data-ordered]")).toBeVisible();
  await expect(p.locator("[data-status=ordered]")).toBeVisible();
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  const ticket = p.url();

  // 派单 and 接单: staff find it, send it to a team, and the team's activity is planned.
  const office = await browser.newContext({ locale: "zh-CN" });
  const s = await office.newPage();
  await loginOk(s, "staff");
  await s.goto("/orders?q=老年人防范电信诈骗讲座");
  await s.getByRole("link", { name: "老年人防范电信诈骗讲座" }).first().click();
  await s.getByLabel("承接服务队").selectOption({ index: 1 });
  await s.getByRole("button", { name: "派单" }).click();
  await expect(s.locator(".page-head [data-status=dispatched]")).toBeVisible();
  await s.getByLabel("开始时间").fill(`${chinaDay(10)}T09:00`);
  await s.getByLabel("结束时间").fill(`${chinaDay(10)}T11:00`);
  await s.getByRole("button", { name: "接单" }).click();
  await expect(s.locator(".page-head [data-status=accepted]")).toBeVisible();
  await s.getByLabel("服务情况简述").fill("讲解了冒充客服、刷单返利等常见骗局，60 余位老人到场，发放宣传折页 120 份。");
  await s.getByRole("button", { name: "服务完成" }).click();
  await expect(s.locator(".page-head [data-status=done]")).toBeVisible();

  // 评单: the community rates it from its own link.
  await p.goto(ticket);
  await expect(p.locator("[data-status=done]")).toBeVisible();
  await p.getByText("5 ★", { exact: true }).click();
  await p.getByRole("button", { name: "提交评价" }).click();
  await expect(p.locator("[data-rating='5']")).toBeVisible();
});

import { test, expect, Page } from "@playwright/test";
import { idNumber, login, loginOk } from "./helpers";

// A datetime-local value in China time, `minutes` from now.
function chinaLocal(minutes: number): string {
  const t = new Date(Date.now() + minutes * 60_000 + 8 * 3600_000);
  return t.toISOString().slice(0, 16);
}

async function phone(browser: import("@playwright/test").Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true });
  return ctx.newPage();
}

test("staff plan and publish an activity; people check in on their phones; staff see the door list", async ({ browser }) => {
  const office = await browser.newContext({ locale: "zh-CN" });
  const s = await office.newPage();
  await loginOk(s, "staff");
  await s.getByRole("link", { name: "活动", exact: true }).first().click();
  await s.getByRole("link", { name: "新建活动" }).click();
  // Checked in place before anything is sent.
  await s.getByRole("button", { name: "保存" }).click();
  await expect(s.locator("[data-error-for=title]")).toContainText("此项为必填");
  await s.getByLabel("活动名称").fill("应急救护知识进社区科普讲座");
  await s.getByLabel("活动类型").selectOption({ label: "科普讲座" });
  await s.getByLabel("主题").first().fill("冬季防病与反诈");
  await s.getByLabel("主办单位").selectOption({ index: 1 });
  await s.getByLabel("地点").fill("金沙街道南山社区活动中心");
  await s.getByLabel("镇（街道）").selectOption({ label: "金沙街道" });
  await s.getByLabel("开始时间").fill(chinaLocal(-30));
  await s.getByLabel("结束时间").fill(chinaLocal(90));
  await s.getByLabel("名额").fill("80");
  await s.getByRole("button", { name: "保存" }).click();
  await expect(s.locator(".page-head [data-status=draft]")).toBeVisible();
  await s.locator("button[data-step=publish]").click();
  await expect(s.locator(".page-head [data-status=published]")).toBeVisible();
  await expect(s.locator("[data-door-qr] svg")).toBeVisible();
  const door = (await s.locator("[data-door-url]").getAttribute("href")) ?? "";

  // A neighbour scans the code with their phone and checks in; a second tap is refused.
  const p = await phone(browser);
  await p.goto(door);
  await expect(p.getByRole("heading", { name: "扫码签到" })).toBeVisible();
  await p.getByLabel("姓名").fill("陈桂兰");
  await p.getByLabel("手机号").fill("13962817788");
  await p.getByRole("button", { name: "签到" }).click();
  await expect(p.locator("[data-door-done]")).toContainText("签到成功");
  await p.getByRole("button", { name: "签到" }).click();
  await expect(p.locator("[data-door-error]")).toContainText("已签到，不能重复签到");
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Staff see who came; the year's figures draw their charts.
  await s.reload();
  await expect(s.locator("[data-attended]").first()).toHaveText("1");
  await expect(s.locator("table[data-table=registrations]")).toContainText("陈桂兰");
  await expect(s.locator("table[data-table=registrations]")).toContainText("13962817788");
  await s.goto("/activities/figures");
  await expect(s.locator("[data-chart=kind] canvas, [data-chart=kind] svg").first()).toBeVisible();
});

test("a volunteer signs up on a phone, is verified by the town, logs hours that the town certifies", async ({ browser }) => {
  const p = await phone(browser);
  await p.goto("/join");
  await expect(p.getByRole("heading", { name: "注册科普志愿者" })).toBeVisible();
  await p.getByLabel("姓名").fill("钱晓梅");
  await p.getByText("女", { exact: true }).click();
  await p.getByLabel("手机号（登录账号）").fill("13706286677");
  await p.getByLabel("身份证号").fill(idNumber("32061219930303002"));
  await p.getByLabel("镇（街道）").selectOption({ label: "金沙街道" });
  await p.getByText("科普讲解", { exact: true }).click();
  await p.getByText("周末白天", { exact: true }).click();
  await p.getByLabel("设置密码").fill("qian-2026-ok");
  await p.getByLabel(/我已阅读并同意/).check();
  await p.getByRole("button", { name: "提交注册" }).click();
  await expect(p).toHaveURL(/\/login\?reason=joined/);
  await login(p, "13706286677", "qian-2026-ok");
  await p.goto("/me/volunteer");
  await expect(p.locator(".page-head [data-status=pending]")).toBeVisible();

  // The town verifies them.
  const office = await browser.newContext({ locale: "zh-CN" });
  const t = await office.newPage();
  await loginOk(t, "jinsha");
  await t.goto("/volunteers?q=钱晓梅");
  await t.locator("table[data-table=volunteers] a", { hasText: "钱晓梅" }).click();
  await t.locator("button[data-verify]").click();
  await expect(t.locator(".page-head [data-status=verified]")).toBeVisible();

  // They log yesterday's hours; a future date is refused in place.
  await p.reload();
  const tomorrow = new Date(Date.now() + 32 * 3600_000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 16 * 3600_000).toISOString().slice(0, 10);
  await p.getByLabel("服务日期").fill(tomorrow);
  await p.getByLabel("时长（小时）").fill("2.5");
  await p.getByLabel("服务内容").fill("社区老年人智能手机使用辅导");
  await p.getByLabel("地点").fill("金沙街道南山社区");
  await p.getByRole("button", { name: "申报服务时长" }).click();
  await expect(p.locator("[data-error-for=served_on]")).toContainText("不能申报未来日期的服务");
  await p.getByLabel("服务日期").fill(yesterday);
  await p.getByRole("button", { name: "申报服务时长" }).click();
  await expect(p.locator("table[data-table=ledger] [data-record-status=pending]")).toBeVisible();

  // The town certifies; the volunteer sees the hours and can print the certificate.
  await t.goto("/volunteers/approvals");
  const row = t.locator("table[data-table=hours-to-certify] tr", { hasText: "钱晓梅" });
  await row.locator("button[data-certify]").click();
  await p.reload();
  await expect(p.locator("[data-total-hours]")).toHaveText("2.5");
  await p.getByRole("link", { name: "服务证明" }).click();
  await expect(p.locator("[data-certificate-hours]")).toHaveText("2.5");
});

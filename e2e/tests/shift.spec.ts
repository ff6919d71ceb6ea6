import { test, expect, Page } from "@playwright/test";
import { idNumber, login, loginOk } from "./helpers";

// The next Saturday at least three days ahead, 06:00 China time (before any demo shift), as a datetime-local value.
function saturdayMorning(): string {
  const china = new Date(Date.now() + 8 * 3600_000 + 3 * 86400_000);
  while (china.getUTCDay() !== 6) china.setUTCDate(china.getUTCDate() + 1);
  return `${china.toISOString().slice(0, 10)}T06:00`;
}

async function phone(browser: import("@playwright/test").Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true });
  return ctx.newPage();
}

test("staff set up a project and a shift; a volunteer signs up on a phone; staff see the place filled", async ({ browser }) => {
  const office = await browser.newContext({ locale: "zh-CN" });
  const s = await office.newPage();
  await loginOk(s, "staff");
  await s.getByRole("link", { name: "服务项目" }).first().click();
  await expect(s.locator("table[data-table=projects] tbody tr").first()).toBeVisible();
  await s.getByRole("link", { name: "新建服务项目" }).click();
  await s.getByRole("button", { name: "保存" }).click();
  await expect(s.locator("[data-error-for=title]")).toContainText("此项为必填");
  await s.getByLabel("实践点/服务队").selectOption({ index: 1 });
  await s.getByLabel("服务项目").fill("社区应急救护体验课");
  await s.getByLabel("活动类型").selectOption({ value: "lecture" });
  await s.getByRole("button", { name: "保存" }).click();
  await expect(s.getByRole("heading", { name: /社区应急救护体验课/ })).toBeVisible();

  // A shift: two people to set up early on Saturday.
  await s.getByLabel("岗位").fill("布展搭建");
  await s.getByLabel("开始时间").fill(saturdayMorning());
  await s.getByLabel("时长（小时）").fill("1.5");
  await s.getByLabel("需要人数").fill("2");
  await s.getByRole("button", { name: "添加班次" }).click();
  const row = s.locator("table[data-table=shifts] tbody tr", { hasText: "布展搭建" });
  await expect(row.locator("[data-filled]")).toHaveText("0/2");
  const shiftId = await row.getAttribute("data-shift");
  const projectPage = s.url();

  // A new volunteer who serves at weekends signs up on their phone; staff verify them.
  const p = await phone(browser);
  await p.goto("/join");
  await p.getByLabel("姓名").fill("蒯志远");
  await p.getByText("男", { exact: true }).click();
  await p.getByLabel("手机号（登录账号）").fill("13706289911");
  await p.getByLabel("身份证号").fill(idNumber("32061219880808003"));
  await p.getByLabel("镇（街道）").selectOption({ label: "金沙街道" });
  await p.getByText("科普讲解", { exact: true }).click();
  await p.getByText("周末白天", { exact: true }).click();
  await p.getByLabel("设置密码").fill("zhou-2026-ok");
  await p.getByLabel(/我已阅读并同意/).check();
  await p.getByRole("button", { name: "提交注册" }).click();
  await expect(p).toHaveURL(/\/login\?reason=joined/);
  await s.goto("/volunteers?q=蒯志远");
  await s.locator("table[data-table=volunteers] a", { hasText: "蒯志远" }).click();
  await s.locator("button[data-verify]").click();
  await expect(s.locator(".page-head [data-status=verified]")).toBeVisible();
  await login(p, "13706289911", "zhou-2026-ok");
  // The sign-in must land before the next page is asked for, or the form's post is cut short.
  await expect(p).not.toHaveURL(/\/login/);
  await p.goto("/me/volunteer/shifts");
  const card = p.locator(`[data-open-shift="${shiftId}"]`);
  await card.getByRole("button", { name: "报名" }).click();
  await expect(p.locator(`#mine [data-shift="${shiftId}"]`)).toBeVisible();
  expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Staff see the place taken and the shift still one short on the gaps page.
  await s.goto(projectPage);
  await expect(row.locator("[data-filled]")).toHaveText("1/2");
  await s.goto("/volunteers/shifts");
  await expect(s.locator(`table[data-table=gaps] tr[data-shift="${shiftId}"] [data-gap]`)).toHaveText("1");
});

import { test, expect } from "@playwright/test";
import { loginOk, solve, tickConsent } from "./helpers";

// The first bytes of a PNG: what the server checks a photo by.
const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");

test("a citizen suggests from a phone; staff moderate, route and answer; the citizen rates", async ({ browser }) => {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  // The QR code on a screen opens the form, carrying its campaign.
  await page.goto("/suggest?c=1");
  await expect(page.getByRole("heading", { name: "我要提建议" })).toBeVisible();
  // Checked in place before anything is sent.
  await page.getByRole("button", { name: "提交建议" }).click();
  await expect(page.locator("[data-error-for=body]")).toContainText("此项为必填");

  const text = "社区e站播放的防疫视频很好，建议在周末增加一些适合孩子看的科学实验内容。";
  await page.getByRole("radio", { name: "科普e站" }).check();
  await page.getByLabel("建议内容").fill(text);
  await page.getByLabel("照片").setInputFiles({ name: "现场.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("所在镇（街道）").selectOption({ label: "西亭镇" });
  await page.getByLabel("姓名").fill("李秀英");
  await page.getByLabel("联系电话").fill("13912345678");
  // Unticked, the privacy consent stops the form on the phone; a wrong sum is refused by the
  // server with the form kept.
  await page.getByRole("button", { name: "提交建议" }).click();
  await expect(page.locator("[data-error-for=consent]")).toContainText("请阅读《隐私政策》并勾选同意后再提交");
  await tickConsent(page);
  await page.getByLabel(/请回答/).fill("99");
  await page.getByRole("button", { name: "提交建议" }).click();
  await expect(page.locator("[data-error-for=answer]")).toContainText("计算结果不对");
  await expect(page.getByLabel("建议内容")).toHaveValue(text);
  await page.getByLabel("照片").setInputFiles({ name: "现场.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel(/请回答/).fill(await solve(page));
  await page.getByRole("button", { name: "提交建议" }).click();
  await expect(page.locator("[data-submitted]")).toBeVisible();
  const receipt = ((await page.locator("[data-receipt]").textContent()) ?? "").trim();
  expect(receipt).toMatch(/^JY\d{13,}$/);
  const follow = page.url().replace(/\?new=1$/, "");
  // Made for the phone: nothing wider than the screen.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Staff find it by its receipt number, accept it and route it to 西亭镇.
  const office = await browser.newContext({ locale: "zh-CN" });
  const s = await office.newPage();
  await loginOk(s, "staff");
  await s.getByRole("link", { name: "建议意见" }).first().click();
  await expect(s.locator("[data-public-qr] svg")).toBeVisible();
  await s.locator("#q").fill(receipt);
  await s.locator("table[data-table=suggestions] a", { hasText: receipt }).click();
  await expect(s.locator(".page-head [data-status=received]")).toBeVisible();
  await expect(s.locator("[data-body]")).toHaveText(text);
  await expect(s.locator(".photos img")).toHaveCount(1);
  await s.getByRole("button", { name: "受理", exact: true }).click();
  await expect(s.locator(".page-head [data-status=accepted]")).toBeVisible();
  await s.getByLabel("承办镇（街道）").selectOption({ label: "西亭镇" });
  await s.getByRole("button", { name: "派单", exact: true }).click();
  await expect(s.locator(".page-head [data-status=assigned]")).toBeVisible();
  await expect(s.locator("[data-assigned]")).toContainText("西亭镇");

  // The answer, made public.
  const answer = "西亭镇科协已在周末时段增加《厨房里的科学实验》系列视频，欢迎带孩子观看。";
  await s.getByLabel("官方答复").fill(answer);
  await s.getByLabel(/公开答复/).check();
  await s.getByRole("button", { name: "保存答复" }).click();
  await expect(s.locator(".page-head [data-status=answered]")).toBeVisible();
  await s.goto("/suggestions/figures");
  await expect(s.locator("[data-stat=answered]")).not.toHaveText("0");
  await expect(s.locator("[data-chart=category] canvas")).toBeVisible();

  // The citizen reads the answer through the private link and rates it.
  await page.goto(follow);
  await expect(page.locator("[data-answer]")).toHaveText(answer);
  await page.getByRole("radio", { name: "5 ★" }).check();
  await page.getByLabel("评价内容（可选）").fill("回复很快，谢谢！");
  await page.getByRole("button", { name: "提交评价" }).click();
  await expect(page.locator("[data-rated]")).toBeVisible();
  await expect(page.locator("[data-rating='5']")).toBeVisible();
  // And anyone sees the public answer, without the citizen's name or phone.
  await page.goto("/suggest/answers");
  const card = page.locator("[data-public-answer]", { hasText: answer });
  await expect(card).toBeVisible();
  await expect(card).toContainText("李**");
  await expect(card).not.toContainText("13912345678");
  await phone.close();
  await office.close();
});

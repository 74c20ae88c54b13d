// Learn (/learn/, its own build, cached by the service worker): a solo quiz
// and an event with three participants passing the device, all with the
// network cut; then the event's results reach the server once it is back.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectAccessible } from '../fixtures/axe';
import { test, expect, expectControlledByServiceWorker, GreenWatchServer } from '../fixtures/server';

/** One online visit to the citizen app, then the network cut both ways. */
async function goOffline(page: Page, server: GreenWatchServer) {
  await page.goto(server.url + '/');
  await expectControlledByServiceWorker(page);
  await server.stop();
  await page.context().setOffline(true);
}

/**
 * Answers the quiz on screen with the first option of each question, and
 * returns how many the app said were right.
 */
async function playFirstOptions(page: Page, questions: number): Promise<number> {
  let right = 0;
  for (let i = 1; i <= questions; i++) {
    await expect(page.getByText(`第 ${i} 题，共 ${questions} 题`)).toBeVisible();
    const options = page.locator('.options');
    await options.locator('input').first().check();
    await page.getByRole('button', { name: '确定' }).click();
    const verdict = page.locator('.feedback .verdict');
    await expect(verdict).toBeVisible();
    if ((await verdict.textContent())!.includes('回答正确')) right++;
    // The explanation and the source come with every answer.
    await expect(page.locator('.feedback .explanation')).not.toBeEmpty();
    await expect(page.locator('.feedback .source')).toContainText('出处');
    const last = i === questions;
    await page.getByRole('button', { name: last ? '查看成绩' : '下一题' }).click();
  }
  return right;
}

test('a solo quiz from start to score, offline', async ({ page, server }) => {
  test.setTimeout(120_000);
  await goOffline(page, server);

  await page.goto(server.url + '/learn/');
  await expect(page.getByRole('heading', { level: 1, name: '环保知识' })).toBeVisible();
  await expectAccessible(page, 'learn home');
  await page.getByRole('button', { name: '开始答题 综合（所有题库）' }).click();
  await expect(page.getByRole('heading', { level: 2, name: '综合（所有题库）' })).toBeVisible();
  await expectAccessible(page, 'learn question');

  const right = await playFirstOptions(page, 10);

  await expect(page.locator('.score')).toContainText(`${right} / 10`);
  if (right === 10) {
    await expect(page.getByText('全部答对')).toBeVisible();
  } else {
    await expect(page.locator('ol.missed > li')).toHaveCount(10 - right);
  }
  await expect(page.getByText('新的最好成绩！')).toBeVisible();

  // The best score is kept on the device, also across a reload.
  await page.getByRole('button', { name: '返回学习首页' }).click();
  await page.reload();
  await expect(page.locator('#best-mixed')).toContainText(`${right}/10`);
});

test('an event: three participants pass the device, then the leaderboard, the CSV and the upload', async ({
  page,
  browser,
  server,
}) => {
  test.setTimeout(180_000);
  await goOffline(page, server);
  await page.goto(server.url + '/learn/');
  await page.getByRole('button', { name: '课堂和活动模式' }).click();

  // The leader's form refuses bad values with a message beside each field.
  await page.getByRole('spinbutton', { name: '题目数量' }).fill('50');
  await page.getByRole('button', { name: '开始活动' }).click();
  await expect(page.getByRole('textbox', { name: '活动名称' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#event-questions-error')).toContainText('1 到 20');
  await expect(page.locator('#event-code-error')).toContainText('4 到 8 位数字');

  await page.getByRole('textbox', { name: '活动名称' }).fill('世界环境日·西湖社区');
  await page.getByRole('combobox', { name: '选择题库' }).selectOption({ label: '生活垃圾分类' });
  await page.getByRole('spinbutton', { name: '题目数量' }).fill('3');
  await page.getByLabel('组织者密码').fill('2468');
  await expectAccessible(page, 'event setup');
  await page.getByRole('button', { name: '开始活动' }).click();

  // Event mode: no way out into the rest of the app.
  await expect(page.getByRole('heading', { level: 2, name: '组织者' })).toBeVisible();
  const linksOut = page.locator('a[href]:not([href^="#"])');
  await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
  await expect(linksOut).toHaveCount(0);
  await page.getByRole('button', { name: '下一位参与者答题' }).click();

  const names = ['小明', '李华', 'Ada'];
  const scores: number[] = [];
  for (const name of names) {
    const nickname = page.getByRole('textbox', { name: '你的昵称' });
    // Nothing of the previous participant is left on screen.
    await expect(nickname).toHaveValue('');
    for (const other of names) await expect(page.getByText(other)).toHaveCount(0);
    await nickname.fill(name);
    await page.getByRole('button', { name: '开始答题' }).click();
    scores.push(await playFirstOptions(page, 3));
    await expect(page.getByRole('heading', { level: 2, name: `你的成绩 · ${name}` })).toBeVisible();
    await expect(page.locator('.score')).toContainText(`${scores.at(-1)} / 3`);
    await page.getByRole('button', { name: '交给下一位' }).click();
  }

  // A reload keeps the device in the event, at the participants' screen.
  await page.reload();
  await expect(page.getByRole('textbox', { name: '你的昵称' })).toBeVisible();
  await expect(linksOut).toHaveCount(0);

  // The leader's page is behind the code.
  await page.getByRole('button', { name: '组织者' }).click();
  await page.getByLabel('组织者密码').fill('1111');
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('密码不对。')).toBeVisible();
  await page.getByLabel('组织者密码').fill('2468');
  await page.getByRole('button', { name: '确定' }).click();
  await expect(page.locator('.participant-count')).toHaveText('3');
  await expect(page.getByText('3 条成绩等待联网后上传')).toBeVisible();

  // The leaderboard: best first, and the summary.
  await page.getByRole('button', { name: '排行榜和汇总' }).click();
  const rows = page.locator('table.leaderboard tbody tr');
  await expect(rows).toHaveCount(3);
  const shown = await rows.locator('td:nth-child(3)').allTextContents();
  const sorted = [...scores].sort((a, b) => b - a).map((n) => `${n} / 3`);
  expect(shown).toEqual(sorted);
  await expect(page.locator('.summary-participants')).toHaveText('3');
  const average = Math.round(scores.map((n) => Math.floor((n * 100) / 3)).reduce((a, b) => a + b, 0) / 3);
  await expect(page.locator('.summary-average')).toHaveText(`${average}%`);
  await expectAccessible(page, 'leaderboard');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.split('\r\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(4);
  expect(lines[0]).toContain('昵称 Nickname');
  for (const name of names) expect(csv).toContain(name);

  // The presenter view: question large, the answer when the leader says.
  await page.getByRole('button', { name: '返回组织者页面' }).click();
  await page.getByRole('button', { name: '投影模式' }).click();
  await expect(page.locator('.presenter-prompt')).not.toBeEmpty();
  await expect(page.locator('.right-option')).toHaveCount(0);
  await page.getByRole('button', { name: '显示答案' }).click();
  await expect(page.locator('.presenter .feedback')).toContainText('正确答案：');
  await page.getByRole('button', { name: '返回组织者页面' }).click();

  // The network comes back: the three results reach the server, once.
  await server.restart();
  await page.context().setOffline(false);

  server.addStaff('zhao.lei', 'a long enough password', 'operator');
  const staff = await browser.newContext();
  const login = await staff.request.post(server.url + '/api/v1/staff/login', {
    data: { username: 'zhao.lei', password: 'a long enough password' },
  });
  expect(login.ok()).toBeTruthy();
  await expect
    .poll(
      async () => {
        const answer = await staff.request.get(server.url + '/api/v1/staff/quiz/participation');
        const body = await answer.json();
        return body.events?.[0]?.participants ?? 0;
      },
      { timeout: 60_000 },
    )
    .toBe(3);
  const participation = await (await staff.request.get(server.url + '/api/v1/staff/quiz/participation')).json();
  expect(participation.events).toHaveLength(1);
  expect(participation.events[0].name).toBe('世界环境日·西湖社区');
  expect(participation.total_participants).toBe(3);
  // No nickname ever leaves the device.
  expect(JSON.stringify(participation)).not.toContain('小明');

  // The bureau reads it in the staff console too (same signed-in context).
  const console_ = await staff.newPage();
  await console_.goto(server.url + '/staff/');
  await console_.getByRole('button', { name: '知识问答参与情况' }).click();
  const row = console_.getByRole('row', { name: /世界环境日·西湖社区/ });
  await expect(row.getByRole('cell').first()).toHaveText('3');
  await expect(console_.locator('.participants-total')).toHaveText('3');
  await expectAccessible(console_, 'quiz participation');

  // Another run of the sync engine sends nothing twice.
  await page.reload();
  await expect(page.getByRole('textbox', { name: '你的昵称' })).toBeVisible();
  await page.waitForTimeout(2_000);
  const again = await (await staff.request.get(server.url + '/api/v1/staff/quiz/participation')).json();
  expect(again.total_participants).toBe(3);

  // The leader ends the event with the code; the rest of the app is back.
  await page.getByRole('button', { name: '组织者' }).click();
  await page.getByLabel('组织者密码').fill('2468');
  await page.getByRole('button', { name: '确定' }).click();
  await page.getByRole('button', { name: '结束活动' }).click();
  await page.getByLabel('组织者密码').fill('2468');
  await page.getByRole('button', { name: '结束活动' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '环保知识' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await staff.close();
});

test('a newer pack from the server replaces the bundled one and stays offline', async ({ page, server }) => {
  await page.goto(server.url + '/learn/');
  await expect(page.getByRole('heading', { level: 3, name: '噪声', exact: true })).toBeVisible();
  await expect(page.getByText('随应用附带')).toBeVisible();
  await expectControlledByServiceWorker(page);

  // The bureau publishes version 99 of the noise pack.
  const pack = JSON.parse(readFileSync(join(__dirname, '../../content/quiz/noise.json'), 'utf8'));
  pack.version = 99;
  pack.title['zh-CN'] = '噪声（2026 新版）';
  const dir = mkdtempSync(join(tmpdir(), 'greenwatch-quiz-'));
  writeFileSync(join(dir, 'noise.json'), JSON.stringify(pack));
  await server.stop();
  await server.restart(['--quiz-dir', dir]);

  await page.reload();
  await expect(page.getByRole('heading', { level: 3, name: '噪声（2026 新版）' })).toBeVisible();
  await expect(page.getByText('已从服务器更新')).toBeVisible();

  // Kept on the device: still there with the network cut.
  await server.stop();
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 3, name: '噪声（2026 新版）' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3, name: '噪声', exact: true })).toHaveCount(0);
});

test('with a time per question, a question left unanswered counts as missed', async ({ page, server }) => {
  await page.goto(server.url + '/learn/');
  await page.getByRole('button', { name: '课堂和活动模式' }).click();
  await page.getByRole('textbox', { name: '活动名称' }).fill('限时练习');
  await page.getByRole('spinbutton', { name: '题目数量' }).fill('1');
  await page.getByRole('spinbutton', { name: '每题限时（秒）' }).fill('5');
  await page.getByLabel('组织者密码').fill('1357');
  await page.getByRole('button', { name: '开始活动' }).click();
  await page.getByRole('button', { name: '下一位参与者答题' }).click();
  await page.getByRole('textbox', { name: '你的昵称' }).fill('小红');
  await page.getByRole('button', { name: '开始答题' }).click();
  await expect(page.locator('.timer')).toContainText('剩余秒数');
  // Nothing picked: the time runs out, the options lock, the answer shows.
  await expect(page.getByText('时间到。')).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('.options input').first()).toBeDisabled();
  await expect(page.locator('.feedback')).toContainText('正确答案：');
  await page.getByRole('button', { name: '查看成绩' }).click();
  await expect(page.locator('.score')).toContainText('0 / 1');
});

/** The zh-CN prompts of every bundled question, by the question's level. */
function promptsByLevel(): Map<string, string> {
  const dir = join(__dirname, '../../content/quiz');
  const levels = new Map<string, string>();
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const pack = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    for (const q of pack.questions) levels.set(q.prompt['zh-CN'], q.level);
  }
  return levels;
}

/** Answers `questions` questions with their first option; returns each prompt shown. */
async function promptsOfQuiz(page: Page, questions: number): Promise<string[]> {
  const prompts: string[] = [];
  for (let i = 1; i <= questions; i++) {
    await expect(page.getByText(`第 ${i} 题，共 ${questions} 题`)).toBeVisible();
    prompts.push((await page.locator('.quiz legend.prompt').textContent())!.trim());
    await page.locator('.options input').first().check();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByRole('button', { name: i === questions ? '查看成绩' : '下一题' }).click();
  }
  return prompts;
}

test('primary school: alone and in a class, only primary questions', async ({ page, server }) => {
  test.setTimeout(180_000);
  const levels = promptsByLevel();
  const expectPrimary = (prompts: string[]) => {
    for (const prompt of prompts) {
      expect(levels.get(prompt), prompt).toBe('primary');
    }
  };

  // Alone: the level is chosen above the packs and kept on the device.
  await page.goto(server.url + '/learn/');
  const soloLevel = page.getByRole('combobox', { name: '谁来答题' });
  await expect(soloLevel).toHaveValue('adult');
  await soloLevel.selectOption({ label: '小学生' });
  await page.reload();
  await expect(page.getByRole('combobox', { name: '谁来答题' })).toHaveValue('primary');
  await page.getByRole('button', { name: '开始答题 综合（所有题库）' }).click();
  expectPrimary(await promptsOfQuiz(page, 10));
  await page.getByRole('button', { name: '返回学习首页' }).click();

  // A class: the leader picks primary school; twenty questions from all packs.
  await page.getByRole('button', { name: '课堂和活动模式' }).click();
  const level = page.getByRole('combobox', { name: '谁来答题' });
  await expect(level).toHaveValue('primary');
  await level.selectOption({ label: '成人' });
  await page.getByRole('combobox', { name: '选择题库' }).selectOption({ label: '生活垃圾分类' });
  // Back to primary: the pack offers primary, so it stays chosen.
  await level.selectOption({ label: '小学生' });
  await expect(page.getByRole('combobox', { name: '选择题库' })).toHaveValue('waste-sorting');
  await page.getByRole('combobox', { name: '选择题库' }).selectOption({ label: '综合（所有题库）' });
  await page.getByRole('textbox', { name: '活动名称' }).fill('三年级二班');
  await page.getByRole('spinbutton', { name: '题目数量' }).fill('20');
  await page.getByLabel('组织者密码').fill('8642');
  await page.getByRole('button', { name: '开始活动' }).click();
  await expect(page.locator('.event-banner')).toContainText('三年级二班 · 小学生');
  await page.getByRole('button', { name: '下一位参与者答题' }).click();
  await page.getByRole('textbox', { name: '你的昵称' }).fill('小芳');
  await page.getByRole('button', { name: '开始答题' }).click();
  expectPrimary(await promptsOfQuiz(page, 20));
});

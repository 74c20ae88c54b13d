// Learn in WebKit and Firefox: after one online visit to the citizen app,
// a solo quiz from the first question to the score with no network at all,
// and the best score kept on the device across a reload.
import { test, expect } from './support/fixtures';
import { CitizenApp } from './support/citizen';

test('a solo quiz from start to score, offline, and its best score kept', async ({ screen, gate }) => {
  const app = new CitizenApp(screen, gate.url);
  await app.open('/');
  await app.waitForServiceWorker();
  gate.close();

  await screen.navigate(gate.url + '/learn/');
  await screen.getByRole('heading', { level: 1, name: '环保知识' }).waitFor({ timeout: 30_000 });
  await screen.getByRole('button', { name: '开始答题 综合（所有题库）' }).click();
  await screen.getByRole('heading', { level: 2, name: '综合（所有题库）' }).waitFor();

  let right = 0;
  for (let i = 1; i <= 10; i++) {
    await screen.getByText(`第 ${i} 题，共 10 题`).waitFor();
    await screen.locator('.options input').first().check();
    await screen.getByRole('button', { name: '确定' }).click();
    const verdict = await screen.locator('.feedback .verdict').textContent();
    if (verdict.includes('回答正确')) right++;
    // The explanation and its source come with every answer.
    expect(await screen.locator('.feedback .explanation').textContent()).not.toBe('');
    expect(await screen.locator('.feedback .source').textContent()).toContain('出处');
    await screen.getByRole('button', { name: i === 10 ? '查看成绩' : '下一题' }).click();
  }

  await screen.locator('.score').waitForText(`${right} / 10`);
  await screen.getByText('新的最好成绩！').waitFor();

  await screen.getByRole('button', { name: '返回学习首页' }).click();
  await screen.reload();
  await screen.locator('#best-mixed').waitForText(`${right}/10`);
});

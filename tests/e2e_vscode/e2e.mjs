// Drives code-server in headless Chromium: the tensorlint diagnostic, its squiggle and its quick
// fix, seen and used the way a user would. Started by run.sh, which prepares everything.
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
    options: {
        url: { type: 'string' },
        workspace: { type: 'string' },
        artifacts: { type: 'string' },
        profile: { type: 'string' },
        tools: { type: 'string', default: process.env.TENSORLINT_E2E_TOOLS },
        chromium: { type: 'string', default: process.env.TENSORLINT_E2E_CHROMIUM ?? '/usr/bin/chromium' },
        timeout: { type: 'string', default: '90' },
    },
});
const require = createRequire(join(opts.tools, 'node_modules', 'index.js'));
const { chromium } = require('playwright-core');

const CODE = 'TL101';
const BUGGY_LINE = 5; // `out = model(x)`
const FIX_TITLE = /\.float\(\)/;
const MESSAGE = /int64|float|dtype/i; // the message names the dtypes involved
const TIMEOUT = Number(opts.timeout) * 1000;
mkdirSync(opts.artifacts, { recursive: true });

const t0 = Date.now();
const timings = {};
const mark = (name) => {
    timings[name] = (Date.now() - t0) / 1000;
    console.log(`[${timings[name].toFixed(1)} s] ${name}`);
};

const context = await chromium.launchPersistentContext(opts.profile, {
    executablePath: opts.chromium,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
    ],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(TIMEOUT);
const consoleLines = [];
page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));

const shot = async (name) => {
    const file = join(opts.artifacts, `${name}.png`);
    await page.screenshot({ path: file });
    console.log(`  screenshot ${file}`);
};

let failed = false;
try {
    await page.goto(opts.url);
    await page.waitForSelector('.monaco-workbench');
    mark('workbench loaded');

    // Open the file from the Explorer, as a user would.
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'train.py' });
    await row.first().click();
    await page.waitForSelector('.editor-instance .view-lines');
    await page.locator('.view-line', { hasText: 'out = model(x)' }).waitFor();
    mark('train.py open');

    // The squiggle, on the right line.
    const squiggle = page.locator('.view-overlays .squiggly-error, .view-overlays .squiggly-warning').first();
    await squiggle.waitFor();
    mark('squiggle shown');
    const squiggleBox = await squiggle.boundingBox();
    const buggyLine = page.locator('.view-line', { hasText: 'out = model(x)' });
    const lineBox = await buggyLine.boundingBox();
    const middle = squiggleBox.y + squiggleBox.height / 2;
    if (!(middle >= lineBox.y && middle <= lineBox.y + lineBox.height)) {
        throw new Error(`squiggle at y=${middle}, but line ${BUGGY_LINE} spans ${lineBox.y}..${lineBox.y + lineBox.height}`);
    }
    console.log(`  squiggle is on line ${BUGGY_LINE} ("out = model(x)")`);

    // The Problems panel.
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: CODE });
    await problem.first().waitFor();
    const problemText = (await problem.first().innerText()).replace(/\s+/g, ' ').trim();
    const problemLabel = (await problem.first().getAttribute('aria-label')) ?? '';
    console.log(`  Problems: ${problemText}`);
    const shown = `${problemText} ${problemLabel}`;
    if (!/tensorlint/i.test(shown) || !new RegExp(`Ln ${BUGGY_LINE}\\b|line ${BUGGY_LINE}\\b`, 'i').test(shown)) {
        throw new Error(`the Problems row does not name tensorlint and line ${BUGGY_LINE}: ${shown}`);
    }
    if (!MESSAGE.test(problemText)) {
        throw new Error(`the Problems row does not explain the dtype mismatch: ${problemText}`);
    }
    writeFileSync(join(opts.artifacts, 'problem.txt'), `${problemText}\n${problemLabel}\n`);
    mark('Problems panel lists the finding');
    await shot('1-diagnostic');

    // The quick fix, through Ctrl+. on the squiggle.
    await page.mouse.click(squiggleBox.x + squiggleBox.width / 2, middle);
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE });
    await fix.first().waitFor();
    await shot('2-quick-fix-menu');
    console.log(`  quick fix offered: ${(await fix.first().innerText()).trim()}`);
    await fix.first().click();
    await page.locator('.view-line', { hasText: 'model(x.float())' }).waitFor();
    mark('quick fix changed the line');

    await problem.first().waitFor({ state: 'detached' });
    await page.locator('.view-overlays .squiggly-error, .view-overlays .squiggly-warning').first().waitFor({ state: 'detached' });
    mark('the problem and the squiggle are gone');
    await shot('3-fixed');
} catch (err) {
    failed = true;
    console.error(`FAILED: ${err.message}`);
    await shot('failure').catch(() => {});
} finally {
    writeFileSync(join(opts.artifacts, 'browser-console.log'), consoleLines.join('\n'));
    writeFileSync(join(opts.artifacts, 'timings.json'), JSON.stringify(timings, null, 2));
    await context.close();
}
process.exit(failed ? 1 : 0);

// Drives code-server in headless Chromium: the tensorlint diagnostic, its squiggle and its quick
// fix, seen and used the way a user would. Started by run.sh, which prepares everything.
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
        timeout: { type: 'string', default: process.env.TENSORLINT_E2E_TIMEOUT ?? '90' },
        scenario: { type: 'string', default: 'diagnostics' },
        python: { type: 'string' }, // the workspace's tensorlint.interpreter
        markers: { type: 'string' }, // hostile scenarios: where the workspace's modules leave markers
    },
});
const require = createRequire(join(opts.tools, 'node_modules', 'index.js'));
const { chromium } = require('playwright-core');

const CODE = 'TL101';
const BUGGY_LINE = 5;
const BUGGY_TEXT = 'out = model(x)';
const FIX_TITLE = /\.float\(\)/;
const MESSAGE = /int64|float|dtype/i; // the message names the dtypes involved
const HINT = /\[4,\s10\]/; // shape of x = torch.randint(0, 10, (4, 10)); \s: spaces render as U+00A0
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

/**
 * Waits until a squiggle of class `cls` lies on the editor line containing `text`; returns its
 * centre. Measured in the page in one go, since the editor re-renders while diagnostics arrive.
 */
async function squiggleOn(cls, text) {
    const found = await page.waitForFunction(
        ([cls, text]) => {
            const lines = [...document.querySelectorAll('.view-line')].filter((l) =>
                l.textContent.replace(/\u00a0/g, ' ').includes(text),
            );
            for (const squiggle of document.querySelectorAll(`.view-overlays .${cls}`)) {
                const r = squiggle.getBoundingClientRect();
                const y = r.y + r.height / 2;
                if (r.width > 0 && lines.some((l) => y >= l.getBoundingClientRect().top && y <= l.getBoundingClientRect().bottom)) {
                    return { x: r.x + r.width / 2, y };
                }
            }
            return null;
        },
        [cls, text],
    );
    return found.jsonValue();
}

/** Clicks the squiggle of class `cls` on the buggy line, presses Ctrl+., returns the fix's menu row. */
async function openQuickFix(cls) {
    const row = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE });
    const deadline = Date.now() + TIMEOUT;
    // A request made while the server re-analyzes can come back empty ("No code actions
    // available"); like a user, press Ctrl+. again.
    for (;;) {
        const at = await squiggleOn(cls, BUGGY_TEXT);
        await page.mouse.click(at.x, at.y);
        await page.keyboard.press('Control+.');
        try {
            await row.first().waitFor({ timeout: 5000 });
            return row;
        } catch (err) {
            if (Date.now() > deadline) {
                throw err;
            }
            console.log('  no quick fix menu yet; pressing Ctrl+. again');
            await page.keyboard.press('Escape');
        }
    }
}

/**
 * The workbench with `name` open, as a user gets there: its row in the Explorer. `editor` is
 * the selector of the editor it opens in; the buggy line shows there.
 */
async function openFromExplorer(name, editor) {
    await page.goto(opts.url);
    await page.waitForSelector('.monaco-workbench');
    mark('workbench loaded');
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name });
    await row.first().click();
    await page.waitForSelector(editor);
    await page.locator(`${editor} .view-line`, { hasText: BUGGY_TEXT }).first().waitFor();
    mark(`${name} open`);
}

const openTrainPy = () => openFromExplorer('train.py', '.editor-instance');

/** Opens the Problems panel and waits for the row matching `what`; returns it with its text and label. */
async function problemsRow(what) {
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: what });
    await problem.first().waitFor();
    const problemText = (await problem.first().innerText()).replace(/\s+/g, ' ').trim();
    const problemLabel = (await problem.first().getAttribute('aria-label')) ?? '';
    console.log(`  Problems: ${problemText}`);
    return { problem, problemText, problemLabel };
}

/** tensorlint installed: diagnostic, squiggle, inlay hint, settings, quick fix, Fix All. */
async function diagnosticsScenario() {
    await openTrainPy();
    // The squiggle, on the right line.
    await squiggleOn('squiggly-error', BUGGY_TEXT);
    mark('squiggle shown');
    console.log(`  squiggle is on line ${BUGGY_LINE} ("${BUGGY_TEXT}")`);

    // The Problems panel.
    const { problem, problemText, problemLabel } = await problemsRow(CODE);
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

    // Inlay hints: the inferred shape of `x` after line 4.
    const hint = page.locator('.view-line', { hasText: HINT });
    await hint.first().waitFor();
    mark('inlay hint shows the shape of x');

    // The quick-fix menu on the squiggle (Ctrl+.), as it first appears; closed again for now.
    const menuRow = await openQuickFix('squiggly-error');
    await shot('2-quick-fix-menu');
    await page.keyboard.press('Escape');
    await menuRow.first().waitFor({ state: 'hidden' });

    // Settings reach the running server: TL101 as a warning, inlay hints off.
    const settingsFile = join(opts.workspace, '.vscode', 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    writeFileSync(
        settingsFile,
        JSON.stringify({ ...settings, 'tensorlint.severity': { [CODE]: 'warning' }, 'tensorlint.inlayHints.enabled': false }, null, 2),
    );
    await squiggleOn('squiggly-warning', BUGGY_TEXT);
    await hint.first().waitFor({ state: 'detached' });
    mark('settings applied: warning squiggle, no inlay hints');

    await shot('3-settings-applied');

    // The quick fix, through Ctrl+. on the squiggle.
    const fix = await openQuickFix('squiggly-warning');
    console.log(`  quick fix offered: ${(await fix.first().innerText()).trim()}`);
    await fix.first().click();
    await page.locator('.view-line', { hasText: 'model(x.float())' }).waitFor();
    mark('quick fix changed the line');

    await problem.first().waitFor({ state: 'detached' });
    await page.locator('.view-overlays .squiggly-error, .view-overlays .squiggly-warning').first().waitFor({ state: 'detached' });
    mark('the problem and the squiggle are gone');
    await shot('4-fixed');

    // Undo, then the same fix through the command palette's "tensorlint: Fix All".
    await page.keyboard.press('Control+Z');
    await squiggleOn('squiggly-warning', BUGGY_TEXT);
    await page.keyboard.press('F1');
    await page.keyboard.type('tensorlint: Fix All');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'tensorlint: Fix All' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.view-line', { hasText: 'model(x.float())' }).waitFor();
    await problem.first().waitFor({ state: 'detached' });
    mark('"tensorlint: Fix All" fixed the file');
}

/**
 * A notebook in the notebook editor: the diagnostic on the cell that calls the model another
 * cell defines, its quick fix applied in the cell, and the fix saved into the .ipynb.
 */
async function notebookScenario() {
    await openFromExplorer('train.ipynb', '.notebook-editor');

    await squiggleOn('squiggly-error', BUGGY_TEXT);
    mark('squiggle shown in the cell');
    const { problem, problemText, problemLabel } = await problemsRow(CODE);
    if (!/cell 2, line 1/.test(`${problemText} ${problemLabel}`)) {
        throw new Error(`the message does not name the cell that defines the layer: ${problemText}`);
    }
    writeFileSync(join(opts.artifacts, 'problem.txt'), `${problemText}\n${problemLabel}\n`);
    mark('Problems panel lists the finding, citing the other cell');
    await shot('1-notebook-diagnostic');
    await page.keyboard.press('Control+J'); // the panel would cover the cell's squiggle

    const fix = await openQuickFix('squiggly-error');
    await shot('2-notebook-quick-fix-menu');
    console.log(`  quick fix offered: ${(await fix.first().innerText()).trim()}`);
    await fix.first().click();
    await page.locator('.notebook-editor .view-line', { hasText: 'model(x.float())' }).first().waitFor();
    mark('quick fix changed the cell');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor();
    await problem.first().waitFor({ state: 'detached' });
    await page.locator('.notebook-editor .view-overlays .squiggly-error').first().waitFor({ state: 'detached' });
    mark('the problem and the squiggle are gone');
    await shot('3-notebook-fixed');

    await page.keyboard.press('Control+S');
    const file = join(opts.workspace, 'train.ipynb');
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
        const saved = JSON.parse(readFileSync(file, 'utf8'));
        const source = saved.cells.map((c) => [].concat(c.source).join('')).join('\n');
        if (source.includes('model(x.float())')) {
            break;
        }
        if (Date.now() > deadline) {
            throw new Error('the saved notebook does not hold the fix');
        }
        await page.waitForTimeout(250);
    }
    mark('the saved .ipynb holds the fix');
}

/** An interpreter without tensorlint: the status bar says so and a notification offers to install. */
async function notInstalledScenario() {
    await openTrainPy();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /not installed/ });
    await toast.first().waitFor();
    const text = (await toast.first().innerText()).replace(/\s+/g, ' ').trim();
    console.log(`  notification: ${text}`);
    await toast.first().getByRole('button', { name: 'Install from Folder…' }).waitFor();
    if ((await toast.first().getByRole('button', { name: 'Install tensorlint', exact: true }).count()) !== 0) {
        throw new Error('the notification offers to install tensorlint by name from a package index');
    }
    mark('notification offers to install tensorlint from a checkout, never by name');
    const item = page.locator('.statusbar-item', { hasText: 'tensorlint' }).first();
    await item.waitFor();
    await item.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: /could not start/ });
    await hover.first().waitFor();
    const hoverText = (await hover.first().innerText()).replace(/\s+/g, ' ').trim();
    console.log(`  status bar hover: ${hoverText}`);
    if (!hoverText.includes(opts.python)) {
        throw new Error(`the status bar hover does not name the interpreter: ${hoverText}`);
    }
    mark('status bar shows the error and the interpreter');
    await shot('not-installed');
}

/** The shape check from the command palette: its report beside the editor, torch's error in Problems. */
async function shapeCheckScenario() {
    await openTrainPy();
    await squiggleOn('squiggly-error', BUGGY_TEXT); // the server is up
    await page.keyboard.press('F1');
    await page.keyboard.type('tensorlint: Run Shape Check on This File');
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Run Shape Check on This File' }).first().waitFor();
    await page.keyboard.press('Enter');
    const progress = page.locator('.notifications-toasts .notification-toast', { hasText: /shape check of train\.py/ });
    await progress.first().waitFor();
    mark('progress notification shown');
    await shot('1-progress');

    await page.locator('.tab', { hasText: 'Shape check: train.py' }).first().waitFor();
    mark('report opened beside the editor');
    // The report's page lives in nested frames; wait until one holds the rendered report.
    const deadline = Date.now() + TIMEOUT;
    let report = '';
    while (!report) {
        for (const frame of page.frames()) {
            const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
            if (text.includes('Shape check of') && text.includes('layer')) {
                report = text;
            }
        }
        if (!report) {
            if (Date.now() > deadline) {
                throw new Error('no frame shows the shape check report');
            }
            await page.waitForTimeout(250);
        }
    }
    writeFileSync(join(opts.artifacts, 'report.txt'), report);
    if (!/dtype|Float|Long/i.test(report)) {
        throw new Error(`the report does not show torch's dtype error: ${report.slice(0, 400)}`);
    }
    mark('report shows the per-layer table and the error');

    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: /tensorlint-runtime/ });
    await problem.first().waitFor();
    const problemText = (await problem.first().innerText()).replace(/\s+/g, ' ').trim();
    const problemLabel = (await problem.first().getAttribute('aria-label')) ?? '';
    console.log(`  Problems: ${problemText}`);
    const shown = `${problemText} ${problemLabel}`;
    if (!new RegExp(`Ln ${BUGGY_LINE}\\b|line ${BUGGY_LINE}\\b`, 'i').test(shown)) {
        throw new Error(`the runtime problem is not on line ${BUGGY_LINE}: ${shown}`);
    }
    writeFileSync(join(opts.artifacts, 'problem.txt'), `${problemText}\n${problemLabel}\n`);
    mark('Problems panel lists the runtime error on the call');
    await shot('2-report');
}

/**
 * A workspace whose json.py, lsprotocol/ and tensorlint/ would each leave a marker file when
 * imported: the server starts and analyzes train.py (trusted or, with workspace trust on, in
 * Restricted Mode), and none of them ran.
 */
async function hostileScenario() {
    let failure;
    try {
        await openTrainPy();
        if (opts.scenario.endsWith('untrusted')) {
            await page.locator('.statusbar-item, .monaco-workbench .banner', { hasText: /Restricted Mode/ }).first().waitFor();
            mark('the window is in Restricted Mode');
        }
        await squiggleOn('squiggly-error', BUGGY_TEXT);
        mark('squiggle shown: the server started and analyzed train.py');
        await page.keyboard.press('Control+Shift+M');
        await page.locator('.markers-panel .monaco-list-row', { hasText: CODE }).first().waitFor();
        mark('Problems panel lists the finding');
        await shot('hostile');
    } catch (err) {
        failure = err; // the markers say more about why
    }
    const ran = readdirSync(opts.markers);
    if (ran.length > 0) {
        throw new Error(`code from the workspace ran: ${ran.join(', ')} imported`);
    }
    console.log(`  no marker in ${opts.markers}: json.py, lsprotocol/ and tensorlint/ were never imported`);
    if (failure) {
        throw failure;
    }
    mark('nothing from the workspace ran');
}

/**
 * The .vsix with tensorlint bundled, and a Python with nothing but the standard library: the
 * server starts from the bundled libraries, the squiggle and the quick fix appear, and hovering
 * a use of `x` shows its shape.
 */
async function bundledScenario() {
    await openTrainPy();
    await squiggleOn('squiggly-error', BUGGY_TEXT);
    mark('squiggle shown: the server runs from the bundled libraries');
    const menuRow = await openQuickFix('squiggly-error');
    mark('quick fix offered');
    await page.keyboard.press('Escape');
    await menuRow.first().waitFor({ state: 'hidden' });
    // hover the `x` of `out = model(x)` (a use, not the assignment): the cursor on it, then
    // "Show or Focus Hover" (Ctrl+K Ctrl+I), which headless Chromium's mouse does not trigger
    const squiggle = await squiggleOn('squiggly-error', BUGGY_TEXT);
    await page.mouse.click(squiggle.x, squiggle.y);
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.locator('.monaco-hover', { hasText: /Tensor\[4, 10\] int64/ }).first().waitFor();
    mark('hover on a use of x shows its shape and dtype');
    await shot('bundled');

    // A file opened with a syntax error near its top: the bug further down is still found.
    // (First: the big file's many problems would push this row out of the panel's view.)
    await openFile('broken.py');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'broken.py' }).first().waitFor();
    mark('Problems lists broken.py, opened with a syntax error');
    await shot('bundled-syntax-error');

    // A 5,000-line training script: the status bar says it is being analyzed while its first
    // analysis runs (a few seconds), then its problems are listed. Every status bar text is
    // recorded from before the file opens, so a short progress is seen too.
    await page.evaluate(() => {
        window.__statusTexts = [];
        const bar = document.querySelector('.part.statusbar') || document.body;
        const note = () => window.__statusTexts.push(bar.textContent || '');
        new MutationObserver(note).observe(bar, { subtree: true, childList: true, characterData: true });
    });
    await openFile('big.py');  // the Problems panel is open already
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'big.py' }).first().waitFor();
    mark('Problems lists big.py');
    const texts = await page.evaluate(() => window.__statusTexts);
    const shown = texts.find((t) => /analyzing big\.py/.test(t));
    if (!shown) {
        throw new Error(`no "analyzing big.py" progress in the status bar; its texts were: ${[...new Set(texts)].slice(-5).join(' | ')}`);
    }
    mark('status bar showed "analyzing big.py" while the first analysis ran');
}

/** Opens a workspace file with Quick Open (Ctrl+P), as a user would. */
async function openFile(name) {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').first().waitFor();
    await page.keyboard.type(name);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: name }).first().waitFor();
}

const SCENARIOS = {
    bundled: bundledScenario,
    hostile: hostileScenario,
    'hostile-untrusted': hostileScenario,
    diagnostics: diagnosticsScenario,
    'not-installed': notInstalledScenario,
    notebook: notebookScenario,
    'shape-check': shapeCheckScenario,
};
let failed = false;
try {
    await SCENARIOS[opts.scenario]();
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

// Entry point: commands, status bar, settings changes, and the server's lifecycle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient, State, type LanguageClientOptions } from 'vscode-languageclient/node';
import {
    chooseInterpreter,
    formatCommand,
    installCommand,
    probeTensorlint,
    type InstallSource,
    type InterpreterChoice,
    type ProbeResult,
} from './interpreter';
import { findOnPath, runProcess } from './processes';
import { configurationResponse, DOCUMENT_SELECTOR, initializationOptions, serverExecutable } from './serverOptions';
import { needsRestart, resolveSettings, serverSection, type ExtensionSettings } from './settings';
import {
    cancelShapeCheckParams,
    failureMessage,
    progressTitle,
    refusal,
    reportPage,
    SHAPE_CHECK_COMMAND,
    shapeCheckParams,
    uriArgument,
} from './shapeCheck';
import { statusPresentation, type ServerState } from './status';
import { TraceChannel } from './traceChannel';
import {
    configReader,
    onPythonInterpreterChanged,
    primaryScope,
    pythonExtensionInterpreter,
    scopeContext,
    scopeFromUri,
} from './vscodeapi';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('tensorlint');

let controller: ServerController | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
    const log = vscode.window.createOutputChannel('tensorlint', { log: true });
    const status = vscode.window.createStatusBarItem('tensorlint.status', vscode.StatusBarAlignment.Right, 100);
    status.name = 'tensorlint';
    status.command = 'tensorlint.showLogs';
    const traceOut = vscode.window.createOutputChannel('tensorlint Trace');
    context.subscriptions.push(log, status, traceOut);

    const reports = new ReportView();
    // Processes start in the extension's folder, never in the workspace (see serverOptions).
    controller = new ServerController(log, status, reports, context.extensionPath, new TraceChannel(traceOut));
    context.subscriptions.push(
        vscode.commands.registerCommand('tensorlint.restart', () => controller?.restart('restart command')),
        vscode.commands.registerCommand('tensorlint.showLogs', () => log.show()),
        vscode.commands.registerCommand('tensorlint.fixAllInFile', () => fixAllInActiveEditor(log)),
        vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration('tensorlint')) {
                void controller?.configurationChanged();
            }
        }),
        vscode.workspace.onDidGrantWorkspaceTrust(() => controller?.restart('workspace trusted')),
        vscode.workspace.onDidChangeWorkspaceFolders(() => controller?.restart('workspace folders changed')),
        { dispose: () => void controller?.stop() },
        reports,
    );
    const pythonWatch = await onPythonInterpreterChanged(() => controller?.pythonInterpreterChanged());
    if (pythonWatch) {
        context.subscriptions.push(pythonWatch);
    }
    await controller.restart('activation');
}

export async function deactivate(): Promise<void> {
    await controller?.stop();
    controller = undefined;
}

class ServerController {
    private client: LanguageClient | undefined;
    private settings: ExtensionSettings | undefined;
    private choice: InterpreterChoice | undefined;
    // Starts and stops run one after another, never interleaved.
    private queue: Promise<void> = Promise.resolve();

    constructor(
        private readonly log: vscode.LogOutputChannel,
        private readonly status: vscode.StatusBarItem,
        private readonly reports: ReportView,
        private readonly launchDir: string,
        private readonly traces: TraceChannel,
    ) {}

    restart(reason: string): Promise<void> {
        return this.enqueue(async () => {
            this.log.info(`Starting the server (${reason}).`);
            await this.stopClient();
            await this.startClient();
        });
    }

    stop(): Promise<void> {
        return this.enqueue(() => this.stopClient());
    }

    pythonInterpreterChanged(): void {
        if (!this.choice || this.choice.source !== 'setting') {
            void this.restart('Python interpreter changed');
        }
    }

    configurationChanged(): Promise<void> {
        return this.enqueue(async () => {
            const next = this.readSettings(primaryScope());
            const before = this.settings;
            this.settings = next;
            this.traces.setTrace(next.trace);
            if (!before || !this.client || needsRestart(before, next)) {
                this.log.info('Interpreter setting changed: starting the server again.');
                await this.stopClient();
                await this.startClient();
                return;
            }
            if (this.client.state === State.Running) {
                this.log.info(`Sending new settings: ${JSON.stringify(serverSection(next))}`);
                await this.client.sendNotification('workspace/didChangeConfiguration', { settings: serverSection(next) });
                if (before.server.inlayHints.enabled !== next.server.inlayHints.enabled) {
                    this.refreshInlayHints(this.client);
                }
            }
        });
    }

    /** Asks the editor to fetch inlay hints again, so that turning them off hides them at once. */
    private refreshInlayHints(client: LanguageClient): void {
        const feature = client.getFeature('textDocument/inlayHint');
        for (const editor of vscode.window.visibleTextEditors) {
            feature?.getProvider(editor.document)?.onDidChangeInlayHints.fire();
        }
    }

    private enqueue(step: () => Promise<void>): Promise<void> {
        const run = this.queue.then(step, step);
        this.queue = run.catch((err) => this.log.error(`Unexpected failure: ${errorText(err)}`));
        return this.queue;
    }

    private readSettings(scope: vscode.Uri | undefined): ExtensionSettings {
        const { settings, problems } = resolveSettings(configReader(scope), scopeContext(scope));
        for (const problem of problems) {
            this.log.warn(`Setting ignored: ${problem}`);
        }
        return settings;
    }

    private async startClient(): Promise<void> {
        const scope = primaryScope();
        this.settings = this.readSettings(scope);
        this.traces.setTrace(this.settings.trace);
        this.choice = undefined;
        this.show('starting');

        const { choice, tried } = await chooseInterpreter(this.settings.interpreter, {
            pythonExtensionInterpreter: () => pythonExtensionInterpreter(scope),
            findOnPath: (name) => findOnPath(name),
        });
        this.log.info('Choosing the Python interpreter:');
        tried.forEach((line) => this.log.info(`  ${line}`));
        if (!choice) {
            this.show('error', 'No Python interpreter found.');
            void this.askForInterpreter();
            return;
        }
        this.choice = choice;
        const shown = formatCommand(choice.command);

        const runner = (cmd: string, args: string[]) => runProcess(cmd, args, { cwd: this.launchDir });
        let probe = await probeTensorlint(choice, runner);
        this.log.info(`Checking that tensorlint is importable by ${shown}: ${describeProbe(probe)}`);
        // The interpreter's own tensorlint comes first; without one, the copy bundled in the extension.
        let launcher: string | undefined;
        // (only the platform-specific .vsix has the libraries; every .vsix has the launcher)
        const bundled = path.join(this.launchDir, 'bundled', 'tool', 'launch.py');
        const hasLibs = fs.existsSync(path.join(this.launchDir, 'bundled', 'libs', 'tensorlint'));
        if ((probe.kind === 'not-installed' || probe.kind === 'server-extra-missing') && hasLibs) {
            const fromBundle = await probeTensorlint(choice, runner, bundled);
            this.log.info(`Using the tensorlint bundled with the extension, with ${shown}: ${describeProbe(fromBundle)}`);
            if (fromBundle.kind === 'ok') {
                probe = fromBundle;
                launcher = bundled;
            }
        }
        if (probe.kind !== 'ok') {
            this.show('error', describeProbe(probe));
            void this.offerInstall(choice, probe);
            return;
        }

        const executable = serverExecutable(choice, this.launchDir, process.env, launcher);
        this.log.info(`Launching: ${formatCommand([executable.command, ...(executable.args ?? [])])}`);
        const clientOptions: LanguageClientOptions = {
            documentSelector: DOCUMENT_SELECTOR,
            diagnosticCollectionName: 'tensorlint',
            outputChannel: this.log,
            traceOutputChannel: this.traces.channel(),
            initializationOptions: initializationOptions(this.settings, vscode.workspace.isTrusted),
            middleware: {
                // The client makes a VS Code command of each server command; this one gets its
                // document, device, progress and report here.
                executeCommand: (command, args, next) =>
                    command === SHAPE_CHECK_COMMAND ? this.shapeCheck(args) : next(command, args),
                workspace: {
                    configuration: (params) =>
                        configurationResponse(params.items, (uri) => this.readSettings(scopeFromUri(uri))),
                },
            },
        };
        const client = new LanguageClient('tensorlint', 'tensorlint', { run: executable, debug: executable }, clientOptions);
        client.onDidChangeState((e) => {
            if (this.client !== client) {
                return;
            }
            if (e.newState === State.Running) {
                this.show('ready');
            } else if (e.newState === State.Starting) {
                this.show('starting');
            } else {
                this.show('stopped');
            }
        });
        this.client = client;
        try {
            await client.start();
            this.log.info(`Server ready (tensorlint ${probe.version}, Python ${probe.python}).`);
            this.show('ready');
        } catch (err) {
            this.log.error(`The server failed to start: ${errorText(err)}`);
            this.show('error', errorText(err));
        }
    }

    private async stopClient(): Promise<void> {
        const client = this.client;
        this.client = undefined;
        if (client) {
            try {
                await client.stop(5000);
            } catch (err) {
                this.log.warn(`Stopping the server: ${errorText(err)}`);
            }
        }
        this.show('stopped');
    }

    /** Runs the shape check on a document (the argument, else the active editor's) and shows its report. */
    private async shapeCheck(args: unknown[]): Promise<unknown> {
        const uri = uriArgument(args) ?? vscode.window.activeTextEditor?.document.uri.toString();
        let doc: vscode.TextDocument | undefined;
        if (uri && vscode.workspace.isTrusted) {
            try {
                doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri, true));
            } catch (err) {
                this.log.warn(`Shape check: cannot open ${uri}: ${errorText(err)}`);
            }
        }
        const why = refusal(
            vscode.workspace.isTrusted,
            doc && { uri: doc.uri.toString(), scheme: doc.uri.scheme, languageId: doc.languageId },
        );
        const client = this.client;
        if (why || !doc) {
            void vscode.window.showWarningMessage(why ?? 'tensorlint: open a Python file to run the shape check on it.');
            return undefined;
        }
        if (!client || client.state !== State.Running) {
            void vscode.window.showErrorMessage('tensorlint: the server is not running; see the logs.', 'Show Logs').then((a) => {
                if (a) {
                    this.log.show();
                }
            });
            return undefined;
        }
        const target = doc;
        const device = this.readSettings(target.uri).server.shapeCheck.device;
        const name = target.uri.path.split('/').pop() || target.uri.toString();
        this.log.info(`Shape check of ${target.uri.toString()} (device: ${device}).`);
        return vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: progressTitle(name, device), cancellable: true },
            async (_progress, token) => {
                // Besides $/cancelRequest (sent for the token), tell the server to drop the check.
                const onCancel = token.onCancellationRequested(() => {
                    client
                        .sendRequest(ExecuteCommandRequest.type, cancelShapeCheckParams(target.uri.toString()))
                        .then(undefined, (err) => this.log.warn(`Cancelling the shape check: ${errorText(err)}`));
                });
                try {
                    const markdown = await client.sendRequest(
                        ExecuteCommandRequest.type,
                        shapeCheckParams(target.uri.toString(), device),
                        token,
                    );
                    if (typeof markdown === 'string') {
                        await this.reports.show(markdown, name);
                    }
                    return markdown;
                } catch (err) {
                    const message = failureMessage(err, token.isCancellationRequested);
                    this.log.info(`Shape check of ${name}: ${message ?? 'cancelled'}.`);
                    if (message) {
                        void vscode.window.showErrorMessage(message);
                    }
                    return undefined;
                } finally {
                    onCancel.dispose();
                }
            },
        );
    }

    private show(state: ServerState, detail?: string): void {
        const p = statusPresentation(state, this.choice ? formatCommand(this.choice.command) : undefined, detail);
        this.status.text = p.text;
        this.status.tooltip = p.tooltip;
        this.status.backgroundColor = p.background ? new vscode.ThemeColor(p.background) : undefined;
        this.status.show();
    }

    private async askForInterpreter(): Promise<void> {
        const answer = await vscode.window.showErrorMessage(
            'tensorlint: no Python interpreter found. Set "tensorlint.interpreter" or select one with the Python extension.',
            'Open Settings',
            'Show Logs',
        );
        if (answer === 'Open Settings') {
            await vscode.commands.executeCommand('workbench.action.openSettings', 'tensorlint.interpreter');
        } else if (answer === 'Show Logs') {
            this.log.show();
        }
    }

    private async offerInstall(choice: InterpreterChoice, probe: Exclude<ProbeResult, { kind: 'ok' }>): Promise<void> {
        const shown = formatCommand(choice.command);
        if (probe.kind === 'interpreter-missing') {
            await this.askForInterpreter();
            return;
        }
        const what =
            probe.kind === 'server-extra-missing'
                ? `tensorlint's server needs "${probe.module}", which ${shown} lacks.`
                : probe.kind === 'not-installed'
                  ? `tensorlint is not installed for ${shown}.`
                  : `tensorlint could not be loaded by ${shown}: ${probe.detail}`;
        const answer = await vscode.window.showWarningMessage(
            `${what} tensorlint is not published on a package index: install it there from a checkout of its repository?`,
            'Install from Folder…',
            'Show Logs',
        );
        let source: InstallSource | undefined;
        if (answer === 'Install from Folder…') {
            const picked = await vscode.window.showOpenDialog({
                canSelectFolders: true,
                canSelectFiles: false,
                openLabel: 'Install tensorlint from this folder',
            });
            source = picked?.[0] ? { kind: 'folder', path: picked[0].fsPath } : undefined;
        } else if (answer === 'Show Logs') {
            this.log.show();
        }
        if (source) {
            await this.install(choice, source);
        }
    }

    private async install(choice: InterpreterChoice, source: InstallSource): Promise<void> {
        const { command, args } = installCommand(choice, source);
        const line = formatCommand([command, ...args]);
        this.log.info(`Installing: ${line}`);
        const result = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'tensorlint: installing…' },
            () => runProcess(command, args, { cwd: this.launchDir, timeoutMs: 10 * 60_000 }),
        );
        this.log.info(result.stdout.trim());
        if (result.code === 0) {
            this.log.info('Installed.');
            await this.restart('tensorlint installed');
        } else {
            this.log.error(result.spawnError ?? result.stderr.trim());
            const again = await vscode.window.showErrorMessage(`tensorlint: "${line}" failed.`, 'Show Logs');
            if (again) {
                this.log.show();
            }
        }
    }
}

/** One webview beside the editor showing the latest shape check report. */
class ReportView implements vscode.Disposable {
    private panel: vscode.WebviewPanel | undefined;

    async show(markdown: string, name: string): Promise<void> {
        let html: string | undefined;
        try {
            // VS Code's own Markdown renderer (the built-in Markdown extension)
            const rendered = await vscode.commands.executeCommand<unknown>('markdown.api.render', markdown);
            html = typeof rendered === 'string' ? rendered : undefined;
        } catch {
            html = undefined;
        }
        if (!this.panel) {
            this.panel = vscode.window.createWebviewPanel(
                'tensorlint.shapeCheckReport',
                'Shape check',
                { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
                { enableScripts: false, enableFindWidget: true },
            );
            this.panel.onDidDispose(() => (this.panel = undefined));
        }
        this.panel.title = `Shape check: ${name}`;
        this.panel.webview.html = reportPage(markdown, html, this.panel.webview.cspSource);
        this.panel.reveal(vscode.ViewColumn.Beside, true);
    }

    dispose(): void {
        this.panel?.dispose();
    }
}

async function fixAllInActiveEditor(log: vscode.LogOutputChannel): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== 'python') {
        void vscode.window.showInformationMessage('tensorlint: open a Python file to fix.');
        return;
    }
    const doc = editor.document;
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const actions =
        (await vscode.commands.executeCommand<vscode.CodeAction[]>(
            'vscode.executeCodeActionProvider',
            doc.uri,
            whole,
            FIX_ALL_KIND.value,
            10,
        )) ?? [];
    const ours = actions.filter((a) => a.kind && FIX_ALL_KIND.contains(a.kind));
    if (ours.length === 0) {
        void vscode.window.showInformationMessage('tensorlint: nothing to fix automatically in this file.');
        return;
    }
    for (const action of ours) {
        if (action.edit) {
            await vscode.workspace.applyEdit(action.edit);
        }
        if (action.command) {
            await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
        }
    }
    log.info(`Fix All applied to ${doc.uri.fsPath}.`);
}

function describeProbe(probe: ProbeResult): string {
    switch (probe.kind) {
        case 'ok':
            return `tensorlint ${probe.version} on Python ${probe.python}`;
        case 'interpreter-missing':
            return `the interpreter could not be started (${probe.detail})`;
        case 'not-installed':
            return `tensorlint is not installed (${probe.detail})`;
        case 'server-extra-missing':
            return `the server's dependency "${probe.module}" is missing (${probe.detail})`;
        case 'failed':
            return `import failed (${probe.detail})`;
    }
}

function errorText(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

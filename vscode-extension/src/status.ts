// What the status bar item says in each state of the server. Pure, unit-tested.

export type ServerState = 'starting' | 'ready' | 'stopped' | 'error';

export interface StatusPresentation {
    text: string;
    tooltip: string;
    /** VS Code status bar background theme color, when the state needs attention. */
    background?: 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground';
}

export function statusPresentation(state: ServerState, interpreter: string | undefined, detail?: string): StatusPresentation {
    const using = interpreter ? `Interpreter: ${interpreter}` : 'Interpreter: none found';
    const lines = (head: string) => [head, using, ...(detail ? [detail] : []), 'Click to show the logs.'].join('\n');
    switch (state) {
        case 'starting':
            return { text: '$(sync~spin) tensorlint', tooltip: lines('tensorlint: starting the server') };
        case 'ready':
            return { text: '$(check) tensorlint', tooltip: lines('tensorlint: ready') };
        case 'stopped':
            return {
                text: '$(circle-slash) tensorlint',
                tooltip: lines('tensorlint: server stopped'),
                background: 'statusBarItem.warningBackground',
            };
        case 'error':
            return {
                text: '$(error) tensorlint',
                tooltip: lines('tensorlint: the server could not start'),
                background: 'statusBarItem.errorBackground',
            };
    }
}

/** CSS files are bundled as text (esbuild `loader: { '.css': 'text' }`) and adopted as stylesheets. */
declare module '*.css' {
  const text: string;
  export default text;
}

/** The VS Code webview API (or the test stand-in). */
declare function acquireVsCodeApi(): { postMessage(message: unknown): void; getState(): unknown; setState(state: unknown): void };

// Stand-in for VS Code's acquireVsCodeApi in the Chromium tests: messages the editor posts go to
// the Node-side fake host (exposed by playwright as window.__toHost); state is kept in memory,
// starting from window.__ncInitialState (a test reopening a webview with the state VS Code kept)
// and readable as window.__ncState().
(function () {
  let state = window.__ncInitialState;
  window.__ncState = function () { return state; };
  window.__posted = [];
  window.acquireVsCodeApi = function () {
    return {
      postMessage(m) {
        window.__posted.push(m);
        if (typeof window.__toHost === 'function') window.__toHost(JSON.stringify(m));
      },
      getState() { return state; },
      setState(s) { state = s; },
    };
  };
})();

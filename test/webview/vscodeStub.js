// Stand-in for VS Code's acquireVsCodeApi in the Chromium tests: messages the editor posts go to
// the Node-side fake host (exposed by playwright as window.__toHost); state is kept in memory.
(function () {
  let state;
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

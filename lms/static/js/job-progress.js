// Follows a background job: asks its state every 2 s and updates the progress bar, the
// status line (read out by screen readers: aria-live) and the download link.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-state-url");
  var bar = document.getElementById("job-bar");
  var text = document.getElementById("job-text");
  var last = text.textContent;
  function show(id, visible) { document.getElementById(id).hidden = !visible; }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.value = state.percent;
        var line = (state.total ? state.done + " / " + state.total + " · " : "") + state.label;
        if (line !== last) { text.textContent = line; last = line; }
        if (state.summary) {
          document.getElementById("job-summary").textContent = state.summary;
          show("job-summary", true);
        }
        if (state.error) {
          document.querySelector("#job-error span").textContent = state.error;
          show("job-error", true);
        }
        if (state.download_url) {
          document.querySelector("#job-download a").href = state.download_url;
          show("job-download", true);
        }
        if (state.finished) { show("job-refresh", false); } else { setTimeout(poll, 2000); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
}());

// Saves each answer as the participant gives it, and counts down to the deadline.
// Without this script the page still works: "Save answers" and "Submit" post the form.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var saveUrl = form.getAttribute("data-save-url");
  var token = form.querySelector("input[name=csrf_token]").value;
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var text = {
    id: { saving: "Menyimpan…", saved: "Tersimpan", failed: "Belum tersimpan: periksa koneksi, jawaban akan dikirim lagi.", left: "Sisa waktu" },
    en: { saving: "Saving…", saved: "Saved", failed: "Not saved yet: check your connection; it will be sent again.", left: "Time left" }
  }[lang];
  var pending = {};
  var timer = null;

  function sectionOf(el) { return el.closest("section.question"); }

  function payload(section) {
    var data = new FormData();
    data.append("csrf_token", token);
    section.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      data.append(el.name, el.value);
    });
    return data;
  }

  function currentValue(section) {
    // What the server would parse; kept as the new "original" after a save.
    var pos = section.getAttribute("data-position");
    var boxes = section.querySelectorAll("input[type=checkbox][name=q" + pos + "]");
    if (boxes.length) {
      return Array.prototype.filter.call(boxes, function (b) { return b.checked; }).map(function (b) { return b.value; });
    }
    var selects = section.querySelectorAll("select");
    if (selects.length) {
      var map = {};
      selects.forEach(function (s) { if (s.value) { map[s.name.split("-").pop()] = s.value; } });
      return map;
    }
    var radio = section.querySelector("input[type=radio][name=q" + pos + "]:checked");
    if (radio) { return radio.value; }
    var field = section.querySelector("[name=q" + pos + "]:not([type=radio])");
    return field && field.value !== "" ? field.value : null;
  }

  function save(section) {
    var status = section.querySelector(".save-state");
    status.textContent = text.saving;
    var sentValue = currentValue(section);
    return fetch(saveUrl, { method: "POST", body: payload(section), credentials: "same-origin",
                            headers: { "X-Requested-With": "fetch", "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (!result.ok) {
          status.textContent = result.body.message || text.failed;
          if (result.body.code === "deadline" || result.body.code === "finished") { window.location.reload(); }
          return;
        }
        var original = section.querySelector("input[name^=o]");
        if (original) { original.value = JSON.stringify(sentValue); }
        delete pending[section.id];
        var reading = section.querySelector(".number-reading");
        var pos = section.getAttribute("data-position");
        if (reading) { reading.textContent = (result.body.readings || {})[pos] || ""; }
        status.textContent = text.saved + " " + new Date().toLocaleTimeString(lang === "id" ? "id-ID" : "en-GB", { hour: "2-digit", minute: "2-digit" });
      })
      .catch(function () { status.textContent = text.failed; pending[section.id] = section; });
  }

  form.addEventListener("change", function (event) {
    var section = sectionOf(event.target);
    if (section) { save(section); }
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") { return; }
    var section = sectionOf(event.target);
    clearTimeout(timer);
    timer = setTimeout(function () { save(section); }, 1500);
  });
  window.addEventListener("online", function () {
    Object.keys(pending).forEach(function (id) { save(pending[id]); });
  });

  var deadline = document.getElementById("deadline");
  var countdown = document.getElementById("countdown");
  if (deadline && countdown) {
    var end = Date.parse(deadline.getAttribute("data-deadline"));
    var tick = function () {
      var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      countdown.textContent = text.left + ": " + m + ":" + (s < 10 ? "0" : "") + s;
      if (left === 0) { clearInterval(handle); form.submit(); }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
}());

(function () {
  "use strict";
  var live = document.getElementById("live");

  function marksFor(section, ref) {
    return section.querySelectorAll('.body [data-ref="' + CSS.escape(ref) + '"]');
  }

  function wordsOf(el) {
    var copy = el.cloneNode(true);
    copy.querySelectorAll(".lbl").forEach(function (l) { l.remove(); });
    return copy.textContent;
  }

  // Light up every piece of one highlight and bring its first piece into view.
  function show(section, ref) {
    document.querySelectorAll(".active").forEach(function (e) { e.classList.remove("active"); });
    var els = marksFor(section, ref);
    if (!els.length) { return false; }
    els.forEach(function (e) { e.classList.add("active"); e.classList.remove("off"); });
    els[0].scrollIntoView({ block: "center", inline: "nearest" });
    live.textContent = "Showing " + ref + ": " + Array.prototype.map.call(els, wordsOf).join("");
    return true;
  }

  function storageKey(item) {
    var section = item.closest("section.article");
    return "verifier:" + section.dataset.sha + ":" + item.dataset.fingerprint;
  }

  function setDecision(item, decision) {
    item.dataset.decision = decision;
    item.classList.toggle("decided", decision !== "");
    item.querySelector("button.accept").setAttribute("aria-pressed", String(decision === "accepted"));
    item.querySelector("button.dismiss").setAttribute("aria-pressed", String(decision === "dismissed"));
    try {
      if (decision) { localStorage.setItem(storageKey(item), decision); }
      else { localStorage.removeItem(storageKey(item)); }
    } catch (e) { /* storage is optional (file:// pages, private windows) */ }
    countDecisions();
  }

  function countDecisions() {
    var all = document.querySelectorAll("li.finding-item");
    var done = document.querySelectorAll("li.finding-item.decided");
    document.querySelectorAll(".decisions .decided").forEach(function (out) {
      out.textContent = done.length + " of " + all.length + " findings decided.";
    });
  }

  // The baseline file of verifier.baseline, with each editor decision recorded.
  function baseline() {
    var items = document.querySelectorAll("li.finding-item.decided");
    return {
      version: 1, tool: "verifier",
      findings: Array.prototype.map.call(items, function (li) {
        return { fingerprint: li.dataset.fingerprint, rule: li.dataset.rule,
                 path: li.dataset.path, text: li.dataset.text, decision: li.dataset.decision };
      })
    };
  }

  function download() {
    var blob = new Blob([JSON.stringify(baseline(), null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "verifier-baseline.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    live.textContent = "Baseline downloaded with " + baseline().findings.length + " decisions.";
  }

  function applyFilters(section) {
    var checked = function (kind) {
      return Array.prototype.filter.call(section.querySelectorAll('input[data-filter="' + kind + '"]'),
        function (i) { return i.checked; }).map(function (i) { return i.value; });
    };
    var tags = checked("tag"), sevs = checked("severity"), quotes = checked("quotes").length > 0;
    section.querySelectorAll(".body mark.claim").forEach(function (m) {
      var own = Array.prototype.filter.call(m.classList, function (c) { return c.indexOf("tag-") === 0; })
        .map(function (c) { return c.slice(4); });
      m.classList.toggle("off", !own.some(function (t) { return tags.indexOf(t) >= 0; }));
    });
    section.querySelectorAll(".body mark.quote").forEach(function (m) { m.classList.toggle("off", !quotes); });
    section.querySelectorAll(".body .finding").forEach(function (m) {
      var sev = m.className.match(/sev-(\w+)/);
      m.classList.toggle("off", !!sev && sevs.indexOf(sev[1]) < 0);
    });
    section.querySelectorAll("li.finding-item").forEach(function (li) {
      li.hidden = sevs.indexOf(li.dataset.severity) < 0;
    });
  }

  document.addEventListener("click", function (ev) {
    var target = ev.target.closest("button");
    if (!target) { return; }
    var section = target.closest("section.article");
    if (target.classList.contains("goto") && target.dataset.target) {
      show(section, target.dataset.target);
    } else if (target.classList.contains("accept") || target.classList.contains("dismiss")) {
      var item = target.closest("li.finding-item");
      var wanted = target.classList.contains("accept") ? "accepted" : "dismissed";
      setDecision(item, item.dataset.decision === wanted ? "" : wanted);
    } else if (target.classList.contains("download")) {
      download();
    }
  });

  document.addEventListener("change", function (ev) {
    if (ev.target.matches("input[data-filter]")) { applyFilters(ev.target.closest("section.article")); }
  });

  // Up and down arrows move between the visible findings of a list.
  document.addEventListener("keydown", function (ev) {
    if ((ev.key !== "ArrowDown" && ev.key !== "ArrowUp") || !ev.target.matches("ol.findings button.goto")) { return; }
    var buttons = Array.prototype.filter.call(ev.target.closest("ol").querySelectorAll("button.goto"),
      function (b) { return !b.closest("li").hidden; });
    var next = buttons[buttons.indexOf(ev.target) + (ev.key === "ArrowDown" ? 1 : -1)];
    if (next) { ev.preventDefault(); next.focus(); }
  });

  document.querySelectorAll("li.finding-item").forEach(function (item) {
    var saved = null;
    try { saved = localStorage.getItem(storageKey(item)); } catch (e) { saved = null; }
    if (saved === "accepted" || saved === "dismissed") { setDecision(item, saved); }
  });
  countDecisions();
  window.verifierBaseline = baseline;
}());

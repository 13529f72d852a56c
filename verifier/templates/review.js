(function () {
  "use strict";
  var live = document.getElementById("live");
  var keys = document.getElementById("keys");
  var wide = window.matchMedia("(min-width: 1100px)");
  var ICONS = { error: "✖", warning: "▲", info: "i" };
  var TAGS = { attributed: "attributed", benchmark_dependent: "benchmark", opinion: "opinion" };
  var REASONS = { false_positive: "false positive", wont_fix: "won’t fix", source_not_supplied: "source not supplied" };
  var current = null;  // the finding item whose card is open (or was last chosen)

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function sectionOf(el) { return el.closest("section.article"); }
  function itemsOf(section) { return section.querySelectorAll("li.finding-item"); }

  function marksFor(section, ref) {
    return section.querySelectorAll('.text [data-ref="' + CSS.escape(ref) + '"]');
  }

  function itemFor(section, ref) {
    return section.querySelector('li.finding-item[data-ref="' + CSS.escape(ref) + '"]');
  }

  // The findings j and k walk through: every one shown (the folded info group opens when reached).
  function walkable(section) {
    return Array.prototype.filter.call(itemsOf(section), function (li) { return !li.hidden; });
  }

  // ------------------------------------------------------------------ the card

  function open(li, how) {
    var section = sectionOf(li);
    var card = section.querySelector(".card");
    document.querySelectorAll(".active").forEach(function (e) { e.classList.remove("active"); });
    each(section.querySelectorAll("li.finding-item.current"), function (e) { e.classList.remove("current"); });
    current = li;
    li.classList.add("current");
    var group = li.closest("details");
    if (group && !group.open) { group.open = true; }
    var marks = marksFor(section, li.dataset.ref);
    each(marks, function (m) { m.classList.add("active"); });
    fillCard(card.querySelector(".card-content"), li);
    card.querySelector(".card-heading").textContent = heading(section, li);
    card.querySelector(".show-words").hidden = !marks.length;
    card.hidden = false;
    showReasons(card, false);
    paintCard(li);
    place(card, marks[0]);
    if (how === "list") { li.querySelector("button.goto").focus({ preventScroll: !wide.matches }); }
    if (how === "text") { card.querySelector("button.accept").focus({ preventScroll: true }); }
    if (wide.matches && marks.length) { marks[0].scrollIntoView({ block: "center", inline: "nearest" }); }
    fit(card, marks[0]);
    if (!wide.matches && how === "list") { li.scrollIntoView({ block: "nearest" }); }
    live.textContent = li.dataset.severity + " " + li.dataset.rule + ": " + li.dataset.text;
  }

  // "Finding 1 of 3: quote-altered": its place in the list as shown (triage order, filters), the
  // order j and k walk; a finding the filters hide, opened from the text, has no place in it.
  function heading(section, li) {
    var shown = walkable(section), at = shown.indexOf(li);
    return (at < 0 ? "Finding" : "Finding " + (at + 1) + " of " + shown.length) + ": " + li.dataset.rule;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  // The card: what the list item says, in full, and the extras it keeps hidden (fix, quote diff).
  function fillCard(content, li) {
    var sev = li.dataset.severity, rule = li.dataset.rule, where = li.querySelector(".where").textContent;
    content.textContent = "";
    var title = el("p", "card-title");
    var chip = el("span", "chip sev-" + sev);
    chip.appendChild(el("span", "", ICONS[sev])).setAttribute("aria-hidden", "true");
    chip.appendChild(document.createTextNode(" " + sev));
    var page = document.getElementById("rule-" + rule);
    var link = el(page ? "a" : "span", "rule", rule);
    if (page) { link.href = "#rule-" + rule; }
    title.append(chip, " ", link, " ", el("span", "where", where));
    content.appendChild(title);
    if (where !== "whole article") { content.appendChild(el("blockquote", "words", li.dataset.text)); }
    content.appendChild(el("p", "message", li.querySelector(".msg").textContent));
    var extra = li.querySelector(".card-body");
    if (extra) { each(extra.children, function (c) { content.appendChild(c.cloneNode(true)); }); }
  }

  // Beside its paragraph on a wide screen; a bottom sheet otherwise (CSS does the sheet).
  function place(card, mark) {
    card.classList.toggle("sheet", !wide.matches);
    if (!wide.matches) { card.style.top = ""; return; }
    var layout = card.parentElement;
    var para = mark ? mark.closest(".para") : null;
    var top = para ? para.getBoundingClientRect().top - layout.getBoundingClientRect().top : 0;
    card.style.top = Math.max(0, top) + "px";
  }

  // On a wide screen the card must end inside the window, so that Accept and Dismiss show without
  // scrolling. A card that would run past the bottom first scrolls the page up as far as its words
  // (`mark`, when given) and its own top stay in view; then it moves up (no higher than the
  // window's top or the layout's); one still too tall is capped, its content scrolling inside (CSS).
  var MARGIN = 8;
  function fit(card, mark) {
    card.style.maxHeight = "";
    if (!wide.matches || card.hidden) { return; }
    var room = window.innerHeight - MARGIN;
    var rect = card.getBoundingClientRect();
    if (rect.bottom > room && mark) {
      var by = Math.min(rect.bottom - room, mark.getBoundingClientRect().top - MARGIN, rect.top - MARGIN);
      if (by > 0) { window.scrollBy(0, by); rect = card.getBoundingClientRect(); }
    }
    if (rect.bottom > room) {
      var top = parseFloat(card.style.top) || 0;
      var up = Math.min(rect.bottom - room, Math.max(0, rect.top - MARGIN), top);
      card.style.top = (top - up) + "px";
      rect = card.getBoundingClientRect();
    }
    if (rect.bottom > room) { card.style.maxHeight = Math.max(120, room - Math.max(rect.top, 0)) + "px"; }
  }

  function close(section) {
    var card = section.querySelector(".card");
    card.hidden = true;
    document.querySelectorAll(".active").forEach(function (e) { e.classList.remove("active"); });
    if (current && sectionOf(current) === section) { current.querySelector("button.goto").focus({ preventScroll: true }); }
  }

  function showReasons(card, on) {
    card.querySelector(".reasons").hidden = !on;
    card.querySelector("button.dismiss").setAttribute("aria-expanded", String(on));
    if (on) { fit(card); card.querySelector("button.reason").focus({ preventScroll: true }); }
  }

  function paintCard(li) {
    var card = sectionOf(li).querySelector(".card");
    var d = li.dataset.decision || "";
    card.querySelector("button.accept").setAttribute("aria-pressed", String(d === "accepted"));
    card.querySelector("button.dismiss").setAttribute("aria-pressed", String(d === "dismissed"));
    each(card.querySelectorAll("button.reason"), function (b) {
      b.setAttribute("aria-pressed", String(d === "dismissed" && b.dataset.reason === li.dataset.reason));
    });
    card.querySelector(".card-state").textContent = stateText(li) || "Not decided yet.";
  }

  function stateText(li) {
    if (li.dataset.decision === "accepted") { return "Accepted"; }
    if (li.dataset.decision === "dismissed") { return "Dismissed: " + (REASONS[li.dataset.reason] || "no reason"); }
    return "";
  }

  // ------------------------------------------------------------------ decisions

  function storageKey(li) {
    return "verifier:decision:" + sectionOf(li).dataset.path + ":" + li.dataset.key;
  }

  function decide(li, decision, reason, quiet) {
    if (decision) { li.dataset.decision = decision; } else { delete li.dataset.decision; }
    if (reason) { li.dataset.reason = reason; } else { delete li.dataset.reason; }
    li.classList.toggle("decided", !!decision);
    var state = li.querySelector(".state");
    if (!state) { state = el("span", "state"); li.querySelector(".msg").before(state); }
    state.textContent = stateText(li);
    if (!quiet) {
      try {
        if (decision) { localStorage.setItem(storageKey(li), JSON.stringify({ decision: decision, reason: reason || null })); }
        else { localStorage.removeItem(storageKey(li)); }
      } catch (e) { /* storage is optional (file:// pages in some browsers, private windows) */ }
      live.textContent = li.dataset.rule + ": " + (stateText(li) || "decision cleared");
    }
    if (current === li) { paintCard(li); }
    if (!quiet) { applyFilters(sectionOf(li)); }
  }

  function accept(li) { decide(li, li.dataset.decision === "accepted" ? "" : "accepted", ""); }

  function dismiss(li, reason) {
    decide(li, "dismissed", reason);
    showReasons(sectionOf(li).querySelector(".card"), false);
    var card = sectionOf(li).querySelector(".card");
    if (!card.hidden) { card.querySelector("button.dismiss").focus({ preventScroll: true }); }
  }

  function restore() {
    each(document.querySelectorAll("li.finding-item"), function (li) {
      var saved = null;
      try { saved = JSON.parse(localStorage.getItem(storageKey(li)) || "null"); } catch (e) { saved = null; }
      if (saved && (saved.decision === "accepted" || saved.decision === "dismissed")) {
        decide(li, saved.decision, saved.reason || "", true);
      }
    });
  }

  // The baseline file of verifier.stages.baseline, with each editor decision and dismissal reason.
  function baseline() {
    var items = document.querySelectorAll("li.finding-item.decided");
    return {
      version: 1, tool: "verifier",
      findings: Array.prototype.map.call(items, function (li) {
        var entry = { fingerprint: li.dataset.key.split("#")[0], rule: li.dataset.rule, path: sectionOf(li).dataset.path,
                      text: li.dataset.text, decision: li.dataset.decision };
        if (li.dataset.decision === "dismissed") { entry.reason = li.dataset.reason || null; }
        return entry;
      })
    };
  }

  function download(section) {
    var data = baseline();
    var out = section.querySelector(".decisions .decided");
    if (!data.findings.length) {
      out.textContent = "Nothing to download: no finding is accepted or dismissed yet.";
      live.textContent = out.textContent;
      return;
    }
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "verifier-baseline.json";
    document.body.appendChild(a);
    a.click();
    a.remove();
    live.textContent = "Baseline downloaded with " + data.findings.length + " decisions.";
  }

  // ------------------------------------------------------------------ filters and counts

  function checked(section, kind) {
    return Array.prototype.filter.call(section.querySelectorAll('input[data-filter="' + kind + '"]'),
      function (i) { return i.checked; }).map(function (i) { return i.value; });
  }

  function applyFilters(section) {
    var sevs = checked(section, "severity"), hideDecided = checked(section, "decided").length > 0;
    var tags = checked(section, "tag");
    var layer = checked(section, "layer").length > 0;
    section.classList.toggle("layer-tags", layer);
    if (layer && !section.querySelector(".text .lbl")) {
      each(section.querySelectorAll(".text [id]"), function (m) {
        var label = m.dataset.label;
        if (!label && m.classList.contains("claim")) {
          var tags = Array.prototype.filter.call(m.classList, function (c) { return TAGS[c.slice(4)] && c.indexOf("tag-") === 0; });
          label = m.dataset.ref + " " + (tags.map(function (c) { return TAGS[c.slice(4)]; }).join(" · ") || "untagged");
        }
        if (label) { m.prepend(el("span", "lbl", label)); }
      });
    }
    each(itemsOf(section), function (li) {
      li.hidden = sevs.indexOf(li.dataset.severity) < 0 || (hideDecided && li.classList.contains("decided"));
    });
    var shownRefs = {};
    each(itemsOf(section), function (li) { if (!li.hidden) { shownRefs[li.dataset.ref] = true; } });
    each(section.querySelectorAll(".text mark.finding"), function (m) {
      m.classList.toggle("off", !shownRefs[m.dataset.ref]);
    });
    each(section.querySelectorAll(".text .claim"), function (m) {
      var own = Array.prototype.filter.call(m.classList, function (c) { return c.indexOf("tag-") === 0; })
        .map(function (c) { return c.slice(4); });
      m.classList.toggle("off", !own.some(function (t) { return tags.indexOf(t) >= 0; }));
    });
    refresh(section);
  }

  // Counts follow the filters; the summary line counts what is still to resolve.
  function refresh(section) {
    var all = itemsOf(section), shown = 0, left = { error: 0, warning: 0, info: 0 }, decided = 0;
    var perGroup = { error: 0, warning: 0, info: 0 };
    each(all, function (li) {
      if (!li.hidden) { shown += 1; perGroup[li.dataset.severity] += 1; }
      if (li.classList.contains("decided")) { decided += 1; } else { left[li.dataset.severity] += 1; }
    });
    each(section.querySelectorAll("[data-count-of]"), function (c) { c.textContent = perGroup[c.dataset.countOf]; });
    section.querySelector(".panel .shown").textContent = shown === all.length ? "(" + all.length + ")" : "(" + shown + " of " + all.length + ")";
    var parts = [];
    if (left.error) { parts.push(left.error + (left.error === 1 ? " error" : " errors")); }
    if (left.warning) { parts.push(left.warning + (left.warning === 1 ? " warning" : " warnings")); }
    section.querySelector(".to-resolve").textContent = parts.length ? parts.join(", ") + " to resolve" : "Nothing to resolve";
    var info = section.querySelector(".info-count");
    if (info) { info.textContent = "· " + left.info + " info"; }
    section.querySelector(".decisions .decided").textContent = decided
      ? decided + " of " + all.length + " findings decided." : "No decisions yet.";
  }

  // ------------------------------------------------------------------ events

  document.addEventListener("click", function (ev) {
    var mark = ev.target.closest(".text mark.finding");
    var link = ev.target.closest('a[href^="#rule-"]');
    if (link) {
      var page = document.getElementById(link.getAttribute("href").slice(1));
      if (page) { page.open = true; }
      return;
    }
    var button = ev.target.closest("button");
    if (!button && mark && !mark.classList.contains("off")) {
      if (mark.closest("a.draft-link")) { ev.preventDefault(); }  // marked words open their card
      open(itemFor(sectionOf(mark), mark.dataset.ref), "text");
      return;
    }
    if (!button) { return; }
    var section = sectionOf(button);
    if (button.classList.contains("close-keys")) { keys.hidden = true; return; }
    if (!section) { return; }
    var li = current && sectionOf(current) === section ? current : null;
    if (button.classList.contains("goto")) { open(button.closest("li"), "click"); }
    else if (button.classList.contains("close")) { close(section); }
    else if (button.classList.contains("show-words") && li) {
      var first = marksFor(section, li.dataset.ref)[0];
      if (first) { first.tabIndex = -1; first.scrollIntoView({ block: wide.matches ? "center" : "start" }); first.focus({ preventScroll: true }); }
    }
    else if (button.classList.contains("accept") && li) { accept(li); }
    else if (button.classList.contains("dismiss") && li) { showReasons(section.querySelector(".card"), true); }
    else if (button.classList.contains("reason") && li) { dismiss(li, button.dataset.reason); }
    else if (button.classList.contains("download")) { download(section); }
  });

  // Within a severity: the claims most worth checking first, or the article's order.
  function reorder(section, byWorth) {
    each(section.querySelectorAll("ol.findings"), function (ol) {
      var lis = Array.prototype.slice.call(ol.children);
      lis.sort(function (a, b) {
        var w = byWorth ? Number(b.dataset.worth) - Number(a.dataset.worth) : 0;
        return w || Number(a.dataset.pos) - Number(b.dataset.pos);
      });
      lis.forEach(function (li) { ol.appendChild(li); });
    });
  }

  document.addEventListener("change", function (ev) {
    if (ev.target.matches('input[data-filter="rank"]')) { reorder(sectionOf(ev.target), ev.target.checked); }
    else if (ev.target.matches("input[data-filter]")) { applyFilters(sectionOf(ev.target)); }
    else if (ev.target.matches('input[data-order="claims"]')) { buildList(ev.target.closest("details")); }
  });

  function activeSection() {
    var focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("section.article");
    return focused || (current && sectionOf(current)) || document.querySelector("section.article");
  }

  function step(section, by, severity) {
    var list = walkable(section);
    if (severity) {
      list = Array.prototype.filter.call(itemsOf(section), function (li) { return !li.hidden && li.dataset.severity === severity; });
    }
    if (!list.length) { live.textContent = severity ? "No " + severity + " to go to." : "No finding to go to."; return; }
    var order = Array.prototype.slice.call(itemsOf(section));
    var at = current && sectionOf(current) === section ? order.indexOf(current) : -1;
    var pick = null;
    if (by > 0) { pick = list.filter(function (li) { return order.indexOf(li) > at; })[0] || (severity ? list[0] : null); }
    else { pick = list.filter(function (li) { return order.indexOf(li) < at; }).pop() || null; }
    if (!pick && at < 0) { pick = list[0]; }
    if (pick) { open(pick, "list"); }
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    if (ev.target.matches && ev.target.matches("textarea, select, input:not([type=checkbox])")) { return; }
    var section = activeSection();
    if (ev.key === "Enter" && ev.target.matches && ev.target.matches(".text mark.finding")) {
      ev.preventDefault();
      open(itemFor(sectionOf(ev.target), ev.target.dataset.ref), "text");
      return;
    }
    if (ev.key === "?") { keys.hidden = !keys.hidden; if (!keys.hidden) { keys.querySelector("button").focus(); } return; }
    if (ev.key === "Escape") {
      if (!keys.hidden) { keys.hidden = true; } else if (section) { close(section); }
      return;
    }
    if (!section || !section.querySelector("li.finding-item")) { return; }
    var li = current && sectionOf(current) === section ? current : null;
    var card = section.querySelector(".card");
    var handled = true;
    if (ev.key === "j" || ev.key === "ArrowDown" && ev.target.matches("ol.findings button.goto")) { step(section, 1); }
    else if (ev.key === "k" || ev.key === "ArrowUp" && ev.target.matches("ol.findings button.goto")) { step(section, -1); }
    else if (ev.key === "e") { step(section, 1, "error"); }
    else if (ev.key === "a" && li) { accept(li); }
    else if (ev.key === "d" && li) {
      if (card.hidden) { open(li, "list"); }
      showReasons(card, true);
    }
    else if (/^[123]$/.test(ev.key) && li && !card.querySelector(".reasons").hidden) {
      dismiss(li, card.querySelectorAll("button.reason")[Number(ev.key) - 1].dataset.reason);
    }
    else { handled = false; }
    if (handled) { ev.preventDefault(); }
  });

  // The folded Quotes and Claims lists are written out when first opened (a long article has
  // thousands of claims; the page stays small and quick to load).
  function chip(cls, text) { return el("span", "chip " + cls, text); }

  // The claims come in the draft's order; "most worth checking first" (when the engine scores
  // them) sorts a copy by checkworthiness, highest first, keeping the draft's order among equals.
  function byWorth(data) {
    return data.map(function (row, i) { return [row, i]; }).sort(function (a, b) {
      return (b[0][3] || 0) - (a[0][3] || 0) || a[1] - b[1];
    }).map(function (pair) { return pair[0]; });
  }

  function buildList(details) {
    var ol = details.querySelector("ol");
    var data = JSON.parse(details.querySelector(".list-data").textContent);
    var claims = details.classList.contains("claims");
    var order = details.querySelector('input[data-order="claims"]');
    if (claims && order && order.checked) { data = byWorth(data); }
    while (ol.firstChild) { ol.removeChild(ol.firstChild); }
    data.forEach(function (row) {
      var li = el("li");
      li.appendChild(el("span", "qid", row[0]));
      if (claims) {
        li.append(" " + row[1] + " ");
        (row[2].length ? row[2] : ["none"]).forEach(function (t) {
          li.append(chip("tag-" + t, TAGS[t] || "untagged"), " ");
        });
        if (row[3] !== null) { li.appendChild(el("span", "worth", "checkworthiness " + row[3].toFixed(2))); }
      } else {
        li.append(" “" + row[1] + "” ");
        var meta = el("span", "meta", row[2] + (row[3] ? " (" + row[3] + ")" : "") + " · " + row[4] + " · ");
        meta.append(chip("status-" + row[5], row[6]), row[7] ? " · " + row[7] : "");
        li.appendChild(meta);
      }
      ol.appendChild(li);
    });
    if (!data.length) { ol.appendChild(el("li", "", claims ? "No claims." : "No quotes.")); }
  }

  document.addEventListener("toggle", function (ev) {
    var details = ev.target;
    if (details.open && details.classList && details.classList.contains("lazy-list") && !details.querySelector("ol li")) {
      buildList(details);
    }
  }, true);

  wide.addEventListener("change", function () {
    each(document.querySelectorAll(".card:not([hidden])"), function (card) {
      place(card, current ? marksFor(sectionOf(current), current.dataset.ref)[0] : null);
      fit(card);
    });
  });

  restore();
  each(document.querySelectorAll("section.article"), function (s) { if (s.querySelector(".panel")) { applyFilters(s); } });
  window.verifierBaseline = baseline;
}());

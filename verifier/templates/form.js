// Checks the size of an upload in the browser before it is sent: the server refuses a request
// over its limit without reading it, so the form would be lost. The limit is the form's
// data-max-upload; the estimate is the bytes of every field plus a margin for the multipart framing.
(function () {
  "use strict";
  var form = document.querySelector("form[data-max-upload]");
  if (!form) { return; }
  var limit = parseInt(form.dataset.maxUpload, 10);
  var FRAMING = 300;  // bytes of multipart headers per field, generously
  var encoder = new TextEncoder();

  function fmt(n) { return n.toLocaleString("en-US"); }

  function estimate() {
    var total = 0, biggest = null, most = -1;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) { return; }
      if (el.type === "checkbox" && !el.checked) { return; }
      var size = 0;
      if (el.type === "file") {
        Array.prototype.forEach.call(el.files, function (f) { size += f.size + FRAMING; });
      } else if (el.type !== "submit") {
        size = encoder.encode(el.value).length + FRAMING;
      }
      total += size;
      var shown = el.type === "hidden" ? null : el;
      if (shown && size > most) { most = size; biggest = shown; }
    });
    return { total: total, field: biggest };
  }

  function clear() {
    Array.prototype.forEach.call(form.querySelectorAll(".size-error"), function (p) {
      var field = document.getElementById(p.dataset.for);
      if (field) {
        field.removeAttribute("aria-invalid");
        var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id !== p.id;
        });
        field.setAttribute("aria-describedby", ids.join(" "));
      }
      p.remove();
    });
  }

  function show(field, message) {
    clear();
    var p = document.createElement("p");
    p.className = "field-error size-error";
    p.id = field.id + "-size-error";
    p.dataset.for = field.id;
    p.setAttribute("role", "alert");
    var strong = document.createElement("strong");
    strong.textContent = "Error:";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" " + message));
    field.parentNode.insertBefore(p, field);
    field.setAttribute("aria-invalid", "true");
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    ids.push(p.id);
    field.setAttribute("aria-describedby", ids.join(" "));
  }

  function check(preferred) {
    var got = estimate();
    if (got.total <= limit) { clear(); return true; }
    var field = preferred || got.field;
    var what = field.type === "file" ? "The chosen file" + (field.files.length > 1 ? "s make" : " makes")
                                     : "This text makes";
    show(field, what + " the upload about " + fmt(got.total) + " bytes; the limit is " +
         fmt(limit) + " bytes in all. Choose a smaller file or shorten the text; nothing was sent.");
    return false;
  }

  Array.prototype.forEach.call(form.querySelectorAll('input[type="file"]'), function (input) {
    input.addEventListener("change", function () { check(input.files.length ? input : null); });
  });
  form.addEventListener("submit", function (ev) {
    if (!check(null)) {
      ev.preventDefault();
      var err = form.querySelector(".size-error");
      if (err) { document.getElementById(err.dataset.for).focus(); }
    }
  });
})();

// The live amount on the application form (moved out of the page: no inline script under the CSP).
(function () {
  var box = document.getElementById("quote"); if (!box) return;
  var inputs = document.querySelectorAll("[data-quote-input]"); var timer = null;
  function refresh() {
    var q = new URLSearchParams(); inputs.forEach(function (el) { q.set(el.name, el.value); });
    fetch(box.dataset.url + "?" + q.toString(), {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (d) {
      var unmet = document.getElementById("quote-unmet"); unmet.innerHTML = "";
      if (d.errors) { document.getElementById("quote-amount").textContent = "—"; document.getElementById("quote-status").textContent = Object.values(d.errors).join("；"); return; }
      document.getElementById("quote-amount").textContent = d.amount_text;
      document.getElementById("quote-status").textContent = d.status_label;
      (d.unmet || []).forEach(function (t) { var li = document.createElement("li"); li.className = "field-error"; li.textContent = t; unmet.appendChild(li); });
    });
  }
  inputs.forEach(function (el) { el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 250); }); });
})();

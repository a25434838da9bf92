// 一键匹配 autocomplete: a small fetch to /api/quick-match/suggest, no libraries.
(function () {
  var input = document.getElementById("qm-input");
  var list = document.getElementById("qm-suggestions");
  if (!input || !list) return;
  var timer = null, seq = 0;
  function clear() { list.innerHTML = ""; list.hidden = true; }
  function pick(name) { input.value = name; clear(); input.form.submit(); }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { clear(); return; }
    timer = setTimeout(function () {
      var mine = ++seq;
      fetch("/api/quick-match/suggest?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : {suggestions: []}; })
        .then(function (data) {
          if (mine !== seq) return;
          list.innerHTML = "";
          (data.suggestions || []).forEach(function (s) {
            var li = document.createElement("li");
            var button = document.createElement("button");
            button.type = "button";
            button.className = "suggestion";
            button.textContent = s.name + "（" + s.region + " · " + s.code_hint + "）";
            button.addEventListener("click", function () { pick(s.name); });
            li.appendChild(button);
            list.appendChild(li);
          });
          list.hidden = list.children.length === 0;
        })
        .catch(clear);
    }, 200);
  });
})();

/* Review page of 政策颗粒化: one editor per drafted item, built from the rules vocabulary.
   Vanilla JS, no dependencies. Every control carries data-path = the JSON path it edits, so the
   validation messages (path + message from the server) land next to the control. Money is typed
   in 万元 (or 元) and ratios in %, and converted exactly by shifting the decimal point. */
(function () {
  "use strict";
  var VOCAB = JSON.parse(document.getElementById("ingest-vocab").textContent);
  var STATE = JSON.parse(document.getElementById("ingest-state").textContent);
  var confEl = document.getElementById("ingest-conf");
  var CONF = {codes: confEl.dataset.codes, qualificationAdd: confEl.dataset.qualificationAdd, csrf: confEl.dataset.csrf};
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  var FIELDS = {};
  VOCAB.fields.forEach(function (f) { FIELDS[f.name] = f; });
  var uid = 0;

  // ---- helpers -------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), v);
      else if (k === "value") node.value = v;
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  function options(select, pairs, current) {
    pairs.forEach(function (p) {
      var o = el("option", {value: p[0], text: p[1]});
      if (String(p[0]) === String(current)) o.selected = true;
      select.appendChild(o);
    });
    return select;
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": CONF.csrf},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return {ok: r.ok, data: data}; }, function () {
        var message = "服务器暂时无法处理（HTTP " + r.status + "），请稍后重试";
        return {ok: false, data: {error: message, saved: false, errors: [{path: "", message: message}]}};
      });
    }, function () {
      var message = "网络连接中断，修改尚未提交，请稍后重试";
      return {ok: false, data: {error: message, saved: false, errors: [{path: "", message: message}]}};
    });
  }
  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  // Exact decimal shift on strings: "30" 万元 → "300000" 元; "10" % → "0.1".
  function shift(text, places) {
    var m = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(String(text));
    if (!m || (m[2] === "" && (m[3] || "") === "")) return null;
    var digits = (m[2] || "0") + (m[3] || ""), point = (m[2] || "0").length + places;
    while (point > digits.length) digits += "0";
    while (point <= 0) { digits = "0" + digits; point += 1; }
    var whole = digits.slice(0, point).replace(/^0+(?=\d)/, ""), frac = digits.slice(point).replace(/0+$/, "");
    return m[1] + whole + (frac ? "." + frac : "");
  }
  function toJsonNumber(text) {
    // JSON numbers are exact for the short figures in policies; keep longer ones as strings.
    return text.replace(/[-.]/g, "").replace(/^0+/, "").length <= 15 ? Number(text) : text;
  }
  function fromInput(raw, places) {
    if (String(raw).trim() === "") return "";
    var s = shift(raw, places);
    return s === null ? String(raw) : toJsonNumber(s);
  }
  function toInput(value, places) {
    if (value === null || value === undefined || value === "") return "";
    var s = shift(String(value), -places);
    return s === null ? String(value) : s;
  }
  function pickUnit(value) {
    if (value === "" || value === null || value === undefined) return 4;
    var n = Number(value);
    return (!isNaN(n) && n !== 0 && Math.abs(n) < 10000) ? 0 : 4;
  }

  // ---- one editor per draft ------------------------------------------------------------------
  function Editor(box) {
    this.box = box;
    this.row = box.closest(".ingest-row");
    this.id = box.getAttribute("data-draft");
    var st = STATE[this.id];
    this.s = {
      title: st.title, conditions: normalizeRoot(st.conditions), reward: st.reward, mode: st.mode,
      window_start: st.window_start, window_end: st.window_end, materials: st.materials || [],
      reviewing_departments: st.reviewing_departments || [], paying_department: st.paying_department,
      budget: st.budget === "" ? "" : toJsonNumber(String(st.budget).replace(/\.00$/, "")),
      per_enterprise_cap: st.per_enterprise_cap === "" ? "" : toJsonNumber(String(st.per_enterprise_cap).replace(/\.00$/, "")),
      exclusive_group: st.exclusive_group
    };
    this.dirty = false;
    this.validateSoon = debounce(this.validate.bind(this), 350);
    this.render();
    this.bindClause();
  }

  function normalizeRoot(node) {
    if (node === null || node === undefined) return {all: []};
    if (node.all || node.any) return node;
    if (node.always) return {all: []};
    return {all: [node]};
  }
  function groupKey(node) { return node.all ? "all" : (node.any ? "any" : (node.not ? "not" : null)); }

  Editor.prototype.payload = function () {
    var s = this.s, cond = s.conditions;
    var empty = cond && cond.all && cond.all.length === 0;
    return {
      title: s.title, conditions: empty ? null : cond, reward: s.reward === undefined ? null : s.reward,
      mode: s.mode, window_start: s.window_start, window_end: s.window_end, materials: s.materials,
      reviewing_departments: s.reviewing_departments, paying_department: s.paying_department,
      budget: s.budget, per_enterprise_cap: s.per_enterprise_cap, exclusive_group: s.exclusive_group
    };
  };

  Editor.prototype.changed = function () {
    this.dirty = true;
    this.status("有未保存的修改");
    this.syncExpert();
    this.validateSoon();
  };
  Editor.prototype.status = function (text) {
    var node = this.row.querySelector(".save-state");
    if (node) node.textContent = text;
  };

  Editor.prototype.render = function () {
    var self = this, s = this.s;
    if (!this.formBox) {
      this.box.textContent = "";
      this.formBox = el("div", {"class": "ed-form"});
      this.box.appendChild(this.formBox);
      this.box.appendChild(this.buildExpert());
    }
    var box = this.formBox;
    box.textContent = "";
    var general = el("div", {"class": "ed-section"}, [el("h3", {text: "事项"})]);
    var grid = el("div", {"class": "ed-grid"});
    grid.appendChild(this.textField("事项名称", "title"));
    var mode = el("select", {"data-path": "mode", "data-link": "mode", onchange: function () { s.mode = mode.value; self.changed(); }});
    options(mode, [["", "（未确定）"]].concat(VOCAB.modes.map(function (m) { return [m, m]; })), s.mode);
    grid.appendChild(el("label", {}, ["兑现方式", mode]));
    general.appendChild(grid);
    box.appendChild(general);

    var cond = el("div", {"class": "ed-section", "data-link": "conditions"}, [el("h3", {text: "申报条件"})]);
    cond.appendChild(this.group(s.conditions, "conditions", null));
    box.appendChild(cond);

    var rew = el("div", {"class": "ed-section", "data-link": "reward"}, [el("h3", {text: "奖补标准"})]);
    rew.appendChild(this.reward(s.reward, "reward", function (node) { s.reward = node; }));
    box.appendChild(rew);

    var proc = el("div", {"class": "ed-section"}, [el("h3", {text: "申报与兑现"})]);
    var g2 = el("div", {"class": "ed-grid"});
    var win = el("div", {"data-link": "window", "class": "ed-grid", style: "grid-column:1/-1"});
    win.appendChild(this.dateField("申报开始", "window_start"));
    win.appendChild(this.dateField("申报截止", "window_end"));
    g2.appendChild(win);
    g2.appendChild(this.listField("申报材料（每行一项）", "materials", "material"));
    g2.appendChild(this.listField("受理审核部门（每行一个）", "reviewing_departments", "reviewing_departments"));
    g2.appendChild(this.textField("拨付部门", "paying_department", "paying_department"));
    g2.appendChild(this.textField("同类不重复组（就高不重复）", "exclusive_group"));
    g2.appendChild(el("label", {}, ["资金预算", this.money(s, "budget", "budget")]));
    g2.appendChild(el("label", {}, ["单企上限", this.money(s, "per_enterprise_cap", "per_enterprise_cap")]));
    proc.appendChild(g2);
    box.appendChild(proc);

    this.syncExpert();
    this.linkControls();
  };

  Editor.prototype.buildExpert = function () {
    var self = this;
    var expert = el("details", {"class": "ed-section expert"}, [el("summary", {text: "专家模式：直接编辑规则 JSON"})]);
    this.expertArea = el("textarea", {"data-path": "json", spellcheck: "false", "aria-label": "规则 JSON",
      oninput: debounce(function () { self.fromExpert(); }, 400)});
    this.expertError = el("span", {"class": "field-error"});
    expert.appendChild(this.expertArea);
    expert.appendChild(this.expertError);
    return expert;
  };

  Editor.prototype.textField = function (label, key, link) {
    var self = this;
    var input = el("input", {value: this.s[key] || "", "data-path": key, "data-link": link || null,
      oninput: function () { self.s[key] = input.value; self.changed(); }});
    return el("label", {}, [label, input]);
  };
  Editor.prototype.dateField = function (label, key) {
    var self = this;
    var input = el("input", {type: "date", value: this.s[key] || "", "data-path": key,
      onchange: function () { self.s[key] = input.value; self.changed(); }});
    return el("label", {}, [label, input]);
  };
  Editor.prototype.listField = function (label, key, link) {
    var self = this;
    var area = el("textarea", {rows: "3", "data-path": key, "data-link": link,
      oninput: function () {
        self.s[key] = area.value.split(/\n/).map(function (x) { return x.trim(); }).filter(Boolean);
        self.changed();
      }});
    area.value = (this.s[key] || []).join("\n");
    return el("label", {}, [label, area]);
  };

  // Money control: the number in 万元 or 元 (officer's choice), stored in 元 on obj[key].
  Editor.prototype.money = function (obj, key, path, onchange) {
    var self = this, unit = pickUnit(obj[key]);
    var input = el("input", {inputmode: "decimal", value: toInput(obj[key], unit), "data-path": path,
      "aria-label": "金额"});
    var sel = el("select", {"class": "ed-unit-select", "aria-label": "单位"});
    options(sel, [["4", "万元"], ["0", "元"]], String(unit));
    function update() {
      obj[key] = fromInput(input.value, Number(sel.value));
      if (onchange) onchange();
      self.changed();
    }
    input.addEventListener("input", update);
    sel.addEventListener("change", update);
    return el("span", {"class": "ed-money"}, [input, sel]);
  };
  Editor.prototype.ratio = function (obj, key, path) {
    var self = this;
    var input = el("input", {inputmode: "decimal", value: toInput(obj[key], -2), "data-path": path, "aria-label": "比例"});
    input.addEventListener("input", function () { obj[key] = fromInput(input.value, -2); self.changed(); });
    return el("span", {"class": "ed-money"}, [input, el("span", {"class": "ed-unit", text: "%"})]);
  };

  // ---- conditions ------------------------------------------------------------------------------
  Editor.prototype.group = function (node, path, remove) {
    var self = this, key = groupKey(node);
    if (key === "not") {
      if (!groupKey(node.not) || node.not.not) node.not = {all: [node.not]};
      var boxNot = el("div", {"class": "ed-group not", "data-path": path}, [
        el("div", {"class": "ed-group-head"}, [el("strong", {text: "不满足以下条件"}),
          remove ? el("button", {type: "button", "class": "button small ed-remove", text: "删除", onclick: remove}) : null])
      ]);
      boxNot.appendChild(this.group(node.not, path + ".not", null));
      return boxNot;
    }
    var list = node[key];
    var box = el("div", {"class": "ed-group " + key, "data-path": path + "." + key});
    var sel = el("select", {"aria-label": "组合方式", onchange: function () {
      var items = node[key]; delete node[key]; node[sel.value] = items; self.rerender();
    }});
    options(sel, [["all", "以下条件全部满足"], ["any", "以下条件满足其一"]], key);
    box.appendChild(el("div", {"class": "ed-group-head"}, [sel,
      remove ? el("button", {type: "button", "class": "button small ed-remove", text: "删除此组", onclick: remove}) : null]));
    list.forEach(function (child, i) {
      var childPath = path + "." + key + "[" + i + "]";
      var drop = function () { list.splice(i, 1); self.rerender(); };
      if (groupKey(child)) box.appendChild(self.group(child, childPath, drop));
      else if (child && typeof child.check !== "undefined") box.appendChild(self.check(child, childPath, drop));
      else if (child && child.always) box.appendChild(el("div", {"class": "ed-atom", "data-path": childPath}, ["总是满足",
        el("button", {type: "button", "class": "button small ed-remove", text: "删除", onclick: drop})]));
      else box.appendChild(self.atom(child, childPath, drop));
    });
    box.appendChild(el("div", {"class": "ed-add"}, [
      el("button", {type: "button", "class": "button small", text: "＋ 条件", onclick: function () {
        list.push({field: "revenue", op: ">=", value: ""}); self.rerender(); }}),
      el("button", {type: "button", "class": "button small", text: "＋ 需审核的要求", onclick: function () {
        list.push({check: ""}); self.rerender(); }}),
      el("button", {type: "button", "class": "button small", text: "＋ 条件组", onclick: function () {
        list.push({any: []}); self.rerender(); }})
    ]));
    return box;
  };

  Editor.prototype.check = function (node, path, remove) {
    var self = this;
    var input = el("input", {value: node.check, "data-path": path + ".check", placeholder: "无法用数据判断的要求（按原文）",
      oninput: function () { node.check = input.value; self.changed(); }});
    return el("div", {"class": "ed-atom ed-check", "data-path": path, "data-ref": refKey(node)}, [
      el("span", {"class": "ed-unit", text: "需审核："}), input,
      el("button", {type: "button", "class": "button small ed-remove", text: "删除", onclick: remove})]);
  };

  function refKey(node) { return node && node.ref && typeof node.ref.start === "number" ? node.ref.start + ":" + node.ref.end : null; }

  function defaultOp(f) {
    if (!f) return "==";
    if (f.type === "set") return "has";
    if (f.type === "region" || f.type === "industry") return "within";
    if (f.type === "enum") return "==";
    return ">=";
  }

  Editor.prototype.atom = function (node, path, remove) {
    var self = this, f = FIELDS[node.field];
    var fieldSel = el("select", {"data-path": path + ".field", "aria-label": "字段"});
    var pairs = VOCAB.fields.map(function (x) { return [x.name, x.label]; });
    if (!f) pairs.unshift([node.field || "", "（未知字段 " + (node.field || "") + "）"]);
    options(fieldSel, pairs, node.field);
    fieldSel.addEventListener("change", function () {
      var nf = FIELDS[fieldSel.value];
      node.field = fieldSel.value;
      if (nf.ops.indexOf(node.op) < 0) node.op = defaultOp(nf);
      delete node.period;
      node.value = nf.type === "set" ? (fieldSel.value === "flags" ? "dishonest" : "") : "";
      self.rerender();
    });
    var opSel = el("select", {"data-path": path + ".op", "aria-label": "运算符"});
    var ops = f ? f.ops : Object.keys(VOCAB.ops);
    var opPairs = ops.map(function (o) { return [o, VOCAB.ops[o] || o]; });
    if (ops.indexOf(node.op) < 0) opPairs.unshift([node.op || "", "（" + (node.op || "未选") + "）"]);
    options(opSel, opPairs, node.op);
    opSel.addEventListener("change", function () {
      var before = node.op; node.op = opSel.value;
      var wasList = before === "in" || before === "not_in" || before === "between";
      var isList = node.op === "in" || node.op === "not_in" || node.op === "between";
      if (node.op === "known" && node.field !== "flags") delete node.value;
      else if (wasList !== isList || before === "known") node.value = isList ? (node.op === "between" ? ["", ""] : []) : "";
      self.rerender();
    });
    var row = el("div", {"class": "ed-atom", "data-path": path, "data-ref": refKey(node)}, [fieldSel, opSel]);
    if (f && !(node.op === "known" && node.field !== "flags")) row.appendChild(this.value(node, f, path));
    if (f && f.period) row.appendChild(this.period(node, path));
    row.appendChild(el("button", {type: "button", "class": "button small ed-remove", text: "删除", onclick: remove}));
    return row;
  };

  Editor.prototype.period = function (node, path) {
    var self = this, cur = node.period === undefined ? "" : (typeof node.period === "object" ? "year" : node.period);
    var sel = el("select", {"data-path": path + ".period", "aria-label": "年度"});
    options(sel, [["", "上年度"], ["this_year", "本年度"], ["year", "指定年度"]], cur);
    var year = el("input", {inputmode: "numeric", value: node.period && node.period.year ? node.period.year : "",
      placeholder: "年份", "aria-label": "年份", hidden: cur !== "year"});
    function update() {
      if (sel.value === "") delete node.period;
      else if (sel.value === "this_year") node.period = "this_year";
      else node.period = {year: parseInt(year.value, 10) || year.value};
      year.hidden = sel.value !== "year";
      self.changed();
    }
    sel.addEventListener("change", update);
    year.addEventListener("input", update);
    return el("span", {"class": "ed-value", style: "flex:0 1 160px"}, [sel, year]);
  };

  // One value control appropriate to the field type; lists (in/not_in) and ranges (between) too.
  Editor.prototype.value = function (node, f, path) {
    var self = this, vpath = path + ".value", wrap = el("span", {"class": "ed-value"});
    if (node.op === "between") {
      if (!Array.isArray(node.value)) node.value = ["", ""];
      wrap.appendChild(this.scalar(node.value, 0, f, vpath + "[0]"));
      wrap.appendChild(el("span", {"class": "ed-unit", text: "至"}));
      wrap.appendChild(this.scalar(node.value, 1, f, vpath + "[1]"));
      return wrap;
    }
    if (node.op === "in" || node.op === "not_in") {
      if (!Array.isArray(node.value)) node.value = [];
      if (f.type === "enum") {
        var multi = el("select", {multiple: true, "data-path": vpath, "aria-label": "取值", size: String(Math.min(5, f.choices.length))});
        f.choices.forEach(function (c) {
          var o = el("option", {value: c[0], text: c[1]}); o.selected = node.value.indexOf(c[0]) >= 0; multi.appendChild(o);
        });
        multi.addEventListener("change", function () {
          node.value = Array.prototype.filter.call(multi.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
          self.changed();
        });
        wrap.appendChild(multi);
        return wrap;
      }
      node.value.forEach(function (_v, i) {
        wrap.appendChild(self.scalar(node.value, i, f, vpath + "[" + i + "]"));
        wrap.appendChild(el("button", {type: "button", "class": "button small", text: "×", "aria-label": "删除该值",
          onclick: function () { node.value.splice(i, 1); self.rerender(); }}));
      });
      wrap.appendChild(el("button", {type: "button", "class": "button small", text: "＋ 取值", "data-path": vpath,
        onclick: function () { node.value.push(""); self.rerender(); }}));
      return wrap;
    }
    if (f.name === "qualifications") return this.qualification(node, vpath, wrap);
    if (f.name === "flags") {
      var flag = el("select", {"data-path": vpath, "aria-label": "信用记录"});
      options(flag, VOCAB.flags, node.value);
      flag.addEventListener("change", function () { node.value = flag.value; self.changed(); });
      wrap.appendChild(flag);
      return wrap;
    }
    wrap.appendChild(this.scalar(node, "value", f, vpath));
    return wrap;
  };

  Editor.prototype.scalar = function (obj, key, f, path) {
    var self = this;
    if (f.type === "money") return this.money(obj, key, path);
    if (f.type === "ratio") return this.ratio(obj, key, path);
    if (f.type === "date") {
      var d = el("input", {type: "date", value: obj[key] || "", "data-path": path, "aria-label": "日期",
        onchange: function () { obj[key] = d.value; self.changed(); }});
      return d;
    }
    if (f.type === "enum") {
      var sel = el("select", {"data-path": path, "aria-label": "取值"});
      var pairs = f.choices.slice();
      if (pairs.every(function (c) { return c[0] !== obj[key]; })) pairs.unshift([obj[key] || "", "（请选择）"]);
      options(sel, pairs, obj[key]);
      sel.addEventListener("change", function () { obj[key] = sel.value; self.changed(); });
      return sel;
    }
    if (f.type === "region" || f.type === "industry") return this.codePicker(obj, key, f.type, path);
    var unit = {count: "人/件", years: "年"}[f.type] || "";
    var input = el("input", {inputmode: "decimal", value: obj[key] === undefined ? "" : obj[key], "data-path": path,
      "aria-label": "数值", oninput: function () { obj[key] = fromInput(input.value, 0); self.changed(); }});
    return unit ? el("span", {"class": "ed-money"}, [input, el("span", {"class": "ed-unit", text: unit})]) : input;
  };

  Editor.prototype.codePicker = function (obj, key, kind, path) {
    var self = this, listId = "codes-" + (++uid);
    var input = el("input", {value: obj[key] || "", list: listId, "data-path": path, autocomplete: "off",
      placeholder: kind === "region" ? "区划代码或地名" : "行业代码或名称", "aria-label": kind === "region" ? "区划代码" : "行业代码"});
    var list = el("datalist", {id: listId});
    var name = el("span", {"class": "ed-codename"});
    var lookup = debounce(function () {
      var q = input.value.trim();
      if (!q) { name.textContent = ""; return; }
      fetch(CONF.codes + "?kind=" + kind + "&q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          list.textContent = "";
          var exact = null;
          data.results.forEach(function (o) {
            list.appendChild(el("option", {value: o.code, label: o.name, text: o.name}));
            if (o.code === q) exact = o;
          });
          if (VOCAB.code_names && exact) VOCAB.code_names[kind + ":" + q] = exact.name;
          name.textContent = exact ? exact.name : (data.results.length ? "可选：" + data.results.slice(0, 3).map(function (o) { return o.name + " " + o.code; }).join("；") : "没有匹配的代码");
        }).catch(function () { name.textContent = ""; });
    }, 250);
    input.addEventListener("input", function () { obj[key] = input.value.trim(); self.changed(); lookup(); });
    var known = (VOCAB.code_names || {})[kind + ":" + (obj[key] || "")];
    if (known !== undefined) name.textContent = known || "没有匹配的代码";
    else if (obj[key]) lookup();
    return el("span", {"class": "ed-value"}, [input, list, name]);
  };

  Editor.prototype.qualification = function (node, path, wrap) {
    var self = this;
    var sel = el("select", {"data-path": path, "aria-label": "资质"});
    var pairs = VOCAB.qualifications.slice();
    if (node.value && pairs.every(function (q) { return q[0] !== node.value; })) pairs.unshift([node.value, "（目录中没有）" + node.value]);
    if (!node.value) pairs.unshift(["", "（请选择）"]);
    pairs.push(["__new__", "＋ 提议新增资质…"]);
    options(sel, pairs, node.value);
    var form = el("span", {"class": "ed-newqual", hidden: true});
    sel.addEventListener("change", function () {
      if (sel.value === "__new__") { form.hidden = false; sel.value = node.value || ""; return; }
      node.value = sel.value; self.changed();
    });
    var proposed = (STATE[this.id].proposed || []).filter(function (p) { return p.code === node.value; })[0];
    var code = el("input", {placeholder: "代码（英文小写）", "aria-label": "资质代码", value: proposed ? proposed.code : (node.value || "")});
    var name = el("input", {placeholder: "名称", "aria-label": "资质名称", value: proposed ? proposed.name : ""});
    var level = el("select", {"aria-label": "认定层级"});
    options(level, VOCAB.qualification_levels, "other");
    var msg = el("span", {"class": "field-error"});
    form.appendChild(code); form.appendChild(name); form.appendChild(level);
    form.appendChild(el("button", {type: "button", "class": "button small", text: "加入资质目录", onclick: function () {
      addQualification(code.value.trim(), name.value.trim(), level.value, msg).then(function (entry) {
        if (entry) { node.value = entry.code; self.rerender(); self.changed(); }
      });
    }}));
    form.appendChild(msg);
    if (node.value && pairs[0][1].indexOf("（目录中没有）") === 0) form.hidden = false;
    wrap.appendChild(sel);
    wrap.appendChild(form);
    return wrap;
  };

  function addQualification(code, name, level, msg) {
    return post(CONF.qualificationAdd, {code: code, name: name, level: level}).then(function (res) {
      if (!res.ok) {
        if (msg) msg.textContent = (res.data.errors || []).map(function (e) { return e.message; }).join("；");
        return null;
      }
      VOCAB.qualifications = res.data.qualifications;
      editors.forEach(function (ed) { ed.rerender(); ed.validateSoon(); });
      return res.data;
    });
  }

  // ---- rewards ---------------------------------------------------------------------------------
  var REWARD_KINDS = [["", "（未设置）"], ["fixed", "固定金额"], ["up_to", "最高不超过（评审确定）"],
    ["rate", "按比例（基数×比例，可设上限/保底）"], ["per_unit", "按数量（每单位金额×数量）"],
    ["tiers", "分档"], ["sum", "多项相加"], ["max", "多项取高"], ["min", "多项取低"], ["none", "非资金支持"]];
  function rewardKind(node) {
    if (!node) return "";
    for (var i = 1; i < REWARD_KINDS.length; i++) if (REWARD_KINDS[i][0] in node) return REWARD_KINDS[i][0];
    return "";
  }
  function newReward(kind, old) {
    var amount = old ? (old.fixed !== undefined ? old.fixed : (old.up_to !== undefined ? old.up_to : (old.cap !== undefined ? old.cap : ""))) : "";
    switch (kind) {
      case "fixed": return {fixed: amount};
      case "up_to": return {up_to: amount};
      case "rate": return {rate: "", base: {field: "revenue"}, cap: amount === "" ? undefined : amount};
      case "per_unit": return {per_unit: "", base: {input: "new_employees"}};
      case "tiers": return {tiers: [{when: {all: []}, then: {fixed: ""}}]};
      case "sum": case "max": case "min": var o = {}; o[kind] = [old && rewardKind(old) ? old : {fixed: ""}]; return o;
      case "none": return {none: ""};
      default: return null;
    }
  }

  Editor.prototype.reward = function (node, path, set) {
    var self = this, kind = rewardKind(node);
    var box = el("div", {"class": "ed-reward", "data-path": path});
    var sel = el("select", {"data-path": path, "aria-label": "奖补形式"});
    options(sel, REWARD_KINDS, kind);
    sel.addEventListener("change", function () { set(newReward(sel.value, node)); self.rerender(); });
    box.appendChild(el("div", {"class": "ed-reward-head"}, [sel]));
    if (!kind) return box;
    var params = el("div", {"class": "ed-params"});
    if (kind === "fixed" || kind === "up_to") {
      params.appendChild(el("label", {}, [kind === "fixed" ? "金额" : "最高金额", this.money(node, kind, path + "." + kind)]));
    } else if (kind === "rate" || kind === "per_unit") {
      if (kind === "rate") params.appendChild(el("label", {}, ["比例", this.ratio(node, "rate", path + ".rate")]));
      else params.appendChild(el("label", {}, ["每单位金额", this.money(node, "per_unit", path + ".per_unit")]));
      params.appendChild(el("label", {}, ["计算基数", this.base(node, path + ".base")]));
      params.appendChild(el("label", {}, ["上限（可空）", this.money(node, "cap", path + ".cap", function () { if (node.cap === "") delete node.cap; })]));
      if (kind === "rate") params.appendChild(el("label", {}, ["保底（可空）", this.money(node, "floor", path + ".floor", function () { if (node.floor === "") delete node.floor; })]));
    } else if (kind === "tiers") {
      node.tiers.forEach(function (tier, i) {
        var tp = path + ".tiers[" + i + "]";
        tier.when = normalizeRoot(tier.when);
        var t = el("div", {"class": "ed-tier", "data-path": tp}, [el("strong", {text: "第" + (i + 1) + "档：满足"})]);
        t.appendChild(self.group(tier.when, tp + ".when", null));
        t.appendChild(el("strong", {text: "给予"}));
        t.appendChild(self.reward(tier.then, tp + ".then", function (n) { tier.then = n; }));
        t.appendChild(el("button", {type: "button", "class": "button small ed-remove", text: "删除此档",
          onclick: function () { node.tiers.splice(i, 1); self.rerender(); }}));
        box.appendChild(t);
      });
      box.appendChild(el("button", {type: "button", "class": "button small", text: "＋ 档位",
        onclick: function () { node.tiers.push({when: {all: []}, then: {fixed: ""}}); self.rerender(); }}));
      return box;
    } else if (kind === "sum" || kind === "max" || kind === "min") {
      node[kind].forEach(function (part, i) {
        var pp = path + "." + kind + "[" + i + "]";
        box.appendChild(self.reward(part, pp, function (n) { node[kind][i] = n; }));
        box.appendChild(el("button", {type: "button", "class": "button small ed-remove", text: "删除此项",
          onclick: function () { node[kind].splice(i, 1); self.rerender(); }}));
      });
      box.appendChild(el("button", {type: "button", "class": "button small", text: "＋ 一项",
        onclick: function () { node[kind].push({fixed: ""}); self.rerender(); }}));
      return box;
    } else if (kind === "none") {
      var text = el("input", {value: node.none, "data-path": path + ".none", placeholder: "如 优先供地、免收服务费",
        oninput: function () { node.none = text.value; self.changed(); }});
      params.appendChild(el("label", {style: "grid-column:1/-1"}, ["支持内容", text]));
    }
    box.appendChild(params);
    return box;
  };

  Editor.prototype.base = function (node, path) {
    var self = this, b = node.base || {field: "revenue"};
    node.base = b;
    var isInput = b.input !== undefined;
    var type = el("select", {"aria-label": "基数来源"});
    options(type, [["field", "企业数据"], ["input", "申报数据"]], isInput ? "input" : "field");
    type.addEventListener("change", function () {
      node.base = type.value === "input" ? {input: "project_investment"} : {field: "revenue"}; self.rerender();
    });
    var wrap = el("span", {"class": "ed-value", "data-path": path}, [type]);
    if (isInput) {
      var listId = "inputs-" + (++uid);
      var name = el("input", {value: b.input, list: listId, "data-path": path + ".input", "aria-label": "申报数据名",
        oninput: function () { b.input = name.value.trim(); self.changed(); }});
      var dl = el("datalist", {id: listId});
      VOCAB.inputs.forEach(function (p) { dl.appendChild(el("option", {value: p[0], label: p[1], text: p[1]})); });
      wrap.appendChild(name); wrap.appendChild(dl);
    } else {
      var field = el("select", {"data-path": path + ".field", "aria-label": "基数字段"});
      options(field, VOCAB.bases.map(function (x) { return [x.name, x.label]; }), b.field);
      field.addEventListener("change", function () { b.field = field.value; delete b.period; self.changed(); });
      wrap.appendChild(field);
    }
    return wrap;
  };

  // ---- expert JSON -----------------------------------------------------------------------------
  Editor.prototype.syncExpert = function (force) {
    if (!this.expertArea || (!force && document.activeElement === this.expertArea)) return;
    var p = this.payload();
    this.expertArea.value = JSON.stringify({conditions: p.conditions, reward: p.reward}, null, 2);
  };
  Editor.prototype.fromExpert = function () {
    var parsed;
    try { parsed = JSON.parse(this.expertArea.value); } catch (e) {
      this.expertError.textContent = "JSON 格式错误：" + e.message;
      return;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      this.expertError.textContent = "应为 {\"conditions\": …, \"reward\": …}";
      return;
    }
    this.expertError.textContent = "";
    this.s.conditions = normalizeRoot(parsed.conditions);
    this.s.reward = parsed.reward === undefined ? null : parsed.reward;
    this.rerender();
    this.changed();
  };

  Editor.prototype.rerender = function () {
    var y = window.scrollY;
    this.render();
    window.scrollTo(0, y);
    this.changed();
  };

  // ---- validation and saving -------------------------------------------------------------------
  Editor.prototype.validate = function () {
    var self = this, sent = JSON.stringify(this.payload());
    this.lastSent = sent;
    post(this.box.getAttribute("data-validate"), this.payload()).then(function (res) {
      if (self.lastSent === sent) self.showErrors(res.data.errors || []);
    });
  };

  function parentPath(path) {
    var m = /^(.*)(\.[^.\[\]]+|\[\d+\])$/.exec(path);
    return m ? m[1] : null;
  }

  Editor.prototype.showErrors = function (errors) {
    var root = this.row;
    root.querySelectorAll(".ed-err").forEach(function (n) { n.remove(); });
    root.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    var list = root.querySelector(".problems");
    list.textContent = "";
    var self = this;
    errors.forEach(function (e) {
      var path = e.path, target = null;
      while (path && !target) {
        target = self.box.querySelector('[data-path="' + path.replace(/"/g, '\\"') + '"]');
        if (!target) path = parentPath(path);
      }
      if (target) {
        if (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) target.setAttribute("aria-invalid", "true");
        var msg = el("span", {"class": "field-error ed-err", role: "alert", "data-error-for": e.path, text: e.message});
        var host = target.closest(".ed-atom, label, .ed-reward-head, .ed-group-head") || target;
        if (host === target && target.classList.contains("ed-group")) host.insertBefore(msg, host.children[1] || null);
        else if (host === target) target.insertAdjacentElement("afterend", msg);
        else host.appendChild(msg);
      } else {
        list.appendChild(el("li", {"class": "field-error", "data-path": e.path, text: e.message}));
      }
    });
    var count = root.querySelector(".problem-count");
    if (count) { count.hidden = errors.length === 0; count.textContent = errors.length + " 个问题"; }
  };

  Editor.prototype.save = function () {
    var self = this;
    this.status("正在保存…");
    return post(this.box.getAttribute("data-save"), this.payload()).then(function (res) {
      if (!res.data.saved) {
        self.status("未保存");
        self.showErrors(res.data.errors || []);
        return false;
      }
      self.dirty = false;
      self.status(res.data.errors.length ? "已保存（仍有问题需修正后才能确认）" : "已保存");
      self.showErrors(res.data.errors);
      return true;
    });
  };

  // ---- clause ↔ controls -----------------------------------------------------------------------
  Editor.prototype.targetsFor = function (ref) {
    var parts = ref.split(":"), kind = parts[0], path = parts[1], key = parts[2] + ":" + parts[3];
    if (kind === "atom") {
      var rows = this.box.querySelectorAll('.ed-atom[data-ref="' + key + '"]');
      return rows.length ? Array.prototype.slice.call(rows) : [this.box.querySelector('[data-link="conditions"]')];
    }
    var link = {reward: "reward", mode: "mode", window: "window", material: "material"}[kind] ||
      (path === "paying_department" ? "paying_department" : "reviewing_departments");
    return [this.box.querySelector('[data-link="' + link + '"]')].filter(Boolean);
  };
  Editor.prototype.bindClause = function () {
    var self = this;
    this.row.querySelectorAll("mark.hl").forEach(function (mark) {
      var refs = (mark.getAttribute("data-refs") || "").split(" ").filter(Boolean);
      function targets() {
        var out = [];
        refs.forEach(function (r) { out = out.concat(self.targetsFor(r)); });
        return out;
      }
      mark.addEventListener("mouseenter", function () { targets().forEach(function (t) { t.classList.add("linked-control"); }); });
      mark.addEventListener("mouseleave", function () { targets().forEach(function (t) { t.classList.remove("linked-control"); }); });
      function go() {
        var t = targets()[0];
        if (!t) return;
        t.scrollIntoView({behavior: "smooth", block: "center"});
        t.classList.remove("flash"); void t.offsetWidth; t.classList.add("flash");
        var focusable = /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) ? t : t.querySelector("input, select, textarea");
        if (focusable) focusable.focus({preventScroll: true});
      }
      mark.addEventListener("click", go);
      mark.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
    });
  };
  Editor.prototype.linkControls = function () {
    var row = this.row;
    this.box.querySelectorAll(".ed-atom[data-ref]").forEach(function (atom) {
      var key = atom.getAttribute("data-ref");
      function marks() {
        return Array.prototype.filter.call(row.querySelectorAll("mark.hl"), function (m) {
          return (m.getAttribute("data-refs") || "").split(" ").some(function (r) {
            var p = r.split(":"); return p[0] === "atom" && p[2] + ":" + p[3] === key;
          });
        });
      }
      atom.addEventListener("mouseenter", function () { marks().forEach(function (m) { m.classList.add("linked"); }); });
      atom.addEventListener("mouseleave", function () { marks().forEach(function (m) { m.classList.remove("linked"); }); });
    });
  };

  // ---- the model suggestion --------------------------------------------------------------------
  Editor.prototype.suggest = function (button) {
    var self = this, box = this.row.querySelector(".suggestion");
    button.disabled = true;
    box.hidden = false;
    box.textContent = "正在请求大模型…";
    post(this.box.getAttribute("data-suggest"), {}).then(function (res) {
      button.disabled = false;
      box.textContent = "";
      if (!res.ok) { box.appendChild(el("p", {"class": "field-error", role: "alert", text: res.data.error})); return; }
      self.showSuggestion(res.data.suggestion);
    });
  };
  Editor.prototype.showSuggestion = function (sug) {
    var self = this, box = this.row.querySelector(".suggestion");
    var url = this.box.getAttribute("data-suggestion");
    box.hidden = false;
    box.textContent = "";
    box.appendChild(el("strong", {text: "大模型建议（已通过规则校验）"}));
    box.appendChild(el("pre", {text: JSON.stringify({conditions: sug.conditions, reward: sug.reward, mode: sug.mode}, null, 2)}));
    function decide(which) {
      post(url.replace(/accept\/$/, which + "/"), {}).then(function (res) {
        box.textContent = "";
        box.hidden = true;
        if (!res.ok) { box.hidden = false; box.appendChild(el("p", {"class": "field-error", text: res.data.error})); return; }
        if (which === "accept") {
          var st = res.data.state;
          self.s.conditions = normalizeRoot(st.conditions); self.s.reward = st.reward; self.s.mode = st.mode;
          self.render(); self.dirty = false; self.status("已采用建议并保存"); self.showErrors(res.data.errors);
        }
      });
    }
    box.appendChild(el("button", {type: "button", "class": "button primary small", text: "采用", onclick: function () { decide("accept"); }}));
    box.appendChild(el("button", {type: "button", "class": "button small", text: "不采用", onclick: function () { decide("reject"); }}));
  };

  // ---- wiring ----------------------------------------------------------------------------------
  var editors = [];
  document.querySelectorAll(".draft-editor").forEach(function (box) {
    var ed = new Editor(box);
    editors.push(ed);
    var row = ed.row;
    var saveBtn = row.querySelector("[data-save-button]");
    if (saveBtn) saveBtn.addEventListener("click", function () { ed.save(); });
    var confirmForm = row.querySelector("[data-confirm-form]");
    if (confirmForm) confirmForm.addEventListener("submit", function (e) {
      if (!ed.dirty) return;
      e.preventDefault();
      ed.save().then(function (ok) { if (ok) confirmForm.submit(); });
    });
    var sugBtn = row.querySelector("[data-suggest-button]");
    if (sugBtn) sugBtn.addEventListener("click", function () { ed.suggest(sugBtn); });
    if (STATE[ed.id].suggestion) ed.showSuggestion(STATE[ed.id].suggestion);
    row.querySelectorAll("[data-propose]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var entry = btn.closest(".proposed-entry");
        var msg = entry.querySelector(".field-error") || entry.appendChild(el("span", {"class": "field-error"}));
        addQualification(entry.getAttribute("data-code"), entry.getAttribute("data-name"), "other", msg).then(function (res) {
          if (res) { btn.replaceWith(el("span", {"class": "badge ok", text: "已加入目录"})); }
        });
      });
    });
  });
  var confirmAll = document.querySelector("[data-confirm-all]");
  if (confirmAll) confirmAll.addEventListener("submit", function (e) {
    var dirty = editors.filter(function (ed) { return ed.dirty; });
    if (!dirty.length) return;
    e.preventDefault();
    Promise.all(dirty.map(function (ed) { return ed.save(); })).then(function () { confirmAll.submit(); });
  });
  window.addEventListener("beforeunload", function (e) {
    if (editors.some(function (ed) { return ed.dirty; })) { e.preventDefault(); e.returnValue = ""; }
  });

  // The document's region code picker in the metadata form.
  document.querySelectorAll("[data-code-picker]").forEach(function (input) {
    var kind = input.getAttribute("data-code-picker"), nameEl = document.getElementById(input.getAttribute("data-name-target"));
    var listId = "codes-" + (++uid), list = el("datalist", {id: listId});
    input.setAttribute("list", listId);
    input.insertAdjacentElement("afterend", list);
    input.addEventListener("input", debounce(function () {
      var q = input.value.trim();
      if (!q) return;
      fetch(CONF.codes + "?kind=" + kind + "&q=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.json(); }).then(function (data) {
          list.textContent = "";
          data.results.forEach(function (o) { list.appendChild(el("option", {value: o.code, label: o.name, text: o.name})); });
          var exact = data.results.filter(function (o) { return o.code === q; })[0];
          if (nameEl) nameEl.textContent = exact ? exact.name : "";
        }).catch(function () { if (nameEl) nameEl.textContent = ""; });
    }, 250));
  });
})();

// kexie page behaviour: inline validation, the phone menu, confirmations, conditional form
// sections and ECharts. No inline scripts anywhere (the content policy forbids them).
(function () {
  "use strict";

  function message(input) {
    var d = document.body.dataset;
    var v = input.validity;
    // A field may say what it needs in its own words (the consent box does).
    if (v.valueMissing) return input.dataset.msgRequired || d.msgRequired || "Required";
    // Each names its limit, read from the field itself.
    if (v.tooShort) return (d.msgTooshort || "≥ %{arg}").replace("%{arg}", input.minLength);
    if (v.tooLong) return (d.msgToolong || "≤ %{arg}").replace("%{arg}", input.maxLength);
    if (v.patternMismatch || v.typeMismatch || v.badInput) return d.msgPattern || "Format";
    return "";
  }

  function errorBox(input) {
    var field = input.closest(".field");
    return field ? field.querySelector(".field-error") : null;
  }

  function check(input) {
    var box = errorBox(input);
    if (!box || !input.willValidate) return true;
    var msg = message(input);
    var field = input.closest(".field");
    if (msg) {
      box.textContent = msg;
      field.classList.add("has-error");
    } else if (field.classList.contains("has-error") && input.dataset.touched) {
      box.textContent = "";
      field.classList.remove("has-error");
    }
    return !msg;
  }

  function setupForm(form) {
    form.querySelectorAll("input, select, textarea").forEach(function (el) {
      el.addEventListener("blur", function () { el.dataset.touched = "1"; check(el); });
      el.addEventListener("input", function () { if (el.dataset.touched) check(el); });
    });
    form.addEventListener("submit", function (e) {
      var firstBad = null;
      form.querySelectorAll("input, select, textarea").forEach(function (el) {
        el.dataset.touched = "1";
        if (!check(el) && !firstBad) firstBad = el;
      });
      if (firstBad) {
        e.preventDefault();
        firstBad.focus();
      }
    });
  }

  // Sections shown only for some kinds or roles: fieldsets keep their values when hidden.
  function setupConditional(select, attr) {
    function apply() {
      document.querySelectorAll("[" + attr + "]").forEach(function (el) {
        var show = el.getAttribute(attr).split(" ").indexOf(select.value) >= 0;
        el.hidden = !show;
      });
    }
    select.addEventListener("change", apply);
    apply();
  }

  // Figures on charts as on the pages: 1,805,772 on a bar; an axis in 万 (or K) so labels fit.
  function grouped(v) { return Number(v).toLocaleString("en-US", { maximumFractionDigits: 1 }); }
  function short(v) {
    var zh = document.documentElement.lang !== "en";
    if (Math.abs(v) >= 10000) return zh ? grouped(v / 10000) + "万" : grouped(v / 1000) + "K";
    return grouped(v);
  }
  // A function formatter returns markup: names in it are text.
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }

  function setupCharts() {
    var dataEl = document.getElementById("chart-data");
    if (!dataEl || !window.echarts) return;
    var data = JSON.parse(dataEl.textContent);
    var palette = ["#1f5fbf", "#3d9be9", "#1e8e5a", "#f0a020", "#8e5bd6", "#e05d5d", "#12a5a5", "#c2a200", "#5b6b7f", "#d6711f", "#4f7cff", "#9aa5b1"];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.init(el);
      var which = el.dataset.chart;
      var rows = data[which] || [];
      var option;
      if (el.hasAttribute("data-scatter")) {
        // Stations by coordinates, no map tiles: size by screens, colour by the share online.
        option = {
          tooltip: { formatter: function (p) { var v = p.data.value; return escapeHtml(p.data.name) + "<br>" + v[3] + " / " + v[2]; } },
          grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value", scale: true, name: "E", axisLabel: { formatter: "{value}°" } },
          yAxis: { type: "value", scale: true, name: "N", axisLabel: { formatter: "{value}°" } },
          visualMap: { show: false, dimension: 4, min: 0, max: 1, inRange: { color: ["#e05d5d", "#f0a020", "#1e8e5a"] } },
          series: [{
            type: "scatter",
            data: rows.map(function (r) {
              return { name: r.name, href: "/estation/stations/" + r.id, value: [r.lng, r.lat, r.screens, r.online, r.screens ? r.online / r.screens : 0] };
            }),
            symbolSize: function (v) { return 8 + 4 * Math.min(v[2], 5); }
          }]
        };
      } else if (which === "kinds" || el.hasAttribute("data-pie")) {
        option = {
          color: palette,
          tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
          legend: { type: "scroll", bottom: 0 },
          series: [{ type: "pie", radius: ["38%", "68%"], center: ["50%", "45%"], data: rows, label: { formatter: function (p) { return p.name + "\n" + grouped(p.value); } } }]
        };
      } else {
        // Bars read largest first, except where the order means something (months).
        var sorted = el.hasAttribute("data-keep-order") ? rows.slice().reverse() : rows.slice().sort(function (a, b) { return a.value - b.value; });
        option = {
          color: palette,
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
          grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
          xAxis: { type: "value", axisLabel: { formatter: short, hideOverlap: true } },
          yAxis: { type: "category", data: sorted.map(function (r) { return r.name; }) },
          series: [{ type: "bar", data: sorted, label: { show: true, position: "right", formatter: function (p) { return grouped(p.value); } }, barMaxWidth: 18 }]
        };
      }
      chart.setOption(option);
      // Every figure links to the records behind it.
      chart.on("click", function (p) { if (p.data && p.data.href) window.location.href = p.data.href; });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Copy buttons: data-copy names the element whose value (or text) goes to the clipboard;
  // data-copied is what the button says for a moment after.
  function setupCopy(btn) {
    btn.addEventListener("click", function () {
      var el = document.querySelector(btn.dataset.copy);
      if (!el) return;
      var text = "value" in el ? el.value : el.textContent;
      var label = btn.textContent;
      function done() {
        btn.textContent = btn.dataset.copied || label;
        window.setTimeout(function () { btn.textContent = label; }, 1500);
      }
      function fallback() {
        if (el.select) el.select();
        try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
      }
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
      else fallback();
    });
  }

  // The article editor: a contenteditable area over the form's textarea, which stays the
  // source of truth (and what is shown without script). The server sanitises either way.
  function setupEditor(area) {
    var source = document.getElementById(area.dataset.editor);
    var bar = document.querySelector('[data-editor-for="' + area.dataset.editor + '"]');
    if (!source || !bar) return;
    area.innerHTML = source.value;
    area.hidden = false;
    bar.hidden = false;
    source.hidden = true;
    var sync = function () { source.value = area.innerHTML; };
    area.addEventListener("input", sync);
    bar.querySelectorAll("[data-cmd]").forEach(function (b) {
      b.addEventListener("click", function () {
        area.focus();
        document.execCommand(b.dataset.cmd, false, b.dataset.arg ? "<" + b.dataset.arg + ">" : null);
        sync();
      });
    });
    if (source.form) source.form.addEventListener("submit", sync);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-editor]").forEach(setupEditor);
    document.querySelectorAll("form[data-validate]").forEach(setupForm);
    document.querySelectorAll("[data-copy]").forEach(setupCopy);
    document.querySelectorAll("[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
    });
    var toggle = document.querySelector("[data-toggle-nav]");
    if (toggle) toggle.addEventListener("click", function () { document.getElementById("sidebar").classList.toggle("open"); });
    var kind = document.querySelector("[data-kind-select]");
    if (kind) setupConditional(kind, "data-only-kind");
    var role = document.querySelector("[data-role-select]");
    if (role) setupConditional(role, "data-only-role");
  });
  // ECharts loads asynchronously (a megabyte on a phone must not hold up the page).
  window.addEventListener("load", setupCharts);
})();

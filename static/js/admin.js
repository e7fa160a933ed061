// Admin console behaviour: drag-and-drop priority, group filters, live rule preview, confirms.
// Everything degrades: without JavaScript the move buttons, plain forms and pages still work.
(function () {
  "use strict";
  const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

  function flash(message, category) {
    const box = document.getElementById("flashes");
    if (!box) return;
    box.replaceChildren();
    const p = document.createElement("p");
    p.className = "flash flash-" + category;
    p.textContent = message;
    box.appendChild(p);
  }

  // --- Profile priority: drag and drop, saved at once -------------------------------------
  function renumber(tbody) {
    const rows = Array.from(tbody.querySelectorAll("tr[data-id]"));
    rows.forEach((row, i) => {
      row.querySelector("[data-priority]").textContent = String(i + 1);
      const [up, down] = row.querySelectorAll(".moves button");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === rows.length - 1;
    });
  }

  function save(tbody, url, item, newIndex) {
    const order = Array.from(tbody.querySelectorAll("tr[data-id]")).map((r) => r.dataset.id);
    renumber(tbody);
    fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ order }),
      credentials: "same-origin",
    })
      .then((resp) => resp.json().then((body) => ({ ok: resp.ok, body })))
      .then(({ ok, body }) => {
        if (!ok) throw new Error(body.error ? body.error.message : "Not saved.");
        const saved = body.value.map((p) => p.id);
        if (saved.join() !== order.join()) { window.location.reload(); return; }
        item.classList.add("saved");
        setTimeout(() => item.classList.remove("saved"), 1300);
        flash(`Priority saved: ${item.dataset.name} now has priority ${newIndex + 1}.`, "success");
      })
      .catch((err) => {
        flash(`Priority not saved: ${err.message} Reloading the current order…`, "error");
        setTimeout(() => window.location.reload(), 1500);
      });
  }

  // A press on one row and a release on another is a drop there, even when the pointer jumped
  // in one move (Playwright's drag_to, codegen recordings, a fast flick) and Sortable, which
  // follows the pointer step by step, saw no row to swap with.
  function quickDrop(tbody, url) {
    let source = null;
    tbody.addEventListener("mousedown", (e) => {
      const row = e.target.closest("tr[data-id]");
      source = row && !e.target.closest("a, button, form") ? { row, x: e.clientX, y: e.clientY } : null;
      tbody.dataset.moved = "";
    });
    document.addEventListener("mouseup", (e) => {
      if (!source) return;
      const from = source;
      source = null;
      if (Math.abs(e.clientX - from.x) + Math.abs(e.clientY - from.y) < 4) return;
      setTimeout(() => {
        if (tbody.dataset.moved) return; // Sortable moved it already
        const under = document.elementFromPoint(e.clientX, e.clientY);
        const target = under && under.closest("tr[data-id]");
        if (!target || target === from.row || !tbody.contains(target)) return;
        const rows = Array.from(tbody.querySelectorAll("tr[data-id]"));
        const down = rows.indexOf(from.row) < rows.indexOf(target);
        target.insertAdjacentElement(down ? "afterend" : "beforebegin", from.row);
        save(tbody, url, from.row, Array.from(tbody.querySelectorAll("tr[data-id]")).indexOf(from.row));
      }, 0);
    });
  }

  function initSortable() {
    const tbody = document.querySelector("tbody[data-sortable]");
    if (!tbody || typeof Sortable === "undefined") return;
    const url = tbody.closest("table").dataset.reorderUrl;
    Sortable.create(tbody, {
      handle: "tr[data-id]",
      draggable: "tr[data-id]",
      filter: "a, button, form",
      preventOnFilter: false,
      animation: 120,
      forceFallback: true,
      fallbackTolerance: 3,
      onEnd(event) {
        if (event.oldIndex === event.newIndex) return;
        tbody.dataset.moved = "1";
        save(tbody, url, event.item, event.newIndex);
      },
    });
    quickDrop(tbody, url);
    tbody.classList.add("is-sortable");
  }

  // --- Group pickers: filter box, Assign to = All users hides Included groups ---------------
  function initGroupPickers() {
    document.querySelectorAll("[data-group-picker]").forEach((picker) => {
      const box = picker.querySelector("[data-filter]");
      if (!box) return;
      box.addEventListener("input", () => {
        const needle = box.value.trim().toLowerCase();
        picker.querySelectorAll("li[data-name]").forEach((li) => {
          li.hidden = needle !== "" && !li.dataset.name.includes(needle);
        });
      });
    });
    const assignTo = document.getElementById("assign_to");
    const include = document.querySelector("[data-assign-include]");
    if (assignTo && include) {
      const sync = () => { include.hidden = assignTo.value === "all"; };
      assignTo.addEventListener("change", sync);
      sync();
    }
  }

  // --- Dynamic device group rule: validate and preview as the admin types -----------------
  function renderPointer(pre, text, error) {
    pre.replaceChildren();
    const start = Math.min(error.position, text.length);
    const end = Math.min(start + Math.max(error.token.length, 1), Math.max(text.length, start + 1));
    pre.append(document.createTextNode(text.slice(0, start)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(start, end) || " ";
    pre.append(mark, document.createTextNode(text.slice(end)));
    pre.hidden = false;
  }

  function initRuleEditor() {
    const editor = document.querySelector("[data-rule-editor]");
    if (!editor) return;
    const form = editor.closest("form");
    const input = editor.querySelector("textarea");
    const status = editor.querySelector("[data-rule-status]");
    const pointer = editor.querySelector("[data-rule-pointer]");
    const matches = editor.querySelector("[data-rule-matches]");
    const kind = form.querySelector('[name="kind"]');
    const membership = form.querySelector('[name="membership"]');
    const showEditor = () => {
      editor.hidden = !(membership && membership.value === "dynamic" && kind && kind.value === "device");
    };
    [kind, membership].forEach((el) => el && el.addEventListener("change", showEditor));
    showEditor();
    let timer = null;
    let seq = 0;
    const cell = (row, text) => { const td = document.createElement("td"); td.textContent = text; row.appendChild(td); };
    const message = (text) => {
      const row = document.createElement("tr"); const td = document.createElement("td");
      td.colSpan = 6; td.className = "muted"; td.textContent = text; row.appendChild(td);
      matches.replaceChildren(row);
    };
    const preview = () => {
      const text = input.value;
      if (!text.trim()) { status.textContent = ""; pointer.hidden = true; message("Type a rule to see matching devices."); return; }
      const mine = ++seq;
      fetch(`${editor.dataset.previewUrl}?rule=${encodeURIComponent(text)}`, { credentials: "same-origin" })
        .then((r) => r.json())
        .then((body) => {
          if (mine !== seq) return;
          if (!body.valid) {
            status.className = "rule-status bad";
            status.textContent = body.error.display;
            renderPointer(pointer, text, body.error);
            message("Fix the rule to see matching devices.");
            return;
          }
          status.className = "rule-status ok";
          status.textContent = `Valid rule: matches ${body.devices.length} of ${body.total} recorded devices.`;
          pointer.hidden = true;
          if (!body.devices.length) { message("No recorded device matches."); return; }
          matches.replaceChildren(...body.devices.map((d) => {
            const row = document.createElement("tr");
            [d.deviceName, d.userPrincipalName, d.model, d.osVersion, d.ownership, d.enrollmentProfileName || "—"].forEach((v) => cell(row, v));
            return row;
          }));
        })
        .catch(() => { status.className = "rule-status bad"; status.textContent = "Preview unavailable."; });
    };
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(preview, 250); });
    preview();
  }

  // --- Small things: confirmations, copy buttons --------------------------------------------
  function initMisc() {
    document.querySelectorAll("form[data-confirm]").forEach((form) => {
      form.addEventListener("submit", (e) => { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
    });
    document.querySelectorAll("[data-copy]").forEach((btn) => {
      btn.addEventListener("click", () => {
        navigator.clipboard.writeText(btn.dataset.copy).then(() => { btn.textContent = "Copied"; });
      });
    });
  }

  // After a refused submit, take the admin to the first field that needs fixing.
  function focusFirstError() {
    const field = document.querySelector(".has-error");
    if (!field) return;
    const control = field.querySelector("input:checked, [aria-invalid='true']")
      || field.querySelector("input:not([type=hidden]), textarea, select");
    if (control) { control.scrollIntoView({ block: "center" }); control.focus({ preventScroll: true }); }
  }

  // Keyboard: Alt+Up / Alt+Down on a focused row (or anything in it) presses its Move button,
  // and after the move the focus is back on the moved profile (a URL with a #fragment makes
  // browsers skip autofocus, so it is restored here).
  function initKeyboardMoves() {
    const tbody = document.querySelector("tbody[data-sortable]");
    if (!tbody) return;
    tbody.addEventListener("keydown", (e) => {
      if (!e.altKey || (e.key !== "ArrowUp" && e.key !== "ArrowDown")) return;
      const row = e.target.closest("tr[data-id]");
      if (!row) return;
      const button = row.querySelector(`.moves button[value="${e.key === "ArrowUp" ? "up" : "down"}"]`);
      e.preventDefault();
      if (!button || button.disabled) return;
      try { window.sessionStorage.setItem("enrollsim.focusRow", e.target === row ? "1" : ""); } catch (err) { /* private mode */ }
      button.click();
    });
    // After a move the page comes back with the moved row as its #fragment (which browsers
    // focus) and autofocus on its Move button: a keyboard move keeps the focus where it was.
    const wanted = document.querySelector("[autofocus]");
    if (!wanted) return;
    const row = wanted.closest("tr[data-id]");
    let onRow = false;
    try { onRow = window.sessionStorage.getItem("enrollsim.focusRow") === "1"; window.sessionStorage.removeItem("enrollsim.focusRow"); } catch (err) { onRow = false; }
    const settle = () => (onRow ? row : wanted).focus({ preventScroll: true });
    settle();
    window.addEventListener("load", () => setTimeout(settle, 0));
  }

  // A table wider than its box scrolls inside it: keyboard users reach it by Tab.
  function focusableScrollers() {
    const mark = () => document.querySelectorAll(".grid, .table-scroll, .checklist, .rule-pointer, .rule-preview").forEach((el) => {
      const scrolls = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      if (scrolls && !el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      else if (!scrolls && el.getAttribute("tabindex") === "0" && el.dataset.scrollMarked) el.removeAttribute("tabindex");
      if (scrolls) el.dataset.scrollMarked = "1";
    });
    mark();
    window.addEventListener("resize", mark);
  }

  document.addEventListener("DOMContentLoaded", () => {
    focusableScrollers();
    initKeyboardMoves();
    initSortable(); initGroupPickers(); initRuleEditor(); initMisc(); focusFirstError();
  });
})();

// What is typed on a scorecard reaches the server's draft without the interviewer doing
// anything, and the save line says only what is true. Drawn by pages/scorecard.py; one timer per
// browser tab.
//
// Streamlit sends a text area's value when the box loses focus. So a box being typed in is made
// to send what it holds 0.7 s after the last key (and every 2.5 s during a long burst), when it
// is left, when the page is hidden (a reload, a closed tab, another site), and before leaving
// the page, which also asks first while something on screen has not reached the server.
//
// The save line (#debrief-save, see ui/scorecard_form.save_state) carries what the server holds.
// Whatever the screen shows that the server does not hold yet (typed or chosen while the
// connection was down, or sent to a server that then restarted) is sent again by pressing the
// form's hidden resend button, which sends every value of the form, until the server holds it.
// The line says "Saving…" meanwhile, "Not saved — retrying" after 6 s without progress, and
// "Offline — reconnecting" while the server cannot be reached; then the fields stay usable
// (Streamlit would disable them) and what is typed is sent when the server is back.
//
// Nothing is sent just after a button is pressed (Submit, Save draft) or while the server is
// busy with the page: a rerun asked for while another is on its way can drop the press.
if (!window.__debriefAutosave) {
  const state = {held: null, since: 0, resent: 0, nudged: 0, typed: 0, pressed: 0, busy: 0};
  const IDLE = 700, BURST = 2500;

  document.addEventListener("pointerdown", (event) => {
    if (event.target.closest("button")) state.pressed = Date.now();
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("button")) state.pressed = Date.now();
  }, true);
  document.addEventListener("input", (event) => {
    if (event.target.tagName === "TEXTAREA") state.typed = Date.now();
  }, true);

  const line = () => document.getElementById("debrief-save");
  const form = () => {
    const saved = line();
    return saved ? document.querySelector(".st-key-" + CSS.escape(saved.dataset.form)) : null;
  };
  // Streamlit's own word that the server is away: a modal "Connection error" dialog that makes
  // the whole page inert (and its fields disabled) until the server is back.
  const connectionError = () => [...document.querySelectorAll('[role="dialog"]')]
    .find((dialog) => /Connection error/.test(dialog.textContent || ""));
  // The server cannot be reached: the browser is offline, or Streamlit says so.
  const offline = () => !navigator.onLine || !!connectionError();
  // The save line says it instead, and the form stays usable.
  const keepUsable = () => {
    const dialog = connectionError();
    if (dialog) {
      let layer = dialog;
      while (layer.parentElement && layer.parentElement !== document.body) {
        layer = layer.parentElement;
      }
      layer.style.display = "none";
    }
    const fields = form();
    if (!fields) return;
    document.querySelectorAll("[inert]").forEach((e) => {
      if (e.contains(fields)) e.removeAttribute("inert");
    });
    document.querySelectorAll("[aria-hidden=true]").forEach((e) => {
      if (e.contains(fields)) e.removeAttribute("aria-hidden");
    });
    fields.querySelectorAll("textarea[disabled], input[type=radio][disabled]")
      .forEach((f) => f.removeAttribute("disabled"));
  };
  const quiet = (now) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const running = app && app.dataset.testScriptState === "running";
    if (!running) state.busy = 0;
    else if (!state.busy) state.busy = now;
    return now - state.pressed > 5000 && (!running || now - state.busy > 10000);
  };
  // The fields whose value on screen the server does not hold.
  const unsaved = (held) => Object.entries(held).flatMap(([key, value]) => {
    const box = document.querySelector(".st-key-" + CSS.escape(key));
    if (!box) return [];
    const text = box.querySelector("textarea");
    if (text) return text.value !== value ? [text] : [];
    const radios = [...box.querySelectorAll("input[type=radio]")];
    return radios.length > 0 && radios.findIndex((r) => r.checked) !== value ? [box] : [];
  });
  const pending = () => {
    const saved = line();
    return saved && !saved.dataset.failed ? unsaved(JSON.parse(saved.dataset.held)) : [];
  };
  // Make the text area being typed in send what it holds (Streamlit commits on focusout).
  const send = (field) => {
    field.dispatchEvent(new FocusEvent("focusout", {bubbles: true}));
  };
  const typing = () => {
    const field = document.activeElement;
    return field && field.tagName === "TEXTAREA" && field.closest('[data-testid="stTextArea"]')
      ? field : null;
  };
  const flush = () => {
    const field = typing();
    if (field) send(field);
  };

  // What the server does not hold when the page goes (a reload, a visit elsewhere in this tab)
  // is kept in the tab's sessionStorage: the last keys sent on leaving may never be run, as a
  // server stops a page's run once its connection closes. When the form shows again, a box
  // still holding what the server held then gets the typing back and sends it; a box whose
  // text the server no longer holds as it did (changed in another tab) is left as it is.
  const KEPT = "debrief-unsent:";
  const keep = () => {
    const saved = line();
    if (!saved) return;
    const held = JSON.parse(saved.dataset.held);
    const unsent = {};
    Object.entries(held).forEach(([key, value]) => {
      const box = document.querySelector(".st-key-" + CSS.escape(key));
      const text = box && box.querySelector("textarea");
      if (text && typeof value === "string" && text.value !== value) {
        unsent[key] = {value: text.value, base: value};
      }
    });
    const name = KEPT + saved.dataset.form;
    if (Object.keys(unsent).length > 0) sessionStorage.setItem(name, JSON.stringify(unsent));
    else sessionStorage.removeItem(name);
  };
  // Kept until the server holds it: a box that the page draws afresh (a rerun that moves it)
  // shows the server's text again, so the typing is put back again, a few times at most.
  const putBack = (saved) => {
    const name = KEPT + saved.dataset.form;
    const kept = sessionStorage.getItem(name);
    if (!kept) return;
    const held = JSON.parse(saved.dataset.held);
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
    const left = {};
    Object.entries(JSON.parse(kept)).forEach(([key, entry]) => {
      if (held[key] === entry.value || held[key] !== entry.base) return;  // held, or changed elsewhere
      const box = document.querySelector(".st-key-" + CSS.escape(key));
      const text = box && box.querySelector("textarea");
      if (text && text.value === entry.base) {
        setValue.call(text, entry.value);  // as typed: Streamlit's own state follows the input event
        text.dispatchEvent(new Event("input", {bubbles: true}));
        send(text);
        entry.tries = (entry.tries || 0) + 1;
      } else if (text && text.value !== entry.value) {
        return;  // typed in since: what is on screen is newer, and is sent as any typing is
      }
      if ((entry.tries || 0) < 5) left[key] = entry;
    });
    if (Object.keys(left).length > 0) sessionStorage.setItem(name, JSON.stringify(left));
    else sessionStorage.removeItem(name);
  };

  window.addEventListener("pagehide", () => {
    flush();
    keep();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!line()) return;
    flush();
    keep();
    if (pending().length > 0) {
      event.preventDefault();
      event.returnValue = "";  // "Leave site? Changes that you made may not be saved."
    }
  });

  window.__debriefAutosave = setInterval(() => {
    const saved = line();
    if (!saved) return;
    const now = Date.now();
    const away = offline();
    if (away) keepUsable();  // what is typed meanwhile is sent when the server is back
    const calm = !away && quiet(now);
    if (calm && form()) putBack(saved);
    const field = typing();
    if (calm && field && state.typed > state.nudged
        && (now - state.typed > IDLE || now - state.nudged > BURST)) {
      state.nudged = now;
      send(field);
    }
    if (saved.dataset.held !== state.held) {  // the server answered: progress
      state.held = saved.dataset.held;
      state.since = now;
    }
    const fields = pending();
    if (fields.length === 0 && !away) {
      state.since = now;
      if (saved.textContent !== saved.dataset.text) saved.textContent = saved.dataset.text;
      delete saved.dataset.stale;
      return;
    }
    const stale = away || now - state.since > 6000;
    saved.textContent = away
      ? "Offline — reconnecting"
      : stale ? "Not saved — retrying" : "Saving…";
    if (stale) saved.dataset.stale = "1";
    else delete saved.dataset.stale;
    const resend = document.querySelector(
      ".st-key-" + CSS.escape(saved.dataset.resend) + " button");
    if (calm && fields.length > 0 && resend && !resend.disabled && now - state.since > 4000
        && now - state.resent > 5000) {
      state.resent = now;
      // A text area still holding unsent typing (the connection went before it was sent)
      // sends it on losing focus; then the whole form is sent.
      fields.filter((f) => f.tagName === "TEXTAREA" && f !== document.activeElement)
        .forEach(send);
      setTimeout(() => resend.click(), 200);
    }
  }, 250);
}

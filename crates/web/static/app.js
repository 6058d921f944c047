// Réplique: the conversation page. Sends each turn to the JSON API, shows the prospect's
// reply, the gauge and the mood, and at the end shows the "Conversation terminée" modal
// before going to the report. Without this script the form still works (full reload).
"use strict";

(function () {
  const root = document.querySelector(".session[data-session-id]");
  if (!root) return;
  const id = root.dataset.sessionId;
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const send = document.getElementById("send");
  const transcript = document.getElementById("transcript");
  const errorBox = document.getElementById("turn-error");
  const gauge = document.getElementById("gauge");
  const gaugeValue = document.getElementById("gauge-value");
  const mood = document.getElementById("mood");
  const prospectName = (transcript.querySelector(".msg.prospect .who") || {}).textContent || "Prospect";
  const moodLabels = { hostile: "Hostile", skeptical: "Sceptique", neutral: "Neutre", interested: "Intéressé", ready_to_buy: "Prêt à acheter" };

  function addMessage(role, text) {
    const li = document.createElement("li");
    li.className = "msg " + role;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "user" ? "Vous" : prospectName;
    const p = document.createElement("p");
    p.textContent = text;
    li.append(who, p);
    transcript.append(li);
    li.scrollIntoView({ block: "end", behavior: "smooth" });
  }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = !text;
  }

  function endConversation(url) {
    const modal = document.getElementById("end-modal");
    const link = document.getElementById("end-link");
    if (url) link.href = url;
    modal.hidden = false;
    document.getElementById("end-title").focus();
    form.querySelectorAll("textarea, button").forEach((el) => { el.disabled = true; });
    setTimeout(() => { window.location.assign(link.href); }, 3000);
  }

  async function say(text) {
    send.disabled = true;
    input.setAttribute("aria-busy", "true");
    showError("");
    try {
      const response = await fetch("/api/voice/session/" + encodeURIComponent(id) + "/respond", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ message: text }),
      });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        if (response.status === 401) { window.location.assign("/login"); return; }
        showError(data.detail || "Le message n’a pas pu être envoyé. Réessayez.");
        return;
      }
      input.value = "";
      addMessage("user", text);
      addMessage("prospect", data.prospect.text);
      gauge.value = data.gauge;
      gaugeValue.textContent = data.gauge;
      mood.textContent = moodLabels[data.mood] || data.mood;
      mood.dataset.mood = data.mood;
      if (data.session_ended) endConversation(data.redirect_url);
    } catch (e) {
      showError("Connexion impossible. Vérifiez votre réseau et réessayez.");
    } finally {
      send.disabled = false;
      input.removeAttribute("aria-busy");
      if (!document.getElementById("end-modal").hidden) return;
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { showError("Écrivez d’abord votre réponse."); return; }
    say(text);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();

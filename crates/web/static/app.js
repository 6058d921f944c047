// Réplique: the conversation page. Sends each turn to the JSON API (or, in voice mode,
// over the live WebSocket), shows the prospect's reply, the gauge and the mood, speaks the
// reply with its sounds, and at the end shows the "Conversation terminée" modal before
// going to the report. Without this script the form still works (full reload).
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
  let speaker = root.dataset.speaker || "Prospect";
  // Turns stored so far. Each turn is sent with its number, so that sending it again after a
  // lost answer (« Connexion impossible… réessayez ») gets the stored answer, never a double.
  let exchanges = Number(root.dataset.exchanges) || 0;
  const moodLabels = { hostile: "Hostile", skeptical: "Sceptique", neutral: "Neutre", interested: "Intéressé", ready_to_buy: "Prêt à acheter" };
  let ended = false;
  let limitShown = false;

  // French typography, as the server sets it on its pages: non-breaking spaces before
  // « ; ! ? » (narrow) and « : » », and after «.
  function typeset(text) {
    return String(text)
      .replace(/ ([?!;])/g, "\u202f$1")
      .replace(/ ([:»])/g, "\u00a0$1")
      .replace(/« /g, "«\u00a0");
  }

  function addMessage(role, text, extraClass) {
    const li = document.createElement("li");
    li.className = "msg " + role + (extraClass ? " " + extraClass : "");
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "user" ? "Vous" : speaker;
    const p = document.createElement("p");
    p.textContent = typeset(text);
    li.append(who, p);
    transcript.append(li);
    li.scrollIntoView({ block: "end", behavior: "smooth" });
    return li;
  }

  function showError(text) {
    errorBox.textContent = typeset(text);
    errorBox.hidden = !text;
  }

  function endConversation(url) {
    ended = true;
    const modal = document.getElementById("end-modal");
    const link = document.getElementById("end-link");
    if (url) link.href = url;
    modal.hidden = false;
    document.getElementById("end-title").focus();
    form.querySelectorAll("textarea, button").forEach((el) => { el.disabled = true; });
    voice.stop();
    setTimeout(() => { window.location.assign(link.href); }, 3000);
  }

  function showTurn(text, data) {
    if (data.exchange) exchanges = data.exchange;
    addMessage("user", text);
    // The gatekeeper hands over to the decision-maker: the next lines are signed by them.
    if (data.prospect.speaker) speaker = data.prospect.speaker;
    const li = addMessage("prospect", data.prospect.text);
    const actions = data.prospect.visual_actions || [];
    if (actions.length) {
      const hint = document.createElement("p");
      hint.className = "hint actions";
      hint.textContent = actions.map((a) => "*" + a + "*").join(" ");
      li.append(hint);
    }
    if (data.llm_limit && !limitShown) {
      limitShown = true;
      const note = document.createElement("li");
      note.className = "msg notice";
      note.setAttribute("role", "status");
      note.textContent = data.llm_limit.detail;
      transcript.append(note);
    }
    gauge.value = data.gauge;
    gaugeValue.textContent = data.gauge;
    mood.textContent = moodLabels[data.mood] || data.mood;
    mood.dataset.mood = data.mood;
  }

  async function after(data) {
    if (voice.on) {
      await voice.speak(data.prospect);
      voice.prospectDone();
    }
    if (data.session_ended) endConversation(data.redirect_url);
    else voice.listenForSilence();
  }

  async function sayOverHttp(text, timing) {
    const response = await fetch("/api/voice/session/" + encodeURIComponent(id) + "/respond", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ message: text, voice: timing, exchange: exchanges + 1 }),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      if (response.status === 401) { window.location.assign("/login"); return; }
      showError(data.detail || "Le message n’a pas pu être envoyé. Réessayez.");
      return;
    }
    input.value = "";
    showTurn(text, data);
    await after(data);
  }

  async function say(text) {
    send.disabled = true;
    input.setAttribute("aria-busy", "true");
    showError("");
    voice.quiet();
    try {
      const timing = voice.takeTiming();
      if (voice.on && voice.socketReady()) await voice.sayOverSocket(text, timing);
      else await sayOverHttp(text, timing);
    } catch (e) {
      showError("Connexion impossible. Vérifiez votre réseau et réessayez.");
    } finally {
      send.disabled = ended;
      input.removeAttribute("aria-busy");
      if (!ended) input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) { showError("Écrivez d’abord votre réponse."); return; }
    say(text);
  });

  input.addEventListener("keydown", (event) => {
    voice.quiet();
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // ---- Voice mode -------------------------------------------------------------------

  const voice = (function () {
    const panel = document.getElementById("voice-panel");
    const state = { on: false, socket: null, pending: null, ctx: null, buffers: {}, silence: [], speech: [], ambiance: null, ambianceTimer: null, recognition: null, recorder: null, streamed: Promise.resolve(), playing: new Set(), epoch: 0, prospectDoneAt: null, timing: null, lineSpeaking: false };
    if (!panel) {
      return { on: false, stop() {}, quiet() {}, listenForSilence() {}, speak: async () => {}, socketReady: () => false, prospectDone() {}, takeTiming: () => null };
    }
    const config = JSON.parse(panel.dataset.config || "{}");
    const toggle = document.getElementById("voice-toggle");
    const mic = document.getElementById("voice-mic");
    const ambianceBox = document.getElementById("voice-ambiance");
    const statusLine = document.getElementById("voice-status");
    const csrf = document.querySelector('meta[name="csrf-token"]').content;
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    let endedCount = 0;

    function status(text) { statusLine.textContent = text; }

    function context() {
      if (!state.ctx) state.ctx = new (window.AudioContext || window.webkitAudioContext)();
      if (state.ctx.state === "suspended") state.ctx.resume();
      return state.ctx;
    }

    async function buffer(url) {
      if (!state.buffers[url]) {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) throw new Error("audio " + response.status);
        state.buffers[url] = await context().decodeAudioData(await response.arrayBuffer());
      }
      return state.buffers[url];
    }

    // Plays decoded audio to its end; the page counts the endings it saw (tests read it).
    function playBuffer(b, gain) {
      return new Promise((resolve) => {
        const source = context().createBufferSource();
        const level = context().createGain();
        level.gain.value = gain === undefined ? 1 : gain;
        source.buffer = b;
        source.connect(level).connect(context().destination);
        state.playing.add(source);
        source.addEventListener("ended", () => {
          state.playing.delete(source);
          endedCount += 1;
          document.body.dataset.audioEnded = String(endedCount);
          resolve();
        });
        source.start();
      });
    }

    function play(url, gain) {
      return buffer(url).then((b) => playBuffer(b, gain)).catch(() => {});
    }

    // A sentence the server spoke while the model was still writing: played after the
    // ones before it (the model's own latency stands for the natural delay).
    function queueSpeech(bytes) {
      const epoch = state.epoch;
      state.lineSpeaking = true;
      const decoded = context().decodeAudioData(bytes);
      state.streamed = state.streamed
        .then(() => decoded)
        .then((b) => (epoch === state.epoch ? playBuffer(b) : null))
        .catch(() => {});
    }

    // Stops what is being said and drops what is queued (voice off, or a turn refused
    // after its first sentences were sent).
    function hush() {
      state.epoch += 1;
      state.playing.forEach((source) => { try { source.stop(); } catch (e) { /* already ended */ } });
    }

    function sound(id) {
      const folders = { sigh: "sighs", hmm: "reactions", laugh: "reactions", throat: "reactions", wait: "interruptions", let: "interruptions" };
      const folder = folders[id.split("_")[0]] || "ambiance";
      return "/static/audio/voice_effects/" + folder + "/" + id + ".wav";
    }

    function delay(range) {
      const [low, high] = range || [0, 0];
      return new Promise((r) => setTimeout(r, low + Math.random() * Math.max(0, high - low)));
    }

    async function speak(prospect) {
      try {
        if (prospect.streamed_parts > 0) {
          await state.streamed;
          return;
        }
        if (!prospect.audio_url) return;
        await delay(config.response_delay_ms);
        // The served file already starts with the line's sounds (sigh, hmm...).
        state.lineSpeaking = true;
        await play(prospect.audio_url);
      } finally {
        state.lineSpeaking = false;
      }
    }

    function aside(text) {
      addMessage("prospect", text, "aside");
    }

    function clearTimers(list) { list.splice(0).forEach(clearTimeout); }

    function quiet() { clearTimers(state.silence); }

    function listenForSilence() {
      quiet();
      if (!state.on || ended) return;
      (config.silence || []).forEach((reaction) => {
        state.silence.push(setTimeout(() => {
          if (ended) return;
          aside(reaction.phrase);
          if (reaction.sound) play(sound(reaction.sound));
        }, reaction.after_ms));
      });
    }

    function startAmbiance() {
      if (!ambianceBox.checked || state.ambiance) return;
      buffer(sound("office_quiet")).then((b) => {
        const source = context().createBufferSource();
        const level = context().createGain();
        level.gain.value = 0.25;
        source.buffer = b;
        source.loop = true;
        source.connect(level).connect(context().destination);
        source.start();
        state.ambiance = source;
      }).catch(() => {});
      // Random events: checked every 10 s against their per-minute probability.
      state.ambianceTimer = setInterval(() => {
        (config.ambiance_events || []).forEach((e) => {
          if (Math.random() < e.probability_per_minute / 6) play(sound(e.sound), 0.4);
        });
      }, 10000);
    }

    function stopAmbiance() {
      if (state.ambiance) { state.ambiance.stop(); state.ambiance = null; }
      clearInterval(state.ambianceTimer);
    }

    function connect() {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      const socket = new WebSocket(scheme + location.host + "/api/voice/session/" + encodeURIComponent(id) + "/ws");
      state.socket = socket;
      socket.binaryType = "arraybuffer";
      socket.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer) { queueSpeech(event.data); return; }
        const data = JSON.parse(event.data);
        if (data.type === "speech") return; // its audio follows as a binary message
        if (data.type === "ready") {
          status(data.voice.available ? "Voix active\u00a0: parlez ou tapez votre réponse." : "Voix indisponible\u00a0: " + data.voice.reason);
          return;
        }
        // Every voice seat of the server is taken: say so and go on in writing.
        if (data.type === "error" && data.status === 503 && !state.pending) { textMode(data.detail); return; }
        const pending = state.pending;
        state.pending = null;
        if (!pending) return;
        if (data.type === "error") { hush(); showError(data.detail); pending.resolve(); return; }
        input.value = "";
        showTurn(pending.text, data);
        after(data).then(pending.resolve);
      });
      socket.addEventListener("close", (event) => {
        state.socket = null;
        if (state.pending) { state.pending.resolve(); state.pending = null; }
        // 1013: try again later (the server is full), in case its message was not read.
        if (event.code === 1013 && state.on) textMode("La voix est très demandée en ce moment\u00a0: continuez par écrit, vos réponses sont bien enregistrées.");
      });
    }

    // Voice off, the message shown, the conversation goes on over HTTP: nothing waits.
    function textMode(detail) {
      stop();
      toggle.setAttribute("aria-pressed", "false");
      toggle.textContent = "Activer la voix";
      mic.hidden = true;
      status(detail);
      showError(detail);
    }

    function sayOverSocket(text, timing) {
      return new Promise((resolve) => {
        state.pending = { text, resolve };
        state.socket.send(JSON.stringify({ type: "say", text, voice: timing, exchange: exchanges + 1 }));
      });
    }

    // ---- The learner's voice --------------------------------------------------------

    function speechTimers() {
      clearTimers(state.speech);
      const rules = config.turn_taking || {};
      if (rules.warning_after_ms) {
        state.speech.push(setTimeout(() => {
          aside(rules.warning_visual);
          if (rules.warning_sound) play(sound(rules.warning_sound));
        }, rules.warning_after_ms));
      }
      if (rules.interrupt_after_ms) {
        state.speech.push(setTimeout(() => {
          aside(rules.interrupt_phrase);
          play(sound("wait_wait"));
          stopListening();
        }, rules.interrupt_after_ms));
      }
    }

    // How the learner said their turn (for the report's delivery figures): from the first
    // word to the end, the silence after the prospect's line, and whether they spoke over it.
    // With speech recognition the words are timed; with a recording only the button is, so
    // the pause is not known and the speaking time runs from the click.
    function startTiming() {
      state.timing = { start: performance.now(), firstWord: null, lastWord: null, end: null, interrupted: state.lineSpeaking };
    }

    function heardWord() {
      const t = state.timing;
      if (!t) return;
      const now = performance.now();
      if (t.firstWord === null) {
        t.firstWord = now;
        t.interrupted = state.lineSpeaking;
      }
      t.lastWord = now;
    }

    function dropTiming() { state.timing = null; }

    function takeTiming() {
      const t = state.timing;
      const doneAt = state.prospectDoneAt;
      state.timing = null;
      state.prospectDoneAt = null;
      if (!t || t.end === null) return null;
      const first = t.firstWord === null ? t.start : t.firstWord;
      const last = t.lastWord === null ? t.end : t.lastWord;
      const pause = t.interrupted || t.firstWord === null || doneAt === null ? null : Math.max(0, Math.round(first - doneAt));
      return { speaking_ms: Math.max(0, Math.round(last - first)), pause_ms: pause, interrupted: t.interrupted };
    }

    function stopListening() {
      if (state.timing && state.timing.end === null) state.timing.end = performance.now();
      clearTimers(state.speech);
      if (state.recognition) state.recognition.stop();
      if (state.recorder && state.recorder.state === "recording") state.recorder.stop();
      mic.setAttribute("aria-pressed", "false");
      mic.textContent = "Parler";
    }

    function listen() {
      quiet();
      startTiming();
      mic.setAttribute("aria-pressed", "true");
      mic.textContent = "J’ai fini";
      speechTimers();
      if (Recognition) {
        const recognition = new Recognition();
        recognition.lang = "fr-FR";
        recognition.interimResults = true;
        recognition.continuous = true;
        let finalText = "";
        recognition.onresult = (event) => {
          heardWord();
          let interim = "";
          for (let i = event.resultIndex; i < event.results.length; i++) {
            if (event.results[i].isFinal) finalText += event.results[i][0].transcript;
            else interim += event.results[i][0].transcript;
          }
          input.value = (finalText + " " + interim).trim();
        };
        recognition.onend = () => {
          state.recognition = null;
          stopListening();
          if (input.value.trim()) form.requestSubmit();
          else dropTiming();
        };
        recognition.onerror = (e) => {
          dropTiming();
          status("Reconnaissance vocale interrompue (" + e.error + ")\u00a0: tapez votre réponse.");
        };
        state.recognition = recognition;
        recognition.start();
        return;
      }
      navigator.mediaDevices.getUserMedia({ audio: true }).then((stream) => {
        const recorder = new MediaRecorder(stream);
        const chunks = [];
        recorder.ondataavailable = (e) => chunks.push(e.data);
        recorder.onstop = async () => {
          stream.getTracks().forEach((t) => t.stop());
          const blob = new Blob(chunks, { type: recorder.mimeType || "audio/webm" });
          status("Transcription…");
          const response = await fetch("/api/voice/session/" + encodeURIComponent(id) + "/transcribe", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": blob.type || "audio/webm", "X-CSRF-Token": csrf },
            body: blob,
          });
          const data = await response.json().catch(() => ({}));
          if (!response.ok) { dropTiming(); status(data.detail || "Transcription impossible\u00a0: tapez votre réponse."); return; }
          status("Voix active.");
          input.value = data.text;
          if (data.text) form.requestSubmit();
          else dropTiming();
        };
        state.recorder = recorder;
        recorder.start();
      }).catch(() => {
        stopListening();
        dropTiming();
        status("Micro indisponible\u00a0: tapez votre réponse.");
      });
    }

    toggle.addEventListener("click", () => {
      state.on = !state.on;
      toggle.setAttribute("aria-pressed", String(state.on));
      toggle.textContent = state.on ? "Désactiver la voix" : "Activer la voix";
      mic.hidden = !state.on || (!Recognition && !(config.transcription && window.MediaRecorder));
      if (state.on) {
        context();
        connect();
        startAmbiance();
        status("Connexion…");
      } else {
        stop();
      }
    });
    ambianceBox.addEventListener("change", () => { if (ambianceBox.checked && state.on) startAmbiance(); else stopAmbiance(); });
    mic.addEventListener("click", () => {
      if (mic.getAttribute("aria-pressed") === "true") stopListening();
      else listen();
    });

    function stop() {
      hush();
      quiet();
      dropTiming();
      state.prospectDoneAt = null;
      stopListening();
      stopAmbiance();
      if (state.socket) state.socket.close();
      state.on = false;
    }

    return {
      get on() { return state.on; },
      stop,
      quiet,
      listenForSilence,
      speak,
      sayOverSocket,
      prospectDone() { state.prospectDoneAt = performance.now(); },
      takeTiming,
      socketReady: () => state.socket && state.socket.readyState === WebSocket.OPEN,
    };
  })();
})();

//! The sound library (SPEC 6.3): sighs, hmms, a polite laugh, a throat clear, two spoken
//! interruptions and office ambiance, made by the project itself: synthesised here
//! (deterministic noise and tones), the spoken ones by the offline voice when it exists.
//! Served as WAV files under `/static/audio/voice_effects/<category>/<id>.wav`.

// DSP arithmetic: sample counts and levels are rounded and clamped before every cast.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]

use std::collections::BTreeMap;
use std::f32::consts::TAU;

use replique_core::rng::SessionRng;

use crate::audio::{Audio, SAMPLE_RATE, frames};

/// Every sound of the library: (id, category).
pub const SOUNDS: &[(&str, &str)] = &[
    ("sigh_light", "sighs"),
    ("sigh_heavy", "sighs"),
    ("sigh_annoyed", "sighs"),
    ("hmm_thinking", "reactions"),
    ("hmm_doubtful", "reactions"),
    ("laugh_polite", "reactions"),
    ("throat_clear", "reactions"),
    ("wait_wait", "interruptions"),
    ("let_me_finish", "interruptions"),
    ("office_quiet", "ambiance"),
    ("phone_ring_distant", "ambiance"),
    ("keyboard_typing", "ambiance"),
    ("door_close", "ambiance"),
    ("paper_shuffle", "ambiance"),
    ("phone_notification", "ambiance"),
];

/// What the two spoken interruptions say.
pub const SPOKEN: &[(&str, &str)] = &[("wait_wait", "Attendez, attendez…"), ("let_me_finish", "Laissez-moi finir !")];

/// The library in memory: id -> audio.
#[derive(Debug, Clone, Default)]
pub struct Library {
    sounds: BTreeMap<String, Audio>,
}

impl Library {
    /// Synthesises every sound. `spoken` gives the audio of the spoken interruptions (from
    /// the offline voice); without it they are synthesised murmurs.
    pub fn build(spoken: &BTreeMap<String, Audio>) -> Self {
        let mut sounds = BTreeMap::new();
        for (id, _) in SOUNDS {
            let audio = spoken.get(*id).cloned().unwrap_or_else(|| synthesise(id));
            sounds.insert((*id).to_owned(), audio.resampled(SAMPLE_RATE).faded(0.01));
        }
        Library { sounds }
    }

    pub fn get(&self, id: &str) -> Option<&Audio> {
        self.sounds.get(id)
    }

    /// The category folder of a sound id.
    pub fn category(id: &str) -> Option<&'static str> {
        SOUNDS.iter().find(|(s, _)| *s == id).map(|(_, c)| *c)
    }

    /// The public path of a sound.
    pub fn url(id: &str) -> Option<String> {
        Self::category(id).map(|c| format!("/static/audio/voice_effects/{c}/{id}.wav"))
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.sounds.keys().map(String::as_str)
    }
}

/// A sound of the library, synthesised (deterministic: same samples every time).
pub fn synthesise(id: &str) -> Audio {
    let mut rng =
        SessionRng::new(id.bytes().fold(0x00C0_FFEE_u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))));
    let samples = match id {
        "sigh_light" => breath(&mut rng, 0.35, 0.55, 0.5, 0.25),
        "sigh_heavy" => breath(&mut rng, 0.5, 1.0, 0.7, 0.15),
        "sigh_annoyed" => {
            let mut s = burst(&mut rng, 0.06, 0.8);
            s.extend(breath(&mut rng, 0.05, 0.6, 0.75, 0.35));
            s
        }
        "hmm_thinking" => hum(0.7, |t| 120.0 - 8.0 * t),
        "hmm_doubtful" => hum(0.8, |t| 125.0 + 40.0 * (std::f32::consts::PI * t / 0.8).sin() - 20.0 * t),
        "laugh_polite" => {
            let mut s = Vec::new();
            for k in 0..3 {
                s.extend(voiced_noise(&mut rng, 0.11, 210.0 - 10.0 * k as f32));
                s.extend(vec![0.0; frames(SAMPLE_RATE, 0.08)]);
            }
            s
        }
        "throat_clear" => {
            let mut s = rumble(&mut rng, 0.18);
            s.extend(vec![0.0; frames(SAMPLE_RATE, 0.06)]);
            s.extend(rumble(&mut rng, 0.25));
            s
        }
        "wait_wait" | "let_me_finish" => {
            let mut s = hum(0.25, |_| 150.0);
            s.extend(vec![0.0; frames(SAMPLE_RATE, 0.05)]);
            s.extend(hum(0.35, |t| 160.0 - 30.0 * t));
            s
        }
        "office_quiet" => office(&mut rng, 4.0),
        "phone_ring_distant" => ring(2.6),
        "keyboard_typing" => typing(&mut rng, 2.0),
        "door_close" => thump(&mut rng),
        "paper_shuffle" => shuffle(&mut rng, 1.2),
        "phone_notification" => {
            let mut s = tone(880.0, 0.12, 0.4);
            s.extend(vec![0.0; frames(SAMPLE_RATE, 0.06)]);
            s.extend(tone(1320.0, 0.14, 0.4));
            s
        }
        _ => vec![0.0; frames(SAMPLE_RATE, 0.1)],
    };
    let peak = if id.starts_with("office") { 0.12 } else { 0.6 };
    Audio { sample_rate: SAMPLE_RATE, samples: normalise(samples, peak) }
}

fn white(rng: &mut SessionRng) -> f32 {
    (rng.next_u64() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
}

/// Breath noise: an inhale, then a longer exhale; `tone` (0-1) darkens it.
fn breath(rng: &mut SessionRng, inhale: f32, exhale: f32, level: f32, tone: f32) -> Vec<f32> {
    let n_in = frames(SAMPLE_RATE, inhale);
    let n_out = frames(SAMPLE_RATE, exhale);
    let mut low = 0.0f32;
    let mut out = Vec::with_capacity(n_in + n_out);
    for i in 0..n_in + n_out {
        low += tone * (white(rng) - low);
        let env = if i < n_in {
            0.35 * (i as f32 / n_in.max(1) as f32)
        } else {
            let t = (i - n_in) as f32 / n_out.max(1) as f32;
            (1.0 - t).powf(1.6) * (t * 8.0).min(1.0)
        };
        out.push(low * env * level);
    }
    out
}

fn burst(rng: &mut SessionRng, seconds: f32, level: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    (0..n).map(|i| white(rng) * level * (1.0 - i as f32 / n as f32)).collect()
}

/// A closed-mouth hum with harmonics, following `pitch(t)` (Hz).
fn hum(seconds: f32, pitch: impl Fn(f32) -> f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    let mut phase = 0.0f32;
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            phase += TAU * pitch(t) / SAMPLE_RATE as f32;
            let voice =
                phase.sin() + 0.5 * (2.0 * phase).sin() + 0.25 * (3.0 * phase).sin() + 0.1 * (4.0 * phase).sin();
            let env = (t / 0.05).min(1.0) * ((seconds - t) / 0.12).clamp(0.0, 1.0);
            voice * env * 0.5
        })
        .collect()
}

fn voiced_noise(rng: &mut SessionRng, seconds: f32, pitch: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            let env = (std::f32::consts::PI * t / seconds).sin();
            ((TAU * pitch * t).sin() * 0.7 + white(rng) * 0.4) * env
        })
        .collect()
}

fn rumble(rng: &mut SessionRng, seconds: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    let mut low = 0.0f32;
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            low += 0.08 * (white(rng) - low);
            let env = (t / 0.02).min(1.0) * (1.0 - t / seconds).max(0.0);
            (low * 3.0 + 0.3 * (TAU * 90.0 * t).sin()) * env
        })
        .collect()
}

fn office(rng: &mut SessionRng, seconds: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    let (mut a, mut b) = (0.0f32, 0.0f32);
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            a += 0.02 * (white(rng) - a);
            b += 0.2 * (white(rng) - b);
            a * 2.0 + b * 0.2 + 0.05 * (TAU * 50.0 * t).sin()
        })
        .collect()
}

fn ring(seconds: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            // French ring: 1.5 s on, then silence; far away, so soft and dull.
            let on = if t % 2.6 < 1.5 { ((t % 2.6) / 0.02).min(1.0) * ((1.5 - t % 2.6) / 0.02).min(1.0) } else { 0.0 };
            let warble = 0.5 + 0.5 * (TAU * 20.0 * t).sin();
            on * warble * ((TAU * 440.0 * t).sin() * 0.6 + (TAU * 880.0 * t).sin() * 0.1)
        })
        .collect()
}

fn typing(rng: &mut SessionRng, seconds: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    let mut out = vec![0.0; n];
    let mut at = 0usize;
    while at < n {
        let click = frames(SAMPLE_RATE, 0.006);
        for k in 0..click.min(n - at) {
            out[at + k] = white(rng) * (1.0 - k as f32 / click as f32);
        }
        at += frames(SAMPLE_RATE, 0.07 + 0.1 * (white(rng) + 1.0) / 2.0);
    }
    out
}

fn thump(rng: &mut SessionRng) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, 0.6);
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            let body = (TAU * 60.0 * t).sin() * (-t * 9.0).exp();
            let latch = if t < 0.03 { white(rng) * 0.6 * (1.0 - t / 0.03) } else { 0.0 };
            body + latch
        })
        .collect()
}

fn shuffle(rng: &mut SessionRng, seconds: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    let mut high = 0.0f32;
    let mut prev = 0.0f32;
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            let w = white(rng);
            high = 0.7 * (high + w - prev);
            prev = w;
            let flutter = 0.5 + 0.5 * (TAU * 7.0 * t + (TAU * 1.3 * t).sin() * 3.0).sin();
            high * flutter * (std::f32::consts::PI * t / seconds).sin()
        })
        .collect()
}

fn tone(freq: f32, seconds: f32, level: f32) -> Vec<f32> {
    let n = frames(SAMPLE_RATE, seconds);
    (0..n)
        .map(|i| {
            let t = i as f32 / SAMPLE_RATE as f32;
            (TAU * freq * t).sin() * level * (1.0 - t / seconds)
        })
        .collect()
}

fn normalise(mut samples: Vec<f32>, peak: f32) -> Vec<f32> {
    let max = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    if max > 0.0 {
        for s in &mut samples {
            *s *= peak / max;
        }
    }
    samples
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sound_is_a_valid_non_silent_wav_and_deterministic() {
        let library = Library::build(&BTreeMap::new());
        for (id, category) in SOUNDS {
            let audio = library.get(id).expect("in the library");
            assert!(audio.duration_seconds() > 0.1, "{id} lasts");
            assert!(audio.rms() > 0.005, "{id} is not silent (rms {})", audio.rms());
            let wav = audio.to_wav();
            let back = Audio::from_wav(&wav).expect("valid wav");
            assert_eq!(back.samples.len(), audio.samples.len());
            assert_eq!(Library::url(id), Some(format!("/static/audio/voice_effects/{category}/{id}.wav")));
        }
        assert_eq!(synthesise("sigh_heavy"), synthesise("sigh_heavy"));
        assert_ne!(synthesise("sigh_heavy").samples, synthesise("sigh_light").samples);
    }
}

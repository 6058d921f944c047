//! Audio assembly (seed 7c, "assembleur audio"): one file for a prospect turn, with the
//! sounds first, then the speech, and optionally the ambiance under it all. Every part is
//! faded in and out, so no transition clicks.

use crate::audio::{Audio, SAMPLE_RATE, frames};

/// Pause between a sound and what follows.
const GAP_SECONDS: f32 = 0.15;
/// Level of the ambiance under the speech.
const AMBIANCE_GAIN: f32 = 0.35;

/// The mixed turn: `before` sounds in order, the speech, the ambiance looped under.
pub fn assemble(before: &[&Audio], speech: &Audio, ambiance: Option<&Audio>) -> Audio {
    let mut samples = Vec::new();
    for sound in before {
        samples.extend(sound.resampled(SAMPLE_RATE).faded(0.01).samples);
        samples.extend(std::iter::repeat_n(0.0, frames(SAMPLE_RATE, GAP_SECONDS)));
    }
    samples.extend(speech.resampled(SAMPLE_RATE).faded(0.008).samples);
    if let Some(bed) = ambiance.map(|a| a.resampled(SAMPLE_RATE)).filter(|a| !a.samples.is_empty()) {
        let n = samples.len();
        let fade = frames(SAMPLE_RATE, 0.3).min(n / 2).max(1);
        for (i, s) in samples.iter_mut().enumerate() {
            let edge = (i.min(n - 1 - i) as f32 / fade as f32).min(1.0);
            *s += bed.samples[i % bed.samples.len()] * AMBIANCE_GAIN * edge;
        }
    }
    for s in &mut samples {
        *s = s.clamp(-1.0, 1.0);
    }
    Audio { sample_rate: SAMPLE_RATE, samples }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::rms;
    use crate::sounds::synthesise;

    #[test]
    fn the_sound_comes_before_the_speech() {
        let sigh = synthesise("sigh_light");
        let speech =
            Audio { sample_rate: 16_000, samples: (0..16_000).map(|i| (i as f32 * 0.05).sin() * 0.5).collect() };
        let mixed = assemble(&[&sigh], &speech, None);
        let sigh_len = sigh.samples.len();
        let gap = frames(SAMPLE_RATE, GAP_SECONDS);
        assert!(rms(&mixed.samples[..sigh_len]) > 0.01, "the sigh opens the turn");
        assert!(rms(&mixed.samples[sigh_len + gap / 4..sigh_len + gap * 3 / 4]) < 1e-4, "a pause between them");
        assert!(rms(&mixed.samples[sigh_len + gap..]) > 0.1, "then the speech");
        assert!(
            mixed.samples[0].abs() < 1e-3 && mixed.samples.last().is_some_and(|s| s.abs() < 1e-2),
            "no click at the edges"
        );
        let with_bed = assemble(&[], &speech, Some(&synthesise("office_quiet")));
        assert_eq!(with_bed.samples.len(), speech.resampled(SAMPLE_RATE).samples.len());
    }
}

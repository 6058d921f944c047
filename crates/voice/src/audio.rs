//! Mono audio in memory, and the WAV (16-bit PCM) files it reads and writes.

// DSP arithmetic: sample counts and levels are rounded and clamped before every cast.
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]

/// Mono samples in -1.0..=1.0 at `sample_rate`.
#[derive(Debug, Clone, PartialEq)]
pub struct Audio {
    pub sample_rate: u32,
    pub samples: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WavError {
    #[error("not a RIFF/WAVE file")]
    NotWav,
    #[error("unsupported WAV format (only 16-bit PCM is read)")]
    Unsupported,
    #[error("the WAV file has no data chunk")]
    NoData,
}

/// The rate every sound of the library and the offline voice use.
pub const SAMPLE_RATE: u32 = 22_050;

impl Audio {
    pub fn silence(sample_rate: u32, seconds: f32) -> Self {
        Audio { sample_rate, samples: vec![0.0; frames(sample_rate, seconds)] }
    }

    pub fn duration_seconds(&self) -> f32 {
        if self.sample_rate == 0 { 0.0 } else { self.samples.len() as f32 / self.sample_rate as f32 }
    }

    /// Root mean square level.
    pub fn rms(&self) -> f32 {
        rms(&self.samples)
    }

    /// The audio at another sample rate (linear interpolation; fine for speech and effects).
    pub fn resampled(&self, rate: u32) -> Audio {
        if rate == self.sample_rate || self.samples.is_empty() || self.sample_rate == 0 {
            return Audio { sample_rate: rate, samples: self.samples.clone() };
        }
        let ratio = f64::from(self.sample_rate) / f64::from(rate);
        let n = (self.samples.len() as f64 / ratio).floor() as usize;
        let samples = (0..n)
            .map(|i| {
                let pos = i as f64 * ratio;
                let i0 = pos.floor() as usize;
                let frac = (pos - i0 as f64) as f32;
                let a = self.samples[i0.min(self.samples.len() - 1)];
                let b = self.samples[(i0 + 1).min(self.samples.len() - 1)];
                a + (b - a) * frac
            })
            .collect();
        Audio { sample_rate: rate, samples }
    }

    /// Linear fades at both ends, so cuts never click.
    pub fn faded(mut self, seconds: f32) -> Audio {
        let n = frames(self.sample_rate, seconds).min(self.samples.len() / 2);
        for i in 0..n {
            let g = i as f32 / n as f32;
            self.samples[i] *= g;
            let last = self.samples.len() - 1 - i;
            self.samples[last] *= g;
        }
        self
    }

    /// A 16-bit PCM mono WAV file.
    pub fn to_wav(&self) -> Vec<u8> {
        let data_len = u32::try_from(self.samples.len() * 2).unwrap_or(u32::MAX - 44);
        let mut out = Vec::with_capacity(44 + self.samples.len() * 2);
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + data_len).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes()); // PCM
        out.extend_from_slice(&1u16.to_le_bytes()); // mono
        out.extend_from_slice(&self.sample_rate.to_le_bytes());
        out.extend_from_slice(&(self.sample_rate * 2).to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_len.to_le_bytes());
        for s in &self.samples {
            let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads a 16-bit PCM WAV (mono, or stereo mixed down). Tolerates the bogus sizes that
    /// streaming writers (`espeak-ng --stdout`) put in the header.
    pub fn from_wav(bytes: &[u8]) -> Result<Audio, WavError> {
        if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
            return Err(WavError::NotWav);
        }
        let mut at = 12;
        let mut format: Option<(u16, u16, u32, u16)> = None;
        while at + 8 <= bytes.len() {
            let id = &bytes[at..at + 4];
            let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]) as usize;
            let body = at + 8;
            if id == b"fmt " && body + 16 <= bytes.len() {
                let b = &bytes[body..];
                format = Some((
                    u16::from_le_bytes([b[0], b[1]]),
                    u16::from_le_bytes([b[2], b[3]]),
                    u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
                    u16::from_le_bytes([b[14], b[15]]),
                ));
            } else if id == b"data" {
                let (kind, channels, rate, bits) = format.ok_or(WavError::Unsupported)?;
                if kind != 1 || bits != 16 || channels == 0 {
                    return Err(WavError::Unsupported);
                }
                let end = body.saturating_add(size).min(bytes.len());
                let data = &bytes[body..end];
                let channels = usize::from(channels);
                let samples = data
                    .chunks_exact(2 * channels)
                    .map(|frame| {
                        let sum: f32 =
                            frame.chunks_exact(2).map(|c| f32::from(i16::from_le_bytes([c[0], c[1]])) / 32768.0).sum();
                        sum / channels as f32
                    })
                    .collect();
                return Ok(Audio { sample_rate: rate, samples });
            }
            at = body.saturating_add(size + (size & 1));
        }
        Err(WavError::NoData)
    }
}

pub fn frames(sample_rate: u32, seconds: f32) -> usize {
    (sample_rate as f32 * seconds.max(0.0)).round() as usize
}

pub fn rms(samples: &[f32]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    (samples.iter().map(|s| s * s).sum::<f32>() / samples.len() as f32).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wav_round_trip() {
        let audio = Audio { sample_rate: 8000, samples: vec![0.0, 0.5, -0.5, 1.0, -1.0] };
        let back = Audio::from_wav(&audio.to_wav()).expect("wav");
        assert_eq!(back.sample_rate, 8000);
        for (a, b) in audio.samples.iter().zip(&back.samples) {
            assert!((a - b).abs() < 1e-3);
        }
        assert_eq!(Audio::from_wav(b"nope"), Err(WavError::NotWav));
    }

    #[test]
    fn resampling_keeps_the_duration_and_fades_remove_clicks() {
        let audio = Audio { sample_rate: 16_000, samples: vec![0.5; 16_000] };
        let r = audio.resampled(SAMPLE_RATE);
        assert!((r.duration_seconds() - 1.0).abs() < 0.01);
        let f = r.faded(0.01);
        assert_eq!(f.samples[0], 0.0);
        assert!(f.samples.last().is_some_and(|s| s.abs() < 1e-6));
    }
}

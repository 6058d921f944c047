//! Réplique's voice: speech providers (espeak-ng offline by default, ElevenLabs, an
//! OpenAI-compatible API), speech to text, the sound library and the assembly of a
//! prospect's turn into one audio file. What to say and how (annotations, emotions,
//! settings) is decided in `replique_core::voice`; this crate makes the sound.

pub mod audio;
pub mod mix;
pub mod sounds;
pub mod stt;
pub mod tts;

pub use audio::Audio;
pub use sounds::Library;
pub use stt::Stt;
pub use tts::{Tts, TtsConfig, TtsError, VoiceSpec};

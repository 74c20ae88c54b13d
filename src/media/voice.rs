//! Voice clips recorded in the page with `MediaRecorder`.
//!
//! `Recorder::start` asks for the microphone and starts recording;
//! `Recorder::stop` ends it and hands back one Blob. The caller enforces the
//! length limit with its timer (see `protocol::report::MAX_VOICE_MS`).

use std::cell::RefCell;
use std::rc::Rc;

use protocol::LocalizedText;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobEvent, BlobPropertyBag, MediaRecorder, MediaRecorderOptions, MediaStream};

/// Formats the server accepts, in order of preference.
const PREFERRED_TYPES: [&str; 4] = [
    "audio/webm;codecs=opus",
    "audio/webm",
    "audio/mp4",
    "audio/ogg;codecs=opus",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceError {
    /// No `MediaRecorder` or `getUserMedia` in this browser.
    Unsupported,
    PermissionDenied,
    NoMicrophone,
    Failed(String),
}

impl VoiceError {
    pub fn message(&self) -> LocalizedText {
        match self {
            VoiceError::Unsupported => LocalizedText::new(
                "此浏览器不支持录音。您仍可以填写并提交举报的其他内容。",
                "This browser cannot record audio. You can still fill in and send the rest of the report.",
            ),
            VoiceError::PermissionDenied => LocalizedText::new(
                "未获得麦克风权限，无法录音。可在浏览器设置中允许使用麦克风；举报的其他内容不受影响。",
                "Microphone access was refused, so no recording. You can allow it in the browser settings; the rest of the report still works.",
            ),
            VoiceError::NoMicrophone => LocalizedText::new(
                "未找到麦克风，无法录音。举报的其他内容不受影响。",
                "No microphone was found, so no recording. The rest of the report still works.",
            ),
            // The browser's words stay out of the message (they tell a
            // person nothing they can act on).
            VoiceError::Failed(_) => LocalizedText::new(
                "录音没有成功。可以再录一次；举报的其他内容不受影响。",
                "The recording did not work. You can record again; the rest of the report still works.",
            ),
        }
    }

    fn from_js(error: JsValue) -> Self {
        let name = error
            .dyn_ref::<web_sys::DomException>()
            .map(|e| e.name())
            .unwrap_or_default();
        match name.as_str() {
            "NotAllowedError" | "SecurityError" => VoiceError::PermissionDenied,
            "NotFoundError" | "OverconstrainedError" | "NotReadableError" => {
                VoiceError::NoMicrophone
            }
            _ => VoiceError::Failed(
                error
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or(name),
            ),
        }
    }
}

/// A finished clip.
pub struct Recording {
    pub blob: Blob,
    /// The MIME type the browser recorded in, e.g. `audio/webm;codecs=opus`.
    pub mime: String,
    pub duration_ms: u32,
}

/// A recording in progress.
pub struct Recorder {
    recorder: MediaRecorder,
    stream: MediaStream,
    chunks: Rc<RefCell<Vec<Blob>>>,
    mime: String,
    started_at: f64,
    _on_data: Closure<dyn FnMut(BlobEvent)>,
}

impl Recorder {
    pub async fn start() -> Result<Recorder, VoiceError> {
        let window = web_sys::window().ok_or(VoiceError::Unsupported)?;
        let navigator = window.navigator();
        let has_devices = js_sys::Reflect::has(&navigator, &"mediaDevices".into()).unwrap_or(false);
        let has_recorder = js_sys::Reflect::has(&window, &"MediaRecorder".into()).unwrap_or(false);
        if !has_devices || !has_recorder {
            return Err(VoiceError::Unsupported);
        }
        let devices = navigator
            .media_devices()
            .map_err(|_| VoiceError::Unsupported)?;
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_audio(&JsValue::TRUE);
        let request = devices
            .get_user_media_with_constraints(&constraints)
            .map_err(VoiceError::from_js)?;
        let stream: MediaStream = JsFuture::from(request)
            .await
            .map_err(VoiceError::from_js)?
            .unchecked_into();

        let mime = PREFERRED_TYPES
            .into_iter()
            .find(|candidate| MediaRecorder::is_type_supported(candidate))
            .unwrap_or("")
            .to_owned();
        let options = MediaRecorderOptions::new();
        if !mime.is_empty() {
            options.set_mime_type(&mime);
        }
        let recorder = match MediaRecorder::new_with_media_stream_and_media_recorder_options(
            &stream, &options,
        ) {
            Ok(recorder) => recorder,
            Err(error) => {
                stop_tracks(&stream);
                return Err(VoiceError::from_js(error));
            }
        };
        let chunks = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&chunks);
        let on_data = Closure::<dyn FnMut(BlobEvent)>::new(move |event: BlobEvent| {
            if let Some(data) = event.data() {
                if data.size() > 0.0 {
                    sink.borrow_mut().push(data);
                }
            }
        });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        if let Err(error) = recorder.start() {
            stop_tracks(&stream);
            return Err(VoiceError::from_js(error));
        }
        let mime = if mime.is_empty() {
            recorder.mime_type()
        } else {
            mime
        };
        Ok(Recorder {
            recorder,
            stream,
            chunks,
            mime,
            started_at: js_sys::Date::now(),
            _on_data: on_data,
        })
    }

    /// Milliseconds since recording started.
    pub fn elapsed_ms(&self) -> u32 {
        (js_sys::Date::now() - self.started_at).max(0.0) as u32
    }

    /// Stops recording, releases the microphone and returns the clip.
    pub async fn stop(self) -> Result<Recording, VoiceError> {
        let duration_ms = self.elapsed_ms().max(1);
        let recorder = self.recorder.clone();
        let stopped = js_sys::Promise::new(&mut |resolve, _reject| {
            recorder.set_onstop(Some(&resolve));
        });
        let result = self.recorder.stop();
        stop_tracks(&self.stream);
        result.map_err(VoiceError::from_js)?;
        JsFuture::from(stopped).await.map_err(VoiceError::from_js)?;
        self.recorder.set_onstop(None);
        self.recorder.set_ondataavailable(None);

        let parts = js_sys::Array::new();
        for chunk in self.chunks.borrow().iter() {
            parts.push(chunk);
        }
        let options = BlobPropertyBag::new();
        options.set_type(&self.mime);
        let blob = Blob::new_with_blob_sequence_and_options(&parts, &options)
            .map_err(VoiceError::from_js)?;
        if blob.size() <= 0.0 {
            return Err(VoiceError::Failed("empty recording".into()));
        }
        Ok(Recording {
            blob,
            mime: self.mime,
            duration_ms,
        })
    }
}

fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

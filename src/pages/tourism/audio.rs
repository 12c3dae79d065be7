//! The audio guide of a site's page.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::tr;

/// "Nghe thuyết minh": the recording in the guide's language if there is
/// one; else the phone reads the guide aloud (speech synthesis), sentence
/// by sentence, highlighting each; hidden when the phone has no voice for
/// the language.
#[component]
pub(super) fn AudioGuide(
    lang: String,
    audio: Option<String>,
    sentences: StoredValue<Vec<String>>,
    speaking: RwSignal<Option<usize>>,
) -> impl IntoView {
    if let Some(src) = audio {
        return view! {
            <section class="audio-guide" aria-labelledby="audio-title">
                <h2 id="audio-title">{tr(|t| t.site_audio_title)}</h2>
                <audio controls=true preload="none" src=src class="audio-guide__player"></audio>
            </section>
        }
        .into_any();
    }
    let voice = RwSignal::new_local(find_voice(&lang));
    // Voices often arrive after the page: look again when they do.
    if let Some(synth) = synth() {
        let lang = lang.clone();
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            voice.try_set(find_voice(&lang));
        });
        synth.set_onvoiceschanged(Some(cb.as_ref().unchecked_ref()));
        cb.forget();
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Play {
        Stopped,
        Playing,
        Paused,
    }
    let play = RwSignal::new(Play::Stopped);
    let stop = move || {
        if let Some(s) = synth() {
            s.cancel();
        }
        play.try_set(Play::Stopped);
        speaking.try_set(None);
    };
    on_cleanup(move || {
        if let Some(s) = synth() {
            s.cancel();
        }
    });
    let lang_tag = StoredValue::new(lang);
    let start = move |_| {
        let Some(s) = synth() else { return };
        s.cancel();
        let v = voice.get_untracked();
        let all = sentences.get_value();
        let last = all.len().saturating_sub(1);
        for (i, text) in all.into_iter().enumerate() {
            let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(&text) else {
                continue;
            };
            u.set_lang(&lang_tag.get_value());
            if let Some(v) = &v {
                u.set_voice(Some(v));
            }
            let on_start = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                speaking.try_set(Some(i));
            });
            u.set_onstart(Some(on_start.as_ref().unchecked_ref()));
            on_start.forget();
            if i == last {
                let on_end = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                    play.try_set(Play::Stopped);
                    speaking.try_set(None);
                });
                u.set_onend(Some(on_end.as_ref().unchecked_ref()));
                on_end.forget();
            }
            s.speak(&u);
        }
        play.set(Play::Playing);
    };
    let pause = move |_| {
        if let Some(s) = synth() {
            s.pause();
        }
        play.set(Play::Paused);
    };
    let resume = move |_| {
        if let Some(s) = synth() {
            s.resume();
        }
        play.set(Play::Playing);
    };
    view! {
        <Show when=move || voice.with(|v| v.is_some())>
            <section class="audio-guide" aria-labelledby="audio-title">
                <h2 id="audio-title">{tr(|t| t.site_audio_title)}</h2>
                <p class="hint">{tr(|t| t.site_audio_tts)}</p>
                <div class="audio-guide__controls">
                    {move || match play.get() {
                        Play::Stopped => view! {
                            <button type="button" class="btn btn-primary" on:click=start>{tr(|t| t.site_listen)}</button>
                        }.into_any(),
                        Play::Playing => view! {
                            <button type="button" class="btn btn-secondary" on:click=pause>{tr(|t| t.site_pause)}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| stop()>{tr(|t| t.site_stop)}</button>
                        }.into_any(),
                        Play::Paused => view! {
                            <button type="button" class="btn btn-primary" on:click=resume>{tr(|t| t.site_resume)}</button>
                            <button type="button" class="btn btn-secondary" on:click=move |_| stop()>{tr(|t| t.site_stop)}</button>
                        }.into_any(),
                    }}
                </div>
            </section>
        </Show>
    }
    .into_any()
}

fn synth() -> Option<web_sys::SpeechSynthesis> {
    web_sys::window()?.speech_synthesis().ok()
}

/// A voice speaking `lang` (`ko` matches `ko-KR`), if the phone has one.
fn find_voice(lang: &str) -> Option<web_sys::SpeechSynthesisVoice> {
    let want = lang.to_ascii_lowercase();
    synth()?.get_voices().iter().find_map(|v| {
        let v: web_sys::SpeechSynthesisVoice = v.unchecked_into();
        let l = v.lang().to_ascii_lowercase().replace('_', "-");
        (l == want || l.starts_with(&format!("{want}-"))).then_some(v)
    })
}

//! The audio guide of a site's page.

use cuaso_domain::site::{Recording, Voice};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{fill, tr, use_i18n, Strings};

/// "Nghe thuyết minh", and always what is available: the recording in the
/// guide's language if there is one (a machine voice labelled as such);
/// else the phone reads the guide aloud (speech synthesis), sentence by
/// sentence, highlighting each; else it says the phone has no voice for
/// the language and how to add one.
#[component]
pub(super) fn AudioGuide(
    lang: String,
    audio: Option<Recording>,
    sentences: StoredValue<Vec<String>>,
    speaking: RwSignal<Option<usize>>,
) -> impl IntoView {
    if let Some(rec) = audio {
        return view! {
            <section class="audio-guide" aria-labelledby="audio-title">
                <h2 id="audio-title">{tr(|t| t.site_audio_title)}</h2>
                <audio controls=true preload="none" src=rec.src class="audio-guide__player"
                    aria-label=tr(|t| t.site_audio_title)></audio>
                {(rec.voice == Voice::Machine).then(|| view! {
                    <p class="hint audio-guide__machine">{tr(|t| t.site_audio_machine)}</p>
                })}
            </section>
        }
        .into_any();
    }
    let voice = RwSignal::new_local(find_voice(&lang));
    // Voices often arrive after the page: look again when they do, and
    // say there is none only once they are in (or after a moment).
    let known = RwSignal::new(synth().is_none_or(|s| s.get_voices().length() > 0));
    if let Some(synth) = synth() {
        let lang = lang.clone();
        let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            voice.try_set(find_voice(&lang));
            known.try_set(true);
        });
        synth.set_onvoiceschanged(Some(cb.as_ref().unchecked_ref()));
        cb.forget();
        set_timeout(move || { known.try_set(true); }, std::time::Duration::from_millis(1500));
    }
    let missing_lang = lang.clone();
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
        <Show when=move || voice.with(|v| v.is_some())
            fallback=move || known.get().then(|| view! { <NoVoice lang=missing_lang.clone()/> })>
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

/// The phone has no voice for `lang`: says so, and how to add one.
#[component]
fn NoVoice(lang: String) -> impl IntoView {
    let i18n = use_i18n();
    let name = move || {
        let t: &'static Strings = i18n.t();
        match lang.as_str() {
            "en" => t.site_lang_en,
            "ko" => t.site_lang_ko,
            "zh" => t.site_lang_zh,
            _ => t.site_lang_vi,
        }
    };
    let say = move |key: fn(&'static Strings) -> &'static str| {
        let name = name.clone();
        move || fill(key(i18n.t()), &[("lang", name())])
    };
    view! {
        <section class="audio-guide audio-guide--none" aria-labelledby="audio-title">
            <h2 id="audio-title">{tr(|t| t.site_audio_title)}</h2>
            <p>{say(|t| t.site_voice_missing)}</p>
            <p>{say(|t| t.site_voice_how)}</p>
            <ul>
                <li>{say(|t| t.site_voice_android)}</li>
                <li>{say(|t| t.site_voice_iphone)}</li>
            </ul>
            <p class="hint">{tr(|t| t.site_voice_after)}</p>
        </section>
    }
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

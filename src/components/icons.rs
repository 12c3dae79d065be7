//! Inline SVG icons: no icon font, no extra request. All are decorative
//! (`aria-hidden`); the text next to them carries the meaning.

use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Icon {
    Services,
    Track,
    Scan,
    Tourism,
    Feedback,
    Search,
    Back,
    Globe,
    Clock,
    Fee,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            // A building with columns.
            Icon::Services => "M12 3 3 8v2h18V8l-9-5ZM5 12v6h2v-6H5Zm4 0v6h2v-6H9Zm4 0v6h2v-6h-2Zm4 0v6h2v-6h-2ZM3 20v2h18v-2H3Z",
            // A document with a magnifier.
            Icon::Track => "M6 2h9l5 5v6.5a5.5 5.5 0 0 0-2-1.3V8h-4V4H6v16h6.3a5.5 5.5 0 0 0 1.3 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2Zm11.5 12a3.5 3.5 0 0 1 2.9 5.5l2.3 2.3-1.4 1.4-2.3-2.3a3.5 3.5 0 1 1-1.5-6.9Zm0 2a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z",
            // A QR frame.
            Icon::Scan => "M3 3h7v7H3V3Zm2 2v3h3V5H5Zm9-2h7v7h-7V3Zm2 2v3h3V5h-3ZM3 14h7v7H3v-7Zm2 2v3h3v-3H5Zm9-2h3v3h-3v-3Zm4 0h3v3h-3v-3Zm-4 4h3v3h-3v-3Zm4 0h3v3h-3v-3Z",
            // A map pin.
            Icon::Tourism => "M12 2a7 7 0 0 1 7 7c0 5-7 13-7 13S5 14 5 9a7 7 0 0 1 7-7Zm0 4a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z",
            // A speech bubble.
            Icon::Feedback => "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm0 2v11h2v2l2.5-2H20V5H4Zm3 3h10v2H7V8Zm0 4h7v2H7v-2Z",
            Icon::Search => "M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3Zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Z",
            Icon::Back => "M15.4 4.6 14 3.2 5.2 12l8.8 8.8 1.4-1.4L8 12l7.4-7.4Z",
            Icon::Globe => "M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm-2 2.3A8 8 0 0 0 4.1 11h3.9c.1-2.5.8-4.8 2-6.7ZM14 4.3c1.2 1.9 1.9 4.2 2 6.7h3.9A8 8 0 0 0 14 4.3ZM12 4.4c-1.2 1.6-1.9 4-2 6.6h4c-.1-2.6-.8-5-2-6.6ZM4.1 13a8 8 0 0 0 5.9 6.7c-1.2-1.9-1.9-4.2-2-6.7H4.1Zm5.9 0c.1 2.6.8 5 2 6.6 1.2-1.6 1.9-4 2-6.6h-4Zm6 0c-.1 2.5-.8 4.8-2 6.7a8 8 0 0 0 5.9-6.7H16Z",
            Icon::Clock => "M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20Zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16Zm1 3v4.6l3.2 3.2-1.4 1.4-3.8-3.8V7h2Z",
            Icon::Fee => "M4 5h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2Zm0 2v2h16V7H4Zm0 5v5h16v-5H4Zm2 2h5v2H6v-2Z",
        }
    }
}

#[component]
pub fn Svg(icon: Icon) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=icon.path() fill="currentColor"/>
        </svg>
    }
}

//! `/helper/...`: assisted applications by community digital helpers. One
//! component picks the screen from the path.

use leptos::prelude::*;

#[component]
pub fn HelperRoute() -> impl IntoView {
    view! { <h1>"Tổ công nghệ số cộng đồng"</h1> }
}

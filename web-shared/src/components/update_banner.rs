//! "A new version is available": shown when a new build's service worker is
//! waiting; it takes over only when the person agrees.

use leptos::prelude::*;

use crate::i18n::shared;
use crate::sw_client::UpdateHandle;

#[component]
pub fn UpdateBanner(update: UpdateHandle) -> impl IntoView {
    let dismissed = RwSignal::new(false);
    view! {
        <Show when=move || update.is_waiting() && !dismissed.get()>
            <div class="update-banner" role="status">
                <p>{shared(|s| s.update_available)}</p>
                <div class="update-actions">
                    <button type="button" class="button primary" on:click=move |_| update.apply()>
                        {shared(|s| s.update_now)}
                    </button>
                    <button type="button" class="button" on:click=move |_| dismissed.set(true)>
                        {shared(|s| s.update_later)}
                    </button>
                </div>
            </div>
        </Show>
    }
}

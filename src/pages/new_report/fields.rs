//! The form's text and choice fields. Each shows its error beside it, linked
//! with `aria-describedby`, and marks itself `aria-invalid`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::{description, Category, Field, GeoPoint, ReportDraft};

use super::form::Form;
use crate::components::Field as FormField;
use crate::geo;
use crate::i18n::{tr, use_i18n};
use web_shared::format::fixed;
use web_shared::i18n::localized;
use web_shared::time::{from_local_input, now, to_local_input};

/// The error paragraph of a field (empty when there is none).
#[component]
fn FieldError(form: Form, field: Field, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="field-error" id=id>
            {move || form.error(field).map(|message| i18n.locale().text(&message).to_owned())}
        </p>
    }
}

/// The error of `field` in the current language, for a [`FormField`].
fn error_text(form: Form, field: Field) -> Signal<Option<String>> {
    localized(move || form.error(field))
}

fn invalid(form: Form, field: Field) -> impl Fn() -> &'static str + Copy {
    move || {
        if form.error(field).is_some() {
            "true"
        } else {
            "false"
        }
    }
}

#[component]
pub(super) fn CategoryField(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let selected = move || form.draft.with(|d| d.as_ref().and_then(|d| d.category));
    view! {
        <fieldset class="field category-field" aria-describedby="category-error" aria-invalid=invalid(form, Field::Category)>
            <legend>{tr(|s| s.form_category)}</legend>
            <div class="category-options">
                {Category::ALL
                    .into_iter()
                    .map(|category| {
                        let id = format!("category-{}", category.code());
                        let hint_id = format!("{id}-hint");
                        view! {
                            <div class="category-option">
                                <input
                                    type="radio"
                                    name="category"
                                    id=id.clone()
                                    value=category.code()
                                    aria-describedby=hint_id.clone()
                                    prop:checked=move || selected() == Some(category)
                                    on:change=move |_| form.edit(|d| d.category = Some(category))
                                />
                                <label for=id>{move || i18n.locale().label(category.name())}</label>
                                <span class="hint" id=hint_id>{move || i18n.locale().label(category.hint())}</span>
                            </div>
                        }
                    })
                    .collect_view()}
            </div>
            <FieldError form=form field=Field::Category id="category-error" />
        </fieldset>
    }
}

#[component]
pub(super) fn DescriptionField(form: Form) -> impl IntoView {
    let text = move || {
        form.draft.with(|d| {
            d.as_ref()
                .map(|d| d.description.clone())
                .unwrap_or_default()
        })
    };
    let count = move || {
        form.draft.with(|d| {
            d.as_ref()
                .map(|d| description::char_count(&d.description))
                .unwrap_or(0)
        })
    };
    view! {
        <FormField
            id="description"
            label=tr(|s| s.form_description)
            help=tr(|s| s.form_description_help)
            extra=&["description-count"]
            error=error_text(form, Field::Description)
        >
            <textarea
                id="description"
                rows="5"
                maxlength="4000"
                prop:value=text
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    form.edit(|d| d.description = value);
                }
            ></textarea>
        </FormField>
        <p class=move || counter_class(count()) id="description-count">
            {move || format!("{} / {}", count(), description::Description::MAX_CHARS)}
        </p>
    }
}

fn counter_class(count: usize) -> &'static str {
    if count > description::Description::MAX_CHARS {
        "counter over"
    } else {
        "counter"
    }
}

#[component]
pub(super) fn LocationField(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let locating = RwSignal::new(false);
    let geo_error = RwSignal::new(None::<geo::GeoError>);
    let point = move || form.draft.with(|d| d.as_ref().and_then(|d| d.point));
    let address = move || {
        form.draft
            .with(|d| d.as_ref().map(|d| d.address.clone()).unwrap_or_default())
    };
    let locate = move |_| {
        locating.set(true);
        geo_error.set(None);
        spawn_local(async move {
            match geo::current_position().await {
                Ok(reading) => {
                    match GeoPoint::parse(reading.latitude, reading.longitude, reading.accuracy_m) {
                        Ok(point) => form.edit(|d| d.point = Some(point)),
                        Err(_) => geo_error.set(Some(geo::GeoError::Unavailable)),
                    }
                }
                Err(error) => geo_error.set(Some(error)),
            }
            locating.set(false);
        });
    };
    view! {
        <fieldset class="field" aria-describedby="location-help location-error" aria-invalid=invalid(form, Field::Location)>
            <legend>{tr(|s| s.form_location)}</legend>
            <p class="help" id="location-help">{tr(|s| s.form_location_help)}</p>
            <div class="location-actions">
                <button type="button" class="button" on:click=locate disabled=move || locating.get()>
                    {move || if locating.get() { i18n.t().form_locating } else { i18n.t().form_use_position }}
                </button>
            </div>
            {move || point().map(|p| view! {
                <p class="position" role="status">
                    {tr(|s| s.form_position)} ": "
                    {format!("{}, {}", fixed(p.latitude(), 5), fixed(p.longitude(), 5))} " ("
                    {tr(|s| s.form_accuracy)} " " {fixed(p.accuracy_m(), 0)} " " {tr(|s| s.form_meters)} ") "
                    <button type="button" class="link-button" on:click=move |_| form.edit(|d| d.point = None)>
                        {tr(|s| s.form_clear_position)}
                    </button>
                </p>
            })}
            {move || geo_error.get().map(|error| view! {
                <p class="notice" role="alert">{i18n.locale().text(&error.message()).to_owned()}</p>
            })}
            <label for="address">{tr(|s| s.form_address)}</label>
            <input
                id="address"
                type="text"
                maxlength="200"
                autocomplete="street-address"
                prop:value=address
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    form.edit(|d| d.address = value);
                }
            />
            <FieldError form=form field=Field::Location id="location-error" />
        </fieldset>
    }
}

#[component]
pub(super) fn SeenAtField(form: Form) -> impl IntoView {
    let value = move || {
        form.draft.with(|d| {
            d.as_ref()
                .and_then(|d| d.seen_at)
                .map(to_local_input)
                .unwrap_or_default()
        })
    };
    view! {
        <FormField id="seen-at" label=tr(|s| s.form_seen_at) error=error_text(form, Field::SeenAt)>
            <input
                id="seen-at"
                type="datetime-local"
                max=move || to_local_input(now())
                prop:value=value
                on:change=move |ev| {
                    let value = from_local_input(&event_target_value(&ev));
                    form.edit(|d| d.seen_at = value);
                }
            />
        </FormField>
    }
}

#[component]
pub(super) fn ContactField(form: Form) -> impl IntoView {
    view! {
        <fieldset class="field" aria-describedby="contact-help">
            <legend>{tr(|s| s.form_contact)}</legend>
            <p class="help" id="contact-help">{tr(|s| s.form_contact_help)}</p>
            <ContactInput form=form input=NAME_INPUT />
            <ContactInput form=form input=PHONE_INPUT />
        </fieldset>
    }
}

/// One optional contact field: its control, label and draft field.
struct ContactInput {
    id: &'static str,
    kind: &'static str,
    max_length: &'static str,
    autocomplete: &'static str,
    field: Field,
    label: fn(&crate::i18n::Strings) -> &'static str,
    value: fn(&ReportDraft) -> &String,
    value_mut: fn(&mut ReportDraft) -> &mut String,
}

const NAME_INPUT: ContactInput = ContactInput {
    id: "contact-name",
    kind: "text",
    max_length: "50",
    autocomplete: "name",
    field: Field::Name,
    label: |s| s.form_name,
    value: |d| &d.name,
    value_mut: |d| &mut d.name,
};

const PHONE_INPUT: ContactInput = ContactInput {
    id: "contact-phone",
    kind: "tel",
    max_length: "25",
    autocomplete: "tel",
    field: Field::Phone,
    label: |s| s.form_phone,
    value: |d| &d.phone,
    value_mut: |d| &mut d.phone,
};

#[component]
fn ContactInput(form: Form, input: ContactInput) -> impl IntoView {
    let ContactInput {
        id,
        kind,
        max_length,
        autocomplete,
        field,
        label,
        value,
        value_mut,
    } = input;
    let current = move || {
        form.draft
            .with(|d| d.as_ref().map(|d| value(d).clone()).unwrap_or_default())
    };
    view! {
        <FormField id=id label=tr(label) error=error_text(form, field)>
            <input
                id=id
                type=kind
                maxlength=max_length
                autocomplete=autocomplete
                prop:value=current
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    form.edit(|d| *value_mut(d) = typed);
                }
            />
        </FormField>
    }
}

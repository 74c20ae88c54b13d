//! One form field, the same everywhere: its label, an optional help line,
//! the control, and its error line. The control gets `aria-describedby`
//! (help, extra descriptions, error) and `aria-invalid` from here, so every
//! field of every app is announced the same way by a screen reader.

use leptos::attr::{aria_describedby, aria_invalid};
use leptos::prelude::*;

/// The ids of a field's parts, derived from its control's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldIds {
    pub control: &'static str,
}

impl FieldIds {
    pub fn help(self) -> String {
        format!("{}-help", self.control)
    }

    pub fn error(self) -> String {
        format!("{}-error", self.control)
    }

    /// The control's `aria-describedby`: the help (when there is one), the
    /// `extra` ids, then the error.
    pub fn described_by(self, help: bool, extra: &[&str]) -> String {
        let mut ids = Vec::with_capacity(extra.len() + 2);
        if help {
            ids.push(self.help());
        }
        ids.extend(extra.iter().map(|id| (*id).to_owned()));
        ids.push(self.error());
        ids.join(" ")
    }
}

/// A labelled form field. `children` is the control (an `<input>`,
/// `<textarea>` or `<select>`) and must carry `id`; the label points at it.
#[component]
pub fn Field(
    /// The control's id; the help line and the error get `{id}-help` and
    /// `{id}-error`.
    id: &'static str,
    #[prop(into)] label: TextProp,
    #[prop(optional, into)] help: Option<TextProp>,
    /// Ids of further descriptions of the control that the caller shows
    /// after it (a character counter, say).
    #[prop(optional)]
    extra: &'static [&'static str],
    /// The field's error in the current language, if any.
    #[prop(optional, into)]
    error: Option<Signal<Option<String>>>,
    /// Announce the error as soon as it shows (`role="alert"`), for a
    /// field whose error follows a single attempt (a code, say).
    #[prop(optional)]
    alert: bool,
    children: Children,
) -> impl IntoView {
    let ids = FieldIds { control: id };
    let invalid = move || {
        if error.is_some_and(|error| error.with(Option::is_some)) {
            "true"
        } else {
            "false"
        }
    };
    let control = children()
        .add_any_attr(aria_describedby(ids.described_by(help.is_some(), extra)))
        .add_any_attr(aria_invalid(invalid));
    view! {
        <div class="field">
            <label for=id>{move || label.get()}</label>
            {help.map(|help| view! { <p class="help" id=ids.help()>{move || help.get()}</p> })}
            {control}
            <p class="field-error" id=ids.error() role=alert.then_some("alert")>
                {move || error.and_then(|error| error.get())}
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_control_is_described_by_its_help_extras_and_error_in_that_order() {
        let ids = FieldIds {
            control: "description",
        };
        assert_eq!(
            ids.described_by(true, &["description-count"]),
            "description-help description-count description-error"
        );
        assert_eq!(ids.described_by(false, &[]), "description-error");
    }
}

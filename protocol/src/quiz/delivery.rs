//! Sending an event participant's result: what each answer of
//! `PUT /api/v1/quiz/results/{id}` means for the result kept on the device.
//!
//! The PUT is idempotent (the id is made on the device), so a result whose
//! answer was lost is simply sent again; the server answers a repeat like
//! the first time. Only an answer that says the content itself is wrong
//! stops the retries.

/// What to do with a result after an answer (or none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// The server holds it: never send it again.
    Sent,
    /// The server refuses this content: keep it, stop sending, show why.
    Refused,
    /// No answer, overload or a server fault: try again after a backoff.
    Retry,
}

impl Delivery {
    /// The meaning of an HTTP status (`None`: no answer at all).
    pub fn from_status(status: Option<u16>) -> Delivery {
        match status {
            Some(200..=299) => Delivery::Sent,
            // Too many requests or a timeout: the content is fine.
            Some(408 | 429) => Delivery::Retry,
            Some(400..=499) => Delivery::Refused,
            _ => Delivery::Retry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_meaning() {
        assert_eq!(Delivery::from_status(Some(201)), Delivery::Sent);
        assert_eq!(Delivery::from_status(Some(200)), Delivery::Sent);
        for refused in [400, 404, 409, 413, 415, 422] {
            assert_eq!(
                Delivery::from_status(Some(refused)),
                Delivery::Refused,
                "{refused}"
            );
        }
        for retry in [408, 429, 500, 502, 503] {
            assert_eq!(
                Delivery::from_status(Some(retry)),
                Delivery::Retry,
                "{retry}"
            );
        }
        assert_eq!(Delivery::from_status(None), Delivery::Retry);
        // A redirect is not an answer the app can use.
        assert_eq!(Delivery::from_status(Some(302)), Delivery::Retry);
    }
}

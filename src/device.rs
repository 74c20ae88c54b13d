//! What kind of device the page runs on, where the app must say something
//! different (only iPhone and iPad for now: "Add to Home Screen").

/// Whether the page runs on an iPhone, iPod or iPad (every browser there is
/// WebKit, and Safari's Add to Home Screen keeps the app's data).
pub fn is_ios() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let navigator = window.navigator();
    let agent = navigator.user_agent().unwrap_or_default();
    is_ios_agent(&agent, navigator.max_touch_points())
}

/// iPadOS 13 and later says "Macintosh" like a Mac; only its touch screen
/// tells them apart.
fn is_ios_agent(agent: &str, touch_points: i32) -> bool {
    ["iPhone", "iPad", "iPod"]
        .iter()
        .any(|device| agent.contains(device))
        || (agent.contains("Macintosh") && touch_points > 1)
}

#[cfg(test)]
mod tests {
    use super::is_ios_agent;

    #[test]
    fn iphones_ipads_and_in_app_browsers_there_are_ios() {
        let agents = [
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800323a) NetType/WIFI Language/zh_CN",
            "Mozilla/5.0 (iPad; CPU OS 12_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
        ];
        for agent in agents {
            assert!(is_ios_agent(agent, 5), "{agent}");
        }
        let ipad_os = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
        assert!(is_ios_agent(ipad_os, 5));
        assert!(!is_ios_agent(ipad_os, 0), "a Mac");
    }

    #[test]
    fn android_and_desktop_browsers_are_not() {
        let agents = [
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
        ];
        for agent in agents {
            assert!(!is_ios_agent(agent, 5), "{agent}");
        }
    }
}

//! One VK message through the VK API's `messages.send`, at `[vk] api_base`.
//! POSTed, so the access token never lands in a proxy's URL log.

use crate::config::VkConfig;
use std::time::Duration;

/// The whole request, connecting included: the sender's page waits for it.
const TIMEOUT: Duration = Duration::from_secs(5);
/// The API version whose `messages.send` takes `domain` and requires `random_id`.
const API_VERSION: &str = "5.199";

#[derive(Debug, thiserror::Error)]
pub enum VkError {
    /// The API could not be reached: later messages of the same batch would fail the same way.
    #[error("API ВКонтакте недоступен: {0}")]
    Unreachable(String),
    /// The API answered with an error for this receiver.
    #[error("ВКонтакте отказал: {0}")]
    Refused(String),
}

pub struct Vk {
    agent: ureq::Agent,
    url: String,
    token: String,
}

impl Vk {
    pub fn new(config: &VkConfig) -> Vk {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(false)
            .build()
            .into();
        Vk {
            agent,
            url: format!("{}/messages.send", config.api_base.trim_end_matches('/')),
            token: config.access_token.clone(),
        }
    }

    /// Sends `message` to the user whose short address is `domain` (`vk.com/<domain>`).
    pub fn send(&self, domain: &str, message: &str) -> Result<(), VkError> {
        let random_id = random_id().to_string();
        let unreachable = |e: ureq::Error| VkError::Unreachable(e.to_string());
        let mut resp = self
            .agent
            .post(&self.url)
            .send_form([
                ("v", API_VERSION),
                ("access_token", self.token.as_str()),
                ("domain", domain),
                ("message", message),
                ("random_id", random_id.as_str()),
            ])
            .map_err(unreachable)?;
        let status = resp.status();
        let text = resp.body_mut().read_to_string().map_err(unreachable)?;
        if !status.is_success() {
            return Err(VkError::Unreachable(format!("HTTP {}", status.as_u16())));
        }
        answer(&text)
    }
}

/// The API answers 200 with either `{"response": …}` or `{"error": {"error_msg": …}}`.
fn answer(text: &str) -> Result<(), VkError> {
    let json: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| VkError::Unreachable("ответ API не в формате JSON".into()))?;
    if json.get("response").is_some() {
        return Ok(());
    }
    let message = json
        .pointer("/error/error_msg")
        .and_then(|m| m.as_str())
        .unwrap_or("неизвестная ошибка");
    Err(VkError::Refused(message.to_string()))
}

/// VK drops a message whose `random_id` repeats one already sent; it only has to be unique.
fn random_id() -> i32 {
    let mut bytes = [0u8; 4];
    getrandom::getrandom(&mut bytes).expect("the OS random number generator failed");
    i32::from_le_bytes(bytes) & i32::MAX
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_answers() {
        assert!(answer(r#"{"response": 17}"#).is_ok());
        let refused = answer(r#"{"error": {"error_code": 901, "error_msg": "Can't send"}}"#);
        assert!(matches!(refused, Err(VkError::Refused(m)) if m == "Can't send"));
        assert!(matches!(answer("<html>"), Err(VkError::Unreachable(_))));
    }
}

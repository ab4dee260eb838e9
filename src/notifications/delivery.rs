//! Delivery of a notification (the original had it switched off): one e-mail to every parent whose
//! bitmask has e-mail, one VK message per parent with VK; SMS is never sent. Each channel works
//! only when configured; the outcome per receiver is kept as the notification's `receivers` text,
//! one line per address (`a@b.ru: отправлено`) — the e-mails first, then the VK links, as the
//! original listed them.

use super::Channel;
use super::vk::{Vk, VkError};
use crate::config::Config;
use crate::mail::{self, Letter};

/// What delivery needs of a parent.
#[derive(Debug, Clone)]
pub struct Parent {
    pub email: Option<String>,
    pub vk_link: Option<String>,
    pub notification_types: i32,
}

/// The distinct addresses to notify, in the order the parents were given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Receivers {
    pub emails: Vec<String>,
    /// Full links as stored (`vk.com/<domain>`).
    pub vk_links: Vec<String>,
}

impl Receivers {
    pub fn of(parents: &[Parent]) -> Receivers {
        let mut r = Receivers::default();
        for p in parents {
            let wanted = |c: Channel| c.is_in(p.notification_types);
            if let Some(email) = p.email.as_deref().filter(|_| wanted(Channel::Email)) {
                push_new(&mut r.emails, email);
            }
            if let Some(link) = p.vk_link.as_deref().filter(|_| wanted(Channel::Vk)) {
                push_new(&mut r.vk_links, link);
            }
        }
        r
    }
}

fn push_new(list: &mut Vec<String>, value: &str) {
    let value = value.trim();
    if !value.is_empty() && !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Sent,
    Failed(String),
    /// The channel is not configured in `crmit.toml`.
    NotConfigured,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub channel: Channel,
    pub address: String,
    pub status: Status,
}

impl Outcome {
    fn line(&self) -> String {
        let status = match &self.status {
            Status::Sent => "отправлено".to_string(),
            Status::Failed(reason) => format!("ошибка: {}", one_line(reason)),
            Status::NotConfigured => {
                format!("не отправлено ({} не настроено)", self.channel.name())
            }
        };
        format!("{}: {status}", self.address)
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Everything that happened to one notification's receivers.
#[derive(Debug, Default)]
pub struct Report(pub Vec<Outcome>);

impl Report {
    /// The `receivers` column: "" when nobody was to be notified.
    pub fn receivers_text(&self) -> String {
        self.0
            .iter()
            .map(Outcome::line)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// One line per channel that had receivers, for the sender's flash.
    pub fn summary(&self) -> Vec<String> {
        [Channel::Email, Channel::Vk]
            .into_iter()
            .filter_map(|channel| {
                let of: Vec<&Outcome> = self.0.iter().filter(|o| o.channel == channel).collect();
                let sent = of.iter().filter(|o| o.status == Status::Sent).count();
                let name = channel.name();
                match of.first()?.status {
                    Status::NotConfigured => Some(format!(
                        "{name}: отправка не настроена, не отправлено адресатов: {}",
                        of.len()
                    )),
                    _ => Some(format!("{name}: отправлено {sent} из {}", of.len())),
                }
            })
            .collect()
    }
}

/// Sends `subject` and `body` to `receivers` over every configured channel. Never fails: a channel
/// that fails is recorded in the report, and the notification is stored all the same.
pub fn deliver(config: &Config, receivers: &Receivers, subject: &str, body: &str) -> Report {
    let mut report = Report::default();
    if !receivers.emails.is_empty() {
        // One letter to all: the same outcome for every address.
        let status = match &config.mail {
            None => Status::NotConfigured,
            Some(mail_config) => {
                let letter = Letter {
                    to: &receivers.emails,
                    subject,
                    body,
                    attachment: None,
                };
                match mail::send(mail_config, letter) {
                    Ok(()) => Status::Sent,
                    Err(e) => Status::Failed(e.to_string()),
                }
            }
        };
        for email in &receivers.emails {
            report.0.push(Outcome {
                channel: Channel::Email,
                address: email.clone(),
                status: status.clone(),
            });
        }
    }
    let vk = config.vk.as_ref().map(Vk::new);
    let text = format!("{subject}\n{body}");
    // Once the API is unreachable the rest would only wait for the same timeout.
    let mut unreachable: Option<String> = None;
    for link in &receivers.vk_links {
        let status = match (&vk, &unreachable) {
            (None, _) => Status::NotConfigured,
            (Some(_), Some(reason)) => Status::Failed(reason.clone()),
            (Some(vk), None) => match vk.send(vk_domain(link), &text) {
                Ok(()) => Status::Sent,
                Err(e @ VkError::Unreachable(_)) => {
                    unreachable = Some(e.to_string());
                    Status::Failed(e.to_string())
                }
                Err(e) => Status::Failed(e.to_string()),
            },
        };
        report.0.push(Outcome {
            channel: Channel::Vk,
            address: link.clone(),
            status,
        });
    }
    report
}

/// The short address the VK API takes: the link without `vk.com/`.
fn vk_domain(link: &str) -> &str {
    link.strip_prefix("vk.com/").unwrap_or(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent(email: &str, vk: &str, mask: i32) -> Parent {
        let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
        Parent {
            email: opt(email),
            vk_link: opt(vk),
            notification_types: mask,
        }
    }

    #[test]
    fn receivers_follow_the_bitmask() {
        let r = Receivers::of(&[
            parent("a@x.ru", "vk.com/a", 1),
            parent("b@x.ru", "vk.com/b", 2),
            parent("c@x.ru", "vk.com/c", 7),
            parent("a@x.ru", "", 5),
            parent("", "vk.com/d", 4),
            parent("e@x.ru", "vk.com/e", 0),
        ]);
        assert_eq!(r.emails, ["a@x.ru", "c@x.ru"]);
        assert_eq!(r.vk_links, ["vk.com/b", "vk.com/c"]);
        assert_eq!(vk_domain("vk.com/id_1"), "id_1");
    }

    #[test]
    fn receivers_text_has_one_line_per_address() {
        let report = Report(vec![
            Outcome {
                channel: Channel::Email,
                address: "a@x.ru".into(),
                status: Status::Sent,
            },
            Outcome {
                channel: Channel::Vk,
                address: "vk.com/b".into(),
                status: Status::Failed("нет\nсвязи".into()),
            },
            Outcome {
                channel: Channel::Vk,
                address: "vk.com/c".into(),
                status: Status::Sent,
            },
        ]);
        assert_eq!(
            report.receivers_text(),
            "a@x.ru: отправлено\nvk.com/b: ошибка: нет связи\nvk.com/c: отправлено"
        );
        assert_eq!(
            report.summary(),
            ["email: отправлено 1 из 1", "ВКонтакте: отправлено 1 из 2"]
        );
        assert_eq!(Report::default().receivers_text(), "");
    }
}

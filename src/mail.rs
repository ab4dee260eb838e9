//! E-mail over SMTP with the `[mail]` settings of `crmit.toml`: notifications to parents
//! (the original had delivery switched off) and the dump mailed by `crmit dump`. Every network
//! step has a short timeout, so a dead mail server costs a page a few seconds, never a hang.

use crate::config::MailConfig;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as Part, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::time::Duration;

/// Connecting and each SMTP command; web pages wait for it, so it stays short.
const TIMEOUT: Duration = Duration::from_secs(5);

/// A file sent with the letter.
pub struct Attachment {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// One plain-text letter. The receivers are blind copies: parents never see each other's
/// addresses.
pub struct Letter<'a> {
    pub to: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    pub attachment: Option<Attachment>,
}

/// Why a letter did not go, in Russian for the page and the stored outcome.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("неверный адрес {0}")]
    Address(String),
    #[error("неверная настройка [mail] security = {0:?}: ожидается tls, starttls или none")]
    Security(String),
    #[error("не удалось составить письмо: {0}")]
    Build(String),
    #[error("отправка по SMTP не удалась: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
}

pub fn send(config: &MailConfig, letter: Letter) -> Result<(), MailError> {
    let message = compose(config, letter)?;
    transport(config)?.send(&message)?;
    Ok(())
}

fn mailbox(address: &str) -> Result<Mailbox, MailError> {
    address
        .trim()
        .parse()
        .map_err(|_| MailError::Address(address.to_string()))
}

fn compose(config: &MailConfig, letter: Letter) -> Result<Message, MailError> {
    let mut builder = Message::builder()
        .from(mailbox(&config.from)?)
        .subject(letter.subject)
        .date_now();
    for to in letter.to {
        builder = builder.bcc(mailbox(to)?);
    }
    let text = SinglePart::plain(letter.body.to_string());
    let built = match letter.attachment {
        None => builder.singlepart(text),
        Some(a) => {
            let content_type =
                ContentType::parse(a.content_type).map_err(|e| MailError::Build(e.to_string()))?;
            let file = Part::new(a.file_name).body(a.bytes, content_type);
            builder.multipart(MultiPart::mixed().singlepart(text).singlepart(file))
        }
    };
    built.map_err(|e| MailError::Build(e.to_string()))
}

fn transport(config: &MailConfig) -> Result<SmtpTransport, MailError> {
    let tls = || TlsParameters::new(config.host.clone());
    let tls = match config.security.as_str() {
        "tls" => Tls::Wrapper(tls()?),
        "starttls" => Tls::Required(tls()?),
        "none" => Tls::None,
        other => return Err(MailError::Security(other.to_string())),
    };
    let mut builder = SmtpTransport::builder_dangerous(config.host.as_str())
        .port(config.port)
        .tls(tls)
        .timeout(Some(TIMEOUT));
    if !config.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            config.username.clone(),
            config.password.clone(),
        ));
    }
    Ok(builder.build())
}

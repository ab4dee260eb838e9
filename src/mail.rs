//! E-mail over SMTP with the `[mail]` settings of `crmit.toml`: notifications to parents
//! (the original had delivery switched off) and the dump mailed by `crmit dump`. Every network
//! step has a short timeout, so a dead mail server costs a page a few seconds, never a hang.

use crate::config::MailConfig;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as Part, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use std::path::{Path, PathBuf};
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
    #[error("не удалось прочитать сертификаты [mail] ca_file = {}: {reason}", path.display())]
    CaFile { path: PathBuf, reason: String },
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

/// The server's certificate must chain to a public root (webpki-roots) or to one of `ca_file`.
fn tls_parameters(config: &MailConfig) -> Result<TlsParameters, MailError> {
    let builder = TlsParameters::builder(config.host.clone());
    let Some(path) = &config.ca_file else {
        return Ok(builder.build()?);
    };
    let refused = |reason: String| MailError::CaFile {
        path: path.clone(),
        reason,
    };
    let certificate = read_certificates(path).map_err(refused)?;
    builder
        .add_root_certificate(certificate)
        .build()
        .map_err(|e| refused(format!("сертификат не принят: {e}")))
}

fn read_certificates(path: &Path) -> Result<Certificate, String> {
    let pem = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "файл не найден".to_string(),
        std::io::ErrorKind::PermissionDenied => "нет прав на чтение файла".to_string(),
        _ => e.to_string(),
    })?;
    // `from_pem` takes a file without any certificate as an empty list, which would fail later as
    // an unknown server certificate instead of saying what is wrong.
    let marker = b"-----BEGIN CERTIFICATE-----";
    if !pem.windows(marker.len()).any(|w| w == marker) {
        return Err("в файле нет сертификата в формате PEM (-----BEGIN CERTIFICATE-----)".into());
    }
    Certificate::from_pem(&pem).map_err(|e| format!("неверный PEM: {e}"))
}

fn transport(config: &MailConfig) -> Result<SmtpTransport, MailError> {
    let tls = || tls_parameters(config);
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

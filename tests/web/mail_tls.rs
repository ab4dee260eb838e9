//! Notifications mailed over TLS to a real SMTP server (aiosmtpd, `common::smtp`) whose
//! certificate is signed by a test CA: with `[mail] ca_file` trusting that CA the letter arrives
//! over STARTTLS and over implicit TLS; a server certificate the config does not trust (another
//! CA, or only the public roots) is refused before anything is sent, the page's outcome says why
//! in Russian and the notification is stored with it. `ca_file` problems (missing, not PEM) are
//! reported the same way.

use crate::common;
use crate::notifications::{Family, family, html, notify, stored};

use common::mail::{Part, decode_words};
use common::smtp::{Security, TlsSmtp};
use common::{TestDb, WebClient};
use std::path::Path;

/// On a seeded database: the notifications' family, the TLS server and a master logged in.
fn setup(db: &TestDb) -> (Family, TlsSmtp, WebClient<'_>) {
    let f = family(db);
    (f, TlsSmtp::start(), WebClient::login(db, "ma1", "12"))
}

#[test]
fn a_notification_reaches_the_server_over_starttls_and_implicit_tls() {
    let db = TestDb::seeded();
    let (f, smtp, mut master) = setup(&db);
    // A relative ca_file is read beside the config file.
    std::fs::copy(&smtp.ca_file, db.dir.path().join("smtp-ca.pem")).unwrap();
    let cases = [
        (Security::StartTls, smtp.ca_file.as_path()),
        (Security::Tls, Path::new("smtp-ca.pem")),
    ];
    for (i, (security, ca_file)) in cases.into_iter().enumerate() {
        db.rewrite_config(&smtp.mail_section(security, Some(ca_file)));
        let subject = format!("Собрание ({security:?})");
        let body = "Собрание в пятницу в 18:00.\nПриходите, пожалуйста!";
        let r = notify(&mut master, f.group, "0", &subject, body);
        assert_eq!(r.status, 302, "{security:?}: {}", r.text());
        let receivers = &stored(&db)[i].5;
        assert!(
            receivers.starts_with("mom@x.ru: отправлено\nother@x.ru: отправлено\n"),
            "{security:?}: {receivers}"
        );
        let mails = smtp.received();
        assert_eq!(mails.len(), i + 1, "{security:?}: {mails:?}");
        let mail = &mails[i];
        assert_eq!(mail.from, "crmit@cmit.example");
        assert_eq!(mail.to, ["mom@x.ru", "other@x.ru"]);
        let message = Part::parse(&mail.data);
        assert_eq!(decode_words(&message.header("Subject").unwrap()), subject);
        assert_eq!(message.text(), body.replace("\r\n", "\n"));
        assert!(
            !mail.data.contains("mom@x.ru"),
            "blind copies: {}",
            mail.data
        );
    }
}

#[test]
fn an_untrusted_server_certificate_is_refused_and_nothing_is_lost() {
    let db = TestDb::seeded();
    let (f, smtp, mut master) = setup(&db);
    let not_pem = db.dir.path().join("not-a-certificate.pem");
    std::fs::write(&not_pem, "не сертификат\n").unwrap();
    let missing = db.dir.path().join("missing.pem");
    let refused = "ошибка: отправка по SMTP не удалась".to_string();
    let unreadable = |path: &Path, reason: &str| {
        format!(
            "ошибка: не удалось прочитать сертификаты [mail] ca_file = {}: {reason}",
            path.display()
        )
    };
    let cases = [
        (
            Security::StartTls,
            Some(smtp.other_ca_file.as_path()),
            refused.clone(),
        ),
        (
            Security::Tls,
            Some(smtp.other_ca_file.as_path()),
            refused.clone(),
        ),
        // The public roots alone do not know the test CA.
        (Security::StartTls, None, refused.clone()),
        (Security::Tls, None, refused),
        (
            Security::Tls,
            Some(missing.as_path()),
            unreadable(&missing, "файл не найден"),
        ),
        (
            Security::StartTls,
            Some(not_pem.as_path()),
            unreadable(&not_pem, "в файле нет сертификата в формате PEM"),
        ),
    ];
    for (i, (security, ca_file, error)) in cases.into_iter().enumerate() {
        db.rewrite_config(&smtp.mail_section(security, ca_file));
        let subject = format!("Тема {i}");
        let r = notify(&mut master, f.group, "0", &subject, "Текст");
        assert_eq!(r.status, 302, "{security:?} {ca_file:?}: {}", r.text());
        let rows = stored(&db);
        assert_eq!(rows.len(), i + 1, "every notification is stored");
        assert_eq!(
            (rows[i].3.as_str(), rows[i].4.as_str()),
            (&subject[..], "Текст")
        );
        let lines: Vec<&str> = rows[i].5.lines().collect();
        for (line, address) in lines.iter().zip(["mom@x.ru", "other@x.ru"]) {
            assert!(
                line.starts_with(&format!("{address}: {error}")),
                "{security:?} {ca_file:?}: {lines:?}"
            );
        }
        // The page after the redirect says so, and the list shows each address's reason.
        let list = html(&master.get("/notifications/list"));
        assert!(list.contains("email: отправлено 0 из 2"), "{list}");
        assert!(list.contains(&format!("<li>{}</li>", lines[0])), "{list}");
        assert_eq!(smtp.received().len(), 0, "{security:?} {ca_file:?}");
    }
    let lines = stored(&db)[0].5.clone();
    assert!(
        lines.to_lowercase().contains("certificate"),
        "the reason names the certificate: {lines}"
    );
}

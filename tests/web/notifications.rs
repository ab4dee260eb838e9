//! Notifications (stored, and delivered by e-mail and VK) and the dump mailed by `crmit dump`,
//! through the CGI binary and the CLI, with real local servers: an SMTP sink started in the test
//! (enough of RFC 5321 to take messages) and an HTTP server standing in for the VK API. Checks the receivers from the
//! parents' bitmasks, what arrives (recipients, subject, body, attachment), the stored outcome per
//! receiver, failing and unconfigured channels, access and validation.

use crate::common;

use crate::common::db::query_one;
use crate::common::fixture::{
    ParentRow, add_child, add_member, add_parent_row, add_student, add_teacher, group_id, user_id,
};
use common::mail::{Mail, Part, decode_words};
use common::{CgiRequest, TestDb, WebClient};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
/// A server on a free local port that runs `session` for each connection, one after another;
/// the session records what it received in the shared list.
fn serve<T: Send + 'static>(
    session: fn(TcpStream, &Mutex<Vec<T>>) -> std::io::Result<()>,
) -> (u16, Arc<Mutex<Vec<T>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let records = Arc::new(Mutex::new(Vec::new()));
    let store = Arc::clone(&records);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = session(stream, &store);
        }
    });
    (port, records)
}

// ---------------------------------------------------------------------------------------------
// An SMTP sink: accepts every session and keeps each message it is given.

struct SmtpSink {
    port: u16,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        let (port, mails) = serve(smtp_session);
        SmtpSink { port, mails }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

fn smtp_session(stream: TcpStream, store: &Mutex<Vec<Mail>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    out.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut mail = Mail::default();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            mail = Mail {
                from: angle_address(&command[10..]),
                ..Mail::default()
            };
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            mail.to.push(angle_address(&command[8..]));
            b"250 OK\r\n"
        } else if upper == "DATA" {
            out.write_all(b"354 go ahead\r\n")?;
            loop {
                let mut data_line = String::new();
                if reader.read_line(&mut data_line)? == 0 {
                    return Ok(());
                }
                if data_line == ".\r\n" {
                    break;
                }
                let unstuffed = data_line.strip_prefix('.').unwrap_or(&data_line);
                mail.data.push_str(unstuffed);
            }
            store.lock().unwrap().push(mail.clone());
            b"250 queued\r\n"
        } else if upper == "QUIT" {
            out.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            b"250 OK\r\n"
        };
        out.write_all(reply)?;
    }
}

fn angle_address(s: &str) -> String {
    let s = s.trim().trim_start_matches('<');
    s.split('>').next().unwrap().to_string()
}

// ---------------------------------------------------------------------------------------------
// A stand-in for the VK API: answers `messages.send`, refusing the domain `blocked`.

#[derive(Debug, Clone)]
struct VkCall {
    path: String,
    form: Vec<(String, String)>,
}

impl VkCall {
    fn field(&self, name: &str) -> &str {
        let found = self.form.iter().find(|(k, _)| k == name);
        found.map(|(_, v)| v.as_str()).unwrap_or("")
    }
}

struct VkApi {
    port: u16,
    calls: Arc<Mutex<Vec<VkCall>>>,
}

impl VkApi {
    fn start() -> VkApi {
        let (port, calls) = serve(http_exchange);
        VkApi { port, calls }
    }

    fn calls(&self) -> Vec<VkCall> {
        self.calls.lock().unwrap().clone()
    }
}

fn http_exchange(stream: TcpStream, store: &Mutex<Vec<VkCall>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let call = VkCall {
        path: request_line.split(' ').nth(1).unwrap_or("").to_string(),
        form: serde_urlencoded::from_bytes(&body).unwrap(),
    };
    let answer = if call.field("domain") == "blocked" {
        r#"{"error":{"error_code":901,"error_msg":"Can't send messages for users without permission"}}"#
    } else {
        r#"{"response":42}"#
    };
    store.lock().unwrap().push(call);
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    )
}

// ---------------------------------------------------------------------------------------------
// The test world.

/// робо-71 with st1 (mother: e-mail + VK; father: sms only) and st2 (a parent with e-mail and a
/// VK page that the API refuses).
pub(super) struct Family {
    pub(super) group: u32,
    st1_member: u32,
    st2_member: u32,
}

pub(super) fn family(db: &TestDb) -> Family {
    let group = group_id(db, "робо-71");
    let st1 = common::fixture::student_id(db, "st1");
    let st1_member = query_one(
        db,
        "SELECT id FROM student_in_groups WHERE student_id = ?",
        (st1,),
    );
    let mom = add_parent_row(
        db,
        "Мама Ученика",
        ParentRow {
            email: Some("mom@x.ru"),
            vk_link: Some("vk.com/mom_vk"),
            notification_types: 3,
            ..ParentRow::default()
        },
    );
    let dad = add_parent_row(
        db,
        "Папа Ученика",
        ParentRow {
            email: Some("dad@x.ru"),
            vk_link: None,
            notification_types: 4,
            ..ParentRow::default()
        },
    );
    add_child(db, st1, mom, true);
    add_child(db, st1, dad, false);
    let st2 = add_student(db, "st2", "Второй Ученик");
    let st2_member = add_member(db, st2, group, 0, 8, 16);
    let other = add_parent_row(
        db,
        "Другой Родитель",
        ParentRow {
            email: Some("other@x.ru"),
            vk_link: Some("vk.com/blocked"),
            notification_types: 3,
            ..ParentRow::default()
        },
    );
    add_child(db, st2, other, true);
    Family {
        group,
        st1_member,
        st2_member,
    }
}

fn configure(db: &TestDb, smtp_port: u16, vk_port: u16) {
    db.append_config(&format!(
        "\n[mail]\nhost = \"127.0.0.1\"\nport = {smtp_port}\nfrom = \"crmit@cmit.example\"\nsecurity = \"none\"\n\n[vk]\naccess_token = \"vk-token\"\napi_base = \"http://127.0.0.1:{vk_port}/method\"\n"
    ));
}

/// A port on which nothing listens.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(super) fn send_path(group: u32) -> String {
    format!("/notifications/send?group_id={group}")
}

pub(super) fn notify(
    web: &mut WebClient,
    group: u32,
    receiver: &str,
    subject: &str,
    body: &str,
) -> common::CgiResponse {
    let path = send_path(group);
    web.submit(
        &path,
        &path,
        &[("receiver", receiver), ("subject", subject), ("body", body)],
    )
}

/// (sender_id, receiver_type, receiver_id, subject, body, receivers) of every notification.
pub(super) type Stored = (u32, i32, u32, String, String, String);

pub(super) fn stored(db: &TestDb) -> Vec<Stored> {
    mysql::prelude::Queryable::exec(
        &mut db.conn(),
        "SELECT sender_id, receiver_type, receiver_id, subject, body, receivers FROM notifications ORDER BY id",
        (),
    )
    .unwrap()
}

/// Page text with the template's escaping of `/` and `'` undone.
pub(super) fn html(r: &common::CgiResponse) -> String {
    r.text().replace("&#x2f;", "/").replace("&#x27;", "'")
}

// ---------------------------------------------------------------------------------------------

#[test]
fn a_group_notification_is_mailed_and_sent_through_vk() {
    let db = TestDb::seeded();
    let f = family(&db);
    let (smtp, vk) = (SmtpSink::start(), VkApi::start());
    configure(&db, smtp.port, vk.port);
    let mut master = WebClient::login(&db, "ma1", "12");

    let page = master.get(&send_path(f.group));
    assert_eq!(page.status, 200, "{}", page.text());
    let text = html(&page);
    assert!(
        text.contains("<title>отправка уведомления. робо-71</title>"),
        "{text}"
    );
    assert!(
        text.contains("<option value=\"0\" selected>робо-71 (учеников: 2)</option>"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "<option value=\"{}\">Второй Ученик</option>",
        f.st2_member
    )));
    assert!(text.contains("Мама Ученика: email / ВКонтакте"));
    assert!(text.contains("Папа Ученика: sms"));
    assert!(
        text.contains("email: письма родителям <b>отправляются</b>"),
        "{text}"
    );
    assert!(text.contains("ВКонтакте: сообщения родителям <b>отправляются</b>"));

    let body = "Собрание в пятницу в 18:00.\nПриходите, пожалуйста!";
    let r = notify(&mut master, f.group, "0", "Собрание родителей", body);
    assert_eq!(r.status, 302, "{}", r.text());
    assert_eq!(r.location(), Some("/notifications/list"));

    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert_eq!(mail.from, "crmit@cmit.example");
    assert_eq!(mail.to, ["mom@x.ru", "other@x.ru"]);
    let message = Part::parse(&mail.data);
    assert_eq!(
        decode_words(&message.header("Subject").unwrap()),
        "Собрание родителей"
    );
    assert_eq!(
        message.header("From").as_deref(),
        Some("crmit@cmit.example")
    );
    assert_eq!(message.header("To"), None, "parents see no other addresses");
    assert!(!mail.data.contains("mom@x.ru"), "{}", mail.data);
    assert_eq!(message.parts()[0].text(), body);

    let calls = vk.calls();
    let domains: Vec<&str> = calls.iter().map(|c| c.field("domain")).collect();
    assert_eq!(domains, ["mom_vk", "blocked"]);
    for call in &calls {
        assert_eq!(call.path, "/method/messages.send");
        assert_eq!(call.field("access_token"), "vk-token");
        assert_eq!(call.field("message"), format!("Собрание родителей\n{body}"));
        assert!(!call.field("v").is_empty() && !call.field("random_id").is_empty());
    }

    let ma = user_id(&db, "ma1");
    let receivers = "mom@x.ru: отправлено\nother@x.ru: отправлено\nvk.com/mom_vk: отправлено\n\
        vk.com/blocked: ошибка: ВКонтакте отказал: Can't send messages for users without permission";
    assert_eq!(
        stored(&db),
        [(
            ma,
            1,
            f.group,
            "Собрание родителей".to_string(),
            body.to_string(),
            receivers.to_string()
        )]
    );
    let list = html(&master.get("/notifications/list"));
    assert!(list.contains("уведомление отправлено!"), "{list}");
    assert!(list.contains("email: отправлено 2 из 2"));
    assert!(list.contains("ВКонтакте: отправлено 1 из 2"));
    assert!(list.contains("<li>mom@x.ru: отправлено</li>"), "{list}");
    assert!(list.contains("<li>vk.com/blocked: ошибка: ВКонтакте отказал:"));
    assert!(list.contains(">робо-71</a>"));
    assert!(
        list.contains("Руководитель Иван Иванович</a> <span class=\"muted\">(руководитель)</span>")
    );
}

#[test]
fn a_notification_to_one_student_reaches_only_that_students_parents() {
    let db = TestDb::seeded();
    let f = family(&db);
    let (smtp, vk) = (SmtpSink::start(), VkApi::start());
    configure(&db, smtp.port, vk.port);
    let mut teacher = WebClient::login(&db, "te1", "12");
    let member = f.st1_member.to_string();
    let r = notify(
        &mut teacher,
        f.group,
        &member,
        "Оплата",
        "Напоминаем об оплате.",
    );
    assert_eq!(r.status, 302, "{}", r.text());
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["mom@x.ru"]);
    let calls = vk.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].field("domain"), "mom_vk");
    let rows = stored(&db);
    assert_eq!((rows[0].1, rows[0].2), (2, f.st1_member));
    assert_eq!(rows[0].5, "mom@x.ru: отправлено\nvk.com/mom_vk: отправлено");
    let list = html(&teacher.get("/notifications/list"));
    assert!(list.contains(">Ученик Алексей Алексеевич</a>"), "{list}");

    // A membership of another group is not a choice here; nothing is stored or sent.
    let other_group = group_id(&db, "веб-61");
    let st2 = common::fixture::student_id(&db, "st2");
    let foreign = add_member(&db, st2, other_group, 0, 8, 16).to_string();
    let r = notify(&mut teacher, f.group, &foreign, "тема", "текст");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Выберите значение из списка."));
    assert_eq!((db.count("notifications"), smtp.mails().len()), (1, 1));
}

#[test]
fn failing_channels_leave_the_notification_stored_with_the_failure() {
    let db = TestDb::seeded();
    let f = family(&db);
    configure(&db, closed_port(), closed_port());
    let mut master = WebClient::login(&db, "ma1", "12");
    let started = Instant::now();
    let r = notify(&mut master, f.group, "0", "Тема", "Текст");
    assert_eq!(r.status, 302, "{}", r.text());
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "{:?}",
        started.elapsed()
    );
    let rows = stored(&db);
    assert_eq!(rows.len(), 1);
    let lines: Vec<&str> = rows[0].5.lines().collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(
        lines[0].starts_with("mom@x.ru: ошибка: отправка по SMTP не удалась"),
        "{lines:?}"
    );
    assert!(lines[1].starts_with("other@x.ru: ошибка:"));
    assert!(
        lines[2].starts_with("vk.com/mom_vk: ошибка: API ВКонтакте недоступен"),
        "{lines:?}"
    );
    assert!(lines[3].starts_with("vk.com/blocked: ошибка: API ВКонтакте недоступен"));
    let list = html(&master.get("/notifications/list"));
    assert!(list.contains("email: отправлено 0 из 2"), "{list}");
    assert!(list.contains("ВКонтакте: отправлено 0 из 2"));
}

#[test]
fn unconfigured_channels_are_skipped_and_said_so() {
    let db = TestDb::seeded();
    let f = family(&db);
    let mut master = WebClient::login(&db, "ma1", "12");
    let page = html(&master.get(&send_path(f.group)));
    assert!(
        page.contains("email: отправка <b>не настроена</b>"),
        "{page}"
    );
    assert!(page.contains("ВКонтакте: отправка <b>не настроена</b>"));
    let r = notify(&mut master, f.group, "0", "Тема", "Текст");
    assert_eq!(r.status, 302);
    assert_eq!(
        stored(&db)[0].5,
        "mom@x.ru: не отправлено (email не настроено)\nother@x.ru: не отправлено (email не настроено)\n\
         vk.com/mom_vk: не отправлено (ВКонтакте не настроено)\nvk.com/blocked: не отправлено (ВКонтакте не настроено)"
    );
    let list = html(&master.get("/notifications/list"));
    assert!(
        list.contains("email: отправка не настроена, не отправлено адресатов: 2"),
        "{list}"
    );

    // A group without students: stored with no receivers.
    let empty = group_id(&db, "веб-61");
    let page = html(&master.get(&send_path(empty)));
    assert!(page.contains("в группе нет учеников"));
    assert!(page.contains("веб-61 (учеников: 0)"));
    assert_eq!(notify(&mut master, empty, "0", "Тема", "Текст").status, 302);
    assert_eq!(stored(&db)[1].5, "");
}

#[test]
fn access_validation_and_the_lists() {
    let db = TestDb::seeded();
    let f = family(&db);
    let (smtp, vk) = (SmtpSink::start(), VkApi::start());
    configure(&db, smtp.port, vk.port);
    let path = send_path(f.group);
    assert_eq!(db.cgi(&CgiRequest::get(&path)).status, 302);
    let mut student = WebClient::login(&db, "st1", "31082002");
    assert_eq!(student.get(&path).status, 403);
    assert_eq!(student.get("/notifications/list").status, 403);
    add_teacher(&db, "te2", "Другой Учитель");
    let mut stranger = WebClient::login(&db, "te2", "12");
    assert_eq!(stranger.get(&path).status, 403);
    let mut master = WebClient::login(&db, "ma1", "12");
    for missing in [
        "/notifications/send",
        "/notifications/send?group_id=abc",
        "/notifications/send?group_id=999",
    ] {
        assert_eq!(master.get(missing).status, 404, "{missing}");
    }

    // Developers see the form, but a valid submit is refused and nothing leaves the server.
    let mut developer = WebClient::login(&db, "dev1", "12");
    assert_eq!(developer.get(&path).status, 200);
    assert_eq!(
        notify(&mut developer, f.group, "0", "Тема", "Текст").status,
        403
    );
    let r = notify(&mut developer, f.group, "0", "", "Текст");
    assert_eq!(r.status, 200, "an invalid form is shown again");

    for (subject, body, message) in [
        ("", "Текст", "Это поле обязательно."),
        ("  ", "Текст", "Это поле обязательно."),
        (
            &"т".repeat(256) as &str,
            "Текст",
            "Длина поля должна быть от 1 до 255 символов.",
        ),
        ("Тема", "", "Это поле обязательно."),
        (
            "Тема",
            &"т".repeat(1025) as &str,
            "Длина поля должна быть от 1 до 1024 символов.",
        ),
    ] {
        let r = notify(&mut master, f.group, "0", subject, body);
        assert_eq!(r.status, 200);
        assert!(r.text().contains(message), "{message}: {}", r.text());
    }
    let r = notify(&mut master, f.group, "999999", "Тема", "Текст");
    assert!(r.text().contains("Выберите значение из списка."));
    assert_eq!(
        (
            db.count("notifications"),
            smtp.mails().len(),
            vk.calls().len()
        ),
        (0, 0, 0)
    );

    // Teachers list their own notifications; masters all, or one sender's.
    let mut teacher = WebClient::login(&db, "te1", "12");
    assert_eq!(
        notify(&mut teacher, f.group, "0", "от учителя", "т").status,
        302
    );
    assert_eq!(
        notify(&mut master, f.group, "0", "от руководителя", "р").status,
        302
    );
    let own = html(&teacher.get("/notifications/list"));
    assert!(
        own.contains("от учителя") && !own.contains("от руководителя"),
        "{own}"
    );
    assert!(!own.contains("name=\"sender_id\""));
    let all = html(&master.get("/notifications/list"));
    assert!(all.contains("от учителя") && all.contains("от руководителя"));
    assert!(all.find("от руководителя").unwrap() < all.find("от учителя").unwrap());
    let te = user_id(&db, "te1");
    assert!(
        all.contains(&format!(
            "<option value=\"{te}\">Учитель Петр Петрович (преподаватель)</option>"
        )),
        "{all}"
    );
    assert!(
        !all.contains("аккаунт разработчика ("),
        "developers are not senders"
    );
    let filtered = html(&master.get(&format!("/notifications/list?sender_id={te}")));
    assert!(filtered.contains("от учителя") && !filtered.contains("от руководителя"));
    assert!(filtered.contains(&format!("<option value=\"{te}\" selected>")));
    // The new-notification form offers a teacher only his groups.
    let own_groups = html(&stranger.get("/notifications/list"));
    assert!(!own_groups.contains("робо-71") && own_groups.contains("нет уведомлений"));
}

#[test]
fn the_dump_is_mailed_as_an_attachment() {
    let db = TestDb::seeded();
    let smtp = SmtpSink::start();
    configure(&db, smtp.port, closed_port());
    db.append_config(
        "\n[dump]\ndir = \"dumps\"\nkeep = 5\nmail_to = \"admin@x.ru, backup@x.ru\"\n",
    );
    let out = db.crmit_ok(&["dump"]);
    assert!(
        out.contains("дамп отправлен на admin@x.ru, backup@x.ru"),
        "{out}"
    );
    let dir = db.dir.path().join("dumps");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(files.len(), 1);
    let file_name = files[0].file_name().into_string().unwrap();
    let written = std::fs::read(files[0].path()).unwrap();

    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["admin@x.ru", "backup@x.ru"]);
    let message = Part::parse(&mails[0].data);
    let subject = decode_words(&message.header("Subject").unwrap());
    assert_eq!(
        subject,
        format!("дамп crmit {}", file_name.trim_end_matches(".json"))
    );
    let parts = message.parts();
    assert_eq!(parts.len(), 2, "{}", mails[0].data);
    assert!(parts[0].text().contains("во вложении"));
    let disposition = parts[1].header("Content-Disposition").unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains(&file_name) || decode_words(&disposition).contains(&file_name),
        "{disposition}"
    );
    assert!(
        parts[1]
            .header("Content-Type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(parts[1].decoded(), written);

    // A mail server that is down fails the run with one line; the dump itself is kept.
    let text = std::fs::read_to_string(&db.config_path).unwrap();
    let broken = text.replace(
        &format!("port = {}", smtp.port),
        &format!("port = {}", closed_port()),
    );
    let broken_path = db.dir.path().join("broken.toml");
    std::fs::write(&broken_path, broken).unwrap();
    std::thread::sleep(Duration::from_millis(1100)); // a new second: a new dump name
    let out = std::process::Command::new(common::crmit_bin())
        .arg("--config")
        .arg(&broken_path)
        .arg("dump")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("дамп записан, но не отправлен по почте"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
    assert_eq!(smtp.mails().len(), 1);
}

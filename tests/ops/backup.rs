//! `crmit backup` and `crmit restore` on real MariaDB databases: a round trip is exact (every
//! table's `CHECKSUM TABLE`), the stock client loads the file too, a backup taken while payments
//! are saved is one consistent snapshot, a killed backup leaves no file under its final name,
//! a damaged file is refused with the database left empty, and the backup is mailed over TLS to
//! a real server (`common::smtp`), or kept and reported when the server's certificate is refused.

use crate::common;

use common::mail::{Part, decode_words};
use common::smtp::{Security, TlsSmtp};
use common::{TestDb, db};
use mysql::prelude::Queryable;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// `CHECKSUM TABLE` of every table, by name.
fn checksums(db: &TestDb) -> BTreeMap<String, Option<i64>> {
    db::checksums(db, &db::table_names(db))
        .into_iter()
        .collect()
}

/// A live database of the original, adopted by `migrate`, with the values a dump gets wrong:
/// Cyrillic, quotes, backslashes, control characters, 4-byte characters, NULLs, zero dates.
fn adopted_with_awkward_values() -> TestDb {
    let db = TestDb::empty();
    db.load_original_schema();
    db.crmit_ok(&["migrate"]);
    db.crmit_ok(&["seed-stub-models", "--demo-passwords"]);
    let mut c = db.conn();
    c.exec_drop(
        "INSERT INTO parents (fio, phone, email, passport, address, home_phone, vk_link, notification_types)
         VALUES (?, ?, NULL, NULL, ?, NULL, ?, 0)",
        (
            "О'Брайен \\ \"Ёлка\" 🐟",
            "89001112233",
            "ул. Ленина, д. 1;\nкв. 2\r\n\ttab \u{1a} end",
            "https://vk.com/id1'--",
        ),
    )
    .unwrap();
    c.exec_drop(
        "INSERT INTO message_details (body, send_time, unread) VALUES (?, '2019-01-01 10:00:00', 1)",
        ("строка\\nне перевод; ' \" `обратная` \u{0}NUL 😀",),
    )
    .unwrap();
    // Old rows of the original hold the zero datetime, which strict modes refuse to write.
    c.query_drop("SET SESSION sql_mode = ''").unwrap();
    c.exec_drop(
        "INSERT INTO access_tokens (system_user_id, expires, token_hash, device, last_use, app_version)
         SELECT id, '0000-00-00 00:00:00', 'b''00''', '', '0000-00-00 00:00:00', '' FROM system_users LIMIT 1",
        (),
    )
    .unwrap();
    db
}

fn backup_to(db: &TestDb, path: &Path) -> String {
    db.crmit_ok(&["backup", "--out", path.to_str().unwrap()])
}

#[test]
fn round_trip_is_exact_and_the_stock_client_loads_it_too() {
    let source = adopted_with_awkward_values();
    let file = source.dir.path().join("b.sql.gz");
    let said = backup_to(&source, &file);
    assert!(said.contains("резервная копия записана"), "{said}");
    let expected = checksums(&source);
    assert!(expected.len() >= 30, "{expected:?}");

    let restored = TestDb::empty();
    let said = restored.crmit_ok(&["restore", file.to_str().unwrap()]);
    assert!(said.contains("восстановлено"), "{said}");
    assert_eq!(checksums(&restored), expected);
    let awkward: String = restored
        .conn()
        .query_first("SELECT address FROM parents WHERE fio LIKE 'О''Брайен%'")
        .unwrap()
        .unwrap();
    assert_eq!(awkward, "ул. Ленина, д. 1;\nкв. 2\r\n\ttab \u{1a} end");

    // An administrator with only the hosting's tools: gunzip -c F | mariadb DB.
    let by_client = TestDb::empty();
    let server = common::mariadb::server();
    let sql = gunzip(&std::fs::read(&file).unwrap());
    let mut client = Command::new("mariadb")
        .args(["--no-defaults", "-uroot"])
        .arg(format!("--socket={}", server.socket.display()))
        .arg(&by_client.name)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mariadb client");
    client.stdin.take().unwrap().write_all(&sql).unwrap();
    let out = client.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(checksums(&by_client), expected);
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_backup_taken_during_saves_is_one_snapshot() {
    let db = TestDb::migrated();
    db.crmit_ok(&["seed-demo", "--size", "small", "--today", "2026-11-20"]);
    let mut c = db.conn();
    c.query_drop("INSERT INTO page_visits (page_name, visits_count) VALUES ('probe', 0)")
        .unwrap();
    let payment: u32 = c
        .query_first("SELECT MIN(id) FROM payments")
        .unwrap()
        .unwrap();
    let base: i64 = c
        .exec_first("SELECT value FROM payments WHERE id = ?", (payment,))
        .unwrap()
        .unwrap();
    // Each save raises the payment and the probe's counter together, in one transaction; the
    // backup reads `page_visits` before `payments`, so a torn read would show them apart.
    let stop = AtomicBool::new(false);
    let saves = std::thread::scope(|scope| {
        let saver = scope.spawn(|| {
            let mut c = db.conn();
            let mut saves = 0u64;
            while !stop.load(Ordering::Relaxed) {
                c.query_drop("START TRANSACTION").unwrap();
                c.exec_drop(
                    "UPDATE payments SET value = value + 1 WHERE id = ?",
                    (payment,),
                )
                .unwrap();
                c.query_drop(
                    "UPDATE page_visits SET visits_count = visits_count + 1 WHERE page_name = 'probe'",
                )
                .unwrap();
                c.query_drop("COMMIT").unwrap();
                saves += 1;
            }
            saves
        });
        std::thread::sleep(Duration::from_millis(100));
        let mut seen = Vec::new();
        for i in 0..3 {
            let file = db.dir.path().join(format!("during-{i}.sql.gz"));
            backup_to(&db, &file);
            let restored = TestDb::empty();
            restored.crmit_ok(&["restore", file.to_str().unwrap()]);
            let mut r = restored.conn();
            let value: i64 = r
                .exec_first("SELECT value FROM payments WHERE id = ?", (payment,))
                .unwrap()
                .unwrap();
            let visits: i64 = r
                .query_first("SELECT visits_count FROM page_visits WHERE page_name = 'probe'")
                .unwrap()
                .unwrap();
            seen.push((value - base, visits));
        }
        stop.store(true, Ordering::Relaxed);
        (saver.join().unwrap(), seen)
    });
    let (saves, seen) = saves;
    assert!(saves > 10, "the saves ran alongside: {saves}");
    for (i, (raised, counted)) in seen.into_iter().enumerate() {
        assert_eq!(raised, counted, "backup {i} is torn");
    }
}

#[test]
fn a_killed_backup_leaves_no_file_under_its_final_name() {
    let db = TestDb::seeded();
    let file = db.dir.path().join("killed.sql.gz");
    let partial = db.dir.path().join(".killed.sql.gz.part");
    // A table locked for writing holds the backup at that table, half written.
    let mut locker = db.conn();
    locker.query_drop("LOCK TABLES system_users WRITE").unwrap();
    let mut child = Command::new(common::crmit_bin())
        .arg("--config")
        .arg(&db.config_path)
        .args(["backup", "--out", file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !partial.exists() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(partial.exists(), "the backup began writing");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.try_wait().unwrap().is_none(),
        "still waiting on the lock"
    );
    child.kill().unwrap();
    child.wait().unwrap();
    locker.query_drop("UNLOCK TABLES").unwrap();
    assert!(!file.exists(), "no truncated file under the final name");
    let again = db.crmit(&["backup", "--out", file.to_str().unwrap()]);
    assert!(again.status.success());
    assert!(file.exists() && !partial.exists());
}

/// `crmit restore` of `bytes` into a fresh database: the outcome and the database.
fn restore_bytes(bytes: &[u8]) -> (std::process::Output, TestDb) {
    let db = TestDb::empty();
    let path = db.dir.path().join("damaged.sql.gz");
    std::fs::write(&path, bytes).unwrap();
    let out = db.crmit(&["restore", path.to_str().unwrap()]);
    (out, db)
}

#[test]
fn damaged_files_are_refused_and_the_database_stays_empty() {
    let source = TestDb::seeded();
    let file = source.dir.path().join("good.sql.gz");
    backup_to(&source, &file);
    let good = std::fs::read(&file).unwrap();
    let text = gunzip(&good);
    let text_str = String::from_utf8(text.clone()).unwrap();

    let truncated_gzip = &good[..good.len() / 2];
    let mut corrupt = good.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 0x55;
    let cut_text = gzip(&text[..text.len() * 2 / 3]);
    let in_a_count = text_str.find("-- rows system_users ").unwrap() + "-- rows system_".len();
    let cut_in_a_count = gzip(&text[..in_a_count]);
    let not_ours = gzip(b"-- MariaDB dump 10.19\nCREATE TABLE t (a int);\n");
    // Loading begins and then the row counts do not match: what was loaded is dropped again.
    let wrong_count = gzip(
        text_str
            .replacen("-- rows system_users ", "-- rows system_users 9", 1)
            .as_bytes(),
    );
    let unknown_schema = gzip(
        text_str
            .replacen("schema 0", "schema 9999_from_the_future; was 0", 1)
            .as_bytes(),
    );
    for (what, bytes, says) in [
        (
            "a truncated gzip file",
            truncated_gzip.to_vec(),
            "не восстановлен",
        ),
        ("a flipped byte", corrupt, "не восстановлен"),
        ("a backup cut short inside", cut_text, "файл неполон"),
        (
            "a backup cut inside a row count",
            cut_in_a_count,
            "файл неполон",
        ),
        (
            "another program's dump",
            not_ours,
            "это не резервная копия crmit",
        ),
        ("a wrong row count", wrong_count, "база снова пуста"),
        ("a schema from a newer crmit", unknown_schema, "неизвестна"),
    ] {
        let (out, db) = restore_bytes(&bytes);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{what}: restored");
        assert!(stderr.contains(says), "{what}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{what}: {stderr}");
        assert_eq!(
            db::table_names(&db),
            Vec::<String>::new(),
            "{what}: the database is not empty"
        );
    }

    // A database that has tables is never touched.
    let before = checksums(&source);
    let out = source.crmit(&["restore", file.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("не пуста"));
    assert_eq!(checksums(&source), before);
}

/// `crmit backup` with the binary's clock at `at` (UTC), which names the file.
fn backup_at(db: &TestDb, at: &str) -> std::process::Output {
    Command::new(common::crmit_bin())
        .arg("--config")
        .arg(&db.config_path)
        .arg("backup")
        .env("CRMIT_NOW", at)
        .output()
        .unwrap()
}

#[test]
fn without_out_it_names_by_time_and_keeps_the_newest() {
    let db = TestDb::seeded();
    db.append_config("[backup]\ndir = \"nightly\"\nkeep = 2");
    for at in [
        "2026-12-01 20:00:00",
        "2026-12-02 20:00:00",
        "2026-12-03 20:00:00",
    ] {
        let out = backup_at(&db, at);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut names: Vec<String> = std::fs::read_dir(db.dir.path().join("nightly"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    // Local time of Barnaul (UTC+7): the next morning.
    assert_eq!(
        names,
        ["2026-12-03 03:00:00.sql.gz", "2026-12-04 03:00:00.sql.gz"]
    );
}

#[test]
fn the_backup_is_mailed_over_tls_and_kept_when_the_certificate_is_refused() {
    let db = TestDb::seeded();
    let smtp = TlsSmtp::start();
    let backup = "\n[backup]\ndir = \"nightly\"\nkeep = 5\nmail_to = \"admin@x.ru, backup@x.ru\"\n";
    db.rewrite_config(&format!(
        "{}{backup}",
        smtp.mail_section(Security::StartTls, Some(&smtp.ca_file))
    ));
    let out = backup_at(&db, "2026-12-01 20:30:00");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("резервная копия отправлена на admin@x.ru, backup@x.ru"),
        "{stdout}"
    );
    let dir = db.dir.path().join("nightly");
    let name = "2026-12-02 03:30:00.sql.gz";
    let written = std::fs::read(dir.join(name)).unwrap();
    let mails = smtp.received();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, ["admin@x.ru", "backup@x.ru"]);
    let message = Part::parse(&mails[0].data);
    assert_eq!(
        decode_words(&message.header("Subject").unwrap()),
        "резервная копия crmit 2026-12-02 03:30:00"
    );
    let parts = message.parts();
    assert_eq!(parts.len(), 2, "{}", mails[0].data);
    let disposition = parts[1].header("Content-Disposition").unwrap();
    assert!(
        disposition.starts_with("attachment") && decode_words(&disposition).contains(name),
        "{disposition}"
    );
    assert!(
        parts[1]
            .header("Content-Type")
            .unwrap()
            .starts_with("application/gzip")
    );
    let attached = parts[1].decoded();
    assert_eq!(attached, written, "the attachment is the file");
    assert!(
        written.len() > 1_000,
        "a whole database: {} bytes",
        written.len()
    );
    let sql = String::from_utf8(gunzip(&attached)).unwrap();
    assert!(sql.contains("system_users") && sql.contains("ma1"), "{sql}");

    // A server certificate of a CA the config does not trust: the file is written all the same,
    // the run fails with one line saying why, and nothing reaches the server.
    db.rewrite_config(&format!(
        "{}{backup}",
        smtp.mail_section(Security::Tls, Some(&smtp.other_ca_file))
    ));
    let out = backup_at(&db, "2026-12-02 20:30:00");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(
            "резервная копия записана, но не отправлена по почте: отправка по SMTP не удалась"
        ) && stderr.contains("certificate"),
        "{stderr}"
    );
    let kept = std::fs::read(dir.join("2026-12-03 03:30:00.sql.gz")).unwrap();
    assert_eq!(gunzip(&kept).len(), gunzip(&written).len());
    assert_eq!(smtp.received().len(), 1);
}

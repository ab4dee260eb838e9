//! A real SMTP server speaking TLS for the mail tests: Debian's aiosmtpd (`smtp_tls.py`) with
//! STARTTLS required on one port and implicit TLS on another, its certificate for `localhost` and
//! 127.0.0.1 signed by a test certificate authority made with the `openssl` command for this
//! server alone, plus a second, unrelated CA for the wrong-certificate case. The server is killed
//! when the fixture is dropped (and stops by itself when the test process dies: its stdin closes).

use crate::common::mail::Mail;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct TlsSmtp {
    child: Child,
    dir: tempfile::TempDir,
    pub starttls_port: u16,
    pub tls_port: u16,
    /// The CA that signed the server's certificate (PEM).
    pub ca_file: PathBuf,
    /// A CA that signed nothing of this server's.
    pub other_ca_file: PathBuf,
}

/// How the client meets the server: `security` of `[mail]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    StartTls,
    Tls,
}

impl TlsSmtp {
    pub fn start() -> TlsSmtp {
        let dir = tempfile::Builder::new()
            .prefix("crmit-smtp-")
            .tempdir()
            .expect("tempdir");
        let d = dir.path();
        make_ca(d, "ca", "crmit-test-CA");
        make_ca(d, "other-ca", "crmit-unrelated-CA");
        make_server_certificate(d, "ca");
        let inbox = d.join("inbox");
        std::fs::create_dir(&inbox).unwrap();
        let stderr = std::fs::File::create(d.join("server.log")).unwrap();
        let mut child = Command::new(python())
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/common/smtp_tls.py"
            ))
            .arg(d.join("server.pem"))
            .arg(d.join("server.key"))
            .arg(&inbox)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start python3 (the aiosmtpd server)");
        // The script prints the ports once both sockets listen.
        let mut line = String::new();
        let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut line);
        let ports: Vec<u16> = line
            .strip_prefix("ports ")
            .map(|p| {
                p.split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect()
            })
            .unwrap_or_default();
        if ports.len() != 2 {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the aiosmtpd server did not start (apt-get install python3-aiosmtpd): {line:?}\n{}",
                std::fs::read_to_string(d.join("server.log")).unwrap_or_default()
            );
        }
        TlsSmtp {
            child,
            starttls_port: ports[0],
            tls_port: ports[1],
            ca_file: d.join("ca.pem"),
            other_ca_file: d.join("other-ca.pem"),
            dir,
        }
    }

    pub fn port(&self, security: Security) -> u16 {
        match security {
            Security::StartTls => self.starttls_port,
            Security::Tls => self.tls_port,
        }
    }

    /// A `[mail]` section for this server by its name `localhost`, trusting `ca_file` (or only the
    /// public roots when `None`).
    pub fn mail_section(&self, security: Security, ca_file: Option<&Path>) -> String {
        let name = match security {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
        };
        let ca = ca_file
            .map(|p| format!("ca_file = \"{}\"\n", p.display()))
            .unwrap_or_default();
        format!(
            "\n[mail]\nhost = \"localhost\"\nport = {}\nfrom = \"crmit@cmit.example\"\nsecurity = \"{name}\"\n{ca}",
            self.port(security)
        )
    }

    /// Every message received so far, oldest first.
    pub fn received(&self) -> Vec<Mail> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path().join("inbox"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for TlsSmtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's interpreter, where `apt-get install python3-aiosmtpd` puts the module (a `python3`
/// earlier on PATH, pyenv's say, would not have it).
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Runs `openssl` in `dir` with the words of `command` (none has a space).
fn openssl(dir: &Path, command: &str) {
    let args: Vec<&str> = command.split_whitespace().collect();
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(&args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {command}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A new P-256 key without a passphrase, as `req` options.
const NEW_KEY: &str = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";

/// `NAME.key` and the self-signed `NAME.pem` of a CA called `subject`.
fn make_ca(dir: &Path, name: &str, subject: &str) {
    openssl(
        dir,
        &format!(
            "req -x509 {NEW_KEY} -keyout {name}.key -out {name}.pem -days 2 -subj /CN={subject} \
             -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign"
        ),
    );
}

/// `server.key` and `server.pem` for `localhost` and 127.0.0.1, signed by the CA `ca`.
fn make_server_certificate(dir: &Path, ca: &str) {
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName = DNS:localhost, IP:127.0.0.1\nbasicConstraints = CA:FALSE\n\
         keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &format!("req {NEW_KEY} -keyout server.key -out server.csr -subj /CN=localhost"),
    );
    openssl(
        dir,
        &format!(
            "x509 -req -in server.csr -CA {ca}.pem -CAkey {ca}.key -CAcreateserial \
             -out server.pem -days 2 -extfile server.ext"
        ),
    );
}

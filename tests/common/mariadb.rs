//! A private MariaDB server for the tests: started once (by the first test that needs it, or by
//! `scripts/test`) under `CRMIT_TEST_MARIADB_DIR` (default `/tmp/crmit-test-mariadb`), reachable only
//! through its Unix socket, and left running for the next test binary of the run.

use mysql::prelude::Queryable;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The account every test uses; password authentication, so Apache's CGI user can use it too.
pub const ADMIN_USER: &str = "crmit_test";
pub const ADMIN_PASSWORD: &str = "crmit_test";

pub struct Server {
    pub dir: PathBuf,
    pub socket: PathBuf,
}

static SERVER: OnceLock<Server> = OnceLock::new();

pub fn server() -> &'static Server {
    SERVER.get_or_init(start_or_reuse)
}

impl Server {
    fn opts(&self, user: &str, password: &str, db: Option<&str>) -> mysql::OptsBuilder {
        mysql::OptsBuilder::new()
            .user(Some(user))
            .pass(Some(password))
            .socket(Some(self.socket.to_str().unwrap()))
            .db_name(db)
            .prefer_socket(true)
    }

    pub fn admin_conn(&self) -> mysql::Conn {
        mysql::Conn::new(self.opts(ADMIN_USER, ADMIN_PASSWORD, None))
            .expect("connect to test MariaDB")
    }

    pub fn conn(&self, db: &str) -> mysql::Conn {
        mysql::Conn::new(self.opts(ADMIN_USER, ADMIN_PASSWORD, Some(db)))
            .expect("connect to test database")
    }
}

/// A database name unique to this process and call.
pub fn fresh_database_name() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "crmit_t{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

fn start_or_reuse() -> Server {
    let dir = std::env::var_os("CRMIT_TEST_MARIADB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/crmit-test-mariadb"));
    std::fs::create_dir_all(&dir).expect("create MariaDB dir");
    set_mode(&dir, 0o755); // Apache's CGI user must reach the socket
    let server = Server {
        socket: dir.join("mysqld.sock"),
        dir: dir.clone(),
    };

    // Test binaries may run side by side: one of them starts the server, the others wait.
    let lock = std::fs::File::create(dir.join("start.lock")).expect("lock file");
    lock.lock().expect("lock");
    if mysql::Conn::new(server.opts(ADMIN_USER, ADMIN_PASSWORD, None)).is_err() {
        start(&server);
    }
    drop(lock);
    server
}

fn start(server: &Server) {
    let data = server.dir.join("data");
    if !data.join("mysql").exists() {
        let out = Command::new("mariadb-install-db")
            .args([
                "--no-defaults",
                "--auth-root-authentication-method=normal",
                "--user=root",
                "--skip-test-db",
            ])
            .arg(format!("--datadir={}", data.display()))
            .output()
            .expect("mariadb-install-db (is mariadb-server installed? scripts/test installs it)");
        assert!(
            out.status.success(),
            "mariadb-install-db failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let log = std::fs::File::create(server.dir.join("mariadbd.log")).unwrap();
    // The server outlives this test process (other test binaries share it) and is stopped by its
    // pid file, so it is not waited for here.
    #[allow(clippy::zombie_processes)]
    Command::new("mariadbd")
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--socket={}", server.socket.display()))
        .arg(format!(
            "--pid-file={}",
            server.dir.join("mariadbd.pid").display()
        ))
        .args([
            "--user=root",
            "--skip-networking",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_general_ci",
            "--innodb-buffer-pool-size=256M",
            "--innodb-flush-log-at-trx-commit=2",
            "--max-connections=300",
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("start mariadbd");

    let deadline = Instant::now() + Duration::from_secs(60);
    let mut root = loop {
        match mysql::Conn::new(server.opts("root", "", None)) {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => {
                panic!("MariaDB did not start: {e}; see {}", server.dir.display())
            }
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    for sql in [
        format!(
            "CREATE USER IF NOT EXISTS '{ADMIN_USER}'@'localhost' IDENTIFIED BY '{ADMIN_PASSWORD}'"
        ),
        format!("GRANT ALL PRIVILEGES ON *.* TO '{ADMIN_USER}'@'localhost' WITH GRANT OPTION"),
    ] {
        root.query_drop(sql).expect("create test account");
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

//! One request from start to finish: static files, routing by the table the entry point hands in
//! (`crate::routes`, above the areas: this layer names no area), the database connection, the
//! session and current user or the API's caller, access checks, CSRF, one transaction around the
//! handler, the developer's read-only mode, visit counting and the error pages.

pub mod access;
pub mod assets;
pub mod done;
pub mod error;
pub mod form_page;
pub mod forms;
pub mod list;
pub mod phone_link;
pub mod render;
pub mod route;
pub mod spreadsheet;
pub mod timing;

pub use done::Done;
pub use error::{AppError, Refusal};
pub use route::Params;

use crate::auth::token::{self, Allowed};
use crate::auth::{self, Caller, CurrentUser, Session, session};
use crate::config::Config;
use crate::db;
use crate::db::change_log::{self, Actor, Change, Via};
use crate::http::{Form, Method, Request, Response};
use chrono::{NaiveDate, NaiveDateTime};
use minijinja::value::Serde;
use minijinja::{Value, context};
use mysql::Conn;
use route::{Access, Match, Route};

/// Everything a handler works with.
pub struct Ctx<'a> {
    pub req: &'a Request,
    pub config: &'a Config,
    pub db: Conn,
    pub session: Session,
    pub user: Option<CurrentUser>,
    /// The API's authenticated caller, on routes with [`Access::Api`].
    pub caller: Option<Caller>,
    pub params: Params,
    /// Now, naive UTC, as the database stores times.
    pub now: NaiveDateTime,
    /// Set when the acting user is a developer (web or API): their writes are rolled back in
    /// read-only mode.
    pub acting_developer: bool,
    /// Set once the API's authentication bookkeeping (sliding expiry, `last_seen`, expired tokens)
    /// is written and marked by the savepoint [`BOOKKEEPING`]; see [`finish`].
    pub bookkeeping_marked: bool,
    /// The decoded form body of a web POST (decoded before the CSRF check reads it); empty for
    /// a GET and for the API, whose bodies are JSON.
    pub form: Form,
    /// Bookkeeping statements queued to travel with the request's next ones (`db::Batch`): the
    /// lifecycle sends them with the start and the end of the transaction.
    later: db::Batch,
    /// Where the time went, when `[site] server_timing` asks for it.
    timing: Option<timing::Timing>,
    route: &'static Route,
}

impl<'a> Ctx<'a> {
    /// An absolute path on this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.site.url_prefix, path)
    }

    pub fn redirect(&self, path: &str) -> Response {
        Response::redirect(&self.url(path))
    }

    /// The logged-in user; routes with role checks always have one.
    pub fn user(&self) -> Result<&CurrentUser, AppError> {
        signed_in(&self.user)
    }

    pub fn flash(&mut self, message: impl Into<String>) {
        self.session.flash(message);
    }

    /// Flashes what a save did; for a read-only developer, whose change is rolled back, it says
    /// what was not done instead: a page never claims a save that did not happen.
    pub fn flash_done(&mut self, done: Done) {
        let message = match self.read_only() {
            true => done.not_done,
            false => done.done,
        };
        self.session.flash(message);
    }

    /// Names what a save left alone because someone else changed it after the page was opened.
    pub fn flash_not_saved(&mut self, not_saved: &[String]) {
        if !not_saved.is_empty() {
            self.flash(format!(
                "не сохранено, обновите страницу и проверьте: {}",
                not_saved.join("; ")
            ));
        }
    }

    /// Commits what the request has written so far and goes on in a new transaction: for the
    /// writes the original committed midway, which stay whatever the answer.
    pub fn commit_so_far(&mut self) -> Result<(), AppError> {
        self.later.push("COMMIT", &[]);
        self.later.push("START TRANSACTION", &[]);
        if self.bookkeeping_marked {
            self.later.push(SAVEPOINT, &[]);
        }
        Ok(self.later.run(&mut self.db)?)
    }

    /// Marks the end of the API's authentication bookkeeping (sent with its queued writes); see
    /// [`finish`].
    fn mark_bookkeeping(&mut self) -> Result<(), AppError> {
        self.later.push(SAVEPOINT, &[]);
        self.later.run(&mut self.db)?;
        self.bookkeeping_marked = true;
        Ok(())
    }

    /// Starts the handler's transaction, with the bookkeeping queued so far.
    fn begin(&mut self) -> Result<(), AppError> {
        self.later.push("START TRANSACTION", &[]);
        Ok(self.later.run(&mut self.db)?)
    }

    /// Who is making this request's changes, for the change log.
    pub fn actor(&self) -> Actor {
        match (&self.user, &self.caller) {
            (Some(u), _) => Actor {
                user_id: Some(u.id),
                login: u.login.clone(),
                via: Via::Web,
            },
            (None, Some(c)) => Actor {
                user_id: Some(c.user_id),
                login: c.login.clone(),
                via: Via::App,
            },
            (None, None) => Actor {
                user_id: None,
                login: "—".into(),
                via: Via::Web,
            },
        }
    }

    /// Writes the change log entries of this request's save, in its transaction.
    pub fn log_changes(&mut self, changes: &[Change]) -> Result<(), AppError> {
        if changes.is_empty() {
            return Ok(());
        }
        let actor = self.actor();
        Ok(change_log::record(&mut self.db, &actor, self.now, changes)?)
    }

    /// The centre's date today (in the configured zone, not UTC's).
    pub fn today(&self) -> NaiveDate {
        crate::time::local_date(self.now, self.config.zone())
    }

    pub fn query(&self) -> Result<Form, AppError> {
        Ok(self.req.query_form()?)
    }

    /// True when this request's writes will be rolled back (developer in read-only mode).
    pub fn read_only(&self) -> bool {
        self.config.security.developer_read_only
            && self.acting_developer
            && !self.route.persists_for_developer
    }

    pub fn key(&self) -> &[u8] {
        self.config.security.secret_key.as_bytes()
    }

    /// Renders a page template with the layout's variables added.
    pub fn render(&mut self, template: &str, page: Value) -> Result<Response, AppError> {
        self.render_status(200, template, page)
    }

    pub fn render_status(
        &mut self,
        status: u16,
        template: &str,
        page: Value,
    ) -> Result<Response, AppError> {
        let started = std::time::Instant::now();
        let layout = self.layout_context()?;
        let env = render::environment(&self.config.site.url_prefix);
        let html = env
            .get_template(template)?
            .render(context! { ..page, ..layout })?;
        if let Some(timing) = &mut self.timing {
            timing.rendered(started.elapsed());
        }
        Ok(Response::html(status, html))
    }

    fn layout_context(&mut self) -> Result<Value, AppError> {
        let today = self.today().format("%Y-%m-%d").to_string();
        Ok(context! {
            prefix => self.config.site.url_prefix.clone(),
            user => Serde(&self.user),
            flashes => self.session.take_flashes(),
            csrf_token => self.session.csrf_token(),
            read_only => self.config.security.developer_read_only && self.user.as_ref().is_some_and(|u| u.is_developer),
            unread_dialogs => self.user.as_ref().map_or(0, |u| u.unread_dialogs),
            today,
            now_text => crate::time::format_datetime(self.now, self.config.zone()),
        })
    }
}

/// The logged-in user, borrowed from the field `ctx.user` alone, so that `ctx.db` stays free for
/// the handler; routes with role checks always have one.
pub fn signed_in(user: &Option<CurrentUser>) -> Result<&CurrentUser, AppError> {
    user.as_ref().ok_or(AppError::LoginRequired)
}

/// The API's authenticated caller, borrowed from the field `ctx.caller` alone; routes with
/// [`Access::Api`] always have one.
pub fn authenticated(caller: &Option<Caller>) -> Result<&Caller, AppError> {
    caller.as_ref().ok_or(AppError::LoginRequired)
}

/// Answers one request by the route table `routes`. Never panics on bad input and never returns a
/// half-done write. A long-lived process (FastCGI) keeps one connection across requests in
/// `kept` (CGI and `serve` pass an empty one): a kept connection is reused only while it answers a ping (the server may have closed
/// it), else a new one is opened. It is put back only after an answer below 500: a database error
/// may leave it mid-transaction, and the next `START TRANSACTION` would commit that.
pub fn handle_with(
    config: &Config,
    routes: &'static [Route],
    req: Request,
    kept: &mut Option<Conn>,
) -> Response {
    let is_head = req.method == Method::Head;
    if let Some(name) = req.path.strip_prefix("/static/")
        && matches!(req.method, Method::Get | Method::Head)
    {
        let versioned = req.query.starts_with("v=");
        if let Some(resp) = assets::serve(name, versioned) {
            return resp;
        }
    }
    if req.method == Method::Options {
        return options_answer(config, routes, &req);
    }
    let (route, params) = match route::find(routes, req.method, &req.path) {
        Match::Found(route, params) => (route, params),
        Match::WrongMethod => {
            return bare_error(config, &req, AppError::MethodNotAllowed)
                .with_header("Allow", &route::allowed_methods(routes, &req.path));
        }
        // A page the site does not have: the 404 page drawn like any page (with the menu of a
        // signed-in visitor). The API's and other methods' answer stays the bare page.
        Match::None
            if matches!(req.method, Method::Get | Method::Head)
                && !req.path.starts_with("/api/") =>
        {
            (&UNKNOWN_PATH, Params::default())
        }
        Match::None => return bare_error(config, &req, AppError::NotFound),
    };
    let unknown_path = std::ptr::eq(route, &UNKNOWN_PATH);
    let timing = config.site.server_timing.then(timing::Timing::start);
    let alive = kept.take().and_then(|mut c| c.ping().is_ok().then_some(c));
    let mut later = db::Batch::default();
    let conn = match alive {
        Some(conn) => conn,
        None => match db::open(config) {
            Ok(conn) => {
                later.push(db::SESSION_SETTINGS, &[]);
                conn
            }
            Err(_) if unknown_path => return bare_error(config, &req, AppError::NotFound),
            Err(e) => return bare_error(config, &req, AppError::Unavailable(e.to_string())),
        },
    };
    let now = crate::time::now_utc();
    let session = Session::from_cookie(
        req.cookie(session::COOKIE_NAME).as_deref(),
        config.security.secret_key.as_bytes(),
        now.and_utc().timestamp(),
    );
    let mut ctx = Ctx {
        req: &req,
        config,
        db: conn,
        session,
        user: None,
        caller: None,
        params,
        now,
        acting_developer: false,
        bookkeeping_marked: false,
        form: Form::default(),
        later,
        timing: timing.map(|mut t| {
            t.phase("connect");
            t
        }),
        route,
    };
    let mut resp = match run(&mut ctx) {
        Ok(resp) => resp,
        Err(err) => error_response(&mut ctx, err),
    };
    if let Some(t) = &mut ctx.timing {
        t.phase("handler");
    }
    if !unknown_path {
        count_visit(&mut ctx);
    }
    // The visit count goes last. What failed before it (the end of the transaction, or
    // bookkeeping queued before a refusal) makes an answer that claimed success an error page;
    // the visit count itself never breaks the page.
    if let Err(failed) = ctx.later.run_reporting(&mut ctx.db)
        && !failed.last
        && resp.status < 500
    {
        resp = error_response(&mut ctx, failed.error.into());
    }
    if let Some(t) = &mut ctx.timing {
        t.phase("end");
        resp.headers.push(("Server-Timing".into(), t.header()));
    }
    if let Some(cookie) = ctx
        .session
        .set_cookie(ctx.key(), req.https, &config.site.url_prefix)
    {
        resp.headers.push(("Set-Cookie".into(), cookie));
    }
    if is_head {
        resp.body.clear();
    }
    if resp.status < 500 {
        *kept = Some(ctx.db);
    }
    resp
}

/// The route of a path no route has.
static UNKNOWN_PATH: Route = route::get("", Access::Anyone, |_| Err(AppError::NotFound));

/// Authentication bookkeeping (committed on its own, as the original does), then the handler in
/// one transaction.
fn run(ctx: &mut Ctx) -> Result<Response, AppError> {
    if !ctx.route.access.is_api() {
        load_web_user(ctx)?;
    }
    check_access(ctx)?;
    if ctx.req.method == Method::Post && !ctx.route.access.is_api() {
        if !ctx.req.is_from_own_site() {
            return Err(forged_form());
        }
        ctx.form = ctx.req.body_form()?;
        check_csrf(ctx)?;
    }
    let session = ctx.session.clone();
    let mut attempts = 1;
    ctx.begin()?;
    if let Some(t) = &mut ctx.timing {
        t.phase("begin");
    }
    let mut outcome = attempt(ctx);
    // A deadlock is the server's choice of a victim among concurrent saves (say, a month grid and
    // the app marking the same lesson): the victim's transaction is already rolled back, so it is
    // run again, with the session as it was (no flashes of the failed run), like a user would.
    while is_deadlock(&outcome) && ctx.route.rerun_after_deadlock && attempts < DEADLOCK_RUNS {
        ctx.later.push("ROLLBACK", &[]);
        ctx.session = session.clone();
        ctx.bookkeeping_marked = false;
        ctx.caller = None;
        attempts += 1;
        ctx.begin()?;
        outcome = attempt(ctx);
    }
    finish(ctx, &outcome);
    outcome
}

/// One run of the handler in the request's transaction, after the API's authentication (which
/// is part of the run: its bookkeeping is written in the same transaction).
fn attempt(ctx: &mut Ctx) -> Result<Response, AppError> {
    if let Access::Api(allowed) = ctx.route.access {
        ctx.caller = Some(authenticate_caller(ctx, allowed)?);
    }
    (ctx.route.handler)(ctx)
}

/// The authentication pipeline of src/api/README.md §5, in its order: 401 for a missing, unknown
/// or expired token or a disabled owner, then the bookkeeping (`token::authenticate`), then the
/// role check (403).
///
/// The request runs in one transaction, yet the contract keeps this bookkeeping when the answer
/// is a refusal (401/403/404): a refused token's deletion is committed here, and a valid token's
/// bookkeeping ends at a savepoint that [`finish`] rolls back to on a refusal and past on a 400
/// or 500 (the original's 500 for bad input rolled everything back). (The original rolled a
/// developer's expired-token housekeeping back on most endpoints; deleting tokens that can no
/// longer be used is kept for everyone here.)
fn authenticate_caller(ctx: &mut Ctx, allowed: Allowed) -> Result<Caller, AppError> {
    let query = ctx.query()?;
    let token = query.get("access_token").ok_or(AppError::LoginRequired)?;
    let keys = token::Keys {
        secret_key: ctx.config.security.secret_key.as_bytes(),
        legacy_salt: ctx.config.security.access_token_salt.as_bytes(),
    };
    let caller = match token::authenticate(&mut ctx.db, &mut ctx.later, &keys, token, ctx.now) {
        Ok(Some(caller)) => caller,
        Ok(None) => {
            ctx.commit_so_far()?;
            return Err(AppError::LoginRequired);
        }
        // Half-done bookkeeping: the lifecycle rolls it back with the 500.
        Err(e) => return Err(e.into()),
    };
    ctx.mark_bookkeeping()?;
    if caller.role == auth::Role::Developer {
        ctx.acting_developer = true;
    }
    if allowed.admits(&caller) {
        Ok(caller)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The savepoint that ends the API's authentication bookkeeping, and the way back to it.
const SAVEPOINT: &str = "SAVEPOINT bookkeeping";
const BACK_TO_SAVEPOINT: &str = "ROLLBACK TO SAVEPOINT bookkeeping";

/// Commits a successful handler's transaction and rolls back every other. The API's
/// authentication bookkeeping is kept where the apps' contract keeps it: with a refusal (401,
/// 403, 404, 409) and with a read-only developer's rolled-back success. A 400 (bad client input)
/// or a 500 rolls back the whole request, bookkeeping included, as the original's 500 for bad
/// input did. The ending is queued: it travels with the visit count, and a failure to commit
/// turns the answer into an error page.
fn finish(ctx: &mut Ctx, outcome: &Result<Response, AppError>) {
    let keeps_bookkeeping = match outcome {
        Ok(resp) if resp.is_success() && !ctx.read_only() => {
            ctx.later.push("COMMIT", &[]);
            return;
        }
        Ok(resp) => resp.is_success(),
        Err(err) => (401..500).contains(&err.status()),
    };
    if keeps_bookkeeping && ctx.bookkeeping_marked {
        ctx.later.push(BACK_TO_SAVEPOINT, &[]);
        ctx.later.push("COMMIT", &[]);
    } else {
        ctx.later.push("ROLLBACK", &[]);
    }
}

/// How many times a handler runs at most when deadlocks keep choosing it.
const DEADLOCK_RUNS: u32 = 3;

/// The handler lost a deadlock (see [`db::is_deadlock`]).
fn is_deadlock(outcome: &Result<Response, AppError>) -> bool {
    matches!(outcome, Err(AppError::Db(e)) if db::is_deadlock(e))
}

/// The web visitor the session names, if the account still qualifies (`auth::user::web_user`).
fn load_web_user(ctx: &mut Ctx) -> Result<(), AppError> {
    ctx.user = auth::user::web_user(
        &mut ctx.db,
        &mut ctx.later,
        &mut ctx.session,
        ctx.config.security.secret_key.as_bytes(),
        (&ctx.req.remote_addr, &ctx.req.user_agent),
        ctx.now,
    )?;
    ctx.acting_developer = ctx.user.as_ref().is_some_and(|u| u.is_developer);
    Ok(())
}

fn check_access(ctx: &Ctx) -> Result<(), AppError> {
    match (ctx.route.access, &ctx.user) {
        (Access::Anyone | Access::Api(_) | Access::ApiOpen, _) => Ok(()),
        (Access::Roles(_), None) => Err(AppError::LoginRequired),
        (Access::Roles(roles), Some(user)) if roles.contains(&user.role) => Ok(()),
        (Access::Roles(roles), Some(_)) => Err(AppError::Refused(Refusal::Roles(roles))),
    }
}

fn check_csrf(ctx: &Ctx) -> Result<(), AppError> {
    match ctx.session.csrf_matches(ctx.form.str("csrf_token")) {
        true => Ok(()),
        false => Err(forged_form()),
    }
}

/// The refusal of a web POST without the session's CSRF token or from another site's page
/// (`Request::is_from_own_site`): one 400, whichever check caught it.
fn forged_form() -> AppError {
    AppError::BadRequest(
        "форма устарела или отправлена с другого сайта: обновите страницу и отправьте её ещё раз"
            .into(),
    )
}

fn error_response(ctx: &mut Ctx, err: AppError) -> Response {
    if matches!(err, AppError::Db(_) | AppError::Template(_)) {
        eprintln!("crmit: {:?} {}: {err}", ctx.req.method, ctx.req.path);
    }
    if ctx.route.access.is_api() {
        return err.api_response();
    }
    if let AppError::LoginRequired = err {
        ctx.flash("Пожалуйста, войдите, чтобы открыть эту страницу.");
        let next = match ctx.req.query.as_str() {
            "" => ctx.url(&ctx.req.path),
            q => format!("{}?{q}", ctx.url(&ctx.req.path)),
        };
        let target = format!(
            "/users/login?{}",
            serde_urlencoded::to_string([("next", next)]).unwrap_or_default()
        );
        return ctx.redirect(&target);
    }
    // A signed-in visitor whose connection was lost gets the page as before a connection exists:
    // no menu of an account that can no longer be read.
    if ctx.user.is_some() && matches!(err, AppError::Db(_)) && ctx.db.ping().is_err() {
        return bare_error(ctx.config, ctx.req, err);
    }
    let page = context! { status => err.status(), message => err.title(), detail => err.detail() };
    ctx.render_status(err.status(), "error.html", page)
        .unwrap_or_else(|_| bare_error(ctx.config, ctx.req, err))
}

/// `OPTIONS` on an existing path: 200, the `Allow` header and an empty body, before any
/// authentication or database work, as Flask answers it (the API's paths keep their JSON content
/// type, src/api/README.md §1). An unknown path is the 404 page.
fn options_answer(config: &Config, routes: &[Route], req: &Request) -> Response {
    if !route::path_exists(routes, &req.path) {
        return bare_error(config, req, AppError::NotFound);
    }
    let content_type = match req.path.starts_with("/api/") {
        true => crate::http::JSON_CONTENT_TYPE,
        false => "text/html; charset=utf-8",
    };
    let mut resp = Response::new(200, content_type, Vec::new());
    resp.headers
        .push(("Allow".into(), route::allowed_methods(routes, &req.path)));
    resp
}

/// An error before a database connection exists (or without a route): the page is rendered
/// without a user.
pub fn bare_error(config: &Config, req: &Request, err: AppError) -> Response {
    if let AppError::Unavailable(reason) = &err {
        eprintln!("crmit: {reason}");
        if req.path.starts_with("/api/") {
            return err.api_response();
        }
    }
    let env = render::environment(&config.site.url_prefix);
    let page = context! {
        status => err.status(), message => err.title(), detail => err.detail(),
        prefix => config.site.url_prefix.clone(), flashes => Vec::<String>::new(), csrf_token => "",
    };
    env.get_template("error.html")
        .and_then(|t| t.render(page))
        .map(|html| Response::html(err.status(), html))
        .unwrap_or_else(|_| Response::text(err.status(), err.title()))
}

/// One upsert per routed request into `page_visits` (our migration's table, shown to developers
/// on `/visit_stats`), queued after the page's transaction so that refused requests count too.
fn count_visit(ctx: &mut Ctx) {
    let method = match ctx.route.method {
        Method::Post => "POST",
        _ => "GET",
    };
    ctx.later.push(
        "INSERT INTO page_visits (page_name, visits_count) VALUES (CONCAT(?, ' ', ?), 1)
         ON DUPLICATE KEY UPDATE visits_count = visits_count + 1",
        &[
            db::Literal::Text(method),
            db::Literal::Text(ctx.route.pattern),
        ],
    );
}

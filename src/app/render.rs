//! The template environment: minijinja templates embedded from `templates/`, parsed lazily so a
//! CGI process compiles only the few templates its page uses.

use super::assets;
use minijinja::Environment;
use rust_embed::Embed;
use std::sync::OnceLock;

#[derive(Embed)]
#[folder = "templates/"]
#[exclude = "static/*"]
struct Templates;

static ENV: OnceLock<Environment<'static>> = OnceLock::new();

/// The environment for a site mounted at `prefix` (the prefix of one process never changes).
pub fn environment(prefix: &str) -> &'static Environment<'static> {
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_loader(|name| {
            Ok(Templates::get(name).map(|f| String::from_utf8_lossy(&f.data).into_owned()))
        });
        let prefix = prefix.to_string();
        env.add_function("asset", move |name: String| {
            format!("{prefix}/static/{name}?v={}", assets::version(&name))
        });
        env.add_filter("ru_date", |value: String| crate::time::ru_date(&value));
        env.add_filter("phone_link", |value: String| {
            super::phone_link::phone_link(&value)
        });
        env
    })
}

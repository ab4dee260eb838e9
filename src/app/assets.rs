//! Static files (CSS, JS, icons), embedded in the binary and served with cache headers; the same
//! files can be written into the document root (`install-static`) so Apache serves them itself.

use crate::http::Response;
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "templates/static/"]
pub struct Assets;

/// A short content hash for cache-busting URLs (`?v=…`).
pub fn version(name: &str) -> String {
    Assets::get(name)
        .map(|f| hex::encode(&f.metadata.sha256_hash()[..4]))
        .unwrap_or_default()
}

pub fn serve(name: &str, versioned: bool) -> Option<Response> {
    let file = Assets::get(name)?;
    let content_type = match name.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
    let cache = if versioned {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    Some(
        Response::new(200, content_type, file.data.into_owned())
            .with_header("Cache-Control", cache)
            .with_header("ETag", &format!("\"{}\"", version(name))),
    )
}

/// Writes every asset into `dir/static/`.
pub fn install(dir: &std::path::Path) -> std::io::Result<usize> {
    let target = dir.join("static");
    let mut count = 0;
    for name in Assets::iter() {
        let path = target.join(name.as_ref());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, Assets::get(&name).expect("listed asset exists").data)?;
        count += 1;
    }
    Ok(count)
}

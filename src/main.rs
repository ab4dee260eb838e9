//! The `crmit` executable; everything is in the library (`src/lib.rs`).

/// musl's own allocator maps and unmaps memory for many small blocks: a CGI request made
/// about 190 `mmap` and 130 `munmap` calls, most of them while the database driver compiles its
/// version regexes. dlmalloc takes memory from the system in large segments and reuses it.
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

fn main() -> std::process::ExitCode {
    crmit::run()
}
